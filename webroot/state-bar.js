// A service's state over a window as one plain-SVG bar (no chart library: nothing to vendor), from
// GET /api/services/{name}/timeline. Colour is never the only cue: every segment also has its state
// in words — a <title> on hover, the text line a tap or click fills, and the list under the bar.
// A card's small bar (GET /api/timeline) is the same drawing, named by its summary in words.

import { el } from './dom.js';
import { clockTime, exactTime } from './time.js';

const SVG = 'http://www.w3.org/2000/svg';

/** ActiveState → what a segment shows. Transitions count with what they lead to in words only. */
const KINDS = {
  active: 'running', reloading: 'running',
  inactive: 'stopped', failed: 'failed',
  activating: 'changing', deactivating: 'changing',
};
export const KIND_WORDS = {
  running: 'Running', stopped: 'Stopped', failed: 'Failed', changing: 'Starting or stopping',
  unknown: 'Unknown (not observed)',
};

const kindOf = (activeState) => (activeState && Object.hasOwn(KINDS, activeState) ? KINDS[activeState] : 'unknown');

/**
 * The segments [{start, end, kind, why}] covering [from, to) (ms): each transition starts the state
 * it leads to; before the first one, the state it left (unknown when that is null: not yet
 * observed). Gaps (the manager stopped, the bus lost) are cut out as unknown. `current` is the
 * ActiveState now, used when the window holds no transition at all.
 */
export function segments(timeline, from, to, current) {
  const transitions = (Array.isArray(timeline?.transitions) ? timeline.transitions : [])
    .map((t) => ({ at: Date.parse(t.at), t }))
    .filter((x) => Number.isFinite(x.at))
    .sort((a, b) => a.at - b.at);
  const raw = [];
  let state = transitions.length ? transitions[0].t.from : current;
  let why = '';
  let cursor = from;
  for (const { at, t } of transitions) {
    const at2 = Math.min(Math.max(at, from), to);
    if (at2 > cursor) raw.push({ start: cursor, end: at2, kind: kindOf(state), why });
    cursor = Math.max(cursor, at2);
    state = t.to;
    why = typeof t.message === 'string' && t.message ? t.message : '';
  }
  if (to > cursor) raw.push({ start: cursor, end: to, kind: kindOf(state), why });

  // Cut the gaps out: time without an observer is neither up nor down.
  const gaps = (Array.isArray(timeline?.gaps) ? timeline.gaps : [])
    .map((g) => ({ start: Date.parse(g.start), end: g.end ? Date.parse(g.end) : to }))
    .filter((g) => Number.isFinite(g.start) && Number.isFinite(g.end) && g.end > from && g.start < to);
  let out = raw;
  for (const gap of gaps) {
    const next = [];
    for (const s of out) {
      if (gap.end <= s.start || gap.start >= s.end) { next.push(s); continue; }
      if (gap.start > s.start) next.push({ ...s, end: gap.start });
      next.push({ start: Math.max(s.start, gap.start), end: Math.min(s.end, gap.end), kind: 'unknown', why: 'not observed' });
      if (gap.end < s.end) next.push({ ...s, start: gap.end });
    }
    out = next;
  }
  // Neighbours of the same kind read as one.
  const merged = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && last.kind === s.kind && last.end === s.start && last.why === s.why) last.end = s.end;
    else if (s.end > s.start) merged.push({ ...s });
  }
  return merged;
}

const duration = (ms) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
};

/** "10:02 – 11:40 · Failed (exited with status 1) · 1 h 38 min" */
export function describeSegment(s, now = Date.now()) {
  const words = KIND_WORDS[s.kind] + (s.why && s.kind !== 'running' ? ` (${s.why})` : '');
  const end = s.end >= now - 1000 ? 'now' : clockTime(new Date(s.end), now);
  return `${clockTime(new Date(s.start), now)} – ${end} · ${words} · ${duration(s.end - s.start)}`;
}

let nextId = 0;

/** Milliseconds of each kind in a segment list: { running: …, failed: … }. */
function totalsOf(list) {
  const totals = {};
  for (const s of list) totals[s.kind] = (totals[s.kind] ?? 0) + (s.end - s.start);
  return totals;
}

/**
 * The segments as an SVG bar (role img, named by `label`): a rect per segment with its words in a
 * <title>, unknown time hatched. The service page's bars and the cards' small bars both draw this.
 */
export function barSvg(list, { from, to, now = Date.now(), label, className }) {
  const span = to - from;
  const id = `bar-${nextId++}`;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('viewBox', '0 0 1000 32');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const defs = document.createElementNS(SVG, 'defs');
  const pattern = document.createElementNS(SVG, 'pattern');
  pattern.setAttribute('id', `${id}-hatch`);
  pattern.setAttribute('width', '8');
  pattern.setAttribute('height', '8');
  pattern.setAttribute('patternUnits', 'userSpaceOnUse');
  pattern.setAttribute('patternTransform', 'rotate(45)');
  const back = document.createElementNS(SVG, 'rect');
  back.setAttribute('width', '8');
  back.setAttribute('height', '8');
  back.setAttribute('class', 'hatch-back');
  const line = document.createElementNS(SVG, 'rect');
  line.setAttribute('width', '3');
  line.setAttribute('height', '8');
  line.setAttribute('class', 'hatch-line');
  pattern.append(back, line);
  defs.append(pattern);
  svg.append(defs);

  for (const [index, s] of list.entries()) {
    const rect = document.createElementNS(SVG, 'rect');
    // A stretch of seconds stays visible (and tappable) as a thin line.
    const x = ((s.start - from) / span) * 1000;
    const width = Math.max(((s.end - s.start) / span) * 1000, 4);
    rect.setAttribute('x', String(Math.min(x, 1000 - width)));
    rect.setAttribute('width', String(width));
    rect.setAttribute('y', '0');
    rect.setAttribute('height', '32');
    rect.setAttribute('class', `seg seg-${s.kind}`);
    rect.dataset.index = String(index);
    if (s.kind === 'unknown') rect.setAttribute('fill', `url(#${id}-hatch)`);
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = describeSegment(s, now);
    rect.append(tip);
    svg.append(rect);
  }
  return svg;
}

const whole = (share) => (share >= 0.9995 ? '100' : share >= 0.99 ? (Math.floor(share * 1000) / 10).toFixed(1) : String(Math.round(share * 100)));

/**
 * A small bar's summary in words: "Last 24 h: up 97 %, 1 failure" — up over the time observed (as
 * the uptime figures count it), failures the window's transitions to failed, and what was not observed.
 */
export function summarizeBar(title, list, timeline, from, to) {
  const totals = totalsOf(list);
  const observed = to - from - (totals.unknown ?? 0);
  if (observed <= 0) return `${title}: nothing observed`;
  const failures = (Array.isArray(timeline?.transitions) ? timeline.transitions : [])
    .filter((t) => t.to === 'failed' && Date.parse(t.at) >= from && Date.parse(t.at) < to).length;
  const parts = [`up ${whole((totals.running ?? 0) / observed)} %`,
    failures === 1 ? '1 failure' : `${failures} failures`];
  const unseen = (totals.unknown ?? 0) / (to - from);
  if (unseen >= 0.01) parts.push(`${Math.round(unseen * 100)} % not observed`);
  return `${title}: ${parts.join(', ')}`;
}

/**
 * A card's small bar in `host`: the same segments and drawing as the page's bars, no more than an
 * image with its summary as name and tooltip (the service page has the times and the list).
 */
export function renderSmallBar(host, { title, timeline, from, to, current, now = Date.now() }) {
  const list = segments(timeline, from, to, current);
  const label = summarizeBar(title, list, timeline, from, to);
  const svg = barSvg(list, { from, to, now, label, className: 'small-bar-svg' });
  host.title = label;
  host.replaceChildren(svg);
  return label;
}

/**
 * Draws a bar into `host`: a heading, the SVG, the start and end times, a line that names the
 * segment tapped, and the segments as a list (keyboard and screen readers read that).
 */
export function renderStateBar(host, { title, timeline, from, to, current, now = Date.now() }) {
  const list = segments(timeline, from, to, current);
  const span = to - from;
  const summary = Object.entries(totalsOf(list)).sort((x, y) => y[1] - x[1])
    .map(([kind, ms]) => `${KIND_WORDS[kind]} ${Math.round((ms / span) * 100)}%`).join(', ');
  const svg = barSvg(list, { from, to, now, label: `${title}: ${summary || 'nothing recorded'}`, className: 'state-bar-svg' });

  const detail = el('p', 'state-bar-detail', 'Tap the bar for the times of a stretch.');
  detail.setAttribute('aria-live', 'polite');
  // A tap picks the segment under the finger: SVG rects are too thin to aim at on a phone.
  svg.addEventListener('click', (event) => {
    // The stretch as drawn under the finger (a short one is drawn wider than its time), else by time.
    const drawn = event.target.closest?.('.seg');
    const box = svg.getBoundingClientRect();
    const at = from + ((event.clientX - box.left) / box.width) * span;
    const hit = (drawn ? list[Number(drawn.dataset.index)] : null)
      ?? list.find((s) => at >= s.start && at < s.end) ?? list[list.length - 1];
    if (!hit) return;
    for (const r of svg.querySelectorAll('.seg')) r.classList.toggle('seg-picked', r.dataset.index === String(list.indexOf(hit)));
    detail.textContent = describeSegment(hit, now);
  });

  const axis = el('div', 'state-bar-axis');
  const start = el('time', '', clockTime(new Date(from), now));
  start.dateTime = new Date(from).toISOString();
  start.title = exactTime(new Date(from), start.dateTime);
  axis.append(start, el('span', '', 'now'));

  const more = el('details', 'state-bar-list');
  more.append(el('summary', '', `${title}: every stretch in words (${list.length})`));
  const ol = el('ol');
  for (const s of [...list].reverse()) {
    const li = el('li', `seg-item seg-item-${s.kind}`, describeSegment(s, now));
    ol.append(li);
  }
  more.append(ol);

  const figure = el('figure', 'state-bar');
  figure.dataset.window = title;
  figure.append(el('figcaption', 'state-bar-title', title), svg, axis, detail, more);
  host.replaceChildren(figure);
  return list;
}
