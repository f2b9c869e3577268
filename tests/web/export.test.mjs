// The console's CSV export (the receivables list, RO-7): headers in the language shown, fields
// quoted when they hold a comma, a quote or a line break, and a value a spreadsheet would run
// as a formula defused with a leading apostrophe. Run by ctest (web_core); no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addText, csvText, state } from '../../web/js/core.js';

addText({ zh: { x_name: '客户', x_amount: '金额' }, en: { x_name: 'Customer', x_amount: 'Amount' } });
const cols = [{ key: 'x_name', csv: (r) => r.name }, { key: 'x_amount', csv: (r) => r.amount }];

test('a list becomes CSV with the headers of the language shown, CRLF after every line', () => {
  state.lang = 'zh';
  assert.equal(csvText(cols, [{ name: '王小明', amount: '120.50' }]), '客户,金额\r\n王小明,120.50\r\n');
  state.lang = 'en';
  assert.equal(csvText(cols, []), 'Customer,Amount\r\n');
  state.lang = 'zh';
});

test('commas, quotes and line breaks are quoted; empty values stay empty', () => {
  assert.equal(csvText(cols, [{ name: '深圳市"顺达",物流', amount: null }]).split('\r\n')[1], '"深圳市""顺达"",物流",');
  assert.equal(csvText(cols, [{ name: 'a\nb', amount: 0 }]).split('\r\n')[1], '"a\nb",0');
});

test('a value that would run as a formula in a spreadsheet is defused', () => {
  for (const bad of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx'])
    assert.ok(csvText(cols, [{ name: bad, amount: 1 }]).split('\r\n')[1].replace(/^"/, '').startsWith("'"), bad);
  assert.equal(csvText(cols, [{ name: 'x', amount: -5 }]).split('\r\n')[1], 'x,-5', 'a number is a number');
});

test("a receivable's days overdue count calendar days from its due date (RO-7)", async () => {
  const { daysLate } = await import('../../web/js/receivables.js');
  assert.equal(daysLate('2026-12-08', '2026-12-08'), 0, 'due today is not late');
  assert.equal(daysLate('2026-12-08', '2026-12-09'), 1);
  assert.equal(daysLate('2026-12-31', '2027-01-02'), 2, 'across the year');
  assert.equal(daysLate('2028-02-28', '2028-03-01'), 2, 'Feb 29 counts');
  assert.equal(daysLate('2026-12-10', '2026-12-08'), -2, 'not due yet');
  assert.equal(daysLate(null, '2026-12-08'), 0);
});
