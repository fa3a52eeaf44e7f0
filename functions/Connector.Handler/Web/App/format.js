// @ts-check
// Dates in the shop's time zone (settings.timeZone), money, ids and counts in plain words. (Words for status, platform,
// activity and failure codes come from the server: labels.js.)

/** @typedef {string | number | Date | null | undefined} DateValue  ISO text, Unix seconds or a Date */

let zone = 'UTC';
/** @type {Intl.DateTimeFormat} */
let dateTimeFormat;
/** @type {Intl.DateTimeFormat} */
let dateFormat;

/** @param {string} tz */
function validZone(tz) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** @param {string | null | undefined} tz */
export function setTimeZone(tz) {
  zone = tz && validZone(tz) ? tz : 'UTC';
  dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  dateFormat = new Intl.DateTimeFormat(undefined, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' });
}

setTimeZone('UTC');

export const timeZone = () => zone;

/**
 * A Date from ISO text, Unix seconds, or a Date; null when there is none.
 * @param {DateValue} value
 */
export function toDate(value) {
  if (value === null || value === undefined || value === '' || value === 0) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971 ? null : date;
}

/** @param {DateValue} value */
export function formatDateTime(value) {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : '—';
}

/** @param {DateValue} value */
export function formatDate(value) {
  const date = toDate(value);
  return date ? dateFormat.format(date) : '—';
}

/**
 * ISO text for <time datetime>.
 * @param {DateValue} value
 */
export function isoOf(value) {
  return toDate(value)?.toISOString() ?? '';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/**
 * @param {DateValue} value
 * @param {number} [now]
 */
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

/**
 * Milliseconds to add to UTC to get the wall clock of the shop's zone at that instant.
 * @param {number} epochMs
 */
function offsetAt(epochMs) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Unix seconds of 00:00 on a YYYY-MM-DD day in the shop's zone (plus whole days).
 * @param {string | null | undefined} day
 * @param {number} [addDays]
 */
export function dayStartInZone(day, addDays = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!match) return null;
  const guess = Date.UTC(+match[1], +match[2] - 1, +match[3] + addDays);
  let epoch = guess - offsetAt(guess);
  const second = offsetAt(epoch);
  if (guess - second !== epoch) epoch = guess - second;
  return Math.floor(epoch / 1000);
}

/**
 * @param {string | number | null | undefined} amount
 * @param {string | null | undefined} currency
 */
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

/**
 * Store links must be http(s): anything else is not rendered as a link.
 * @param {string | null | undefined} url
 */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * "gid://shopify/Order/123" → "123": the part a merchant recognises.
 * @param {string | null | undefined} id
 */
export function shortId(id) {
  if (!id) return '';
  const text = String(id);
  const slash = text.lastIndexOf('/');
  return slash >= 0 ? text.slice(slash + 1) : text;
}

/**
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
