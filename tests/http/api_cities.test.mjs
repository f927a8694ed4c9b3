// /api/v1/cities: the ten member cities with their membership history, dates with precision.
//
// Shape (api/openapi.json has the full schema):
//   { "items": [ { "slug": "bottrop", "name": "Bottrop", …,
//                  "memberships": [ { "status": "guest" | "member",
//                                     "since": { "date": "2013", "precision": "year" },
//                                     "until": null | { "date": …, "precision": … }, … } ] } ] }
// /api/v1/cities/{slug} answers with one such city object.
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

const CITY_NAMES = ['Bochum', 'Bottrop', 'Dortmund', 'Duisburg', 'Essen', 'Gelsenkirchen', 'Hagen',
  'Herne', 'Mülheim an der Ruhr', 'Oberhausen'];

async function getJson(target) {
  const response = await client.get(target);
  assert.equal(response.status, 200, `${target}: ${response.body.slice(0, 200)}`);
  assert.match(response.headers['content-type'] ?? '', /^application\/json\b/);
  return JSON.parse(response.body);
}

async function cities() {
  const body = await getJson('/api/v1/cities');
  assert.ok(Array.isArray(body.items), 'no "items" array');
  return body.items;
}

function byName(list, name) {
  const city = list.find((candidate) => candidate.name === name);
  assert.ok(city, `${name} missing`);
  return city;
}

function phase(city, status) {
  const phases = city.memberships.filter((membership) => membership.status === status);
  assert.equal(phases.length, 1, `${city.name}: expected one ${status} phase`);
  return phases[0];
}

test('lists exactly the ten cities of the cooperation', async () => {
  const list = await cities();
  assert.deepEqual(list.map((city) => city.name).sort((a, b) => a.localeCompare(b, 'de')), CITY_NAMES);
  const slugs = list.map((city) => city.slug);
  assert.equal(new Set(slugs).size, 10);
  for (const slug of slugs) assert.match(slug, /^[a-z0-9-]+$/);
});

test('every city has a membership history that starts with a dated phase', async () => {
  for (const city of await cities()) {
    assert.ok(Array.isArray(city.memberships) && city.memberships.length > 0, city.name);
    for (const membership of city.memberships) {
      assert.ok(['guest', 'member'].includes(membership.status), `${city.name}: ${membership.status}`);
      assert.ok(['day', 'month', 'year', 'by'].includes(membership.since.precision), city.name);
      assert.match(membership.since.date, /^\d{4}(-\d{2}(-\d{2})?)?$/, city.name);
    }
  }
});

test('Bottrop: guest from 2013 (year only), member from 2 September 2015 (day)', async () => {
  const bottrop = byName(await cities(), 'Bottrop');
  assert.deepEqual(phase(bottrop, 'guest').since, { date: '2013', precision: 'year' });
  assert.deepEqual(phase(bottrop, 'member').since, { date: '2015-09-02', precision: 'day' });
  assert.equal(phase(bottrop, 'member').until ?? null, null);
});

test('Hagen: member from 27 November 2023', async () => {
  const hagen = byName(await cities(), 'Hagen');
  assert.deepEqual(phase(hagen, 'member').since, { date: '2023-11-27', precision: 'day' });
});

test('the six first signatories are members since 28 May 2010', async () => {
  const list = await cities();
  for (const name of ['Bochum', 'Dortmund', 'Duisburg', 'Essen', 'Mülheim an der Ruhr', 'Oberhausen']) {
    assert.deepEqual(phase(byName(list, name), 'member').since,
      { date: '2010-05-28', precision: 'day' }, name);
  }
});

test('Gelsenkirchen and Herne: members by 9 July 2013, the exact day unknown', async () => {
  const list = await cities();
  for (const name of ['Gelsenkirchen', 'Herne']) {
    assert.deepEqual(phase(byName(list, name), 'member').since,
      { date: '2013-07-09', precision: 'by' }, name);
  }
});

test('/api/v1/cities/{slug} returns the same city; an unknown slug is a JSON 404', async () => {
  const bottrop = byName(await cities(), 'Bottrop');
  const city = await getJson(`/api/v1/cities/${bottrop.slug}`);
  assert.equal(city.name, 'Bottrop');
  assert.deepEqual(city.memberships, bottrop.memberships);

  const missing = await client.get('/api/v1/cities/gibt-es-nicht');
  assert.equal(missing.status, 404);
  assert.match(missing.headers['content-type'] ?? '', /^application\/(problem\+)?json\b/);
});
