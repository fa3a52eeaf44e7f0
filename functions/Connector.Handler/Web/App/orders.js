// @ts-check
// The Orders view: status tabs with counts, search and "More filters", the grid with expandable lines and paging,
// Fetch Order with live progress, and retry (one, selected, all) on the Failed tab. This module wires the parts:
//   orders-model.js   the view's state (query, list, row marks)
//   orders-query.js   search, filters, the page address       orders-tabs.js   the status tabs
//   orders-loader.js  counts and pages from the API            orders-grid.js   the grid
//   orders-fetch.js   Fetch Order and its run's progress        orders-retry.js  retries and the bulk bar
//   poller.js         the one poller both watchers (fetch, retry) and the background refresh share
import { $ } from './dom.js';
import { timeZone } from './format.js';
import { initDetail } from './detail.js';
import { marks, query } from './orders-model.js';
import { clearQuery, fillQueryForm, initQuery, readParams, updateFilterButton, writeParams } from './orders-query.js';
import { initTabs, selectStatus, updateTabs } from './orders-tabs.js';
import { backgroundRefresh, initLoader, load, loadSummary, refresh } from './orders-loader.js';
import { focusRow, initGrid, renderEmpty, renderGrid } from './orders-grid.js';
import { initRetry, retryOne, updateBulk, watchRetry } from './orders-retry.js';
import { initFetch } from './orders-fetch.js';
import { createPoller } from './poller.js';
import { initBulkCancel, isCancelTab } from './order-actions.js';

/** @typedef {import('./app.js').App} App */

/** @type {App | null} */
let app = null;
let visible = false;

/** @param {App} appRef */
export function init(appRef) {
  app = appRef;
  // New orders arrive by webhook too: the poller keeps the counts (and the top of the grid) current while the page is open.
  const poller = createPoller({
    refresh,
    background: backgroundRefresh,
    backgroundAllowed: () => visible && document.visibilityState === 'visible' && Boolean(app?.shop),
  });
  initDetail({ changed: () => watchRetry(), closed: (orderId) => focusRow(orderId) });
  initQuery({ changed: queryChanged });
  initTabs({ selected: () => { showTabs(); queryChanged(); } });
  initLoader({ counts: showTabs, grid: renderGrid });
  initGrid({ retry: retryOne, selectionChanged: updateBulk, clearQuery });
  initRetry(poller);
  initBulkCancel({ done: () => { marks.selected.clear(); updateBulk(); void refresh(); } });
  initFetch(poller, {
    showFailed: () => {
      selectStatus('FAILED');
      $('#tab-FAILED').focus();
    },
  });
  $('#load-more').addEventListener('click', () => load({ append: true }));
  poller.start();
}

/** @param {URLSearchParams} params */
export async function show(params) {
  visible = true;
  if (params.size > 0) readParams(params);
  else writeParams();
  $('#orders-tz').textContent = `Times in ${timeZone()}`;
  fillQueryForm();
  showTabs();
  if (!app?.shop) {
    renderEmpty('The shop could not be loaded; see the message above.');
    return;
  }
  await Promise.all([loadSummary(), load()]);
}

export function hide() {
  visible = false;
}

/** The tabs, and the bulk bar: retry on the Failed tab, cancel on the tabs whose orders a seller may cancel. */
function showTabs() {
  updateTabs();
  const failed = query.status === 'FAILED';
  $('#bulk-bar').hidden = !failed && !isCancelTab(query.status);
  $('#retry-selected').hidden = !failed;
  $('#retry-all').hidden = !failed;
  $('#cancel-selected').hidden = !isCancelTab(query.status);
  updateBulk();
}

/** A new tab, search or filter: marks are for the old list, the address follows, the grid reloads. */
function queryChanged() {
  marks.selected.clear();
  marks.fresh.clear();
  marks.expanded.clear();
  writeParams();
  updateFilterButton();
  load();
}
