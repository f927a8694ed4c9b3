// axe-core (WCAG 2.1 A and AA) finds nothing on any page of the contract: public pages signed out,
// protected pages signed in (so the signed-in header is covered too), and the error pages. Each
// page is its own subtest, so one run names every page with a problem, not just the first.
// Screenshots: test-results/e2e/.
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { ERROR_PAGES, PROTECTED_PAGES, PUBLIC_PAGES } from '../http/routes.mjs';
import { expectAccessible, newPage, signIn, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();

test('public pages, signed out', async (t) => {
  const page = await newPage(env.browser, env.server.baseUrl);
  for (const target of PUBLIC_PAGES) {
    await t.test(target, async () => {
      await page.goto(target);
      await expectAccessible(page, `public${target}`);
    });
  }
  await page.context().close();
});

test('error pages', async (t) => {
  const page = await newPage(env.browser, env.server.baseUrl);
  for (const [target] of ERROR_PAGES) {
    await t.test(target, async () => {
      await page.goto(target);
      await expectAccessible(page, `error${target}`);
    });
  }
  await page.context().close();
});

test('protected pages, signed in with an account that may see them', async (t) => {
  const pages = new Map();
  for (const [target, account] of PROTECTED_PAGES) {
    await t.test(`${target} as ${account}`, async () => {
      if (!pages.has(account)) {
        const page = await newPage(env.browser, env.server.baseUrl);
        await signIn(page, USERS[account]);
        pages.set(account, page);
      }
      const page = pages.get(account);
      await page.goto(target);
      await expectAccessible(page, `protected${target}-${account}`);
    });
  }
  for (const page of pages.values()) await page.context().close();
});
