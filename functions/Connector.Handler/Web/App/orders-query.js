// @ts-check
// What the merchant asks the grid for: the search box, "More filters", and the page address that keeps them
// (a reload or a bookmark shows the same list).
import { $, $as, announce, debounce } from './dom.js';
import { dayStartInZone, plural } from './format.js';
import { statusTabs } from './labels.js';
import { activeFilterCount, emptyFilters, query } from './orders-model.js';

/** @typedef {import('./orders-model.js').Filters} Filters */
/** @typedef {keyof Filters} FilterKey */

/** @type {() => void} */
let changed = () => {};

/** @param {{ changed: () => void }} callbacks  after the query changed (reload the grid) */
export function initQuery(callbacks) {
  changed = callbacks.changed;
  const search = $as('#search-input', HTMLInputElement);
  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setSearch(search.value);
  });
  search.addEventListener('input', debounce(() => setSearch(search.value), 400));
  search.addEventListener('search', () => setSearch(search.value));

  $('#filters-toggle').addEventListener('click', () => toggleFilters());
  $('#filters-panel').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  $('#filters-reset').addEventListener('click', () => {
    query.filters = emptyFilters();
    fillFilterForm();
    clearFilterErrors();
    changed();
    announce('Filters cleared.');
  });
  $('#filters-panel').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      toggleFilters(false);
    }
  });
}

/** @param {URLSearchParams} params */
export function readParams(params) {
  const status = (params.get('status') ?? 'ALL').toUpperCase();
  query.status = statusTabs().some((s) => s.code === status) ? status : 'ALL';
  query.q = params.get('q') ?? '';
  query.filters = emptyFilters();
  for (const key of filterKeys()) query.filters[key] = params.get(key) ?? '';
}

/** Keeps the address in step with the tab and filters. */
export function writeParams() {
  const params = new URLSearchParams();
  if (query.status !== 'ALL') params.set('status', query.status);
  if (query.q) params.set('q', query.q);
  for (const [key, value] of Object.entries(query.filters)) if (value) params.set(key, value);
  const text = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/orders${text ? `?${text}` : ''}`);
}

/** The grid's query as GET /api/orders takes it (dates as Unix seconds of the shop's day boundaries). */
export function apiQuery() {
  const f = query.filters;
  return {
    status: query.status === 'ALL' ? '' : query.status,
    q: query.q,
    logisticMode: f.logisticMode,
    fulfilledBy: f.fulfilledBy,
    customer: f.customer,
    product: f.product,
    productId: f.productId,
    createdFrom: f.createdFrom ? dayStartInZone(f.createdFrom) : '',
    createdTo: f.createdTo ? dayStartInZone(f.createdTo, 1) : '',
  };
}

/** Puts the query into the search box and the filter form (after reading the address). */
export function fillQueryForm() {
  $as('#search-input', HTMLInputElement).value = query.q;
  fillFilterForm();
}

/** "Clear search and filters". */
export function clearQuery() {
  query.q = '';
  query.filters = emptyFilters();
  fillQueryForm();
  changed();
  $('#search-input').focus();
}

/** @param {string} text */
function setSearch(text) {
  const q = text.trim();
  if (q === query.q) return;
  query.q = q;
  changed();
}

/** @returns {FilterKey[]} */
const filterKeys = () => /** @type {FilterKey[]} */ (Object.keys(emptyFilters()));

/** @returns {Record<FilterKey, HTMLInputElement | HTMLSelectElement>} */
const filterInputs = () => ({
  logisticMode: $as('#f-logistic', HTMLSelectElement),
  fulfilledBy: $as('#f-fulfilled', HTMLSelectElement),
  createdFrom: $as('#f-from', HTMLInputElement),
  createdTo: $as('#f-to', HTMLInputElement),
  customer: $as('#f-customer', HTMLInputElement),
  product: $as('#f-product', HTMLInputElement),
  productId: $as('#f-product-id', HTMLInputElement),
});

function fillFilterForm() {
  const inputs = filterInputs();
  for (const key of filterKeys()) inputs[key].value = query.filters[key] ?? '';
  updateFilterButton();
}

export function updateFilterButton() {
  const count = activeFilterCount();
  const pill = $('#filters-count');
  pill.hidden = count === 0;
  pill.textContent = count ? `${count} active` : '';
}

/** @param {boolean} [open] */
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
  const inputs = filterInputs();
  const next = emptyFilters();
  for (const key of filterKeys()) next[key] = inputs[key].value.trim();
  if (next.createdFrom && next.createdTo && next.createdTo < next.createdFrom) {
    const input = $('#f-to');
    input.setAttribute('aria-invalid', 'true');
    const error = $('#f-to-error');
    error.textContent = 'Must be on or after "Created from".';
    error.hidden = false;
    input.focus();
    return;
  }
  query.filters = next;
  changed();
  const count = activeFilterCount();
  announce(count ? `${plural(count, 'filter')} applied.` : 'No filter applied.');
}
