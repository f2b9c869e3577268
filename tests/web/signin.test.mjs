// The sign-in's words for a wait the server asked for after too many failed sign-ins
// (issue 11, defect 3): 429 too_many_attempts with retry_after seconds, in Chinese and English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, state, waitText } from '../../web/js/core.js';

test('a wait reads in seconds below a minute, else in whole minutes rounded up, or hours', () => {
  state.lang = 'zh';
  assert.equal(waitText(1), '1 秒');
  assert.equal(waitText(59), '59 秒');
  assert.equal(waitText(60), '1 分钟');
  assert.equal(waitText(61), '2 分钟');
  assert.equal(waitText(3599), '1 小时');
  assert.equal(waitText(3000), '50 分钟');
  assert.equal(waitText(3600), '1 小时');
  assert.equal(waitText(0), '1 秒');
  assert.equal(waitText(undefined), '1 秒');
  state.lang = 'en';
  assert.equal(waitText(1), '1 second');
  assert.equal(waitText(45), '45 seconds');
  assert.equal(waitText(60), '1 minute');
  assert.equal(waitText(120), '2 minutes');
  assert.equal(waitText(3600), '1 hour');
  state.lang = 'zh';
});

test('the throttling and overload codes have words in both languages', () => {
  const r = (code) => ({ status: code === 'too_many_attempts' ? 429 : 503, data: { error: { code, message: 'x', field: null } } });
  state.lang = 'zh';
  assert.equal(errorText(r('too_many_attempts')), '登录失败次数过多，请稍后再试');
  assert.equal(errorText(r('overloaded')), '登录的人太多，请稍后再试');
  state.lang = 'en';
  assert.equal(errorText(r('too_many_attempts')), 'Too many failed sign-ins; try again later');
  assert.equal(errorText(r('overloaded')), 'Too many sign-ins at once; try again in a moment');
  state.lang = 'zh';
});
