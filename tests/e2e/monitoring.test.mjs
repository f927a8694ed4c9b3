// Diversity monitoring end to end, as the people who use it: Bochum's data entry fills in a
// year, the city's approval releases it, the office publishes it, and the public sees the
// benchmarking page, in which a small count is withheld. Another city's user cannot get in.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { DESKTOP, PHONE, expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();
const YEAR = 2024;
const REPORT = `/staedte/bochum/monitoring/${YEAR}`;

// Staff of Bochum by staff structure: [with immigration history, without answer, all].
// Parts add up to their totals; the higher service has only 3 people with immigration history,
// fewer than the minimum of 5, so that figure must never be published.
const STAFF = {
  total: [520, 100, 4000],
  civil_servants: [120, 30, 1200],
  civil_servants_basic_middle: [60, 10, 500],
  civil_servants_upper: [57, 15, 550],
  civil_servants_higher: [3, 5, 150],
  employees: [400, 70, 2800],
  eg_1_8: [250, 40, 1500],
  eg_9_12: [120, 20, 1000],
  eg_13_plus: [30, 10, 300],
};

const germanCount = (count) => count.toLocaleString('de-DE');

async function fillStaff(page, overrides = {}) {
  for (const [category, counts] of Object.entries({ ...STAFF, ...overrides })) {
    const [withHistory, unknown, all] = counts;
    await page.locator(`#staff--${category}--zaehler`).fill(germanCount(withHistory));
    await page.locator(`#staff--${category}--ohne_angabe`).fill(germanCount(unknown));
    await page.locator(`#staff--${category}--nenner`).fill(germanCount(all));
  }
  await page.locator('#staff--total--quelle').fill('Personalverwaltungssystem');
  await page.locator('#staff--total--stichtag').fill(`${YEAR}-12-31`);
}

async function submitForm(page, buttonName) {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: buttonName }).first().click()]);
  await page.waitForLoadState('load');
}

async function workflowStep(account, buttonName, screenshotName) {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, account, { weiter: REPORT });
  assert.equal(new URL(page.url()).pathname, REPORT);
  await submitForm(page, buttonName);
  await expectAccessible(page, screenshotName);
  await page.context().close();
}

// The office's list of reports waiting for a step, at both widths: Bochum's report in `status`,
// and its link leads to the report.
async function officeSeesWaiting(status, nextStep, name) {
  for (const viewport of [DESKTOP, PHONE]) {
    const office = await newPage(env.browser, env.server.baseUrl, { viewport });
    await signIn(office, USERS.office);
    await office.getByRole('link', { name: /Berichte, die auf Freigabe oder Veröffentlichung warten/ }).click();
    await office.waitForURL(/\/verwaltung\/berichte$/);
    const row = office.locator('main table tr', { has: office.locator('td', { hasText: /^Bochum$/ }) });
    assert.equal(await row.count(), 1);
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), ['Bochum', String(YEAR), status, nextStep]);
    assert.match(cells[4], /^\d{2}\.\d{2}\.\d{4}$/);
    await expectAccessible(office, `monitoring-waiting-${name}-${viewport.width}`);
    await row.getByRole('link', { name: `Monitoring Bochum ${YEAR}` }).click();
    await office.waitForURL((url) => url.pathname === REPORT);
    await office.context().close();
  }
}

test('a year of Bochum\'s data goes from entry to publication and the public sees it protected', async () => {
  const entry = await newPage(env.browser, env.server.baseUrl);
  await signIn(entry, USERS.bochumEntry, { weiter: REPORT });
  assert.equal(new URL(entry.url()).pathname, REPORT);
  await expectAccessible(entry, 'monitoring-grid-empty');

  // A part larger than its total is refused at the cell, and nothing is stored.
  await fillStaff(entry, { civil_servants_higher: [300, 5, 150] });
  await submitForm(entry, /Werte speichern/);
  const error = entry.locator('#staff--civil_servants_higher--zaehler-fehler, ' +
    '#staff--civil_servants_higher--nenner-fehler, #staff--civil_servants_higher--ohne_angabe-fehler');
  assert.ok(await error.count() > 0, 'the message sits at the cell');
  assert.equal(await entry.locator('#staff--civil_servants_higher--zaehler').inputValue(), '300',
    'the input is kept for correction');
  await expectAccessible(entry, 'monitoring-grid-error');

  await fillStaff(entry);
  await submitForm(entry, /Werte speichern/);
  assert.match(await entry.locator('#staff--total--nenner').inputValue(), /^4\.?000$/);
  await submitForm(entry, /Bericht einreichen/);
  await expectAccessible(entry, 'monitoring-submitted');
  await entry.context().close();

  await officeSeesWaiting('Eingereicht', 'Freigabe durch die Stadt', 'submitted');
  await workflowStep(USERS.bochumApproval, /Bericht freigeben/, 'monitoring-approved');
  await officeSeesWaiting('Freigegeben', 'Veröffentlichung durch die Geschäftsstelle', 'approved');
  await workflowStep(USERS.office, /Bericht veröffentlichen/, 'monitoring-published');

  for (const viewport of [undefined, PHONE]) {
    const visitor = await newPage(env.browser, env.server.baseUrl, viewport ? { viewport } : {});
    const response = await visitor.goto(`/zahlen/staff?jahr=${YEAR}`);
    assert.equal(response.status(), 200);
    assert.match(await visitor.locator('main').innerText(), /Bochum/);
    await expectAccessible(visitor, `monitoring-public-${viewport ? 'phone' : 'desktop'}`);

    // The higher service: 3 of 150 have immigration history. The count, and the share resting on
    // it, are withheld; the 3 appears nowhere in Bochum's row.
    await visitor.goto(`/zahlen/staff?jahr=${YEAR}&kategorie=civil_servants_higher`);
    const row = visitor.locator('main table tr', { has: visitor.locator('th, td', { hasText: /^Bochum$/ }) })
      .first();
    const cells = await row.locator('td, th').allInnerTexts();
    assert.ok(cells.includes('•'), `withheld cells carry the sign: ${cells.join(' | ')}`);
    assert.ok(!cells.some((text) => text.trim() === '3'), `no cell shows the small count: ${cells.join(' | ')}`);
    await expectAccessible(visitor, `monitoring-public-withheld-${viewport ? 'phone' : 'desktop'}`);

    // Bochum's profile: its published figures, the sign for withheld ones, the chart and table.
    const profile = await visitor.goto('/zahlen/staedte/bochum');
    assert.equal(profile.status(), 200);
    const profileText = await visitor.locator('main').innerText();
    assert.match(profileText, /4\.000/);
    assert.match(profileText, /•/);
    assert.ok(await visitor.locator('main svg[role="img"]').count() > 0, 'the time series is drawn');
    await expectAccessible(visitor, `monitoring-city-profile-${viewport ? 'phone' : 'desktop'}`);
    await visitor.context().close();
  }

  // The office sees the suppression plan with its audit intervals; the public never does.
  const office = await newPage(env.browser, env.server.baseUrl);
  await signIn(office, USERS.office, { weiter: `/verwaltung/zahlen/staff/${YEAR}` });
  assert.equal(new URL(office.url()).pathname, `/verwaltung/zahlen/staff/${YEAR}`);
  assert.match(await office.locator('main').innerText(), /Untergrenze/);
  await expectAccessible(office, 'monitoring-suppression-plan');
  await office.context().close();

  const csv = await (await fetch(`${env.server.baseUrl}/zahlen/staff.csv`)).text();
  assert.match(csv, /Bochum/);
  assert.match(csv, /•/);
});

// Issue 16: a comment keeps its line breaks in the grid, a German Stichtag is taken, and
// "Werte speichern" without a change records no new revision. A year of its own: no other year
// is next to it (no year-on-year findings).
test('the grid keeps a comment\'s line breaks and an unchanged save records nothing', async () => {
  const year = 2021;
  const report = `/staedte/bochum/monitoring/${year}`;
  const comment = 'Übernahme aus SAP,\nStand März';
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(env.browser, env.server.baseUrl, { viewport });
    await signIn(page, USERS.bochumEntry, { weiter: report });
    const revisions = page.locator('h3:has-text("Letzte Änderungen der Werte") + ul > li');
    if (viewport === DESKTOP) {
      await page.locator('#staff--total--zaehler').fill('300');
      await page.locator('#staff--total--nenner').fill('1.000');
      await page.locator('#staff--total--kommentar').fill(comment);
      await page.locator('#staff--total--stichtag').fill(`31.12.${year}`);
      await submitForm(page, /Werte speichern/);
      assert.match(page.url(), /gespeichert=1/);
    }
    assert.equal(await page.locator('#staff--total--kommentar').inputValue(), comment);
    assert.equal(await page.locator('#staff--total--stichtag').inputValue(), `31.12.${year}`);
    assert.equal(await revisions.count(), 1);
    await expectAccessible(page, `monitoring-grid-comment-${viewport.width}`);

    await submitForm(page, /Werte speichern/);
    assert.match(page.url(), /gespeichert=1/);
    assert.equal(await page.locator('#staff--total--kommentar').inputValue(), comment);
    assert.equal(await revisions.count(), 1, 'an unchanged save is no new revision');
    await page.context().close();
  }
});

test('Dortmund\'s approval cannot open, save or export Bochum\'s unpublished data', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.dortmundApproval);
  for (const path of [`/staedte/bochum/monitoring`, REPORT, `${REPORT}/vorlage.csv`,
    '/staedte/bochum/monitoring/import']) {
    const response = await page.goto(path);
    assert.equal(response.status(), 403, path);
  }
  await expectAccessible(page, 'monitoring-forbidden');
  await page.context().close();
});
