// Short messages in the #toasts corner: server errors now, action results later.

const MAX_TOASTS = 4;

/** Shows a message for `timeout` ms (0 keeps it until dismissed). tone: info | error | success. */
export function showToast(text, { tone = 'info', timeout = 6000 } = {}) {
  const host = document.getElementById('toasts');
  if (!host) return null;
  const toast = document.createElement('div');
  toast.className = 'toast';
  toast.dataset.tone = tone;
  toast.setAttribute('role', tone === 'error' ? 'alert' : 'status');

  const message = document.createElement('p');
  message.className = 'toast-text';
  message.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  close.addEventListener('click', () => toast.remove());
  toast.append(message, close);

  host.append(toast);
  while (host.childElementCount > MAX_TOASTS) host.firstElementChild.remove();
  if (timeout > 0) setTimeout(() => toast.remove(), timeout);
  return toast;
}
