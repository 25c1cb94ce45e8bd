// The "recent operations" panel (#operations): finished actions, newest first, from the
// "operation" pushes of /ws (DESIGN §5) and, when the server has it, GET /api/history.

import { el } from './dom.js';
import { clockTime, exactTime, parseTime } from './time.js';

export const MAX_OPERATIONS = 20;

/** How a result reads; anything else counts as a failure. */
const RESULT_TONE = { done: 'ok', timeout: 'warn', canceled: 'warn' };

const isOperation = (op) => op && typeof op === 'object' && typeof op.service === 'string'
  && typeof op.action === 'string';

const key = (op) => [op.at, op.service, op.action, op.user, op.result].join('\u0000');

/**
 * Merges operations into a list kept newest first, without duplicates (the same operation may
 * come both from the history and from a push), at most MAX_OPERATIONS long. Returns a new list.
 */
export function mergeOperations(list, incoming) {
  const seen = new Set();
  const all = [];
  for (const op of [...incoming, ...list]) {
    if (!isOperation(op)) continue;
    const k = key(op);
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(op);
  }
  // ISO-8601 UTC with milliseconds sorts as text; a missing time sorts last. The sort is stable,
  // so operations with equal times keep their arrival order.
  all.sort((a, b) => String(b.at ?? '').localeCompare(String(a.at ?? '')));
  return all.slice(0, MAX_OPERATIONS);
}

/**
 * Asks the server for the recent history. Resolves to the entries, or to [] for any problem:
 * the route may not exist on this server, and the panel works from pushes alone.
 */
export async function fetchHistory(limit = MAX_OPERATIONS, service = null) {
  const only = service ? `&service=${encodeURIComponent(service)}` : '';
  try {
    const response = await fetch(`api/history?limit=${limit}${only}`, {
      headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' },
      cache: 'no-store',
    });
    if (response.status !== 200) return [];
    const body = await response.json();
    return Array.isArray(body?.entries) ? body.entries.filter(isOperation) : [];
  } catch {
    return [];
  }
}

function row(op, displayName, now) {
  const li = el('li', 'op');
  const result = typeof op.result === 'string' && op.result ? op.result : (op.code ?? 'failed');
  const tone = Object.hasOwn(RESULT_TONE, result) ? RESULT_TONE[result] : 'bad';
  li.dataset.service = op.service;
  li.dataset.action = op.action;
  li.dataset.result = result;
  const message = typeof op.message === 'string' ? op.message : '';
  if (message) li.title = message;

  const time = el('time', 'op-time');
  const at = parseTime(op.at);
  if (at) {
    time.dateTime = op.at;
    time.textContent = clockTime(at, now);
    time.title = exactTime(at, op.at);
  } else {
    time.textContent = '—';
  }

  const service = el('span', 'op-service', displayName(op.service, op));
  const action = el('span', 'op-action', op.action);
  const badge = el('span', 'op-result', result);
  badge.dataset.tone = tone;
  const user = el('span', 'op-user');
  user.title = 'Requested by';
  user.append(el('span', 'visually-hidden', 'by '), typeof op.user === 'string' && op.user ? op.user : 'unknown');
  li.append(time, service, action, badge, user);
  // A failure's reason matters on a phone too, where there are no tooltips.
  if (tone !== 'ok' && message) li.append(el('span', 'op-message', message));
  return li;
}

/** Draws the list; `displayName(name, op)` gives a service's display name. */
export function renderOperations(list, empty, operations, displayName, now = Date.now()) {
  list.replaceChildren(...operations.map((op) => row(op, displayName, now)));
  empty.hidden = operations.length > 0;
}
