// Browser-test harness: one headless Debian Chromium per test file (node --test runs each file
// in its own process), a fresh context per visitor, axe-core checks and screenshots.
//
//   const env = useServerAndBrowser();                     // at the top of a test file
//   const page = await newPage(env.browser, env.server.baseUrl);
//   await signIn(page, USERS.office);
//   await expectAccessible(page, 'bereich-office');        // asserts 0 violations, screenshots
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { ROOT, startServer } from '../http/harness.mjs';

export const CHROMIUM = process.env.IK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// The two widths the site is designed for: a desktop browser and a small phone.
export const DESKTOP = Object.freeze({ width: 1280, height: 900 });
export const PHONE = Object.freeze({ width: 375, height: 812 });

export function launchBrowser() {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

// One server (fresh database, one account per kind of user) and one browser for the calling test
// file: started before its first test and stopped after its last. `prepare(server)`, when given,
// runs once the server is up and before the first test (e.g. to publish figures). Read
// env.server and env.browser inside the tests.
export function useServerAndBrowser({ prepare } = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
    if (prepare) await prepare(env.server);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// A page in a new context (own cookies), as a new visitor would open it. Browser console errors
// (e.g. a CSP violation) are collected in page.consoleErrors; the one Chromium logs for a page
// whose own status is an error (a 404 page) is not one.
export async function newPage(browser, baseURL, { locale = 'de-DE', viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ baseURL, locale, viewport });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location().url;
    const documentStatus = message.text().startsWith('Failed to load resource') &&
      source === page.url();
    if (!documentStatus) page.consoleErrors.push(`${message.text()} (${source})`);
  });
  page.on('pageerror', (error) => page.consoleErrors.push(error.message));
  return page;
}

// Signs in through the login form the way a person does: label → field, then the button.
export async function signIn(page, account, { weiter = '/bereich' } = {}) {
  await page.goto(`/anmelden?weiter=${encodeURIComponent(weiter)}`);
  const form = page.locator('form', { has: page.locator('input[name="benutzername"]') });
  await form.locator('input[name="benutzername"]').fill(account.username);
  await form.locator('input[name="passwort"]').fill(account.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/anmelden')),
    form.locator('button[type="submit"], input[type="submit"]').first().click()]);
}

export function screenshotName(name) {
  return path.join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_|_$/g, '')}.png`);
}

// Saves a full-page screenshot of the page as it is to test-results/e2e/<name>.png.
export function screenshot(page, name) {
  return page.screenshot({ path: screenshotName(name), fullPage: true });
}

// Runs axe-core with the WCAG 2.1 A/AA rules on the page as it is, saves a full-page
// screenshot first (unless told the caller took it), and fails with a readable list when
// anything is violated.
export async function expectAccessible(page, name, { takeScreenshot = true } = {}) {
  if (takeScreenshot) await screenshot(page, name);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const report = results.violations.map((violation) =>
    `  ${violation.id} (${violation.impact}): ${violation.help}\n` +
    violation.nodes.slice(0, 5).map((node) => `    at ${node.target.join(' ')}: ` +
      (node.failureSummary ?? '').replace(/\s+/g, ' ').trim()).join('\n'))
    .join('\n');
  assert.equal(results.violations.length, 0, `${name} (${page.url()}): axe violations\n${report}`);
  const consoleErrors = page.consoleErrors.splice(0);
  assert.deepEqual(consoleErrors, [], `${name}: browser console errors`);
}
