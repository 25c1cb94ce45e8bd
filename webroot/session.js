// Who is logged in: GET api/session, POST api/login and api/logout (README "Authentication").
// Every request says X-Requested-With, so a 401 never pops the browser's own password dialog.

const HEADERS = { Accept: 'application/json', 'X-Requested-With': 'fetch' };

/**
 * The current session: { status: 'ok', session: { user, role, method, expires } },
 * { status: 'unauthorized' }, or { status: 'error' } when the server cannot be asked.
 */
export async function currentSession() {
  try {
    const response = await fetch('api/session', { headers: HEADERS, cache: 'no-store' });
    if (response.status === 401) return { status: 'unauthorized' };
    if (response.status !== 200) return { status: 'error' };
    return { status: 'ok', session: await response.json() };
  } catch {
    return { status: 'error' };
  }
}

/** Resolves to { ok: true, session } or { ok: false, message } — never rejects. */
export async function logIn(user, password) {
  try {
    const response = await fetch('api/login', {
      method: 'POST',
      headers: { ...HEADERS, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, password }),
      cache: 'no-store',
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 200) return { ok: true, session: body };
    if (response.status === 429) {
      const wait = Number(response.headers.get('Retry-After')) || 60;
      return { ok: false, message: `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} min.` };
    }
    if (response.status === 401) return { ok: false, message: 'Wrong user name or password.' };
    return { ok: false, message: body?.message || `The server answered ${response.status}.` };
  } catch {
    return { ok: false, message: 'The server cannot be reached.' };
  }
}

export async function logOut() {
  try {
    await fetch('api/logout', { method: 'POST', headers: HEADERS, cache: 'no-store' });
  } catch {
    // The cookie stays until it expires; the page forgets the session either way.
  }
}
