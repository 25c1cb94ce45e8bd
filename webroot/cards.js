// One card per service view (DESIGN §3). Cards are built once per service name and then updated
// in place, so anything added to a card later (the buttons in .card-actions) survives updates.
// Every server string goes through textContent or an attribute, never through HTML parsing.

import { el, icon, setBusy } from './dom.js';
import { describeSince, exactTime, parseTime } from './time.js';

/** How each status reads. `tone` picks the colour; `busy` adds the loading indicator. */
const STATUS = {
  active:       { label: 'Active',        tone: 'ok' },
  inactive:     { label: 'Inactive',      tone: 'warn' },
  failed:       { label: 'Failed',        tone: 'bad' },
  error:        { label: 'Error',         tone: 'bad',
                  hint: 'The state could not be determined (systemd unreachable or unit not found).' },
  checking:     { label: 'Checking…',     tone: 'busy', busy: true },
  activating:   { label: 'Starting…',     tone: 'busy', busy: true },
  deactivating: { label: 'Stopping…',     tone: 'busy', busy: true },
  reloading:    { label: 'Reloading…',    tone: 'busy', busy: true },
  hidden:       { label: 'Status hidden', tone: 'hidden',
                  hint: 'The administrator does not share the state of this service.' },
  unknown:      { label: 'Unknown',       tone: 'busy' },
};

/** The status key used for data-status: the server's value, "hidden", or "unknown". */
export function statusKey(view) {
  if (view.status_check_allowed === false) return 'hidden';
  return Object.hasOwn(STATUS, view.status) && view.status !== 'hidden' ? view.status : 'unknown';
}

/** Whether a status is a transition (shown with a loading indicator). */
export function isBusyStatus(key) {
  return Boolean(STATUS[key]?.busy);
}

/** Which summary bucket a view counts in: active, failed (includes error) or other. */
export function bucket(view) {
  const key = statusKey(view);
  if (key === 'active') return 'active';
  if (key === 'failed' || key === 'error') return 'failed';
  return 'other';
}

function lockIcon() {
  return icon('badge-lock', [
    ['rect', { x: 3, y: 7, width: 10, height: 8, rx: 1.5 }],
    ['path', { d: 'M5 7V5a3 3 0 0 1 6 0v2' }],
  ]);
}

/** The empty skeleton of a card; renderCard fills it. */
export function createCard(name) {
  const card = el('article', 'card');
  card.dataset.service = name;

  const title = el('h2', 'card-title');

  const state = el('div', 'card-state');
  const badge = el('span', 'badge');
  const badgeIcon = el('span', 'badge-icon');
  badgeIcon.setAttribute('aria-hidden', 'true');
  badge.append(badgeIcon, el('span', 'badge-text'));
  state.append(badge, el('span', 'sub-state'), el('time', 'since'));

  const hint = el('p', 'card-hint');
  const desc = el('p', 'card-desc');
  const facts = el('p', 'card-facts');
  facts.append(el('code', 'card-unit'), el('span', 'pid'));

  // Filled by actions.js: a button per allowed action that makes sense in the current state.
  const actions = el('div', 'card-actions');
  actions.setAttribute('role', 'group');
  actions.setAttribute('aria-label', 'Actions');

  card.append(title, state, hint, desc, facts, actions);
  return card;
}

function setText(node, text) {
  const value = text ?? '';
  if (node.textContent !== value) node.textContent = value;
  node.hidden = value === '';
}

/** Brings a card in line with a service view. */
export function renderCard(card, view, now = Date.now()) {
  const key = statusKey(view);
  const info = STATUS[key];
  const hidden = key === 'hidden';
  card.dataset.status = key;
  card.dataset.tone = info.tone;
  setBusy(card, Boolean(info.busy) || card.dataset.busy === 'true');

  const title = view.display_name || view.name;
  card.querySelector('.card-title').textContent = title;
  card.querySelector('.card-unit').textContent = view.unit || view.name;
  card.setAttribute('aria-label', `${title}: ${info.label}`);
  setText(card.querySelector('.card-desc'), view.description);

  const badge = card.querySelector('.badge');
  badge.dataset.status = key;
  badge.dataset.tone = info.tone;
  badge.querySelector('.badge-text').textContent = info.label;
  const badgeIcon = badge.querySelector('.badge-icon');
  if (hidden && !badgeIcon.firstChild) badgeIcon.append(lockIcon());
  if (!hidden && badgeIcon.firstChild) badgeIcon.replaceChildren();
  const checked = parseTime(view.last_check);
  if (checked && !hidden) badge.title = `Last checked ${exactTime(checked, view.last_check)}`;
  else badge.removeAttribute('title');

  // A hidden service shows nothing about its state, whatever the view carries.
  setText(card.querySelector('.sub-state'), hidden ? '' : view.sub_state);
  renderSince(card.querySelector('.since'), hidden ? null : view.since, now);
  setText(card.querySelector('.card-hint'), info.hint);
  const pid = !hidden && Number.isInteger(view.main_pid) && view.main_pid > 0 ? `PID ${view.main_pid}` : '';
  setText(card.querySelector('.pid'), pid);
}

/** Fills a <time class="since"> from an ISO value; called again every ~30 s to keep it fresh. */
export function renderSince(node, iso, now = Date.now()) {
  const date = parseTime(iso);
  if (!date) {
    setText(node, '');
    node.removeAttribute('datetime');
    node.removeAttribute('title');
    return;
  }
  node.dateTime = iso;
  node.title = `In this state since ${exactTime(date, iso)}`;
  setText(node, describeSince(date, now));
}

/** Updates every relative time on the page. */
export function refreshTimes(root, now = Date.now()) {
  for (const node of root.querySelectorAll('time.since[datetime]')) {
    renderSince(node, node.getAttribute('datetime'), now);
  }
}

/**
 * Makes the container show exactly these views, in this order: existing cards are updated and
 * moved, missing ones created, cards of services no longer listed removed.
 */
export function renderServices(container, views, now = Date.now()) {
  const existing = new Map();
  for (const card of container.querySelectorAll(':scope > .card')) existing.set(card.dataset.service, card);
  let previous = null;
  for (const view of views) {
    let card = existing.get(view.name);
    if (card) existing.delete(view.name);
    else card = createCard(view.name);
    renderCard(card, view, now);
    const wanted = previous ? previous.nextElementSibling : container.firstElementChild;
    if (wanted !== card) container.insertBefore(card, wanted);
    previous = card;
  }
  for (const card of existing.values()) card.remove();
}
