// The page of one service at #/services/NAME: state in plain words, 24 h and 7 d state bars,
// uptime per window, failures by reason, its operations, resource figures and the journal. app.js
// owns the feed and the service views; this module fetches the rest while the page is open and
// stops everything (resource polling, journal follow) when it is left or the tab is hidden.
// A hidden-state service's page shows what its card shows and asks the server for nothing more.
// The document's title (the page's name with the failed count) is app.js's.
// Another fleet node's service (#/nodes/NODE/services/NAME) reads its figures, operations, resources
// and journal from /api/nodes/NODE/services/NAME/…, and follows its journal with "node" on /ws.

import { el } from './dom.js';
import { describeOperation } from './cards.js';
import { describeSince, exactTime, parseTime } from './time.js';
import { renderStateBar } from './state-bar.js';
import { JournalView } from './journal-view.js';
import { fetchHistory, renderOperations } from './operations.js';

const RESOURCES_EVERY = 5000;
const TIME_REFRESH = 30_000;
const INSIGHT_DELAY = 1000; // a burst of state changes reloads the figures once
const HOUR = 3_600_000;

const get = async (url) => {
  const response = await fetch(url, { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }, cache: 'no-store' });
  const body = await response.json().catch(() => null);
  if (response.status !== 200) throw new Error(body?.message ?? `HTTP ${response.status}`);
  return body;
};

function agoText(date, now = Date.now()) {
  const since = describeSince(date, now); // "for 5 min", "just now", "since 28 Nov"
  if (since.startsWith('for ')) return `${since.slice(4)} ago`;
  if (since.startsWith('since ')) return `on ${since.slice(6)}`;
  return since;
}

/** The state line: "Running for 2 h", "Crashed 5 min ago: exited with status 1", "Stopped for 3 days". */
export function stateWords(view, now = Date.now()) {
  if (view.status_check_allowed === false) return { tone: 'hidden', label: 'Status hidden', text: 'The administrator does not share the state of this service.' };
  const since = parseTime(view.since);
  const up = parseTime(view.up_since) ?? since;
  const failure = view.last_failure && parseTime(view.last_failure.at);
  // "Running for 2 h"; a state only seconds old reads "Running, since just now".
  const forText = (d) => {
    if (!d) return '';
    const words = describeSince(d, now);
    return words === 'just now' ? ', since just now' : ` ${words}`;
  };
  switch (view.status) {
    case 'active':
    case 'reloading':
      return { tone: 'ok', label: 'Running', text: `Running${forText(up)}` };
    case 'failed':
      if (failure) return { tone: 'bad', label: 'Crashed', text: `Crashed ${agoText(failure, now)}: ${view.last_failure.reason}` };
      return { tone: 'bad', label: 'Failed', text: `Failed${forText(since)}` };
    case 'inactive':
      return { tone: 'stopped', label: 'Stopped', text: `Stopped${forText(since)}` };
    case 'activating': return { tone: 'busy', label: 'Starting…', text: 'Starting…' };
    case 'deactivating': return { tone: 'busy', label: 'Stopping…', text: 'Stopping…' };
    case 'unreachable': return { tone: 'lost', label: 'Unreachable', text: 'Its host is not answering: the state is not known.' };
    case 'error': return { tone: 'bad', label: 'Unknown', text: 'The state cannot be read: systemd is unreachable or the unit does not exist.' };
    default: return { tone: 'busy', label: 'Checking…', text: 'Checking…' };
  }
}

const percent = (v) => (typeof v === 'number' ? `${v >= 99.95 || v === 0 ? v.toFixed(0) : v.toFixed(v >= 99 ? 2 : 1)} %` : '—');
const share = (v) => (typeof v !== 'number' ? '—' : v > 0 && v < 0.01 ? 'under 1 %' : `${Math.round(v * 100)} %`);
const bytes = (n) => {
  if (typeof n !== 'number') return 'not accounted';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
};
const cpuTime = (ns) => {
  if (typeof ns !== 'number') return 'not accounted';
  const s = ns / 1e9;
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
};

export class ServicePage {
  #host;
  #send;
  #name = null;
  #node = null;     // another fleet node's name, or null for the dashboard's own services
  #key = null;      // app.js's key of the service (cards.js keyOf)
  #view = null;
  #journal = null;
  #timer = null;
  #clock = null;
  #insightTimer = null;
  #lastCpu = null;
  #opened = 0;      // counts openings, so an answer for a page since left is dropped
  #parts = {};

  /** `host` is the page's section; `send(message)` writes to /ws. */
  constructor(host, send) {
    this.#host = host;
    this.#send = send;
    document.addEventListener('visibilitychange', () => this.#syncPolling());
  }

  get name() { return this.#name; }

  get key() { return this.#key; }

  /** Another node's service whose host does not answer: nothing is asked of it until it is back. */
  #hostLost() {
    return Boolean(this.#node) && this.#view?.status === 'unreachable';
  }

  /** The service's REST base: its own node's routes, or the node-qualified ones of another node. */
  #api() {
    const name = encodeURIComponent(this.#name);
    return this.#node ? `api/nodes/${encodeURIComponent(this.#node)}/services/${name}` : `api/services/${name}`;
  }

  /**
   * Shows the page of a service, `{ key, name, node }` (node only for another fleet node's), with its
   * view (undefined while the snapshot has not come yet).
   */
  open({ key, name, node }, view, loaded) {
    this.close();
    this.#opened += 1;
    this.#name = name;
    this.#node = node;
    this.#key = key;
    this.#view = null;
    this.#host.replaceChildren();
    this.#host.hidden = false;
    this.update(view, loaded);
    // "Running for 2 h" must not stay "for 2 h" while the page stays open.
    this.#clock = setInterval(() => { if (this.#view) this.#renderHead(this.#view); }, TIME_REFRESH);
    const heading = this.#host.querySelector('h2');
    heading?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  /** Leaves the page: nothing keeps running for it. */
  close() {
    clearInterval(this.#timer);
    this.#timer = null;
    clearInterval(this.#clock);
    this.#clock = null;
    clearTimeout(this.#insightTimer);
    this.#insightTimer = null;
    this.#journal?.stop();
    this.#journal = null;
    this.#name = null;
    this.#node = null;
    this.#key = null;
    this.#view = null;
    this.#lastCpu = null;
    this.#host.hidden = true;
    this.#host.replaceChildren();
  }

  /** A new view of the open service (a /ws push, a snapshot). */
  update(view, loaded = true) {
    if (!this.#name) return;
    const first = this.#view === null;
    const hiddenBefore = this.#view?.status_check_allowed === false;
    if (!view) {
      if (!loaded) this.#frame(null, 'Loading…');
      else this.#frame(null, 'No such service', 'There is no service by this name, or it is not shared with you.');
      return;
    }
    const hidden = view.status_check_allowed === false;
    const logsBefore = this.#view?.logs_allowed === true;
    const lostBefore = this.#hostLost();
    this.#view = view;
    if (first || hidden !== hiddenBefore || logsBefore !== (view.logs_allowed === true && !hidden)) {
      this.#build(view);
    } else {
      this.#renderHead(view);
      if (lostBefore && !this.#hostLost()) this.#hostBack();
      else if (!lostBefore && this.#hostLost()) this.#syncPolling();
    }
  }

  /** Status and operations changed on the server: the statistics follow. */
  refreshInsight() {
    if (!this.#view || this.#view.status_check_allowed === false || this.#insightTimer || this.#hostLost()) return;
    this.#insightTimer = setTimeout(() => {
      this.#insightTimer = null;
      if (this.#view && this.#view.status_check_allowed !== false) this.#loadInsight(this.#opened);
    }, INSIGHT_DELAY);
  }

  onOperation(op) {
    const here = this.#node ? op.node === this.#node : !op.node || op.node === this.#view?.node;
    if (this.#name && op.service === this.#name && here) this.#loadOperations(this.#opened);
  }

  onLog(msg) {
    if (this.#journalFrame(msg)) this.#journal?.onLog(msg.entries);
  }

  /** Whether a log or error frame is about this page's journal: local frames carry no node. */
  #journalFrame(msg) {
    return Boolean(this.#name) && msg.service === this.#name && (msg.node ?? null) === (this.#node ?? null);
  }

  /** An error frame naming this page's service: the journal's refusal. True when handled. */
  onError(msg) {
    if (!this.#journalFrame(msg) || !this.#journal) return false;
    this.#journal.onError(typeof msg.message === 'string' ? msg.message : msg.code);
    return true;
  }

  /** The feed is back: a follow ended with the old socket. */
  onReconnect() {
    if (this.#journal?.following) this.#journal.follow();
  }

  #frame(view, title, text) {
    const back = el('a', 'page-back', '← All services');
    back.href = '#/';
    const heading = el('h2', 'page-title', title);
    heading.tabIndex = -1;
    this.#host.replaceChildren(back, heading);
    if (text) this.#host.append(el('p', 'page-note', text));
  }

  #build(view) {
    const opened = this.#opened;
    clearInterval(this.#timer);
    this.#timer = null;
    this.#journal?.stop();
    this.#journal = null;
    const title = (view.display_name || view.name) + (this.#node ? ` on ${this.#node}` : '');
    this.#frame(view, title);
    const head = el('div', 'page-head');
    const badge = el('span', 'page-badge');
    const state = el('p', 'page-state');
    const facts = el('p', 'page-facts');
    const desc = el('p', 'page-desc');
    const lastOp = el('p', 'page-last-op');
    head.append(badge, state);
    this.#host.append(head, desc, facts, lastOp);
    this.#parts = { badge, state, facts, desc, lastOp };
    this.#renderHead(view);

    // A hidden service: what its card shows, nothing more — no figures are even asked for.
    if (view.status_check_allowed === false) return;

    const history = pageSection('history-title', 'State over time');
    const bar24 = el('div', 'bar-slot');
    const bar7 = el('div', 'bar-slot');
    const legend = el('ul', 'state-legend');
    legend.setAttribute('aria-label', 'Legend');
    for (const [kind, words] of [['running', 'Running'], ['stopped', 'Stopped'], ['failed', 'Failed'], ['changing', 'Starting or stopping'], ['unknown', 'Unknown']]) {
      const li = el('li', `legend-${kind}`);
      const swatch = el('span', 'legend-swatch');
      swatch.setAttribute('aria-hidden', 'true');
      li.append(swatch, words);
      legend.append(li);
    }
    history.append(bar24, bar7, legend);

    const uptime = pageSection('uptime-title', 'Uptime');
    const table = el('table', 'uptime-table');
    const thead = el('thead');
    const tr = el('tr');
    for (const label of ['Window', 'Uptime', 'Observed', 'Failures', 'Restarts']) {
      // The rows name their windows: on a phone the first heading is for screen readers only.
      const th = el('th');
      th.append(label === 'Window' ? el('span', 'uptime-window-label', label) : label);
      th.scope = 'col';
      tr.append(th);
    }
    thead.append(tr);
    const tbody = el('tbody');
    // The rows' place is held while the figures load: the sections below must not jump.
    for (const label of ['24 hours', '7 days', '30 days']) {
      const row = el('tr');
      const th = el('th', '', label);
      th.scope = 'row';
      row.append(th, el('td', 'uptime-value', '…'), el('td', '', '…'), el('td', '', '…'), el('td', '', '…'));
      tbody.append(row);
    }
    table.append(thead, tbody);
    const note = el('p', 'page-note', 'Uptime counts only the time Service Manager observed the service.');
    uptime.append(table, note);

    const failures = pageSection('failures-title', 'Failures in the last 30 days');
    const failureList = el('ul', 'failure-list');
    failureList.append(el('li', 'failure-none', 'Loading…'));
    const failureNotes = el('div', 'failure-notes');
    failures.append(failureList, failureNotes);

    const resources = pageSection('resources-title', 'Resources');
    const dl = el('dl', 'resource-list');
    const resNote = el('p', 'page-note', this.#node
      ? `Read from ${this.#node}'s systemd every 5 s while this page is open.`
      : 'Read from systemd every 5 s while this page is open.');
    resources.append(dl, resNote);

    const ops = pageSection('page-ops-title', 'Operations');
    const opsEmpty = el('p', 'page-note', 'No operations recorded.');
    const opsList = el('ol', 'operations-list page-operations');
    ops.append(opsEmpty, opsList);

    const grid = el('div', 'page-grid');
    grid.append(history, uptime, failures, resources, ops);
    this.#host.append(grid);
    Object.assign(this.#parts, { bar24, bar7, legend, tbody, failureList, failureNotes, dl, opsList, opsEmpty });

    if (view.logs_allowed === true) {
      this.#journal = new JournalView({ name: view.name, node: this.#node, api: this.#api() }, title, this.#send);
      this.#host.append(this.#journal.element);
    }
    if (this.#hostLost()) {
      this.#showHostLost();
      return;
    }
    this.#journal?.follow();
    this.#loadInsight(opened);
    this.#loadOperations(opened);
    this.#syncPolling();
  }

  /** Opened while its host does not answer: each section says so, and fills once the host is back. */
  #showHostLost() {
    const why = `Not available while ${this.#node} is not answering.`;
    this.#parts.bar24.replaceChildren(el('p', 'page-note', why));
    this.#parts.bar24.dataset.note = '';
    this.#parts.bar7.hidden = true; // no empty slot, and no legend of bars not drawn
    this.#parts.legend.hidden = true;
    for (const cell of this.#parts.tbody.querySelectorAll('td')) cell.textContent = '—';
    this.#parts.failureList.replaceChildren(el('li', 'failure-none', why));
    this.#parts.dl.replaceChildren(el('dt', '', 'Not available'), el('dd', '', `${this.#node} is not answering`));
    this.#parts.opsEmpty.textContent = why;
    this.#journal?.awaitHost(this.#node);
  }

  /** The host answers again: what the page could not ask while it was lost. */
  #hostBack() {
    this.#parts.opsEmpty.textContent = 'No operations recorded.';
    delete this.#parts.bar24.dataset.note;
    this.#parts.bar7.hidden = false;
    this.#parts.legend.hidden = false;
    this.#loadInsight(this.#opened);
    this.#loadOperations(this.#opened);
    this.#syncPolling();
    this.#journal?.retryRefused();
  }

  #renderHead(view) {
    const { badge, state, facts, desc, lastOp } = this.#parts;
    const words = stateWords(view);
    badge.textContent = words.label;
    badge.dataset.tone = words.tone;
    state.textContent = words.text;
    const at = parseTime(view.status === 'failed' && view.last_failure ? view.last_failure.at : view.up_since ?? view.since);
    state.title = at ? exactTime(at, at.toISOString()) : '';
    desc.textContent = view.description ?? '';
    desc.hidden = !view.description;
    const pid = Number.isInteger(view.main_pid) && view.main_pid > 0 ? ` · PID ${view.main_pid}` : '';
    facts.textContent = `Unit ${view.unit || view.name}${view.status_check_allowed === false ? '' : pid}`;
    const op = view.last_operation;
    const opAt = op && parseTime(op.at);
    // The card's words ("Restarted by alice", "Start by bob failed"), with how long ago.
    const opText = describeOperation(op);
    lastOp.hidden = !opText;
    if (opText) lastOp.textContent = `${opText}${opAt ? ` · ${agoText(opAt)}` : ''}`;
  }

  async #loadInsight(opened) {
    const base = this.#api();
    const now = Date.now();
    const windows = ['24h', '7d', '30d'];
    const [t24, t7, ...stats] = await Promise.allSettled([
      get(`${base}/timeline?from=${new Date(now - 24 * HOUR).toISOString()}&to=${new Date(now).toISOString()}&limit=1000`),
      get(`${base}/timeline?from=${new Date(now - 7 * 24 * HOUR).toISOString()}&to=${new Date(now).toISOString()}&limit=1000`),
      ...windows.map((w) => get(`${base}/stats?window=${w}`)),
    ]);
    if (opened !== this.#opened || !this.#parts.bar24) return;
    const current = this.#view?.active_state ?? null;
    for (const [slot, result, title, span] of [[this.#parts.bar24, t24, 'Last 24 hours', 24 * HOUR], [this.#parts.bar7, t7, 'Last 7 days', 7 * 24 * HOUR]]) {
      if (result.status === 'fulfilled') renderStateBar(slot, { title, timeline: result.value, from: now - span, to: now, current, now });
      else slot.replaceChildren(el('p', 'page-note', `${title}: ${result.reason.message}`));
    }
    const rows = windows.map((w, i) => {
      const row = el('tr');
      const th = el('th', '', { '24h': '24 hours', '7d': '7 days', '30d': '30 days' }[w]);
      th.scope = 'row';
      row.append(th);
      const s = stats[i].status === 'fulfilled' ? stats[i].value : null;
      if (!s) {
        const td = el('td', '', stats[i].reason?.message ?? 'not available');
        td.colSpan = 4;
        row.append(td);
        return row;
      }
      const restarts = s.restarts ? s.restarts.operation + s.restarts.systemd + s.restarts.external : 0;
      row.append(el('td', 'uptime-value', percent(s.uptime_percent)), el('td', '', share(s.observed_share)),
        el('td', '', String(s.failures ?? 0)), el('td', '', String(restarts)));
      return row;
    });
    this.#parts.tbody.replaceChildren(...rows);

    const month = stats[2].status === 'fulfilled' ? stats[2].value : null;
    const patterns = Array.isArray(month?.patterns) ? month.patterns : [];
    this.#parts.failureList.replaceChildren(...(patterns.length ? patterns.map((p) => {
      const li = el('li', 'failure-item');
      const last = parseTime(p.last);
      li.append(el('strong', 'failure-count', `${p.count}×`), ` ${p.words}`, el('span', 'failure-when', last ? ` · last: ${agoText(last)}` : ''));
      return li;
    }) : [el('li', 'failure-none', month ? 'No failures.' : 'Not available.')]));
    const notes = [];
    if (month?.flapping?.words) notes.push(el('p', 'failure-note', `Flapping: ${month.flapping.words}.`));
    for (const c of (month?.early_crashes ?? []).slice(-3)) notes.push(el('p', 'failure-note', `${c.words} (${c.reason}).`));
    this.#parts.failureNotes.replaceChildren(...notes);
  }

  async #loadOperations(opened) {
    const entries = this.#node
      ? await get(`${this.#api()}/history?limit=20`).then((body) => (Array.isArray(body?.entries) ? body.entries : []), () => [])
      : await fetchHistory(20, this.#name);
    if (opened !== this.#opened || !this.#parts.opsList) return;
    const title = this.#view?.display_name || this.#name;
    renderOperations(this.#parts.opsList, this.#parts.opsEmpty, entries, () => title);
  }

  /** Resource figures only while the page is open and visible, at most every 5 s. */
  #syncPolling() {
    const want = this.#name && this.#parts.dl && this.#view?.status_check_allowed !== false
      && !this.#hostLost() && document.visibilityState === 'visible';
    if (want && !this.#timer) {
      this.#loadResources(this.#opened);
      this.#timer = setInterval(() => this.#loadResources(this.#opened), RESOURCES_EVERY);
    } else if (!want && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  async #loadResources(opened) {
    let r;
    try {
      r = await get(`${this.#api()}/resources`);
    } catch (e) {
      if (opened === this.#opened && this.#parts.dl) this.#parts.dl.replaceChildren(el('dt', '', 'Not available'), el('dd', '', e.message));
      return;
    }
    if (opened !== this.#opened || !this.#parts.dl) return;
    const now = performance.now();
    let cpu = '';
    if (this.#lastCpu && typeof r.cpu_usage_nsec === 'number' && r.cpu_usage_nsec >= this.#lastCpu.ns) {
      const share = (r.cpu_usage_nsec - this.#lastCpu.ns) / ((now - this.#lastCpu.at) * 1e6);
      cpu = ` · ${(share * 100).toFixed(1)} % of a core now`;
    }
    this.#lastCpu = typeof r.cpu_usage_nsec === 'number' ? { ns: r.cpu_usage_nsec, at: now } : null;
    const pair = (k, v) => [el('dt', '', k), el('dd', '', v)];
    if (r.memory_current == null && r.cpu_usage_nsec == null && r.tasks_current == null) {
      // systemd accounts a unit only while it runs.
      this.#parts.dl.replaceChildren(...pair('Now', 'not running: nothing to measure'));
      this.#parts.dl.dataset.updated = new Date().toISOString();
      return;
    }
    this.#parts.dl.replaceChildren(
      ...pair('Memory', bytes(r.memory_current)),
      ...pair('CPU time', `${cpuTime(r.cpu_usage_nsec)}${cpu}`),
      ...pair('Tasks', typeof r.tasks_current === 'number' ? String(r.tasks_current) : 'not accounted'));
    this.#parts.dl.dataset.updated = new Date().toISOString();
  }
}

/** A titled section of the page: an h3 with id `id` that labels it. */
function pageSection(id, title) {
  const section = el('section', 'page-section');
  section.setAttribute('aria-labelledby', id);
  const heading = el('h3', 'page-section-title', title);
  heading.id = id;
  section.append(heading);
  return section;
}
