// A service's journal on its page: the newest lines and live follow over /ws ("logs" → "log"
// frames, with "node" for another fleet node's service), pause, older lines from
// GET …/logs?before=CURSOR when scrolled to the top, and copy.
// Lines are keyed by their journal cursor, so the repeated newest lines of a resumed follow never
// show twice.

import { el } from './dom.js';
import { clockTime, exactTime, parseTime } from './time.js';

const PAGE = 100;
const MAX_LINES = 5000; // a page left following for a day must not grow without end

const PRIORITY = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const tone = (p) => (p <= 3 ? 'bad' : p === 4 ? 'warn' : p === 5 ? 'notice' : p === 7 ? 'debug' : 'info');

export class JournalView {
  #name;
  #node;
  #api;
  #title;
  #send;
  #root;
  #lines;
  #status;
  #pause;
  #older;
  #copy;
  #following = false;   // wanted: follow while the socket allows
  #refused = false;     // the last follow ended in an error frame, not by the user's pause
  #seen = new Set();
  #oldestCursor = null;
  #loadingOlder = false;
  #noOlder = false;

  /**
   * `service` is `{ name, node, api }`: node null for the dashboard's own service, api its REST base
   * (`api/services/NAME` or `api/nodes/NODE/services/NAME`). `send(message)` sends over /ws and
   * returns false when not connected.
   */
  constructor({ name, node, api }, title, send) {
    this.#name = name;
    this.#node = node ?? null;
    this.#api = api;
    this.#title = title;
    this.#send = send;
    this.#build();
  }

  get element() { return this.#root; }

  #build() {
    const root = el('section', 'page-section journal');
    root.setAttribute('aria-labelledby', 'journal-title');
    const heading = el('h3', 'page-section-title', 'Journal');
    heading.id = 'journal-title';

    const bar = el('div', 'journal-controls');
    this.#pause = el('button', 'page-button journal-pause', 'Pause');
    this.#pause.type = 'button';
    this.#pause.setAttribute('aria-pressed', 'false');
    this.#pause.addEventListener('click', () => (this.#following ? this.pause() : this.follow()));
    this.#older = el('button', 'page-button journal-older', 'Load older lines');
    this.#older.type = 'button';
    this.#older.addEventListener('click', () => this.#loadOlder());
    this.#copy = el('button', 'page-button journal-copy', 'Copy');
    this.#copy.type = 'button';
    this.#copy.addEventListener('click', () => this.#copyLines());
    this.#status = el('p', 'journal-status', 'Connecting to the journal…');
    this.#status.setAttribute('role', 'status');
    this.#status.setAttribute('aria-live', 'polite');
    bar.append(this.#pause, this.#older, this.#copy);

    // Each new line is not announced (that would drown a screen reader); the follow state is.
    this.#lines = el('ol', 'journal-lines');
    this.#lines.tabIndex = 0;
    this.#lines.setAttribute('aria-label', `Journal lines of ${this.#title}, oldest first`);
    this.#lines.addEventListener('scroll', () => {
      if (this.#lines.scrollTop < 24) this.#loadOlder();
    });
    root.append(heading, bar, this.#status, this.#lines);
    this.#root = root;
  }

  /** Starts (or resumes) the live follow; also called again after the socket reconnects. */
  follow() {
    this.#following = true;
    this.#refused = false;
    this.#pause.textContent = 'Pause';
    this.#pause.setAttribute('aria-pressed', 'false');
    const sent = this.#send(this.#message(true));
    this.#setStatus(sent ? 'Following live: new lines appear at the bottom.' : 'Not connected: the journal resumes when the dashboard is live again.');
  }

  pause() {
    this.#following = false;
    this.#refused = false;
    this.#pause.textContent = 'Resume';
    this.#pause.setAttribute('aria-pressed', 'true');
    this.#send(this.#message(false));
    this.#setStatus('Paused: new lines are not shown until you resume.');
  }

  /** The page is left: the server's follow ends with it. */
  stop() {
    if (this.#following) this.#send(this.#message(false));
    this.#following = false;
  }

  get following() { return this.#following; }

  /** Opened while the service's host does not answer: nothing is asked until {@link retryRefused}. */
  awaitHost(node) {
    this.#refuse(`${node} is not answering: the journal follows once it is back.`);
  }

  /** The service's host answers again: a follow it refused (node_unreachable) is asked again; a pause stays. */
  retryRefused() {
    if (this.#refused) this.follow();
  }

  #message(follow) {
    const message = { type: 'logs', service: this.#name, follow };
    if (this.#node) message.node = this.#node;
    return message;
  }

  /** A "log" frame for this service. While paused nothing is added, not even the pause's answer. */
  onLog(entries) {
    if (!this.#following || !Array.isArray(entries)) return;
    this.#add(entries, false);
  }

  /** An "error" frame for this service (logs_not_allowed, logs_unavailable, too_many_requests, node_unreachable). */
  onError(message) {
    this.#refuse(`The journal cannot be followed: ${message}`);
  }

  /** Not following, though the user did not pause: {@link retryRefused} asks again. */
  #refuse(status) {
    this.#following = false;
    this.#refused = true;
    this.#pause.textContent = 'Resume';
    this.#pause.setAttribute('aria-pressed', 'true');
    this.#setStatus(status);
  }

  #setStatus(text) {
    if (this.#status.textContent !== text) this.#status.textContent = text;
  }

  #line(entry) {
    const p = Number.isInteger(entry.priority) && entry.priority >= 0 && entry.priority <= 7 ? entry.priority : 6;
    const li = el('li', 'journal-line');
    li.dataset.priority = String(p);
    li.dataset.tone = tone(p);
    li.dataset.cursor = entry.cursor;
    const time = el('time', 'journal-time');
    const at = parseTime(entry.at);
    if (at) {
      time.dateTime = entry.at;
      time.textContent = clockTime(at);
      time.title = exactTime(at, entry.at);
    }
    // The priority in words too: colour alone says nothing to some readers.
    const level = el('span', 'journal-priority', PRIORITY[p]);
    li.append(time, ' ', level, ' ', el('span', 'journal-message', String(entry.message ?? '')));
    return li;
  }

  /** Adds entries (oldest first) at the bottom, or at the top when `older`. */
  #add(entries, older) {
    const fresh = entries.filter((e) => e && typeof e.cursor === 'string' && !this.#seen.has(e.cursor));
    if (!fresh.length) return 0;
    for (const e of fresh) this.#seen.add(e.cursor);
    const box = this.#lines;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 32;
    const nodes = fresh.map((e) => this.#line(e));
    if (older) {
      const before = box.scrollHeight;
      box.prepend(...nodes);
      box.scrollTop += box.scrollHeight - before; // the line being read stays where it was
    } else {
      box.append(...nodes);
      while (box.childElementCount > MAX_LINES) {
        this.#seen.delete(box.firstElementChild.dataset.cursor);
        box.firstElementChild.remove();
        this.#noOlder = false;
      }
      if (atBottom || box.childElementCount === nodes.length) box.scrollTop = box.scrollHeight;
    }
    this.#oldestCursor = box.firstElementChild?.dataset.cursor ?? null;
    return fresh.length;
  }

  async #loadOlder() {
    if (this.#loadingOlder || this.#noOlder || !this.#oldestCursor) return;
    this.#loadingOlder = true;
    this.#older.disabled = true;
    try {
      const url = `${this.#api}/logs?lines=${PAGE}&before=${encodeURIComponent(this.#oldestCursor)}`;
      const response = await fetch(url, { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }, cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (response.status !== 200) {
        this.#setStatus(`Older lines could not be read: ${body?.message ?? `HTTP ${response.status}`}`);
        return;
      }
      const entries = Array.isArray(body?.entries) ? body.entries : [];
      const added = this.#add(entries, true);
      if (added === 0) {
        this.#noOlder = true;
        this.#older.textContent = 'No older lines';
      }
    } catch {
      this.#setStatus('Older lines could not be read: the server did not answer.');
    } finally {
      this.#loadingOlder = false;
      this.#older.disabled = this.#noOlder;
    }
  }

  async #copyLines() {
    const text = [...this.#lines.children].map((li) =>
      `${li.querySelector('time')?.dateTime ?? ''} ${li.querySelector('.journal-priority').textContent}: ${li.querySelector('.journal-message').textContent}`)
      .join('\n');
    const count = this.#lines.childElementCount;
    try {
      await navigator.clipboard.writeText(text);
      this.#copy.textContent = 'Copied';
      this.#setStatus(`${count} lines copied. ${this.#following ? 'Still following live.' : 'Paused.'}`);
    } catch {
      // No clipboard (plain http on a LAN address): select the lines, so the user can copy them.
      const range = document.createRange();
      range.selectNodeContents(this.#lines);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      this.#setStatus('The browser refused the clipboard: the lines are selected, copy them with Ctrl+C.');
    }
    setTimeout(() => { this.#copy.textContent = 'Copy'; }, 2000);
  }
}
