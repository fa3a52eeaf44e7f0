// @ts-check
// The products API (GET /api/products, /summary, POST /sync, ...): shapes and calls, apart from the order API in api.js.
import { api, query, shopId } from './api.js';

/**
 * @typedef {object} ProductView  one SKU row of the catalogue link
 * @property {string} key
 * @property {string} [sellerSku]
 * @property {string} status  LIVE, FAILED, NOT_UPLOADED, INACTIVE, IN_PROGRESS, REVIEWING
 * @property {string} statusLabel
 * @property {string} link  linked, not_in_store, ambiguous, no_sku, store_only
 * @property {string} [linkReason]
 * @property {{ productId?: string, skuId?: string, title?: string, status?: string, quantity?: number, auditReasons?: string }} [tikTok]
 * @property {{ productId?: string, variantId?: string, sku?: string, title?: string, available?: number, updatedAt?: string }} [store]
 * @property {string} [lastSync]
 * @property {string} [stockSentAt]
 * @property {string} [stockError]
 */

/**
 * @typedef {object} ProductPage
 * @property {ProductView[]} items
 * @property {number} total
 * @property {number} page
 * @property {number} pageSize
 */

/**
 * @typedef {object} ProductSummary
 * @property {number} all
 * @property {Record<string, number>} counts
 * @property {string} [lastSync]
 * @property {boolean} stockSync
 */

/**
 * @typedef {object} SyncRun
 * @property {string} runId
 * @property {string} phase  queued, tiktok, store, finished
 * @property {number} tikTokProducts
 * @property {number} storeVariants
 * @property {number} linked
 * @property {number} stockUpdatesQueued
 * @property {string} [finishedAt]
 */

/**
 * @typedef {object} ProductSettings  the shop's stock and price rules
 * @property {boolean} stockSync
 * @property {number} reservePercent
 * @property {number} outOfStockThreshold
 * @property {number} maximumListed
 * @property {boolean} priceSync
 * @property {number} priceMarkupPercent
 */

/** The six statuses of the Products page, in order, with their words. */
export const productStatuses = [
  { code: 'LIVE', label: 'Live' },
  { code: 'FAILED', label: 'Failed' },
  { code: 'NOT_UPLOADED', label: 'Not Uploaded' },
  { code: 'INACTIVE', label: 'Inactive' },
  { code: 'IN_PROGRESS', label: 'In progress' },
  { code: 'REVIEWING', label: 'Reviewing' },
];

const enc = encodeURIComponent;

export const ProductsApi = {
  /** @param {Record<string, string | number | null | undefined>} filters @returns {Promise<ProductPage>} */
  list: (filters) => api(`/api/products${query({ shopId, ...filters })}`),
  /** @returns {Promise<ProductSummary>} */
  summary: () => api(`/api/products/summary${query({ shopId })}`),
  /** @returns {Promise<SyncRun>} */
  sync: () => api('/api/products/sync', { method: 'POST', body: { shopId } }),
  /** @returns {Promise<SyncRun>} */
  syncStatus: () => api(`/api/products/sync/status${query({ shopId })}`),
  /** @param {string} productId @returns {Promise<import('./api.js').Activity[]>} */
  history: (productId) => api(`/api/products/${enc(productId)}/history${query({ shopId })}`),
  /** @returns {Promise<ProductSettings>} */
  settings: () => api(`/api/products/settings${query({ shopId })}`),
  /** @param {Record<string, unknown>} settings @returns {Promise<ProductSettings>} */
  saveSettings: (settings) => api(`/api/products/settings${query({ shopId })}`, { method: 'PUT', body: settings }),
  /** @param {string} productId @returns {Promise<unknown>} */
  retry: (productId) => api(`/api/products/${enc(productId)}/retry${query({ shopId })}`, { method: 'POST', body: {} }),
};

/**
 * Presses Sync Shop Status and follows the run until it is finished (or gives up after a minute).
 * @param {(run: SyncRun) => void} progress
 * @returns {Promise<SyncRun>}
 */
export async function syncShopStatus(progress) {
  let run = await ProductsApi.sync();
  progress(run);
  for (let i = 0; i < 60 && run.phase !== 'finished'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run = await ProductsApi.syncStatus();
    progress(run);
  }
  return run;
}
