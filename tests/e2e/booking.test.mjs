// The booking call: find a car by the last digits of its plate (IN-3), book a maintenance job
// (case A, IN-6) on a working day from 2 or 3 options (IN-8) and see it on the board at once
// (IN-11, IN-13); then the same booking with the keyboard only, well under a minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookOnScreen, caseAOperation, e2e, pickVehicle, settle, shot, tabTo, vehiclesWithDigitPlates,
  workingDay } from './lib.mjs';

const E = e2e();

// The appointment through the API, and on the board of its day.
async function checkBooked(page, api, { id, start }, vehicle) {
  const a = await api.get(`/appointments/${id}`);
  assert.equal(a.start, start, 'the appointment starts at the chosen option');
  assert.equal(a.vehicle.id, vehicle.id);
  assert.equal(a.case, 'A', 'maintenance with nothing to order is case A');
  assert.ok(['confirmed', 'tentative'].includes(a.status), `status ${a.status}`);
  const day = start.slice(0, 10);
  await E.open(page, `#/board?date=${day}`);
  const job = page.locator(`.board-job[data-appointment-id="${id}"]`);
  await job.waitFor({ state: 'visible' });
  return a;
}

test('book a case-A appointment for a car found by the last 4 digits of its plate; it is on the board',
  { timeout: 120_000 }, E.withPage(async (page, t) => {
    const api = await E.apiAs('advisor');
    const [vehicle] = await vehiclesWithDigitPlates(api);
    assert.ok(vehicle, 'a demo car whose plate ends in 4 digits');
    const op = await caseAOperation(api, vehicle.id);
    const day = await workingDay(api, 3);
    t.diagnostic(`vehicle ${vehicle.id} ${vehicle.plate}, ${op}, ${day}`);

    await E.signIn(page, 'advisor');
    await E.open(page, '#/booking');
    await shot(page, 'booking-empty');
    await pickVehicle(page, vehicle.plate.slice(-4), vehicle.id);
    assert.ok((await page.textContent('#vehicle-card')).includes(vehicle.plate), 'the vehicle card shows the plate');
    await shot(page, 'booking-vehicle');
    const booked = await bookOnScreen(page, { op, day, shotPrefix: 'booking' });
    assert.equal(booked.start.slice(0, 10), day, 'the first option is on the wished day (it is free)');
    await checkBooked(page, api, booked, vehicle);
    await settle(page);
    await shot(page, 'board-with-booking');
  }));

test('the same booking with the keyboard only, well under a minute', { timeout: 120_000 }, E.withPage(async (page, t) => {
  const api = await E.apiAs('advisor');
  const vehicle = (await vehiclesWithDigitPlates(api))[1];
  assert.ok(vehicle, 'a second demo car whose plate ends in 4 digits');
  const op = await caseAOperation(api, vehicle.id);
  const day = await workingDay(api, 4);
  await E.signIn(page, 'advisor');
  await E.open(page, '#/booking');

  const t0 = Date.now();
  await page.focus('#booking-search');
  await page.keyboard.type(vehicle.plate.slice(-4), { delay: 40 });
  const resultSel = `#search-results .search-result[data-vehicle-id="${vehicle.id}"]`;
  await page.locator(resultSel).waitFor({ state: 'visible' });
  const presses = [];
  presses.push(await tabTo(page, resultSel));
  await page.keyboard.press('Enter');
  await page.locator('#vehicle-card').waitFor({ state: 'visible' });
  await settle(page);

  presses.push(await tabTo(page, `#ops input[type=checkbox][value="${op}"]`));
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked(`#ops input[type=checkbox][value="${op}"]`), 'Space ticks the operation');

  // A date input takes its parts in the order of the browser's language, en-US (lib.mjs):
  // month, day, year; two digits of a month or a day move on to the next part by themselves.
  presses.push(await tabTo(page, '#wish-date'));
  const [y, m, d] = day.split('-');
  await page.keyboard.type(m + d + y, { delay: 40 });
  assert.equal(await page.inputValue('#wish-date'), day, 'the wished day typed into #wish-date');

  presses.push(await tabTo(page, '#find-slots'));
  await page.keyboard.press('Enter');
  const first = page.locator('#slot-options .slot-option').first();
  await first.waitFor({ state: 'visible' });
  await settle(page);
  const n = await page.locator('#slot-options .slot-option').count();
  assert.ok(n >= 2 && n <= 3, `2 or 3 options are offered, not ${n}`);
  const start = await first.getAttribute('data-start');
  // The screen may move the focus to the first option (and, once chosen, to #book) by itself.
  presses.push(await tabTo(page, '#slot-options .slot-option'));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.start), start, 'the focus is on the first option');
  await page.keyboard.press('Enter');
  assert.equal(await first.getAttribute('aria-pressed'), 'true', 'Enter chooses the option');

  presses.push(await tabTo(page, '#book'));
  await page.keyboard.press('Enter');
  const done = page.locator('#booking-done');
  await done.waitFor({ state: 'visible' });
  const seconds = (Date.now() - t0) / 1000;
  const id = Number(await done.getAttribute('data-appointment-id'));
  // Every key a person would press: the Tabs, the typed characters (4 + 8), 5 Enter/Space.
  const tabs = presses.reduce((a, b) => a + b, 0);
  const keys = tabs + 4 + 8 + 5;
  // A person at ~3 keys a second, plus the time the screen took to answer.
  const human = seconds + keys * 0.3;
  t.diagnostic(`keyboard-only booking: ${seconds.toFixed(1)} s here, ${keys} keys (Tab ${presses.join('+')}), ` +
    `~${human.toFixed(0)} s for a person at 3 keys/s`);
  await shot(page, 'booking-keyboard-done');
  assert.ok(seconds < 60, `the keyboard-only booking took ${seconds.toFixed(1)} s`);
  assert.ok(human < 60, `the keyboard-only booking needs ${keys} keys: ~${human.toFixed(0)} s for a person`);
  await checkBooked(page, api, { id, start }, vehicle);
}));
