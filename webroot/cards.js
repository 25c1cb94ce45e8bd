// One card per service view (DESIGN §3). Cards are built once per service name and then updated
// in place, so anything added to a card later (the buttons in .card-actions) survives updates.
// Every server string goes through textContent or an attribute, never through HTML parsing.

import { el, icon, setBusy } from './dom.js';
import { describeAgo, describeSince, exactTime, parseTime } from './time.js';

/**
 * How each status reads, in plain words. `tone` picks the colour (stopped is grey: a stopped
 * service is not a warning); `busy` adds the loading indicator; `plain` is systemd's sub-state
 * that only repeats the label, so it is not shown.
 */
const STATUS = {
  active:       { label: 'Running',       tone: 'ok',   plain: ['running'] },
  inactive:     { label: 'Stopped',       tone: 'off',  plain: ['dead'] },
  failed:       { label: 'Failed',        tone: 'bad',  plain: ['failed'] },
  error:        { label: 'Unknown state', tone: 'bad',
                  hint: 'The state could not be determined (systemd unreachable or unit not found).' },
  checking:     { label: 'Checking…',     tone: 'busy', busy: true },
  activating:   { label: 'Starting…',     tone: 'busy', busy: true, plain: ['start', 'start-pre', 'start-post'] },
  deactivating: { label: 'Stopping…',     tone: 'busy', busy: true, plain: ['stop', 'stop-sigterm', 'stop-post'] },
  reloading:    { label: 'Reloading…',    tone: 'busy', busy: true, plain: ['reload'] },
  hidden:       { label: 'Status hidden', tone: 'hidden',
                  hint: 'The administrator does not share the state of this service.' },
  unreachable:  { label: 'Unreachable',   tone: 'lost',
                  hint: 'Its host is not answering: its state is not known and nothing can be done there now.' },
  unknown:      { label: 'Unknown',       tone: 'busy' },
};

/** A failure whose reason says the process died (rather than, say, a start timeout) is a crash. */
const CRASH = /exited with status|killed by signal|dumped core|core dump/i;

/** Past tense of an operation's action, for "Restarted by alice". */
const DONE = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };

/**
 * A service's key in the page: its name, or "node/name" on a fleet's dashboard, where a name repeats
 * across hosts (node names have no "/").
 */
export const serviceKey = (node, name) => (typeof node === 'string' && node ? `${node}/${name}` : name);
export const keyOf = (view) => serviceKey(view.node, view.name);

/** The status key used for data-status: the server's value, "hidden", or "unknown". */
export function statusKey(view) {
  // A lost host's services are unreachable, hidden ones too: the host's state, not theirs.
  if (view.status === 'unreachable') return 'unreachable';
  if (view.status_check_allowed === false) return 'hidden';
  return Object.hasOwn(STATUS, view.status) && view.status !== 'hidden' ? view.status : 'unknown';
}

/** Whether a status is a transition (shown with a loading indicator). */
export function isBusyStatus(key) {
  return Boolean(STATUS[key]?.busy);
}

/** Whether a failed view's last failure was the process dying ("Crashed" rather than "Failed"). */
export function isCrash(view) {
  return statusKey(view) === 'failed' && CRASH.test(view.last_failure?.reason ?? '');
}

/** The word a view's state reads as on its card and in the summary. */
export function stateLabel(view) {
  return isCrash(view) ? 'Crashed' : STATUS[statusKey(view)].label;
}

/** Which summary bucket a view counts in: active, failed (includes error) or other. */
export function bucket(view) {
  const key = statusKey(view);
  if (key === 'active') return 'active';
  if (key === 'failed' || key === 'error') return 'failed';
  return 'other';
}

/**
 * The summary's word for a view, e.g. "running", "crashed", "stopped", "starting" — the parts of
 * "2 running · 1 crashed · 1 stopped", listed in SUMMARY_ORDER.
 */
export function summaryWord(view) {
  return statusKey(view) === 'hidden' ? 'hidden' : stateLabel(view).replace('…', '').toLowerCase();
}
export const SUMMARY_ORDER = ['running', 'crashed', 'failed', 'unknown state', 'unreachable', 'starting', 'stopping',
  'reloading', 'checking', 'stopped', 'hidden', 'unknown'];

/** "Restarted by alice", "Restart by bob failed": the last operation, without its time. */
export function describeOperation(op) {
  if (!op || typeof op !== 'object' || !Object.hasOwn(DONE, op.action)) return '';
  const by = typeof op.user === 'string' && op.user ? ` by ${op.user}` : '';
  if (op.result === 'done') return `${DONE[op.action]}${by}`;
  const verb = op.action.charAt(0).toUpperCase() + op.action.slice(1);
  return `${verb}${by} ${op.result === 'timeout' ? 'timed out' : 'failed'}`;
}

function lockIcon() {
  return icon('badge-lock', [
    ['rect', { x: 3, y: 7, width: 10, height: 8, rx: 1.5 }],
    ['path', { d: 'M5 7V5a3 3 0 0 1 6 0v2' }],
  ]);
}

/** The empty skeleton of a card; renderCard fills it. */
export function createCard(view) {
  const card = el('article', 'card');
  card.dataset.service = keyOf(view);
  if (view.node) card.dataset.node = view.node;

  const title = el('h2', 'card-title');

  const state = el('div', 'card-state');
  const badge = el('span', 'badge');
  const badgeIcon = el('span', 'badge-icon');
  badgeIcon.setAttribute('aria-hidden', 'true');
  badge.append(badgeIcon, el('span', 'badge-text'));
  state.append(badge, el('span', 'sub-state'), el('time', 'since'));

  // The last 24 h as a small bar (card-bars.js fills it after first paint): its space is held from
  // the start, so the cards do not move when it comes.
  const bar = el('div', 'card-bar');

  // Why it is down ("exited with status 1, 2 min ago") and who did what last.
  const reason = el('p', 'card-reason');
  reason.append(el('span', 'card-reason-text'), el('time', 'ago'));
  const lastOp = el('p', 'card-op');
  lastOp.append(el('span', 'card-op-text'), el('time', 'ago'));

  const hint = el('p', 'card-hint');
  const desc = el('p', 'card-desc');
  const facts = el('p', 'card-facts');
  facts.append(el('code', 'card-unit'), el('span', 'pid'));

  // Filled by actions.js: a button per allowed action that makes sense in the current state.
  const actions = el('div', 'card-actions');
  actions.setAttribute('role', 'group');
  actions.setAttribute('aria-label', 'Actions');

  card.append(title, state, bar, reason, hint, desc, facts, lastOp, actions);
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
  setText(card.querySelector('.card-desc'), view.description);

  const label = stateLabel(view);
  card.setAttribute('aria-label', `${title}: ${label}`);
  const badge = card.querySelector('.badge');
  badge.dataset.status = key;
  badge.dataset.tone = info.tone;
  badge.querySelector('.badge-text').textContent = label;
  const badgeIcon = badge.querySelector('.badge-icon');
  if (hidden && !badgeIcon.firstChild) badgeIcon.append(lockIcon());
  if (!hidden && badgeIcon.firstChild) badgeIcon.replaceChildren();
  const checked = parseTime(view.last_check);
  if (checked && !hidden) badge.title = `Last checked ${exactTime(checked, view.last_check)}`;
  else badge.removeAttribute('title');

  // A hidden service shows nothing about its state, whatever the view carries. A sub-state that
  // only repeats the label ("Failed failed", "Stopped dead") is left out.
  const sub = typeof view.sub_state === 'string' && !(info.plain ?? []).includes(view.sub_state) ? view.sub_state : '';
  setText(card.querySelector('.sub-state'), hidden ? '' : sub);
  renderSince(card.querySelector('.since'), hidden ? null : (key === 'active' && view.up_since) || view.since, now);

  const failure = key === 'failed' && view.last_failure && typeof view.last_failure.reason === 'string'
    ? view.last_failure : null;
  renderLine(card.querySelector('.card-reason'), failure?.reason ?? '', failure ? ', ' : '', failure?.at, now);
  const op = hidden ? null : view.last_operation;
  const opText = describeOperation(op);
  renderLine(card.querySelector('.card-op'), opText, ' · ', opText ? op.at : null, now);

  // No state, no state over time: a hidden service has no bar and nothing is drawn into it.
  const bar = card.querySelector('.card-bar');
  if (bar.hidden !== hidden) {
    bar.hidden = hidden;
    if (hidden) {
      bar.replaceChildren();
      bar.removeAttribute('title');
    }
  }
  // A lost host's state over time ends in a state it may no longer be in: its space stays, empty,
  // until the host is back and card-bars.js draws it again from the host's own timeline.
  if (key === 'unreachable' && bar.firstChild) {
    bar.replaceChildren();
    bar.removeAttribute('title');
  }

  setText(card.querySelector('.card-hint'), info.hint);
  const pid = !hidden && Number.isInteger(view.main_pid) && view.main_pid > 0 ? `PID ${view.main_pid}` : '';
  setText(card.querySelector('.pid'), pid);
}

/** A line of text followed, when known, by how long ago: "exited with status 1, 2 min ago". */
function renderLine(line, text, separator, iso, now) {
  line.hidden = text === '';
  const textNode = line.querySelector('span');
  const value = text + (parseTime(iso) ? separator : '');
  if (textNode.textContent !== value) textNode.textContent = value;
  renderAgo(line.querySelector('time.ago'), text ? iso : null, now);
}

/** Fills a <time class="ago">: "5 min ago"; refreshed with the others. */
export function renderAgo(node, iso, now = Date.now()) {
  renderTime(node, iso, (date) => exactTime(date, iso), (date) => describeAgo(date, now));
}

/** A <time> from an ISO value, its words and its exact title; emptied when there is no time. */
function renderTime(node, iso, title, words) {
  const date = parseTime(iso);
  if (!date) {
    setText(node, '');
    node.removeAttribute('datetime');
    node.removeAttribute('title');
    return;
  }
  node.dateTime = iso;
  node.title = title(date);
  setText(node, words(date));
}

/** Fills a <time class="since"> from an ISO value; called again every ~30 s to keep it fresh. */
export function renderSince(node, iso, now = Date.now()) {
  renderTime(node, iso, (date) => `In this state since ${exactTime(date, iso)}`, (date) => describeSince(date, now));
}

/** Updates every relative time on the page. */
export function refreshTimes(root, now = Date.now()) {
  for (const node of root.querySelectorAll('time.since[datetime]')) {
    renderSince(node, node.getAttribute('datetime'), now);
  }
  for (const node of root.querySelectorAll('time.ago[datetime]')) {
    renderAgo(node, node.getAttribute('datetime'), now);
  }
}

/** A host's heading on a fleet's dashboard: its name and whether it answers. */
function createHeading(node) {
  const heading = el('h2', 'host-heading');
  heading.dataset.node = node;
  heading.append(el('span', 'host-name', node), el('span', 'host-state'));
  return heading;
}

/**
 * Makes the container show exactly these views, in this order: existing cards are updated and
 * moved, missing ones created, cards of services no longer listed removed. With `grouped`, the
 * views (already in host order) get a heading before each host's first card.
 */
export function renderServices(container, views, now = Date.now(), grouped = false) {
  const existing = new Map();
  for (const card of container.querySelectorAll(':scope > .card')) existing.set(card.dataset.service, card);
  const headings = new Map();
  for (const heading of container.querySelectorAll(':scope > .host-heading')) headings.set(heading.dataset.node, heading);
  let previous = null;
  const place = (node) => {
    const wanted = previous ? previous.nextElementSibling : container.firstElementChild;
    if (wanted !== node) container.insertBefore(node, wanted);
    previous = node;
  };
  let group = null;
  for (const view of views) {
    if (grouped && view.node !== group) {
      group = view.node;
      let heading = headings.get(group);
      if (heading) headings.delete(group);
      else heading = createHeading(group);
      place(heading);
    }
    const key = keyOf(view);
    let card = existing.get(key);
    if (card) existing.delete(key);
    else card = createCard(view);
    renderCard(card, view, now);
    place(card);
  }
  for (const card of existing.values()) card.remove();
  for (const heading of headings.values()) heading.remove();
}
