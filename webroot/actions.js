// The action buttons of a card (DESIGN §3 allowed_actions, §5 "action"/"result"). This module only
// draws: which buttons a card shows and how they look while a job runs. app.js owns the state.

import { isBusyStatus } from './cards.js';
import { el, icon, setBusy } from './dom.js';

/** Display order and wording; an action the server lists that is not here is not drawn. */
export const ACTIONS = {
  start:   { label: 'Start',   busy: 'Starting…',   done: 'started',   icon: ['path', { d: 'M5 3.5v9l7.5-4.5z' }] },
  stop:    { label: 'Stop',    busy: 'Stopping…',   done: 'stopped',   icon: ['rect', { x: 4, y: 4, width: 8, height: 8, rx: 1 }] },
  restart: { label: 'Restart', busy: 'Restarting…', done: 'restarted',
             icon: ['path', { d: 'M12.5 8a4.5 4.5 0 1 1-1.32-3.18M12.5 2.5v3h-3' }] },
};

/** Statuses in which an action makes no sense. "restart" is always offered when allowed. */
const POINTLESS = {
  start: new Set(['active', 'activating', 'reloading']),
  stop: new Set(['inactive', 'failed', 'deactivating']),
};

/**
 * The actions to show for a view: the allowed ones, minus those its known state rules out. A
 * hidden or unknown state rules out nothing.
 */
export function offeredActions(view, statusKey) {
  const allowed = Array.isArray(view.allowed_actions) ? view.allowed_actions : [];
  return Object.keys(ACTIONS).filter((action) =>
    allowed.includes(action) && !(POINTLESS[action]?.has(statusKey) ?? false));
}

function createButton(action) {
  const button = el('button', 'action');
  button.type = 'button';
  button.dataset.action = action;
  const spinner = el('span', 'action-spinner');
  spinner.setAttribute('aria-hidden', 'true');
  button.append(icon('action-icon', [ACTIONS[action].icon]), spinner, el('span', 'action-label'));
  return button;
}

/**
 * Brings a card's .card-actions in line with the view.
 *   live:    the socket is live (otherwise every button is disabled: the state may be stale)
 *   pending: { action, shown } while a job of this card runs — `shown` is the set of buttons the
 *            card had when it started, kept as it was so the pressed button never vanishes mid-job
 */
export function renderActions(card, view, statusKey, { live, pending }) {
  const container = card.querySelector('.card-actions');
  const wanted = pending ? pending.shown : offeredActions(view, statusKey);
  // On a fleet's dashboard a name repeats across hosts: the buttons say which.
  const title = (view.display_name || view.name) + (view.node ? ` on ${view.node}` : '');

  const existing = new Map();
  for (const button of container.querySelectorAll(':scope > button.action')) existing.set(button.dataset.action, button);
  const hadFocus = container.contains(document.activeElement);

  let previous = null;
  for (const action of wanted) {
    let button = existing.get(action);
    if (button) existing.delete(action);
    else button = createButton(action);
    const running = pending?.action === action;
    const text = ACTIONS[action];
    const label = running ? text.busy : text.label;
    const labelNode = button.querySelector('.action-label');
    if (labelNode.textContent !== label) labelNode.textContent = label;
    button.setAttribute('aria-label', `${label} ${title}`);
    // A lost host's service keeps its buttons, disabled: nothing can reach it now.
    const lost = statusKey === 'unreachable';
    button.disabled = !live || Boolean(pending) || lost;
    setBusy(button, running);
    button.dataset.running = String(running);
    if (!live) button.title = 'Not connected: the state shown may be out of date';
    else if (lost) button.title = 'Its host is not answering';
    else if (pending && !running) button.title = `Wait: ${ACTIONS[pending.action].busy.toLowerCase()}`;
    else button.removeAttribute('title');
    const place = previous ? previous.nextElementSibling : container.firstElementChild;
    if (place !== button) container.insertBefore(button, place);
    previous = button;
  }
  for (const button of existing.values()) button.remove();

  if (pending) card.dataset.busy = 'true';
  else delete card.dataset.busy;
  setBusy(card, Boolean(pending) || isBusyStatus(statusKey));
  // A button that vanished (Stop once stopped) must not drop keyboard focus onto <body>.
  if (hadFocus && !container.contains(document.activeElement)) {
    const next = container.querySelector('button.action:not(:disabled)');
    if (next) next.focus({ preventScroll: true });
  }
}
