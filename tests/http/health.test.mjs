// Liveness, readiness and metrics; the harness's after() also proves a clean SIGTERM shutdown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from './harness.mjs';

let server;
let client;
before(async () => {
  server = await startServer();
  client = server.client();
});
after(() => server?.stop());

test('GET /healthz answers 200 "ok" as plain text', async () => {
  const response = await client.get('/healthz');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'], /^text\/plain\b/);
  assert.equal(response.body.trim(), 'ok');
});

test('GET /readyz answers 200 while the database is reachable', async () => {
  const response = await client.get('/readyz');
  assert.equal(response.status, 200);
});

test('HEAD /healthz answers like GET without a body', async () => {
  const response = await client.request('HEAD', '/healthz');
  assert.equal(response.status, 200);
  assert.equal(response.body, '');
});

test('GET /metrics from 127.0.0.1 serves Prometheus text', async () => {
  const response = await client.get('/metrics');
  assert.equal(response.status, 200);
  assert.match(response.headers['content-type'], /^text\/plain\b/);
  assert.match(response.body, /^# (HELP|TYPE) \S+/m);
});

test('GET /metrics from a client not in metrics.allowed_clients is 404', async () => {
  const restricted = await startServer({ config: { metrics: { allowed_clients: ['192.0.2.1'] } } });
  try {
    const response = await restricted.client().get('/metrics');
    assert.equal(response.status, 404);
  } finally {
    await restricted.stop();
  }
});
