// The Orders view: status tabs with counts, search, "More filters", the grid with expandable lines, paging,
// Fetch Order with live progress, and retry (one, selected, all) on the Failed tab.
import { Api, ApiError } from './api.js';
import { $, $$, announce, clear, debounce, h, hideBanner, showBanner, sleep, toast } from './dom.js';
import {
  STATUSES, dayStartInZone, failureHelp, formatDateTime, formatMoney, isSkuFailure, isoOf, plural, safeUrl, shortId,
  statusLabel, timeZone,
} from './format.js';
import { initDetail, openDetail } from './detail.js';

const PAGE_SIZE = 25;
const POLL_MS = 1500;
const EMPTY_FILTERS = { logisticMode: '', fulfilledBy: '', createdFrom: '', createdTo: '', customer: '', product: '', productId: '' };

const state = {
  status: 'ALL',
  q: '',
  filters: { ...EMPTY_FILTERS },
  items: [],
  continuation: null,
  counts: {},
  all: 0,
  loaded: false,
  expanded: new Set(),
  selected: new Set(),
  known: new Set(),
  fresh: new Set(),
  controller: null,
  userLoading: false,
  watchToken: 0,
  watching: false,
};

let app = null;
let visible = false;

export function init(appRef) {
  app = appRef;
  initDetail({ changed: () => watch({ label: 'retry' }), closed: (orderId) => focusRow(orderId) });
  buildTabs();

  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setSearch($('#search-input').value);
  });
  const typed = debounce(() => setSearch($('#search-input').value), 400);
  $('#search-input').addEventListener('input', typed);
  $('#search-input').addEventListener('search', () => setSearch($('#search-input').value));

  $('#filters-toggle').addEventListener('click', () => toggleFilters());
  $('#filters-panel').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  $('#filters-reset').addEventListener('click', () => {
    state.filters = { ...EMPTY_FILTERS };
    fillFilterForm();
    clearFilterErrors();
    afterQueryChange();
    announce('Filters cleared.');
  });
  $('#filters-panel').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      toggleFilters(false);
    }
  });

  $('#load-more').addEventListener('click', () => load({ append: true }));
  $('#fetch-button').addEventListener('click', () => fetchOrders());
  $('#retry-selected').addEventListener('click', () => retrySelected());
  $('#retry-all').addEventListener('click', () => retryAllFailed());

  // New orders arrive by webhook too: keep the counts (and the top of the grid) current while the page is open.
  setInterval(() => {
    if (visible && !state.watching && document.visibilityState === 'visible' && app.shop) backgroundRefresh();
  }, 30_000);
}

export async function show(params) {
  visible = true;
  if (params.size > 0) readParams(params);
  else writeParams();
  $('#orders-tz').textContent = `Times in ${timeZone()}`;
  fillFilterForm();
  $('#search-input').value = state.q;
  updateTabs();
  if (!app.shop) {
    renderEmpty('The shop could not be loaded; see the message above.');
    return;
  }
  await Promise.all([loadSummary(), load()]);
}

export function hide() {
  visible = false;
}

// ---- query state -------------------------------------------------------------------------------------------------

function readParams(params) {
  const status = (params.get('status') ?? 'ALL').toUpperCase();
  state.status = STATUSES.some((s) => s.code === status) ? status : 'ALL';
  state.q = params.get('q') ?? '';
  state.filters = { ...EMPTY_FILTERS };
  for (const key of Object.keys(EMPTY_FILTERS)) state.filters[key] = params.get(key) ?? '';
}

/** Keeps the address in step with the tab and filters, so a reload or a bookmark shows the same list. */
function writeParams() {
  const params = new URLSearchParams();
  if (state.status !== 'ALL') params.set('status', state.status);
  if (state.q) params.set('q', state.q);
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value);
  const text = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/orders${text ? `?${text}` : ''}`);
}

function apiQuery() {
  const f = state.filters;
  return {
    status: state.status === 'ALL' ? '' : state.status,
    q: state.q,
    logisticMode: f.logisticMode,
    fulfilledBy: f.fulfilledBy,
    customer: f.customer,
    product: f.product,
    productId: f.productId,
    createdFrom: f.createdFrom ? dayStartInZone(f.createdFrom) : '',
    createdTo: f.createdTo ? dayStartInZone(f.createdTo, 1) : '',
  };
}

const activeFilterCount = () => Object.values(state.filters).filter(Boolean).length;

function afterQueryChange() {
  state.selected.clear();
  state.fresh.clear();
  state.expanded.clear();
  writeParams();
  updateFilterButton();
  load();
}

function setSearch(text) {
  const q = text.trim();
  if (q === state.q) return;
  state.q = q;
  afterQueryChange();
}

// ---- tabs --------------------------------------------------------------------------------------------------------

function buildTabs() {
  const list = $('#status-tabs');
  for (const status of STATUSES) {
    list.append(h('button', {
      type: 'button', role: 'tab', id: `tab-${status.code}`, 'aria-controls': 'orders-panel', 'aria-selected': 'false',
      tabindex: '-1', 'data-status': status.code, class: `tab status-${status.code.toLowerCase()}`,
      onclick: () => selectStatus(status.code),
    }, h('span', { class: 'tab-label', text: status.label }), ' ', h('span', { class: 'count', text: '' })));
  }
  list.addEventListener('keydown', (event) => {
    const tabs = $$('[role=tab]', list).filter((t) => !t.hidden);
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    let next = -1;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    tabs[next].focus();
    selectStatus(tabs[next].dataset.status);
  });
}

function updateTabs() {
  for (const tab of $$('#status-tabs [role=tab]')) {
    const code = tab.dataset.status;
    const status = STATUSES.find((s) => s.code === code);
    const count = code === 'ALL' ? state.all : state.counts[code] ?? 0;
    const selected = code === state.status;
    tab.hidden = Boolean(status.optional) && !count && !selected;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $('.count', tab).textContent = state.loaded || count ? String(count) : '';
    tab.classList.toggle('has-items', count > 0);
  }
  $('#orders-panel').setAttribute('aria-labelledby', `tab-${state.status}`);
  $('#bulk-bar').hidden = state.status !== 'FAILED';
  updateBulk();
}

function selectStatus(code) {
  if (code === state.status) return;
  state.status = code;
  updateTabs();
  afterQueryChange();
}

// ---- filters -----------------------------------------------------------------------------------------------------

const filterInputs = () => ({
  logisticMode: $('#f-logistic'), fulfilledBy: $('#f-fulfilled'), createdFrom: $('#f-from'), createdTo: $('#f-to'),
  customer: $('#f-customer'), product: $('#f-product'), productId: $('#f-product-id'),
});

function fillFilterForm() {
  for (const [key, input] of Object.entries(filterInputs())) input.value = state.filters[key] ?? '';
  updateFilterButton();
}

function updateFilterButton() {
  const count = activeFilterCount();
  const pill = $('#filters-count');
  pill.hidden = count === 0;
  pill.textContent = count ? `${count} active` : '';
}

function toggleFilters(open) {
  const panel = $('#filters-panel');
  const show = open ?? panel.hidden;
  panel.hidden = !show;
  $('#filters-toggle').setAttribute('aria-expanded', String(show));
  if (show) $('#f-logistic').focus();
  else $('#filters-toggle').focus();
}

function clearFilterErrors() {
  for (const id of ['f-from', 'f-to']) {
    $(`#${id}`).removeAttribute('aria-invalid');
    $(`#${id}-error`).hidden = true;
  }
}

function applyFilters() {
  clearFilterErrors();
  const next = {};
  for (const [key, input] of Object.entries(filterInputs())) next[key] = input.value.trim();
  if (next.createdFrom && next.createdTo && next.createdTo < next.createdFrom) {
    const input = $('#f-to');
    input.setAttribute('aria-invalid', 'true');
    const error = $('#f-to-error');
    error.textContent = 'Must be on or after "Created from".';
    error.hidden = false;
    input.focus();
    return;
  }
  state.filters = next;
  afterQueryChange();
  const count = activeFilterCount();
  announce(count ? `${plural(count, 'filter')} applied.` : 'No filter applied.');
}

// ---- loading -----------------------------------------------------------------------------------------------------

async function loadSummary() {
  try {
    const summary = await Api.summary();
    state.counts = summary.counts ?? {};
    state.all = summary.all ?? 0;
    state.loaded = true;
    updateTabs();
  } catch (error) {
    reportError('Could not load the order counts.', error);
  }
}

/** Loads the grid: a new query, the next page (append) or the pages already shown again (refresh, keeps focus). */
async function load({ append = false, refresh = false } = {}) {
  // A background refresh never cancels what the merchant asked for (a new tab, a search, the next page).
  if (refresh && state.userLoading) return 0;
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  state.userLoading = !refresh;
  const pageSize = refresh ? Math.min(200, Math.max(PAGE_SIZE, state.items.length)) : PAGE_SIZE;
  const params = { ...apiQuery(), pageSize, continuation: append ? state.continuation : '' };
  if (!refresh) setBusy(true, append);
  try {
    const page = await Api.orders(params, controller.signal);
    if (controller !== state.controller) return;
    hideBanner('orders-error');
    const incoming = page.items ?? [];
    let fresh = [];
    if (append) {
      const have = new Set(state.items.map((o) => o.orderId));
      state.items.push(...incoming.filter((o) => !have.has(o.orderId)));
    } else {
      if (refresh) fresh = incoming.filter((o) => !state.known.has(o.orderId)).map((o) => o.orderId);
      state.items = incoming;
    }
    for (const order of incoming) state.known.add(order.orderId);
    state.continuation = page.continuation ?? null;
    for (const id of fresh) state.fresh.add(id);
    renderGrid();
    if (append) announce(`${plural(incoming.length, 'more order')} loaded.`);
    return fresh.length;
  } catch (error) {
    if (error?.name === 'AbortError') return 0;
    reportError('Could not load the orders.', error);
    return 0;
  } finally {
    if (controller === state.controller) {
      setBusy(false);
      state.userLoading = false;
    }
  }
}

async function refresh() {
  await Promise.all([loadSummary(), load({ refresh: true })]);
}

async function backgroundRefresh() {
  const before = JSON.stringify([state.all, state.counts]);
  await loadSummary();
  if (JSON.stringify([state.all, state.counts]) !== before) {
    const added = await load({ refresh: true });
    if (added) announce(`${plural(added, 'new order')} in this list.`);
  }
}

function setBusy(busy, append = false) {
  $('#orders-grid').setAttribute('aria-busy', String(busy));
  $('#orders-panel').classList.toggle('is-loading', busy && !append);
  const more = $('#load-more');
  more.disabled = busy && append;
  more.textContent = busy && append ? 'Loading…' : 'Load more orders';
}

function reportError(title, error) {
  const detail = error instanceof ApiError ? error.explanation : String(error?.message ?? error);
  showBanner('orders-error', title, detail, 'error',
    [h('button', { class: 'btn small', type: 'button', onclick: () => { hideBanner('orders-error'); refresh(); } }, 'Try again')]);
}

// ---- grid --------------------------------------------------------------------------------------------------------

function columns() {
  const failed = state.status === 'FAILED';
  return [
    failed && { key: 'select', label: '' },
    { key: 'order', label: 'TikTok order' },
    { key: 'store', label: 'Store order' },
    { key: 'customer', label: 'Customer' },
    { key: 'created', label: 'Created' },
    { key: 'status', label: 'Status' },
    { key: 'total', label: 'Total', num: true },
    { key: 'qty', label: 'Qty', num: true },
    { key: 'fulfilled', label: 'Fulfilled by' },
    failed && { key: 'reason', label: 'Reason and actions' },
  ].filter(Boolean);
}

const domId = (prefix, orderId) => `${prefix}-${String(orderId).replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Which control had focus (data-focus), so re-rendering the grid does not throw the keyboard user out. */
function focusKey() {
  const active = document.activeElement;
  return active?.closest?.('#orders-grid') ? active.dataset.focus ?? null : null;
}

function renderGrid() {
  const focused = focusKey();
  const cols = columns();
  const head = clear($('#grid-head'));
  for (const col of cols) {
    if (col.key === 'select') {
      const all = h('input', {
        type: 'checkbox', id: 'select-all', 'aria-label': 'Select all failed orders shown', 'data-focus': 'select-all',
        onchange: (event) => {
          for (const order of state.items) {
            if (event.target.checked) state.selected.add(order.orderId);
            else state.selected.delete(order.orderId);
          }
          for (const box of $$('#grid-body input.row-select')) box.checked = event.target.checked;
          updateBulk();
        },
      });
      head.append(h('th', { scope: 'col', class: 'col-select' }, all));
    } else {
      head.append(h('th', { scope: 'col', class: `col-${col.key}${col.num ? ' num' : ''}`, text: col.label }));
    }
  }

  const body = clear($('#grid-body'));
  for (const order of state.items) {
    body.append(row(order, cols, state.fresh.has(order.orderId)));
    if (state.expanded.has(order.orderId)) body.append(linesRow(order, cols.length));
  }

  $('#orders-grid').hidden = state.items.length === 0;
  if (state.items.length === 0) renderEmpty(emptyText());
  else $('#grid-empty').hidden = true;

  const more = $('#load-more');
  more.hidden = !state.continuation;
  const total = state.status === 'ALL' ? state.all : state.counts[state.status];
  const filtered = state.q || activeFilterCount() > 0;
  $('#grid-shown').textContent = state.items.length === 0 ? '' : filtered || total === undefined
    ? `Showing ${plural(state.items.length, 'order')}${state.continuation ? '; more match' : ''}.`
    : `Showing ${state.items.length} of ${plural(total, 'order')}.`;

  // Rows the user cannot see any more must not stay selected.
  const shown = new Set(state.items.map((o) => o.orderId));
  for (const id of [...state.selected]) if (!shown.has(id)) state.selected.delete(id);
  updateBulk();

  if (focused) $(`#orders-grid [data-focus="${CSS.escape(focused)}"]`)?.focus();
}

function emptyText() {
  if (state.q || activeFilterCount() > 0) return 'No orders match this search and these filters.';
  if (state.status === 'ALL') return 'No orders yet. Press "Fetch Order" to import your TikTok Shop orders.';
  if (state.status === 'FAILED') return 'No failed orders: every order reached your store or is waiting for TikTok.';
  return `No orders in "${statusLabel(state.status)}".`;
}

function renderEmpty(text) {
  const empty = $('#grid-empty');
  clear(empty).append(h('span', { text }));
  if (state.q || activeFilterCount() > 0) {
    empty.append(' ', h('button', {
      class: 'btn small', type: 'button',
      onclick: () => {
        state.q = '';
        $('#search-input').value = '';
        state.filters = { ...EMPTY_FILTERS };
        fillFilterForm();
        afterQueryChange();
        $('#search-input').focus();
      },
    }, 'Clear search and filters'));
  }
  empty.hidden = false;
  $('#orders-grid').hidden = true;
  $('#load-more').hidden = true;
  $('#grid-shown').textContent = '';
}

export function statusBadge(order) {
  return h('span', { class: `badge status-${String(order.status).toLowerCase()}`, text: order.statusLabel || statusLabel(order.status) });
}

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
  const text = {
    Waiting: 'Waiting for TikTok',
    Importing: 'Importing…',
    Skipped: 'Not imported',
    Failed: 'Not imported',
  }[order.importState] ?? '—';
  return h('span', { class: 'muted', title: order.importState === 'Skipped' ? order.failureReason ?? '' : null, text });
}

function row(order, cols, isNew) {
  const tr = h('tr', { 'data-order-id': order.orderId, class: isNew ? 'is-new' : null });
  const linesId = domId('lines', order.orderId);
  for (const col of cols) {
    const td = h('td', { class: `col-${col.key}${col.num ? ' num' : ''}`, 'data-label': col.label || null });
    switch (col.key) {
      case 'select':
        td.append(h('input', {
          type: 'checkbox', class: 'row-select', checked: state.selected.has(order.orderId),
          'aria-label': `Select order ${order.orderId}`, 'data-focus': `${order.orderId}|select`,
          onchange: (event) => {
            if (event.target.checked) state.selected.add(order.orderId);
            else state.selected.delete(order.orderId);
            updateBulk();
          },
        }));
        break;
      case 'order':
        td.append(h('button', {
          type: 'button', class: 'link mono', 'aria-haspopup': 'dialog', 'data-focus': `${order.orderId}|open`,
          'aria-label': `Order ${order.orderId}, show details`,
          onclick: (event) => openDetail(order.orderId, event.currentTarget),
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
        if (order.importState === 'Failed' && state.status !== 'FAILED') {
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
          const open = state.expanded.has(order.orderId);
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
        const actions = h('span', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'btn small', 'data-focus': `${order.orderId}|retry`,
            'aria-label': `Retry order ${order.orderId}`, onclick: (event) => retryOne(order.orderId, event.currentTarget),
          }, 'Retry'),
          isSkuFailure(order.failureCode) ? h('button', {
            type: 'button', class: 'btn small', 'aria-haspopup': 'dialog', 'data-focus': `${order.orderId}|map`,
            'aria-label': `Map SKU of order ${order.orderId}`,
            onclick: (event) => openDetail(order.orderId, event.currentTarget, { focus: 'map' }),
          }, 'Map SKU') : null);
        td.append(actions);
        break;
      }
      default:
        break;
    }
    tr.append(td);
  }
  return tr;
}

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
    h('tbody', null, order.lines.map((line) => h('tr', null,
      h('td', { 'data-label': 'Product' }, line.productName || '—', line.skuName ? h('span', { class: 'sub', text: line.skuName }) : null),
      h('td', { 'data-label': 'Seller SKU', class: 'mono' }, line.sellerSku || h('span', { class: 'danger', text: 'none' })),
      h('td', { 'data-label': 'TikTok product id', class: 'mono' }, line.productId || '—'),
      h('td', { 'data-label': 'Qty', class: 'num', text: String(line.quantity) }),
      h('td', { 'data-label': 'Unit price', class: 'num', text: formatMoney(line.unitPrice, line.currency || order.currency) }),
      h('td', { 'data-label': 'Line total', class: 'num', text: formatMoney(line.unitPrice * line.quantity, line.currency || order.currency) })))));
  return h('tr', { class: 'lines-row', id: domId('lines', order.orderId) }, h('td', { colspan: String(span) }, table));
}

/** Focus back on an order's row after its dialog closes (the row may have been re-rendered meanwhile). */
function focusRow(orderId) {
  const button = $(`#orders-grid [data-focus="${CSS.escape(`${orderId}|open`)}"]`);
  if (button) button.focus();
  else $('#orders-panel').focus();
}

function toggleLines(order) {
  if (state.expanded.has(order.orderId)) state.expanded.delete(order.orderId);
  else state.expanded.add(order.orderId);
  renderGrid();
}

// ---- bulk retry --------------------------------------------------------------------------------------------------

function updateBulk() {
  const n = state.selected.size;
  $('#bulk-count').textContent = n ? `${plural(n, 'order')} selected` : 'No order selected';
  $('#retry-selected').disabled = n === 0;
  $('#retry-selected').textContent = n ? `Retry selected (${n})` : 'Retry selected';
  const failed = state.counts.FAILED ?? 0;
  $('#retry-all').disabled = failed === 0;
  const all = $('#select-all');
  if (all) {
    all.checked = n > 0 && n === state.items.length;
    all.indeterminate = n > 0 && n < state.items.length;
  }
}

async function retryOne(orderId, button) {
  button.disabled = true;
  try {
    await Api.retry(orderId);
    toast(`Order ${orderId} queued for retry.`);
    watch({ label: 'retry' });
  } catch (error) {
    reportError(`Could not retry order ${orderId}.`, error);
    button.disabled = false;
  }
}

async function retrySelected() {
  const ids = [...state.selected];
  if (!ids.length) return;
  try {
    const result = await Api.retryMany({ orderIds: ids });
    state.selected.clear();
    updateBulk();
    toast(`${plural(result?.retriedOrders ?? ids.length, 'order')} queued for retry.`);
    watch({ label: 'retry' });
  } catch (error) {
    reportError('Could not retry the selected orders.', error);
  }
}

async function retryAllFailed() {
  try {
    const result = await Api.retryMany({ allFailed: true });
    state.selected.clear();
    updateBulk();
    toast(`${plural(result?.retriedOrders ?? 0, 'failed order')} queued for retry.`);
    watch({ label: 'retry' });
  } catch (error) {
    reportError('Could not retry the failed orders.', error);
  }
}

// ---- Fetch Order and live progress -------------------------------------------------------------------------------

function fetchStatus(text, busy, action = null) {
  const el = $('#fetch-status');
  el.hidden = !text;
  el.textContent = text ?? '';
  if (action) el.append(' ', action);
  el.classList.toggle('busy', Boolean(busy));
}

async function fetchOrders() {
  const button = $('#fetch-button');
  if (button.getAttribute('aria-disabled') === 'true') return;
  const windowSeconds = Number($('#fetch-since').value || 0);
  const since = windowSeconds ? Math.floor(Date.now() / 1000) - windowSeconds : undefined;
  button.setAttribute('aria-disabled', 'true');
  button.classList.add('busy');
  fetchStatus('Asking TikTok Shop for orders…', true);
  try {
    const started = await Api.fetch(since);
    fetchStatus(started?.message ?? 'Fetching orders from TikTok Shop…', true);
    await watch({ label: 'fetch', runId: started?.runId });
  } catch (error) {
    fetchStatus('');
    reportError('Fetch Order did not start.', error);
  } finally {
    button.removeAttribute('aria-disabled');
    button.classList.remove('busy');
  }
}

/**
 * After Fetch Order or a retry: re-reads the counts and the grid every 1.5 s, so new and fixed orders appear without
 * a reload. A fetch is watched until its run has finished and nothing changed for a few polls; a retry until quiet.
 */
async function watch({ label, runId = null, seconds = 120 }) {
  const token = ++state.watchToken;
  state.watching = true;
  if (label === 'fetch') state.fresh.clear();
  const startAll = state.all;
  const startFailed = state.counts.FAILED ?? 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let finished = runId ? null : 'done';
  let quiet = 0;
  let last = '';
  try {
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      if (token !== state.watchToken) return;
      await Promise.all([loadSummary(), load({ refresh: true })]);
      if (runId && !finished) {
        const activity = await Api.activity(100).catch(() => []);
        const done = activity.find((a) => a.kind === 'fetch' && a.message.includes(runId) && /finished/i.test(a.message));
        if (done) finished = done.message;
      }
      const soFar = plural(Math.max(0, state.all - startAll), 'new order');
      if (label === 'fetch') {
        fetchStatus(finished ? `Importing… ${soFar} so far.` : `Fetching orders from TikTok Shop… ${soFar} so far.`, true);
      }
      const signature = JSON.stringify([state.counts,
        state.items.map((o) => `${o.orderId}|${o.importState}|${o.storeOrderId ?? ''}|${o.status}`)]);
      const pending = state.items.some((o) => o.importState === 'Importing');
      if (finished && !pending && signature === last) quiet += 1;
      else quiet = 0;
      last = signature;
      // A retry waits for its orders to leave the Failed tab (or 15 s of nothing happening) before it stops watching.
      const settled = label !== 'retry' || (state.counts.FAILED ?? 0) !== startFailed || Date.now() - started > 15_000;
      if (quiet >= 3 && settled) break;
    }
  } finally {
    if (token === state.watchToken) state.watching = false;
  }
  if (token !== state.watchToken) return;
  const added = Math.max(0, state.all - startAll);
  if (label === 'fetch') {
    const failed = state.counts.FAILED ?? 0;
    const summary = `Fetch complete: ${plural(added, 'new order')}${failed ? `; ${plural(failed, 'order')} ${failed === 1 ? 'needs' : 'need'} attention` : ''}.`;
    const show = failed && state.status !== 'FAILED'
      ? h('button', { type: 'button', class: 'btn small', onclick: () => { selectStatus('FAILED'); $('#tab-FAILED').focus(); } }, 'Show failed orders')
      : null;
    fetchStatus(summary, false, show);
    announce(summary);
  } else {
    const failed = state.counts.FAILED ?? 0;
    const fixed = Math.max(0, startFailed - failed);
    announce(`Retry finished: ${plural(fixed, 'order')} imported${failed ? `, ${plural(failed, 'order')} still failed` : ''}.`);
  }
}
