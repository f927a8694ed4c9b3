// Every kind of response carries the same security headers (CSP without inline code, no
// framing, no sniffing, …) and a request id, and none sets HSTS over plain HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { rawRequest, startServer } from './harness.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

const FIXED_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
};

const REQUIRED_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

function parseCsp(header) {
  return new Map(header.split(';').map((part) => part.trim()).filter(Boolean).map((directive) => {
    const [name, ...sources] = directive.split(/\s+/);
    return [name.toLowerCase(), sources];
  }));
}

function assertSecurityHeaders(response, what) {
  for (const [name, value] of Object.entries(FIXED_HEADERS)) {
    assert.equal(response.headers[name], value, `${what}: ${name}`);
  }
  const csp = response.headers['content-security-policy'];
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  const directives = parseCsp(csp);
  for (const [name, sources] of Object.entries(REQUIRED_CSP)) {
    assert.deepEqual(directives.get(name), sources, `${what}: CSP ${name} in "${csp}"`);
  }
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, `${what}: CSP allows too much`);
  assert.match(response.headers['x-request-id'] ?? '', /^[A-Za-z0-9-]{1,64}$/,
    `${what}: X-Request-Id`);
  assert.equal(response.headers['strict-transport-security'], undefined,
    `${what}: HSTS must not be sent over plain HTTP`);
}

async function stylesheetUrls() {
  const home = await client.get('/');
  assert.equal(home.status, 200);
  const links = [...home.body.matchAll(/<link\b[^>]*\bhref="(\/assets\/[^"]+\.css)"/g)];
  return links.map((match) => match[1]);
}

test('pages, redirects, errors, API and health answers carry the security headers', async () => {
  const cases = [
    ['page', '/', 200],
    ['page (en)', '/en/', 200],
    ['login form', '/anmelden', 200],
    ['redirect to login', '/bereich', 303],
    ['404 page', '/gibt-es-nicht', 404],
    ['API', '/api/v1/cities', 200],
    ['API 404', '/api/v1/cities/gibt-es-nicht', 404],
    ['health', '/healthz', 200],
  ];
  for (const [what, target, status] of cases) {
    const response = await client.get(target);
    assert.equal(response.status, status, `${what} ${target}`);
    assertSecurityHeaders(response, `${what} ${target}`);
  }
});

test('405 and 403 answers carry the security headers', async () => {
  const wrongMethod = await client.request('DELETE', '/kooperation');
  assert.equal(wrongMethod.status, 405);
  assertSecurityHeaders(wrongMethod, '405');
  const forbidden = await client.post('/anmelden', { form: { benutzername: 'x', passwort: 'y' } });
  assert.equal(forbidden.status, 403);
  assertSecurityHeaders(forbidden, '403 (no CSRF token)');
});

test('a 413 answer written by the server itself carries the security headers', async () => {
  const body = 'a'.repeat(2 * 1024 * 1024);
  const answer = await rawRequest(server.port, [
    'POST /anmelden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${body.length}\r\n\r\n`, body]);
  assert.equal(answer.status, 413, answer.text.slice(0, 200));
  const head = answer.text.slice(0, answer.text.indexOf('\r\n\r\n')).toLowerCase();
  assert.match(head, /\r\ncontent-security-policy: /);
  assert.match(head, /\r\nx-content-type-options: nosniff/);
  assert.match(head, /\r\nx-request-id: [a-z0-9-]+/);
});

test('stylesheets are linked by content hash and served immutable with the headers', async () => {
  const urls = await stylesheetUrls();
  assert.ok(urls.some((url) => /^\/assets\/kern\.[0-9a-f]{8,}\.css$/.test(url)), urls.join());
  assert.ok(urls.some((url) => /^\/assets\/site\.[0-9a-f]{8,}\.css$/.test(url)), urls.join());
  for (const url of urls) {
    const response = await client.get(url);
    assert.equal(response.status, 200, url);
    assert.match(response.headers['content-type'], /^text\/css\b/, url);
    assert.match(response.headers['cache-control'] ?? '', /\bimmutable\b/, url);
    assert.match(response.headers['cache-control'] ?? '', /\bmax-age=\d{6,}/, url);
    assertSecurityHeaders(response, url);
  }
});

test('every file the stylesheets refer to is served under the URL they use', async () => {
  let fonts = 0;
  for (const stylesheet of await stylesheetUrls()) {
    const css = (await client.get(stylesheet)).body;
    const references = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)]
      .map((match) => match[1]).filter((reference) => !reference.startsWith('data:'));
    for (const reference of references) {
      const url = new URL(reference, server.url(stylesheet));
      assert.equal(url.origin, new URL(server.baseUrl).origin, `${stylesheet}: ${reference}`);
      const response = await client.get(url.pathname);
      assert.equal(response.status, 200, `${stylesheet}: ${reference}`);
      assert.match(response.headers['cache-control'] ?? '', /\bimmutable\b/, reference);
      assertSecurityHeaders(response, reference);
      if (reference.endsWith('.woff2')) {
        fonts += 1;
        assert.equal(response.headers['content-type'], 'font/woff2', reference);
      }
    }
  }
  assert.ok(fonts >= 1, 'kern.css refers to no font');
});

test('an asset under a wrong hash is 404', async () => {
  const response = await client.get('/assets/kern.0000000000000000.css');
  assert.equal(response.status, 404);
  assertSecurityHeaders(response, 'asset 404');
});

test('each response gets its own request id; a client cannot choose it', async () => {
  const first = await client.get('/healthz');
  const second = await client.get('/healthz', { headers: { 'X-Request-Id': 'chosen-by-client' } });
  assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
  assert.notEqual(second.headers['x-request-id'], 'chosen-by-client');
});
