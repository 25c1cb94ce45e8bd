// The dashboard: one state object, filled from the /ws feed (DESIGN §5) and rendered from it.

import { Connection, feedUrl } from './connection.js';
import { bucket, createCard, refreshTimes, renderCard, renderServices } from './cards.js';
import { showToast } from './toasts.js';

const TIME_REFRESH = 30_000;
const MAX_OPERATIONS = 50;

const state = {
  services: [],        // service views, in the order the server sent them
  loaded: false,       // a snapshot has arrived at least once
  connection: { state: 'connecting', attempt: 0, retryAt: null },
  configErrors: null,  // the last config_error list, while its banner is up
  operations: [],      // finished actions, newest first (for the operations panel, later)
};

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
};

const connection = new Connection(feedUrl());
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
    state.loaded = true;
    renderAll();
  },
  status(msg) {
    const view = msg.service;
    if (!isView(view)) return;
    const index = state.services.findIndex((s) => s.name === view.name);
    if (index >= 0) state.services[index] = view;
    else state.services.push(view); // a new service may report before the reload's snapshot
    renderOne(view);
    renderSummary();
  },
  operation(msg) {
    state.operations.unshift(msg);
    state.operations.length = Math.min(state.operations.length, MAX_OPERATIONS);
  },
  config_error(msg) {
    state.configErrors = Array.isArray(msg.errors) ? msg.errors : [];
    renderConfigErrors();
  },
  error(msg) {
    const text = typeof msg.message === 'string' && msg.message ? msg.message : 'The server reported an error.';
    showToast(text, { tone: 'error' });
  },
  pong() {},
  result() {}, // answers to actions; the actions feature will use them
};

connection.addEventListener('message', (event) => {
  const msg = event.detail;
  const handler = Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : null;
  if (handler) handler(msg);
  else console.debug('ignored message', msg.type);
});

connection.addEventListener('open', () => {
  snapshotOnThisSocket = false;
});

connection.addEventListener('state', (event) => {
  state.connection = event.detail;
  renderConnection();
});

// ---- rendering --------------------------------------------------------------------------------

function renderAll() {
  ui.services.setAttribute('aria-busy', String(!state.loaded));
  renderServices(ui.services, state.services);
  ui.empty.hidden = !(state.loaded && state.services.length === 0);
  renderSummary();
}

function renderOne(view) {
  let card = [...ui.services.children].find((c) => c.dataset.service === view.name);
  if (!card) {
    card = createCard(view.name);
    ui.services.append(card);
    ui.empty.hidden = true;
  }
  renderCard(card, view);
}

function renderSummary() {
  if (!state.loaded) return;
  const counts = { active: 0, failed: 0, other: 0 };
  for (const view of state.services) counts[bucket(view)] += 1;
  for (const [key, n] of Object.entries(counts)) ui.summary.dataset[key] = String(n);

  if (state.services.length === 0) {
    ui.summaryText.textContent = 'No services';
    return;
  }
  const parts = [];
  for (const key of ['active', 'failed', 'other']) {
    if (parts.length) parts.push(document.createTextNode(' · '));
    const part = document.createElement('span');
    part.className = 'summary-part';
    part.dataset.bucket = key;
    part.dataset.count = String(counts[key]);
    const number = document.createElement('strong');
    number.className = 'summary-count';
    number.textContent = String(counts[key]);
    part.append(number, ` ${key}`);
    parts.push(part);
  }
  ui.summaryText.replaceChildren(...parts);
}

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
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
ui.connectionRetry.addEventListener('click', () => connection.retryNow());
setInterval(() => refreshTimes(ui.services), TIME_REFRESH);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refreshTimes(ui.services);
});

renderConnection();
connection.start();
