// @ts-check
// The status tabs with their counts (arrow keys move between them, as the ARIA tabs pattern has it).
import { $, $$, h } from './dom.js';
import { statusTabs } from './labels.js';
import { list, query } from './orders-model.js';

/** @type {(code: string) => void} */
let selected = () => {};

/** @param {{ selected: (code: string) => void }} callbacks  after the merchant picked another tab */
export function initTabs(callbacks) {
  selected = callbacks.selected;
  const tabs = $('#status-tabs');
  for (const status of statusTabs()) {
    tabs.append(h('button', {
      type: 'button', role: 'tab', id: `tab-${status.code}`, 'aria-controls': 'orders-panel', 'aria-selected': 'false',
      tabindex: '-1', 'data-status': status.code, class: `tab status-${status.code.toLowerCase()}`,
      onclick: () => selectStatus(status.code),
    }, h('span', { class: 'tab-label', text: status.label }), ' ', h('span', { class: 'count', text: '' })));
  }
  tabs.addEventListener('keydown', (event) => {
    const shown = $$('[role=tab]', tabs).filter((t) => !t.hidden);
    const index = shown.findIndex((t) => t === document.activeElement);
    if (index < 0) return;
    let next = -1;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % shown.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + shown.length) % shown.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = shown.length - 1;
    if (next < 0) return;
    event.preventDefault();
    shown[next].focus();
    selectStatus(shown[next].dataset.status ?? 'ALL');
  });
}

/** Counts, the selected tab, and the optional tabs (Unpaid, On Hold) only when they have orders. */
export function updateTabs() {
  const tabs = statusTabs();
  for (const tab of $$('#status-tabs [role=tab]')) {
    const code = tab.dataset.status ?? '';
    const status = tabs.find((s) => s.code === code);
    const count = code === 'ALL' ? list.all : list.counts[code] ?? 0;
    const isSelected = code === query.status;
    tab.hidden = Boolean(status?.optional) && !count && !isSelected;
    tab.setAttribute('aria-selected', String(isSelected));
    tab.tabIndex = isSelected ? 0 : -1;
    $('.count', tab).textContent = list.loaded || count ? String(count) : '';
    tab.classList.toggle('has-items', count > 0);
  }
  $('#orders-panel').setAttribute('aria-labelledby', `tab-${query.status}`);
}

/** @param {string} code */
export function selectStatus(code) {
  if (code === query.status) return;
  query.status = code;
  selected(code);
}
