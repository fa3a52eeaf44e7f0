// @ts-check
// Retry on the Failed tab: one order, the selected ones, all failed ones; then the poller watches until the retried
// orders leave the Failed tab (or nothing happens for a while) and says how it went.
import { Api } from './api.js';
import { $, $as, announce, toast } from './dom.js';
import { plural } from './format.js';
import { failedCount, importing, list, marks, signature } from './orders-model.js';
import { reportError } from './orders-loader.js';
import { selectAllBox } from './orders-grid.js';
import { quietCounter } from './poller.js';
import { updateBulkCancel } from './order-actions.js';

/** @typedef {import('./poller.js').Poller} Poller */

const WATCH_SECONDS = 120;
/** A retry stops being watched once the Failed count moved, or after this long with nothing happening. */
const SETTLE_MS = 15_000;

/** @type {Poller | null} */
let poller = null;

/** @param {Poller} sharedPoller */
export function initRetry(sharedPoller) {
  poller = sharedPoller;
  $('#retry-selected').addEventListener('click', () => retrySelected());
  $('#retry-all').addEventListener('click', () => retryAllFailed());
}

/** The bulk bar: how many rows are selected, and whether its buttons can act. */
export function updateBulk() {
  const n = marks.selected.size;
  $('#bulk-count').textContent = n ? `${plural(n, 'order')} selected` : 'No order selected';
  const selected = $as('#retry-selected', HTMLButtonElement);
  selected.disabled = n === 0;
  selected.textContent = n ? `Retry selected (${n})` : 'Retry selected';
  $as('#retry-all', HTMLButtonElement).disabled = failedCount() === 0;
  updateBulkCancel(n);
  const all = selectAllBox();
  if (all) {
    all.checked = n > 0 && n === list.items.length;
    all.indeterminate = n > 0 && n < list.items.length;
  }
}

/**
 * @param {string} orderId
 * @param {HTMLButtonElement} button
 */
export async function retryOne(orderId, button) {
  button.disabled = true;
  try {
    await Api.retry(orderId);
    toast(`Order ${orderId} queued for retry.`);
    watchRetry();
  } catch (error) {
    reportError(`Could not retry order ${orderId}.`, error);
    button.disabled = false;
  }
}

async function retrySelected() {
  const ids = [...marks.selected];
  if (!ids.length) return;
  try {
    const result = await Api.retryMany({ orderIds: ids });
    marks.selected.clear();
    updateBulk();
    toast(`${plural(result?.retriedOrders ?? ids.length, 'order')} queued for retry.`);
    watchRetry();
  } catch (error) {
    reportError('Could not retry the selected orders.', error);
  }
}

async function retryAllFailed() {
  try {
    const result = await Api.retryMany({ allFailed: true });
    marks.selected.clear();
    updateBulk();
    toast(`${plural(result?.retriedOrders ?? 0, 'failed order')} queued for retry.`);
    watchRetry();
  } catch (error) {
    reportError('Could not retry the failed orders.', error);
  }
}

/** Watches a retry (from the grid or the order dialog) until its orders have an outcome; a newer retry replaces it. */
export function watchRetry() {
  const startFailed = failedCount();
  const started = Date.now();
  const quiet = quietCounter();
  poller?.watch('retry', {
    deadline: started + WATCH_SECONDS * 1000,
    tick: () => {
      const settled = failedCount() !== startFailed || Date.now() - started > SETTLE_MS;
      return quiet(signature(), !importing()) >= 3 && settled;
    },
    done: () => {
      const failed = failedCount();
      const fixed = Math.max(0, startFailed - failed);
      announce(`Retry finished: ${plural(fixed, 'order')} imported${failed ? `, ${plural(failed, 'order')} still failed` : ''}.`);
    },
  });
}
