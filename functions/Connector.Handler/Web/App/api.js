// @ts-check
// The JSON API of the function app. Problems (RFC 9457) become ApiError with title, detail and field errors.

/**
 * @typedef {object} Shop  GET /api/shops/{shopId} (no secrets)
 * @property {string} shopId
 * @property {string} [name]
 * @property {string} [connectionStatus]
 * @property {string} [connectionMessage]
 * @property {string} [lastWebhookAt]
 * @property {string} [lastFetchAt]
 * @property {ShopSettings} [settings]
 * @property {{ hasAccessToken?: boolean, hasRefreshToken?: boolean, accessTokenExpiresAt?: number, refreshTokenExpiresAt?: number }} [tiktok]
 * @property {StoreConnection} [store]
 */

/**
 * @typedef {object} ShopSettings
 * @property {string} [buyerEmail]
 * @property {string[]} [importStatuses]
 * @property {string} [inventoryBehaviour]
 * @property {string[]} [tags]
 * @property {boolean} [partialShipping]
 * @property {boolean} [restockOnRefund]
 * @property {boolean} [shipmentsToTikTok]
 * @property {boolean} [cancellationsToTikTok]
 * @property {string} [cancelReason]
 * @property {number} [orderHoldMinutes]
 * @property {string} [timeZone]
 * @property {number} [monthlyOrderLimit]
 */

/**
 * @typedef {object} StoreConnection
 * @property {string} [platform]
 * @property {string} [baseUrl]
 * @property {boolean} [hasAccessToken]
 * @property {boolean} [hasApiKey]
 * @property {boolean} [hasWebhookSecret]
 * @property {string} [webhooks]
 */

/**
 * @typedef {object} OrderLine
 * @property {string} [productName]
 * @property {string} [skuName]
 * @property {string} [sellerSku]
 * @property {string} [productId]
 * @property {number} quantity
 * @property {number} unitPrice
 * @property {string} [currency]
 */

/**
 * @typedef {object} Activity  one row of a timeline (order dialog, dashboard, shop feed)
 * @property {string} at
 * @property {string} kind
 * @property {string} message
 * @property {string} [orderId]
 */

/**
 * @typedef {object} Order  an order as GET /api/orders and GET /api/orders/{orderId} answer it
 * @property {string} orderId
 * @property {string} status  the tab it sits in (TikTok's status, or FAILED)
 * @property {string} [statusLabel]
 * @property {string} [tiktokStatus]
 * @property {string} importState  Waiting, Importing, Imported, Skipped or Failed
 * @property {string} [storeOrderId]
 * @property {string} [storeOrderName]
 * @property {string} [storeOrderUrl]
 * @property {string} [customerName]
 * @property {string} [createdAt]
 * @property {string} [price]
 * @property {string} [currency]
 * @property {number} quantity
 * @property {string} [fulfilledBy]
 * @property {string} [logisticMode]
 * @property {string} [holdUntil]
 * @property {string} [failureCode]
 * @property {string[]} [failingSkus]
 * @property {{ cancelId: string, status?: string, reason?: string, deadline?: string, pending: boolean }} [cancellationRequest]
 * @property {string} [actionIssue]  why the merchant's latest order action was not done
 * @property {string} [externalReference]  the store order id TikTok shows on the order
 * @property {string} [failureReason]
 * @property {string} [lastError]
 * @property {string} [writeBackIssue]
 * @property {{ packageId?: string, trackingNumber?: string, units?: number }[]} [shipmentsSentToTikTok]
 * @property {string} [cancellationSentToTikTokAt]
 * @property {number} [updateTime]
 * @property {string} [importedAt]
 * @property {OrderLine[]} [lines]
 * @property {Record<string, any>} [address]  TikTok's address object, as TikTok masks it
 * @property {Activity[]} [activity]
 */

/** @typedef {{ items?: Order[], continuation?: string }} OrderPage */
/** @typedef {{ all?: number, counts?: Record<string, number> }} OrderSummary */
/** @typedef {{ shopId: string, runId: string, since?: number, status: string, message: string, joined: boolean }} FetchStarted */

/**
 * @typedef {object} FetchRun  GET /api/orders/fetch/{runId}: where a Fetch Order run is
 * @property {string} runId
 * @property {string} trigger  merchant or timer
 * @property {'running' | 'finished' | 'stopped'} status
 * @property {number} [pages]  absent when only the orders cursor remembers the run
 * @property {number} ordersSeen
 * @property {number} [ordersQueued]
 * @property {string} [startedAt]
 * @property {string} [finishedAt]
 * @property {string} [stoppedBecause]
 */

/**
 * @typedef {object} Dashboard
 * @property {Shop} [shop]
 * @property {Record<string, number>} [counts]
 * @property {number} [ordersThisMonth]
 * @property {number} [monthlyOrderLimit]
 * @property {Activity[]} [recentActivity]
 */

/** @typedef {{ sellerSku: string, storeSku?: string, title?: string }} SkuMapping */
/** @typedef {{ sellerSku: string, storeSku: string, retriedOrders?: number }} SkuMappingSaved */
/** @typedef {{ retriedOrders?: number }} RetryResult */
/** @typedef {{ title?: string, detail?: string, errors?: Record<string, string | string[]> }} Problem */

const page = new URLSearchParams(window.location.search);

/** The shop this page shows (?shopId=), or null. */
export const shopId = (page.get('shopId') ?? '').trim() || null;

/** A function key given as ?code= is sent as x-functions-key on every call (never put back into a URL). */
const functionKey = page.get('code');

/**
 * Address of a function-key route the browser navigates to (a navigation cannot send headers, so the key goes in ?code=).
 * @param {string} path
 */
export function navigationUrl(path) {
  const url = new URL(path, window.location.href);
  if (functionKey) url.searchParams.set('code', functionKey);
  return url.toString();
}

export class ApiError extends Error {
  /**
   * @param {number} status  0 when the app could not be reached
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    const title = problem?.title || (status === 0 ? 'The app could not be reached.' : `Request failed (${status}).`);
    super(problem?.detail ? `${title} ${problem.detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = problem?.detail ?? '';
    /** @type {Record<string, string | string[]>} */
    this.errors = problem?.errors ?? {};
  }

  /** Words for the merchant, with a hint for the causes they can fix. */
  get explanation() {
    if (this.status === 401 || this.status === 403) {
      return 'The function key is missing or wrong. Open this page with ?code=<function key> in its address.';
    }
    if (this.status === 0) return 'Check your connection, then try again.';
    if (this.status >= 500) return this.detail || 'The app had a problem; try again in a moment.';
    const fieldMessages = Object.entries(this.errors).map(([field, messages]) => `${field}: ${messagesOf(messages).join(' ')}`);
    return [this.detail, ...fieldMessages].filter(Boolean).join(' ');
  }

  /**
   * The first message for a field (the problem's `errors` names fields as the API reads them).
   * @param {string} field
   */
  fieldMessage(field) {
    const messages = this.errors[field];
    return messages === undefined ? undefined : messagesOf(messages)[0];
  }
}

/** @param {string | string[]} messages */
export const messagesOf = (messages) => (Array.isArray(messages) ? messages : [messages]);

/**
 * What an error says to the merchant: the API's explanation, or the error's own words.
 * @param {unknown} error
 */
export const explain = (error) => (error instanceof ApiError ? error.explanation : String(error instanceof Error ? error.message : error));

/**
 * Query string from an object, leaving out empty values.
 * @param {Record<string, string | number | null | undefined>} values
 */
export function query(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the API; the answer's JSON is trusted to have the shape the route documents (T).
 * @template T
 * @param {string} path
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<T>}
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json, application/problem+json' };
  if (functionKey) headers['x-functions-key'] = functionKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ApiError(0, null);
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

const enc = encodeURIComponent;
const shop = () => enc(shopId ?? '');

/** @typedef {Record<string, string | number | null | undefined>} Filters */

export const Api = {
  /** @returns {Promise<import('./labels.js').Labels>} */
  labels: () => api('/api/app/labels.json'),
  /** @returns {Promise<Shop>} */
  shop: () => api(`/api/shops/${shop()}`),
  /** @param {unknown} body @returns {Promise<Shop>} */
  saveShop: (body) => api(`/api/shops/${shop()}`, { method: 'PUT', body }),
  /** @param {AbortSignal} [signal] @returns {Promise<OrderSummary>} */
  summary: (signal) => api(`/api/orders/summary${query({ shopId })}`, { signal }),
  /** @param {Filters} filters @param {AbortSignal} [signal] @returns {Promise<OrderPage>} */
  orders: (filters, signal) => api(`/api/orders${query({ shopId, ...filters })}`, { signal }),
  /** @param {string} orderId @param {AbortSignal} [signal] @returns {Promise<Order>} */
  order: (orderId, signal) => api(`/api/orders/${enc(orderId)}${query({ shopId })}`, { signal }),
  /** @param {string} orderId @returns {Promise<unknown>} */
  retry: (orderId) => api(`/api/orders/${enc(orderId)}/retry${query({ shopId })}`, { method: 'POST' }),
  /** @param {{ orderIds?: string[], allFailed?: boolean }} body @returns {Promise<RetryResult | null>} */
  retryMany: (body) => api(`/api/orders/retry${query({ shopId })}`, { method: 'POST', body }),
  /** @param {number} [since] Unix seconds @returns {Promise<FetchStarted>} */
  fetch: (since) => api('/api/orders/fetch', { method: 'POST', body: since ? { shopId, since } : { shopId } }),
  /** @param {string} runId @returns {Promise<FetchRun>} */
  fetchRun: (runId) => api(`/api/orders/fetch/${enc(runId)}${query({ shopId })}`),
  /** @param {number} [limit] @returns {Promise<Activity[]>} */
  activity: (limit = 20) => api(`/api/shops/${shop()}/activity${query({ limit })}`),
  /** @returns {Promise<Dashboard>} */
  dashboard: () => api(`/api/shops/${shop()}/dashboard`),
  /** @returns {Promise<SkuMapping[]>} */
  skuMappings: () => api(`/api/shops/${shop()}/sku-mappings`),
  /** @param {string} sellerSku @param {string} storeSku @returns {Promise<SkuMappingSaved>} */
  saveSkuMapping: (sellerSku, storeSku) =>
    api(`/api/shops/${shop()}/sku-mappings`, { method: 'PUT', body: { sellerSku, storeSku } }),
};
