// @ts-check
// The words for codes — status tabs, store platforms, activity kinds, failures — come from the server
// (/api/app/labels.json, built from the C# definitions), so the page keeps no copies. app.js loads them once at boot,
// before any view renders; until then (or if they cannot be loaded) codes show as they are.
import { Api } from './api.js';

/** @typedef {{ code: string, label: string, optional: boolean, tikTok: boolean }} StatusTab */
/** @typedef {{ title: string, fix: string, fixedByMapping: boolean }} FailureHelp */

/**
 * @typedef {object} Labels
 * @property {StatusTab[]} statuses  every status tab, in tab order (ALL first, FAILED last)
 * @property {Record<string, string>} platforms  store platform → its name
 * @property {Record<string, string>} activityKinds  activity kind → its label
 * @property {Record<string, FailureHelp>} failures  failure code → title, fix, whether a SKU mapping fixes it
 * @property {FailureHelp} unknownFailure  for a code without words
 */

/** @type {Labels} */
let labels = {
  statuses: [{ code: 'ALL', label: 'All', optional: false, tikTok: false }],
  platforms: {},
  activityKinds: {},
  failures: {},
  unknownFailure: { title: '', fix: '', fixedByMapping: false },
};

/** Loads the labels; the caller reports a failure (the page then shows codes). */
export async function loadLabels() {
  labels = await Api.labels();
}

/** The status tabs, in order. */
export const statusTabs = () => labels.statuses;

/** TikTok's statuses a merchant can choose to import (settings.importStatuses). */
export const tikTokStatuses = () => labels.statuses.filter((s) => s.tikTok);

/** @param {string | null | undefined} code */
export const statusLabel = (code) => labels.statuses.find((s) => s.code === code)?.label ?? code ?? '';

/** @param {string | null | undefined} platform */
export const platformName = (platform) => (platform ? labels.platforms[platform] ?? platform : '');

/** @param {string} kind */
export const activityLabel = (kind) => labels.activityKinds[kind] ?? kind;

/**
 * A failure code in the merchant's words, with what to do about it.
 * @param {string | null | undefined} code
 * @returns {FailureHelp}
 */
export const failureHelp = (code) => (code ? labels.failures[code] : undefined) ?? labels.unknownFailure;

/**
 * Failures that an override of the SKU mapping can fix (the page offers "Map SKU").
 * @param {string | null | undefined} code
 */
export const isSkuFailure = (code) => Boolean(code && labels.failures[code]?.fixedByMapping);
