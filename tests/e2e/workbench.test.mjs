// The caller's workbench: a call-back task (IN-1) booked from its call panel (MR-4, MR-5) ends
// `booked` with the appointment linked; an unanswered call re-queues its task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookOnScreen, caseAOperation, e2e, settle, shot, until, vehiclesWithDigitPlates, workingDay } from './lib.mjs';

const E = e2e();

async function callbackTask(api, vehicleId) {
  const task = await api.post('/tasks', { type: 'callback', reason: 'busy', vehicle_id: vehicleId });
  assert.equal(task.status, 'open');
  return task;
}

async function openTask(page, taskId) {
  await E.open(page, '#/workbench');
  const item = page.locator(`#task-list .task-item[data-task-id="${taskId}"]`);
  await item.waitFor({ state: 'visible' });
  await item.click();
  await page.locator('#call-panel').waitFor({ state: 'visible' });
  await settle(page);
}

test('a call task booked from the call panel is closed as booked, the appointment linked',
  { timeout: 120_000 }, E.withPage(async (page, t) => {
    const api = await E.apiAs('caller');
    const [vehicle] = await vehiclesWithDigitPlates(api);
    const task = await callbackTask(api, vehicle.id);
    const op = await caseAOperation(api, vehicle.id);
    const day = await workingDay(api, 3);
    t.diagnostic(`task ${task.id} for vehicle ${vehicle.id} ${vehicle.plate}`);

    await E.signIn(page, 'caller');
    await settle(page);
    await shot(page, 'home-caller');
    await openTask(page, task.id);
    assert.equal(await page.getAttribute(`#task-list .task-item[data-task-id="${task.id}"]`, 'data-type'), 'callback');
    await shot(page, 'workbench-call-panel');
    // What the customer says in the call (MR-4: the mileage, special needs) goes with the booking.
    const km = (vehicle.mileage_km || 0) + 1234;
    await page.fill('#call-mileage', String(km));
    await page.fill('#call-needs', '需要代步车');
    await page.click('#book-now');
    await page.locator('#view[data-screen="booking"]').waitFor({ state: 'attached' });
    const hash = new URL(page.url()).hash;
    const params = new URLSearchParams(hash.split('?')[1] || '');
    assert.equal(params.get('vehicle'), String(vehicle.id), `#book-now opens the booking of the task's vehicle (${hash})`);
    assert.equal(params.get('task'), String(task.id), `#book-now passes the task (${hash})`);
    await page.locator('#vehicle-card').waitFor({ state: 'visible' });
    assert.ok((await page.textContent('#vehicle-card')).includes(vehicle.plate));
    await settle(page);
    await shot(page, 'workbench-booking');
    const booked = await bookOnScreen(page, { op, day, shotPrefix: 'workbench-booking' });

    await E.open(page, '#/workbench');
    await shot(page, 'workbench-after-booking');
    const closed = await until(async () => {
      const x = await api.get(`/tasks/${task.id}`);
      return x.status !== 'open' && x;
    }, `task ${task.id} to close`);
    assert.equal(closed.status, 'done');
    assert.equal(closed.last_outcome, 'booked');
    assert.equal(closed.booked, true);
    const a = await api.get(`/appointments/${booked.id}`);
    assert.equal(a.task_id, task.id, 'the appointment is linked to the task');
    assert.equal(a.start, booked.start);
    const call = closed.attempts_log[closed.attempts_log.length - 1];
    assert.equal(call.outcome, 'booked');
    assert.equal(call.mileage_km, km, 'the mileage typed in the call is recorded with it');
    assert.equal((await api.get(`/vehicles/${vehicle.id}`)).mileage_km, km, "and is the car's reading now");
    assert.ok((await api.get(`/customers/${vehicle.customer_id}`)).needs_note.includes('需要代步车'), 'the needs go on the profile (CRM-6)');
  }));

test('no answer re-queues the task (attempts 1)', { timeout: 90_000 }, E.withPage(async (page) => {
  const api = await E.apiAs('caller');
  const vehicle = (await vehiclesWithDigitPlates(api))[1];
  const task = await callbackTask(api, vehicle.id);
  await E.signIn(page, 'caller');
  await openTask(page, task.id);
  const noAnswer = page.locator('#call-panel button[data-outcome="no_answer"]');
  for (const o of ['reached', 'booked', 'undecided', 'declined', 'wrong_number', 'no_answer', 'busy', 'call_back_later'])
    assert.equal(await page.locator(`#call-panel button[data-outcome="${o}"]`).count(), 1, `the outcome button ${o}`);
  await noAnswer.click();
  const x = await until(async () => {
    const r = await api.get(`/tasks/${task.id}`);
    return r.attempts > 0 && r;
  }, `the call on task ${task.id} to be recorded`);
  assert.equal(x.status, 'open', 'an unanswered call keeps the task open');
  assert.equal(x.attempts, 1);
  assert.equal(x.last_outcome, 'no_answer');
  await settle(page);
  await shot(page, 'workbench-no-answer');
}));
