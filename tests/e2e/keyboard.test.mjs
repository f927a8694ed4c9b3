// Keyboard-only use and 200 % zoom (WCAG 2.1.1 Keyboard, 2.4.1 Bypass Blocks, 2.4.3 Focus Order,
// 2.4.7 Focus Visible, 1.4.4 Resize Text, 1.4.10 Reflow) on the start page and a few main pages,
// German and English:
//   - the first Tab focuses the skip link, which is then visible; Enter moves focus to <main>;
//   - Tab walks skip link → header → main → footer, each element after the one before it in the
//     document (no positive tabindex, no reordering by CSS);
//   - every element Tab reaches looks different when focused: its outline or box-shadow while
//     focused is drawn (non-zero) and differs from the one it has unfocused;
//   - the sign-in form is filled and sent with the keyboard alone and leads to /redaktion;
//   - at 200 % (a 640 px window, which is a 1280 px window zoomed to 200 %, and the text size
//     doubled at 1280 px) nothing scrolls sideways, nothing is cut off, and the navigation is
//     visible and reachable by Tab.
// Screenshots: test-results/e2e/keyboard-*.png and zoom-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { USERS } from '../http/harness.mjs';
import { DESKTOP, newPage, screenshot, useServerAndBrowser } from './browser.mjs';

const env = useServerAndBrowser();

const PAGES = ['/', '/aktuelles', '/termine', '/kooperation', '/kontakt', '/en/', '/en/aktuelles', '/en/termine'];
const REGIONS = ['skip', 'header', 'main', 'footer'];
const MAX_TABS = 250;

// Where the focused element is and how it looks. Runs in the page.
async function describeFocus() {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  // As a person sees it: after the skip link has slid in (a 0.1 s transition).
  await Promise.all(element.getAnimations().map((animation) => animation.finished));
  const region = element.matches('body > a.site-skip-link') ? 'skip'
    : element.closest('header.site-header') ? 'header'
      : element.closest('main') ? 'main'
        : element.closest('footer.site-footer') ? 'footer' : 'other';
  window.__walked ??= [];
  const index = window.__walked.indexOf(element);
  if (index < 0) window.__walked.push(element);
  const previous = window.__walked[window.__walked.length - 2];
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  return {
    index: index < 0 ? window.__walked.length - 1 : index,
    repeated: index >= 0,
    region,
    label: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`,
    afterPrevious: !previous || index >= 0 ||
      Boolean(previous.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING),
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
    outlineDrawn: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    boxShadow: style.boxShadow,
    visible: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0 &&
      rect.left < document.documentElement.clientWidth,
    positiveTabindex: element.tabIndex > 0,
  };
}

// Each element Tab reached, styled without focus (focus moved to <body>). Runs in the page.
function unfocusedStyles() {
  document.activeElement?.blur();
  return (window.__walked ?? []).map((element) => {
    const style = getComputedStyle(element);
    return { outline: `${style.outlineStyle} ${style.outlineWidth}`, boxShadow: style.boxShadow };
  });
}

async function focused(page) {
  return page.evaluate(describeFocus);
}

// Presses Tab from the top of the page until focus leaves the page or comes back around.
async function walkTabOrder(page) {
  const stops = [];
  for (let i = 0; i < MAX_TABS; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await focused(page);
    if (!stop || stop.repeated) break;
    stops.push(stop);
  }
  return stops;
}

for (const target of PAGES) {
  test(`keyboard: ${target}`, async (t) => {
    const page = await newPage(env.browser, env.server.baseUrl, { locale: target.startsWith('/en') ? 'en-GB' : 'de-DE' });
    try {
      await t.test('the first Tab focuses the visible skip link; Enter moves focus to main', async () => {
        await page.goto(target);
        await page.keyboard.press('Tab');
        const first = await focused(page);
        assert.equal(first?.region, 'skip', `first Tab on ${target} focused ${first?.label}`);
        assert.ok(first.visible, `the skip link on ${target} is not visible when focused`);
        await screenshot(page, `keyboard-skip-link${target}`);
        await page.keyboard.press('Enter');
        const main = await page.evaluate(() => {
          const element = document.activeElement;
          return { tag: element?.tagName.toLowerCase(), id: element?.id, hash: location.hash };
        });
        assert.deepEqual(main, { tag: 'main', id: 'inhalt', hash: '#inhalt' }, target);
        // The next Tab goes on from main, not back to the top.
        await page.keyboard.press('Tab');
        const next = await focused(page);
        assert.ok(next && ['main', 'footer'].includes(next.region),
          `Tab after the skip link on ${target} went to ${next?.region}: ${next?.label}`);
      });

      await t.test('Tab walks header → main → footer in document order, every stop visibly focused', async () => {
        await page.goto(target);
        const stops = await walkTabOrder(page);
        assert.ok(stops.length >= 5, `only ${stops.length} Tab stops on ${target}`);
        const regions = stops.map((stop) => stop.region);
        for (const region of REGIONS) assert.ok(regions.includes(region), `no Tab stop in ${region} on ${target}`);
        let rank = 0;
        for (const stop of stops) {
          const stopRank = REGIONS.indexOf(stop.region);
          assert.ok(stopRank >= 0, `Tab stop outside header, main and footer on ${target}: ${stop.label}`);
          assert.ok(stopRank >= rank, `Tab went back from ${REGIONS[rank]} to ${stop.region} on ${target}: ${stop.label}`);
          rank = stopRank;
          assert.ok(stop.afterPrevious, `Tab stop out of document order on ${target}: ${stop.label}`);
          assert.ok(!stop.positiveTabindex, `positive tabindex on ${target}: ${stop.label}`);
        }
        const unfocused = await page.evaluate(unfocusedStyles);
        const invisible = stops.filter((stop) => {
          const before = unfocused[stop.index];
          const outlineShown = stop.outlineDrawn && stop.outline !== before.outline;
          const shadowShown = stop.boxShadow !== 'none' && stop.boxShadow !== before.boxShadow;
          return !(outlineShown || shadowShown) || !stop.visible;
        });
        assert.deepEqual(invisible.map((stop) => `${stop.region}: ${stop.label} (outline ${stop.outline}, ` +
          `box-shadow ${stop.boxShadow}, on screen ${stop.visible})`), [],
        `focused elements without a visible focus indicator on ${target}`);
      });
    } finally {
      await page.context().close();
    }
  });
}

test('the editorial sign-in form is filled and sent with the keyboard alone', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  try {
    await page.goto('/anmelden?weiter=%2Fredaktion');
    const tabTo = async (name) => {
      for (let i = 0; i < MAX_TABS; i += 1) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((wanted) => document.activeElement?.getAttribute('name') === wanted, name)) return;
      }
      assert.fail(`Tab never reached the field ${name}`);
    };
    await tabTo('benutzername');
    await page.keyboard.type(USERS.office.username);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'passwort',
      'Tab from the user name goes to the password');
    await page.keyboard.type(USERS.office.password);
    // On to the submit button, as a keyboard user goes, and press it.
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.matches('button[type="submit"], input[type="submit"]'))) break;
    }
    assert.ok(await page.evaluate(() => document.activeElement?.matches('main form button[type="submit"]')),
      'Tab from the password reaches the sign-in button');
    await screenshot(page, 'keyboard-anmelden');
    await Promise.all([page.waitForURL((url) => url.pathname === '/redaktion'), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/redaktion');
  } finally {
    await page.context().close();
  }
});

// What is wider than the window, scrolls sideways or is cut off by its box. Runs in the page.
function reflowProblems() {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  if (root.scrollWidth > width + 1) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${width}`);
  if (document.body.scrollWidth > width + 1) problems.push(`body scrolls sideways: ${document.body.scrollWidth} > ${width}`);
  const hiddenOnPurpose = (element) => {
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    return element.closest('.site-skip-link, .kern-sr-only, .visually-hidden, [hidden], [aria-hidden="true"]') ||
      style.visibility === 'hidden' || style.display === 'none' || (rect.width <= 1 && rect.height <= 1);
  };
  for (const element of document.querySelectorAll('body *')) {
    if (hiddenOnPurpose(element)) continue;
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    const label = `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}`;
    // Wide tables and code may scroll inside their own box (a scroll container keyboard users can
    // reach); everything else must fit.
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    if (!element.closest('[data-scroll], .table-scroll, pre, svg') && !scrolls && rect.width > 0 &&
        (rect.right > width + 1 || rect.left < -1)) {
      problems.push(`${label} reaches ${Math.round(rect.left)}…${Math.round(rect.right)} of ${width}`);
    }
    if (['hidden', 'clip'].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1 &&
        element.textContent.trim() !== '') {
      problems.push(`${label} cuts off its content: ${element.scrollWidth} > ${element.clientWidth}`);
    }
    if (['hidden', 'clip'].includes(style.overflowY) && element.scrollHeight > element.clientHeight + 1 &&
        element.textContent.trim() !== '' && element.clientHeight > 0) {
      problems.push(`${label} cuts off its content vertically: ${element.scrollHeight} > ${element.clientHeight}`);
    }
  }
  return [...new Set(problems)].slice(0, 20);
}

const ZOOMS = [
  ['window', { width: 640, height: 450 }, false],  // 1280 × 900 at 200 %
  ['text', DESKTOP, true],                          // text size doubled
];

for (const [kind, viewport, doubleText] of ZOOMS) {
  test(`200 % (${kind}): no sideways scrolling, nothing cut off, navigation reachable`, async (t) => {
    const page = await newPage(env.browser, env.server.baseUrl, { viewport });
    try {
      for (const target of PAGES) {
        await t.test(target, async () => {
          await page.goto(target);
          if (doubleText) {
            await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
          }
          await screenshot(page, `zoom-${kind}${target}`);
          assert.deepEqual(await page.evaluate(reflowProblems), [], `${target} at 200 % (${kind})`);
          const navigation = page.locator('header nav.site-nav a.site-nav__link');
          assert.ok(await navigation.count() >= 3, `no navigation links on ${target}`);
          // Every navigation link is reachable by Tab and on screen when focused.
          const reached = new Set();
          for (let i = 0; i < MAX_TABS; i += 1) {
            await page.keyboard.press('Tab');
            const stop = await page.evaluate(() => {
              const element = document.activeElement;
              if (!element?.matches('header nav.site-nav a.site-nav__link')) {
                return { nav: false, inHeader: Boolean(element?.closest('header, body > a.site-skip-link')) };
              }
              const rect = element.getBoundingClientRect();
              return {
                nav: true, href: element.getAttribute('href'), inHeader: true,
                visible: rect.width > 0 && rect.height > 0 && rect.left >= -1 &&
                  rect.right <= document.documentElement.clientWidth + 1,
              };
            });
            if (!stop.inHeader) break;
            if (stop.nav) {
              assert.ok(stop.visible, `navigation link ${stop.href} is not on screen when focused on ${target}`);
              reached.add(stop.href);
            }
          }
          assert.equal(reached.size, await navigation.count(), `Tab reaches every navigation link on ${target}`);
        });
      }
    } finally {
      await page.context().close();
    }
  });
}
