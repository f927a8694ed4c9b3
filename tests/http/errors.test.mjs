// Error answers: German (or English under /en/) HTML pages that reveal nothing about the
// implementation, and the limits that protect the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ROOT, rawRequest, startServer } from './harness.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

const INTERNALS = /std::|what\(\)|exception|restinio|asio\b|sqlite|pqxx|libpq|\.[ch]pp\b|segfault|errno/i;

function assertErrorPage(response, { status, language }) {
  assert.equal(response.status, status);
  assert.match(response.headers['content-type'] ?? '', /^text\/html\b/);
  assert.match(response.body, new RegExp(`<html[^>]*\\blang="${language}"`));
  assert.doesNotMatch(response.body, INTERNALS);
  assert.ok(!response.body.includes(ROOT), 'error page shows a server path');
}

test('an unknown page is a German 404 page', async () => {
  const response = await client.get('/gibt-es-nicht');
  assertErrorPage(response, { status: 404, language: 'de' });
  assert.match(response.body, /nicht gefunden/i);
});

test('an unknown page under /en/ is an English 404 page', async () => {
  const response = await client.get('/en/does-not-exist');
  assertErrorPage(response, { status: 404, language: 'en' });
  assert.match(response.body, /not found/i);
});

test('a path that looks like an attack is just a 404', async () => {
  for (const target of ['/../../etc/passwd', '/assets/../CMakeLists.txt', '/%2e%2e/%2e%2e/etc/passwd']) {
    const answer = await rawRequest(server.port,
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok([400, 404].includes(answer.status), `${target}: ${answer.text.slice(0, 100)}`);
    assert.doesNotMatch(answer.text, /root:|cmake_minimum_required/);
  }
});

test('a wrong method is 405 with an Allow header', async () => {
  for (const [method, target] of [['DELETE', '/kooperation'], ['POST', '/healthz'], ['PUT', '/']]) {
    const response = await client.request(method, target);
    assertErrorPage(response, { status: 405, language: 'de' });
    assert.match(response.headers.allow ?? '', /\bGET\b/, `${method} ${target}: Allow`);
  }
});

test('a 2 MB POST is answered 413, not dropped', async () => {
  const body = `benutzername=x&passwort=${'a'.repeat(2 * 1024 * 1024)}`;
  const answer = await rawRequest(server.port, [
    'POST /anmelden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`, body]);
  assert.equal(answer.status, 413, answer.text.slice(0, 300) || '(no answer)');
  assert.match(answer.text, /<html[^>]*\blang="de"/);
});

test('a malformed request is answered 400 or the connection is closed', async () => {
  for (const garbage of ['THIS IS NOT HTTP\r\n\r\n', 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n',
    '\x00\x01\x02\r\n\r\n']) {
    const answer = await rawRequest(server.port, garbage);
    assert.ok(answer.text !== '' || !answer.timedOut,
      `${JSON.stringify(garbage)}: the server neither answered nor closed the connection`);
    if (answer.text !== '') {
      assert.equal(answer.status, 400, `${JSON.stringify(garbage)}: ${answer.text.slice(0, 100)}`);
      assert.doesNotMatch(answer.text, INTERNALS);
    }
  }
  assert.equal((await client.get('/healthz')).status, 200, 'server still serves afterwards');
});

test('an invalid percent escape in the path is 400', async () => {
  const answer = await rawRequest(server.port,
    'GET /kooperation%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(answer.status, 400, answer.text.slice(0, 200));
  assert.doesNotMatch(answer.text, INTERNALS);
});
