// The main pages at a desktop width (1280 px) and a phone width (375 px): nothing is wider than
// the window (WCAG 1.4.10 Reflow: no sideways scrolling), the navigation and the main content are
// visible, axe-core finds nothing, and a full-page screenshot of each lands in test-results/e2e/
// as layout-<page>-<width>.png for a person to look at. On the member cities page the map must be
// drawn with all ten cities. The figures pages show published figures (published-figures.mjs):
// their charts fit the page with legible text, and a table wider than the page shows that it
// scrolls.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import {
  DESKTOP, PHONE, expectAccessible, newPage, screenshot, signIn, useServerAndBrowser,
} from './browser.mjs';
import { publishFigures } from './published-figures.mjs';

const env = useServerAndBrowser({ prepare: publishFigures });

// [screenshot name, account to sign in with (null: signed out), how to get to the page, what
// else to check there]
const PAGES = [
  ['home', null, (page) => page.goto('/')],
  ['mitgliedsstaedte', null, (page) => page.goto('/mitgliedsstaedte'), assertMapDrawn],
  ['zahlen', null, (page) => page.goto('/zahlen'), assertFiguresFit],
  // The longest heading word of the portal: "Einwanderungsgeschichte".
  ['zahlen-beschaeftigte', null, (page) => page.goto('/zahlen/staff'), assertFiguresFit],
  ['zahlen-fuehrungskraefte', null, (page) => page.goto('/zahlen/staff_leadership'),
    assertFiguresFit],
  ['zahlen-bochum', null, (page) => page.goto('/zahlen/staedte/bochum'), assertFiguresFit],
  // The import preview's tables are wide (the page is the import's; the rule for wide tables
  // in site.css is the same).
  ['import-vorschau', 'bochumEntry', previewImport, assertTablesShowTheyScroll],
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

// Bochum's staff figures of 2023 as a CSV file, uploaded to the import: its preview.
async function previewImport(page) {
  const lines = ['Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;' +
    'Anzahl mit Einwanderungsgeschichte;Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar',
  'bochum;2023;staff;Beschäftigte;total;Insgesamt;300;30;1000;Personalabteilung;31.12.2023;',
  'bochum;2023;staff;Beschäftigte;civil_servants;Beamt*innen;100;10;400;Personalabteilung;31.12.2023;'];
  await page.goto('/staedte/bochum/monitoring/import');
  await page.locator('#datei').setInputFiles({ name: 'personal-2023.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8') });
  await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'),
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()]);
  await page.waitForLoadState('load');
  assert.ok(await page.locator('main table').count() > 0, 'the preview shows its tables');
}

// Issue 16: wide tables were clipped on a phone without a sign that they scroll. Every table
// region that scrolls shows a hint (its scroll shadows).
async function assertTablesShowTheyScroll(page) {
  const problems = await page.evaluate(tableProblems);
  assert.deepEqual(problems, []);
}

function tableProblems() {
  const problems = [];
  for (const region of document.querySelectorAll('main .kern-table-responsive')) {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls && getComputedStyle(region).backgroundImage === 'none') {
      problems.push(`table "${region.getAttribute('aria-label')}" scrolls without a hint`);
    }
  }
  return problems;
}

// Issue 16: on a phone the charts sat in a scroll box wider than the screen (the last bar's value
// and the end of the line hidden, labels tiny) and the line chart's legend was cut off. Every
// chart, its text and its legend lie within the chart's box and the window, and its text is at
// least 12 px; the tables show when they scroll.
async function assertFiguresFit(page) {
  await assertTablesShowTheyScroll(page);
  const found = await page.evaluate(() => {
    const problems = [];
    const inside = (inner, outer) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
    const window = { left: 0, right: document.documentElement.clientWidth };
    const figures = [...document.querySelectorAll('main figure.ik-chart')];
    for (const figure of figures) {
      const box = figure.getBoundingClientRect();
      const svg = figure.querySelector('svg[role="img"]');
      if (!inside(svg.getBoundingClientRect(), box)) problems.push(`${figure.id}: drawing wider than its box`);
      const scale = svg.getScreenCTM().a;
      for (const text of svg.querySelectorAll('text')) {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        const place = text.getBoundingClientRect();
        if (size < 12) problems.push(`${figure.id}: "${text.textContent}" is ${size.toFixed(1)} px`);
        if (!inside(place, box) || !inside(place, window)) {
          problems.push(`${figure.id}: "${text.textContent}" lies outside the chart or the window`);
        }
      }
      for (const name of figure.querySelectorAll('.ik-chart__legend span')) {
        if (name.scrollWidth > name.clientWidth + 1 || !inside(name.getBoundingClientRect(), window)) {
          problems.push(`${figure.id}: legend entry "${name.textContent}" is cut off`);
        }
      }
    }
    return { charts: figures.length, problems };
  });
  assert.deepEqual(found.problems, []);
  if (new URL(page.url()).pathname !== '/zahlen') assert.ok(found.charts > 0, 'no chart drawn');
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
