// Signing in and out, sessions, CSRF protection and the access rule for a city's internal page.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';

import { Client, USERS, csrfTokenIn, startServer } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

// Location as a URL, whether the server sends it absolute or relative; asserts it stays on the
// site.
function location(response) {
  assert.ok(response.location, `status ${response.status} without Location`);
  const url = new URL(response.location, server.baseUrl);
  assert.equal(url.origin, new URL(server.baseUrl).origin, `redirect leaves the site: ${url}`);
  return url;
}

// Location as "path?query".
function target(response) {
  const url = location(response);
  return url.pathname + url.search;
}

// Asserts a redirect to the login form that leads back to `weiter` afterwards. Whether '/' in
// the query is escaped or not is the server's choice: both decode to the same parameter.
function assertLoginRedirect(response, weiter) {
  assert.equal(response.status, 303);
  const url = location(response);
  assert.equal(url.pathname, '/anmelden');
  assert.deepEqual([...url.searchParams], [['weiter', weiter]]);
}

function cookie(response, name) {
  return response.setCookies.find((candidate) => candidate.name === name);
}

test('/bereich without a session redirects to the login form and back', async () => {
  assertLoginRedirect(await server.client().get('/bereich'), '/bereich');
});

test('the login form has the fields of the contract and a CSRF token equal to ik_csrf', async () => {
  const client = server.client();
  const form = await client.get('/anmelden?weiter=%2Fbereich');
  assert.equal(form.status, 200);
  assert.match(form.body, /<html[^>]*\blang="de"/);
  for (const field of ['benutzername', 'passwort', 'csrf_token', 'weiter']) {
    assert.match(form.body, new RegExp(`<input\\b[^>]*\\bname="${field}"`), field);
  }
  assert.match(form.body, /<input\b[^>]*\btype="password"/);
  const csrf = cookie(form, 'ik_csrf') ?? { value: client.cookies.get('ik_csrf'), attributes: null };
  assert.ok(csrf.value, 'no ik_csrf cookie');
  assert.equal(csrfTokenIn(form.body), csrf.value);
  if (csrf.attributes) {
    assert.equal(csrf.attributes.get('httponly'), true, 'ik_csrf must be HttpOnly');
    assert.equal(String(csrf.attributes.get('samesite')).toLowerCase(), 'lax');
  }
});

test('a successful login sets a new HttpOnly, SameSite=Lax session cookie', async () => {
  const client = server.client();
  await client.get('/anmelden');
  const before = client.cookies.get('ik_session');
  const response = await client.login(USERS.office);
  assert.equal(response.status, 303);
  assert.equal(target(response), '/bereich');
  const session = cookie(response, 'ik_session');
  assert.ok(session?.value, 'no ik_session cookie on login');
  assert.notEqual(session.value, before, 'the session id must change on login');
  assert.equal(session.attributes.get('httponly'), true);
  assert.equal(String(session.attributes.get('samesite')).toLowerCase(), 'lax');
  assert.equal(session.attributes.get('path'), '/');

  const start = await client.get('/bereich');
  assert.equal(start.status, 200);
  assert.ok(start.body.includes(USERS.office.name), 'the start page does not name the user');
});

test('login follows a site-relative weiter, but never to another site', async () => {
  const local = await server.client().login(USERS.steering, { weiter: '/kooperation' });
  assert.equal(local.status, 303);
  assert.equal(target(local), '/kooperation');
  for (const weiter of ['https://example.org/', '//example.org/', '/\\example.org', 'javascript:alert(1)']) {
    const response = await server.client().login(USERS.steering, { weiter });
    assert.equal(response.status, 303, weiter);
    location(response);  // asserts the same origin
  }
});

test('a wrong password shows the same German message as an unknown user', async () => {
  // Equal up to the CSRF token and the name typed into the form.
  const normalise = (html, username) => {
    const withoutToken = html
      .replace(/(name="csrf_token"[^>]*value=")[^"]*"/g, '$1…"')
      .replace(/(value=")[^"]*("[^>]*name="csrf_token")/g, '$1…$2');
    return username ? withoutToken.replaceAll(username, '') : withoutToken;
  };
  const fresh = server.client();
  const emptyForm = normalise((await fresh.get('/anmelden?weiter=%2Fbereich')).body, '');

  const wrongPassword = await server.client().login(USERS.project, { password: 'falsch-falsch-falsch' });
  const unknownUser = await server.client().login(
    { username: 'niemand-mit-diesem-namen', password: 'falsch-falsch-falsch' });
  for (const response of [wrongPassword, unknownUser]) {
    assert.equal(response.status, 401, 'a failed login answers 401 with the form again');
    assert.match(response.body, /<html[^>]*\blang="de"/);
    assert.equal(cookie(response, 'ik_session')?.value || undefined, undefined,
      'a failed login must not create a session');
  }
  const wrong = normalise(wrongPassword.body, USERS.project.username);
  assert.notEqual(wrong, emptyForm, 'the failed login shows no message');
  assert.equal(wrong, normalise(unknownUser.body, 'niemand-mit-diesem-namen'),
    'the answers for a wrong password and an unknown user differ');

  const retry = await server.client().login(USERS.project);
  assert.equal(retry.status, 303, 'the right password still works after two failures');
});

test('POST /anmelden without or with a forged CSRF token is 403', async () => {
  const client = server.client();
  const token = await client.csrfToken('/anmelden');
  const fields = { benutzername: USERS.office.username, passwort: USERS.office.password, weiter: '/bereich' };
  const missing = await client.post('/anmelden', { form: fields });
  assert.equal(missing.status, 403);
  const forged = await client.post('/anmelden',
    { form: { ...fields, csrf_token: crypto.randomBytes(32).toString('hex') } });
  assert.equal(forged.status, 403);
  const withoutCookie = await client.post('/anmelden',
    { form: { ...fields, csrf_token: token }, cookies: false });
  assert.equal(withoutCookie.status, 403, 'a token without its cookie must not pass');
  assert.equal(cookie(forged, 'ik_session')?.value || undefined, undefined);
});

test('POST /abmelden without or with a forged CSRF token is 403 and keeps the session', async () => {
  const client = server.client();
  assert.equal((await client.login(USERS.admin)).status, 303);
  assert.equal((await client.post('/abmelden', { form: {} })).status, 403);
  const forged = await client.post('/abmelden', { form: { csrf_token: 'x'.repeat(64) } });
  assert.equal(forged.status, 403);
  assert.equal((await client.get('/bereich')).status, 200, 'still signed in');
});

test('logout ends the session on the server, not only in the browser', async () => {
  const client = server.client();
  assert.equal((await client.login(USERS.bochumEntry)).status, 303);
  const session = client.cookies.get('ik_session');
  const response = await client.logout();
  assert.equal(response.status, 303);
  assert.equal(target(response), '/');
  assert.equal(client.cookies.get('ik_session'), undefined, 'ik_session is not cleared');
  assert.equal((await client.get('/bereich')).status, 303);

  const replay = new Client(server.baseUrl);
  replay.cookies.set('ik_session', session);
  const replayed = await replay.get('/bereich');
  assert.equal(replayed.status, 303, 'the old session id still works after logout');
});

test('a city\'s internal page is open to that city\'s roles, the office and admins only', async () => {
  const cases = [
    [USERS.bochumEntry, '/staedte/bochum/intern', 200],
    [USERS.bochumEntry, '/staedte/dortmund/intern', 403],
    [USERS.dortmundApproval, '/staedte/dortmund/intern', 200],
    [USERS.dortmundApproval, '/staedte/bochum/intern', 403],
    [USERS.office, '/staedte/bochum/intern', 200],
    [USERS.admin, '/staedte/dortmund/intern', 200],
    [USERS.steering, '/staedte/bochum/intern', 403],
    [USERS.project, '/staedte/dortmund/intern', 403],
  ];
  for (const [account, page, status] of cases) {
    const client = server.client();
    assert.equal((await client.login(account)).status, 303, account.username);
    const response = await client.get(page);
    assert.equal(response.status, status, `${account.username} → ${page}`);
    if (status === 403) assert.match(response.body, /<html[^>]*\blang="de"/);
  }
  assertLoginRedirect(await server.client().get('/staedte/bochum/intern'), '/staedte/bochum/intern');
});
