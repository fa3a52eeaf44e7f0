// @ts-check
// The order grid: one row per order (expandable lines), the Failed tab's selection and actions, the empty state and
// the "Showing n of m" line. Re-rendering keeps the keyboard focus on the same control.
import { $, $$, $maybe, clear, h, target } from './dom.js';
import { formatDateTime, formatMoney, isoOf, plural, safeUrl, shortId } from './format.js';
import { failureHelp, isSkuFailure, statusLabel } from './labels.js';
import { activeFilterCount, list, marks, query } from './orders-model.js';
import { openDetail } from './detail.js';
import { isCancelTab } from './order-actions.js';

/** @typedef {import('./api.js').Order} Order */
/** @typedef {{ key: string, label: string, num?: boolean }} Column */

/**
 * @typedef {object} GridActions
 * @property {(orderId: string, button: HTMLButtonElement) => void} retry
 * @property {() => void} selectionChanged
 * @property {() => void} clearQuery
 */

/** @type {GridActions} */
let actions = { retry: () => {}, selectionChanged: () => {}, clearQuery: () => {} };

/** @param {GridActions} gridActions */
export function initGrid(gridActions) {
  actions = gridActions;
}

/** @returns {Column[]} */
function columns() {
  const failed = query.status === 'FAILED';
  /** @type {(Column | false)[]} */
  const all = [
    (failed || isCancelTab(query.status)) && { key: 'select', label: '' },
    { key: 'order', label: 'TikTok order' },
    { key: 'store', label: 'Store order' },
    { key: 'customer', label: 'Customer' },
    { key: 'created', label: 'Created' },
    { key: 'status', label: 'Status' },
    { key: 'total', label: 'Total', num: true },
    { key: 'qty', label: 'Qty', num: true },
    { key: 'fulfilled', label: 'Fulfilled by' },
    failed && { key: 'reason', label: 'Reason and actions' },
  ];
  return all.filter((c) => c !== false);
}

/**
 * @param {string} prefix
 * @param {string} orderId
 */
const domId = (prefix, orderId) => `${prefix}-${String(orderId).replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Which control had focus (data-focus), so re-rendering the grid does not throw the keyboard user out. */
function focusKey() {
  const active = document.activeElement;
  return active instanceof HTMLElement && active.closest('#orders-grid') ? active.dataset.focus ?? null : null;
}

export function renderGrid() {
  const focused = focusKey();
  const cols = columns();
  const head = clear($('#grid-head'));
  for (const col of cols) {
    if (col.key === 'select') {
      const all = h('input', {
        type: 'checkbox', id: 'select-all', 'aria-label': 'Select all failed orders shown', 'data-focus': 'select-all',
        /** @param {Event} event */
        onchange: (event) => {
          const checked = target(event, HTMLInputElement).checked;
          for (const order of list.items) {
            if (checked) marks.selected.add(order.orderId);
            else marks.selected.delete(order.orderId);
          }
          for (const box of $$('#grid-body input.row-select')) /** @type {HTMLInputElement} */ (box).checked = checked;
          actions.selectionChanged();
        },
      });
      head.append(h('th', { scope: 'col', class: 'col-select' }, all));
    } else {
      head.append(h('th', { scope: 'col', class: `col-${col.key}${col.num ? ' num' : ''}`, text: col.label }));
    }
  }

  const body = clear($('#grid-body'));
  for (const order of list.items) {
    body.append(row(order, cols, marks.fresh.has(order.orderId)));
    if (marks.expanded.has(order.orderId)) body.append(linesRow(order, cols.length));
  }

  $('#orders-grid').hidden = list.items.length === 0;
  if (list.items.length === 0) renderEmpty(emptyText());
  else $('#grid-empty').hidden = true;

  $('#load-more').hidden = !list.continuation;
  // Until the counts have come (they load beside the grid), no total is claimed.
  const total = !list.loaded ? undefined : query.status === 'ALL' ? list.all : list.counts[query.status];
  const filtered = query.q || activeFilterCount() > 0;
  $('#grid-shown').textContent = list.items.length === 0 ? '' : filtered || total === undefined
    ? `Showing ${plural(list.items.length, 'order')}${list.continuation ? '; more match' : ''}.`
    : `Showing ${list.items.length} of ${plural(total, 'order')}.`;

  // Rows the user cannot see any more must not stay selected.
  const shown = new Set(list.items.map((o) => o.orderId));
  for (const id of [...marks.selected]) if (!shown.has(id)) marks.selected.delete(id);
  actions.selectionChanged();

  if (focused) $maybe(`#orders-grid [data-focus="${CSS.escape(focused)}"]`)?.focus();
}

function emptyText() {
  if (query.q || activeFilterCount() > 0) return 'No orders match this search and these filters.';
  if (query.status === 'ALL') return 'No orders yet. Press "Fetch Order" to import your TikTok Shop orders.';
  if (query.status === 'FAILED') return 'No failed orders: every order reached your store or is waiting for TikTok.';
  return `No orders in "${statusLabel(query.status)}".`;
}

/** @param {string} text */
export function renderEmpty(text) {
  const empty = $('#grid-empty');
  clear(empty).append(h('span', { text }));
  if (query.q || activeFilterCount() > 0) {
    empty.append(' ', h('button', { class: 'btn small', type: 'button', onclick: () => actions.clearQuery() }, 'Clear search and filters'));
  }
  empty.hidden = false;
  $('#orders-grid').hidden = true;
  $('#load-more').hidden = true;
  $('#grid-shown').textContent = '';
}

/** @param {Order} order */
export function statusBadge(order) {
  return h('span', { class: `badge status-${String(order.status).toLowerCase()}`, text: order.statusLabel || statusLabel(order.status) });
}

/** @param {Order} order */
function storeCell(order) {
  const url = safeUrl(order.storeOrderUrl);
  const name = order.storeOrderName || shortId(order.storeOrderId);
  if (order.storeOrderId && url) {
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'store-link', 'data-focus': `${order.orderId}|store` },
      name, h('span', { class: 'visually-hidden', text: ' (opens the order in your store, new tab)' }),
      h('span', { class: 'ext', 'aria-hidden': 'true', text: ' ↗' }));
  }
  if (order.storeOrderId) return h('span', { text: name });
  if (order.importState === 'Waiting' && order.holdUntil) {
    return h('span', { class: 'muted', text: `Held until ${formatDateTime(order.holdUntil)}` });
  }
  /** @type {Record<string, string>} */
  const words = { Waiting: 'Waiting for TikTok', Importing: 'Importing…', Skipped: 'Not imported', Failed: 'Not imported' };
  return h('span', { class: 'muted', title: order.importState === 'Skipped' ? order.failureReason ?? '' : null, text: words[order.importState] ?? '—' });
}

/**
 * @param {Order} order
 * @param {Column[]} cols
 * @param {boolean} isNew
 */
function row(order, cols, isNew) {
  const tr = h('tr', { 'data-order-id': order.orderId, class: isNew ? 'is-new' : null });
  const linesId = domId('lines', order.orderId);
  for (const col of cols) {
    const td = h('td', { class: `col-${col.key}${col.num ? ' num' : ''}`, 'data-label': col.label || null });
    switch (col.key) {
      case 'select':
        td.append(h('input', {
          type: 'checkbox', class: 'row-select', checked: marks.selected.has(order.orderId),
          'aria-label': `Select order ${order.orderId}`, 'data-focus': `${order.orderId}|select`,
          /** @param {Event} event */
          onchange: (event) => {
            if (target(event, HTMLInputElement).checked) marks.selected.add(order.orderId);
            else marks.selected.delete(order.orderId);
            actions.selectionChanged();
          },
        }));
        break;
      case 'order':
        td.append(h('button', {
          type: 'button', class: 'link mono', 'aria-haspopup': 'dialog', 'data-focus': `${order.orderId}|open`,
          'aria-label': `Order ${order.orderId}, show details`,
          /** @param {Event} event */
          onclick: (event) => openDetail(order.orderId, target(event, HTMLElement)),
        }, order.orderId));
        if (isNew) td.append(h('span', { class: 'new-tag', text: 'New' }));
        break;
      case 'store':
        td.append(storeCell(order));
        break;
      case 'customer':
        td.append(order.customerName || h('span', { class: 'muted', text: '—' }));
        break;
      case 'created':
        td.append(h('time', { datetime: isoOf(order.createdAt), text: formatDateTime(order.createdAt) }));
        break;
      case 'status':
        td.append(statusBadge(order));
        if (order.importState === 'Failed' && query.status !== 'FAILED') {
          td.append(h('span', { class: 'sub danger', text: failureHelp(order.failureCode).title }));
        }
        if (order.writeBackIssue) {
          td.append(h('span', { class: 'sub warning', title: order.writeBackIssue, text: 'Not sent to TikTok' }));
        }
        break;
      case 'total':
        td.append(formatMoney(order.price, order.currency));
        break;
      case 'qty':
        if (order.lines?.length) {
          const open = marks.expanded.has(order.orderId);
          td.append(h('button', {
            type: 'button', class: 'qty-toggle', 'aria-expanded': String(open), 'aria-controls': linesId,
            'aria-label': `${plural(order.quantity, 'item')}; ${open ? 'hide' : 'show'} the products of order ${order.orderId}`,
            'data-focus': `${order.orderId}|lines`,
            onclick: () => toggleLines(order),
          }, h('span', { class: 'chev', 'aria-hidden': 'true' }), String(order.quantity)));
        } else {
          td.append(String(order.quantity ?? 0));
        }
        break;
      case 'fulfilled':
        td.append(order.fulfilledBy || '—');
        if (order.logisticMode) td.append(h('span', { class: 'sub', text: order.logisticMode }));
        break;
      case 'reason': {
        const help = failureHelp(order.failureCode);
        td.append(h('strong', { class: 'reason-title', text: help.title }),
          h('span', { class: 'reason', text: order.failureReason || order.lastError || '' }));
        td.append(h('span', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'btn small', 'data-focus': `${order.orderId}|retry`,
            'aria-label': `Retry order ${order.orderId}`,
            /** @param {Event} event */
            onclick: (event) => actions.retry(order.orderId, target(event, HTMLButtonElement)),
          }, 'Retry'),
          isSkuFailure(order.failureCode) ? h('button', {
            type: 'button', class: 'btn small', 'aria-haspopup': 'dialog', 'data-focus': `${order.orderId}|map`,
            'aria-label': `Map SKU of order ${order.orderId}`,
            /** @param {Event} event */
            onclick: (event) => openDetail(order.orderId, target(event, HTMLElement), { focus: 'map' }),
          }, 'Map SKU') : null));
        break;
      }
      default:
        break;
    }
    tr.append(td);
  }
  return tr;
}

/**
 * @param {Order} order
 * @param {number} span
 */
function linesRow(order, span) {
  const table = h('table', { class: 'lines' },
    h('caption', { class: 'visually-hidden', text: `Products of order ${order.orderId}` }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'Product' }),
      h('th', { scope: 'col', text: 'Seller SKU' }),
      h('th', { scope: 'col', text: 'TikTok product id' }),
      h('th', { scope: 'col', class: 'num', text: 'Qty' }),
      h('th', { scope: 'col', class: 'num', text: 'Unit price' }),
      h('th', { scope: 'col', class: 'num', text: 'Line total' }))),
    h('tbody', null, (order.lines ?? []).map((line) => h('tr', null,
      h('td', { 'data-label': 'Product' }, line.productName || '—', line.skuName ? h('span', { class: 'sub', text: line.skuName }) : null),
      h('td', { 'data-label': 'Seller SKU', class: 'mono' }, line.sellerSku || h('span', { class: 'danger', text: 'none' })),
      h('td', { 'data-label': 'TikTok product id', class: 'mono' }, line.productId || '—'),
      h('td', { 'data-label': 'Qty', class: 'num', text: String(line.quantity) }),
      h('td', { 'data-label': 'Unit price', class: 'num', text: formatMoney(line.unitPrice, line.currency || order.currency) }),
      h('td', { 'data-label': 'Line total', class: 'num', text: formatMoney(line.unitPrice * line.quantity, line.currency || order.currency) })))));
  return h('tr', { class: 'lines-row', id: domId('lines', order.orderId) }, h('td', { colspan: String(span) }, table));
}

/**
 * Focus back on an order's row after its dialog closes (the row may have been re-rendered meanwhile).
 * @param {string} orderId
 */
export function focusRow(orderId) {
  const button = $maybe(`#orders-grid [data-focus="${CSS.escape(`${orderId}|open`)}"]`);
  if (button) button.focus();
  else $('#orders-panel').focus();
}

/** @param {Order} order */
function toggleLines(order) {
  if (marks.expanded.has(order.orderId)) marks.expanded.delete(order.orderId);
  else marks.expanded.add(order.orderId);
  renderGrid();
}

/** The Failed tab's "select all" box, when it is shown. */
export const selectAllBox = () => {
  const box = $maybe('#select-all');
  return box instanceof HTMLInputElement ? box : null;
};

