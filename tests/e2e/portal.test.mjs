// The portal's content pages: axe-core (WCAG 2.1 A/AA) finds nothing on any of them in German and
// English, on a phone (375 px) and a desktop (1280 px); and the office's editorial flow works in
// the browser: create a news item, publish it, see it on the public site.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { DESKTOP, PHONE, expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();

const PORTAL_PAGES = [
  '/', '/kooperation', '/themen', '/themen/demografie-und-integration', '/gremien', '/publikationen', '/partner',
  '/aktuelles', '/aktuelles?jahr=2013', '/aktuelles/hagen-tritt-bei', '/termine', '/kontakt', '/impressum',
  '/datenschutz', '/barrierefreiheit', '/leichte-sprache',
];

for (const [label, viewport] of [['375', PHONE], ['1280', DESKTOP]]) {
  for (const language of ['de', 'en']) {
    test(`portal pages, ${language}, ${label} px`, async (t) => {
      const page = await newPage(env.browser, env.server.baseUrl, { viewport });
      for (const german of PORTAL_PAGES) {
        const target = language === 'de' ? german : (german === '/' ? '/en/' : `/en${german}`);
        await t.test(target, async () => {
          const response = await page.goto(target);
          assert.equal(response.status(), 200, target);
          await expectAccessible(page, `portal-${language}-${label}${german}`);
        });
      }
      await page.context().close();
    });
  }
}

test('the office creates a news item, publishes it and the public sees it', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.office, { weiter: '/redaktion' });
  await expectAccessible(page, 'editorial-home');
  await page.goto('/redaktion/inhalte/aktuelles/neu');
  await expectAccessible(page, 'editorial-new-news');
  await page.getByLabel('Titel (Deutsch)').fill('Netzwerktreffen der Projektgruppe');
  await page.getByLabel('Kurzfassung (Deutsch)').fill('Die Projektgruppe hat sich zum Austausch getroffen.');
  await page.getByLabel('Text (Deutsch)').fill('Die Ergebnisse stehen unter [Publikationen](/publikationen).');
  await Promise.all([page.waitForURL(/\/redaktion\/eintrag\/\d+/), page.getByRole('button', { name: 'Speichern' }).click()]);
  await expectAccessible(page, 'editorial-edit-news');
  assert.equal((await page.goto('/aktuelles/netzwerktreffen-der-projektgruppe')).status(), 404);
  await page.goBack();
  await Promise.all([page.waitForURL(/hinweis=veroeffentlicht/),
    page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click()]);

  const visitor = await newPage(env.browser, env.server.baseUrl);
  const response = await visitor.goto('/aktuelles/netzwerktreffen-der-projektgruppe');
  assert.equal(response.status(), 200);
  assert.equal(await visitor.getByRole('heading', { level: 1 }).textContent(), 'Netzwerktreffen der Projektgruppe');
  await expectAccessible(visitor, 'news-published');
  await visitor.goto('/en/aktuelles/netzwerktreffen-der-projektgruppe');
  assert.equal(await visitor.getByRole('heading', { level: 1 }).getAttribute('lang'), 'de');
  await visitor.context().close();
  await page.context().close();
});
