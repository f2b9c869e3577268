// Complaints in the browser (CS-6, IN-20, CS-1): a complaint taken on the phone — the customer
// found by plate —, worked (acknowledged, a call back logged, resolved) and closed after the
// customer was asked whether satisfied; it shows on the customer's card while open and in the
// list of closed ones after. And a follow-up call marked 不满意 on the workbench, with the
// store's questions answered, that shows up as a complaint owned by the service manager.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, e2e, settle, shot, until, vehiclesWithDigitPlates } from './lib.mjs';

const E = e2e({ clockAt: '09:00' });

// A VIN with a right check digit (ISO 3779), unique to n.
function makeVin(n) {
  const body = 'LFV2A21K0A3' + String(n % 1000000).padStart(6, '0'); // position 9 is replaced
  const values = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2,
    T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const chars = body.split('');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (/\d/.test(chars[i]) ? Number(chars[i]) : values[chars[i]]) * weights[i];
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  chars[8] = check;
  return chars.join('');
}

test('a complaint taken on the phone, worked and closed after asking the customer (CS-6, IN-20)', { timeout: 180_000 },
  E.withPage(async (page, t) => {
    const api = await E.apiAs('caller');
    const cars = await vehiclesWithDigitPlates(api);
    const car = cars[5] || cars[0];
    t.diagnostic(`car ${car.id} ${car.plate}, customer ${car.customer_id}`);

    await E.signIn(page, 'caller');
    await E.open(page, '#/complaints');
    await page.click('#cpl-new');
    await page.locator('#cpl-form').waitFor();
    // The customer found by the plate's digits, as on the booking call.
    await page.fill('#cpl-search', car.plate.slice(-4));
    await page.locator('#cpl-results .search-result').first().waitFor();
    await page.locator('#cpl-search').press('Enter');
    await page.locator('#cpl-picked .cpl-customer').waitFor();
    assert.equal(await page.inputValue('#cpl-vehicle'), String(car.id), 'the car found is preselected');
    await page.selectOption('#cpl-category', 'workmanship');
    await page.selectOption('#cpl-severity', 'normal');
    await page.fill('#cpl-text', '上周保养后方向盘还是抖');
    await shot(page, 'complaint-new');
    await page.click('#cpl-submit');
    await page.locator('#cpl-status-now[data-status="open"]').waitFor();
    const id = Number(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('id'));
    assert.ok(id > 0, page.url());
    const c = await api.get(`/complaints/${id}`);
    assert.equal(c.vehicle_id, car.id);
    assert.equal(c.channel, 'phone');
    assert.match(c.number, /^C\d{10}$/);

    // IN-20: the customer's card shows it open, with its state.
    await E.open(page, `#/archive?customer=${c.customer_id}`);
    await page.locator(`#archive-open-complaints .cpl-open-item[data-id="${id}"]`).waitFor();

    // IN-20: the booking call shows it too when the customer rings again.
    await E.open(page, '#/booking');
    await page.fill('#booking-search', car.plate.slice(-4));
    await page.locator(`#search-results .search-result[data-vehicle-id="${car.id}"]`).click();
    await page.locator(`#booking-open-complaints .cpl-open-item[data-id="${id}"][data-status="open"]`).waitFor();
    await shot(page, 'booking-open-complaints');

    // Worked: acknowledged, a call back logged, resolved with its resolution.
    await E.open(page, `#/complaints?id=${id}`);
    await page.click('#cpl-move-acknowledged');
    await page.locator('#cpl-status-now[data-status="acknowledged"]').waitFor();
    await page.selectOption('#cpl-action-type', 'call_back');
    await page.fill('#cpl-action-note', '已回电，约周六返修');
    await page.click('#cpl-action-add');
    await page.locator('.cpl-log .cpl-action[data-type="call_back"]').waitFor();
    await page.click('#cpl-move-in_progress');
    await page.locator('#cpl-status-now[data-status="in_progress"]').waitFor();
    // Resolving without a resolution is stopped on the page.
    await page.click('#cpl-move-resolved');
    await page.locator('#cpl-detail-error', { hasText: '处理结果' }).waitFor();
    await page.fill('#cpl-resolution', '更换右前轮轴承，试车正常');
    await page.click('#cpl-move-resolved');
    await page.locator('#cpl-status-now[data-status="resolved"]').waitFor();
    // Closing asks whether the customer is satisfied.
    await page.click('#cpl-move-closed');
    await page.locator('dialog[open] [data-answer="yes"]').waitFor();
    await shot(page, 'complaint-close-ask');
    await page.click('dialog[open] [data-answer="yes"]');
    await page.locator('#cpl-status-now[data-status="closed"]').waitFor();
    await settle(page);
    await shot(page, 'complaint-closed');
    const closed = await api.get(`/complaints/${id}`);
    assert.equal(closed.customer_satisfied, true);
    assert.ok(closed.actions.some((a) => a.type === 'call_back'));

    // The list of closed ones has it; in English too.
    await E.open(page, '#/complaints?status=closed');
    await page.locator(`#cpl-list .cpl-row[data-id="${id}"]`).waitFor();
    await page.click('#lang');
    await page.locator('#cpl-list .cpl-row').first().waitFor();
    assert.ok((await page.textContent('#view')).includes('Complaints and enquiries'));
    await shot(page, 'complaints-closed-en');
    await page.click('#lang');
  }));

test('a follow-up call marked 不满意 opens a complaint for the service manager (CS-1)', { timeout: 180_000 },
  E.withPage(async (page, t) => {
    const adv = await E.apiAs('advisor');
    const mgr = await E.apiAs('manager');
    const caller = await E.apiAs('caller');
    const { today } = await adv.get('/store');
    // A customer who takes calls, whose car was repaired three days ago: today's follow-up.
    const phone = '139' + String(Date.now()).slice(-8);
    const cust = await adv.post('/customers', { name: '赵回访', title: '先生', phone, consent: { sms: true, email: false, phone: true } });
    const plate = '粤B' + String(Date.now()).slice(-5);
    const v = await adv.post('/vehicles', { customer_id: cust.id, vin: makeVin(Date.now() % 1000000), plate, brand: '大众',
      model: '速腾', model_year: 2022, purchase_date: addDays(today, -400) });
    await adv.post('/service-records', { vehicle_id: v.id, date: addDays(today, -4), date_out: addDays(today, -3),
      mileage_km: 8000, kind: 'repair' });
    await mgr.post('/tasks/generate', { date: today }, 200);
    const tasks = (await caller.get(`/tasks?type=followup&vehicle_id=${v.id}`)).items;
    assert.equal(tasks.length, 1, 'the follow-up call is on today\'s list');
    const task = tasks[0];
    t.diagnostic(`follow-up task ${task.id}, vehicle ${v.id}`);
    const { followup_questions: questions } = await caller.get('/settings');
    assert.ok(questions.length >= 1, 'the store has follow-up questions');

    await E.signIn(page, 'caller');
    await E.open(page, `#/workbench?task=${task.id}`);
    await page.locator('#call-panel').waitFor({ state: 'visible' });
    await page.locator('#call-satisfaction').waitFor();
    await page.selectOption('#call-satisfaction', 'dissatisfied');
    await page.selectOption('#call-complaint-category', 'waiting_time');
    await page.selectOption('#call-answer-0', 'yes');
    if (questions.length > 1) await page.selectOption('#call-answer-1', 'no');
    await page.fill('#call-notes', '交车比承诺晚了两个小时');
    await shot(page, 'followup-dissatisfied');
    // IN-20: the call panel shows the customer's open complaints (none yet).
    assert.equal(await page.getAttribute('#call-panel .cpl-open', 'data-count'), '0');
    await page.click('.outcomes button[data-outcome="reached"]');
    const found = await until(async () => {
      const l = (await caller.get(`/complaints?customer_id=${cust.id}`)).items;
      return l.length ? l : null;
    }, 'the complaint the follow-up opened');
    assert.equal(found.length, 1);
    const c = found[0];
    assert.equal(c.channel, 'followup_call');
    assert.equal(c.category, 'waiting_time');
    assert.equal(c.text, '交车比承诺晚了两个小时');
    assert.equal(c.vehicle_id, v.id);
    const me = await mgr.get('/me');
    const managers = (await adv.get(`/reception?date=${today}`)).discount_approvers || [];
    assert.ok(managers.some((m) => m.id === c.owner_id) || c.owner_id === me.user.id, 'owned by a service manager');
    const done = await caller.get(`/tasks/${task.id}`);
    const att = done.attempts_log[0];
    assert.equal(att.satisfaction, 'dissatisfied');
    assert.equal(att.answers[0].question, questions[0]);
    assert.equal(att.answers[0].answer, true);

    // It shows on the complaints screen.
    await E.open(page, '#/complaints');
    await page.locator(`#cpl-list .cpl-row[data-id="${c.id}"]`).waitFor();
    await settle(page);
    await shot(page, 'complaints-from-followup');
  }));
