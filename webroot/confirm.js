// The in-page confirmation (#confirm-dialog, a modal <dialog>): focus is trapped by the browser,
// Escape and a click outside cancel, and focus returns to the button that asked.

const dialog = document.getElementById('confirm-dialog');
const titleNode = document.getElementById('confirm-title');
const textNode = document.getElementById('confirm-text');
const ok = document.getElementById('confirm-ok');
const cancel = document.getElementById('confirm-cancel');

let settle = null; // resolves the open question

function finish(answer) {
  if (!settle) return;
  const resolve = settle;
  settle = null;
  if (dialog.open) dialog.close(answer ? 'ok' : 'cancel');
  resolve(answer);
}

ok.addEventListener('click', () => finish(true));
cancel.addEventListener('click', () => finish(false));
// Escape: the browser closes the dialog itself; "close" covers that and any other way out.
dialog.addEventListener('close', () => finish(false));
// A click on the backdrop lands on the <dialog> element itself (its content fills a child).
dialog.addEventListener('click', (event) => {
  if (event.target === dialog) finish(false);
});

/**
 * Asks a yes/no question. Resolves true only for the OK button. A question still open is
 * answered "no" first: there is only one dialog.
 */
export function confirmAction({ title, text, okLabel }) {
  finish(false);
  const opener = document.activeElement;
  titleNode.textContent = title;
  textNode.textContent = text;
  ok.textContent = okLabel;
  return new Promise((resolve) => {
    settle = (answer) => {
      if (opener instanceof HTMLElement && opener.isConnected && !opener.disabled) opener.focus();
      resolve(answer);
    };
    dialog.showModal();
    cancel.focus(); // the safe choice is the default one
  });
}

