// @ts-check
// The Orders view's state, all of it: what the merchant asked for (query), what the server answered (list), and the
// marks on rows (marks). Modules read these; each field is changed by the one module named beside it.

/** @typedef {import('./api.js').Order} Order */

/**
 * @typedef {object} Filters  "More filters" (dates as YYYY-MM-DD in the shop's zone)
 * @property {string} logisticMode
 * @property {string} fulfilledBy
 * @property {string} createdFrom
 * @property {string} createdTo
 * @property {string} customer
 * @property {string} product
 * @property {string} productId
 */

/** @returns {Filters} */
export const emptyFilters = () => ({ logisticMode: '', fulfilledBy: '', createdFrom: '', createdTo: '', customer: '', product: '', productId: '' });

/** The tab, the search and the filters; also the page address (orders-query.js). */
export const query = {
  status: 'ALL',
  q: '',
  filters: emptyFilters(),
};

/**
 * The grid's orders, the next page's continuation and the tab counts (orders-loader.js).
 * @type {{ items: Order[], continuation: string | null, counts: Record<string, number>, all: number, loaded: boolean }}
 */
export const list = { items: [], continuation: null, counts: {}, all: 0, loaded: false };

/** Row marks: lines shown, rows selected (grid, retry), ids seen, ids new since the last look (loader, fetch). */
export const marks = {
  /** @type {Set<string>} */ expanded: new Set(),
  /** @type {Set<string>} */ selected: new Set(),
  /** @type {Set<string>} */ known: new Set(),
  /** @type {Set<string>} */ fresh: new Set(),
};

export const activeFilterCount = () => Object.values(query.filters).filter(Boolean).length;

export const failedCount = () => list.counts.FAILED ?? 0;

/** What a watcher compares between polls: counts and each shown order's progress. */
export const signature = () => JSON.stringify([list.counts,
  list.items.map((o) => `${o.orderId}|${o.importState}|${o.storeOrderId ?? ''}|${o.status}`)]);

/** Some shown order is being imported right now. */
export const importing = () => list.items.some((o) => o.importState === 'Importing');
