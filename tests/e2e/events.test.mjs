// Events and their calendar files in the browser: the office creates and publishes an event; on
// /termine and on the event's page (German and English) a visitor sees a link to the event's
// iCalendar file and one to the file of all events, reaches both by keyboard, and each leads to
// a calendar that holds the event. Screenshots: test-results/e2e/events-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();

test('the event list and the event page link the event\'s calendar file and the one of all events', async (t) => {
  const office = await newPage(env.browser, env.server.baseUrl);
  await signIn(office, USERS.office, { weiter: '/redaktion' });
  await office.goto('/redaktion/inhalte/termine/neu');
  await office.locator('input[name="titel_de"]').fill('Fachtag Vielfalt in der Verwaltung');
  await office.locator('input[name="titel_en"]').fill('Diversity in administration');
  await office.locator('input[name="beginn"]').fill('2031-03-05T09:30');
  await office.locator('input[name="ende"]').fill('2031-03-05T16:00');
  await Promise.all([office.waitForURL(/\/redaktion\/eintrag\/\d+/), office.getByRole('button', { name: 'Speichern' }).click()]);
  await Promise.all([office.waitForURL(/hinweis=veroeffentlicht/),
    office.getByRole('button', { name: 'Veröffentlichen', exact: true }).click()]);
  const slug = 'fachtag-vielfalt-in-der-verwaltung';

  const visitor = await newPage(env.browser, env.server.baseUrl);
  const cases = [
    ['', '/termine', `„Fachtag Vielfalt in der Verwaltung“ in den eigenen Kalender übernehmen (iCalendar)`,
      'Alle Termine als Kalenderdatei (iCalendar)'],
    ['', `/termine/${slug}`, 'Termin in den eigenen Kalender übernehmen (iCalendar)',
      'Alle Termine als Kalenderdatei (iCalendar)'],
    ['/en', '/termine', 'Add “Diversity in administration” to your calendar (iCalendar)',
      'All events as a calendar file (iCalendar)'],
    ['/en', `/termine/${slug}`, 'Add the event to your calendar (iCalendar)', 'All events as a calendar file (iCalendar)'],
  ];
  for (const [prefix, target, oneName, allName] of cases) {
    await t.test(prefix + target, async () => {
      assert.equal((await visitor.goto(prefix + target)).status(), 200);
      const one = visitor.getByRole('link', { name: oneName, exact: true });
      const all = visitor.getByRole('link', { name: allName, exact: true });
      assert.ok(await one.isVisible(), `${prefix}${target}: "${oneName}" is visible`);
      assert.ok(await all.isVisible(), `${prefix}${target}: "${allName}" is visible`);
      assert.equal(await one.getAttribute('href'), `${prefix}/termine/${slug}/kalender.ics`);
      assert.equal(await all.getAttribute('href'), `${prefix}/termine.ics`);
      // Both reached by Tab.
      const reached = new Set();
      for (let i = 0; i < 150 && reached.size < 2; i += 1) {
        await visitor.keyboard.press('Tab');
        const href = await visitor.evaluate(() => document.activeElement?.getAttribute('href'));
        if (href?.endsWith('.ics')) reached.add(href);
      }
      assert.equal(reached.size, 2, `${prefix}${target}: Tab reaches both calendar links`);
      for (const link of [one, all]) {
        const response = await visitor.request.get(await link.getAttribute('href'));
        assert.equal(response.status(), 200);
        assert.match(response.headers()['content-type'], /^text\/calendar/);
        const body = await response.text();
        assert.match(body, /^BEGIN:VCALENDAR\r\n/);
        assert.match(body, /DTSTART;TZID=Europe\/Berlin:20310305T093000\r\n/);
      }
      await expectAccessible(visitor, `events${prefix}${target}`);
    });
  }
  await visitor.context().close();
  await office.context().close();
});
