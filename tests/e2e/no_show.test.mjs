// A booking not kept (RO-9): after closing time `dms appointments no-shows` marks today's
// unarrived bookings no_show, each with a call asking to rebook (no_show_rebook); the caller's
// workbench lists it under its own label (爽约改约 / No-show: rebook) with the server's reason,
// and the dashboard names the list in both languages.
//
// The server's clock starts at 09:00 of today (lib.mjs clockAt); the command runs with its
// own clock at 22:00 of the same day, on the server's database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { caseAOperation, clockOffsetTo, e2e, settle, shot, vehiclesWithDigitPlates } from './lib.mjs';

const E = e2e({ clockAt: '09:00' });

// Runs `dms <args>` on the server's database with the clock at hhmm; resolves to its output.
async function dmsAt(hhmm, args) {
  const clock = path.join(E.server.dir, 'clock-' + hhmm.replace(':', ''));
  const off = clockOffsetTo(hhmm);
  await fs.writeFile(clock, (off >= 0 ? '+' : '') + String(off));
  const child = spawn(path.resolve(process.env.DMS_BIN), ['--db', `sqlite:${E.server.dir}/dms.db`, ...args],
    { cwd: E.server.dir, env: { ...process.env, DMS_TEST_CLOCK_FILE: clock }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `dms ${args.join(' ')}: ${out}`);
  return out;
}

test('a no-show is called to rebook: the workbench and the dashboard label the call (RO-9)', { timeout: 180_000 },
  E.withPage(async (page, t) => {
    const api = await E.apiAs('advisor');
    const vehicle = (await vehiclesWithDigitPlates(api))[9];
    const op = await caseAOperation(api, vehicle.id);
    const { today } = await api.get('/store');
    const slots = await api.get(`/slots?ops=${encodeURIComponent(op)}&vehicle_id=${vehicle.id}&date=${today}&time=10:00`);
    const o = (slots.options || []).find((x) => x.start.slice(0, 10) === today);
    assert.ok(o, 'a free time today');
    const appt = await api.post('/appointments', { vehicle_id: vehicle.id, ops: [op], start: o.start, bay_id: o.bay_id, technician_id: o.technician_id });
    const me = await api.get('/me');
    t.diagnostic(await dmsAt('22:00', ['appointments', 'no-shows', '--store', me.user.store_code]));
    assert.equal((await api.get(`/appointments/${appt.id}`)).status, 'no_show');

    const caller = await E.apiAs('caller');
    const tasks = (await caller.get(`/tasks?type=no_show_rebook&date=${today}&status=open&limit=200`)).items;
    const task = tasks.find((x) => x.vehicle_id === vehicle.id);
    assert.ok(task, `the rebooking call: ${JSON.stringify(tasks.map((x) => x.vehicle_id))}`);

    await E.signIn(page, 'caller');
    await E.open(page, '#/workbench');
    const tab = page.locator('#task-types .tab[data-type="no_show_rebook"]');
    assert.match(await tab.textContent(), /^爽约改约 \d+$/);
    await tab.click();
    const item = page.locator(`.task-item[data-task-id="${task.id}"]`);
    assert.match(await item.textContent(), /爽约改约/);
    await item.click();
    await page.locator('#call-panel h2', { hasText: '爽约改约' }).waitFor();
    assert.ok((await page.textContent('#call-panel .reason')).includes(task.reason), "the server's reason");
    await settle(page);
    await shot(page, 'workbench-no-show');
    await page.click('#lang');
    await page.locator('#task-types .tab[data-type="no_show_rebook"]', { hasText: 'No-show: rebook' }).waitFor();

    // The dashboard's call lists name it too.
    const boss = await E.newPage();
    try {
      await E.signIn(boss, 'manager');
      await E.open(boss, '#/dashboard');
      assert.ok((await boss.textContent('#view')).includes('爽约改约'), 'the dashboard names the list');
      await boss.click('#lang');
      await boss.locator('#view', { hasText: 'No-show: rebook' }).waitFor();
      E.check(boss);
    } finally {
      await E.closePage(boss);
    }
  }));
