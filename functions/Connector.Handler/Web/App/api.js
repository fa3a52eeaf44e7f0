// The JSON API of the function app. Problems (RFC 9457) become ApiError with title, detail and field errors.

const page = new URLSearchParams(window.location.search);

/** The shop this page shows (?shopId=), or null. */
export const shopId = (page.get('shopId') ?? '').trim() || null;

/** A function key given as ?code= is sent as x-functions-key on every call (never put back into a URL). */
const functionKey = page.get('code');

/** Address of a function-key route the browser navigates to (a navigation cannot send headers, so the key goes in ?code=). */
export function navigationUrl(path) {
  const url = new URL(path, window.location.href);
  if (functionKey) url.searchParams.set('code', functionKey);
  return url.toString();
}

export class ApiError extends Error {
  constructor(status, problem) {
    const title = problem?.title || (status === 0 ? 'The app could not be reached.' : `Request failed (${status}).`);
    super(problem?.detail ? `${title} ${problem.detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = problem?.detail ?? '';
    this.errors = problem?.errors ?? {};
  }

  /** Words for the merchant, with a hint for the causes they can fix. */
  get explanation() {
    if (this.status === 401 || this.status === 403) {
      return 'The function key is missing or wrong. Open this page with ?code=<function key> in its address.';
    }
    if (this.status === 0) return 'Check your connection, then try again.';
    if (this.status >= 500) return this.detail || 'The app had a problem; try again in a moment.';
    const fieldMessages = Object.entries(this.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
    return [this.detail, ...fieldMessages].filter(Boolean).join(' ');
  }
}

/** Query string from an object, leaving out empty values. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function api(path, { method = 'GET', body, signal } = {}) {
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
    if (error?.name === 'AbortError') throw error;
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

export const Api = {
  shop: () => api(`/api/shops/${enc(shopId)}`),
  saveShop: (body) => api(`/api/shops/${enc(shopId)}`, { method: 'PUT', body }),
  summary: (signal) => api(`/api/orders/summary${query({ shopId })}`, { signal }),
  orders: (filters, signal) => api(`/api/orders${query({ shopId, ...filters })}`, { signal }),
  order: (orderId, signal) => api(`/api/orders/${enc(orderId)}${query({ shopId })}`, { signal }),
  retry: (orderId) => api(`/api/orders/${enc(orderId)}/retry${query({ shopId })}`, { method: 'POST' }),
  retryMany: (body) => api(`/api/orders/retry${query({ shopId })}`, { method: 'POST', body }),
  fetch: (since) => api('/api/orders/fetch', { method: 'POST', body: since ? { shopId, since } : { shopId } }),
  activity: (limit = 20) => api(`/api/shops/${enc(shopId)}/activity${query({ limit })}`),
  dashboard: () => api(`/api/shops/${enc(shopId)}/dashboard`),
  skuMappings: () => api(`/api/shops/${enc(shopId)}/sku-mappings`),
  saveSkuMapping: (sellerSku, storeSku) =>
    api(`/api/shops/${enc(shopId)}/sku-mappings`, { method: 'PUT', body: { sellerSku, storeSku } }),
};
