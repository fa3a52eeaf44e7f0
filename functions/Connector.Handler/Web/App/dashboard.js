// @ts-check
// Dashboard: order counts per status, orders synced this month against the plan, connection health, recent activity.
import { Api, ApiError } from './api.js';
import { $, clear, h, target } from './dom.js';
import { formatDate, formatDateTime, formatRelative, isoOf, plural, safeUrl, timeZone } from './format.js';
import { activityLabel, platformName, statusTabs } from './labels.js';
import { openDetail } from './detail.js';
import { productsCard } from './products-card.js';

/** @typedef {import('./api.js').Dashboard} Dashboard */
/** @typedef {import('./api.js').Shop} Shop */
/** @typedef {import('./api.js').Activity} Activity */
/** @typedef {import('./dom.js').Child} Child */
/** @typedef {'ok' | 'warning' | 'bad'} Health */

/** @type {import('./app.js').App | null} */
let app = null;

/** @param {import('./app.js').App} appRef */
export function init(appRef) {
  app = appRef;
  $('#dashboard-refresh').addEventListener('click', () => show());
}

export async function show() {
  const body = $('#dashboard-body');
  if (!app?.shop) {
    clear(body).append(h('p', { class: 'muted', text: 'The shop could not be loaded; see the message above.' }));
    return;
  }
  body.setAttribute('aria-busy', 'true');
  try {
    const data = await Api.dashboard();
    if (data.shop) app?.setShop(data.shop);
    render(data);
    $('#dashboard-updated').textContent = `Updated ${formatDateTime(new Date().toISOString())} · times in ${timeZone()}`;
  } catch (error) {
    clear(body).append(h('div', { class: 'notice error', role: 'alert' },
      h('strong', { text: 'Could not load the dashboard. ' }), error instanceof ApiError ? error.explanation : String(error)));
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
}

/** @param {Dashboard} data */
function render(data) {
  const body = clear($('#dashboard-body'));
  const activity = data.recentActivity ?? [];
  // The last fetch run the feed shows stands in when the shop record has no time for it.
  const lastFetch = data.shop?.lastFetchAt ?? activity.find((a) => a.kind === 'fetch')?.at ?? null;
  body.append(countsCard(data.counts ?? {}), usageCard(data), productsCard(), healthCard(data.shop, lastFetch), activityCard(activity));
}

/**
 * @param {string} id
 * @param {string} title
 * @param {...Child} content
 */
function card(id, title, ...content) {
  return h('section', { class: `card dash-card dash-${id}`, 'aria-labelledby': `dash-${id}-title` },
    h('h2', { id: `dash-${id}-title`, text: title }), content);
}

/** @param {Record<string, number>} counts */
function countsCard(counts) {
  const all = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const tiles = statusTabs()
    .filter((s) => s.code !== 'ALL' && (!s.optional || counts[s.code]))
    .map((s) => {
      const n = counts[s.code] ?? 0;
      return h('li', null, h('a', {
        class: `tile status-${s.code.toLowerCase()}${n ? ' has-items' : ''}`,
        href: `#/orders?status=${s.code}`,
        'aria-label': `${s.label}: ${plural(n, 'order')}`,
      }, h('span', { class: 'tile-count', text: String(n) }), h('span', { class: 'tile-label', text: s.label })));
    });
  return card('counts', 'Orders by status',
    h('p', { class: 'muted small', text: `${plural(all, 'order')} in all` }),
    h('ul', { class: 'tiles' }, tiles));
}

/** @param {Dashboard} data */
function usageCard(data) {
  const used = data.ordersThisMonth ?? 0;
  const limit = data.monthlyOrderLimit ?? 0;
  const content = [];
  if (limit > 0) {
    const ratio = used / limit;
    const level = ratio >= 1 ? 'danger' : ratio >= 0.8 ? 'warning' : 'ok';
    content.push(
      h('p', { class: 'usage-figure' }, h('strong', { text: String(used) }), h('span', { class: 'muted', text: ` of ${limit} orders` })),
      h('meter', {
        class: `usage ${level}`, min: '0', max: String(limit), low: String(Math.floor(limit * 0.8)), high: String(limit - 1),
        optimum: '0', value: String(Math.min(used, limit)), 'aria-label': 'Orders synced this month against the plan limit',
      }, `${used} of ${limit}`),
      h('p', { class: `small ${level === 'ok' ? 'muted' : level}`, text: level === 'danger'
        ? 'The plan limit is reached. Raise the monthly limit in Settings to keep importing orders.'
        : level === 'warning' ? `${Math.round(ratio * 100)}% of the plan is used; ${limit - used} orders left this month.`
          : `${Math.round(ratio * 100)}% of the plan used; ${limit - used} orders left this month.` }));
  } else {
    content.push(
      h('p', { class: 'usage-figure' }, h('strong', { text: String(used) }), h('span', { class: 'muted', text: ' orders' })),
      h('p', { class: 'small muted', text: 'No monthly limit is set for this plan.' }));
  }
  const now = new Date();
  const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  content.push(h('p', { class: 'small muted', text: `The count starts again on ${formatDate(reset)}.` }));
  return card('usage', 'Orders synced this month', content);
}

/**
 * @param {Health} state
 * @param {string} label
 * @param {Child} value
 * @param {string | null | undefined} note
 */
function healthRow(state, label, value, note) {
  return h('li', { class: `health ${state}` },
    h('span', { class: 'health-icon', 'aria-hidden': 'true', text: state === 'ok' ? '✓' : state === 'warning' ? '!' : '✕' }),
    h('div', null,
      h('span', { class: 'health-label' }, label, h('span', { class: 'visually-hidden', text: state === 'ok' ? ' (healthy)' : state === 'warning' ? ' (needs attention soon)' : ' (problem)' })),
      h('span', { class: 'health-value' }, value),
      note ? h('span', { class: 'health-note', text: note }) : null));
}

/**
 * @param {number | undefined} unixSeconds
 * @returns {Health}
 */
function expiryState(unixSeconds) {
  if (!unixSeconds) return 'bad';
  const days = (unixSeconds * 1000 - Date.now()) / 86_400_000;
  return days <= 0 ? 'bad' : days < 7 ? 'warning' : 'ok';
}

/**
 * @param {Shop | undefined} shop
 * @param {string | null} lastFetch
 */
function healthCard(shop, lastFetch) {
  if (!shop) return card('health', 'Connection health', h('p', { class: 'muted', text: 'Unknown.' }));
  const connected = shop.connectionStatus === 'connected';
  const tiktok = shop.tiktok ?? {};
  const store = shop.store ?? {};
  const storeUrl = safeUrl(store.baseUrl);
  const rows = [
    healthRow(connected ? 'ok' : 'bad', 'Connection',
      connected ? 'Connected' : `${shop.connectionStatus ?? 'unknown'}`,
      shop.connectionMessage || (connected ? null : 'Authorise the app again in TikTok Shop.')),
    healthRow(tiktok.hasAccessToken ? 'ok' : 'bad', 'TikTok Shop',
      tiktok.hasAccessToken ? 'Authorised' : 'Not authorised', null),
    // The access token is renewed with the refresh token: its expiry only matters when that one is gone too.
    healthRow(tiktok.hasRefreshToken && expiryState(tiktok.refreshTokenExpiresAt) !== 'bad' ? 'ok' : expiryState(tiktok.accessTokenExpiresAt), 'Access token expires',
      h('time', { datetime: isoOf(tiktok.accessTokenExpiresAt) }, `${formatDateTime(tiktok.accessTokenExpiresAt)} (${formatRelative(tiktok.accessTokenExpiresAt)})`),
      'Renewed automatically with the refresh token.'),
    healthRow(expiryState(tiktok.refreshTokenExpiresAt), 'Authorisation expires',
      h('time', { datetime: isoOf(tiktok.refreshTokenExpiresAt) }, `${formatDateTime(tiktok.refreshTokenExpiresAt)} (${formatRelative(tiktok.refreshTokenExpiresAt)})`),
      expiryState(tiktok.refreshTokenExpiresAt) === 'ok' ? null : 'Authorise the app again in TikTok Shop before this date.'),
    healthRow(store.platform && store.baseUrl && (store.hasAccessToken || store.hasApiKey) ? 'ok' : 'bad', 'Store',
      h('span', null, `${platformName(store.platform) || 'No platform'} · `,
        storeUrl ? h('a', { href: storeUrl, target: '_blank', rel: 'noopener noreferrer' }, store.baseUrl,
          h('span', { class: 'visually-hidden', text: ' (new tab)' })) : (store.baseUrl || 'no address')),
      store.hasAccessToken || store.hasApiKey ? null : 'No access token stored: set it in Settings.'),
    healthRow(shop.lastWebhookAt ? 'ok' : 'warning', 'Last webhook received',
      shop.lastWebhookAt ? h('time', { datetime: isoOf(shop.lastWebhookAt), title: formatDateTime(shop.lastWebhookAt) }, `${formatRelative(shop.lastWebhookAt)} · ${formatDateTime(shop.lastWebhookAt)}`) : 'Never',
      shop.lastWebhookAt ? null : 'Orders still arrive through the scheduled fetch; webhooks bring them in within seconds.'),
    healthRow(lastFetch ? 'ok' : 'warning', 'Last fetch',
      lastFetch ? h('time', { datetime: isoOf(lastFetch) }, `${formatRelative(lastFetch)} · ${formatDateTime(lastFetch)}`) : 'Never',
      lastFetch ? null : 'Press "Fetch Order" on the Orders page, or wait for the scheduled fetch.'),
  ];
  return card('health', 'Connection health', h('ul', { class: 'health-list' }, rows));
}

/** @param {Activity[]} items */
function activityCard(items) {
  if (!items.length) {
    return card('activity', 'Recent activity', h('p', { class: 'muted', text: 'Nothing yet. Press "Fetch Order" on the Orders page to import orders.' }));
  }
  return card('activity', 'Recent activity', h('ol', { class: 'timeline' }, items.map((item) => h('li', { class: `kind-${item.kind}` },
    h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
    h('div', null,
      h('div', { class: 'timeline-meta' },
        h('span', { class: `kind kind-${item.kind}`, text: activityLabel(item.kind) }),
        h('time', { datetime: isoOf(item.at), text: formatDateTime(item.at) }),
        item.orderId ? h('button', {
          type: 'button', class: 'link small', 'aria-haspopup': 'dialog',
          /** @param {Event} event */
          onclick: (event) => openDetail(item.orderId ?? '', target(event, HTMLElement)),
        }, `Order ${item.orderId}`) : null),
      h('p', { text: item.message }))))));
}
