// The small 24 h bar on each card. One GET per host answers for all its cards (200 services are
// one request, not 200): api/timeline for the dashboard's own services (a standalone server's are
// all its own), api/nodes/NODE/timeline for another host's on a fleet's dashboard, read there.
// app.js asks only after the cards are painted, so neither the requests nor the drawing are on the
// way to the first paint. Status pushes then extend one bar each: only the card whose state changed
// is drawn again. A service whose state is hidden has no bar and is never asked about (the server
// leaves it out as well). An unreachable host's cards have no bar (cards.js empties it): its
// timelines are dropped, and asked for again once one of its services is reachable.

import { renderSmallBar } from './state-bar.js';
import { parseTime } from './time.js';

const SPAN = 24 * 3_600_000;
const TITLE = 'Last 24 h';
/** The window slides with the clock; a few minutes are under a pixel of a card's bar. */
const SLIDE_EVERY = 15 * 60_000;
/** Cards drawn per task, so that 200 bars never make one long task. */
const CHUNK = 25;

const get = async (url) => {
  const response = await fetch(url, { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }, cache: 'no-store' });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

const seesState = (view) => view && view.status_check_allowed !== false;
const reachable = (view) => view.status !== 'unreachable';
/** A view's host: its node, or '' for a standalone server's. */
const hostOf = (view) => (typeof view.node === 'string' ? view.node : '');

/** The ActiveState a view reports (null when unknown: the bus lost, the unit not found). */
const stateOf = (view) => (typeof view.active_state === 'string' ? view.active_state : null);

export class CardBars {
  #cardOf;
  #ownNode;
  #views = null;        // () => the views now, from the first load on
  #hosts = new Map();   // host → { gaps, timelines: service name → { transitions, state } }, once loaded
  #asked = new Map();   // host → the ticket of its latest load: an answer overtaken by a newer one is dropped
  #slide = null;

  /** `cardOf(view)` finds a service's card; `ownNode()` is the dashboard's own node (null when standalone). */
  constructor(cardOf, ownNode) {
    this.#cardOf = cardOf;
    this.#ownNode = ownNode;
  }

  /**
   * Asks for every host's bars, one request per host whose services are reachable, and draws them,
   * a chunk per task; `views()` gives the views now.
   */
  load(views) {
    this.#views = views;
    const hosts = new Set(views().filter(seesState).map(hostOf));
    for (const host of this.#hosts.keys()) if (!hosts.has(host)) this.#drop(host);
    for (const host of hosts) {
      if (this.#of(host).filter(seesState).some(reachable)) this.loadHost(host);
      else this.#drop(host);
    }
    clearInterval(this.#slide);
    this.#slide = setInterval(() => {
      for (const [host, ticket] of this.#asked) if (this.#hosts.has(host)) this.#drawAll(host, ticket);
    }, SLIDE_EVERY);
  }

  /** Whether this view asks for its host's bars: it is reachable again and they were not asked for since the host was lost. */
  wants(view) {
    return this.#views !== null && seesState(view) && reachable(view) && !this.#asked.has(hostOf(view));
  }

  /** One host's bars, from one request. */
  async loadHost(host) {
    const ticket = {};
    this.#asked.set(host, ticket);
    let answer;
    try {
      const own = host === '' || host === this.#ownNode();
      answer = await get(own ? 'api/timeline?window=24h' : `api/nodes/${encodeURIComponent(host)}/timeline?window=24h`);
    } catch {
      // The slots stay empty until the next snapshot, or the host's return: the cards say everything
      // else, the page has the figures, and a failing server is not asked again on every push.
      return;
    }
    if (this.#asked.get(host) !== ticket) return;
    const timelines = new Map();
    for (const s of Array.isArray(answer.services) ? answer.services : []) {
      if (typeof s?.service === 'string') {
        timelines.set(s.service, { transitions: Array.isArray(s.transitions) ? s.transitions : [], state: undefined });
      }
    }
    this.#hosts.set(host, { gaps: Array.isArray(answer.gaps) ? answer.gaps : [], timelines });
    // A push that came while the answer was on its way is already in the views, maybe not in the answer.
    for (const view of this.#of(host)) this.#follow(view);
    await this.#drawAll(host, ticket);
  }

  /** A status push: extends its service's bar when its state changed, and draws that bar only. */
  onStatus(view) {
    if (!this.#views || !seesState(view)) return;
    if (!reachable(view)) {
      this.#drop(hostOf(view)); // what it had is not its state now; asked for again when it is back
      return;
    }
    if (this.#follow(view)) this.#draw(view);
  }

  /** Logged out: nothing of the last user's stays. */
  clear() {
    this.#views = null;
    this.#hosts.clear();
    this.#asked.clear();
    clearInterval(this.#slide);
    this.#slide = null;
  }

  #drop(host) {
    this.#hosts.delete(host);
    this.#asked.delete(host);
  }

  #of(host) {
    return this.#views ? this.#views().filter((view) => hostOf(view) === host) : [];
  }

  #timeline(view) {
    return this.#hosts.get(hostOf(view))?.timelines.get(view.name);
  }

  /**
   * Brings the service's timeline up to its view: a transition to the view's state when it differs
   * from where the timeline ends. True when something was added.
   */
  #follow(view) {
    const timeline = this.#timeline(view);
    if (!timeline || !seesState(view) || !reachable(view)) return false;
    const now = stateOf(view);
    const last = timeline.transitions[timeline.transitions.length - 1];
    if (timeline.state === undefined) {
      // Loaded: a service with no transition in the window has been in its current state all along.
      timeline.state = last ? last.to : now;
    }
    if (timeline.state === now) return false;
    const since = parseTime(view.since)?.getTime() ?? Date.now();
    const lastAt = last ? Date.parse(last.at) : -Infinity;
    const at = new Date(Math.min(Math.max(since, lastAt), Date.now())).toISOString();
    const message = now === 'failed' && typeof view.last_failure?.reason === 'string' ? view.last_failure.reason : null;
    timeline.transitions.push({ at, from: timeline.state, to: now, message });
    timeline.state = now;
    return true;
  }

  async #drawAll(host, ticket) {
    const list = this.#of(host).filter(seesState);
    for (let i = 0; i < list.length; i += CHUNK) {
      if (this.#asked.get(host) !== ticket) return;
      for (const view of list.slice(i, i + CHUNK)) this.#draw(view);
      if (i + CHUNK < list.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    document.body.dataset.bars = 'drawn';
  }

  #draw(view) {
    const slot = this.#cardOf(view)?.querySelector('.card-bar');
    const timeline = this.#timeline(view);
    if (!slot || !timeline || slot.hidden || !reachable(view)) return;
    const { gaps } = this.#hosts.get(hostOf(view));
    const to = Date.now();
    renderSmallBar(slot, {
      title: TITLE,
      timeline: { transitions: timeline.transitions, gaps },
      from: to - SPAN,
      to,
      current: timeline.state,
    });
  }
}
