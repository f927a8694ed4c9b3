// A person signs in through the form, sees their area, and is kept out of another city's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();

test('signing in through the form leads back to the requested page', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/bereich');
  assert.equal(new URL(page.url()).pathname, '/anmelden');
  assert.equal(new URL(page.url()).searchParams.get('weiter'), '/bereich');
  await expectAccessible(page, 'login-form');

  await page.getByLabel(/Benutzername/i).fill(USERS.office.username);
  await page.getByLabel(/Passwort/i).fill(USERS.office.password);
  await Promise.all([page.waitForURL('**/bereich'),
    page.getByRole('button', { name: /Anmelden/i }).click()]);
  assert.match(await page.locator('body').innerText(), new RegExp(USERS.office.name));
  await expectAccessible(page, 'bereich-office');
  await page.context().close();
});

test('a wrong password keeps the visitor on the form with a message', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/anmelden');
  const before = await page.locator('main').innerText();
  await page.getByLabel(/Benutzername/i).fill(USERS.project.username);
  await page.getByLabel(/Passwort/i).fill('falsch-falsch-falsch');
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: /Anmelden/i }).click()]);
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/anmelden');
  assert.notEqual(await page.locator('main').innerText(), before);
  await expectAccessible(page, 'login-failed');
  await page.context().close();
});

test('a Bochum user gets 403 on Dortmund\'s internal page, 200 on Bochum\'s', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.bochumEntry);
  const own = await page.goto('/staedte/bochum/intern');
  assert.equal(own.status(), 200);
  const other = await page.goto('/staedte/dortmund/intern');
  assert.equal(other.status(), 403);
  await expectAccessible(page, 'forbidden-bochum-on-dortmund');
  await page.context().close();
});

test('signing out through the button ends the session', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.steering);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'),
    page.getByRole('button', { name: /Abmelden/i }).click()]);
  await page.goto('/bereich');
  assert.equal(new URL(page.url()).pathname, '/anmelden');
  await page.context().close();
});
