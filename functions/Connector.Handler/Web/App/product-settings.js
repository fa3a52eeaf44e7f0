// @ts-check
// The shop's stock and price rules on the Products page (GET/PUT /api/products/settings): stock sync, reserve %,
// out-of-stock threshold, maximum listed, price sync (off by default) and markup %. The server validates; its problem
// names the field, shown under that field.
import { ApiError, explain, messagesOf } from './api.js';
import { $, $as, announce, toast } from './dom.js';
import { ProductsApi } from './products-api.js';

/** @typedef {import('./products-api.js').ProductSettings} ProductSettings */

/** Problem `errors` keys (lower-cased) → the input that shows the message. */
/** @type {Record<string, string>} */
const FIELDS = {
  stocksync: 'ps-stock-sync',
  reservepercent: 'ps-reserve',
  outofstockthreshold: 'ps-threshold',
  maximumlisted: 'ps-maximum',
  pricesync: 'ps-price-sync',
  pricemarkuppercent: 'ps-markup',
};

/** @param {string} id */
const input = (id) => $as(`#${id}`, HTMLInputElement);

export function init() {
  $('#product-settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('#ps-price-sync').addEventListener('change', markupEnabled);
}

/** Fills the form with the shop's rules. */
export async function load() {
  try {
    fill(await ProductsApi.settings());
  } catch (error) {
    $('#ps-status').textContent = explain(error);
  }
}

/** @param {ProductSettings} s */
function fill(s) {
  input('ps-stock-sync').checked = s.stockSync;
  input('ps-reserve').value = String(s.reservePercent);
  input('ps-threshold').value = String(s.outOfStockThreshold);
  input('ps-maximum').value = String(s.maximumListed);
  input('ps-price-sync').checked = s.priceSync;
  input('ps-markup').value = String(s.priceMarkupPercent);
  markupEnabled();
}

function markupEnabled() {
  input('ps-markup').disabled = !input('ps-price-sync').checked;
}

/**
 * A number field as typed: a number the server checks, or the raw text when it is not one (the server names the field).
 * @param {string} id
 * @returns {number | string}
 */
function numberOf(id) {
  const text = input(id).value.trim();
  const value = Number(text);
  return text !== '' && Number.isFinite(value) ? value : text;
}

async function save() {
  clearErrors();
  const button = $as('#ps-save', HTMLButtonElement);
  button.disabled = true;
  const body = {
    stockSync: input('ps-stock-sync').checked,
    reservePercent: numberOf('ps-reserve'),
    outOfStockThreshold: numberOf('ps-threshold'),
    maximumListed: numberOf('ps-maximum'),
    priceSync: input('ps-price-sync').checked,
    priceMarkupPercent: numberOf('ps-markup'),
  };
  try {
    fill(await ProductsApi.saveSettings(body));
    $('#ps-status').textContent = 'Saved: the next stock update uses these rules.';
    toast('Stock and price rules saved.');
  } catch (error) {
    showErrors(error);
  } finally {
    button.disabled = false;
  }
}

function clearErrors() {
  $('#ps-errors').hidden = true;
  for (const id of Object.values(FIELDS)) {
    input(id).removeAttribute('aria-invalid');
    const message = document.getElementById(`${id}-error`);
    if (message) message.hidden = true;
  }
}

/** @param {unknown} error */
function showErrors(error) {
  const summary = $('#ps-errors');
  summary.hidden = false;
  if (!(error instanceof ApiError) || Object.keys(error.errors).length === 0) {
    summary.textContent = explain(error);
    summary.focus();
    return;
  }
  const lines = [];
  for (const [field, messages] of Object.entries(error.errors)) {
    const key = field.replace(/^\$\./, '').toLowerCase();
    const id = FIELDS[key];
    const text = messagesOf(messages).join(' ');
    lines.push(text);
    if (!id) continue;
    input(id).setAttribute('aria-invalid', 'true');
    const message = document.getElementById(`${id}-error`);
    if (message) {
      message.textContent = text;
      message.hidden = false;
    }
  }
  summary.textContent = `The rules were not saved: ${lines.join(' ')}`;
  announce(summary.textContent);
  summary.focus();
}
