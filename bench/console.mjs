// console.mjs: the web console's speed as the advisor feels it, in Debian's Chromium.
//
//   node bench/console.mjs --dms build/run/dms [--runs 20]
//
// Starts its own `dms serve --demo` on a fresh SQLite database and a free port and a headless
// Chromium (1366×768) through playwright-core, with the end-to-end tests' fixture
// (tests/e2e/lib.mjs), then times, N runs each: the sign-in to the booking screen, the search
// as you type, the slot options, a whole booking from the keyboard and a full appointment
// board; and weighs the first load. Prints median / p95 / max in milliseconds. Benchmarks
// print figures and never fail on them; the script fails (exit 1) only when a step does.
//
// Times are taken in Node around the Playwright call that acts (a key, a click) and the wait
// for the screen's answer. Playwright checks its conditions once per animation frame, so a
// figure includes up to one frame (~17 ms) and DevTools round trips; the last row shows what
// the measuring alone costs. Every wait is bounded (ACTION_MS); the server, the browser and
// the temporary folder go even on failure.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ACTION_MS, addDays, apiClient, launchBrowser, startServer, vehiclesWithDigitPlates } from '../tests/e2e/lib.mjs';

const BOARD_JOBS = 40; // bookings put on the board's day through the API before it is timed
const SEARCH_DEBOUNCE_MS = 150; // web/js/booking.js: the search waits for the typing to pause

function usage(msg) {
  console.error(`console.mjs: ${msg}\nusage: node bench/console.mjs --dms PATH/TO/dms [--runs N]`);
  process.exit(2);
}

function parseArgs(argv) {
  const a = { dms: null, runs: 20 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dms') a.dms = argv[++i];
    else if (argv[i] === '--runs') a.runs = Number(argv[++i]);
    else usage(`unknown argument ${argv[i]}`);
  }
  if (!a.dms) usage('--dms is required');
  if (!Number.isInteger(a.runs) || a.runs < 1) usage('--runs takes a whole number ≥ 1');
  return a;
}

// ---- figures ------------------------------------------------------------------------------
function summary(ms) {
  const s = [...ms].sort((x, y) => x - y);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, p95: s[Math.ceil(0.95 * n) - 1], max: s[n - 1] }; // p95: nearest rank
}

// Runs once(i) `runs` times; it resolves to milliseconds, or to {label: ms, ...} for a step
// that yields more than one figure; one row per label.
async function measure(rows, label, runs, once) {
  const series = {};
  for (let i = 0; i < runs; i++) {
    const r = await once(i).catch((e) => { e.message = `${label}, run ${i + 1}: ${e.message}`; throw e; });
    for (const [k, ms] of Object.entries(typeof r === 'number' ? { [label]: r } : r)) (series[k] ??= []).push(ms);
  }
  for (const [k, ms] of Object.entries(series)) rows.push({ label: k, ...summary(ms) });
}

// The store's open days from `ahead` days after its today on.
async function openDays(api, ahead, n) {
  const { today } = await api.get('/store');
  const from = addDays(today, ahead);
  const cal = await api.get(`/calendar?from=${from}&to=${addDays(from, 3 * n + 14)}`);
  const days = cal.days.filter((d) => d.open).map((d) => d.date).slice(0, n);
  if (days.length < n) throw new Error(`only ${days.length} open days from ${from}`);
  return days;
}

// Books jobs of every bay kind without parts on `day` until `want` are there (a full board);
// resolves to the number of jobs the board then has.
async function fillBoard(api, day, vehicles, want) {
  const ops = ['M02', 'D01', 'M03', 'E02', 'E03', 'T02', 'E04', 'M04', 'S01', 'B01'];
  const count = async () => (await api.get('/board?date=' + day)).bays.reduce((n, b) => n + b.jobs.length, 0);
  let have = await count();
  for (let i = 0; have < want && i < 4 * want; i++) {
    const v = vehicles[i % vehicles.length];
    const op = ops[i % ops.length];
    const s = await api.get(`/slots?ops=${op}&date=${day}&vehicle_id=${v.id}`);
    const o = (s.options || []).find((x) => x.start.startsWith(day));
    if (!o) continue; // this kind of bay is full that day
    await api.post('/appointments', { vehicle_id: v.id, ops: [op], start: o.start, bay_id: o.bay_id,
      technician_id: o.technician_id, customer_words: '看板基准' });
    have++;
  }
  return count();
}

// ---- the browser --------------------------------------------------------------------------
async function newPage(browser, errors) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(ACTION_MS);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message)); // a broken screen makes the figures void
  return page;
}

const focused = (page, sel) => page.waitForFunction((s) => {
  const a = document.activeElement;
  return !!a && a.matches(s) && a.checkVisibility();
}, sel);

// The advisor's home is ready: the search box has the focus and the operations are listed.
const bookingReady = (page) => page.waitForFunction(() => document.activeElement?.id === 'booking-search' &&
  document.activeElement.checkVisibility() && !!document.querySelector('#ops input[type=checkbox]'));

// A real mouse click (no actionability checks, which wait for animation frames themselves).
async function click(page, sel) {
  const box = await page.locator(sel).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  process.env.DMS_BIN = path.resolve(args.dms); // the fixture's way of naming the binary
  const N = args.runs;
  const load = os.loadavg()[0]; // the machine's, before this script adds its own
  const errors = [];
  let server = null;
  let browser = null;
  let api = null;
  try {
    browser = await launchBrowser();
    server = await startServer();
    const password = server.passwords.advisor;
    api = await apiClient(server.url, 'advisor', password);

    // Cars found by their plate's last 4 digits, the first result for them (so Enter picks
    // them). The board's bookings and the keyboard's take cars of their own (the keyboard's
    // come round again only after ~80 runs).
    const cars = [];
    for (const v of await vehiclesWithDigitPlates(api)) {
      const r = await api.get('/search?q=' + v.plate.slice(-4));
      if (r.results[0]?.type === 'vehicle' && r.results[0].id === v.id) cars.push(v);
    }
    if (cars.length < 120) throw new Error(`only ${cars.length} demo cars have a plate found by its last 4 digits`);
    const searchCars = cars.slice(0, 20);
    const boardCars = cars.slice(20, 100);
    const keyCars = cars.slice(100);
    const days = await openDays(api, 3, 6);
    const [slotDay, boardDay] = [days[0], days[5]];
    const keyDays = days.slice(0, 5);

    const rows = [];
    const weight = { html: 0, js: 0, css: 0, other: 0, requests: 0, files: { html: 0, js: 0, css: 0, other: 0 } };

    // 0. The first load, empty cache: what it weighs (once) and how soon the sign-in shows.
    {
      const page = await newPage(browser, errors);
      const bodies = [];
      page.on('request', () => { weight.requests++; });
      page.on('response', (r) => bodies.push(r.body().then((b) => [r.headers()['content-type'] || '', b.length], () => null)));
      await page.goto(server.url + '/', { waitUntil: 'networkidle' });
      await page.locator('#signin').waitFor({ state: 'visible' });
      for (const x of await Promise.all(bodies)) {
        if (!x) continue;
        const kind = /html/.test(x[0]) ? 'html' : /javascript/.test(x[0]) ? 'js' : /css/.test(x[0]) ? 'css' : 'other';
        weight[kind] += x[1];
        weight.files[kind]++;
      }
      await page.context().close();
    }
    await measure(rows, 'first load → sign-in form (empty cache)', N, async () => {
      const page = await newPage(browser, errors);
      const t0 = performance.now();
      await page.goto(server.url + '/', { waitUntil: 'commit' });
      await page.locator('#signin').waitFor({ state: 'visible' });
      const ms = performance.now() - t0;
      await page.context().close();
      return ms;
    });

    // 1. Sign-in: Enter in the password field to the booking screen ready.
    await measure(rows, 'sign-in → booking screen ready', N, async () => {
      const page = await newPage(browser, errors);
      await page.goto(server.url + '/');
      await page.fill('#signin input[name=username]', 'advisor');
      await page.fill('#signin input[name=password]', password);
      const t0 = performance.now();
      await page.keyboard.press('Enter');
      await bookingReady(page);
      const ms = performance.now() - t0;
      await page.context().close();
      return ms;
    });

    // One signed-in advisor for the rest.
    const page = await newPage(browser, errors);
    await page.goto(server.url + '/');
    await page.fill('#signin input[name=username]', 'advisor');
    await page.fill('#signin input[name=password]', password);
    await page.keyboard.press('Enter');
    await bookingReady(page);

    // 2. Search as you type: the last of 4 digits to the car's result shown.
    await measure(rows, `search as you type (incl. ${SEARCH_DEBOUNCE_MS} ms debounce)`, N, async (i) => {
      const car = searchCars[i % searchCars.length];
      const digits = car.plate.slice(-4);
      await page.fill('#booking-search', '');
      await page.waitForFunction(() => !document.querySelector('#search-results .search-result'));
      await page.keyboard.type(digits.slice(0, 3));
      const t0 = performance.now();
      await page.keyboard.press(digits[3]);
      await page.locator(`#search-results .search-result[data-vehicle-id="${car.id}"]`).waitFor({ state: 'visible' });
      return performance.now() - t0;
    });

    // 3. Slot options for the car's maintenance package on a working day.
    await page.keyboard.press('Enter'); // the last search's car
    await focused(page, '#need');
    await page.fill('#wish-date', slotDay);
    await measure(rows, 'slot options (#find-slots → .slot-option)', N, async () => {
      await page.click('#use-package'); // also clears the previous options
      await focused(page, '#wish-date'); // the package is in
      await page.locator('#find-slots').scrollIntoViewIfNeeded();
      const t0 = performance.now();
      await click(page, '#find-slots');
      await page.locator('#slot-options .slot-option').first().waitFor({ state: 'visible' });
      return performance.now() - t0;
    });

    // 4. A whole booking from the keyboard, typed without delays: the machine's part of a call.
    // Two figures: the wall time, which includes sending each typed key (a DevTools round trip
    // apiece), and the sum of the waits for the screen after each key that asks it something.
    await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange'))); // a fresh call, as go() does
    await bookingReady(page);
    const wallLabel = 'keyboard booking, wall time (search → #booking-done)';
    const waitLabel = 'keyboard booking, the screen\'s waits only';
    await measure(rows, wallLabel, N, async (i) => {
      const car = keyCars[i % keyCars.length];
      const digits = car.plate.slice(-4);
      const [y, m, d] = keyDays[i % keyDays.length].split('-');
      let waits = 0;
      const answer = async (key, until) => { // a key the screen answers, and its answer
        const t = performance.now();
        await page.keyboard.press(key);
        await until();
        waits += performance.now() - t;
      };
      const t0 = performance.now();
      await page.keyboard.type(digits.slice(0, 3));
      await answer(digits[3], () => page.locator(`#search-results .search-result[data-vehicle-id="${car.id}"]`).waitFor({ state: 'visible' }));
      await answer('Enter', () => focused(page, '#need'));
      await page.keyboard.type('做保养');
      await page.keyboard.press('Tab');
      await focused(page, '#use-package');
      await answer('Enter', () => focused(page, '#wish-date'));
      await page.keyboard.type(m + d + y); // the browser's en-US order (lib.mjs launchBrowser)
      await answer('Enter', () => focused(page, '#slot-options .slot-option'));
      await answer('Enter', () => focused(page, '#book'));
      await answer('Enter', () => page.locator('#booking-done').waitFor({ state: 'visible' }));
      const wall = performance.now() - t0;
      const typed = await page.inputValue('#wish-date');
      if (typed !== `${y}-${m}-${d}`) throw new Error(`the wished day typed as ${typed}, not ${y}-${m}-${d}`);
      await page.click('#next-call');
      await bookingReady(page);
      return { [wallLabel]: wall, [waitLabel]: waits };
    });

    // 5. The board of a full day: from its hash to every job drawn and laid out (reading a
    // job's box forces the layout; the paint is not included).
    const jobs = await fillBoard(api, boardDay, boardCars, BOARD_JOBS);
    await measure(rows, `board, ${jobs} jobs (#/board → all .board-job)`, N, async () => {
      const t0 = performance.now();
      await page.evaluate((d) => { location.hash = '#/board?date=' + d; }, boardDay);
      await page.waitForFunction((n) => {
        const all = document.querySelectorAll('#view[data-screen="board"] .board-job');
        return all.length >= n && all[n - 1].getBoundingClientRect().width > 0;
      }, jobs);
      const ms = performance.now() - t0;
      await page.evaluate(() => { location.hash = '#/booking'; });
      await bookingReady(page);
      return ms;
    });

    // What the measuring itself costs: a wait whose condition already holds.
    await measure(rows, '(the measuring itself: a wait already met)', N, async () => {
      const t0 = performance.now();
      await page.locator('#booking-search').waitFor({ state: 'visible' });
      return performance.now() - t0;
    });

    await page.context().close();
    if (errors.length) throw new Error('the page reported errors:\n  ' + errors.join('\n  '));

    // ---- the report ----
    const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
    const kb = (b) => (b / 1024).toFixed(1) + ' KiB';
    console.log(`dms console in ${browser.version()} headless, 1366×768; dms serve --demo (SQLite); ` +
      `${N} runs each; ${os.cpus().length} cores, load average ${load.toFixed(1)} before the run`);
    console.log('');
    console.log('| step | median ms | p95 ms | max ms |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.label} | ${f(r.median)} | ${f(r.p95)} | ${f(r.max)} |`);
    console.log('');
    console.log(`first load: HTML ${kb(weight.html)} (${weight.files.html}), JS ${kb(weight.js)} (${weight.files.js} files), ` +
      `CSS ${kb(weight.css)} (${weight.files.css} files): ${kb(weight.html + weight.js + weight.css)} ` +
      `(${weight.html + weight.js + weight.css} bytes of response bodies) in ${weight.requests} requests ` +
      `(the others: ${kb(weight.other)} in ${weight.files.other})`);
  } finally {
    if (api) await api.dispose().catch(() => {});
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    if (server) {
      const st = await server.stop();
      await fs.rm(server.dir, { recursive: true, force: true });
      if (!st || st.code !== 0) { // a crash or a sanitizer report; said without hiding an earlier error
        console.error(`console.mjs: dms serve ended with ${JSON.stringify(st)}:\n${server.log().slice(-2000)}`);
        process.exitCode = 1;
      }
    }
  }
}

main().catch((e) => {
  console.error(`console.mjs: ${e.message}\n${(e.stack || '').split('\n').slice(1).join('\n')}`);
  process.exitCode = 1;
});
