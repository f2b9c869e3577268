// What every screen of the console shares: the API call, the texts of both languages, the
// formats of money, dates and names, a DOM builder that only ever sets text, the screen
// registry and navigation. No inline script anywhere (the Content-Security-Policy forbids
// it); every value from the server reaches the page through textContent, never as HTML.

// ---- texts ----------------------------------------------------------------------------
// Each screen adds its own table with addText({zh: {...}, en: {...}}); a value is a string
// or a function of arguments.
const TEXT = { zh: {}, en: {} };

export function addText(tables) {
  for (const l of ['zh', 'en']) Object.assign(TEXT[l], tables[l] || {});
}

export const state = {
  // (globalThis.localStorage is absent when node's test runner imports this file.)
  lang: globalThis.localStorage && localStorage.getItem('dms_lang') === 'en' ? 'en' : 'zh',
  me: null, // GET /me: {user, store, permissions}
  today: null, // the store's date, YYYY-MM-DD (GET /store)
};

// t('key') or t('key', args...) when the text is a function. Unknown keys show themselves,
// so a missing translation is visible rather than blank.
export function t(key, ...args) {
  const v = TEXT[state.lang][key] ?? TEXT.zh[key];
  if (v === undefined) return key;
  return typeof v === 'function' ? v(...args) : v;
}

export function can(perm) {
  return !!(state.me && state.me.permissions && state.me.permissions[perm]);
}

// ---- API ------------------------------------------------------------------------------
function cookie(name) {
  const m = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return m ? decodeURIComponent(m.slice(name.length + 1)) : '';
}

// Calls the JSON API with the session cookie; every write carries the CSRF header.
// Resolves to {status, data}; a network failure is status 0 with {error: 'network'}.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = cookie('dms_csrf');
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { status: 0, data: { error: { code: 'network', message: 'network' } } };
  }
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && state.me && path !== '/session') { // the session ended under us
    state.me = null;
    window.dispatchEvent(new Event('dms:signed-out'));
  }
  return { status: res.status, data };
}

// GET that throws on anything but 200, for screens that cannot go on without the data.
export async function get(path) {
  const r = await api('GET', path);
  if (r.status !== 200) throw new ApiError(r);
  return r.data;
}

// Every page of a paged list ({items, next_cursor}), following next_cursor (at most maxPages
// pages); resolves like api(), {status, data: {items}}, or to the first page that failed.
export async function apiAll(path, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api('GET', path + (cursor ? sep + 'cursor=' + encodeURIComponent(cursor) : ''));
    if (r.status !== 200) return r;
    items.push(...(r.data.items || []));
    cursor = r.data.next_cursor || null;
    if (!cursor) break;
  }
  return { status: 200, data: { items } };
}

// apiAll that throws on failure, as get() does.
export async function getAll(path, maxPages = 20) {
  const r = await apiAll(path, maxPages);
  if (r.status !== 200) throw new ApiError(r);
  return r.data;
}

// A wait the server asked for (Retry-After, in seconds) in words, rounded up: 45 秒,
// 2 分钟, 1 小时 / 45 seconds, 2 minutes, 1 hour.
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(Number(seconds) || 0));
  if (s < 60) return t('wait_seconds', s);
  const m = Math.ceil(s / 60);
  if (m < 60 || m % 60 !== 0) return t('wait_minutes', m);
  return t('wait_hours', m / 60);
}

// The API's error body is {"error": {"code", "message", "field"}, ...extra}.
export function errorCode(r) {
  const e = r && r.data && r.data.error;
  if (e && typeof e === 'object') return e.code || 'error';
  if (typeof e === 'string') return e;
  return r && r.status === 0 ? 'network' : 'error';
}

export class ApiError extends Error {
  constructor(r) {
    super(errorText(r));
    this.code = errorCode(r);
    this.status = r.status;
    this.data = r.data || {};
  }
}

// The text of a key, or `fallback` when neither language has one (an enum value the console
// does not know yet shows itself rather than a key).
export function tx(key, fallback) {
  const v = TEXT[state.lang][key] ?? TEXT.zh[key];
  if (v === undefined) return fallback;
  return typeof v === 'function' ? v() : v;
}

// The message a failed call shows: the screen's own words for the API's error code when it
// has them (opts.own(code)), else the console's ("err_slot_taken"), else the API's message;
// then the field, named by opts.fieldName when given (opts.field === false leaves it out).
export function errorText(r, opts = {}) {
  const code = errorCode(r);
  const e = (r && r.data && typeof r.data.error === 'object' && r.data.error) || {};
  const own = opts.own ? opts.own(code) : undefined;
  let s = own ?? tx('err_' + code, undefined) ?? e.message ?? code;
  if (e.field && opts.field !== false) s += ` (${opts.fieldName ? opts.fieldName(e.field) : e.field})`;
  return s;
}

// ---- DOM ------------------------------------------------------------------------------
// el('div', {class: 'card', onclick: fn, dataset: {id: 1}}, 'text', child, [children]).
// Strings become text nodes; attributes are set with setAttribute, so no value is ever
// parsed as HTML.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
    else if (k === 'value') node.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden') node[k] = !!v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// An SVG element (charts, the board's time axis); attributes as for el.
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {}))
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  append(node, children);
  return node;
}

// A modal question with buttons [{value, key, primary}]; resolves to the chosen value, or
// null when it is dismissed with Escape.
export function ask(titleKey, text, choices) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v) => {
      if (done) return;
      done = true;
      if (dlg.open) dlg.close();
      dlg.remove();
      resolve(v);
    };
    const dlg = el('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      el('h2', { id: 'dialog-title' }, t(titleKey)),
      el('p', {}, text),
      el('div', { class: 'row dialog-buttons' }, choices.map((c) =>
        el('button', { type: 'button', class: c.primary ? 'primary' : null, dataset: { answer: c.value }, onclick: () => finish(c.value) }, t(c.key)))));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); finish(null); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

// Runs the write fn() with the button disabled, so a double click or a second Enter cannot
// send it twice; resolves to fn's result.
export async function busy(button, fn) {
  if (button.disabled) return undefined;
  button.disabled = true;
  try {
    return await fn();
  } finally {
    button.disabled = false;
  }
}

// Whether the search box has enough to ask the server (IN-3): two characters, or one Chinese.
export function searchable(q) {
  return q.length >= 2 || /[\u3400-\u9fff]/.test(q);
}

// Small pieces every screen shows: a load that failed, the wait, an empty value.
export const errorLine = (text) => el('p', { class: 'error', role: 'alert' }, text);
export const loadingLine = () => el('p', { class: 'muted' }, t('loading'));
export const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// A message line at the top of the screen: kind 'ok' or 'error'; clears itself.
export function notice(text, kind = 'ok') {
  const box = document.getElementById('notice');
  if (!box) return;
  clear(box, el('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text));
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => clear(box), kind === 'error' ? 8000 : 4000);
}

// ---- formats --------------------------------------------------------------------------
// Money from integer fen, exactly (no floating point): ¥1,234.50; negative as -¥1.00.
export function money(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  let n = BigInt(fen);
  const neg = n < 0n;
  if (neg) n = -n;
  const yuan = (n / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (n % 100n).toString().padStart(2, '0');
  return (neg ? '-' : '') + '¥' + yuan + '.' + cents;
}

export function km(n) {
  if (n === null || n === undefined) return '—';
  const s = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return state.lang === 'zh' ? s + ' 公里' : s + ' km';
}

const WEEKDAYS = { zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// A store-local calendar date "YYYY-MM-DD": 2026年12月7日 周一 / Mon 7 Dec 2026.
export function date(iso, withWeekday = true) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  if (state.lang === 'zh') return `${y}年${mo}月${d}日` + (withWeekday ? ' ' + WEEKDAYS.zh[wd] : '');
  return (withWeekday ? WEEKDAYS.en[wd] + ' ' : '') + `${d} ${MONTHS_EN[mo - 1]} ${y}`;
}

// "2026-12-07T09:30" (store-local, as the calendar API gives) → "12月7日 09:30" / "7 Dec 09:30".
export function localTime(s) {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  return state.lang === 'zh' ? `${+m[2]}月${+m[3]}日 ${m[4]}:${m[5]}` : `${+m[3]} ${MONTHS_EN[+m[2] - 1]} ${m[4]}:${m[5]}`;
}

// A UTC timestamp ("...Z", the audit log's) shown in the store's time zone.
export function timestamp(utc) {
  if (!utc) return '—';
  const d = new Date(utc);
  if (isNaN(d)) return utc;
  const tz = (state.me && state.me.store && state.me.store.timezone) || undefined;
  return new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}

// The "HH:MM" of a store-local "YYYY-MM-DDTHH:MM".
export function hhmm(s) {
  const m = /T(\d{2}:\d{2})/.exec(s || '');
  return m ? m[1] : '';
}

export function addDays(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const x = new Date(Date.UTC(y, m - 1, d + n));
  return x.toISOString().slice(0, 10);
}

// Titles in English for the Chinese ones customers are addressed by.
const TITLES_EN = { '先生': 'Mr', '女士': 'Ms', '小姐': 'Miss', '老师': 'Teacher', '总': 'Director' };

// How a customer is addressed: 王小明先生 in Chinese, Mr 王小明 in English; a company by name.
export function person(c) {
  if (!c) return '—';
  const name = c.name || '';
  const title = c.title || '';
  if (!title) return name;
  if (state.lang === 'zh') return name + title;
  // A title English has no word for (经理 of a company's contact) follows the name.
  return TITLES_EN[title] ? TITLES_EN[title] + ' ' + name : `${name} (${title})`;
}

// ---- screens and navigation -------------------------------------------------------------
// registerScreen({id, nav: 'text key' | null, allowed: () => bool, render(root, params)}).
// The URL is #/<id>?a=1&b=2; render is called with the parameters as an object and may
// return a function that is called when the screen is left (to stop timers).
export const screens = [];

export function registerScreen(s) {
  screens.push(s);
}

export function go(id, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const hash = '#/' + id + (q.toString() ? '?' + q : '');
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function currentRoute() {
  const m = /^#\/([a-z-]+)(?:\?(.*))?$/.exec(location.hash);
  if (!m) return { id: '', params: {} };
  return { id: m[1], params: Object.fromEntries(new URLSearchParams(m[2] || '')) };
}

// A small labelled field for forms: el('label', ..) with the text above the control.
export function field(labelKey, control, extra) {
  return el('label', { class: 'field' }, el('span', {}, t(labelKey)), control, extra);
}

// A table from rows: columns [{key: 'text key', get: (row) => string | Node, class?}].
export function table(columns, rows, opts = {}) {
  return el('table', { class: 'grid ' + (opts.class || '') },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class }, t(c.key))))),
    el('tbody', {}, rows.length === 0
      ? el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, t(opts.empty || 'none')))
      : rows.map((row) => el('tr', opts.rowAttrs ? opts.rowAttrs(row) : {},
        columns.map((c) => el('td', { class: c.class }, c.get(row)))))));
}

// ---- export -------------------------------------------------------------------------------
// A list as CSV text (RFC 4180: comma, CRLF, fields quoted when needed) for Excel and WPS:
// columns [{key: 'text key' (the header, in the language shown), csv: (row) => value}]. A
// value that a spreadsheet would read as a formula (= + - @ and tab or CR first) gets a
// leading apostrophe, so a customer's name can never run as one (CSV injection); numbers
// pass as they are.
export function csvText(columns, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const lines = [columns.map((c) => cell(t(c.key))).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.csv(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}

// Downloads the list as `filename` (.csv), UTF-8 with a byte-order mark so that Excel reads
// its Chinese; nothing leaves the browser.
export function downloadCsv(filename, columns, rows) {
  const blob = new Blob(['\ufeff' + csvText(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

addText({
  zh: {
    none: '无', loading: '加载中…', load_failed: (why) => `加载失败：${why}`, save: '保存', cancel: '取消', close: '关闭', back: '返回',
    err_network: '无法连接服务器', err_error: '出错了', err_forbidden: '没有权限',
    err_not_found: '未找到', err_invalid_field: '输入有误', err_missing_field: '缺少必填项',
    err_invalid_json: '请求格式错误', err_conflict: '与已有记录冲突', err_unauthorized: '请重新登录',
    err_server_busy: '服务器繁忙，请几秒后重试',
    err_too_many_attempts: '登录失败次数过多，请稍后再试', err_overloaded: '登录的人太多，请稍后再试',
    err_customer_erased: '该客户的个人信息已按其要求删除，不能再记录或联系',
    wait_seconds: (n) => `${n} 秒`, wait_minutes: (n) => `${n} 分钟`, wait_hours: (n) => `${n} 小时`,
  },
  en: {
    none: 'None', loading: 'Loading…', load_failed: (why) => `Could not load: ${why}`, save: 'Save', cancel: 'Cancel', close: 'Close', back: 'Back',
    err_network: 'Cannot reach the server', err_error: 'Something went wrong', err_forbidden: 'Not allowed',
    err_not_found: 'Not found', err_invalid_field: 'Invalid input', err_missing_field: 'A required field is missing',
    err_invalid_json: 'Malformed request', err_conflict: 'Conflicts with an existing record', err_unauthorized: 'Please sign in again',
    err_server_busy: 'The server is busy; try again in a few seconds',
    err_too_many_attempts: 'Too many failed sign-ins; try again later', err_overloaded: 'Too many sign-ins at once; try again in a moment',
    err_customer_erased: "This customer's personal data was erased at their request; nothing can be recorded or sent to them",
    wait_seconds: (n) => `${n} second${n === 1 ? '' : 's'}`, wait_minutes: (n) => `${n} minute${n === 1 ? '' : 's'}`,
    wait_hours: (n) => `${n} hour${n === 1 ? '' : 's'}`,
  },
});
