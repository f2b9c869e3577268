// The 9-point booking-call check (IN-21): the service manager scores an advisor's booking call
// on the review screen (the nine points as checkboxes, ticked from the keyboard), sees it in
// the month's list and in the dashboard's call-quality section (the advisor's average and the
// points' pass rates, in both languages); the advisor sees their own review, without the form.
//
// The server's clock is at 10:00 of today (lib.mjs clockAt); the call was at 09:30.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { e2e, settle, shot } from './lib.mjs';

const E = e2e({ clockAt: '10:00' });

test('the manager scores a booking call and sees it on the dashboard (IN-21)', { timeout: 180_000 },
  E.withPage(async (page) => {
    const adv = await E.apiAs('advisor');
    const me = await adv.get('/me');
    const { today } = await adv.get('/store');

    await E.signIn(page, 'manager');
    await E.open(page, '#/call-reviews');
    await page.locator('#cr-form').waitFor();
    // The nine points in the seed's words.
    const legend = await page.textContent('#cr-form .cr-points');
    assert.match(legend, /电话铃响三声内接听/);
    assert.match(legend, /感谢来电，等客户先挂机/);
    await page.selectOption('#cr-advisor', String(me.user.id));
    await page.fill('#cr-call-at', `${today}T09:30`);
    // Seven of nine, ticked with the keyboard: surname (3) and alternatives (7) missed.
    for (const p of ['answer_3_rings', 'greeting', 'details_confirmed', 'customer_words', 'parts_checked', 'window_and_estimate', 'closing']) {
      await page.focus('#cr-p-' + p);
      await page.keyboard.press('Space');
    }
    assert.equal(await page.textContent('#cr-score'), '7 / 9');
    await page.fill('#cr-note', '没有用客户的姓称呼');
    await page.click('#cr-save');
    const row = page.locator('#cr-list table.cr-table tbody tr', { hasText: '没有用客户的姓称呼' });
    await row.waitFor();
    assert.match(await row.textContent(), /7 \/ 9/);
    assert.match(await row.textContent(), /3, 7/);
    await settle(page);
    await shot(page, 'call-reviews');
    // The list as CSV: a BOM, the headers in Chinese, the points missed in words.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cr-export')]);
    const csv = await fs.readFile(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff通话时间,业务接待'), `a BOM and the headers: ${csv.slice(0, 40)}`);
    assert.match(csv, /询问并称呼客户贵姓；无法满足时提供两个备选时段/);
    assert.match(download.suggestedFilename(), /\.csv$/);

    // A correction: the surname was asked after all; the score follows.
    await row.locator('button.cr-edit').click();
    assert.equal(await page.inputValue('#cr-advisor'), String(me.user.id));
    assert.equal(await page.textContent('#cr-score'), '7 / 9');
    await page.focus('#cr-p-surname');
    await page.keyboard.press('Space');
    await page.click('#cr-save');
    await page.locator('#cr-list table.cr-table tbody tr', { hasText: '8 / 9' }).waitFor();
    await row.locator('button.cr-edit').click();
    await page.focus('#cr-p-surname');
    await page.keyboard.press('Space');
    await page.click('#cr-save');
    await page.locator('#cr-list table.cr-table tbody tr', { hasText: '7 / 9' }).waitFor();

    // The dashboard: the advisor's month and the points' pass rates.
    await E.open(page, '#/dashboard');
    const card = page.locator('#dashboard-call-quality');
    await card.waitFor();
    const advRow = card.locator('table.cq-advisors tbody tr', { hasText: me.user.display_name });
    assert.match(await advRow.textContent(), /7/);
    const surname = card.locator('table.cq-points tbody tr', { hasText: '询问并称呼客户贵姓' });
    assert.match(await surname.textContent(), /0%/);
    const closing = card.locator('table.cq-points tbody tr', { hasText: '感谢来电' });
    assert.match(await closing.textContent(), /100%/);
    await settle(page);
    await shot(page, 'dashboard-call-quality');
    const [cqDownload] = await Promise.all([page.waitForEvent('download'), page.click('#cq-export')]);
    const cqCsv = await fs.readFile(await cqDownload.path(), 'utf8');
    assert.ok(cqCsv.split('\r\n').some((l) => l.startsWith(me.user.display_name + ',1,7,0,')), cqCsv);
    await page.click('#lang');
    await page.locator('#dashboard-call-quality h2', { hasText: 'Booking-call quality' }).waitFor();
    await page.locator('#dashboard-call-quality', { hasText: "The customer's surname asked and used" }).waitFor();
    await page.click('#lang');

    // The advisor: their own review, no form.
    const other = await E.newPage();
    try {
      await E.signIn(other, 'advisor');
      await E.open(other, '#/call-reviews');
      await other.locator('#cr-list table.cr-table tbody tr', { hasText: '没有用客户的姓称呼' }).waitFor();
      assert.equal(await other.locator('#cr-form').count(), 0);
      E.check(other);
    } finally {
      await E.closePage(other);
    }
  }));
