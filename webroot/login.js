// The login form, a modal dialog over the dashboard: on a session's end the page underneath keeps
// its state, and after logging in the dashboard goes on where it was.

import { logIn } from './session.js';

const $ = (id) => document.getElementById(id);

let pending = null;

/**
 * Shows the form (once, however often asked) and resolves with the session after a successful
 * login. {@code note} says why, e.g. that a session has ended. After a deliberate logout
 * ({@code forgetUser}) the form keeps no trace of who was here; after an ended session it keeps the
 * name, so the same person only types the password again.
 */
export function requireLogin(note = '', { forgetUser = false } = {}) {
  const dialog = $('login-dialog');
  $('login-note').textContent = note;
  $('login-note').hidden = note === '';
  if (pending) return pending;
  pending = new Promise((resolve) => {
    const form = $('login-form');
    const error = $('login-error');
    const submit = $('login-submit');
    error.hidden = true;
    $('login-password').value = '';
    if (forgetUser) $('login-user').value = '';
    const onSubmit = async (event) => {
      event.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      const result = await logIn($('login-user').value.trim(), $('login-password').value);
      submit.disabled = false;
      if (!result.ok) {
        error.textContent = result.message;
        error.hidden = false;
        $('login-password').value = '';
        $('login-password').focus();
        return;
      }
      form.removeEventListener('submit', onSubmit);
      $('login-password').value = '';
      dialog.close();
      pending = null;
      resolve(result.session);
    };
    form.addEventListener('submit', onSubmit);
    if (!dialog.open) dialog.showModal();
    ($('login-user').value ? $('login-password') : $('login-user')).focus();
  });
  return pending;
}

// Escape must not close the form: behind it there is nothing this visitor may see.
document.getElementById('login-dialog')?.addEventListener('cancel', (event) => event.preventDefault());
