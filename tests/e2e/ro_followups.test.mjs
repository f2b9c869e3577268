// The repair order's follow-ups in the browser: the settlement's discount approved by a
// service manager picked by name (RO-7; a manager settling is the default), a company's
// receivable paid in two parts from the receivables screen (RO-7, CRM-3's data: more than is
// owed refused, exported as CSV, printed without its controls), and the reception fields
// changed after check-in, only what changed sent (PATCH), refused once the order is closed
// (409 order_closed).
//
// The server's clock starts at 09:00 of today (lib.mjs clockAt): today's bookings and free
// bays are there whatever the hour the tests run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { caseAOperation, e2e, settle, shot, tabTo, vehiclesWithDigitPlates } from './lib.mjs';
import { money } from '../../web/js/core.js';

const E = e2e({ clockAt: '09:00' });

// A booking of today for the car at the first free time, checked in (through the API); with
// `extra`, a repair the customer pays added to it.
async function checkedIn(api, vehicle, extra) {
  const op = await caseAOperation(api, vehicle.id);
  const { today } = await api.get('/store');
  const slots = await api.get(`/slots?ops=${encodeURIComponent(op)}&vehicle_id=${vehicle.id}&date=${today}&time=09:30`);
  const o = (slots.options || []).find((x) => x.start.slice(0, 10) === today);
  assert.ok(o, `a free time today for ${op}: ${JSON.stringify(slots.options)}`);
  const appt = await api.post('/appointments', { vehicle_id: vehicle.id, ops: [op], start: o.start, bay_id: o.bay_id,
    technician_id: o.technician_id, customer_words: '做保养' });
  const v = await api.get(`/vehicles/${vehicle.id}`);
  const order = await api.post('/repair-orders', { appointment_id: appt.id, vehicle_id: vehicle.id, mileage_km: (v.mileage_km || 0) + 40,
    fuel_eighths: 4, promised_at: `${today}T16:00` });
  if (extra) await api.post(`/repair-orders/${order.id}/lines`, { op: extra, payer: 'customer' });
  return order;
}

// A repair operation with a price, for the customer to pay.
async function paidRepair(api) {
  const ops = (await api.get('/operations?limit=200')).items
    .filter((o) => o.active !== false && o.kind === 'repair' && o.labour_fen > 0).sort((a, b) => a.code.localeCompare(b.code));
  assert.ok(ops.length, 'the catalogue has a repair with a price');
  return ops[0].code;
}

// The order through the workshop to `ready` (through the API).
async function ready(shop, id) {
  for (const status of ['in_progress', 'qc', 'ready']) await shop.post(`/repair-orders/${id}/status`, { status }, 200);
  return shop.get(`/repair-orders/${id}`);
}

test('the settlement: a discount approved by a service manager picked by name (RO-7)', { timeout: 180_000 },
  E.withPage(async (page, t) => {
    const api = await E.apiAs('advisor');
    const shop = await E.apiAs('workshop');
    const cars = await vehiclesWithDigitPlates(api);
    const { today } = await api.get('/store');
    const { discount_approvers: managers } = await api.get(`/reception?date=${today}`);
    assert.ok(managers.length >= 1, 'the demo store has a service manager');
    const mgr = managers[0];
    const repair = await paidRepair(api);
    const o1 = await ready(shop, (await checkedIn(api, cars[3], repair)).id);
    const o2 = await ready(shop, (await checkedIn(api, cars[4], repair)).id);
    const customerSub = o1.by_payer.customer;
    assert.ok(customerSub > 2000, `something to discount: ${customerSub}`);
    t.diagnostic(`orders ${o1.number} ${o2.number}, manager ${mgr.name} #${mgr.id}`);

    await E.signIn(page, 'advisor');
    await E.open(page, `#/repair-order?id=${o1.id}`);
    await page.locator('#settle-form').waitFor();
    const names = await page.locator('#settle-approver option').evaluateAll((os) => os.map((x) => x.textContent));
    assert.ok(names.includes(mgr.name), `the approvers are named: ${names}`);
    assert.equal(await page.inputValue('#settle-approver'), '', 'an advisor picks the approver');
    // A discount of 10 yuan: the amount due follows; paid by card in full.
    await page.fill('#settle-discount', '10');
    const due = customerSub - 1000;
    assert.equal(Number(await page.getAttribute('#settle-due', 'data-fen')), due);
    await page.fill('#pay-rows .pay-row >> nth=0 >> .pay-amount', (due / 100).toFixed(2));
    await page.locator('#pay-rows .pay-row >> nth=0 >> .pay-method').selectOption('card');
    await page.locator('#settle-submit:enabled').waitFor();
    await page.click('#settle-submit');
    await page.locator('#settle-error', { hasText: '服务经理' }).waitFor();
    assert.equal((await api.get(`/repair-orders/${o1.id}`)).status, 'ready', 'not settled without an approver');
    // The manager picked by name; Enter in the discount field settles.
    await page.selectOption('#settle-approver', { label: mgr.name });
    await shot(page, 'settle-discount-approver');
    await page.locator('#settle-discount').press('Enter');
    await page.locator('#ro-head[data-status="settled"]').waitFor();
    const s1 = await api.get(`/repair-orders/${o1.id}`);
    assert.equal(s1.discount_fen, 1000);
    assert.equal(s1.discount_approved_by, mgr.id);
    assert.equal(s1.amount_due_fen, due);
    assert.match(await page.textContent('#ro-discount'), new RegExp(`批准：${mgr.name}`), 'the settled order names the approver');
    await settle(page);
    await shot(page, 'settled-with-discount');
    // The statement prints the approver's name too.
    await page.click('#ro-print-statement');
    await page.locator('#doc-statement').waitFor();
    assert.ok((await page.textContent('#doc-statement')).includes(`批准：${mgr.name}`));

    // The service manager settling approves it: the default is themselves.
    const boss = await E.newPage();
    try {
      await E.signIn(boss, 'manager');
      await E.open(boss, `#/repair-order?id=${o2.id}`);
      await boss.locator('#settle-form').waitFor();
      const me = await (await E.apiAs('manager')).get('/me');
      assert.equal(await boss.inputValue('#settle-approver'), String(me.user.id), 'a manager approves their own discount');
      // In English, every text of the form through the table.
      await boss.click('#lang');
      await boss.locator('#settle-form').waitFor();
      await settle(boss);
      const text = await boss.textContent('#settle-form');
      assert.ok(text.includes('Discount approved by (service manager)'), text);
      await shot(boss, 'settle-manager-en');
      E.check(boss);
    } finally {
      await E.closePage(boss);
    }
  }));

test('receivables: one paid in two parts, more than owed refused, exported and printed (RO-7)', { timeout: 180_000 },
  E.withPage(async (page, t) => {
    const api = await E.apiAs('advisor');
    const open0 = (await api.get('/receivables?status=open')).items;
    const r = open0.filter((x) => x.amount_fen - x.paid_fen >= 200).sort((a, b) => a.id - b.id)[0];
    assert.ok(r, `the demo has open receivables: ${open0.length}`);
    const owed = r.amount_fen - r.paid_fen;
    const first = Math.floor(owed / 3);
    t.diagnostic(`receivable ${r.id} ${r.number} ${r.customer.name}: ${owed} fen owed`);

    await E.signIn(page, 'advisor');
    const nav = page.locator('#nav a[href="#/receivables"]');
    assert.equal(await nav.textContent(), '应收账款');
    await nav.click();
    await page.locator('#view[data-screen="receivables"]').waitFor();
    const row = page.locator(`.rcv-row[data-id="${r.id}"]`);
    await row.waitFor();
    assert.equal(await page.locator('.rcv-row').count(), open0.length, 'every open receivable is listed');
    for (const x of open0) {
      assert.equal(await page.getAttribute(`.rcv-row[data-id="${x.id}"]`, 'data-overdue'), x.overdue ? '1' : '0', `overdue marked: ${x.number}`);
    }
    assert.equal(await row.locator('a.rcv-order-link').getAttribute('href'), `#/repair-order?id=${r.repair_order_id}`, 'it links to its order');
    await settle(page);
    await shot(page, 'receivables-open');

    // Export: a CSV with a BOM, the headers in Chinese, the receivable's order and amount.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rcv-export')]);
    const csv = await fs.readFile(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff工单号,客户'), `a BOM and the headers: ${csv.slice(0, 40)}`);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const line = csv.split('\r\n').find((l) => l.startsWith(r.number + ','));
    assert.ok(line && line.includes((owed / 100).toFixed(2)), `the receivable's line: ${line}`);

    // Printed: the list, not the controls.
    await page.emulateMedia({ media: 'print' });
    try {
      assert.ok(await page.locator('table.rcv-table').isVisible(), 'the list is printed');
      assert.ok(await page.locator('#rcv-export').isHidden() && await page.locator('#top').isHidden(), 'no buttons or header printed');
      const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
      assert.ok(pdf.length > 1000, 'it prints');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }

    // The first part, by keyboard: the row's button, the method, the amount, Enter.
    await row.locator('.rcv-pay').focus();
    await page.keyboard.press('Enter');
    await page.locator('#rcv-pay-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'rcv-method', 'the form starts at the method');
    await page.selectOption('#rcv-method', 'transfer');
    await tabTo(page, '#rcv-amount');
    assert.equal(await page.inputValue('#rcv-amount'), (owed / 100).toFixed(2), 'what is owed is offered');
    // More than is owed is refused before it is sent.
    await page.fill('#rcv-amount', ((owed + 100) / 100).toFixed(2));
    await page.keyboard.press('Enter');
    await page.locator('#rcv-pay-error', { hasText: '不能超过未收金额' }).waitFor();
    await page.fill('#rcv-amount', (first / 100).toFixed(2));
    await shot(page, 'receivables-pay');
    await page.keyboard.press('Enter');
    await page.locator('#rcv-pay-form').waitFor({ state: 'detached' });
    await page.locator(`.rcv-row[data-id="${r.id}"] .rcv-owed[data-fen="${owed - first}"]`).waitFor();
    let x = (await api.get('/receivables?status=open')).items.find((y) => y.id === r.id);
    assert.equal(x.paid_fen, r.paid_fen + first, 'the first part is recorded');
    assert.equal(x.status, 'open');

    // The rest by WeChat Pay: paid in full, it leaves the open list for the paid one.
    await row.locator('.rcv-pay').click();
    await page.selectOption('#rcv-method', 'wechat');
    assert.equal(await page.inputValue('#rcv-amount'), ((owed - first) / 100).toFixed(2));
    await page.click('#rcv-pay-submit');
    await row.waitFor({ state: 'detached' });
    await page.locator('#notice', { hasText: '已结清' }).waitFor();
    await page.click('#rcv-tab-paid');
    const paidRow = page.locator(`.rcv-row[data-id="${r.id}"][data-status="paid"]`);
    await paidRow.waitFor();
    x = (await api.get('/receivables?status=paid')).items.find((y) => y.id === r.id);
    assert.ok(x, 'the receivable is paid');
    assert.equal(x.paid_fen, x.amount_fen);
    assert.ok(x.paid_at);
    await settle(page);
    await shot(page, 'receivables-paid');

    // In English.
    await page.click('#lang');
    await page.locator('#rcv-tab-paid').waitFor();
    await settle(page);
    assert.ok((await page.textContent('#view')).includes('Receivables'));
    assert.ok((await page.textContent(`.rcv-row[data-id="${r.id}"]`)).includes(money(x.amount_fen)));
  }));

test('the reception fields after check-in: the promised time changed alone; a closed order refuses (409)',
  { timeout: 180_000 }, E.withPage(async (page) => {
    const api = await E.apiAs('advisor');
    const cars = await vehiclesWithDigitPlates(api);
    const o = await checkedIn(api, cars[5]);
    const { today } = await api.get('/store');
    await E.signIn(page, 'advisor');
    await E.open(page, `#/repair-order?id=${o.id}`);
    const patches = [];
    page.on('request', (req) => {
      if (req.method() === 'PATCH' && req.url().endsWith(`/api/v1/repair-orders/${o.id}`)) patches.push(req.postDataJSON());
    });
    await page.click('#ro-edit-open');
    await page.locator('#ro-edit-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ro-edit-fuel');
    assert.equal(await page.inputValue('#ro-edit-promised'), `${today}T16:00`, 'the promise as recorded');
    await page.fill('#ro-edit-promised', `${today}T17:30`);
    await shot(page, 'repair-order-edit');
    await page.click('#ro-edit-save');
    await page.locator('#ro-edit-form').waitFor({ state: 'detached' });
    assert.deepEqual(patches, [{ promised_at: `${today}T17:30` }], 'only the promised time is sent');
    const after = await api.get(`/repair-orders/${o.id}`);
    assert.equal(after.promised_at, `${today}T17:30`);
    assert.equal(after.fuel_eighths, 4, 'the rest is as it was');
    assert.match(await page.textContent('#ro-reception'), /17:30/);

    // Cancelled meanwhile (another advisor): the change is refused with the message.
    await page.click('#ro-edit-open');
    await page.fill('#ro-edit-damage', '左前门凹陷');
    await api.post(`/repair-orders/${o.id}/status`, { status: 'cancelled', reason: '客户取消' }, 200);
    page.e2e.allow(409, `/api/v1/repair-orders/${o.id}`);
    await page.click('#ro-edit-save');
    await page.locator('#notice', { hasText: '工单已关闭，不能修改' }).waitFor();
    await page.locator('#ro-head[data-status="cancelled"]').waitFor();
    assert.equal(await page.locator('#ro-edit-open').count(), 0, 'a closed order offers no edit');
    assert.equal((await api.get(`/repair-orders/${o.id}`)).damage_notes || '', '', 'nothing was changed');
  }));
