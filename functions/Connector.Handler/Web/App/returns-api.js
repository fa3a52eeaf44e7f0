// @ts-check
// The Returns view's API (GET /api/returns): shapes and the call; answers go through the order actions' routes.
import { api, query, shopId } from './api.js';

/** @typedef {import('./order-actions.js').ReturnSummary} ReturnSummary */

/**
 * @typedef {object} ReturnItem  one order's latest return as the Returns view lists it
 * @property {string} orderId
 * @property {string} [storeOrderName]
 * @property {string} [storeOrderUrl]
 * @property {string} [customerName]
 * @property {ReturnSummary} return
 * @property {{ sku: string, units: number }[]} lines
 * @property {boolean} canApprove
 * @property {boolean} canReject
 * @property {string} [storeRefund]  refunded, pending or failed once TikTok has refunded
 * @property {string} [refundIssue]
 */

/**
 * @typedef {object} ReturnPage
 * @property {string} tab
 * @property {{ tab: string, label: string, count: number }[]} tabs
 * @property {ReturnItem[]} items
 * @property {string} [continuation]
 */

export const returnTabs = ['pending', 'awaiting-shipment', 'buyer-shipped', 'rejected', 'completed'];

export const ReturnsApi = {
  /** @param {string} tab @param {string | null} continuation @returns {Promise<ReturnPage>} */
  list: (tab, continuation) => api(`/api/returns${query({ shopId, tab, pageSize: '25', continuation: continuation ?? undefined })}`),
};
