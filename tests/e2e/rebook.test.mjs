// The rest of an advisor's calls: a first-time caller is registered and booked without leaving
// the call (IN-3, CRM-1, CRM-4 consent), and a customer moves a booking to another time and
// then calls it off (IN-8: fresh options; cancelling gives reserved parts back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, e2e, settle, shot, vinWithCheckDigit, workingDay } from './lib.mjs';

const E = e2e();

test('a new caller is registered with consent and booked in the same call', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('advisor');
    const day = await workingDay(api, 3);
    await E.signIn(page, 'advisor');
    await E.open(page, '#/booking');
    await page.click('#new-customer');
    await page.fill('#nc-name', '韩梅梅');
    await page.selectOption('#nc-title', '女士');
    await page.fill('#nc-phone', '139 0013 8277');
    await page.check('#nc-consent-phone');
    await page.fill('#nc-plate', '粤B·6M2K8');
    // A wrong check digit is refused, and nothing is booked with it; the customer is kept.
    const good = vinWithCheckDigit('LFV2A21K0P3Y54321');
    const bad = good.slice(0, 8) + (good[8] === '1' ? '2' : '1') + good.slice(9);
    await page.fill('#nc-vin', bad);
    page.e2e.allow(422, '/api/v1/vehicles'); // the refusal provoked here
    await page.fill('#nc-model', '速腾');
    await page.fill('#nc-mileage', '8200');
    await page.click('#nc-save');
    await page.locator('#new-customer-form .error:not(:empty)').waitFor();
    await shot(page, 'booking-new-customer-error');
    await page.fill('#nc-vin', good);
    await page.click('#nc-save');
    await page.locator('#call-area:not([hidden])').waitFor();
    await settle(page);
    assert.ok((await page.textContent('#vehicle-card')).includes('粤B6M2K8'), 'the plate, normalised');
    assert.ok((await page.textContent('#customer-card')).includes('韩梅梅女士'));
    // PIPL: the card shows the masked number; "show" asks the server for it (recorded).
    assert.equal(await page.textContent('#customer-phone'), '139****8277');
    await page.click('#reveal-phone');
    await page.locator('#customer-phone', { hasText: '13900138277' }).waitFor();

    const found = await api.get('/search?q=' + encodeURIComponent('6M2K8'));
    const v = found.results.find((r) => r.type === 'vehicle' && r.plate === '粤B6M2K8');
    assert.ok(v, 'the car is in the archive');
    const customers = (await api.get('/search?q=' + encodeURIComponent('韩梅梅'))).results.filter((r) => r.type === 'customer');
    assert.equal(customers.length, 1, 'the failed first try did not make the customer twice');
    const c = await api.get(`/customers/${v.customer_id}`);
    assert.equal(c.phone, '139****8277', 'the card masks the number for every role');
    const shown = await api.post(`/customers/${v.customer_id}/phone-reveals`, {}, 201);
    assert.equal(shown.phone, '13900138277');
    assert.deepEqual(c.consent, { sms: false, email: false, phone: true, marketing: false });

    await page.check('#ops input[type=checkbox][value="D01"]');
    await page.fill('#wish-date', day);
    await page.click('#find-slots');
    await page.locator('.slot-option').first().click();
    await page.click('#book');
    await page.locator('#booking-done:not([hidden])').waitFor();
    const id = Number(await page.getAttribute('#booking-done', 'data-appointment-id'));
    const a = await api.get(`/appointments/${id}`);
    assert.equal(a.vehicle.id, v.id);
    assert.equal(a.case, 'B', 'a repair without parts');
    await shot(page, 'booking-new-customer-done');
  }));

test('a booking is moved to a time the customer prefers, then cancelled', { timeout: 120_000 },
  E.withPage(async (page) => {
    const api = await E.apiAs('advisor');
    const day = await workingDay(api, 5);
    const vehicle = (await api.get('/vehicles?limit=50')).items.find((x) => x.plate);
    const booked = await api.post('/appointments', { vehicle_id: vehicle.id, ops: ['D01'], start: `${day}T09:00` }, 201);

    await E.signIn(page, 'advisor');
    await E.open(page, `#/booking?vehicle=${vehicle.id}`);
    const move = page.locator(`.appt-move[data-appointment-id="${booked.id}"]`);
    await move.click();
    await page.locator('#move-banner:not([hidden])').waitFor();
    const later = addDays(day, 1);
    await page.fill('#wish-date', later);
    await page.fill('#wish-time', '14:00');
    await page.click('#find-slots');
    const first = page.locator('.slot-option').first();
    await first.waitFor();
    const start = await first.getAttribute('data-start');
    assert.equal(start.slice(0, 10), later, 'the options are on the new day');
    await first.click();
    await page.click('#book');
    await page.locator('#booking-done:not([hidden])').waitFor();
    assert.equal(Number(await page.getAttribute('#booking-done', 'data-appointment-id')), booked.id, 'the same booking, moved');
    let a = await api.get(`/appointments/${booked.id}`);
    assert.equal(a.start, start);
    assert.equal(a.status, 'confirmed');
    await shot(page, 'booking-moved');

    // Cancelling asks first; "back" keeps it.
    const cancel = page.locator(`.appt-cancel[data-appointment-id="${booked.id}"]`);
    await cancel.click();
    await page.click('dialog.dialog button[data-answer=no]');
    a = await api.get(`/appointments/${booked.id}`);
    assert.equal(a.status, 'confirmed', 'not cancelled when the advisor goes back');
    await cancel.click();
    await page.click('dialog.dialog button[data-answer=yes]');
    await page.locator(`.appt-cancel[data-appointment-id="${booked.id}"]`).waitFor({ state: 'detached' });
    a = await api.get(`/appointments/${booked.id}`);
    assert.equal(a.status, 'cancelled');
  }));
