// @ts-check
// Returns view (issue 13 item 3, like CedCommerce's Returns & Refunds): five tabs with counts — request pending, awaiting
// buyer shipment, buyer shipped, rejected, completed/refunded — each return with its order, lines (SKU × units), amount,
// reason and deadline, where the store refund stands, and Approve / Reject (one of TikTok's reasons) while TikTok waits for
// the seller. The answers use the order actions' routes, so a repeated press does nothing twice.
import { explain } from './api.js';
import { $, clear, h, sleep, toast, announce } from './dom.js';
import { formatDateTime, isoOf, formatMoney } from './format.js';
import { ActionsApi } from './order-actions.js';
import { ReturnsApi, returnTabs } from './returns-api.js';

/** @typedef {import('./returns-api.js').ReturnItem} ReturnItem */

let tab = 'pending';
/** @type {(string | null)[]} continuations of the pages before the current one */
let trail = [];
/** @type {string | null} */
let continuation = null;
/** @type {string | null} */
let next = null;

/** @param {import('./app.js').App} _app */
export function init(_app) {
  $('#returns-prev').addEventListener('click', () => { continuation = trail.pop() ?? null; void load(); });
  $('#returns-next').addEventListener('click', () => { trail.push(continuation); continuation = next; void load(); });
}

/** @param {URLSearchParams} params */
export async function show(params) {
  const wanted = params.get('tab');
  if (wanted && returnTabs.includes(wanted)) tab = wanted;
  trail = [];
  continuation = null;
  await load();
}

async function load() {
  const list = clear($('#returns-list'));
  const empty = $('#returns-empty');
  empty.hidden = true;
  try {
    const page = await ReturnsApi.list(tab, continuation);
    renderTabs(page.tabs);
    next = page.continuation ?? null;
    for (const item of page.items) list.append(card(item));
    const count = page.tabs.find((t) => t.tab === tab)?.count ?? 0;
    $('#returns-shown').textContent = `${page.items.length} of ${count} in this tab`;
    if (!page.items.length) {
      empty.textContent = 'No returns in this tab.';
      empty.hidden = false;
    }
  } catch (error) {
    empty.textContent = explain(error);
    empty.hidden = false;
  }
  /** @type {HTMLButtonElement} */ ($('#returns-prev')).disabled = trail.length === 0;
  /** @type {HTMLButtonElement} */ ($('#returns-next')).disabled = !next;
}

/** @param {{ tab: string, label: string, count: number }[]} tabs */
function renderTabs(tabs) {
  const bar = clear($('#returns-tabs'));
  for (const t of tabs) {
    bar.append(h('button', {
      type: 'button', role: 'tab', class: 'tab', id: `rtab-${t.tab}`, 'aria-selected': String(t.tab === tab), 'aria-controls': 'returns-panel',
      onclick: () => { tab = t.tab; trail = []; continuation = null; void load(); },
    }, `${t.label} `, h('span', { class: 'pill', text: String(t.count) })));
  }
}

/** @param {ReturnItem} item */
function card(item) {
  const ret = item.return;
  const open = item.canApprove || item.canReject;
  const refund = item.storeRefund === 'refunded' ? h('span', { class: 'badge ok', text: 'Refunded in the store' })
    : item.storeRefund === 'failed' ? h('span', { class: 'badge bad', text: 'Store refund failed' })
    : item.storeRefund === 'pending' ? h('span', { class: 'badge', text: 'Store refund pending' }) : null;
  return h('article', { class: 'card return-card', 'data-order-id': item.orderId, 'aria-label': `Return ${ret.returnId} of order ${item.orderId}` },
    h('div', { class: 'return-head' },
      h('strong', { text: `${ret.type === 'REFUND' ? 'Refund' : 'Return'} ${ret.returnId}` }),
      h('span', { class: 'muted', text: ` · order ${item.orderId}` }),
      item.storeOrderName ? h('span', { class: 'muted', text: ` · store ${item.storeOrderName}` }) : null,
      item.customerName ? h('span', { class: 'muted', text: ` · ${item.customerName}` }) : null),
    h('p', { class: 'return-status' }, h('span', { class: 'badge', text: ret.statusLabel }), ' ', refund),
    h('ul', { class: 'return-lines' }, item.lines.map((l) => h('li', { text: `${l.sku} × ${l.units}` }))),
    ret.refundTotal ? h('p', { text: `Refund ${formatMoney(ret.refundTotal, ret.currency)}` }) : null,
    ret.reason ? h('p', { text: `Reason: ${ret.reason}` }) : null,
    open && ret.deadline
      ? h('p', null, 'Answer by ', h('time', { datetime: isoOf(ret.deadline), text: formatDateTime(ret.deadline) }), ', or TikTok approves it.')
      : null,
    item.refundIssue ? h('div', { class: 'notice warning', role: 'alert', text: item.refundIssue }) : null,
    open ? answer(item) : null);
}

/** Approve, or Reject with one of TikTok's reasons (read when the merchant opens the choice). @param {ReturnItem} item */
function answer(item) {
  const ret = item.return;
  const status = h('p', { class: 'small', role: 'status' });
  const approve = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn primary', 'data-action': 'approve' },
    ret.status === 'BUYER_SHIPPED_ITEM' ? 'Approve: item received' : 'Approve'));
  const select = /** @type {HTMLSelectElement} */ (h('select', { class: 'compact', 'aria-label': `Reject reason for return ${ret.returnId}`, hidden: true }));
  const reject = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn danger', 'data-action': 'reject' }, 'Reject…'));
  approve.hidden = !item.canApprove;
  reject.hidden = !item.canReject;
  approve.addEventListener('click', () => send(approve, status, () => ActionsApi.approveReturn(item.orderId, ret.returnId), 'Approval sent to TikTok.'));
  reject.addEventListener('click', async () => {
    if (select.hidden) {
      select.hidden = false;
      select.replaceChildren(h('option', { value: '', text: 'Loading TikTok\u2019s reasons…' }));
      try {
        const reasons = await ActionsApi.returnRejectReasons(item.orderId);
        select.replaceChildren(h('option', { value: '', text: 'Choose a reason' }), ...reasons.reasons.map((r) => h('option', { value: r.reason, text: r.label })));
        reject.textContent = 'Reject';
        select.focus();
      } catch (error) {
        status.textContent = explain(error);
      }
      return;
    }
    if (!select.value) {
      status.textContent = 'Choose one of TikTok\u2019s reasons to reject.';
      select.focus();
      return;
    }
    await send(reject, status, () => ActionsApi.rejectReturn(item.orderId, ret.returnId, select.value), 'Rejection sent to TikTok.');
  });
  return h('div', { class: 'action-row' }, approve, select, reject, status);
}

/**
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status
 * @param {() => Promise<{ status: string, message: string }>} action
 * @param {string} started
 */
async function send(button, status, action, started) {
  button.disabled = true;
  try {
    const result = await action();
    const message = result.status === 'queued' ? started : result.message;
    status.textContent = message;
    toast(message);
    announce(message);
    await sleep(1500);
    await load();
  } catch (error) {
    button.disabled = false;
    status.textContent = explain(error);
  }
}
