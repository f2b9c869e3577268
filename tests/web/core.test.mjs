// The console's formats (issue 5): money from integer fen, dates and names per language.
// Run by ctest (web_core) with node's own test runner; no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, date, errorText, hhmm, km, localTime, money, person, state, t, addText } from '../../web/js/core.js';

test('money is exact from fen, grouped, with two decimals', () => {
  assert.equal(money(123450), '¥1,234.50');
  assert.equal(money(0), '¥0.00');
  assert.equal(money(5), '¥0.05');
  assert.equal(money(-100), '-¥1.00');
  assert.equal(money(100000000), '¥1,000,000.00');
  // Beyond a double's exact integers the figure is still exact.
  assert.equal(money('900719925474099312'), '¥9,007,199,254,740,993.12');
  assert.equal(money(null), '—');
});

test('dates read the way each language writes them', () => {
  state.lang = 'zh';
  assert.equal(date('2026-12-07'), '2026年12月7日 周一');
  assert.equal(date('2026-12-07', false), '2026年12月7日');
  assert.equal(localTime('2026-12-08T09:30'), '12月8日 09:30');
  assert.equal(km(184120), '184,120 公里');
  state.lang = 'en';
  assert.equal(date('2026-12-07'), 'Mon 7 Dec 2026');
  assert.equal(localTime('2026-12-08T09:30'), '8 Dec 09:30');
  assert.equal(km(184120), '184,120 km');
  assert.equal(hhmm('2026-12-08T09:30'), '09:30');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2028-03-01', -1), '2028-02-29');
});

test('names: 王小明先生 in Chinese, Mr 王小明 in English; a company by its name', () => {
  state.lang = 'zh';
  assert.equal(person({ name: '王小明', title: '先生' }), '王小明先生');
  assert.equal(person({ name: '深圳市远航医疗器械有限公司', title: null }), '深圳市远航医疗器械有限公司');
  state.lang = 'en';
  assert.equal(person({ name: '王小明', title: '先生' }), 'Mr 王小明');
  assert.equal(person({ name: '李雅琪', title: '女士' }), 'Ms 李雅琪');
  assert.equal(person({ name: '深圳市远航医疗器械有限公司', title: '经理' }), '深圳市远航医疗器械有限公司 (经理)');
});

test("errors: the API's code in words, else its message, with the field", () => {
  state.lang = 'zh';
  addText({ zh: { err_slot_taken: '这个时间已被预约' }, en: { err_slot_taken: 'Taken' } });
  const r = { status: 409, data: { error: { code: 'slot_taken', message: 'another booking holds that time', field: 'start' } } };
  assert.equal(errorText(r), '这个时间已被预约 (start)');
  const u = { status: 422, data: { error: { code: 'brand_new', message: 'a message', field: null } } };
  assert.equal(errorText(u), 'a message');
  assert.equal(errorText({ status: 0, data: { error: { code: 'network' } } }), '无法连接服务器');
  state.lang = 'en';
  assert.equal(t('err_network'), 'Cannot reach the server');
});
