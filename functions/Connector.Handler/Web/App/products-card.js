// @ts-check
// The dashboard's Product Status card (seed 004): the six statuses with counts, each opening the Products page, and
// "Sync Shop Status" to refresh them from TikTok now.
import { explain } from './api.js';
import { clear, h } from './dom.js';
import { formatDateTime, plural } from './format.js';
import { ProductsApi, productStatuses, syncShopStatus } from './products-api.js';

/** A card that fills itself in (the dashboard does not wait for it). */
export function productsCard() {
  const body = h('div', { id: 'dash-products-body' }, h('p', { class: 'muted', text: 'Loading…' }));
  const status = h('p', { class: 'small muted', id: 'dash-products-sync-status', role: 'status' });
  const button = h('button', { class: 'btn small', type: 'button', id: 'dash-products-sync' }, 'Sync Shop Status');
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      await syncShopStatus((run) => { status.textContent = run.phase === 'finished' ? 'Synced.' : `Syncing (${run.phase})…`; });
      await fill(body);
    } catch (error) {
      status.textContent = explain(error);
    } finally {
      button.removeAttribute('disabled');
    }
  });
  fill(body);
  return h('section', { class: 'card dash-card dash-products', 'aria-labelledby': 'dash-products-title' },
    h('h2', { id: 'dash-products-title', text: 'Product Status' }),
    h('p', { class: 'small muted', text: 'Refresh and sync your TikTok Shop products to get real-time status updates.' }),
    button, status, body);
}

/** @param {HTMLElement} body */
async function fill(body) {
  try {
    const summary = await ProductsApi.summary();
    const tiles = productStatuses.map((s) => {
      const n = summary.counts[s.code] ?? 0;
      return h('li', null, h('a', {
        class: `tile product-${s.code.toLowerCase()}${n ? ' has-items' : ''}`,
        href: `#/products?status=${s.code}`,
        'aria-label': `${s.label}: ${plural(n, 'product')}`,
      }, h('span', { class: 'tile-count', text: String(n) }), h('span', { class: 'tile-label', text: s.label })));
    });
    clear(body).append(
      h('ul', { class: 'tiles' }, tiles),
      h('p', { class: 'small muted', text: summary.lastSync ? `Last sync ${formatDateTime(summary.lastSync)} · stock sync ${summary.stockSync ? 'on' : 'off'}` : 'Not synced yet.' }));
  } catch (error) {
    clear(body).append(h('p', { class: 'danger', text: explain(error) }));
  }
}
