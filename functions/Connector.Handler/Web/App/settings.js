// @ts-check
// Settings: sync settings and the store connection (PUT /api/shops/{shopId}), and the SKU mapping overrides.
import { Api, ApiError, explain, messagesOf, navigationUrl, shopId } from './api.js';
import { $, $$, $as, $maybe, announce, clear, h, toast } from './dom.js';

/** @typedef {import('./api.js').Shop} Shop */
/** @typedef {import('./api.js').ShopSettings} ShopSettings */
/** @typedef {import('./api.js').SkuMapping} SkuMapping */
/** @typedef {{ name?: string, settings: Required<Pick<ShopSettings, 'buyerEmail' | 'importStatuses' | 'inventoryBehaviour' | 'tags' | 'partialShipping' | 'restockOnRefund' | 'shipmentsToTikTok' | 'cancellationsToTikTok' | 'cancelReason' | 'orderHoldMinutes' | 'timeZone' | 'monthlyOrderLimit'>>, store: { platform: string, baseUrl: string, apiKey?: string, accessToken?: string, webhookSecret?: string } }} ShopForm */
/** @typedef {Record<string, string[]>} FieldErrors  field id → messages */
import { plural } from './format.js';
import { tikTokStatuses } from './labels.js';

/** @type {import('./app.js').App | null} */
let app = null;

/** @param {string} id */
const inputEl = (id) => $as(`#${id}`, HTMLInputElement);
/** @param {string} id */
const selectEl = (id) => $as(`#${id}`, HTMLSelectElement);

/**
 * Problem `errors` keys → the field that shows the message.
 * @type {Record<string, string>}
 */
const FIELDS = {
  name: 's-name',
  'settings.buyeremail': 's-email',
  'settings.importstatuses': 's-statuses',
  'settings.orderholdminutes': 's-hold',
  'settings.inventorybehaviour': 's-inventory',
  'settings.tags': 's-tags',
  'settings.timezone': 's-tz',
  'settings.monthlyorderlimit': 's-limit',
  'store.platform': 's-platform',
  'store.baseurl': 's-base-url',
  'store.accesstoken': 's-token',
  'store.webhooksecret': 's-webhook-secret',
};

/** @type {Record<string, string>} */
const LABELS = {
  's-name': 'Shop name', 's-email': 'Default buyer email', 's-statuses': 'Statuses that create store orders',
  's-hold': 'Order hold period', 's-inventory': 'Inventory', 's-tags': 'Order tags', 's-tz': 'Time zone',
  's-limit': 'Monthly plan limit', 's-platform': 'Platform', 's-base-url': 'Store address', 's-token': 'Access token', 's-webhook-secret': 'App API secret key',
};

/** @param {import('./app.js').App} appRef */
export function init(appRef) {
  app = appRef;
  const list = $('#s-statuses-list');
  for (const status of tikTokStatuses()) {
    list.append(h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'importStatuses', value: status.code }), ` ${status.label}`));
  }
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  $('#tz-list').append(...['UTC', ...zones].map((zone) => h('option', { value: zone })));

  $('#settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('#s-platform').addEventListener('change', showCredential);
  $('#sku-add-form').addEventListener('submit', (event) => {
    event.preventDefault();
    addMapping();
  });
}

/**
 * @param {URLSearchParams} _params
 * @param {{ changed?: boolean }} [options]
 */
export async function show(_params, { changed } = {}) {
  if (!app?.shop) {
    $('#settings-form').hidden = true;
    return;
  }
  $('#settings-form').hidden = false;
  if (changed) {
    try {
      await app?.reloadShop();
    } catch {
      // The banner of the app already tells; fill the form with what we have.
    }
    clearErrors();
    $('#settings-saved').textContent = '';
    if (app?.shop) fill(app.shop);
  }
  loadMappings();
}

/** @param {Shop} shop */
function fill(shop) {
  const s = shop.settings ?? {};
  inputEl('s-name').value = shop.name ?? '';
  inputEl('s-email').value = s.buyerEmail ?? '';
  const statuses = new Set(s.importStatuses ?? []);
  for (const box of $$('#s-statuses-list input')) if (box instanceof HTMLInputElement) box.checked = statuses.has(box.value);
  inputEl('s-partial').checked = Boolean(s.partialShipping);
  inputEl('s-restock').checked = s.restockOnRefund !== false;
  inputEl('s-ship-back').checked = s.shipmentsToTikTok !== false;
  inputEl('s-cancel-back').checked = s.cancellationsToTikTok !== false;
  selectEl('s-cancel-reason').value = s.cancelReason ?? 'out_of_stock';
  inputEl('s-hold').value = String(s.orderHoldMinutes ?? 0);
  selectEl('s-inventory').value = s.inventoryBehaviour ?? 'DECREMENT_IGNORING_POLICY';
  inputEl('s-tags').value = (s.tags ?? []).join(', ');
  inputEl('s-tz').value = s.timeZone ?? 'UTC';
  inputEl('s-limit').value = String(s.monthlyOrderLimit ?? 0);
  selectEl('s-platform').value = shop.store?.platform || 'shopify';
  inputEl('s-base-url').value = shop.store?.baseUrl ?? '';
  inputEl('s-token').value = '';
  inputEl('s-webhook-secret').value = '';
  stored = shop.store ?? {};
  showCredential();
}

/** @type {import('./api.js').StoreConnection} */
let stored = {};

/** The credential field follows the platform: Shopify's access token, PrestaShop's webservice key, Etsy's approval link. */
function showCredential() {
  const platform = selectEl('s-platform').value;
  const field = $('#s-token').closest('.field');
  if (field instanceof HTMLElement) field.hidden = platform === 'etsy';
  $('label[for="s-token"]').textContent = platform === 'prestashop' ? 'Webservice key' : 'Access token';
  const has = platform === 'prestashop' ? stored.hasApiKey : stored.hasAccessToken;
  inputEl('s-token').placeholder = stored.platform === platform && has ? 'Stored — leave empty to keep it' : 'Not set';
  $('#s-webhook-field').hidden = platform !== 'shopify';
  inputEl('s-webhook-secret').placeholder = stored.platform === 'shopify' && stored.hasWebhookSecret ? 'Stored — leave empty to keep it' : 'Not set';
  $('#s-webhook-status').textContent = stored.platform === platform && stored.webhooks ? `Now: ${stored.webhooks}` : '';
  $('#s-etsy-connect').hidden = platform !== 'etsy';
  $as('#s-etsy-link', HTMLAnchorElement).href = navigationUrl(`shops/${encodeURIComponent(shopId ?? '')}/etsy/connect`);
}

function clearErrors() {
  for (const id of Object.values(FIELDS)) {
    const field = $maybe(`#${id}`);
    field?.removeAttribute('aria-invalid');
    const error = $maybe(`#${id}-error`);
    if (error) {
      error.hidden = true;
      error.textContent = '';
    }
  }
  const summary = $('#settings-errors');
  summary.hidden = true;
  clear(summary);
}

/** Shows messages next to their fields and in a summary at the top (focused, so it is read out). */
/**
 * @param {FieldErrors} errors
 * @param {string[]} [general]
 */
function showErrors(errors, general = []) {
  const items = [];
  for (const [id, messages] of Object.entries(errors)) {
    const field = $maybe(`#${id}`);
    const error = $maybe(`#${id}-error`);
    field?.setAttribute('aria-invalid', 'true');
    if (error) {
      error.textContent = messages.join(' ');
      error.hidden = false;
    }
    items.push(h('li', null, h('a', {
      href: `#${id}`,
      /** @param {Event} event */
      onclick: (event) => {
        event.preventDefault();
        const target = $maybe(`#${id}`);
        (target?.matches('fieldset') ? $maybe('input', target) : target)?.focus();
      },
    }, `${LABELS[id] ?? id}: ${messages.join(' ')}`)));
  }
  for (const message of general) items.push(h('li', { text: message }));
  const summary = clear($('#settings-errors'));
  summary.append(h('h2', { text: items.length === 1 ? 'Fix this to save:' : `Fix these ${items.length} things to save:` }), h('ul', null, items));
  summary.hidden = false;
  summary.focus();
}

/**
 * @param {ShopForm} values
 * @returns {FieldErrors}
 */
function validate(values) {
  /** @type {FieldErrors} */
  const errors = {};
  if (values.settings.buyerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.settings.buyerEmail)) {
    errors['s-email'] = ['Enter an email address like buyerid@tiktok.com.'];
  }
  const hold = values.settings.orderHoldMinutes;
  if (!Number.isInteger(hold) || hold < 0 || hold > 1440) errors['s-hold'] = ['Whole minutes from 0 to 1440 (24 hours).'];
  const limit = values.settings.monthlyOrderLimit;
  if (!Number.isInteger(limit) || limit < 0) errors['s-limit'] = ['A whole number of orders, 0 for unlimited.'];
  if (!values.settings.timeZone) errors['s-tz'] = ['Enter a time zone such as Europe/Paris.'];
  if (!values.store.baseUrl) errors['s-base-url'] = ['Enter the store address, e.g. https://my-shop.myshopify.com.'];
  else {
    try {
      const url = new URL(values.store.baseUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      errors['s-base-url'] = ['Enter a full address starting with https://.'];
    }
  }
  return errors;
}

/** @returns {ShopForm} */
function read() {
  /** @param {string} id */
  const number = (id) => {
    const text = inputEl(id).value.trim();
    return text === '' ? NaN : Number(text);
  };
  const settings = {
    buyerEmail: inputEl('s-email').value.trim(),
    importStatuses: $$('#s-statuses-list input:checked').map((box) => /** @type {HTMLInputElement} */ (box).value),
    inventoryBehaviour: selectEl('s-inventory').value,
    tags: inputEl('s-tags').value.split(',').map((t) => t.trim()).filter(Boolean),
    partialShipping: inputEl('s-partial').checked,
    restockOnRefund: inputEl('s-restock').checked,
    shipmentsToTikTok: inputEl('s-ship-back').checked,
    cancellationsToTikTok: inputEl('s-cancel-back').checked,
    cancelReason: selectEl('s-cancel-reason').value,
    orderHoldMinutes: number('s-hold'),
    timeZone: inputEl('s-tz').value.trim(),
    monthlyOrderLimit: number('s-limit'),
  };
  /** @type {ShopForm['store']} */
  const store = { platform: selectEl('s-platform').value, baseUrl: inputEl('s-base-url').value.trim() };
  const token = inputEl('s-token').value;
  if (token && store.platform === 'prestashop') store.apiKey = token;
  else if (token && store.platform === 'shopify') store.accessToken = token;
  const webhookSecret = inputEl('s-webhook-secret').value;
  if (webhookSecret && store.platform === 'shopify') store.webhookSecret = webhookSecret;
  const name = inputEl('s-name').value.trim();
  return { name: name || undefined, settings, store };
}

async function save() {
  clearErrors();
  $('#settings-saved').textContent = '';
  const values = read();
  const errors = validate(values);
  if (Object.keys(errors).length) {
    showErrors(errors);
    return;
  }
  const button = $as('#settings-save', HTMLButtonElement);
  button.disabled = true;
  button.textContent = 'Saving…';
  try {
    const shop = await Api.saveShop(values);
    app?.setShop(shop);
    fill(shop);
    $('#settings-saved').textContent = `Saved at ${new Date().toLocaleTimeString()}.`;
    toast('Settings saved.');
  } catch (error) {
    if (error instanceof ApiError && Object.keys(error.errors).length) {
      /** @type {FieldErrors} */
      const byField = {};
      /** @type {string[]} */
      const general = [];
      for (const [key, messages] of Object.entries(error.errors)) {
        const id = FIELDS[key.toLowerCase()];
        if (id) byField[id] = messagesOf(messages);
        else general.push(`${key === 'settings' ? 'Settings' : key}: ${messagesOf(messages).join(' ')}`);
      }
      showErrors(byField, general);
    } else {
      showErrors({}, [error instanceof ApiError ? `${error.title} ${error.explanation}` : String(error)]);
    }
  } finally {
    button.disabled = false;
    button.textContent = 'Save settings';
  }
}

// ---- SKU mappings ------------------------------------------------------------------------------------------------

async function loadMappings() {
  const list = $('#sku-list');
  try {
    const mappings = (await Api.skuMappings()).filter((m) => m.storeSku);
    renderMappings(mappings);
  } catch (error) {
    clear(list).append(h('p', { class: 'notice error', role: 'alert', text: `Could not load the SKU mappings. ${explain(error)}` }));
  }
}

/** @param {SkuMapping[]} mappings */
function renderMappings(mappings) {
  const list = clear($('#sku-list'));
  if (!mappings.length) {
    list.append(h('p', { class: 'muted small', text: 'No SKU mapping yet: TikTok seller SKUs are matched to the same SKU in your store.' }));
    return;
  }
  list.append(h('div', { class: 'table-scroll' }, h('table', { class: 'lines sku-table' },
    h('caption', { class: 'visually-hidden', text: 'SKU mappings' }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'TikTok seller SKU' }),
      h('th', { scope: 'col', text: 'Store SKU' }),
      h('th', { scope: 'col', text: 'Store product' }),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Actions' })))),
    h('tbody', null, mappings.map((m) => h('tr', null,
      h('td', { class: 'mono', 'data-label': 'TikTok seller SKU', text: m.sellerSku }),
      h('td', { class: 'mono', 'data-label': 'Store SKU', text: m.storeSku }),
      h('td', { 'data-label': 'Store product', text: m.title || '—' }),
      h('td', null, h('button', {
        type: 'button', class: 'btn small', 'aria-label': `Remove the mapping of ${m.sellerSku}`,
        onclick: () => removeMapping(m.sellerSku),
      }, 'Remove'))))))));
}

async function addMapping() {
  const seller = inputEl('sku-add-seller');
  const store = inputEl('sku-add-store');
  const error = $('#sku-add-seller-error');
  error.hidden = true;
  seller.removeAttribute('aria-invalid');
  if (!seller.value.trim() || !store.value.trim()) {
    error.textContent = 'Enter both the TikTok seller SKU and the store SKU.';
    error.hidden = false;
    seller.setAttribute('aria-invalid', 'true');
    (seller.value.trim() ? store : seller).focus();
    return;
  }
  try {
    const result = await Api.saveSkuMapping(seller.value.trim(), store.value.trim());
    toast(`Mapping saved: ${result.sellerSku} → ${result.storeSku}; ${plural(result.retriedOrders ?? 0, 'failed order')} queued for retry.`);
    seller.value = '';
    store.value = '';
    seller.focus();
    loadMappings();
  } catch (e) {
    error.textContent = e instanceof ApiError ? (e.fieldMessage('sellerSku') ?? e.explanation) : String(e);
    error.hidden = false;
    seller.setAttribute('aria-invalid', 'true');
    seller.focus();
  }
}

/** @param {string} sellerSku */
async function removeMapping(sellerSku) {
  try {
    await Api.saveSkuMapping(sellerSku, '');
    announce(`Mapping of ${sellerSku} removed.`);
    await loadMappings();
    $('#sku-add-seller').focus();
  } catch (error) {
    toast(`Could not remove the mapping. ${explain(error)}`, 'error');
  }
}
