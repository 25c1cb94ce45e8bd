// Short messages in #toasts, in the sticky header's flow: action results, failures and server
// errors. In flow they push the page down instead of covering a control; at most MAX_TOASTS show.

import { el } from './dom.js';

const MAX_TOASTS = 2;

/**
 * Shows a message for `timeout` ms (0 keeps it until dismissed); the time starts again while the
 * pointer or focus is on it, so it never vanishes while being read.
 *   tone:  info | ok | warn | bad   (data-tone; "bad" is announced at once, as an alert)
 *   title: an optional first line in bold; `text` then follows as the detail
 */
export function showToast(text, { tone = 'info', timeout = 6000, title = '' } = {}) {
  const host = document.getElementById('toasts');
  if (!host) return null;
  const toast = el('div', 'toast');
  toast.dataset.tone = tone;
  toast.setAttribute('role', tone === 'bad' ? 'alert' : 'status');

  const body = el('div', 'toast-body');
  if (title) body.append(el('p', 'toast-title', title));
  if (text) body.append(el('p', 'toast-text', text));
  const close = el('button', 'toast-close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', () => toast.remove());
  toast.append(body, close);

  // Newest first; a failure outlives newer successes, which are the ones dropped when full.
  host.prepend(toast);
  while (host.childElementCount > MAX_TOASTS) {
    const quiet = [...host.children].reverse().find((t) => t !== toast && t.dataset.tone !== 'bad');
    (quiet ?? host.lastElementChild).remove();
  }

  if (timeout > 0) {
    let timer = setTimeout(() => toast.remove(), timeout);
    const hold = () => clearTimeout(timer);
    const release = () => {
      clearTimeout(timer);
      if (!toast.matches(':hover, :focus-within')) timer = setTimeout(() => toast.remove(), timeout);
    };
    toast.addEventListener('pointerenter', hold);
    toast.addEventListener('focusin', hold);
    toast.addEventListener('pointerleave', release);
    toast.addEventListener('focusout', release);
  }
  return toast;
}

/** Removes every toast at once (logout: the next person must not read the last one's results). */
export function clearToasts() {
  document.getElementById('toasts')?.replaceChildren();
}
