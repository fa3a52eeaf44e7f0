// @ts-check
// Order detail dialog: lines, amounts, address (as TikTok masks it), store link, activity timeline, and for a failed
// order its reason, a retry and — for SKU failures — the "Map SKU" form that saves an override and retries.
import { Api, ApiError } from './api.js';
import { $, $as, $maybe, announce, clear, h, sleep, target, toast } from './dom.js';
import { formatDateTime, formatMoney, isoOf, plural, safeUrl, shortId, timeZone } from './format.js';
import { activityLabel, failureHelp, isSkuFailure, statusLabel } from './labels.js';
import { actionsSection } from './order-actions.js';
import { shipSection } from './order-ship.js';

/** @typedef {import('./api.js').Order} Order */
/** @typedef {import('./api.js').Activity} Activity */
/** @typedef {{ changed: () => void, closed: (orderId: string) => void }} DetailCallbacks */

/** @type {DetailCallbacks} */
let callbacks = { changed: () => {}, closed: () => {} };
/** @type {HTMLElement | null} */
let opener = null;
/** @type {string | null} */
let currentId = null;
let pollToken = 0;
/** @type {Map<string, string | undefined>} */
let mappings = new Map();

const dialog = () => $as('#order-dialog', HTMLDialogElement);

/**
 * @param {Partial<DetailCallbacks>} cb  changed: a retry or mapping was queued; closed: the dialog closed and its opener is gone
 */
export function initDetail(cb) {
  callbacks = { ...callbacks, ...cb };
  const el = dialog();
  $('#detail-close').addEventListener('click', () => el.close());
  // A click on the backdrop (the dialog element itself, outside its box) closes it too.
  el.addEventListener('click', (event) => {
    if (event.target === el) el.close();
  });
  el.addEventListener('close', () => {
    pollToken += 1;
    const id = currentId;
    currentId = null;
    if (opener?.isConnected) opener.focus();
    else if (id) callbacks.closed(id);
    opener = null;
  });
}

/**
 * Opens the dialog for one order; options.focus = 'map' puts the cursor in the Map SKU form.
 * @param {string} orderId
 * @param {HTMLElement | null} [openerEl]
 * @param {{ focus?: 'map' }} [options]
 */
export async function openDetail(orderId, openerEl, options = {}) {
  const active = document.activeElement;
  opener = openerEl ?? (active instanceof HTMLElement ? active : null);
  currentId = orderId;
  pollToken += 1;
  const el = dialog();
  $('#detail-title').textContent = `Order ${orderId}`;
  clear($('#detail-body')).append(h('p', { class: 'muted', text: 'Loading the order…' }));
  if (!el.open) el.showModal();
  $('#detail-title').focus();
  try {
    const [order, overrides] = await Promise.all([
      Api.order(orderId),
      Api.skuMappings().catch(() => []),
    ]);
    mappings = new Map((overrides ?? []).map((m) => [m.sellerSku, m.storeSku]));
    if (currentId !== orderId) return;
    render(order);
    if (options.focus === 'map') $maybe('#map-form input.store-sku')?.focus();
  } catch (error) {
    if (currentId !== orderId) return;
    clear($('#detail-body')).append(h('div', { class: 'notice error', role: 'alert' },
      h('strong', { text: 'Could not load the order. ' }),
      error instanceof ApiError ? error.explanation : String(error)));
  }
}

/** @param {Order} order */
function render(order) {
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && active.closest('#detail-body') ? active.dataset.focus : null;
  const body = clear($('#detail-body'));
  $('#detail-title').textContent = `Order ${order.orderId}`;

  body.append(h('div', { class: 'detail-status' },
    h('span', { class: `badge status-${String(order.status).toLowerCase()}`, text: order.statusLabel || statusLabel(order.status) }),
    order.status === 'FAILED' && order.tiktokStatus
      ? h('span', { class: 'muted small', text: `TikTok status: ${statusLabel(order.tiktokStatus)}` }) : null,
    h('span', { class: 'muted small', text: `Import: ${order.importState}` })));

  body.append(h('p', { class: 'detail-progress', id: 'detail-progress', role: 'status' }));

  if (order.importState === 'Failed') body.append(failureBox(order));
  else if (order.importState === 'Skipped' && order.failureReason) {
    body.append(h('div', { class: 'notice info' }, h('strong', { text: 'Not imported. ' }), order.failureReason));
  }

  if (order.writeBackIssue) {
    body.append(h('div', { class: 'notice warning', role: 'alert' },
      h('strong', { text: 'Not sent to TikTok. ' }), order.writeBackIssue));
  }

  const storeUrl = safeUrl(order.storeOrderUrl);
  const storeName = order.storeOrderName || shortId(order.storeOrderId);
  body.append(h('section', { class: 'detail-section', 'aria-labelledby': 'd-summary' },
    h('h3', { id: 'd-summary', text: 'Summary' }),
    h('dl', { class: 'facts' },
      fact('Created at TikTok', h('time', { datetime: isoOf(order.createdAt), text: `${formatDateTime(order.createdAt)} (${timeZone()})` })),
      fact('Customer', order.customerName || '—'),
      fact('Store order', order.storeOrderId
        ? (storeUrl
          ? h('a', { href: storeUrl, target: '_blank', rel: 'noopener noreferrer', 'data-focus': 'store' }, storeName,
            h('span', { class: 'visually-hidden', text: ' (opens the order in your store, new tab)' }), h('span', { 'aria-hidden': 'true', text: ' ↗' }))
          : storeName)
        : h('span', { class: 'muted', text: 'Not in your store yet' })),
      // Etsy has no API to create orders: "synced" means the stock was taken from the Etsy listings (README).
      order.storeOrderId?.startsWith('etsy:')
        ? fact('On Etsy', h('span', { class: 'muted', text: 'Etsy cannot receive orders from apps: this order lives here, and its items\u2019 stock was taken from your Etsy listings (given back if it is cancelled). Ship it from here (Shipping, below) or from TikTok Shop.' }))
        : null,
      fact('Imported', order.importedAt ? formatDateTime(order.importedAt) : '—'),
      fact('Fulfilled by', order.fulfilledBy || '—'),
      fact('Logistic mode', order.logisticMode || '—'),
      fact('Last TikTok update', order.updateTime ? formatDateTime(order.updateTime) : '—'),
      (order.shipmentsSentToTikTok ?? []).some((s) => s.packageId)
        ? fact('Sent to TikTok', (order.shipmentsSentToTikTok ?? []).filter((s) => s.packageId)
          .map((s) => `tracking ${s.trackingNumber} (${s.units} item${s.units === 1 ? '' : 's'})`).join(', '))
        : null,
      order.cancellationSentToTikTokAt ? fact('Cancellation sent to TikTok', formatDateTime(order.cancellationSentToTikTokAt)) : null,
      order.externalReference ? fact('Shown on TikTok as', order.externalReference) : null)));

  const actions = actionsSection(order, async () => {
    if (currentId !== order.orderId) return;
    render(await Api.order(order.orderId));
    callbacks.changed();
  });
  if (actions) body.append(actions);
  const ship = shipSection(order, async () => {
    if (currentId !== order.orderId) return;
    render(await Api.order(order.orderId));
    callbacks.changed();
  });
  if (ship) body.append(ship);
  body.append(linesSection(order));
  body.append(addressSection(order.address, order.logisticMode));
  body.append(activitySection(order.activity ?? []));

  if (focused) $maybe(`#detail-body [data-focus="${CSS.escape(focused)}"]`)?.focus();
}

/**
 * @param {string} term
 * @param {import('./dom.js').Child} value
 */
function fact(term, value) {
  return h('div', { class: 'fact' }, h('dt', { text: term }), h('dd', null, value));
}

/**
 * The SKUs that failed: order lines whose seller SKU the reason names (all lines when none is named).
 * @param {Order} order
 * @returns {string[]}
 */
function failingSkus(order) {
  // The API names the failing SKUs; older orders only have them inside the reason text.
  if (Array.isArray(order.failingSkus) && order.failingSkus.length > 0) return order.failingSkus;
  const skus = [...new Set((order.lines ?? []).map((l) => l.sellerSku ?? '').filter(Boolean))];
  const reason = order.failureReason ?? '';
  const named = skus.filter((sku) => reason.includes(sku));
  return named.length ? named : skus;
}

/** @param {Order} order */
function failureBox(order) {
  const help = failureHelp(order.failureCode);
  const box = h('section', { class: 'notice error failure', 'aria-labelledby': 'd-failure' },
    h('h3', { id: 'd-failure', text: help.title }),
    h('p', { class: 'reason', text: order.failureReason || 'No reason was recorded.' }),
    h('p', { class: 'hint', text: help.fix }),
    order.lastError && order.lastError !== order.failureReason
      ? h('details', null, h('summary', { text: 'Technical details' }), h('pre', { text: order.lastError })) : null,
    h('div', { class: 'failure-actions' },
      h('button', {
        type: 'button', class: 'btn primary', 'data-focus': 'retry',
        /** @param {Event} event */
        onclick: (event) => retry(order, target(event, HTMLButtonElement)),
      }, 'Retry import'),
      order.failureCode ? h('span', { class: 'muted small mono', text: order.failureCode }) : null));
  if (isSkuFailure(order.failureCode)) box.append(mapForm(order));
  return box;
}

/** @param {Order} order */
function mapForm(order) {
  const skus = failingSkus(order);
  const rows = skus.map((sku, i) => h('div', { class: 'map-row' },
    h('div', { class: 'field' },
      h('label', { for: `map-seller-${i}`, text: 'TikTok seller SKU' }),
      h('input', { id: `map-seller-${i}`, class: 'mono seller-sku', value: sku, readOnly: true })),
    h('span', { class: 'map-arrow', 'aria-hidden': 'true', text: '→' }),
    h('div', { class: 'field' },
      h('label', { for: `map-store-${i}`, text: 'Store SKU' }),
      h('input', {
        id: `map-store-${i}`, class: 'mono store-sku', value: mappings.get(sku) ?? '', autocomplete: 'off',
        spellcheck: 'false', maxlength: '200', 'data-seller-sku': sku, 'aria-describedby': `map-store-${i}-error`,
        'data-focus': `map-${i}`,
      }),
      h('p', { class: 'field-error', id: `map-store-${i}-error`, hidden: true }))));
  const form = h('form', { id: 'map-form', class: 'map-form', novalidate: true, 'aria-labelledby': 'd-map' },
    h('h4', { id: 'd-map', text: 'Map SKU' }),
    h('p', { class: 'hint', text: 'Enter the SKU this product has in your store. Connector remembers it and retries every failed order that uses the TikTok SKU.' }),
    rows,
    h('button', { type: 'submit', class: 'btn primary', 'data-focus': 'map-save' }, 'Save mapping and retry'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveMapping(order, form);
  });
  return form;
}

/**
 * @param {Order} order
 * @param {HTMLFormElement} form
 */
async function saveMapping(order, form) {
  const inputs = [...form.querySelectorAll('input.store-sku')].filter((i) => i instanceof HTMLInputElement);
  let firstInvalid = null;
  for (const input of inputs) {
    const error = $(`#${input.id}-error`);
    const empty = !input.value.trim();
    error.hidden = !empty;
    error.textContent = empty ? 'Enter the store SKU, e.g. the SKU of the product variant in your store.' : '';
    if (empty) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (empty && !firstInvalid) firstInvalid = input;
  }
  if (firstInvalid) {
    firstInvalid.focus();
    return;
  }
  const button = $as('button[type=submit]', HTMLButtonElement, form);
  button.disabled = true;
  const failedBefore = countFailed(order);
  try {
    let retried = 0;
    for (const input of inputs) {
      const sellerSku = input.dataset.sellerSku ?? '';
      const result = await Api.saveSkuMapping(sellerSku, input.value.trim());
      retried += result?.retriedOrders ?? 0;
      mappings.set(sellerSku, input.value.trim());
    }
    const pairs = inputs.map((i) => `${i.dataset.sellerSku} → ${i.value.trim()}`).join(', ');
    toast(`Mapping saved (${pairs}); ${plural(retried, 'order')} queued for retry.`);
    callbacks.changed();
    await follow(order.orderId, failedBefore);
  } catch (error) {
    button.disabled = false;
    const problem = error instanceof ApiError ? error : null;
    const message = problem?.fieldMessage('storeSku') ?? problem?.fieldMessage('sellerSku') ?? problem?.explanation ?? String(error);
    const first = inputs[0];
    const errorEl = $(`#${first.id}-error`);
    errorEl.textContent = message;
    errorEl.hidden = false;
    first.setAttribute('aria-invalid', 'true');
    first.focus();
  }
}

/** @param {Order} order */
const countFailed = (order) => (order.activity ?? []).filter((a) => a.kind === 'failed').length;

/**
 * @param {Order} order
 * @param {HTMLButtonElement} button
 */
async function retry(order, button) {
  button.disabled = true;
  const failedBefore = countFailed(order);
  try {
    await Api.retry(order.orderId);
    toast(`Order ${order.orderId} queued for retry.`);
    callbacks.changed();
    await follow(order.orderId, failedBefore);
  } catch (error) {
    button.disabled = false;
    progress(error instanceof ApiError ? `${error.title} ${error.detail}` : String(error));
  }
}

/** @param {string} text */
function progress(text) {
  const el = $maybe('#detail-progress');
  if (el) el.textContent = text;
}

/**
 * Re-reads the order until the retry has an outcome: imported, or a new failure in its timeline.
 * @param {string} orderId
 * @param {number} failedBefore
 */
async function follow(orderId, failedBefore) {
  const token = ++pollToken;
  progress('Retrying… this usually takes a few seconds.');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await sleep(1200);
    if (token !== pollToken || currentId !== orderId) return;
    let order;
    try {
      order = await Api.order(orderId);
    } catch {
      continue;
    }
    if (token !== pollToken || currentId !== orderId) return;
    const failedAgain = order.importState === 'Failed' && countFailed(order) > failedBefore;
    if (order.importState === 'Imported' || failedAgain || (order.importState !== 'Failed' && order.importState !== 'Importing')) {
      render(order);
      const message = order.importState === 'Imported'
        ? `Imported: store order ${order.storeOrderName || shortId(order.storeOrderId)}.`
        : failedAgain ? `Still failing: ${order.failureReason}` : `Import state: ${order.importState}.`;
      progress(message);
      announce(message);
      return;
    }
  }
  if (token === pollToken) progress('No result yet; the order is still queued. Check back in a minute.');
}

/** @param {Order} order */
function linesSection(order) {
  const lines = order.lines ?? [];
  const subtotal = lines.reduce((sum, l) => sum + Number(l.unitPrice || 0) * Number(l.quantity || 0), 0);
  return h('section', { class: 'detail-section', 'aria-labelledby': 'd-lines' },
    h('h3', { id: 'd-lines', text: `Items (${order.quantity ?? 0})` }),
    lines.length === 0 ? h('p', { class: 'muted', text: 'No items.' }) : h('div', { class: 'table-scroll' },
      h('table', { class: 'lines' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', text: 'Product' }),
          h('th', { scope: 'col', text: 'Seller SKU' }),
          h('th', { scope: 'col', class: 'num', text: 'Qty' }),
          h('th', { scope: 'col', class: 'num', text: 'Unit price' }),
          h('th', { scope: 'col', class: 'num', text: 'Total' }))),
        h('tbody', null, lines.map((line) => h('tr', null,
          h('td', { 'data-label': 'Product' }, line.productName || '—',
            line.skuName ? h('span', { class: 'sub', text: line.skuName }) : null,
            line.productId ? h('span', { class: 'sub mono', text: `TikTok product ${line.productId}` }) : null),
          h('td', { 'data-label': 'Seller SKU', class: 'mono' }, line.sellerSku || h('span', { class: 'danger', text: 'none' })),
          h('td', { 'data-label': 'Qty', class: 'num', text: String(line.quantity) }),
          h('td', { 'data-label': 'Unit price', class: 'num', text: formatMoney(line.unitPrice, line.currency || order.currency) }),
          h('td', { 'data-label': 'Total', class: 'num', text: formatMoney(line.unitPrice * line.quantity, line.currency || order.currency) })))),
        h('tfoot', null,
          h('tr', null, h('th', { scope: 'row', colspan: '4', text: 'Items subtotal' }),
            h('td', { class: 'num', text: formatMoney(subtotal, order.currency) })),
          h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: '4', text: 'Order total (with shipping and tax)' }),
            h('td', { class: 'num', text: formatMoney(order.price, order.currency) }))))));
}

/**
 * @param {Record<string, any> | undefined} address
 * @param {string | undefined} logisticMode
 */
function addressSection(address, logisticMode) {
  const section = h('section', { class: 'detail-section', 'aria-labelledby': 'd-address' }, h('h3', { id: 'd-address', text: 'Shipping address' }));
  if (!address) {
    section.append(h('p', { class: 'muted', text: 'No address: TikTok has not released it, or TikTok ships this order.' }));
    return section;
  }
  const districts = [...(address.district_info ?? [])]
    .filter((d) => d?.address_name && d.address_level !== 'L0')
    .reverse()
    .map((d) => d.address_name);
  const lines = [
    address.name || [address.first_name, address.last_name].filter(Boolean).join(' '),
    address.address_line1 || address.address_detail,
    address.address_line2,
    [address.postal_code, districts.join(', ')].filter(Boolean).join(' '),
    address.region_code,
  ].filter(Boolean);
  if (lines.length <= 2 && address.full_address) lines.splice(1, lines.length - 1, address.full_address);
  section.append(h('address', null, lines.map((line, i) => [i ? h('br') : null, line])));
  if (address.phone_number) section.append(h('p', { class: 'small' }, h('span', { class: 'muted', text: 'Phone: ' }), address.phone_number));
  if (JSON.stringify(address).includes('*')) {
    section.append(h('p', { class: 'hint', text: `Masked by TikTok${logisticMode === 'TikTok shipping' ? ': TikTok ships this order, so the buyer\u2019s details stay hidden' : ''}.` }));
  }
  return section;
}

/** @param {Activity[]} activity */
function activitySection(activity) {
  const section = h('section', { class: 'detail-section', 'aria-labelledby': 'd-activity' }, h('h3', { id: 'd-activity', text: 'Activity' }));
  if (!activity.length) {
    section.append(h('p', { class: 'muted', text: 'Nothing recorded yet.' }));
    return section;
  }
  section.append(h('ol', { class: 'timeline' }, activity.map((item) => h('li', { class: `kind-${item.kind}` },
    h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
    h('div', null,
      h('div', { class: 'timeline-meta' },
        h('span', { class: `kind kind-${item.kind}`, text: activityLabel(item.kind) }),
        h('time', { datetime: isoOf(item.at), text: formatDateTime(item.at) })),
      h('p', { text: item.message }))))));
  return section;
}
