// Dates in the shop's time zone (settings.timeZone), money, statuses and failure reasons in plain words.

let zone = 'UTC';
let dateTimeFormat = null;
let dateFormat = null;

function validZone(tz) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function setTimeZone(tz) {
  zone = tz && validZone(tz) ? tz : 'UTC';
  dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  dateFormat = new Intl.DateTimeFormat(undefined, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' });
}

setTimeZone('UTC');

export const timeZone = () => zone;

/** A Date from ISO text, Unix seconds, or a Date; null when there is none. */
export function toDate(value) {
  if (value === null || value === undefined || value === '' || value === 0) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971 ? null : date;
}

export function formatDateTime(value) {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : '—';
}

export function formatDate(value) {
  const date = toDate(value);
  return date ? dateFormat.format(date) : '—';
}

/** ISO text for <time datetime>. */
export function isoOf(value) {
  return toDate(value)?.toISOString() ?? '';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatRelative(value, now = Date.now()) {
  const date = toDate(value);
  if (!date) return 'never';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  if (abs < 320 * 86400) return relative.format(Math.round(seconds / (30.44 * 86400)), 'month');
  return relative.format(Math.round(seconds / (365.25 * 86400)), 'year');
}

/** Milliseconds to add to UTC to get the wall clock of the shop's zone at that instant. */
function offsetAt(epochMs) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** Unix seconds of 00:00 on a YYYY-MM-DD day in the shop's zone (plus whole days). */
export function dayStartInZone(day, addDays = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!match) return null;
  const guess = Date.UTC(+match[1], +match[2] - 1, +match[3] + addDays);
  let epoch = guess - offsetAt(guess);
  const second = offsetAt(epoch);
  if (guess - second !== epoch) epoch = guess - second;
  return Math.floor(epoch / 1000);
}

export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '—';
  const number = Number(amount);
  if (!Number.isFinite(number)) return String(amount);
  if (!currency) return number.toFixed(2);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(number);
  } catch {
    return `${number.toFixed(2)} ${currency}`;
  }
}

export const STATUSES = [
  { code: 'ALL', label: 'All' },
  { code: 'UNPAID', label: 'Unpaid', optional: true },
  { code: 'ON_HOLD', label: 'On Hold', optional: true },
  { code: 'AWAITING_SHIPMENT', label: 'Awaiting Shipment' },
  { code: 'AWAITING_COLLECTION', label: 'Awaiting Collection' },
  { code: 'PARTIALLY_SHIPPING', label: 'Partially Shipping' },
  { code: 'IN_TRANSIT', label: 'In Transit' },
  { code: 'DELIVERED', label: 'Delivered' },
  { code: 'COMPLETED', label: 'Completed' },
  { code: 'CANCELLED', label: 'Cancelled' },
  { code: 'FAILED', label: 'Failed' },
];

/** TikTok's statuses a merchant can choose to import (settings.importStatuses). */
export const TIKTOK_STATUSES = STATUSES.filter((s) => s.code !== 'ALL' && s.code !== 'FAILED');

export const statusLabel = (code) => STATUSES.find((s) => s.code === code)?.label ?? code ?? '';

/** A failure code in the merchant's words, with what to do about it. */
export function failureHelp(code) {
  switch (code) {
    case 'SKU_NOT_FOUND':
      return { title: 'Product not found in your store', fix: 'Give a store product this SKU, or map the TikTok SKU to an existing store SKU, then retry.' };
    case 'SKU_AMBIGUOUS':
      return { title: 'Several store products share this SKU', fix: 'Give each store product its own SKU, or map the TikTok SKU to one store SKU, then retry.' };
    case 'SKU_MISSING':
      return { title: 'A TikTok product has no seller SKU', fix: 'Set a seller SKU on the product in TikTok Shop Seller Center, then retry.' };
    case 'ADDRESS_MISSING':
      return { title: 'Shipping address not released yet', fix: 'TikTok releases it once the order leaves its hold; Connector imports it with the next update, or retry later.' };
    case 'STORE_REJECTED':
      return { title: 'Your store refused the order', fix: 'Fix what the store reports below (product, stock, address), then retry.' };
    case 'STORE_UNSUPPORTED':
      return { title: 'Store connection problem', fix: 'Check the store connection in Settings, then retry.' };
    case 'UNAVAILABLE':
      return { title: 'Waiting for a service to answer', fix: 'Nothing to do: Connector keeps trying on its own and imports the order once TikTok and your store answer. Retry to try at once.' };
    case 'TIKTOK_REFUSED':
      return { title: 'TikTok refused to show this order', fix: 'Reconnect the TikTok shop (Connect TikTok Shop), then retry.' };
    case 'ORDER_NOT_FOUND':
      return { title: 'TikTok no longer returns this order', fix: 'Check the order in TikTok Shop Seller Center, then retry.' };
    default:
      return { title: 'The order could not be imported', fix: 'Read the reason below, fix it, then retry.' };
  }
}

/** Labels of the activity kinds the timelines show (order dialog and dashboard). */
export const ACTIVITY_KINDS = {
  fetch: 'Fetch', imported: 'Imported', failed: 'Failed', status: 'Status', retry: 'Retry', writeback: 'To TikTok',
};

/** SKU failures that an override of the SKU mapping can fix. */
export const isSkuFailure = (code) => code === 'SKU_NOT_FOUND' || code === 'SKU_AMBIGUOUS';

/** Store links must be http(s): anything else is not rendered as a link. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** "gid://shopify/Order/123" → "123": the part a merchant recognises. */
export function shortId(id) {
  if (!id) return '';
  const text = String(id);
  const slash = text.lastIndexOf('/');
  return slash >= 0 ? text.slice(slash + 1) : text;
}

export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
