// Optional browser notifications when a service fails (#notify-toggle). The browser is asked for
// permission only when the user turns them on; the choice is kept in this browser only.

const KEY = 'sm.notify-failures';
const button = document.getElementById('notify-toggle');

const supported = () => typeof Notification === 'function';
const wanted = () => {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
};

function remember(on) {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the choice lasts this page only.
  }
}

let on = false;

function paint() {
  button.setAttribute('aria-pressed', String(on));
  button.textContent = on ? 'Failure alerts on' : 'Alert me on failures';
  button.title = Notification.permission === 'denied'
    ? 'This browser blocks notifications from this site; allow them in its site settings.'
    : '';
}

async function toggle() {
  if (on) {
    on = false;
  } else {
    const permission = Notification.permission === 'default'
      ? await Notification.requestPermission() : Notification.permission;
    on = permission === 'granted';
  }
  remember(on);
  paint();
}

export function setUpNotifications() {
  if (!button) return;
  if (!supported()) {
    button.hidden = true;
    return;
  }
  on = wanted() && Notification.permission === 'granted';
  button.addEventListener('click', toggle);
  paint();
}

/** A system notification for a failure, when turned on and the page is not in front. */
export function notifyFailure(title, text) {
  if (!on || !supported() || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
  try {
    new Notification(title, { body: text, tag: title, icon: 'icon-192.png' });
  } catch {
    // Some phones allow notifications only through a service worker: the toast has said it.
  }
}
