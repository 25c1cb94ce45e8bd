// Finding a service among many (#finder): a search box over name, display name, description and
// unit, a state filter, and failed-first order. Shown only past FINDER_FROM services; with fewer,
// every card shows in the server's order. Only cards whose view changed are looked at again.
// On a fleet's dashboard (views from 2+ hosts) it is always shown, with a host filter, and the order
// is per host, in the server's host order.

import { bucket, statusKey } from './cards.js';

export const FINDER_FROM = 7;

/** The state filter's choices (the <select>'s option values) and what each lets through. */
const FILTERS = {
  all: () => true,
  failed: (view) => bucket(view) === 'failed',
  running: (view) => statusKey(view) === 'active',
  stopped: (view) => statusKey(view) === 'inactive',
  changing: (view) => ['activating', 'deactivating', 'reloading', 'checking'].includes(statusKey(view)),
};

/** The finder's current question: { words, filter, host }, lower-cased query words; host '' for all. */
export function readFinder(search, select, hostSelect = null) {
  const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const filter = Object.hasOwn(FILTERS, select.value) ? select.value : 'all';
  const host = hostSelect && !hostSelect.hidden ? hostSelect.value : '';
  return { words, filter, host };
}

/** Whether a view answers the finder's question (every word found in one of its texts). */
export function matches(view, { words, filter, host = '' }) {
  if (host && view.node !== host) return false;
  if (!FILTERS[filter](view)) return false;
  if (!words.length) return true;
  const text = [view.name, view.display_name, view.description, view.unit]
    .filter((t) => typeof t === 'string').join('\n').toLowerCase();
  return words.every((word) => text.includes(word));
}

/** The sort rank: failed (and unknown) first, then the rest, each in the server's order. */
export function rank(view) {
  return bucket(view) === 'failed' ? 0 : 1;
}

/** The hosts the views come from, in the server's order (its own first); [] for a standalone server. */
export function hostsOf(views) {
  const hosts = new Set();
  for (const view of views) if (typeof view.node === 'string' && view.node) hosts.add(view.node);
  return [...hosts];
}

/**
 * The views in display order: the server's, or failed-first when the finder is in use; with
 * `hosts` (a fleet), host by host in that order first.
 */
export function ordered(views, finding, hosts = []) {
  if (!finding) return views;
  const group = new Map(hosts.map((host, index) => [host, index]));
  const groupOf = (view) => group.get(view.node) ?? 0;
  return views.map((view, index) => ({ view, index }))
    .sort((a, b) => groupOf(a.view) - groupOf(b.view) || rank(a.view) - rank(b.view) || a.index - b.index)
    .map((entry) => entry.view);
}

/** Fills the host filter's choices, keeping the chosen host while it is still listed. */
export function renderHostFilter(select, hosts) {
  const chosen = select.value;
  const values = ['', ...hosts];
  const same = select.options.length === values.length && values.every((v, i) => select.options[i].value === v);
  if (!same) {
    select.replaceChildren(...values.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value || 'All hosts';
      return option;
    }));
    select.value = values.includes(chosen) ? chosen : '';
  }
  select.hidden = hosts.length < 2;
}
