// The dashboard's reminder coverage (MR-2, CS-2): the service manager sees the month's cars
// that fell due, messaged, called, and the cars no reminder reached (the list that should be
// empty), the same figures as GET /reports/reminder-coverage, in both languages, exported as
// CSV for Excel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { e2e, settle, shot } from './lib.mjs';

const E = e2e({ clockAt: '10:00' });

test('the dashboard shows the month\'s reminder coverage (MR-2, CS-2)', { timeout: 180_000 },
  E.withPage(async (page) => {
    const mgr = await E.apiAs('manager');
    const { today } = await mgr.get('/store');
    const month = today.slice(0, 7);
    const want = await mgr.get('/reports/reminder-coverage?month=' + month);

    await E.signIn(page, 'manager');
    await E.open(page, '#/dashboard');
    const card = page.locator('#dashboard-coverage');
    await card.waitFor();
    assert.match(await card.locator('h2').textContent(), /保养提醒覆盖/);
    for (const [id, key] of [['due', 'due'], ['messaged', 'messaged'], ['called', 'called'], ['missed', 'not_reminded']])
      assert.equal(await page.textContent('#rc-' + id), String(want[key]), id);
    const rows = card.locator('table.rc-missed tbody tr');
    if (want.cars_not_reminded.length === 0)
      assert.match(await rows.first().textContent(), /没有遗漏的车辆/);
    else
      assert.equal(await rows.count(), want.cars_not_reminded.length);
    await settle(page);
    await shot(page, 'dashboard-reminder-coverage');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rc-export')]);
    const csv = await fs.readFile(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff车牌,客户,保养到期'), `a BOM and the headers: ${csv.slice(0, 40)}`);
    assert.equal(csv.trim().split('\r\n').length, 1 + want.cars_not_reminded.length);
    assert.match(download.suggestedFilename(), new RegExp(`${month}\\.csv$`));
    await page.click('#lang');
    await page.locator('#dashboard-coverage h2', { hasText: 'Maintenance reminder coverage' }).waitFor();
    await page.click('#lang');
  }));
