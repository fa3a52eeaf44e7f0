// @ts-check
// Reads the tab counts and the grid's pages. A background refresh never cancels what the merchant asked for
// (a new tab, a search, the next page), and it marks the orders that appeared since the last look.
import { Api, explain } from './api.js';
import { $, announce, h, hideBanner, showBanner } from './dom.js';
import { plural } from './format.js';
import { list, marks } from './orders-model.js';
import { apiQuery } from './orders-query.js';

const PAGE_SIZE = 25;

/** The grid request in flight; `byUser`: the merchant asked for it (not a refresh). */
/** @type {{ controller: AbortController, byUser: boolean } | null} */
let inFlight = null;

/** @type {{ counts: () => void, grid: () => void }} */
let render = { counts: () => {}, grid: () => {} };

/** @param {{ counts: () => void, grid: () => void }} renderers  draw the tabs and the grid after a load */
export function initLoader(renderers) {
  render = renderers;
}

export async function loadSummary() {
  try {
    const summary = await Api.summary();
    list.counts = summary.counts ?? {};
    list.all = summary.all ?? 0;
    list.loaded = true;
    render.counts();
    // The grid may have come first: its "Showing n of m" line now has its total.
    if (list.items.length > 0) render.grid();
  } catch (error) {
    reportError('Could not load the order counts.', error);
  }
}

/**
 * Loads the grid: a new query, the next page (append) or the pages already shown again (refresh, keeps focus).
 * @param {{ append?: boolean, refresh?: boolean }} [options]
 * @returns {Promise<number>} how many orders a refresh found that were not there before
 */
export async function load({ append = false, refresh = false } = {}) {
  if (refresh && inFlight?.byUser) return 0;
  inFlight?.controller.abort();
  const request = { controller: new AbortController(), byUser: !refresh };
  inFlight = request;
  const pageSize = refresh ? Math.min(200, Math.max(PAGE_SIZE, list.items.length)) : PAGE_SIZE;
  const params = { ...apiQuery(), pageSize, continuation: append ? list.continuation : '' };
  if (!refresh) setBusy(true, append);
  try {
    const page = await Api.orders(params, request.controller.signal);
    if (request !== inFlight) return 0;
    hideBanner('orders-error');
    const incoming = page.items ?? [];
    /** @type {string[]} */
    let fresh = [];
    if (append) {
      const have = new Set(list.items.map((o) => o.orderId));
      list.items.push(...incoming.filter((o) => !have.has(o.orderId)));
    } else {
      if (refresh) fresh = incoming.filter((o) => !marks.known.has(o.orderId)).map((o) => o.orderId);
      list.items = incoming;
    }
    for (const order of incoming) marks.known.add(order.orderId);
    list.continuation = page.continuation ?? null;
    for (const id of fresh) marks.fresh.add(id);
    render.grid();
    if (append) announce(`${plural(incoming.length, 'more order')} loaded.`);
    return fresh.length;
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') return 0;
    reportError('Could not load the orders.', error);
    return 0;
  } finally {
    if (request === inFlight) {
      setBusy(false);
      inFlight = null;
    }
  }
}

/** Counts and the pages shown, re-read (what the poller does while something is watched). */
export async function refresh() {
  await Promise.all([loadSummary(), load({ refresh: true })]);
}

/** The quiet refresh: the grid is re-read only when the counts moved. */
export async function backgroundRefresh() {
  const before = JSON.stringify([list.all, list.counts]);
  await loadSummary();
  if (JSON.stringify([list.all, list.counts]) !== before) {
    const added = await load({ refresh: true });
    if (added) announce(`${plural(added, 'new order')} in this list.`);
  }
}

/**
 * @param {boolean} busy
 * @param {boolean} [append]
 */
function setBusy(busy, append = false) {
  $('#orders-grid').setAttribute('aria-busy', String(busy));
  $('#orders-panel').classList.toggle('is-loading', busy && !append);
  const more = /** @type {HTMLButtonElement} */ ($('#load-more'));
  more.disabled = busy && append;
  more.textContent = busy && append ? 'Loading…' : 'Load more orders';
}

/**
 * The Orders view's error banner, with "Try again".
 * @param {string} title
 * @param {unknown} error
 */
export function reportError(title, error) {
  showBanner('orders-error', title, explain(error), 'error',
    [h('button', { class: 'btn small', type: 'button', onclick: () => { hideBanner('orders-error'); refresh(); } }, 'Try again')]);
}
