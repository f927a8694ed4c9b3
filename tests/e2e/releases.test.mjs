// Issue 16 in the browser: after Bochum corrected published figures, the figures page marks the
// corrected ones "r" and explains the sign, and the office's plan page lists every release of
// the year with what each withheld; at 1280 and 375 pixels, nothing wider than the window, axe
// finds nothing. Screenshots: test-results/e2e/releases-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import {
  DESKTOP, PHONE, expectAccessible, newPage, screenshot, signIn, useServerAndBrowser,
} from './browser.mjs';
import { correctFigures, publishFigures } from './published-figures.mjs';

const env = useServerAndBrowser({
  prepare: async (server) => {
    await publishFigures(server);
    await correctFigures(server);
  },
});

async function assertFitsTheWindow(page, what) {
  const { documentWidth, windowWidth } = await page.evaluate(() => ({
    documentWidth: document.documentElement.scrollWidth, windowWidth: window.innerWidth,
  }));
  assert.ok(documentWidth <= windowWidth, `${what}: ${documentWidth} px in ${windowWidth} px`);
}

for (const viewport of [DESKTOP, PHONE]) {
  test(`a corrected figure and the releases at ${viewport.width} px`, async (t) => {
    await t.test('the figures page marks the corrected figures', async () => {
      const page = await newPage(env.browser, env.server.baseUrl, { viewport });
      await page.goto('/zahlen/staff?jahr=2025');
      const what = `figures page at ${viewport.width} px`;
      await screenshot(page, `releases-zahlen-${viewport.width}`);
      await assertFitsTheWindow(page, what);
      const corrected = await page.locator('main td', { hasText: / r$/ }).allTextContents();
      assert.ok(corrected.length > 0, 'no figure marked r');
      const legend = page.locator('dl.figures-signs');
      await assert.doesNotReject(legend.locator('dt', { hasText: /^r$/ }).first().waitFor());
      assert.match(await legend.textContent(), /berichtigte Zahl/);
      await expectAccessible(page, what, { takeScreenshot: false });
      await page.context().close();
    });
    await t.test('the office sees every release of the year', async () => {
      const page = await newPage(env.browser, env.server.baseUrl, { viewport });
      await signIn(page, USERS.office);
      await page.goto('/verwaltung/zahlen/staff/2025');
      const what = `plan page at ${viewport.width} px`;
      await screenshot(page, `releases-plan-${viewport.width}`);
      await assertFitsTheWindow(page, what);
      const history = page.locator('main table', { hasText: 'Anlass' });
      const occasions = await history.locator('tbody tr td:nth-child(3)').allTextContents();
      assert.deepEqual(occasions, ['Veröffentlichung: Bochum', 'Veröffentlichung: Dortmund',
        'Veröffentlichung: Herne', 'Zurück zur Korrektur: Bochum', 'Veröffentlichung: Bochum']);
      await expectAccessible(page, what, { takeScreenshot: false });
      await page.context().close();
    });
  });
}
