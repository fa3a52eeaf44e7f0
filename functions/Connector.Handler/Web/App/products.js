// @ts-check
// Products page (seed 004): the six status tabs with counts, search and a link filter, pages of SKU rows with the store
// product, the TikTok product, stock on each side, the last sync, TikTok's reasons for Failed products, a product's
// history and a retry of a refused stock update. "Sync Shop Status" refreshes everything from TikTok now.
import { ApiError, explain } from './api.js';
import { $, $as, clear, h, toast } from './dom.js';
import { formatDateTime, isoOf } from './format.js';
import { ProductsApi, productStatuses, syncShopStatus } from './products-api.js';
import { activityLabel } from './labels.js';
import * as rules from './product-settings.js';

/** @typedef {import('./products-api.js').ProductView} ProductView */

const pageSize = 25;
let status = 'LIVE';
let page = 1;
let text = '';
let link = '';

/** @param {import('./app.js').App} _app */
export function init(_app) {
  $('#products-sync').addEventListener('click', () => sync());
  $('#products-search').addEventListener('submit', (event) => {
    event.preventDefault();
    text = $as('#products-q', HTMLInputElement).value.trim();
    link = $as('#products-link', HTMLSelectElement).value;
    page = 1;
    load();
  });
  $('#products-prev').addEventListener('click', () => { page = Math.max(1, page - 1); load(); });
  $('#products-next').addEventListener('click', () => { page += 1; load(); });
  rules.init();
}

/** @param {URLSearchParams} params */
export async function show(params) {
  const wanted = params.get('status');
  if (wanted && productStatuses.some((s) => s.code === wanted)) status = wanted;
  page = 1;
  await Promise.all([tabs(), load(), rules.load()]);
}

async function tabs() {
  const list = clear($('#products-tabs'));
  let counts = /** @type {Record<string, number>} */ ({});
  try {
    const summary = await ProductsApi.summary();
    counts = summary.counts;
    $('#products-last-sync').textContent = summary.lastSync ? `Last sync ${formatDateTime(summary.lastSync)}` : 'Not synced yet: press Sync Shop Status.';
  } catch (error) {
    $('#products-last-sync').textContent = explain(error);
  }
  for (const s of productStatuses) {
    list.append(h('button', {
      type: 'button', role: 'tab', class: 'tab', id: `ptab-${s.code}`, 'aria-selected': String(s.code === status),
      onclick: () => { status = s.code; page = 1; tabs(); load(); },
    }, `${s.label} `, h('span', { class: 'pill', text: String(counts[s.code] ?? 0) })));
  }
}

async function load() {
  const body = clear($('#products-body'));
  const empty = $('#products-empty');
  try {
    const result = await ProductsApi.list({ status, q: text, link, page, pageSize });
    empty.hidden = result.items.length > 0;
    empty.textContent = 'No product with this status.';
    for (const item of result.items) body.append(row(item));
    const last = Math.max(1, Math.ceil(result.total / pageSize));
    $('#products-shown').textContent = `${result.total} SKU(s) · page ${result.page} of ${last}`;
    $as('#products-prev', HTMLButtonElement).disabled = result.page <= 1;
    $as('#products-next', HTMLButtonElement).disabled = result.page >= last;
  } catch (error) {
    empty.hidden = false;
    empty.textContent = error instanceof ApiError ? error.explanation : String(error);
  }
}

/** @param {ProductView} item */
function row(item) {
  const tiktok = item.tikTok;
  const store = item.store;
  const productId = tiktok?.productId;
  return h('tr', { 'data-key': item.key },
    h('td', null, store ? h('div', null, h('strong', { text: store.title ?? '' }), h('div', { class: 'muted small', text: store.sku ?? 'no SKU' })) : h('span', { class: 'muted', text: '—' })),
    h('td', null, tiktok ? h('div', null, h('strong', { text: tiktok.title ?? '' }), h('div', { class: 'muted small', text: `${item.sellerSku ?? 'no seller SKU'} · ${productId}` })) : h('span', { class: 'muted', text: 'Not on TikTok' })),
    h('td', null, h('span', { class: `badge product-${item.status.toLowerCase()}`, text: item.statusLabel }),
      item.link !== 'linked' && item.linkReason ? h('div', { class: 'small warning', text: item.linkReason }) : null,
      tiktok?.auditReasons ? h('div', { class: 'small danger', text: tiktok.auditReasons }) : null),
    h('td', { class: 'num', 'data-col': 'store-stock', text: store?.available === undefined ? '—' : String(store.available) }),
    h('td', { class: 'num', 'data-col': 'tiktok-stock', text: tiktok?.quantity === undefined ? '—' : String(tiktok.quantity) }),
    h('td', { class: 'small' },
      item.stockSentAt ? h('time', { datetime: isoOf(item.stockSentAt), text: formatDateTime(item.stockSentAt) }) : (item.lastSync ? h('time', { datetime: isoOf(item.lastSync), text: formatDateTime(item.lastSync) }) : '—'),
      item.stockError ? h('div', { class: 'danger', text: item.stockError }) : null),
    h('td', null, productId ? h('div', { class: 'row-actions' },
      item.stockError ? h('button', { type: 'button', class: 'btn small', onclick: () => retry(productId) }, 'Retry') : null,
      h('button', { type: 'button', class: 'link small', onclick: () => history(productId, item) }, 'History')) : null));
}

/** @param {string} productId */
async function retry(productId) {
  try {
    await ProductsApi.retry(productId);
    toast('Stock update sent again.');
    setTimeout(() => load(), 1500);
  } catch (error) {
    toast(explain(error), 'error');
  }
}

/**
 * @param {string} productId
 * @param {ProductView} item
 */
async function history(productId, item) {
  const panel = clear($('#products-history'));
  panel.hidden = false;
  panel.append(h('h2', { text: `History · ${item.tikTok?.title ?? productId}` }));
  try {
    const items = await ProductsApi.history(productId);
    panel.append(items.length
      ? h('ol', { class: 'timeline' }, items.map((a) => h('li', { class: `kind-${a.kind}` },
        h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
        h('div', null,
          h('div', { class: 'timeline-meta' }, h('span', { class: `kind kind-${a.kind}`, text: activityLabel(a.kind) }),
            h('time', { datetime: isoOf(a.at), text: formatDateTime(a.at) })),
          h('p', { text: a.message })))))
      : h('p', { class: 'muted', text: 'Nothing yet.' }));
  } catch (error) {
    panel.append(h('p', { class: 'danger', text: explain(error) }));
  }
}

async function sync() {
  const button = $as('#products-sync', HTMLButtonElement);
  const statusLine = $('#products-sync-status');
  button.disabled = true;
  statusLine.hidden = false;
  try {
    const run = await syncShopStatus((r) => {
      statusLine.textContent = r.phase === 'finished'
        ? `Synced: ${r.tikTokProducts} TikTok product(s), ${r.storeVariants} store variant(s), ${r.linked} SKU(s) linked, ${r.stockUpdatesQueued} stock update(s) sent.`
        : `Syncing (${r.phase})… ${r.tikTokProducts} TikTok product(s) read.`;
    });
    if (run.phase !== 'finished') statusLine.textContent = 'The sync is still running; refresh in a moment.';
    await Promise.all([tabs(), load()]);
  } catch (error) {
    statusLine.textContent = explain(error);
  } finally {
    button.disabled = false;
  }
}
