// The site search in the browser: the search page passes axe at both widths in both languages
// (empty, with results, without results, odd input), the 404 page's search form leads to
// results, and a publication is found by a word that stands only inside its PDF file, uploaded
// through the back office as the office would.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, USERS } from '../http/harness.mjs';
import { DESKTOP, PHONE, expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();
const PDF = path.join(ROOT, 'tests/data/handreichung.pdf');

const SEARCHES = [
  ['/suche', 'leer'],
  ['/suche?q=Hagen', 'treffer'],
  ['/suche?q=Zaunk%C3%B6nigwiese', 'keine-treffer'],
  ['/suche?q=%22*%26%3Cscript%3E', 'seltsam'],
  ['/en/suche', 'empty-en'],
  ['/en/suche?q=Hagen', 'results-en'],
];

test('the search page is accessible at 375 and 1280 px in both languages', async (t) => {
  for (const viewport of [PHONE, DESKTOP]) {
    const page = await newPage(env.browser, env.server.baseUrl, { viewport });
    for (const [target, name] of SEARCHES) {
      await t.test(`${target} at ${viewport.width} px`, async () => {
        const response = await page.goto(target);
        assert.equal(response.status(), 200);
        await expectAccessible(page, `suche-${name}-${viewport.width}`);
      });
    }
    await page.context().close();
  }
});

test('results show the count and highlighted matches; odd input is shown as text', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/suche?q=Hagen');
  await assert.doesNotReject(page.locator('#trefferzahl').waitFor());
  assert.match(await page.locator('#trefferzahl').innerText(), /Treffer für „Hagen“/);
  assert.ok(await page.locator('.search-results mark', { hasText: 'Hagen' }).count() > 0);
  await page.locator('.search-results a[href="/mitgliedsstaedte/hagen"]').click();
  assert.equal(new URL(page.url()).pathname, '/mitgliedsstaedte/hagen');

  await page.goto('/suche?q=%22*%26%3Cscript%3E');
  assert.match(await page.locator('main').innerText(), /Zu „"\*&<script>“ wurde nichts gefunden/);
  assert.equal(await page.locator('main script').count(), 0);
  await page.context().close();
});

test('the 404 page offers the search, and it works from there', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  const response = await page.goto('/gibt-es-nicht');
  assert.equal(response.status(), 404);
  await expectAccessible(page, 'suche-404');
  await page.getByLabel('Suchbegriff').fill('Bottrop');
  await Promise.all([page.waitForURL(/\/suche\?q=Bottrop/), page.getByRole('button', { name: 'Suchen' }).click()]);
  assert.ok(await page.locator('.search-results a[href="/mitgliedsstaedte/bottrop"]').count() > 0);
  await page.context().close();
});

test('a publication is found by a word inside its PDF file', async () => {
  const visitor = await newPage(env.browser, env.server.baseUrl);
  await visitor.goto('/suche?q=Sprachmittlerpool');
  assert.match(await visitor.locator('main').innerText(), /wurde nichts gefunden/);

  const office = await newPage(env.browser, env.server.baseUrl);
  await signIn(office, USERS.office);
  await office.goto('/redaktion/inhalte/dokumente/neu');
  await office.locator('input[name="titel_de"]').fill('Handreichung Sprachmittlung');
  await office.locator('input[name="kuerzel"]').fill('handreichung-sprachmittlung');
  await Promise.all([office.waitForURL(/\/redaktion\/eintrag\/\d+/),
    office.locator('form', { has: office.locator('input[name="titel_de"]') })
      .locator('button[type="submit"]').first().click()]);
  const uploadForm = office.locator('form', { has: office.locator('input[name="datei"]') });
  await uploadForm.locator('input[name="datei"]').setInputFiles(PDF);
  await Promise.all([office.waitForURL(/\/redaktion\/eintrag\/\d+/),
    uploadForm.locator('button[type="submit"]').click()]);
  const publishForm = office.locator('form[action$="/veroeffentlichen"]');
  await Promise.all([office.waitForURL(/\/redaktion\/eintrag\/\d+/),
    publishForm.locator('button[type="submit"]').click()]);
  await office.context().close();

  await visitor.goto('/suche?q=Sprachmittlerpool');
  const hit = visitor.locator('.search-results a[href="/publikationen/handreichung-sprachmittlung"]');
  assert.equal(await hit.count(), 1, await visitor.locator('main').innerText());
  assert.ok(await visitor.locator('.search-results mark', { hasText: 'Sprachmittlerpool' }).count() > 0);
  await expectAccessible(visitor, 'suche-pdf-treffer');
  await visitor.context().close();
});
