// Finding a service among many (#finder): a search box over name, display name, description and
// unit, a state filter, and failed-first order. Shown only past FINDER_FROM services; with fewer,
// every card shows in the server's order. Only cards whose view changed are looked at again.

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

/** The finder's current question: { query, filter }, lower-cased query words. */
export function readFinder(search, select) {
  const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const filter = Object.hasOwn(FILTERS, select.value) ? select.value : 'all';
  return { words, filter };
}

/** Whether a view answers the finder's question (every word found in one of its texts). */
export function matches(view, { words, filter }) {
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

/** The views in display order: the server's, or failed-first when the finder is in use. */
export function ordered(views, finding) {
  if (!finding) return views;
  return views.map((view, index) => ({ view, index }))
    .sort((a, b) => rank(a.view) - rank(b.view) || a.index - b.index)
    .map((entry) => entry.view);
}
