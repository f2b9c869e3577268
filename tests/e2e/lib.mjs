// The end-to-end tests' fixture: a real `dms serve --demo` on a fresh SQLite database and a
// free port, Debian's Chromium driven by playwright-core (which never downloads a browser of
// its own), and helpers to sign in, take screenshots and set up data through the API.
//
// Environment: DMS_BIN (the dms binary; ctest sets it), DMS_E2E_SHOTS (screenshot folder,
// default build/screenshots), CHROMIUM (default /usr/bin/chromium), DMS_E2E_TMP (parent of
// the temporary folders, default the system's), DMS_E2E_WEB_DIR (serve the console from
// this folder instead of the copy built into dms, while developing). Every wait is bounded;
// the server, the browser and the temporary folder are cleaned up even when a test fails.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { constants as fsc } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays } from '../../web/js/core.js'; // no DOM at load: node imports it as is

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

let pw;
try {
  pw = await import('playwright-core');
} catch (e) {
  throw new Error('e2e: cannot load playwright-core; run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci` ' +
    `in ${ROOT} (make test does it): ${e.message}`);
}
const { chromium, request } = pw;

export const SHOTS = process.env.DMS_E2E_SHOTS || path.join(ROOT, 'build', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The demo load under the sanitizers takes ~8 s on a quiet machine, several times that with
// every core busy (a stress run once needed more than 30 s): a generous bound, left early.
const STARTUP_MS = 120_000;
const STOP_MS = 10_000;
export const ACTION_MS = 10_000; // any one click, fill or wait for an element
export const STAFF = ['admin', 'advisor', 'caller', 'manager', 'parts', 'workshop', 'warranty'];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server -------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// "  advisor   advisor          C4ezN9SvXrCVLcup" lines after "Staff accounts".
function parsePasswords(text) {
  const out = {};
  const at = text.indexOf('Staff accounts');
  if (at < 0) return out;
  for (const line of text.slice(at).split('\n')) {
    const m = /^ {2}(\S+)\s+(\S+)\s+(\S+)/.exec(line);
    if (m && m[1] !== 'username') out[m[1]] = m[3];
  }
  return out;
}

async function healthy(url) {
  try {
    const r = await fetch(url + '/healthz', { signal: AbortSignal.timeout(2000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

// The offset (seconds, signed) that puts the server's clock at `hhmm` of the store's today
// (China Standard Time, the demo store's zone), the day the real clock is on there: a test of
// today's work then runs at the same hour whenever it runs (the demo's bookings of today
// fall to tomorrow after closing time). The clock runs on from there.
export function clockOffsetTo(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  const now = Date.now();
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
  const [y, mo, d] = day.split('-').map(Number);
  const target = Date.UTC(y, mo - 1, d, h - 8, m);
  return Math.round((target - now) / 1000);
}

// Starts `dms serve --demo` on a fresh database; resolves to {url, passwords, log(), stop()}.
// opts.clockAt 'HH:MM': the server's clock starts at that time of the store's today
// (DMS_TEST_CLOCK_FILE, src/store/clock.h), set before the demo is loaded.
export async function startServer(opts = {}) {
  assert.ok(process.env.DMS_BIN, 'e2e: DMS_BIN must name the dms binary (ctest sets it)');
  const bin = path.resolve(process.env.DMS_BIN);
  await fs.access(bin, fsc.X_OK).catch(() => { throw new Error(`e2e: DMS_BIN ${bin} is not an executable`); });
  const parent = process.env.DMS_E2E_TMP || os.tmpdir();
  await fs.mkdir(parent, { recursive: true });
  const dir = await fs.mkdtemp(path.join(parent, 'dms-e2e-'));
  const env = { ...process.env };
  if (opts.clockAt) {
    const off = clockOffsetTo(opts.clockAt);
    env.DMS_TEST_CLOCK_FILE = path.join(dir, 'clock');
    await fs.writeFile(env.DMS_TEST_CLOCK_FILE, (off >= 0 ? '+' : '') + String(off));
  }
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = ['--db', `sqlite:${dir}/dms.db`, 'serve', '--demo', '--listen', `127.0.0.1:${port}`];
    // While developing the console: serve web/ from disk instead of the embedded copy.
    if (process.env.DMS_E2E_WEB_DIR) args.push('--web-dir', path.resolve(process.env.DMS_E2E_WEB_DIR));
    const child = spawn(bin, args,
      { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    let exited = null;
    const exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
      child.on('error', (e) => { out += `\n${e.message}\n`; exited = { code: null, signal: null, error: e.message }; resolve(exited); });
    });
    const killOnExit = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
    process.on('exit', killOnExit);

    const deadline = Date.now() + STARTUP_MS;
    let up = false;
    while (Date.now() < deadline && !exited) {
      if (Object.keys(parsePasswords(out)).length >= STAFF.length && await healthy(url)) { up = true; break; }
      await sleep(200);
    }
    const server = {
      url, dir, port,
      passwords: parsePasswords(out),
      log: () => out,
      // SIGTERM, then SIGKILL after a bounded wait; resolves to the exit status.
      async stop() {
        if (!exited) {
          child.kill('SIGTERM');
          const done = await Promise.race([exit, sleep(STOP_MS).then(() => null)]);
          if (!done) { child.kill('SIGKILL'); await Promise.race([exit, sleep(STOP_MS)]); }
        }
        process.off('exit', killOnExit);
        return exited;
      },
    };
    if (up) return server;
    await server.stop();
    lastError = new Error(`e2e: dms serve did not answer /healthz within ${STARTUP_MS / 1000} s ` +
      `(exit ${JSON.stringify(exited)}); its output:\n${out.slice(-4000)}`);
    if (!/address already in use|bind/i.test(out)) break; // only a lost port race is retried
    await fs.rm(path.join(dir, 'dms.db'), { force: true });
  }
  await fs.rm(dir, { recursive: true, force: true });
  throw lastError;
}

// ---- the browser ------------------------------------------------------------------------
export async function launchBrowser() {
  try {
    await fs.access(CHROMIUM, fsc.X_OK);
  } catch {
    throw new Error(`e2e: Chromium not found at ${CHROMIUM}. Install Debian's chromium ` +
      '(scripts/install-deps does) or set CHROMIUM to its path. playwright never downloads a browser here.');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // The browser's own language, whatever the machine's: it orders the parts of a date
      // input (month/day/year) that the keyboard test types. The pages are zh-CN (newPage).
      '--lang=en-US'],
  });
}

// ---- one test file's fixture --------------------------------------------------------------
// const E = e2e(); then E.server, E.browser in tests; E.page(t) / E.apiAs(user).
// A request context signed in as the user (the session cookie; X-CSRF-Token on writes), for
// setting up data: call() resolves to {status, data}; get/post/patch/del insist on a status.
// dispose() when done (E.apiAs does it for a test file).
export async function apiClient(baseURL, user, password) {
  const rc = await request.newContext({ baseURL, timeout: ACTION_MS });
  const r = await rc.post('/api/v1/session', { data: { username: user, password } });
  assert.equal(r.status(), 201, `sign-in of ${user} through the API: ${await r.text()}`);
  const { csrf_token: csrf } = await r.json();
  const call = async (method, p, body) => {
    const res = await rc.fetch('/api/v1' + p, {
      method,
      data: body === undefined ? undefined : body,
      headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf },
    });
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { data = text; }
    return { status: res.status(), data };
  };
  const must = async (method, p, body, want) => {
    const res = await call(method, p, body);
    assert.equal(res.status, want, `${method} ${p} → ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  };
  return {
    call,
    get: (p) => must('GET', p, undefined, 200),
    post: (p, b, want = 201) => must('POST', p, b, want),
    patch: (p, b, want = 200) => must('PATCH', p, b, want),
    del: (p, want = 200) => must('DELETE', p, undefined, want),
    dispose: () => rc.dispose(),
  };
}

// opts as startServer's (clockAt).
export function e2e(opts = {}) {
  const E = { server: null, browser: null, apis: [], contexts: new Set() };
  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    E.browser = await launchBrowser(); // first: a missing Chromium fails at once
    E.server = await startServer(opts);
  }, { timeout: STARTUP_MS + 40_000 });

  after(async () => {
    const problems = [];
    for (const c of E.contexts) await c.close().catch(() => {});
    for (const a of E.apis) await a.dispose().catch(() => {});
    if (E.browser) await Promise.race([E.browser.close().catch(() => {}), sleep(STOP_MS)]);
    if (E.server) {
      const st = await E.server.stop();
      // A clean stop is exit 0; anything else (a sanitizer report, a crash) fails the file.
      if (!st || st.code !== 0) problems.push(`dms serve ended with ${JSON.stringify(st)}:\n${E.server.log().slice(-4000)}`);
      await fs.rm(E.server.dir, { recursive: true, force: true });
    }
    assert.deepEqual(problems, []);
  }, { timeout: 3 * STOP_MS + 10_000 });

  E.password = (user) => {
    const p = E.server.passwords[user];
    assert.ok(p, `e2e: no password for ${user} in the server's output`);
    return p;
  };

  // A fresh browser context (no cookies, empty localStorage) and its page, guarded: any page
  // error, any dialog (an executed alert() is an XSS) and any console error other than the
  // expected 401s are collected; E.check(page) / the end of withPage fail the test on them.
  E.newPage = async () => {
    const context = await E.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai' });
    E.contexts.add(context);
    context.setDefaultTimeout(ACTION_MS);
    context.setDefaultNavigationTimeout(15_000);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog (${d.type()}): ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    // A refusal the test provokes on purpose: page.e2e.allow(422, '/api/v1/vehicles').
    const allowed = [];
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/status of 401\b/.test(m.text())) return; // /me before sign-in, a wrong password
      const url = m.location().url || '';
      if (allowed.some((a) => m.text().includes(`status of ${a.status} `) && url.includes(a.path))) return;
      problems.push(`console error: ${m.text()} at ${url || '?'}`);
    });
    let inflight = 0;
    page.on('request', () => { inflight++; });
    page.on('requestfinished', () => { inflight--; });
    page.on('requestfailed', () => { inflight--; });
    page.e2e = { problems, context, inflight: () => inflight, allow: (status, p) => allowed.push({ status, path: p }) };
    return page;
  };

  E.closePage = async (page) => {
    E.contexts.delete(page.e2e.context);
    await page.e2e.context.close().catch(() => {});
  };

  E.check = (page) => assert.deepEqual(page.e2e.problems, [], 'the page reported errors');

  // test('...', E.withPage(async (page, t) => {...})): a guarded page, checked and closed.
  E.withPage = (fn) => async (t) => {
    await fs.rm(path.join(SHOTS, `FAILED-${slug(t.name)}.png`), { force: true });
    const page = await E.newPage();
    try {
      await fn(page, t);
      await settle(page);
      E.check(page);
    } catch (e) {
      if (page.e2e.problems.length) e.message += '\nThe page also reported:\n  ' + page.e2e.problems.join('\n  ');
      await shot(page, 'FAILED-' + slug(t.name)).catch(() => {});
      throw e;
    } finally {
      await E.closePage(page);
    }
  };

  // Opens the console and signs in; resolves when the header shows the user.
  E.signIn = async (page, user) => {
    await page.goto(E.server.url + '/');
    await page.locator('#signin').waitFor({ state: 'visible' });
    await page.fill('#signin input[name=username]', user);
    await page.fill('#signin input[name=password]', E.password(user));
    await page.click('#signin button[type=submit]');
    await page.locator('#who').waitFor({ state: 'visible' });
    await page.locator('#view').waitFor({ state: 'visible' });
  };

  // Goes to a screen by its hash and waits until it is rendered and its requests are done.
  E.open = async (page, hash) => {
    const id = /^#\/([a-z-]+)/.exec(hash)[1];
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.locator(`#view[data-screen="${id}"]`).waitFor({ state: 'attached' });
    await settle(page);
  };

  // A request context signed in as the user, disposed of when the file ends.
  E.apiAs = async (user) => {
    const api = await apiClient(E.server.url, user, E.password(user));
    E.apis.push(api);
    return api;
  };

  return E;
}

// Waits until the page has had no request in flight for a moment (bounded).
export async function settle(page, quietMs = 300, maxMs = ACTION_MS) {
  const end = Date.now() + maxMs;
  let quietSince = Date.now();
  while (Date.now() < end) {
    if (page.isClosed()) return;
    if (page.e2e.inflight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await sleep(50);
  }
}

// A full-page PNG into DMS_E2E_SHOTS.
export async function shot(page, name) {
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, slug(name) + '.png'), fullPage: true, timeout: 15_000 });
}

function slug(s) {
  return String(s).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

// Polls fn until it returns a truthy value (bounded); resolves to that value.
export async function until(fn, what, maxMs = ACTION_MS) {
  const end = Date.now() + maxMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(200);
  }
  assert.fail(`timed out after ${maxMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// ---- data -------------------------------------------------------------------------------
// The console's own date arithmetic, for the tests too.
export { addDays };

// The first day the store is open at least `ahead` days after its today.
export async function workingDay(api, ahead = 3) {
  const { today } = await api.get('/store');
  const from = addDays(today, ahead);
  const cal = await api.get(`/calendar?from=${from}&to=${addDays(from, 20)}`);
  const day = cal.days.find((d) => d.open);
  assert.ok(day, `no open day in the 3 weeks from ${from}`);
  return day.date;
}

// A maintenance operation that books as case A for the vehicle (nothing to order).
export async function caseAOperation(api, vehicleId) {
  const ops = (await api.get('/operations?limit=200')).items
    .filter((o) => o.kind === 'maintenance' && o.active !== false)
    .sort((a, b) => a.code.localeCompare(b.code));
  for (const op of ops) {
    const q = await api.get(`/quote?vehicle_id=${vehicleId}&ops=${encodeURIComponent(op.code)}`);
    if (q.case === 'A' && (q.parts || []).every((p) => p.state === 'in_stock')) return op.code;
  }
  assert.fail(`no maintenance operation books as case A for vehicle ${vehicleId}`);
}

// Demo vehicles whose plate ends in 4 digits that no other listed plate ends in.
export async function vehiclesWithDigitPlates(api) {
  const items = [];
  let cursor = null;
  do {
    const page = await api.get('/vehicles?limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < 2000);
  const tail = (v) => (v.plate || '').slice(-4);
  const count = {};
  for (const v of items) count[tail(v)] = (count[tail(v)] || 0) + 1;
  return items.filter((v) => /^\d{4}$/.test(tail(v)) && count[tail(v)] === 1);
}

// A VIN with its check digit (ISO 3779, position 9) computed from the other 16 characters.
export function vinWithCheckDigit(vin17) {
  const values = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
    S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const v = vin17.toUpperCase();
  assert.equal(v.length, 17);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = v[i];
    sum += (/\d/.test(c) ? Number(c) : values[c]) * weights[i];
  }
  const r = sum % 11;
  return v.slice(0, 8) + (r === 10 ? 'X' : String(r)) + v.slice(9);
}

// Presses Tab until the focused element matches the selector (keyboard only); bounded.
// Resolves to the number of presses: 0 when the screen already put the focus there.
export async function tabTo(page, selector, max = 80) {
  const focused = () => page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector);
  if (await focused()) return 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await focused()) return i + 1;
  }
  const at = await page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()}#${a.id}.${a.className} "${(a.textContent || '').trim().slice(0, 40)}"` : 'nothing';
  });
  assert.fail(`${max} presses of Tab did not reach ${selector} (focus is on ${at})`);
}

// ---- the booking screen (the DOM contract) --------------------------------------------------
// With a vehicle chosen on #/booking: ticks the operation, wishes the day, finds the options
// (2 or 3), takes the first and books. Resolves to {id, start, options}.
export async function bookOnScreen(page, { op, day, shotPrefix }) {
  const box = page.locator(`#ops input[type=checkbox][value="${op}"]`);
  await box.check();
  await page.fill('#wish-date', day);
  await page.click('#find-slots');
  const options = page.locator('#slot-options .slot-option');
  await options.first().waitFor({ state: 'visible' });
  await settle(page);
  const n = await options.count();
  assert.ok(n >= 2 && n <= 3, `2 or 3 options are offered, not ${n}`);
  const starts = await options.evaluateAll((bs) => bs.map((b) => b.dataset.start));
  for (const s of starts) assert.match(s, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'data-start is YYYY-MM-DDTHH:MM');
  if (shotPrefix) await shot(page, `${shotPrefix}-options`);
  await options.first().click();
  assert.equal(await options.first().getAttribute('aria-pressed'), 'true', 'the chosen option is pressed');
  await page.locator('#book:enabled').waitFor();
  await page.click('#book');
  const done = page.locator('#booking-done');
  await done.waitFor({ state: 'visible' });
  const id = Number(await done.getAttribute('data-appointment-id'));
  assert.ok(Number.isInteger(id) && id > 0, '#booking-done carries data-appointment-id');
  await settle(page);
  if (shotPrefix) await shot(page, `${shotPrefix}-done`);
  return { id, start: starts[0], options: starts };
}

// Types into the booking search and picks the vehicle's result (mouse).
export async function pickVehicle(page, query, vehicleId) {
  await page.fill('#booking-search', '');
  await page.locator('#booking-search').pressSequentially(query, { delay: 30 });
  const result = page.locator(`#search-results .search-result[data-vehicle-id="${vehicleId}"]`);
  await result.waitFor({ state: 'visible' });
  await result.click();
  await page.locator('#vehicle-card').waitFor({ state: 'visible' });
  await page.locator('#customer-card').waitFor({ state: 'visible' });
  await settle(page);
}
