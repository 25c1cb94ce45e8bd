// The dashboard: one state object, filled from the /ws feed (DESIGN §5) and rendered from it.

import { Connection, feedUrl } from './connection.js';
import {
  SUMMARY_ORDER, bucket, createCard, keyOf, refreshTimes, renderCard, renderServices, serviceKey, statusKey, summaryWord,
} from './cards.js';
import { FINDER_FROM, hostsOf, matches, ordered, rank, readFinder, renderHostFilter } from './finder.js';
import { notifyFailure, setUpNotifications } from './alerts.js';
import { ACTIONS, offeredActions, renderActions } from './actions.js';
import { confirmAction } from './confirm.js';
import { fetchHistory, mergeOperations, renderOperations } from './operations.js';
import { clearToasts, showToast } from './toasts.js';
import { currentSession, logOut } from './session.js';
import { requireLogin } from './login.js';
import { CONFIG_ROUTE, linkCard, routeOf } from './routes.js';
import { clockTime, exactTime, parseTime } from './time.js';
import { CardBars } from './card-bars.js';

const TIME_REFRESH = 30_000;
/** The server answers within its job timeout (120 s); past this the answer is presumed lost. */
const RESULT_WATCHDOG = 300_000;

const state = {
  services: [],        // service views, in the order the server sent them; keyed by keyOf (cards.js)
  hosts: [],           // on a fleet's dashboard the nodes the views come from, its own first (finder.js)
  ownNode: null,       // on a fleet's dashboard its own node: the server lists its views first
  lostSince: new Map(),// node → when it became unreachable (GET api/nodes, or when this page saw it)
  loaded: false,       // a snapshot has arrived at least once
  connection: { state: 'connecting', attempt: 0, retryAt: null },
  configErrors: null,  // the last config_error list, while its banner is up
  operations: [],      // finished actions, newest first, at most MAX_OPERATIONS (operations.js)
  pending: new Map(),  // service key → { id, action, shown, refocus, watchdog } while its job runs
  session: null,       // { user, role, method, expires } once known (GET api/session)
};
let nextId = 1;

const $ = (id) => document.getElementById(id);
const ui = {
  services: $('services'),
  empty: $('services-empty'),
  summary: $('summary'),
  summaryText: $('summary-text'),
  stale: $('stale-notice'),
  connection: $('connection'),
  connectionText: $('connection-text'),
  connectionDetail: $('connection-detail'),
  connectionRetry: $('connection-retry'),
  configError: $('config-error'),
  configErrorList: $('config-error-list'),
  configErrorDismiss: $('config-error-dismiss'),
  operationsList: $('operations-list'),
  operationsEmpty: $('operations-empty'),
  actionStatus: $('action-status'),
  account: $('account'),
  accountName: $('account-name'),
  accountLabel: $('account-label'),
  logout: $('logout'),
  login: $('login'),
  finder: $('finder'),
  search: $('search'),
  stateFilter: $('state-filter'),
  hostFilter: $('host-filter'),
  finderCount: $('finder-count'),
  favicon: document.querySelector('link[rel="icon"]'),
};
/** How long a failure of a service started from here is left to start_failed to explain. */
const FAILURE_GRACE = 2_000;
/** service key → when the user was last told it failed (a result, start_failed or on its own). */
const toldFailure = new Map();
/** service key → timer of a pending "failed on its own" toast. */
const failureTimers = new Map();

const connection = new Connection(feedUrl());
/** A service's page (ServicePage), once its code is loaded: the list alone never loads it. */
let page = null;
let snapshotOnThisSocket = false;

// ---- messages ---------------------------------------------------------------------------------

const isView = (v) => v && typeof v === 'object' && typeof v.name === 'string' && v.name !== '';

const handlers = {
  snapshot(msg) {
    if (!Array.isArray(msg.services)) return;
    // A second snapshot on the same socket follows a valid config reload: old errors are fixed.
    if (snapshotOnThisSocket) hideConfigErrors();
    snapshotOnThisSocket = true;
    state.services = msg.services.filter(isView);
    learnHosts();
    state.loaded = true;
    renderAll();
    if (page?.key && page.key !== routeKey()) route(); // the own node became known: the page's key is "node/name"
    else if (page?.key) page.update(viewOf(page.key), true);
    renderTitle(); // a service page's name may have come with this snapshot
    loadBars();
  },
  status(msg) {
    const view = msg.service;
    if (!isView(view)) return;
    const key = keyOf(view);
    const index = state.services.findIndex((s) => keyOf(s) === key);
    const before = index >= 0 ? state.services[index] : null;
    if (index >= 0) state.services[index] = view;
    else state.services.push(view); // a new service may report before the reload's snapshot
    if (view.node && !state.hosts.includes(view.node)) learnHosts();
    if (before && (statusKey(before) === 'unreachable') !== (statusKey(view) === 'unreachable')) hostChanged(view.node);
    renderOne(view);
    bars?.onStatus(view);
    if (bars?.wants(view)) loadHostBars(view.node ?? ''); // its host is back: its snapshot replaced what was shown
    renderSummary();
    if (page?.key === key) {
      page.update(view);
      page.refreshInsight();
    }
    if (before && bucket(before) !== 'failed' && statusKey(view) === 'failed') failedHere(key);
  },
  start_failed(msg) {
    if (typeof msg.service !== 'string') return;
    const key = keyFor(msg.node, msg.service);
    clearTimeout(failureTimers.get(key));
    failureTimers.delete(key);
    const title = displayName(key);
    const seconds = Number.isFinite(msg.after_ms) ? Math.max(1, Math.round(msg.after_ms / 1000)) : null;
    const verb = msg.action === 'restart' ? 'restarted' : 'started';
    const when = seconds ? ` ${seconds} s after it ${verb}` : ` after it ${verb}`;
    tellFailure(key, `${title} failed${when}`,
      typeof msg.message === 'string' && msg.message ? msg.message : 'It stopped soon after starting.');
  },
  operation(msg) {
    addOperations([msg]);
    page?.onOperation(msg);
  },
  log(msg) {
    page?.onLog(msg);
  },
  config_error(msg) {
    state.configErrors = Array.isArray(msg.errors) ? msg.errors : [];
    renderConfigErrors();
  },
  error(msg) {
    if (page?.onError(msg)) return;
    const text = typeof msg.message === 'string' && msg.message ? msg.message : 'The server reported an error.';
    showToast(text, { tone: 'bad' });
  },
  pong() {},
  result(msg) {
    for (const [key, job] of state.pending) {
      if (job.id === msg.id) {
        finishJob(key);
        showResult(key, job.action, msg);
        return;
      }
    }
  },
};

connection.addEventListener('message', (event) => {
  const msg = event.detail;
  const handler = Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
  if (handler) handler(msg);
  else console.debug('ignored message', msg.type);
});

connection.addEventListener('open', () => {
  snapshotOnThisSocket = false;
  // Operations finished while we were away came as pushes to nobody: ask the history again.
  loadHistory();
  page?.onReconnect();
});

connection.addEventListener('state', (event) => {
  state.connection = event.detail;
  if (event.detail.state !== 'live') dropPending();
  renderConnection();
  paintAllActions();
  // A socket refused or closed may mean the session ended (the browser does not show /ws's 401).
  if (event.detail.state === 'reconnecting') checkSession();
});

// ---- session ----------------------------------------------------------------------------------

let checking = false;

/** Asks who we are; on 401 holds the feed and shows the login form over the page as it is. */
async function checkSession() {
  if (checking) return;
  checking = true;
  const result = await currentSession();
  checking = false;
  if (result.status === 'ok') {
    setSession(result.session);
  } else if (result.status === 'unauthorized') {
    const note = state.session ? 'Your session has ended. Log in to continue where you were.' : '';
    // The header must not go on naming a user whose session is gone; the page's data stays.
    setSession(null);
    connection.hold();
    setSession(await requireLogin(note));
    connection.retryNow();
  }
}

function setSession(session) {
  state.session = session;
  renderAccount();
}

function renderAccount() {
  const session = state.session;
  // Its row (a row of its own on a phone) is held while nobody is known: no jump when it fills.
  ui.account.dataset.session = session ? 'known' : 'none';
  if (!session) return;
  const anonymous = session.method === 'anonymous';
  ui.accountLabel.textContent = anonymous ? 'Not signed in:' : 'Signed in as';
  ui.accountName.textContent = anonymous ? 'view only'
    : session.role === 'viewer' ? `${session.user} (view only)` : session.user;
  ui.logout.hidden = anonymous;
  ui.login.hidden = !anonymous;
  configLink().hidden = session.configuration !== true;
}

/** The header's link to #/config, made once; shown to identities that may see the configuration. */
function configLink() {
  let link = document.getElementById('config-link');
  if (!link) {
    link = document.createElement('a');
    link.id = 'config-link';
    link.className = 'account-button account-link';
    link.href = CONFIG_ROUTE;
    link.textContent = 'Configuration';
    link.hidden = true;
    ui.account.insertBefore(link, ui.logout);
  }
  return link;
}

let signOuts = 0; // counts logouts, so that an answer can tell whether it is still wanted

async function signOut() {
  signOuts += 1;
  // The next person at this screen must not see what this user saw. The state goes first, in the
  // same task as hold(): the held connection then renders as a logged-out page, not a stale one,
  // and no push can slip in between.
  forgetPending();
  page?.close();
  configPage?.close();
  configLink().hidden = true;
  if (location.hash === CONFIG_ROUTE) history.replaceState(null, '', '#/');
  bars?.clear();
  state.session = null;
  state.services = [];
  state.hosts = [];
  state.ownNode = null;
  state.lostSince.clear();
  state.operations = [];
  state.loaded = false;
  state.configErrors = null;
  connection.hold();
  clearToasts();
  ui.actionStatus.textContent = '';
  renderAccount();
  renderAll();
  renderConfigErrors();
  ui.summaryText.textContent = 'Logged out';
  await logOut();
  setSession(await requireLogin('', { forgetUser: true }));
  connection.retryNow();
  route();
}

async function signIn() {
  connection.hold();
  setSession(await requireLogin(''));
  connection.retryNow();
}

// ---- actions ----------------------------------------------------------------------------------

const viewOf = (key) => state.services.find((s) => keyOf(s) === key);
/** A service's title; on a fleet's dashboard with 2+ hosts it says where: "pzserver on game-b". */
const displayName = (key) => {
  const view = viewOf(key);
  const title = view?.display_name || view?.name || key;
  return view?.node && state.hosts.length > 1 ? `${title} on ${view.node}` : title;
};
const isLive = () => state.connection.state === 'live';
/**
 * The key of a service a message names: frames of the dashboard's own node may come without `node`.
 */
function keyFor(node, name) {
  const key = serviceKey(node, name);
  if (node || !state.ownNode || viewOf(key)) return key;
  return serviceKey(state.ownNode, name);
}

function cardOf(key) {
  return [...ui.services.children].find((c) => c.dataset.service === key) ?? null;
}

async function requestAction(key, action) {
  const view = viewOf(key);
  const name = view?.name;
  if (!view || state.pending.has(key) || !isLive() || statusKey(view) === 'unreachable') return;
  const title = displayName(key);
  const question = action === 'stop' ? {
    title: `Stop ${title}?`,
    text: `${title} (${view.unit || name}) will stop and stay stopped until someone starts it again.`,
    okLabel: 'Stop',
  } : action === 'restart' && view.confirm_restart === true ? {
    title: `Restart ${title}?`,
    text: `${title} (${view.unit || name}) will stop and start again: whoever is using it now is cut off.`,
    okLabel: 'Restart',
  } : null;
  if (question) {
    const yes = await confirmAction(question);
    if (!yes || state.pending.has(key)) return;
  }
  const id = `c${nextId++}`;
  // Without `node` an action runs on the dashboard's own node.
  const where = view.node && view.node !== state.ownNode ? { node: view.node } : {};
  if (!connection.send({ type: 'action', id, ...where, service: name, action })) {
    showToast('Nothing was sent. Try again once the dashboard is live.',
      { tone: 'bad', title: `Not connected: ${title} was not ${ACTIONS[action].done}` });
    return;
  }
  const card = cardOf(key);
  // The buttons stay as they are while the job runs, though the state passes through others.
  const shown = offeredActions(view, statusKey(view));
  if (!shown.includes(action)) shown.push(action);
  state.pending.set(key, {
    id,
    action,
    shown,
    refocus: Boolean(card?.contains(document.activeElement)) || document.activeElement === document.body,
    watchdog: setTimeout(() => lostAnswer(key, id, 'The server did not answer.'), RESULT_WATCHDOG),
  });
  ui.actionStatus.textContent = `${ACTIONS[action].busy.replace('…', '')} ${title}…`;
  if (card) paintActions(card, view);
}

/** Ends a job's busy state (its answer came, or will never come) and repaints its card. */
function finishJob(key) {
  const job = state.pending.get(key);
  if (!job) return;
  clearTimeout(job.watchdog);
  state.pending.delete(key);
  const card = cardOf(key);
  const view = viewOf(key);
  if (!card || !view) return;
  paintActions(card, view);
  // Disabling the pressed button took keyboard focus away; give it back inside the card.
  const lost = !document.activeElement || document.activeElement === document.body;
  if (job.refocus && lost && !document.querySelector('dialog[open]')) {
    const target = card.querySelector(`button.action[data-action="${job.action}"]:not(:disabled)`)
      ?? card.querySelector('button.action:not(:disabled)');
    target?.focus({ preventScroll: true });
  }
}

function lostAnswer(key, id, reason) {
  const job = state.pending.get(key);
  if (!job || job.id !== id) return;
  finishJob(key);
  showToast(`${reason} The ${job.action} may or may not have happened: check the card once it is live.`,
    { tone: 'bad', title: `${displayName(key)}: result unknown`, timeout: 15_000 });
}

/** Ends every busy state without a word: after logout nobody is left to tell. */
function forgetPending() {
  for (const job of state.pending.values()) clearTimeout(job.watchdog);
  state.pending.clear();
}

/** The socket dropped: answers for jobs sent on it can never arrive. */
function dropPending() {
  for (const [key, job] of [...state.pending]) lostAnswer(key, job.id, 'The connection was lost.');
}

const FAILURE_TITLES = {
  failed: (label, title) => `${label} of ${title} failed`,
  timeout: (label, title) => `${label} of ${title} timed out`,
  canceled: (label, title) => `${label} of ${title} was canceled`,
  dependency: (label, title) => `${label} of ${title} failed: a unit it needs failed`,
};
const CODE_TITLES = {
  forbidden: (label, title) => `${label} is not allowed for ${title}`,
  unknown_service: (label, title) => `${title} is no longer configured`,
  invalid_action: (label, title) => `${label} is not an action the server knows`,
  bus_unavailable: (label, title) => `${label} of ${title} failed: systemd cannot be reached`,
  unavailable: (label, title) => `${label} of ${title} failed: actions are not available`,
  unknown_node: (label, title) => `${label} of ${title} failed: its host is not in the fleet`,
  node_unreachable: (label, title) => `${label} of ${title} failed: its host is not answering`,
};

/** The toast for an action's answer: what systemd really did, with the reason on failure. */
function showResult(key, action, msg) {
  const title = displayName(key);
  const label = ACTIONS[action].label;
  const message = typeof msg.message === 'string' ? msg.message : '';
  if (msg.status === 'success') {
    showToast(message, { tone: 'ok', title: `${title} ${ACTIONS[action].done}`, timeout: 3_000 });
    return;
  }
  toldFailure.set(key, Date.now());
  const describe = (Object.hasOwn(FAILURE_TITLES, msg.result) && FAILURE_TITLES[msg.result])
    || (Object.hasOwn(CODE_TITLES, msg.code) && CODE_TITLES[msg.code])
    || FAILURE_TITLES.failed;
  showToast(message || 'The server gave no reason.', { tone: 'bad', title: describe(label, title), timeout: 15_000 });
}

function paintActions(card, view) {
  renderActions(card, view, statusKey(view), { live: isLive(), pending: state.pending.get(keyOf(view)) ?? null });
}

function paintAllActions() {
  for (const view of state.services) {
    const card = cardOf(keyOf(view));
    if (card) paintActions(card, view);
  }
}

/**
 * A service turned failed under the open page. If nobody here was just told why (an action's
 * answer, or start_failed, which follows within moments for a start that died), a red toast says
 * so: a service that fails on its own must not go unnoticed.
 */
function failedHere(key) {
  if (state.pending.has(key) || failureTimers.has(key)) return;
  failureTimers.set(key, setTimeout(() => {
    failureTimers.delete(key);
    const told = toldFailure.get(key);
    const view = viewOf(key);
    if ((told && Date.now() - told < 5 * FAILURE_GRACE) || !view || statusKey(view) !== 'failed') return;
    tellFailure(key, `${displayName(key)} failed`, view.last_failure?.reason || 'It stopped on its own.');
  }, FAILURE_GRACE));
}

function tellFailure(key, title, text) {
  toldFailure.set(key, Date.now());
  showToast(text, { tone: 'bad', title, timeout: 15_000 });
  notifyFailure(title, text);
}

// ---- operations -------------------------------------------------------------------------------

function addOperations(ops) {
  state.operations = mergeOperations(state.operations, ops);
  renderOperationsPanel();
}

function renderOperationsPanel() {
  renderOperations(ui.operationsList, ui.operationsEmpty, state.operations, (service, op) => displayName(keyFor(op.node, service)));
}

async function loadHistory() {
  const asked = signOuts;
  const entries = await fetchHistory();
  // An answer asked for by the previous user is theirs: it must not fill the logged-out page.
  if (entries.length && asked === signOuts) addOperations(entries);
}

// ---- the cards' small 24 h bars ---------------------------------------------------------------

let bars = null; // the CardBars, from the first snapshot on
let barsWanted = false; // a load put off while a page covered the list

/**
 * Every card's bar, one request per host, after the cards are painted: the requests and the drawing
 * wait for the frame after this one, off the way to the first paint. While a page covers the list,
 * the bars are not drawn for nobody: the load waits for the way back.
 */
function loadBars() {
  if (document.body.classList.contains('on-service-page')) {
    barsWanted = true;
    return;
  }
  barsWanted = false;
  requestAnimationFrame(() => setTimeout(() => {
    if (!state.loaded) return;
    bars ??= new CardBars((view) => cardOf(keyOf(view)), () => state.ownNode);
    bars.load(() => state.services);
  }, 0));
}

/**
 * One host's bars, asked for at once (its cards are painted: a push brought it back), so that the
 * next push of the same host finds them on their way; behind a page, every host's on the way back.
 */
function loadHostBars(node) {
  if (document.body.classList.contains('on-service-page')) {
    barsWanted = true;
    return;
  }
  bars.loadHost(node);
}

// ---- rendering --------------------------------------------------------------------------------

const grouped = () => state.hosts.length > 1;
const finding = () => state.services.length >= FINDER_FROM || grouped();

/** Which hosts the views come from; on a fleet's dashboard its own views come first. */
function learnHosts() {
  state.hosts = hostsOf(state.services);
  state.ownNode = state.services[0]?.node ?? null;
  renderHostFilter(ui.hostFilter, state.hosts);
}

function renderAll() {
  ui.services.setAttribute('aria-busy', String(!state.loaded));
  document.body.dataset.loaded = String(state.loaded);
  ui.finder.hidden = !finding();
  renderServices(ui.services, ordered(state.services, finding(), state.hosts), Date.now(), grouped());
  for (const view of state.services) linkCard(cardOf(keyOf(view)), view, view.node === state.ownNode);
  renderHostHeadings();
  paintAllActions();
  applyFinder();
  ui.empty.hidden = !(state.loaded && state.services.length === 0);
  renderSummary();
  renderOperationsPanel(); // display names may have changed
}

/** One pushed view: only its card is touched (and moved, when failed-first order changes). */
function renderOne(view) {
  if (finding() === ui.finder.hidden) {
    renderAll(); // the finder comes or goes: every card's place and visibility change
    return;
  }
  let card = cardOf(keyOf(view));
  const moved = !card || card.dataset.rank !== String(rank(view));
  if (grouped() && moved) {
    renderAll(); // a card of a fleet moves within its host's group: the headings are placed again
    return;
  }
  if (!card) {
    card = createCard(view);
    ui.services.append(card);
    ui.empty.hidden = true;
  }
  renderCard(card, view);
  linkCard(card, view, view.node === state.ownNode);
  paintActions(card, view);
  card.dataset.rank = String(rank(view));
  if (finding()) {
    if (moved) placeCard(card, view);
    card.hidden = !matches(view, finderQuestion());
    renderFinderCount();
  }
  renderHostHeadings();
}

const finderQuestion = () => readFinder(ui.search, ui.stateFilter, ui.hostFilter);

/**
 * A node's services turned unreachable, or came back: its heading says since when, from
 * GET api/nodes (the moment the dashboard noticed); until that answers, from this page's clock.
 */
function hostChanged(node) {
  if (!node) return;
  state.lostSince.set(node, new Date().toISOString());
  fetch('api/nodes', { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }, cache: 'no-store' })
    .then((response) => (response.status === 200 ? response.json() : null))
    .then((body) => {
      for (const entry of Array.isArray(body?.nodes) ? body.nodes : []) {
        if (typeof entry?.node === 'string' && entry.reachable === false && typeof entry.since === 'string') {
          state.lostSince.set(entry.node, entry.since);
        }
      }
      renderHostHeadings();
    }, () => {});
}

/** Each host's heading: its name, and "unreachable since 11:02" when every service of it is unreachable. */
function renderHostHeadings() {
  const question = finding() ? finderQuestion() : null;
  for (const heading of ui.services.querySelectorAll(':scope > .host-heading')) {
    const node = heading.dataset.node;
    const views = state.services.filter((view) => view.node === node);
    const lost = views.length > 0 && views.every((view) => statusKey(view) === 'unreachable');
    heading.dataset.reachable = String(!lost);
    const since = parseTime(state.lostSince.get(node));
    const text = lost ? (since ? `unreachable since ${clockTime(since)}` : 'unreachable') : 'reachable';
    const stateNode = heading.querySelector('.host-state');
    if (stateNode.textContent !== text) stateNode.textContent = text;
    if (since && lost) stateNode.title = exactTime(since, state.lostSince.get(node));
    else stateNode.removeAttribute('title');
    heading.hidden = Boolean(question) && !views.some((view) => matches(view, question));
  }
}

/** Puts a card where failed-first order wants it, before the card of the next view in that order. */
function placeCard(card, view) {
  const order = ordered(state.services, true);
  const next = order[order.indexOf(view) + 1];
  const before = next ? cardOf(keyOf(next)) : null;
  if (card.nextElementSibling !== before) ui.services.insertBefore(card, before);
}

/** Shows only the cards the finder lets through; every card when it is not in use. */
function applyFinder() {
  const question = finderQuestion();
  const on = finding();
  for (const view of state.services) {
    const card = cardOf(keyOf(view));
    if (!card) continue;
    card.dataset.rank = String(rank(view));
    card.hidden = on && !matches(view, question);
  }
  renderHostHeadings();
  renderFinderCount();
}

function renderFinderCount() {
  if (!finding()) return;
  const shown = ui.services.querySelectorAll(':scope > .card:not([hidden])').length;
  const total = state.services.length;
  const text = shown === total ? `${total} services` : `${shown} of ${total} shown`;
  if (ui.finderCount.textContent !== text) ui.finderCount.textContent = text;
}

/** "2 running · 1 crashed · 1 stopped", and the failed count in the title and the favicon. */
function renderSummary() {
  if (!state.loaded) {
    renderFailedCount(0);
    return;
  }
  const counts = { active: 0, failed: 0, other: 0 };
  const words = new Map();
  for (const view of state.services) {
    counts[bucket(view)] += 1;
    const word = summaryWord(view);
    words.set(word, (words.get(word) ?? 0) + 1);
  }
  for (const [key, n] of Object.entries(counts)) ui.summary.dataset[key] = String(n);
  renderFailedCount(counts.failed);

  if (state.services.length === 0) {
    ui.summaryText.textContent = 'No services';
    return;
  }
  const parts = [];
  const known = [...SUMMARY_ORDER, ...[...words.keys()].filter((w) => !SUMMARY_ORDER.includes(w))];
  for (const word of known) {
    const n = words.get(word);
    if (!n) continue;
    if (parts.length) parts.push(document.createTextNode(' · '));
    const part = document.createElement('span');
    part.className = 'summary-part';
    part.dataset.state = word;
    part.dataset.count = String(n);
    const number = document.createElement('strong');
    number.className = 'summary-count';
    number.textContent = String(n);
    part.append(number, ` ${word}`);
    parts.push(part);
  }
  ui.summaryText.replaceChildren(...parts);
}

const TITLE = document.title;
const ICON = ui.favicon.getAttribute('href');
let shownFailed = 0;

/** "(2 failed) Service Manager" and a red count on the icon: seen from another tab or the home screen. */
function renderFailedCount(failed) {
  if (failed === shownFailed) return;
  shownFailed = failed;
  renderTitle();
  ui.favicon.href = failed ? failedIcon(failed) : ICON;
}

/** The list's title, "PZServer · Service Manager" on a service's page, or the configuration's; the failed count leads each. */
function renderTitle() {
  const base = location.hash === CONFIG_ROUTE ? `Configuration · ${TITLE}`
    : page?.key ? `${displayName(page.key)} · ${TITLE}` : TITLE;
  const title = shownFailed ? `(${shownFailed} failed) ${base}` : base;
  if (document.title !== title) document.title = title;
}

function failedIcon(n) {
  const text = n > 99 ? '99+' : String(n);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#b91c1c"/>`
    + `<text x="16" y="21.5" font-family="sans-serif" font-size="${text.length > 2 ? 11 : 15}" font-weight="700" `
    + `fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  held: 'Not logged in',
};

let countdownTimer = null;

function renderConnection() {
  const { state: conn } = state.connection;
  ui.connection.dataset.state = conn;
  const live = conn === 'live';
  document.body.classList.toggle('is-stale', !live);
  ui.services.dataset.live = String(live);
  ui.stale.hidden = live || !state.loaded;
  ui.connectionRetry.hidden = conn !== 'reconnecting' && conn !== 'offline';
  renderConnectionText();
  clearInterval(countdownTimer);
  countdownTimer = state.connection.retryAt ? setInterval(renderConnectionText, 1000) : null;
}

/** "Reconnecting…" stays stable for screen readers; the countdown sits in a non-live detail. */
function renderConnectionText() {
  const { state: conn, attempt, retryAt } = state.connection;
  const label = CONNECTION_TEXT[conn] ?? conn;
  if (ui.connectionText.firstChild?.nodeValue !== label) {
    ui.connectionText.replaceChildren(document.createTextNode(label));
  }
  let text = '';
  if (conn === 'reconnecting' || conn === 'offline') {
    const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : 0;
    const when = retryAt && seconds > 0 ? `retry in ${seconds} s` : 'trying now';
    text = attempt > 0 ? `${when} · attempt ${attempt}` : when;
  }
  if (ui.connectionDetail.textContent !== text) ui.connectionDetail.textContent = text;
  ui.connectionDetail.hidden = text === '';
  ui.connection.dataset.attempt = String(attempt);
}

function renderConfigErrors() {
  const errors = state.configErrors;
  if (!errors) {
    ui.configError.hidden = true;
    ui.configErrorList.replaceChildren();
    return;
  }
  const items = (errors.length ? errors : ['(no details were given)']).map((error) => {
    const li = document.createElement('li');
    li.textContent = typeof error === 'string' ? error : (error?.message ?? JSON.stringify(error));
    return li;
  });
  ui.configErrorList.replaceChildren(...items);
  ui.configError.hidden = false;
}

function hideConfigErrors() {
  state.configErrors = null;
  renderConfigErrors();
}

// ---- wiring -----------------------------------------------------------------------------------

ui.configErrorDismiss.addEventListener('click', hideConfigErrors);
ui.services.addEventListener('click', (event) => {
  const button = event.target.closest('button.action');
  if (!button || button.disabled || !ui.services.contains(button)) return;
  const card = button.closest('.card');
  if (card) requestAction(card.dataset.service, button.dataset.action);
});
ui.connectionRetry.addEventListener('click', () => connection.retryNow());
ui.search.addEventListener('input', applyFinder);
ui.stateFilter.addEventListener('change', applyFinder);
ui.hostFilter.addEventListener('change', applyFinder);
setUpNotifications();
// The sticky header's height, for style.css's scroll-padding-top (CSSOM, so CSP allows it).
new ResizeObserver(([entry]) => {
  document.documentElement.style.setProperty('--topbar-height', `${Math.ceil(entry.borderBoxSize[0].blockSize)}px`);
}).observe(document.querySelector('.topbar'));
ui.logout.addEventListener('click', signOut);
ui.login.addEventListener('click', signIn);
setInterval(() => refreshTimes(ui.services), TIME_REFRESH);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refreshTimes(ui.services);
});

renderConnection();
renderOperationsPanel();

// ---- routing: #/ is the list, #/services/NAME a service's page, #/config the configuration -----

let pageCode = null;

/**
 * The page's code (state bars, journal) on first use: a dynamic import, so the list's first paint
 * neither fetches nor runs it. An import that fails (an upgrade replaced the files this page
 * names) is tried again on the next visit.
 */
function loadPage() {
  // Its own modules are asked for side by side with it, not after it has arrived and been read.
  pageCode ??= Promise.all([import('./service-page.js'), import('./state-bar.js'), import('./journal-view.js')])
    .then(([{ ServicePage }]) => {
      page ??= new ServicePage($('service-page'), (message) => connection.send(message));
      return page;
    }, (error) => {
      pageCode = null;
      showToast('Reload the page to open it: the dashboard may have been updated.',
        { tone: 'bad', title: 'The service page could not be loaded', timeout: 15_000 });
      throw error;
    });
  return pageCode;
}

let configPage = null;

/** The configuration page's module is fetched only when the page is first opened. */
async function openConfig() {
  if (!configPage) {
    const { ConfigPage } = await import('./config-page.js');
    const host = document.createElement('article');
    host.id = 'config-page';
    host.className = 'service-page config-page';
    host.hidden = true;
    document.getElementById('service-page').after(host);
    configPage ??= new ConfigPage(host);
  }
  if (location.hash === CONFIG_ROUTE && !configPage.open) configPage.show();
}

/** The key of the service the hash routes to (see keyFor), or null. */
function routeKey() {
  const target = routeOf();
  return target ? keyFor(target.node, target.name) : null;
}

function route() {
  const config = location.hash === CONFIG_ROUTE;
  const key = config ? null : routeKey();
  // Both pages put the list's parts aside (page.css).
  document.body.classList.toggle('on-service-page', key !== null || config);
  if (!config) configPage?.close();
  if (config) {
    page?.close();
    renderTitle();
    openConfig();
    return;
  }
  if (key === null) {
    const left = page?.key;
    page?.close();
    renderTitle();
    if (barsWanted) loadBars();
    // Back on the list, the keyboard continues from the card whose page was left.
    if (left) cardOf(left)?.querySelector('.card-page-link')?.focus({ preventScroll: false });
    return;
  }
  const { node, name } = routeOf();
  loadPage().then((loaded) => {
    if (routeKey() === key && loaded.key !== key) {
      // Only another node's service is read through the node-qualified routes.
      loaded.open({ key, name, node: node && node !== state.ownNode ? node : null }, viewOf(key), state.loaded);
    }
    renderTitle();
  }, () => {});
}
window.addEventListener('hashchange', route);
route();

/** Who we are decides what the feed may send: know it first, log in when needed, then connect. */
async function start() {
  const result = await currentSession();
  if (result.status === 'unauthorized') {
    connection.hold();
    setSession(await requireLogin(''));
  } else if (result.status === 'ok') {
    setSession(result.session);
  }
  connection.retryNow();
}

start();
