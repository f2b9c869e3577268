// The console's shell: sign-in, the header, the two languages, sign-out, the
// Content-Security-Policy, and every screen of the service manager in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, settle, shot } from './lib.mjs';

const E = e2e();
const SCREENS = ['booking', 'workbench', 'board', 'welcome', 'archive', 'parts', 'dashboard', 'receivables', 'credit'];
// The text keys of the screens whose prefix is not their id (reception, orders, receivables).
const PREFIXES = ['rcp', 'ro', 'ci', 'qr', 'dw', 'jobs', 'doc', 'rcv', 'crd', 'cls'];

test('a wrong password shows the error and stays on the sign-in form', { timeout: 60_000 }, E.withPage(async (page) => {
  await page.goto(E.server.url + '/');
  await page.locator('#signin').waitFor({ state: 'visible' });
  await shot(page, 'signin-zh');
  await page.fill('#signin input[name=username]', 'advisor');
  await page.fill('#signin input[name=password]', 'not-the-password');
  await page.click('#signin button[type=submit]');
  const error = page.locator('#signin-error');
  await error.filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
  assert.equal((await error.textContent()).trim(), '用户名或密码错误');
  assert.ok(await page.locator('#signin').isVisible(), 'the sign-in form stays');
  assert.ok(await page.locator('#view').isHidden(), 'no screen without a session');
  assert.ok(await page.locator('#who').isHidden());
  await shot(page, 'signin-error-zh');
  await page.click('#lang');
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  await shot(page, 'signin-en');
}));

test('sign-in shows name · store · role; Chinese by default, English survives a reload; sign-out',
  { timeout: 60_000 }, E.withPage(async (page) => {
    const api = await E.apiAs('advisor');
    const me = await api.get('/me');
    await E.signIn(page, 'advisor');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'Chinese is the default');
    assert.equal((await page.textContent('#who')).trim(), `${me.user.display_name} · ${me.store.name} · 服务顾问`);
    await settle(page);
    await shot(page, 'home-advisor-zh');

    await page.click('#lang');
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    assert.equal((await page.textContent('#who')).trim(), `${me.user.display_name} · ${me.store.name} · Service advisor`);
    assert.equal(await page.evaluate(() => localStorage.getItem('dms_lang')), 'en');

    await page.reload();
    await page.locator('#who').waitFor({ state: 'visible' });
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'English survives a reload');
    await page.locator('#who', { hasText: 'Service advisor' }).waitFor();
    await settle(page);
    await shot(page, 'home-advisor-en');

    await page.click('#signout');
    await page.locator('#signin').waitFor({ state: 'visible' });
    assert.ok(await page.locator('#who').isHidden());
    assert.ok(await page.locator('#view').isHidden());
    await page.reload();
    await page.locator('#signin').waitFor({ state: 'visible' });
    assert.ok(await page.locator('#view').isHidden(), 'the session ended on the server');
  }));

test('/ carries a Content-Security-Policy without unsafe-inline', { timeout: 30_000 }, E.withPage(async (page) => {
  const res = await page.goto(E.server.url + '/');
  const h = res.headers();
  const csp = h['content-security-policy'];
  assert.ok(csp, 'a Content-Security-Policy header');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /default-src 'none'|default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(h['x-content-type-options'], 'nosniff');
}));

// Every screen in the manager's nav opens (no page error, no failed render) in both
// languages, with a screenshot each; the welcome board too, nav or not.
test('every screen of the service manager opens, in Chinese and in English', { timeout: 180_000 },
  E.withPage(async (page) => {
    await E.signIn(page, 'manager');
    const nav = await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href')));
    const ids = nav.map((h) => {
      const m = /^#\/([a-z-]+)$/.exec(h || '');
      assert.ok(m, `a nav link is #/<screen>: ${h}`);
      return m[1];
    });
    const missing = SCREENS.filter((s) => s !== 'welcome' && !ids.includes(s));
    const all = [...ids, ...SCREENS.filter((s) => !ids.includes(s))];
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') {
        await page.click('#lang');
        await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      }
      for (const id of all) {
        if (ids.includes(id)) {
          // Through the nav (welcome is full screen: it may hide the nav, so go by hash after it).
          if (await page.locator('#nav').isVisible()) await page.click(`#nav a[href="#/${id}"]`);
          else await E.open(page, `#/${id}`);
        } else {
          await E.open(page, `#/${id}`);
        }
        await page.locator(`#view[data-screen="${id}"]`).waitFor({ state: 'attached' });
        await settle(page, 500);
        const failed = await page.evaluate(() => {
          const v = document.querySelector('#view > .screen'); // the shown screen's box
          const only = v.children.length === 1 ? v.children[0] : null;
          return only && only.matches('p.error[role=alert]') ? only.textContent : null;
        });
        assert.equal(failed, null, `#/${id} (${lang}) failed to render`);
        assert.equal(await page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-CN' : 'en');
        // t() shows an unknown key as itself: a text missing from the tables is visible.
        const keys = await page.evaluate((re) => document.body.innerText.match(new RegExp(re, 'g')),
          String.raw`\b(?:${[...SCREENS, ...PREFIXES].join('|')}|err|roles|sign|switch)_[a-z0-9_]+\b`);
        assert.equal(keys, null, `#/${id} (${lang}) shows text keys instead of texts`);
        await shot(page, `${id}-${lang}`);
        E.check(page);
      }
    }
    assert.ok(nav.length > 0, 'the manager has a nav');
    assert.deepEqual(missing, [], 'the manager may use every screen of the console; the nav lacks some');
  }));

test('moving on while a screen still loads shows only the screen chosen last', { timeout: 60_000 },
  E.withPage(async (page) => {
    await E.signIn(page, 'manager');
    for (let i = 0; i < 5; i++)
      for (const id of ['booking', 'archive', 'dashboard', 'board'])
        await page.evaluate((h) => { location.hash = h; }, `#/${id}`);
    await page.locator('#board-date').waitFor({ state: 'visible' });
    await settle(page, 500);
    assert.equal(await page.getAttribute('#view', 'data-screen'), 'board');
    assert.equal(await page.locator('#view > .screen').count(), 1, 'one screen on the page');
    assert.equal(await page.locator('#booking-search, #archive-search, svg.chart').count(), 0,
      'no earlier screen finished drawing over the board');
  }));
