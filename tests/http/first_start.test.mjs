// The very first start of an empty installation creates the admin account and prints its
// one-time password once, before the "läuft auf" line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from './harness.mjs';

let server;
before(async () => {
  server = await startServer({ users: false });
});
after(() => server?.stop());

test('prints "Einmal-Passwort für admin" before it listens, and the password signs in', async () => {
  assert.ok(server.oneTimePassword, `no one-time password line in:\n${server.output.join('\n')}`);
  const passwordLine = server.output.findIndex((line) => line.startsWith('Einmal-Passwort für admin: '));
  const listeningLine = server.output.findIndex((line) => line.startsWith('Interkommunal läuft auf '));
  assert.ok(passwordLine < listeningLine);
  const response = await server.client().login({ username: 'admin', password: server.oneTimePassword });
  assert.equal(response.status, 303);
});
