// @ts-check
// Ship from the order page (issue 13 item 4), for orders the seller ships: carrier (one of the shop's TikTok shipping
// providers), tracking number and the units in this package (only units not shipped yet are offered). One press queues one
// shipment (202); pressing again with the same package does nothing twice. The dialog then re-reads the order until TikTok's
// new status shows.
import { api, ApiError, explain, query, shopId } from './api.js';
import { h, sleep, toast, announce } from './dom.js';

/** @typedef {import('./api.js').Order} Order */
/** @typedef {{ id: string, name: string }} ShippingProvider */
/** @typedef {{ sellerSku: string, productName?: string, skuName?: string, quantity: number, remaining: number }} ShipLine */
/** @typedef {{ orderId: string, status: string, providers: ShippingProvider[], lines: ShipLine[], refusal?: string }} ShipOptions */
/** @typedef {{ orderId: string, status: string, message: string, trackingNumber: string, units: number }} ShipStarted */

const enc = encodeURIComponent;

export const ShipApi = {
  /** @param {string} orderId @returns {Promise<ShipOptions>} */
  options: (orderId) => api(`/api/orders/${enc(orderId)}/ship-options${query({ shopId })}`),
  /**
   * @param {string} orderId
   * @param {{ shippingProviderId: string, trackingNumber: string, lines: { sellerSku: string, quantity: number }[] }} body
   * @returns {Promise<ShipStarted>}
   */
  ship: (orderId, body) => api(`/api/orders/${enc(orderId)}/ship${query({ shopId })}`, { method: 'POST', body }),
};

/** Statuses in which TikTok takes a seller's tracking (reference §6.1); the server decides, this only offers the button. */
const SHIPPABLE = new Set(['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);

/** The server's rule (ShipRules in Messaging/ShipMessages.cs), checked here first so the merchant hears it at once. */
const TRACKING = /^[A-Za-z0-9-]{5,50}$/;

/**
 * The Ship section of the order dialog, or null when the seller has nothing to ship (TikTok ships it, or no unit is left).
 * @param {Order} order
 * @param {() => Promise<void>} reload  re-reads and re-renders the dialog
 */
export function shipSection(order, reload) {
  const shippedByTikTok = order.fulfilledBy === 'TikTok' || order.logisticMode === 'TikTok shipping';
  if (shippedByTikTok || !SHIPPABLE.has(order.tiktokStatus ?? order.status)) return null;
  // Hidden while it has nothing to say: the dialog's other actions keep theirs as its last status.
  const status = h('p', { class: 'small', role: 'status', hidden: true });
  const observer = new MutationObserver(() => { status.hidden = !status.textContent; });
  observer.observe(status, { childList: true, characterData: true, subtree: true });
  const start = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn primary', id: 'ship-order' }, 'Ship…'));
  const form = h('div', { class: 'ship-form', id: 'ship-form', hidden: true });
  start.addEventListener('click', async () => {
    start.disabled = true;
    status.textContent = '';
    try {
      const options = await ShipApi.options(order.orderId);
      if (options.refusal) {
        status.textContent = options.refusal;
        return;
      }
      form.replaceChildren(...shipForm(order, options, status, reload, () => { form.hidden = true; start.disabled = false; start.focus(); }));
      form.hidden = false;
      /** @type {HTMLElement | null} */ (form.querySelector('#ship-carrier'))?.focus();
    } catch (e) {
      status.textContent = explain(e);
      start.disabled = false;
    }
  });
  return h('section', { class: 'detail-section order-actions order-ship', 'aria-labelledby': 'd-ship' },
    h('h3', { id: 'd-ship', text: 'Shipping' }),
    h('p', { class: 'small muted', text: 'You ship this order: enter the carrier and tracking number of a package and TikTok Shop is told at once.' }),
    h('div', { class: 'action-row' }, start), form, status);
}

/**
 * @param {Order} order
 * @param {ShipOptions} options
 * @param {HTMLElement} status
 * @param {() => Promise<void>} reload
 * @param {() => void} close
 * @returns {HTMLElement[]}
 */
function shipForm(order, options, status, reload, close) {
  const carrier = /** @type {HTMLSelectElement} */ (h('select', { id: 'ship-carrier' },
    h('option', { value: '', text: 'Choose a carrier' }),
    ...options.providers.map((p) => h('option', { value: p.id, text: p.name }))));
  const tracking = /** @type {HTMLInputElement} */ (h('input', {
    id: 'ship-tracking', type: 'text', maxlength: '50', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'ship-tracking-error',
  }));
  const trackingError = h('p', { class: 'field-error', id: 'ship-tracking-error', hidden: true });
  const carrierError = h('p', { class: 'field-error', id: 'ship-carrier-error', hidden: true });
  const unitsError = h('p', { class: 'field-error', id: 'ship-units-error', hidden: true });
  const open = options.lines.filter((l) => l.remaining > 0);
  const inputs = open.map((line, i) => {
    const input = /** @type {HTMLInputElement} */ (h('input', {
      id: `ship-units-${i}`, type: 'number', min: '0', max: String(line.remaining), step: '1', value: String(line.remaining), inputmode: 'numeric',
    }));
    const name = [line.productName, line.skuName].filter(Boolean).join(' · ') || line.sellerSku;
    return {
      line, input,
      row: h('div', { class: 'ship-line' },
        h('label', { for: input.id }, h('span', { text: name }), h('span', { class: 'muted', text: ` SKU ${line.sellerSku}` })),
        input,
        h('span', { class: 'small muted', text: `of ${line.remaining} left${line.remaining < line.quantity ? ` (${line.quantity - line.remaining} shipped)` : ''}` })),
    };
  });
  const confirm = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn primary', id: 'confirm-ship' }, 'Ship package'));
  const back = h('button', { type: 'button', class: 'btn', id: 'ship-later' }, 'Not now');
  back.addEventListener('click', close);

  /** @param {HTMLElement} error @param {HTMLElement} field @param {string | undefined} message */
  const show = (error, field, message) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    if (message) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  };

  // A corrected field loses its error at once.
  tracking.addEventListener('input', () => show(trackingError, tracking, undefined));
  carrier.addEventListener('change', () => show(carrierError, carrier, undefined));
  for (const { input } of inputs) input.addEventListener('input', () => show(unitsError, inputs[0]?.input ?? confirm, undefined));

  confirm.addEventListener('click', async () => {
    const number = tracking.value.trim();
    const lines = inputs.map(({ line, input }) => ({ sellerSku: line.sellerSku, quantity: Number(input.value) }))
      .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
    const tooMany = inputs.find(({ line, input }) => !Number.isInteger(Number(input.value)) || Number(input.value) < 0 || Number(input.value) > line.remaining);
    show(carrierError, carrier, carrier.value ? undefined : 'Choose the carrier from TikTok\u2019s list.');
    show(trackingError, tracking, TRACKING.test(number) ? undefined : 'The carrier\u2019s tracking number: 5–50 letters, digits or hyphens, no spaces.');
    show(unitsError, inputs[0]?.input ?? confirm, tooMany
      ? `At most ${tooMany.line.remaining} unit(s) of ${tooMany.line.sellerSku} are left to ship.`
      : lines.length ? undefined : 'Put at least one unit in the package.');
    const invalid = [carrier.value ? null : carrier, TRACKING.test(number) ? null : tracking, tooMany || !lines.length ? (tooMany?.input ?? inputs[0]?.input) : null]
      .find((x) => x);
    if (invalid) {
      invalid.focus();
      return;
    }
    confirm.disabled = true;
    try {
      const result = await ShipApi.ship(order.orderId, { shippingProviderId: carrier.value, trackingNumber: number, lines });
      const message = result.status === 'queued'
        ? `Package ${result.trackingNumber} (${result.units} unit${result.units === 1 ? '' : 's'}) sent to TikTok; the order moves on when TikTok confirms.`
        : result.message;
      status.textContent = message;
      toast(message);
      announce(message);
      await sleep(1500);
      await reload();
    } catch (e) {
      confirm.disabled = false;
      if (e instanceof ApiError) {
        show(trackingError, tracking, e.fieldMessage('trackingNumber'));
        show(carrierError, carrier, e.fieldMessage('shippingProviderId'));
        const unitField = Object.keys(e.errors).find((f) => f.startsWith('lines'));
        show(unitsError, inputs[0]?.input ?? confirm, unitField ? e.fieldMessage(unitField) : undefined);
      }
      status.textContent = explain(e);
    }
  });

  return [
    h('div', { class: 'field' }, h('label', { for: 'ship-carrier', text: 'Carrier' }), carrier, carrierError),
    h('div', { class: 'field' }, h('label', { for: 'ship-tracking', text: 'Tracking number' }), tracking, trackingError),
    h('fieldset', { class: 'field ship-lines' }, h('legend', { text: 'Units in this package' }), ...inputs.map((x) => x.row), unitsError),
    h('div', { class: 'action-row' }, confirm, back),
  ];
}
