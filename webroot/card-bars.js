// The small 24 h bar on each card. One GET api/timeline answers for every card (200 services are
// one request, not 200); app.js asks only after the cards are painted, so neither the request nor
// the drawing is on the way to the first paint. Status pushes then extend one bar each:
// only the card whose state changed is drawn again. A service whose state is hidden has no bar and
// is never asked about (the server leaves it out as well). GET api/timeline is the dashboard's own:
// on a fleet's dashboard app.js hands in its own node's views only.

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

/** The ActiveState a view reports (null when unknown: the bus lost, the unit not found). */
const stateOf = (view) => (typeof view.active_state === 'string' ? view.active_state : null);

export class CardBars {
  #cardOf;
  #gaps = [];
  #timelines = null; // service name → { transitions, state }, once loaded
  #asked = 0;        // counts loads, so that an answer overtaken by a newer one is dropped
  #slide = null;

  /** `cardOf(view)` finds a service's card. */
  constructor(cardOf) {
    this.#cardOf = cardOf;
  }

  /** Asks for every bar at once and draws them, a chunk per task; `views()` gives the views now. */
  async load(views) {
    const asked = ++this.#asked;
    let answer;
    try {
      answer = await get('api/timeline?window=24h');
    } catch {
      return; // the slots stay empty: the cards say everything else, the page has the figures
    }
    if (asked !== this.#asked) return;
    this.#gaps = Array.isArray(answer.gaps) ? answer.gaps : [];
    this.#timelines = new Map();
    for (const s of Array.isArray(answer.services) ? answer.services : []) {
      if (typeof s?.service === 'string') {
        this.#timelines.set(s.service, { transitions: Array.isArray(s.transitions) ? s.transitions : [], state: undefined });
      }
    }
    // A push that came while the answer was on its way is already in the views, maybe not in the answer.
    for (const view of views()) this.#follow(view);
    await this.#drawAll(views, asked);
    clearInterval(this.#slide);
    this.#slide = setInterval(() => this.#drawAll(views, this.#asked), SLIDE_EVERY);
  }

  /** A status push: extends its service's bar when its state changed, and draws that bar only. */
  onStatus(view) {
    if (!this.#timelines || !seesState(view)) return;
    if (this.#follow(view)) this.#draw(view);
  }

  /** Logged out: nothing of the last user's stays. */
  clear() {
    this.#asked += 1;
    this.#timelines = null;
    this.#gaps = [];
    clearInterval(this.#slide);
    this.#slide = null;
  }

  /**
   * Brings the service's timeline up to its view: a transition to the view's state when it differs
   * from where the timeline ends. True when something was added.
   */
  #follow(view) {
    const timeline = this.#timelines.get(view.name);
    if (!timeline || !seesState(view)) return false;
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

  async #drawAll(views, asked) {
    const list = views().filter(seesState);
    for (let i = 0; i < list.length; i += CHUNK) {
      if (asked !== this.#asked) return;
      for (const view of list.slice(i, i + CHUNK)) this.#draw(view);
      if (i + CHUNK < list.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    document.body.dataset.bars = 'drawn';
  }

  #draw(view) {
    const slot = this.#cardOf(view)?.querySelector('.card-bar');
    const timeline = this.#timelines?.get(view.name);
    if (!slot || !timeline || slot.hidden) return;
    const to = Date.now();
    renderSmallBar(slot, {
      title: TITLE,
      timeline: { transitions: timeline.transitions, gaps: this.#gaps },
      from: to - SPAN,
      to,
      current: timeline.state,
    });
  }
}
