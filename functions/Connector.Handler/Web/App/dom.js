// @ts-check
// Small DOM helpers: every value from the API goes in as text, never as HTML.

/** @typedef {Node | string | number | null | undefined | false | Child[]} Child */
/** @typedef {Record<string, unknown>} Props */

/**
 * Creates an element. props: class, text, on* handlers (functions), value/checked/disabled/hidden (properties),
 * anything else as an attribute (null/undefined/false leave it out). Children: nodes, strings, arrays, null.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden' || key === 'readOnly') /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * The element the page must have (its markup is in index.html): a missing one is a programming error, said at once.
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement}
 */
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!(el instanceof HTMLElement)) throw new Error(`The page has no element ${selector}.`);
  return el;
}

/**
 * An element that may not be there (e.g. a row re-rendered meanwhile).
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement | null}
 */
export function $maybe(selector, root = document) {
  const el = root.querySelector(selector);
  return el instanceof HTMLElement ? el : null;
}

/**
 * A required element of a given type, e.g. $as('#search-input', HTMLInputElement).
 * @template {Element} T
 * @param {string} selector
 * @param {{ new (): T, prototype: T }} type
 * @param {ParentNode} [root]
 * @returns {T}
 */
export function $as(selector, type, root = document) {
  const el = root.querySelector(selector);
  if (!(el instanceof type)) throw new Error(`The page has no ${type.name} ${selector}.`);
  return el;
}

/**
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement[]}
 */
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)].filter((el) => el instanceof HTMLElement);

/**
 * @template {Element} E
 * @param {E} el
 * @returns {E}
 */
export function clear(el) {
  el.replaceChildren();
  return el;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polite screen-reader announcement (the region is emptied first so a repeated message is read again).
 * @param {string} message
 */
export function announce(message) {
  const live = $('#live');
  live.textContent = '';
  setTimeout(() => { live.textContent = message; }, 60);
}

let toastTimer = 0;

/**
 * A short visible confirmation, also announced.
 * @param {string} message
 * @param {'ok' | 'error'} [kind]
 */
export function toast(message, kind = 'ok') {
  const el = $('#toast');
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => { el.hidden = true; }, 5000);
  announce(message);
}

/**
 * Shows an error banner (role=alert) above the views; returns the element.
 * @param {string} id
 * @param {string} title
 * @param {string} [detail]
 * @param {'error' | 'warning' | 'info'} [kind]
 * @param {Child[]} [actions]
 */
export function showBanner(id, title, detail, kind = 'error', actions = []) {
  const area = $('#banners');
  $maybe(`#${id}`, area)?.remove();
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

/** @param {string} id */
export function hideBanner(id) {
  $maybe(`#${id}`)?.remove();
}

/**
 * Debounce for search-as-you-type.
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {(...args: A) => void}
 */
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
}

/**
 * The element an event's handler is on, typed (for handlers built with h()).
 * @template {Element} T
 * @param {Event} event
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
export function target(event, type) {
  const el = event.currentTarget;
  if (!(el instanceof type)) throw new Error(`Expected a ${type.name}.`);
  return el;
}
