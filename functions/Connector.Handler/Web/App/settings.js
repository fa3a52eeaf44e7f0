// Settings: sync settings and the store connection (PUT /api/shops/{shopId}), and the SKU mapping overrides.
import { Api, ApiError, navigationUrl, shopId } from './api.js';
import { $, $$, announce, clear, h, toast } from './dom.js';
import { TIKTOK_STATUSES, plural } from './format.js';

let app = null;

/** Problem `errors` keys → the field that shows the message. */
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

const LABELS = {
  's-name': 'Shop name', 's-email': 'Default buyer email', 's-statuses': 'Statuses that create store orders',
  's-hold': 'Order hold period', 's-inventory': 'Inventory', 's-tags': 'Order tags', 's-tz': 'Time zone',
  's-limit': 'Monthly plan limit', 's-platform': 'Platform', 's-base-url': 'Store address', 's-token': 'Access token', 's-webhook-secret': 'App API secret key',
};

export function init(appRef) {
  app = appRef;
  const list = $('#s-statuses-list');
  for (const status of TIKTOK_STATUSES) {
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

export async function show(_params, { changed } = {}) {
  if (!app.shop) {
    $('#settings-form').hidden = true;
    return;
  }
  $('#settings-form').hidden = false;
  if (changed) {
    try {
      await app.reloadShop();
    } catch {
      // The banner of the app already tells; fill the form with what we have.
    }
    clearErrors();
    $('#settings-saved').textContent = '';
    fill(app.shop);
  }
  loadMappings();
}

function fill(shop) {
  const s = shop.settings ?? {};
  $('#s-name').value = shop.name ?? '';
  $('#s-email').value = s.buyerEmail ?? '';
  const statuses = new Set(s.importStatuses ?? []);
  for (const box of $$('#s-statuses-list input')) box.checked = statuses.has(box.value);
  $('#s-partial').checked = Boolean(s.partialShipping);
  $('#s-ship-back').checked = s.shipmentsToTikTok !== false;
  $('#s-cancel-back').checked = s.cancellationsToTikTok !== false;
  $('#s-cancel-reason').value = s.cancelReason ?? 'out_of_stock';
  $('#s-hold').value = String(s.orderHoldMinutes ?? 0);
  $('#s-inventory').value = s.inventoryBehaviour ?? 'DECREMENT_IGNORING_POLICY';
  $('#s-tags').value = (s.tags ?? []).join(', ');
  $('#s-tz').value = s.timeZone ?? 'UTC';
  $('#s-limit').value = String(s.monthlyOrderLimit ?? 0);
  $('#s-platform').value = shop.store?.platform || 'shopify';
  $('#s-base-url').value = shop.store?.baseUrl ?? '';
  $('#s-token').value = '';
  $('#s-webhook-secret').value = '';
  stored = shop.store ?? {};
  showCredential();
}

let stored = {};

/** The credential field follows the platform: Shopify's access token, PrestaShop's webservice key, Etsy's approval link. */
function showCredential() {
  const platform = $('#s-platform').value;
  const field = $('#s-token').closest('.field');
  field.hidden = platform === 'etsy';
  $('label[for="s-token"]').textContent = platform === 'prestashop' ? 'Webservice key' : 'Access token';
  const has = platform === 'prestashop' ? stored.hasApiKey : stored.hasAccessToken;
  $('#s-token').placeholder = stored.platform === platform && has ? 'Stored — leave empty to keep it' : 'Not set';
  $('#s-webhook-field').hidden = platform !== 'shopify';
  $('#s-webhook-secret').placeholder = stored.platform === 'shopify' && stored.hasWebhookSecret ? 'Stored — leave empty to keep it' : 'Not set';
  $('#s-webhook-status').textContent = stored.platform === platform && stored.webhooks ? `Now: ${stored.webhooks}` : '';
  $('#s-etsy-connect').hidden = platform !== 'etsy';
  $('#s-etsy-link').href = navigationUrl(`shops/${encodeURIComponent(shopId ?? '')}/etsy/connect`);
}

function clearErrors() {
  for (const id of Object.values(FIELDS)) {
    const field = $(`#${id}`);
    field?.removeAttribute('aria-invalid');
    const error = $(`#${id}-error`);
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
function showErrors(errors, general = []) {
  const items = [];
  for (const [id, messages] of Object.entries(errors)) {
    const field = $(`#${id}`);
    const error = $(`#${id}-error`);
    field?.setAttribute('aria-invalid', 'true');
    if (error) {
      error.textContent = messages.join(' ');
      error.hidden = false;
    }
    items.push(h('li', null, h('a', {
      href: `#${id}`,
      onclick: (event) => {
        event.preventDefault();
        const target = $(`#${id}`);
        (target?.matches('fieldset') ? target.querySelector('input') : target)?.focus();
      },
    }, `${LABELS[id] ?? id}: ${messages.join(' ')}`)));
  }
  for (const message of general) items.push(h('li', { text: message }));
  const summary = clear($('#settings-errors'));
  summary.append(h('h2', { text: items.length === 1 ? 'Fix this to save:' : `Fix these ${items.length} things to save:` }), h('ul', null, items));
  summary.hidden = false;
  summary.focus();
}

function validate(values) {
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

function read() {
  const number = (id) => {
    const text = $(`#${id}`).value.trim();
    return text === '' ? NaN : Number(text);
  };
  const settings = {
    buyerEmail: $('#s-email').value.trim(),
    importStatuses: $$('#s-statuses-list input:checked').map((box) => box.value),
    inventoryBehaviour: $('#s-inventory').value,
    tags: $('#s-tags').value.split(',').map((t) => t.trim()).filter(Boolean),
    partialShipping: $('#s-partial').checked,
    shipmentsToTikTok: $('#s-ship-back').checked,
    cancellationsToTikTok: $('#s-cancel-back').checked,
    cancelReason: $('#s-cancel-reason').value,
    orderHoldMinutes: number('s-hold'),
    timeZone: $('#s-tz').value.trim(),
    monthlyOrderLimit: number('s-limit'),
  };
  const store = { platform: $('#s-platform').value, baseUrl: $('#s-base-url').value.trim() };
  const token = $('#s-token').value;
  if (token && store.platform === 'prestashop') store.apiKey = token;
  else if (token && store.platform === 'shopify') store.accessToken = token;
  const webhookSecret = $('#s-webhook-secret').value;
  if (webhookSecret && store.platform === 'shopify') store.webhookSecret = webhookSecret;
  const name = $('#s-name').value.trim();
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
  const button = $('#settings-save');
  button.disabled = true;
  button.textContent = 'Saving…';
  try {
    const shop = await Api.saveShop(values);
    app.setShop(shop);
    fill(shop);
    $('#settings-saved').textContent = `Saved at ${new Date().toLocaleTimeString()}.`;
    toast('Settings saved.');
  } catch (error) {
    if (error instanceof ApiError && Object.keys(error.errors).length) {
      const byField = {};
      const general = [];
      for (const [key, messages] of Object.entries(error.errors)) {
        const id = FIELDS[key.toLowerCase()];
        if (id) byField[id] = [].concat(messages);
        else general.push(`${key === 'settings' ? 'Settings' : key}: ${[].concat(messages).join(' ')}`);
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
    clear(list).append(h('p', { class: 'notice error', role: 'alert', text: `Could not load the SKU mappings. ${error.explanation ?? error}` }));
  }
}

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
  const seller = $('#sku-add-seller');
  const store = $('#sku-add-store');
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
    error.textContent = e instanceof ApiError ? (e.errors.sellerSku?.[0] ?? e.explanation) : String(e);
    error.hidden = false;
    seller.setAttribute('aria-invalid', 'true');
    seller.focus();
  }
}

async function removeMapping(sellerSku) {
  try {
    await Api.saveSkuMapping(sellerSku, '');
    announce(`Mapping of ${sellerSku} removed.`);
    await loadMappings();
    $('#sku-add-seller').focus();
  } catch (error) {
    toast(`Could not remove the mapping. ${error.explanation ?? error}`, 'error');
  }
}
