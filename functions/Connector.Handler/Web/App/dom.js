// Small DOM helpers: every value from the API goes in as text, never as HTML.

/**
 * Creates an element. props: class, text, on* handlers (functions), value/checked/disabled/hidden (properties),
 * anything else as an attribute (null/undefined/false leave it out). Children: nodes, strings, arrays, null.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden' || key === 'readOnly') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function clear(el) {
  el.replaceChildren();
  return el;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polite screen-reader announcement (the region is emptied first so a repeated message is read again). */
export function announce(message) {
  const live = $('#live');
  live.textContent = '';
  setTimeout(() => { live.textContent = message; }, 60);
}

let toastTimer = 0;

/** A short visible confirmation, also announced. */
export function toast(message, kind = 'ok') {
  const el = $('#toast');
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
  announce(message);
}

/** Shows an error banner (role=alert) above the views; returns the element. */
export function showBanner(id, title, detail, kind = 'error', actions = []) {
  const area = $('#banners');
  $(`#${id}`, area)?.remove();
  const banner = h('div', { class: `banner ${kind}`, id, role: kind === 'error' ? 'alert' : 'status' },
    h('div', { class: 'banner-text' }, h('strong', { text: title }), detail ? h('span', { text: ` ${detail}` }) : null),
    actions,
    h('button', {
      class: 'btn icon small', type: 'button', 'aria-label': 'Dismiss message',
      onclick: () => banner.remove(),
    }, h('span', { 'aria-hidden': 'true', text: '✕' })));
  area.append(banner);
  return banner;
}

export function hideBanner(id) {
  $(`#${id}`)?.remove();
}

/** Debounce for search-as-you-type. */
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
