// Markup hygiene of every page: language, title, the two stylesheets, and nothing inline that
// the Content-Security-Policy would block.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { USERS, startServer } from './harness.mjs';
import { ERROR_PAGES, PROTECTED_PAGES, PUBLIC_PAGES } from './routes.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

function assertCleanPage(page, target) {
  assert.match(page.headers['content-type'] ?? '', /^text\/html; ?charset=utf-8$/i, target);
  const language = target.startsWith('/en/') ? 'en' : 'de';
  assert.match(page.body, /^<!doctype html>/i, `${target}: doctype`);
  assert.match(page.body, new RegExp(`<html[^>]*\\blang="${language}"`), `${target}: lang`);
  assert.match(page.body, /<title>[^<]+<\/title>/, `${target}: title`);
  assert.match(page.body, /<link\b[^>]*href="\/assets\/kern\.[0-9a-f]+\.css"/, `${target}: kern.css`);
  assert.match(page.body, /<link\b[^>]*href="\/assets\/site\.[0-9a-f]+\.css"/, `${target}: site.css`);
  assert.match(page.body, /<link\b[^>]*rel="icon"[^>]*href="\/assets\/favicon\.[0-9a-f]+\.svg"/,
    `${target}: favicon (without it browsers ask for /favicon.ico)`);
  assert.doesNotMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/i, `${target}: inline script`);
  assert.doesNotMatch(page.body, /<style\b/i, `${target}: <style>`);
  assert.doesNotMatch(page.body, /<[^>]+\sstyle\s*=/i, `${target}: style attribute`);
  assert.doesNotMatch(page.body, /<[^>]+\son[a-z]+\s*=/i, `${target}: event handler attribute`);
  assert.doesNotMatch(page.body, /href\s*=\s*["']?\s*javascript:/i, `${target}: javascript: URL`);
  assert.equal(page.body.match(/<h1\b/g)?.length, 1, `${target}: one h1`);
  assert.match(page.body, /<main\b/, `${target}: main landmark`);
}

test('public pages are clean', async () => {
  const client = server.client();
  for (const target of PUBLIC_PAGES) {
    const page = await client.get(target);
    assert.equal(page.status, 200, target);
    assertCleanPage(page, target);
  }
});

test('protected pages are clean for an account that may see them', async () => {
  for (const [target, account] of PROTECTED_PAGES) {
    const client = server.client();
    assert.equal((await client.login(USERS[account])).status, 303, account);
    const page = await client.get(target);
    assert.equal(page.status, 200, `${account} → ${target}`);
    assertCleanPage(page, target);
  }
});

test('protected pages send anonymous visitors to the login form', async () => {
  const client = server.client();
  for (const [target] of PROTECTED_PAGES) {
    const response = await client.get(target);
    assert.equal(response.status, 303, target);
    assert.match(response.location ?? '', /\/anmelden\?weiter=/, target);
  }
});

test('error pages are clean', async () => {
  const client = server.client();
  for (const [target, status] of ERROR_PAGES) {
    const page = await client.get(target);
    if (status === null) assert.ok(page.status >= 400 && page.status < 500, `${target}: ${page.status}`);
    else assert.equal(page.status, status, target);
    assertCleanPage(page, target);
  }
});
