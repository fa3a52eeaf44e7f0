// @ts-check
// "Fetch Order": starts (or joins) the shop's fetch run, then the poller follows the run through its route
// (GET /api/orders/fetch/{runId}) and the grid until the run is over and the orders it queued are imported.
import { Api, ApiError } from './api.js';
import { $, $as, announce, h } from './dom.js';
import { plural } from './format.js';
import { failedCount, importing, list, marks, query, signature } from './orders-model.js';
import { reportError } from './orders-loader.js';
import { quietCounter } from './poller.js';

/** @typedef {import('./poller.js').Poller} Poller */
/** @typedef {import('./api.js').FetchRun} FetchRun */

const WATCH_SECONDS = 120;

/** @type {Poller | null} */
let poller = null;
/** @type {() => void} */
let showFailed = () => {};

/**
 * @param {Poller} sharedPoller
 * @param {{ showFailed: () => void }} callbacks  "Show failed orders" at the end of a run
 */
export function initFetch(sharedPoller, callbacks) {
  poller = sharedPoller;
  showFailed = callbacks.showFailed;
  $('#fetch-button').addEventListener('click', () => fetchOrders());
}

/**
 * @param {string} text
 * @param {boolean} [busy]
 * @param {HTMLElement | null} [action]
 */
function fetchStatus(text, busy = false, action = null) {
  const el = $('#fetch-status');
  el.hidden = !text;
  el.textContent = text;
  if (action) el.append(' ', action);
  el.classList.toggle('busy', busy);
}

async function fetchOrders() {
  const button = $('#fetch-button');
  if (button.getAttribute('aria-disabled') === 'true') return;
  const windowSeconds = Number($as('#fetch-since', HTMLSelectElement).value || 0);
  const since = windowSeconds ? Math.floor(Date.now() / 1000) - windowSeconds : undefined;
  button.setAttribute('aria-disabled', 'true');
  button.classList.add('busy');
  fetchStatus('Asking TikTok Shop for orders…', true);
  try {
    const started = await Api.fetch(since);
    fetchStatus(started.message ?? 'Fetching orders from TikTok Shop…', true);
    await watchRun(started.runId);
  } catch (error) {
    fetchStatus('');
    reportError('Fetch Order did not start.', error);
  } finally {
    button.removeAttribute('aria-disabled');
    button.classList.remove('busy');
  }
}

/**
 * The run's state from its route; a run the shop no longer knows (a newer one replaced it, the cursor does not name
 * it) is over. Other errors leave it running: the next poll asks again.
 * @param {string} runId
 * @returns {Promise<FetchRun | 'gone' | null>}
 */
async function readRun(runId) {
  try {
    return await Api.fetchRun(runId);
  } catch (error) {
    return error instanceof ApiError && error.status === 404 ? 'gone' : null;
  }
}

/**
 * Follows a run until it is over and the grid has been quiet for three polls; resolves then (the button stays busy).
 * @param {string} runId
 * @returns {Promise<void>}
 */
function watchRun(runId) {
  marks.fresh.clear();
  const startAll = list.all;
  const quiet = quietCounter();
  /** @type {FetchRun | null} */
  let run = null;
  let over = false;
  return new Promise((resolve) => {
    poller?.watch('fetch', {
      deadline: Date.now() + WATCH_SECONDS * 1000,
      tick: async () => {
        if (!over) {
          const read = await readRun(runId);
          if (read === 'gone') over = true;
          else if (read) {
            run = read;
            over = read.status !== 'running';
          }
        }
        const soFar = plural(Math.max(0, list.all - startAll), 'new order');
        fetchStatus(over ? `Importing… ${soFar} so far.` : `Fetching orders from TikTok Shop… ${checked(run)}${soFar} so far.`, true);
        return quiet(signature(), over && !importing()) >= 3;
      },
      done: () => {
        finish(run, Math.max(0, list.all - startAll));
        resolve();
      },
    });
  });
}

/** @param {FetchRun | null} run */
const checked = (run) => (run && run.ordersSeen ? `${plural(run.ordersSeen, 'order')} checked, ` : '');

/**
 * @param {FetchRun | null} run
 * @param {number} added
 */
function finish(run, added) {
  const failed = failedCount();
  const attention = failed ? `; ${plural(failed, 'order')} ${failed === 1 ? 'needs' : 'need'} attention` : '';
  const seen = run ? ` (${plural(run.ordersSeen, 'order')} checked on TikTok Shop)` : '';
  const summary = run?.status === 'stopped'
    ? `Fetch stopped: ${run.stoppedBecause ?? 'the run did not finish'}. ${plural(added, 'new order')}${attention}.`
    : `Fetch complete: ${plural(added, 'new order')}${seen}${attention}.`;
  const show = failed && query.status !== 'FAILED'
    ? h('button', { type: 'button', class: 'btn small', onclick: () => showFailed() }, 'Show failed orders')
    : null;
  fetchStatus(summary, false, show);
  announce(summary);
}
