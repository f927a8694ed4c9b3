// The main pages at a desktop width (1280 px) and a phone width (375 px): nothing is wider than
// the window (WCAG 1.4.10 Reflow: no sideways scrolling), the navigation and the main content are
// visible, axe-core finds nothing, and a full-page screenshot of each lands in test-results/e2e/
// as layout-<page>-<width>.png for a person to look at. On the member cities page the map must be
// drawn with all ten cities.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import {
  DESKTOP, PHONE, expectAccessible, newPage, screenshot, signIn, useServerAndBrowser,
} from './browser.mjs';

const env = useServerAndBrowser();

// [screenshot name, account to sign in with (null: signed out), how to get to the page, what
// else to check there]
const PAGES = [
  ['home', null, (page) => page.goto('/')],
  ['mitgliedsstaedte', null, (page) => page.goto('/mitgliedsstaedte'), assertMapDrawn],
  // The longest heading word of the portal: "Einwanderungsgeschichte".
  ['zahlen-beschaeftigte', null, (page) => page.goto('/zahlen/staff')],
  ['anmelden-fehler', null, async (page) => {
    await page.goto('/anmelden');
    await page.locator('input[name="benutzername"]').fill(USERS.project.username);
    await page.locator('input[name="passwort"]').fill('falsch-falsch-falsch');
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'),
      page.locator('main button[type="submit"]').click()]);
    await page.waitForLoadState('load');
  }],
  ['bereich', 'admin', (page) => page.goto('/bereich')],
  ['verwaltung-benutzer', 'admin', (page) => page.goto('/verwaltung/benutzer')],
  // The widest table: on a phone it scrolls sideways, so keyboard users must be able to scroll it.
  ['verwaltung-protokoll', 'office', (page) => page.goto('/verwaltung/protokoll')],
  // Data entry and the office's monitoring pages (issue 16).
  ['monitoring-berichte', 'bochumEntry', (page) => page.goto('/staedte/bochum/monitoring')],
  ['monitoring-erfassung', 'bochumEntry', (page) => page.goto('/staedte/bochum/monitoring/2024')],
  ['monitoring-import', 'bochumEntry', (page) => page.goto('/staedte/bochum/monitoring/import')],
  ['verwaltung-berichte', 'office', (page) => page.goto('/verwaltung/berichte')],
  ['verwaltung-pruefregeln-fehler', 'office', async (page) => {
    await page.goto('/verwaltung/pruefregeln');
    await page.getByLabel('Mindeständerung in Personen').fill('viele');
    const form = page.locator('form', { has: page.getByLabel('Mindeständerung in Personen') });
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'),
      form.locator('button[type="submit"]').click()]);
    await page.waitForLoadState('load');
    assert.ok(await page.locator('[id$="_mindestaenderung-fehler"]').isVisible(), 'the message at the field');
  }],
];

// Every city of the map has a dot and a name that the browser actually draws. (SVG elements
// written like HTML void elements, <circle …> without "/>", swallow what follows them: the
// browser then nests the other cities inside the first dot and draws none of them.)
async function assertMapDrawn(page) {
  const drawn = await page.locator('svg.city-map__svg').evaluate((svg) => {
    const size = (element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    };
    const cities = (selector) => [...svg.querySelectorAll(selector)];
    return {
      dots: cities('.city-map__dot').filter(size).length,
      labels: cities('.city-map__label').filter(size).map((label) => label.textContent),
      nested: cities('circle *').length,
    };
  });
  assert.equal(drawn.nested, 0, 'elements nested inside a <circle> (not self-closed in the HTML?)');
  assert.equal(drawn.dots, 10, `dots drawn on the map: ${drawn.dots}`);
  assert.equal(drawn.labels.length, 10, `names drawn on the map: ${drawn.labels.join(', ')}`);
}

async function assertFitsTheWindow(page, what) {
  const { documentWidth, windowWidth, widest } = await page.evaluate(() => {
    const width = window.innerWidth;
    // The first element that reaches past the right edge, to say what overflows.
    const culprit = [...document.body.querySelectorAll('*')]
      .find((element) => element.getBoundingClientRect().right > width + 1);
    return {
      documentWidth: document.documentElement.scrollWidth,
      windowWidth: width,
      widest: culprit ? `${culprit.tagName.toLowerCase()}.${[...culprit.classList].join('.')}` : '',
    };
  });
  assert.ok(documentWidth <= windowWidth,
    `${what}: the page is ${documentWidth} px wide in a ${windowWidth} px window (${widest})`);
}

for (const viewport of [DESKTOP, PHONE]) {
  test(`main pages at ${viewport.width} px`, async (t) => {
    const sessions = new Map();
    const pageFor = async (account) => {
      if (!sessions.has(account)) {
        const page = await newPage(env.browser, env.server.baseUrl, { viewport });
        if (account !== null) await signIn(page, USERS[account]);
        sessions.set(account, page);
      }
      return sessions.get(account);
    };
    for (const [name, account, open, check = async () => {}] of PAGES) {
      await t.test(name, async () => {
        const page = await pageFor(account);
        await open(page);
        const what = `${name} at ${viewport.width} px`;
        // First, so that there is a picture of what fails below.
        await screenshot(page, `layout-${name}-${viewport.width}`);
        await assertFitsTheWindow(page, what);
        for (const landmark of ['header nav', 'main h1']) {
          assert.ok(await page.locator(landmark).first().isVisible(), `${what}: ${landmark} hidden`);
        }
        await check(page);
        await expectAccessible(page, what, { takeScreenshot: false });
      });
    }
    for (const page of sessions.values()) await page.context().close();
  });
}
