// The configuration page at #/config, for identities that see every service: the service units
// that exist but are not configured ("Not managed yet", read from systemd only when the button is
// pressed, never polled) with the YAML to paste, and the history of accepted configurations.
// Loaded on demand: app.js imports this module the first time the page is opened.

import { el, setBusy } from './dom.js';

const STYLES = 'config-page.css';

const get = async (url) => {
  const response = await fetch(url, { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' }, cache: 'no-store' });
  const body = await response.json().catch(() => null);
  if (response.status !== 200) {
    throw Object.assign(new Error(body?.message ?? `HTTP ${response.status}`), { code: body?.error });
  }
  return body;
};

/** "2026-12-01 06:31 UTC": versions are kept in UTC, as `config log` prints them. */
const utc = (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The page's own styles, fetched once, before anything is shown (no unstyled flash). */
let styles = null;
function loadStyles() {
  styles ??= new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLES;
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve);
    document.head.append(link);
  });
  return styles;
}

function section(id, title) {
  const node = el('section', 'page-section');
  node.setAttribute('aria-labelledby', id);
  const heading = el('h3', 'page-section-title', title);
  heading.id = id;
  node.append(heading);
  return node;
}

export class ConfigPage {
  #host;
  #opened = 0; // counts openings, so an answer for a page since left is dropped
  #parts = {};

  constructor(host) {
    this.#host = host;
  }

  get open() { return !this.#host.hidden; }

  /** Shows the page; the history is asked for at once, the units only when the button is pressed. */
  async show() {
    this.#opened += 1;
    const opened = this.#opened;
    await loadStyles();
    if (opened !== this.#opened) return;
    const back = el('a', 'page-back', '← All services');
    back.href = '#/';
    const heading = el('h2', 'page-title', 'Configuration');
    heading.tabIndex = -1;

    const units = section('unmanaged-title', 'Not managed yet');
    const intro = el('p', 'page-note', 'Service units that exist on this host but are not in services.yaml. '
      + 'They are read from systemd only when you ask. Paste an entry under services: to manage the unit, '
      + 'at the least privilege (restart) until you raise it.');
    const controls = el('div', 'unmanaged-controls');
    const look = el('button', 'page-button', 'Look for units');
    look.type = 'button';
    const systemLabel = el('label', 'unmanaged-system');
    const system = el('input');
    system.type = 'checkbox';
    systemLabel.append(system, " Include systemd's own units");
    controls.append(look, systemLabel);
    const status = el('p', 'page-note unmanaged-status');
    status.setAttribute('role', 'status');
    const list = el('ul', 'unmanaged-list');
    list.setAttribute('aria-label', 'Units not managed yet');
    units.append(intro, controls, status, list);

    const history = section('versions-title', 'Configuration history');
    const historyNote = el('p', 'page-note', 'Every configuration the manager accepted, newest first. '
      + 'On the server, service-manager config diff REV shows a version and config rollback REV puts it back.');
    const versions = el('ol', 'version-list');
    versions.setAttribute('aria-label', 'Accepted versions, newest first');
    const versionsStatus = el('p', 'page-note versions-status', 'Loading…');
    history.append(historyNote, versionsStatus, versions);

    const grid = el('div', 'page-grid config-grid');
    grid.append(units, history);
    this.#host.replaceChildren(back, heading, grid);
    this.#host.hidden = false;
    this.#parts = { look, system, status, list, versions, versionsStatus };
    look.addEventListener('click', () => this.#lookForUnits(opened));
    heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    this.#loadHistory(opened);
  }

  /** Leaves the page: what it showed is gone (a logout must leave nothing behind). */
  close() {
    this.#opened += 1;
    this.#host.hidden = true;
    this.#host.replaceChildren();
    this.#parts = {};
  }

  async #lookForUnits(opened) {
    const { look, system, status, list } = this.#parts;
    look.disabled = true;
    setBusy(list, true);
    status.textContent = 'Asking systemd…';
    try {
      const body = await get(`api/config/unmanaged${system.checked ? '?include_system=true' : ''}`);
      if (opened !== this.#opened) return;
      const units = Array.isArray(body?.units) ? body.units : [];
      list.replaceChildren(...units.map((unit) => this.#unitItem(unit)));
      status.textContent = units.length === 0 ? 'Every service unit on this host is managed.'
        : `${units.length} unit${units.length === 1 ? '' : 's'} not managed yet.`;
    } catch (error) {
      if (opened !== this.#opened) return;
      status.textContent = `The units could not be listed: ${error.message}`;
    } finally {
      if (opened === this.#opened) {
        look.disabled = false;
        look.textContent = 'Look again';
        setBusy(list, false);
      }
    }
  }

  #unitItem(unit) {
    const item = el('li', 'unmanaged-unit');
    item.dataset.unit = String(unit.unit);
    const head = el('div', 'unmanaged-head');
    const name = el('h4', 'unmanaged-name', String(unit.unit));
    const state = el('span', 'unmanaged-state', String(unit.active_state ?? ''));
    head.append(name, state);
    const desc = el('p', 'page-note', unit.description ? String(unit.description) : 'No description.');
    const yaml = el('pre', 'unmanaged-yaml');
    const code = el('code', null, String(unit.yaml ?? ''));
    yaml.append(code);
    yaml.tabIndex = 0;
    yaml.setAttribute('aria-label', `services.yaml entry for ${unit.unit}`);
    const copy = el('button', 'page-button unmanaged-copy', 'Copy YAML');
    copy.type = 'button';
    copy.append(el('span', 'visually-hidden', ` for ${unit.unit}`));
    copy.addEventListener('click', () => this.#copy(code, unit.unit));
    item.append(head, desc, yaml, copy);
    return item;
  }

  /** Copies the entry; where the browser refuses, selects it so Ctrl+C copies it. */
  async #copy(code, unit) {
    const { status } = this.#parts;
    try {
      await navigator.clipboard.writeText(code.textContent);
      status.textContent = `Copied the YAML for ${unit}.`;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = `The browser did not allow copying: the YAML for ${unit} is selected, press Ctrl+C.`;
    }
  }

  async #loadHistory(opened) {
    const { versions, versionsStatus } = this.#parts;
    setBusy(versions, true);
    try {
      const body = await get('api/config/history');
      if (opened !== this.#opened) return;
      const list = Array.isArray(body?.versions) ? body.versions : [];
      versions.replaceChildren(...list.map((v) => {
        const item = el('li', 'version');
        const rev = el('code', 'version-rev', String(v.rev));
        const at = el('time', 'version-at', utc(String(v.at)));
        at.dateTime = String(v.at);
        item.append(rev, at, el('span', 'version-message', String(v.message)));
        return item;
      }));
      versionsStatus.textContent = list.length === 0 ? 'No version has been recorded yet.'
        : body.total > list.length ? `The newest ${list.length} of ${body.total} versions.` : '';
      versionsStatus.hidden = versionsStatus.textContent === '';
    } catch (error) {
      if (opened !== this.#opened) return;
      // No history kept (a demo, a configuration built in code) is a fact, not a failure.
      versionsStatus.textContent = error.code === 'unavailable'
        ? 'This server keeps no configuration history.'
        : `The history could not be read: ${error.message}`;
    } finally {
      if (opened === this.#opened) setBusy(versions, false);
    }
  }
}
