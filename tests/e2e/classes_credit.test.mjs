// Classes and credit (CRM-2, CRM-3) in a browser: the customer card shows the class (by hand or
// by the rules, the reason) with the manager's lock toggle and the credit panel; the managers'
// credit list filters, totals, exports as CSV and prints; the workbench's call list filters by
// class (GET /tasks?classification=).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { e2e, settle, shot } from './lib.mjs';

const E = e2e();

test('the customer card shows the class and the credit, and the manager locks the class (CRM-2, CRM-3)', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('manager');
    const open = (await api.get('/receivables?status=open')).items;
    assert.ok(open.length > 0, 'the demo has open receivables');
    const id = open[0].customer.id;
    const c = await api.get(`/customers/${id}`);
    assert.ok(c.credit && c.credit.grade, 'the API gives the credit');

    await E.signIn(page, 'manager');
    await E.open(page, `#/archive?customer=${id}`);
    await page.locator('#cls-card').waitFor({ state: 'visible' });
    await page.locator('#crd-card').waitFor({ state: 'visible' });
    assert.equal(await page.textContent('#crd-grade'), c.credit.grade);
    assert.equal(await page.locator('#crd-card .crd-reasons li').count(), c.credit.reasons.length);
    assert.equal(await page.getAttribute('#cls-class', 'data-class'), c.classification);
    assert.equal(await page.getAttribute('#cls-source', 'data-source'), c.classification_source);
    await shot(page, 'classes-credit-card');

    // The lock, by keyboard: focus the toggle and press Enter.
    assert.equal(await page.getAttribute('#cls-lock', 'aria-pressed'), 'false');
    await page.focus('#cls-lock');
    await page.keyboard.press('Enter');
    await page.locator('#cls-lock[aria-pressed="true"]').waitFor();
    assert.equal((await api.get(`/customers/${id}`)).classification_locked, true);
    await page.click('#cls-lock');
    await page.locator('#cls-lock[aria-pressed="false"]').waitFor();
    assert.equal((await api.get(`/customers/${id}`)).classification_locked, false);

    // In English, the cards have their texts.
    await page.click('#lang');
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    await settle(page);
    const text = await page.textContent('#crd-card');
    assert.ok(text.includes('Credit') && text.includes('Outstanding'), text);
    await shot(page, 'classes-credit-card-en');
    E.check(page);
  }));

test('the credit list: who owes what, filtered, exported and printed (CRM-3)', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('manager');
    const all = await api.get('/reports/credit?limit=100');
    const overdue = await api.get('/reports/credit?limit=100&overdue=true');
    await E.signIn(page, 'manager');
    await page.click('#nav a[href="#/credit"]');
    await page.locator('#view[data-screen="credit"]').waitFor();
    await page.locator('#crd-list table').waitFor();
    await settle(page);
    assert.equal(await page.locator('.crd-row').count(), all.items.length);
    assert.ok(all.items.length > 0, 'the demo has customers with statements');
    await shot(page, 'credit-list');
    // Export: a BOM, the headers in Chinese, one line per customer listed.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#crd-export')]);
    const csv = await fs.readFile(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff客户,类型'), csv.slice(0, 30));
    assert.match(download.suggestedFilename(), /\.csv$/);
    assert.equal(csv.trim().split('\r\n').length, all.items.length + 1);
    assert.ok(csv.includes(all.items[0].name), 'the first customer is exported');
    // The overdue filter (keyboard: Space on the checkbox).
    await page.focus('#crd-only-overdue');
    await page.keyboard.press('Space');
    await settle(page);
    assert.equal(await page.locator('.crd-row').count(), overdue.items.length);
    await page.emulateMedia({ media: 'print' });
    try {
      assert.ok(await page.locator('table.crd-table').isVisible(), 'the list is printed');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    E.check(page);
  }));

test('the call list filters by class (CRM-2)', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('caller');
    const today = (await api.get('/store')).today;
    const want = (await api.get(`/tasks?date=${today}&status=open&classification=lost&limit=200`)).items
      .filter((x) => x.type !== 'maintenance_message');
    await E.signIn(page, 'caller');
    await E.open(page, '#/workbench');
    await page.selectOption('#task-class', 'lost');
    await settle(page);
    const shown = await page.$$eval('#task-list .task-item', (xs) => xs.map((x) => Number(x.dataset.taskId)));
    assert.deepEqual(shown.sort(), want.map((x) => x.id).sort());
    await shot(page, 'workbench-class-lost');
    E.check(page);
  }));
