// A file far over the upload limit (2 GB) is refused at its field with a German message before
// the browser sends a byte of it: the server would only be able to close the connection.
// A file within the limit still goes to the server, which checks it itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();
let directory;
let huge;
let small;

before(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-uploads-'));
  // Sparse: 2 GiB in its size, no disk space used.
  huge = path.join(directory, 'Jahresbericht.pdf');
  fs.closeSync(fs.openSync(huge, 'w'));
  fs.truncateSync(huge, 2 * 1024 ** 3);
  small = path.join(directory, 'kein-pdf.pdf');
  fs.writeFileSync(small, 'Das ist kein PDF.\n');
});

after(() => fs.rmSync(directory, { recursive: true, force: true }));

async function expectRefusedAtField(page, { field, text }) {
  const input = page.locator(`#${field}`);
  await input.setInputFiles(huge);
  const message = page.locator(`#${field}-groesse`);
  await message.waitFor();
  assert.match((await message.textContent()).trim(), text);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await input.getAttribute('aria-describedby'), new RegExp(`${field}-groesse`));
  const before = page.url();
  let sent = false;
  page.on('request', (request) => { if (request.method() === 'POST') sent = true; });
  await input.press('Enter').catch(() => {});
  await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
  await page.waitForTimeout(300);
  assert.equal(sent, false, 'the form must not be sent');
  assert.equal(page.url(), before);
}

test('the office gets a German message at the file field for a 2 GB upload', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.office, { weiter: '/redaktion/dateien' });
  await expectRefusedAtField(page, {
    field: 'datei',
    text: /^„Jahresbericht\.pdf“ ist 2 GB groß; höchstens 25 MB sind möglich\.$/,
  });
  await expectAccessible(page, 'upload-too-large');

  // Choosing a file within the limit clears the message, and the server's own check speaks.
  await page.locator('#datei').setInputFiles(small);
  assert.equal(await page.locator('#datei-groesse').count(), 0);
  assert.equal(await page.locator('#datei').getAttribute('aria-invalid'), null);
  await Promise.all([page.waitForLoadState('load'), page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()]);
  await page.locator('.kern-error').first().waitFor();
  assert.match(await page.locator('main').innerText(), /Maßgeblich ist der Inhalt, nicht die Dateiendung/);
  await page.context().close();
});

test('a city gets a German message at the import field for a 2 GB file', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.bochumEntry, { weiter: '/staedte/bochum/monitoring/import' });
  await expectRefusedAtField(page, {
    field: 'datei',
    text: /^„Jahresbericht\.pdf“ ist 2 GB groß; höchstens 10 MB sind möglich\./,
  });
  await page.context().close();
});

test('pages without an upload field load no script', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  assert.equal(await page.locator('script').count(), 0);
  await page.context().close();
});
