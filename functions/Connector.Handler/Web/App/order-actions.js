// @ts-check
// Order actions in the order dialog (issue 13): cancel the order with a reason TikTok takes for its status and market (after a
// confirmation), and answer a buyer's cancellation request (Approve, or Reject with one of TikTok's reasons). Each press
// queues one action (202); a repeated press does nothing twice. The dialog then re-reads the order until the outcome shows.
import { api, ApiError, explain, query, shopId } from './api.js';
import { $, $as, h, sleep, toast, announce } from './dom.js';
import { marks } from './orders-model.js';
import { formatDateTime, isoOf } from './format.js';

/** @typedef {import('./api.js').Order} Order */
/** @typedef {{ cancelId: string, status?: string, reason?: string, deadline?: string, pending: boolean }} CancellationRequest */
/** @typedef {{ returnId: string, type?: string, status?: string, statusLabel: string, reason?: string, deadline?: string, refundTotal?: string, currency?: string, skus: string[], returnTrackingNumber?: string }} ReturnSummary */
/** @typedef {{ reason: string, key: string, label: string }} CancelReason */
/** @typedef {{ orderId: string, status: string, reasons: CancelReason[], refusal?: string }} CancelReasons */
/** @typedef {{ orderId: string, cancelId: string, reasons: { reason: string, label: string }[] }} RejectReasons */
/** @typedef {{ orderId: string, shopId: string, action: string, status: string, message: string }} ActionStarted */
/** @typedef {{ shopId: string, queued: string[], refused: { orderId: string, reason: string }[], message: string }} CancelManyStarted */

const enc = encodeURIComponent;

export const ActionsApi = {
  /** @param {string} orderId @returns {Promise<CancelReasons>} */
  cancelReasons: (orderId) => api(`/api/orders/${enc(orderId)}/cancel-reasons${query({ shopId })}`),
  /** @param {string} orderId @param {string} reason @returns {Promise<ActionStarted>} */
  cancel: (orderId, reason) => api(`/api/orders/${enc(orderId)}/cancel${query({ shopId })}`, { method: 'POST', body: { reason } }),
  /** @param {string[]} orderIds @param {string} reason @returns {Promise<CancelManyStarted>} */
  cancelMany: (orderIds, reason) => api(`/api/orders/cancel${query({ shopId })}`, { method: 'POST', body: { orderIds, reason } }),
  /** @param {string} orderId @returns {Promise<{ reasons: { reason: string, label: string }[] }>} */
  returnRejectReasons: (orderId) => api(`/api/orders/${enc(orderId)}/return/reject-reasons${query({ shopId })}`),
  /** @param {string} orderId @param {string} returnId @returns {Promise<ActionStarted>} */
  approveReturn: (orderId, returnId) =>
    api(`/api/orders/${enc(orderId)}/return/approve${query({ shopId })}`, { method: 'POST', body: { returnId } }),
  /** @param {string} orderId @param {string} returnId @param {string} reason @returns {Promise<ActionStarted>} */
  rejectReturn: (orderId, returnId, reason) =>
    api(`/api/orders/${enc(orderId)}/return/reject${query({ shopId })}`, { method: 'POST', body: { returnId, reason } }),
  /** @param {string} orderId @returns {Promise<RejectReasons>} */
  rejectReasons: (orderId) => api(`/api/orders/${enc(orderId)}/cancellation/reject-reasons${query({ shopId })}`),
  /** @param {string} orderId @param {string} cancelId @returns {Promise<ActionStarted>} */
  approve: (orderId, cancelId) =>
    api(`/api/orders/${enc(orderId)}/cancellation/approve${query({ shopId })}`, { method: 'POST', body: { cancelId } }),
  /** @param {string} orderId @param {string} cancelId @param {string} reason @param {string} comment @returns {Promise<ActionStarted>} */
  reject: (orderId, cancelId, reason, comment) =>
    api(`/api/orders/${enc(orderId)}/cancellation/reject${query({ shopId })}`,
      { method: 'POST', body: comment ? { cancelId, reason, comment } : { cancelId, reason } }),
};

/** Statuses in which TikTok lets a seller cancel (reference §6.2); the server decides, this only offers the button. */
const CANCELLABLE = new Set(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT']);

/**
 * The order's actions section, or null when there is nothing to act on.
 * @param {Order & { return?: ReturnSummary }} order
 * @param {() => Promise<void>} reload  re-reads and re-renders the dialog
 */
export function actionsSection(order, reload) {
  const request = order.cancellationRequest;
  const parts = [];
  if (order.actionIssue) {
    parts.push(h('div', { class: 'notice warning', role: 'alert' }, h('strong', { text: 'Not done. ' }), order.actionIssue));
  }
  if (order.return) parts.push(returnBox(order, order.return, reload));
  if (request?.pending) parts.push(requestBox(order, request, reload));
  else if (CANCELLABLE.has(order.tiktokStatus ?? order.status) && !order.cancellationSentToTikTokAt) parts.push(cancelBox(order, reload));
  if (!parts.length) return null;
  return h('section', { class: 'detail-section order-actions', 'aria-labelledby': 'd-actions' },
    h('h3', { id: 'd-actions', text: 'Actions' }), parts);
}

/**
 * The latest return or refund request; Approve / Reject (with one of TikTok's reasons) while it waits for the seller.
 * @param {Order} order
 * @param {ReturnSummary} ret
 * @param {() => Promise<void>} reload
 */
function returnBox(order, ret, reload) {
  const open = ['RETURN_OR_REFUND_REQUEST_PENDING', 'AWAITING_BUYER_SHIP', 'BUYER_SHIPPED_ITEM'].includes(ret.status ?? '');
  const answerable = ret.status === 'BUYER_SHIPPED_ITEM'
    || (ret.status === 'RETURN_OR_REFUND_REQUEST_PENDING' && ['REFUND', 'RETURN_AND_REFUND'].includes(ret.type ?? ''));
  /** @type {HTMLElement | null} */
  let answer = null;
  if (answerable) {
    const status = h('p', { class: 'small', role: 'status' });
    const select = /** @type {HTMLSelectElement} */ (h('select', { id: 'return-reject-reason' }, h('option', { value: '', text: 'Loading TikTok\u2019s reasons…' })));
    ActionsApi.returnRejectReasons(order.orderId)
      .then((r) => select.replaceChildren(h('option', { value: '', text: 'Choose a reason' }), ...r.reasons.map((x) => h('option', { value: x.reason, text: x.label }))))
      .catch((e) => { status.textContent = explain(e); });
    const approve = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn primary', id: 'approve-return' },
      ret.status === 'BUYER_SHIPPED_ITEM' ? 'Approve: item received' : `Approve ${ret.type === 'REFUND' ? 'refund' : 'return'}`));
    const reject = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn danger', id: 'reject-return' }, 'Reject'));
    approve.addEventListener('click', () => run(approve, status, reload, () => ActionsApi.approveReturn(order.orderId, ret.returnId), 'Approval sent to TikTok.'));
    reject.addEventListener('click', () => {
      if (!select.value) {
        status.textContent = 'Choose one of TikTok\u2019s reasons to reject.';
        select.focus();
        return;
      }
      void run(reject, status, reload, () => ActionsApi.rejectReturn(order.orderId, ret.returnId, select.value), 'Rejection sent to TikTok.');
    });
    answer = h('div', null,
      h('div', { class: 'action-row' }, approve),
      h('div', { class: 'field' }, h('label', { for: 'return-reject-reason', text: 'Reject reason' }), select),
      h('div', { class: 'action-row' }, reject),
      status);
  }
  return h('div', { class: `notice ${open ? 'warning' : 'info'} return-request`, id: 'return-request' },
    h('strong', { text: `${ret.type === 'REFUND' ? 'Refund' : 'Return'} request: ${ret.statusLabel}. ` }),
    ret.skus.length ? h('span', { text: `Items: ${ret.skus.join(', ')}. ` }) : null,
    ret.refundTotal ? h('span', { text: `Refund ${ret.refundTotal} ${ret.currency ?? ''}. ` }) : null,
    ret.reason ? h('span', { text: `Reason: ${ret.reason}. ` }) : null,
    open && ret.deadline
      ? h('span', null, 'Answer by ', h('time', { datetime: isoOf(ret.deadline), text: formatDateTime(ret.deadline) }), ', or TikTok approves it.')
      : null,
    answer);
}

/**
 * @param {Order} order
 * @param {CancellationRequest} request
 * @param {() => Promise<void>} reload
 */
function requestBox(order, request, reload) {
  const status = h('p', { class: 'small', role: 'status' });
  const select = /** @type {HTMLSelectElement} */ (h('select', { id: 'reject-reason', 'aria-describedby': 'reject-reason-error' },
    h('option', { value: '', text: 'Loading TikTok\u2019s reasons…' })));
  const comment = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'reject-comment', maxlength: '500', rows: '2' }));
  const error = h('p', { class: 'field-error', id: 'reject-reason-error', hidden: true });
  const approve = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn primary', id: 'approve-cancellation' }, 'Approve cancellation'));
  const reject = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn danger', id: 'reject-cancellation' }, 'Reject'));
  let loaded = false;
  const loadReasons = async () => {
    if (loaded) return;
    loaded = true;
    try {
      const reasons = await ActionsApi.rejectReasons(order.orderId);
      select.replaceChildren(h('option', { value: '', text: 'Choose a reason' }),
        ...reasons.reasons.map((r) => h('option', { value: r.reason, text: r.label })));
    } catch (e) {
      loaded = false;
      select.replaceChildren(h('option', { value: '', text: 'Reasons not available' }));
      status.textContent = explain(e);
    }
  };
  select.addEventListener('focus', () => { void loadReasons(); });
  select.addEventListener('change', () => {
    if (!select.value) return;
    error.hidden = true;
    error.textContent = '';
    select.removeAttribute('aria-invalid');
  });
  void loadReasons();
  approve.addEventListener('click', () => run(approve, status, reload,
    () => ActionsApi.approve(order.orderId, request.cancelId), 'Approval sent to TikTok; the store order is cancelled when TikTok confirms.'));
  reject.addEventListener('click', () => {
    error.hidden = !!select.value;
    error.textContent = select.value ? '' : 'Choose one of TikTok\u2019s reasons to reject.';
    if (!select.value) {
      select.setAttribute('aria-invalid', 'true');
      select.focus();
      return;
    }
    select.removeAttribute('aria-invalid');
    void run(reject, status, reload, () => ActionsApi.reject(order.orderId, request.cancelId, select.value, comment.value.trim()),
      'Rejection sent to TikTok; the order goes on.');
  });
  return h('div', { class: 'notice info cancellation-request', id: 'cancellation-request' },
    h('strong', { text: 'The buyer asked to cancel. ' }),
    h('span', { text: request.reason ? `Reason: ${request.reason}. ` : '' }),
    request.deadline
      ? h('span', null, 'Answer by ', h('time', { datetime: isoOf(request.deadline), text: formatDateTime(request.deadline) }),
        ', or TikTok approves it.')
      : null,
    h('div', { class: 'action-row' }, approve),
    h('div', { class: 'field' }, h('label', { for: 'reject-reason', text: 'Reject reason' }), select, error),
    h('div', { class: 'field' }, h('label', { for: 'reject-comment', text: 'Comment for the buyer (optional)' }), comment),
    h('div', { class: 'action-row' }, reject),
    status);
}

/**
 * @param {Order} order
 * @param {() => Promise<void>} reload
 */
function cancelBox(order, reload) {
  const status = h('p', { class: 'small', role: 'status' });
  const start = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn danger', id: 'cancel-order' }, 'Cancel order…'));
  const form = h('div', { class: 'cancel-form', id: 'cancel-form', hidden: true });
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const reasons = await ActionsApi.cancelReasons(order.orderId);
      if (reasons.refusal) {
        status.textContent = reasons.refusal;
        return;
      }
      const select = /** @type {HTMLSelectElement} */ (h('select', { id: 'cancel-reason' },
        ...reasons.reasons.map((r) => h('option', { value: r.reason, text: r.label }))));
      const confirm = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'btn danger', id: 'confirm-cancel' }, 'Confirm cancellation'));
      const back = h('button', { type: 'button', class: 'btn', id: 'keep-order' }, 'Keep the order');
      back.addEventListener('click', () => { form.hidden = true; start.disabled = false; start.focus(); });
      confirm.addEventListener('click', () => run(confirm, status, reload, () => ActionsApi.cancel(order.orderId, select.value),
        'Cancellation sent to TikTok; the store order is cancelled (stock returned) when TikTok confirms.'));
      form.replaceChildren(
        h('p', { text: `Cancel order ${order.orderId} on TikTok Shop? The buyer is refunded and told the reason; your store order is cancelled with its stock returned. This cannot be undone.` }),
        h('div', { class: 'field' }, h('label', { for: 'cancel-reason', text: 'Reason' }), select),
        h('div', { class: 'action-row' }, confirm, back));
      form.hidden = false;
      select.focus();
    } catch (e) {
      status.textContent = explain(e);
      start.disabled = false;
    }
  });
  return h('div', { class: 'cancel-box' }, h('div', { class: 'action-row' }, start), form, status);
}

/**
 * Sends one action, then re-reads the order a few times so its outcome shows.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} status
 * @param {() => Promise<void>} reload
 * @param {() => Promise<ActionStarted>} send
 * @param {string} started
 */
async function run(button, status, reload, send, started) {
  button.disabled = true;
  try {
    const result = await send();
    const message = result.status === 'queued' ? started : result.message;
    status.textContent = message;
    toast(message);
    announce(message);
    await sleep(1500);
    await reload();
  } catch (e) {
    button.disabled = false;
    status.textContent = e instanceof ApiError ? e.explanation : String(e);
  }
}

/** Tabs whose orders a seller may cancel: the grid offers row selection and "Cancel selected" there. */
const CANCEL_TABS = new Set(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT']);

/** @param {string | null | undefined} status  the selected tab */
export const isCancelTab = (status) => CANCEL_TABS.has(status ?? '');

/** @param {number} selected  how many rows are selected */
export function updateBulkCancel(selected) {
  const button = $as('#cancel-selected', HTMLButtonElement);
  button.disabled = selected === 0;
  button.textContent = selected ? `Cancel selected (${selected})…` : 'Cancel selected…';
  if (selected === 0) $('#bulk-cancel').hidden = true;
}

/** @param {{ done: () => void }} callbacks  done: the cancellations were queued */
export function initBulkCancel(callbacks) {
  const box = $('#bulk-cancel');
  const note = $('#bulk-cancel-note');
  const confirm = $as('#bulk-cancel-confirm', HTMLButtonElement);
  $('#cancel-selected').addEventListener('click', () => {
    note.textContent = `Cancel ${marks.selected.size} order(s) on TikTok Shop? Buyers are refunded; store orders are cancelled with their stock returned.`;
    box.hidden = false;
    $('#bulk-cancel-reason').focus();
  });
  $('#bulk-cancel-keep').addEventListener('click', () => {
    box.hidden = true;
    $('#cancel-selected').focus();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      const result = await ActionsApi.cancelMany([...marks.selected], $as('#bulk-cancel-reason', HTMLSelectElement).value);
      const refused = result.refused.map((r) => `${r.orderId}: ${r.reason}`).join(' ');
      toast(refused ? `${result.message} ${refused}` : result.message, refused ? 'error' : 'ok');
      announce(result.message);
      box.hidden = true;
      callbacks.done();
    } catch (e) {
      note.textContent = explain(e);
    } finally {
      confirm.disabled = false;
    }
  });
}
