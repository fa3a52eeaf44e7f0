// @ts-check
// Connector's merchant page: Orders, Returns, Dashboard, Products, Settings for the shop in ?shopId=. Hash routes: #/orders, #/returns, #/dashboard, #/products, #/settings.
import { Api, ApiError, explain, shopId, navigationUrl } from './api.js';
import { $, $$, $as, h, hideBanner, showBanner } from './dom.js';
import { formatDateTime, setTimeZone } from './format.js';
import { loadLabels } from './labels.js';
import * as orders from './orders.js';
import * as dashboard from './dashboard.js';
import * as settings from './settings.js';
import * as products from './products.js';
import * as returns from './returns.js';

/**
 * @typedef {object} View
 * @property {(app: App) => void} init
 * @property {(params: URLSearchParams, options: { changed: boolean }) => Promise<void>} show
 * @property {() => void} [hide]
 */

/**
 * @typedef {object} App  what every view shares: the shop (GET /api/shops/{id}) and a way to refresh it
 * @property {import('./api.js').Shop | null} shop
 * @property {() => Promise<import('./api.js').Shop>} reloadShop
 * @property {(shop: import('./api.js').Shop) => void} setShop
 * @property {(view: string, params?: string) => void} go
 */

/** @type {Record<string, View>} */
const views = { orders, returns, dashboard, products, settings };

/** @type {App} */
export const app = {
  shop: null,
  async reloadShop() {
    app.shop = await Api.shop();
    applyShop();
    return app.shop;
  },
  setShop(shop) {
    app.shop = shop;
    applyShop();
  },
  go(view, params) {
    const hash = `#/${view}${params ? `?${params}` : ''}`;
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  },
};

function applyShop() {
  const shop = app.shop;
  setTimeZone(shop?.settings?.timeZone);
  const chip = $('#shop-chip');
  chip.hidden = !shop;
  if (!shop) return;
  $('#shop-name').textContent = shop.name ? `${shop.name} · ${shop.shopId}` : shop.shopId;
  const connected = shop.connectionStatus === 'connected';
  $('#shop-dot').dataset.state = connected ? 'ok' : 'bad';
  chip.title = connected ? 'Connected' : `Connection: ${shop.connectionStatus}`;

  if (!connected) {
    showBanner('connection-banner', 'TikTok connection needs attention.',
      shop.connectionMessage || `Status: ${shop.connectionStatus}. Authorise the app again in TikTok Shop to keep importing orders.`,
      'warning');
  } else {
    const expires = shop.tiktok?.refreshTokenExpiresAt;
    const days = expires ? (expires * 1000 - Date.now()) / 86_400_000 : Infinity;
    if (days < 7) {
      showBanner('connection-banner', 'TikTok authorisation expires soon.',
        `It ends ${formatDateTime(expires)}; authorise the app again in TikTok Shop before then.`, 'warning');
    } else {
      hideBanner('connection-banner');
    }
  }
}

/** @type {string | null} */
let current = null;

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const view = views[path] ? path : 'orders';
  return { view, params: new URLSearchParams(search) };
}

async function route() {
  const { view, params } = parseHash();
  for (const link of $$('.nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const changed = current !== view;
  if (changed && current) views[current].hide?.();
  for (const name of Object.keys(views)) $(`#view-${name}`).hidden = name !== view;
  current = view;
  const title = { orders: 'Orders', returns: 'Returns', dashboard: 'Dashboard', products: 'Products', settings: 'Settings' }[view];
  document.title = `${title} — Connector`;
  await views[view].show(params, { changed });
  if (changed && document.activeElement?.closest('.nav')) {
    // Keyboard users who pick a section land on its heading.
    const heading = $(`#view-${view} h1`);
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}

async function start() {
  $('#boot-loading').remove();
  if (!shopId) {
    $('#view-noshop').hidden = false;
    $('.nav').hidden = true;
    $as('#noshop-connect', HTMLAnchorElement).href = navigationUrl('tiktok/authorize');
    $('#noshop-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $as('#noshop-id', HTMLInputElement);
      const error = $('#noshop-id-error');
      if (!input.checkValidity()) {
        error.textContent = "A shop id is 1 to 64 letters, digits, '-' or '_'.";
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      const params = new URLSearchParams(window.location.search);
      params.set('shopId', input.value.trim());
      window.location.search = params.toString();
    });
    return;
  }

  // The words for codes come first: every view renders with them (tabs, badges, failures).
  const labels = loadLabels().catch((error) => {
    showBanner('labels-banner', 'Could not load the page\u2019s labels; codes are shown instead.', explain(error), 'warning',
      [h('button', { class: 'btn small', type: 'button', onclick: () => window.location.reload() }, 'Reload')]);
  });
  try {
    await Promise.all([app.reloadShop(), labels]);
  } catch (error) {
    await labels;
    if (error instanceof ApiError && error.status === 404) {
      showBanner('shop-banner', `Shop "${shopId}" is not connected.`,
        'Connect it first (PUT /api/shops/{shopId} with its TikTok authorisation and store), or check the shopId in the address.', 'error');
    } else {
      showBanner('shop-banner', 'Could not load the shop.', explain(error), 'error',
        [h('button', { class: 'btn small', type: 'button', onclick: () => window.location.reload() }, 'Reload')]);
    }
  }

  for (const view of Object.values(views)) view.init(app);
  window.addEventListener('hashchange', route);
  await route();
}

start();
