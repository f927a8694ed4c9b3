// A file far over the upload limit (2 GB) is refused at its field with a German message before
// the browser sends a byte of it: the server would only be able to close the connection.
// A file within the limit still goes to the server, which checks it itself; while it is sent the
// page shows how far the upload is and then that the file is being checked.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { DESKTOP, PHONE, expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

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

// A 3 MB import over a line throttled to 512 KB/s: the phase is announced, the bar moves, then the
// server's check is announced, and its preview replaces the page as a normal submission would.
test('a large import shows its upload progress, then that the file is being checked', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.bochumEntry, { weiter: '/staedte/bochum/monitoring/import' });
  const template = await page.request.get('/staedte/bochum/monitoring/2024/vorlage.csv');
  assert.equal(template.status(), 200);
  const large = path.join(directory, 'personal-2024.csv');
  fs.writeFileSync(large, Buffer.concat([await template.body(), Buffer.alloc(3 * 1024 ** 2, '\r\n')]));
  const network = await page.context().newCDPSession(page);
  await network.send('Network.enable');
  await network.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });

  // Every phase the status region announces, in order (the checking phase may last only a
  // moment, too short to catch by polling).
  const phases = [];
  await page.exposeFunction('recordPhase', (text) => { if (phases.at(-1) !== text) phases.push(text); });
  await page.evaluate(() => new MutationObserver(() => {
    const phase = document.querySelector('.upload-progress__phase[role="status"]');
    if (phase?.textContent) window.recordPhase(phase.textContent);
  }).observe(document.body, { subtree: true, childList: true, characterData: true }));

  await page.locator('#datei').setInputFiles(large);
  const submit = page.locator('form[enctype="multipart/form-data"] button[type="submit"]');
  await submit.click();
  await page.waitForFunction(() => document.querySelector('.upload-progress__bar')?.value > 0);
  const shown = await page.locator('.upload-progress__bar').evaluate((bar) => ({
    value: bar.value, name: bar.getAttribute('aria-labelledby'),
  }));
  assert.ok(shown.value > 0 && shown.value < 100, `progress while sending: ${shown.value} %`);
  assert.equal(shown.name, 'datei-fortschritt', 'the bar is named by the phase');
  assert.equal(await submit.isDisabled(), true, 'no second submission while the file is sent');
  await expectAccessible(page, 'upload-progress');
  await page.locator('h1', { hasText: 'Vorschau des Imports – Bochum' }).waitFor();
  assert.deepEqual(phases, ['Die Datei wird hochgeladen …', 'Die Datei ist hochgeladen und wird geprüft …']);
  assert.equal(new URL(page.url()).pathname, '/staedte/bochum/monitoring/import');
  // The page that replaced the form works as a loaded one: its upload form checks sizes again.
  await page.locator('#datei').setInputFiles(huge);
  await page.locator('#datei-groesse').waitFor();
  await page.context().close();
});

test('pages without an upload field load no script', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  assert.equal(await page.locator('script').count(), 0);
  await page.context().close();
});

// Bochum's data entry imports a Windows-1252 file as Excel writes it: preview, then "Übernehmen"
// leads to the import page with its notice, which a reload shows again without importing twice.
test('an import is previewed, taken over, and a reload repeats only the notice', async () => {
  const rows = [['total', 300, 30, 1000], ['civil_servants', 100, 10, 400],
    ['civil_servants_basic_middle', 40, 4, 150], ['civil_servants_upper', 40, 4, 150],
    ['civil_servants_higher', 20, 2, 100], ['employees', 200, 20, 600], ['eg_1_8', 120, 10, 300],
    ['eg_9_12', 60, 6, 200], ['eg_13_plus', 20, 4, 100]];
  const lines = ['Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;Anzahl mit Einwanderungsgeschichte;' +
    'Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar'];
  for (const [category, withHistory, unknown, all] of rows) {
    lines.push(`bochum;2023;staff;Beschäftigte;${category};;${withHistory};${unknown};${all.toLocaleString('de-DE')};` +
      'Personalabteilung;31.12.2023;"Übernahme aus SAP,\nStand März"');
  }
  const file = path.join(directory, 'personal-2023.csv');
  // Windows-1252: the umlauts are single bytes (latin1 covers every character used here).
  fs.writeFileSync(file, Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'));

  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, USERS.bochumEntry, { weiter: '/staedte/bochum/monitoring/import' });
  await page.locator('#datei').setInputFiles(file);
  await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
  await page.locator('h1', { hasText: 'Vorschau des Imports – Bochum' }).waitFor();
  assert.match(await page.locator('main').innerText(), /9 Werte für 1 Berichtsjahr\(e\) können übernommen werden/);
  assert.match(await page.locator('main').innerText(), /Übernahme aus SAP, Stand März/);

  await Promise.all([page.waitForURL(/uebernommen=9/), page.getByRole('button', { name: 'Übernehmen' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/staedte/bochum/monitoring/import');
  assert.match(await page.locator('main').innerText(), /9 Werte wurden gespeichert oder geändert/);
  await expectAccessible(page, 'import-done');

  const reload = await page.reload();
  assert.equal(reload.status(), 200);
  assert.match(await page.locator('main').innerText(), /9 Werte wurden gespeichert oder geändert/);
  await page.getByRole('link', { name: 'Bericht 2023 ansehen' }).click();
  await page.waitForURL(/\/staedte\/bochum\/monitoring\/2023$/);
  assert.match(await page.locator('#staff--total--nenner').inputValue(), /^1\.?000$/);
  await page.context().close();
});

// The preview of a file with a rule's warning (the pay bands exceed the employees' total): the
// warning asks for a comment, the page says that without one the report cannot be submitted;
// with the comment in the file the same warning is marked as commented and asks for nothing.
test('the import preview says which warnings need a comment and what they block', async () => {
  const rows = [['total', 300, 30, 1000], ['civil_servants', 100, 10, 400],
    ['civil_servants_basic_middle', 40, 4, 150], ['civil_servants_upper', 40, 4, 150],
    ['civil_servants_higher', 20, 2, 100], ['employees', 200, 20, 600], ['eg_1_8', 120, 10, 310],
    ['eg_9_12', 60, 6, 200], ['eg_13_plus', 20, 4, 100]];
  const csv = (comment) => ['Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;' +
    'Anzahl mit Einwanderungsgeschichte;Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar',
  ...rows.map(([category, withHistory, unknown, all]) =>
    `bochum;2020;staff;;${category};;${withHistory};${unknown};${all};Personalabteilung;31.12.2020;` +
      (category === 'employees' ? comment : ''))].join('\r\n');
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(env.browser, env.server.baseUrl, { viewport });
    await signIn(page, USERS.bochumEntry, { weiter: '/staedte/bochum/monitoring/import' });
    for (const [comment, severity, blocks] of [['', 'Hinweis (bitte kommentieren)', true],
      ['Zehn Beschäftigte ohne Entgeltgruppe', 'Hinweis (kommentiert)', false]]) {
      await page.goto('/staedte/bochum/monitoring/import');
      await page.locator('#datei').setInputFiles({ name: 'personal-2020.csv', mimeType: 'text/csv',
        buffer: Buffer.from(csv(comment)) });
      await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
      await page.locator('h1', { hasText: 'Vorschau des Imports – Bochum' }).waitFor();
      const main = await page.locator('main').innerText();
      assert.match(main, new RegExp(severity.replace(/[()]/g, '\\$&')));
      assert.equal(/erst einreichen/.test(main), blocks, main);
      assert.doesNotMatch(main, /Bitte erläutern/);
      await expectAccessible(page, `import-preview-warning-${blocks ? 'uncommented' : 'commented'}-${viewport.width}`);
    }
    await page.context().close();
  }
});
