// The dashboard's reminder coverage (MR-2, CS-2: GET /reports/reminder-coverage): the month's
// cars that fell due, how many were messaged, called, reached and booked, and the cars no
// reminder reached at all (the list should be empty), printable and exportable.
import { addText, api, can, downloadCsv, el, t, table } from './core.js';

addText({
  zh: {
    rc_title: '保养提醒覆盖（当月，无遗漏）', rc_failed: '提醒覆盖读取失败：',
    rc_due: '到期车辆', rc_messaged: '已发短信/邮件', rc_suppressed: '未授权不发送', rc_called: '已安排电话',
    rc_reached: '已接通', rc_booked: '已预约', rc_missed: '未提醒', rc_through: (d) => `统计到期日至 ${d}`,
    rc_list: '未提醒的车辆（应为空）', rc_none: '没有遗漏的车辆。',
    rc_plate: '车牌', rc_customer: '客户', rc_due_date: '保养到期', rc_export: '导出 Excel (CSV)', rc_print: '打印',
    rc_file: (m) => `保养提醒覆盖-${m}.csv`,
  },
  en: {
    rc_title: 'Maintenance reminder coverage (this month, no omissions)', rc_failed: 'Could not read the coverage: ',
    rc_due: 'Cars due', rc_messaged: 'Messaged', rc_suppressed: 'No consent: not sent', rc_called: 'Called',
    rc_reached: 'Reached', rc_booked: 'Booked', rc_missed: 'Not reminded', rc_through: (d) => `due dates up to ${d}`,
    rc_list: 'Cars not reminded (should be empty)', rc_none: 'No car was missed.',
    rc_plate: 'Plate', rc_customer: 'Customer', rc_due_date: 'Due', rc_export: 'Export to Excel (CSV)', rc_print: 'Print',
    rc_file: (m) => `reminder-coverage-${m}.csv`,
  },
});

// The month's coverage, or its failure; null for roles that do not read reports.
export async function reminderCoverage(month) {
  if (!can('report_read')) return null;
  return api('GET', '/reports/reminder-coverage?month=' + month);
}

export function reminderCoverageCard(r, month) {
  if (!r) return null;
  if (r.status !== 200) {
    return el('section', { class: 'card dashboard-card', id: 'dashboard-coverage' },
      el('h2', {}, t('rc_title')),
      el('p', { class: 'error', role: 'alert' }, t('rc_failed') + ((r.data && r.data.error && r.data.error.message) || r.status)));
  }
  const c = r.data;
  const figures = [
    ['rc_due', c.due], ['rc_messaged', c.messaged], ['rc_suppressed', c.message_suppressed],
    ['rc_called', c.called], ['rc_reached', c.reached], ['rc_booked', c.booked], ['rc_missed', c.not_reminded],
  ];
  const cols = [
    { key: 'rc_plate', get: (x) => x.plate || '—', csv: (x) => x.plate },
    { key: 'rc_customer', get: (x) => x.customer_name || '—', csv: (x) => x.customer_name },
    { key: 'rc_due_date', get: (x) => x.due_date, csv: (x) => x.due_date },
  ];
  return el('section', { class: 'card dashboard-card', id: 'dashboard-coverage' },
    el('div', { class: 'toolbar' }, el('h2', {}, t('rc_title')),
      el('span', { class: 'muted' }, t('rc_through', c.through)),
      el('button', { type: 'button', id: 'rc-export', onclick: () => downloadCsv(t('rc_file', month), cols, c.cars_not_reminded) }, t('rc_export')),
      el('button', { type: 'button', id: 'rc-print', onclick: () => window.print() }, t('rc_print'))),
    table([
      { key: 'dashboard_count', get: (f) => t(f[0]) },
      { key: 'dashboard_month_col', class: 'num', get: (f) => el('span', { id: 'rc-' + f[0].slice(3) }, String(f[1])) },
    ], figures, { class: 'rc-figures' }),
    el('h3', {}, t('rc_list')),
    table(cols, c.cars_not_reminded, { class: 'rc-missed', empty: 'rc_none' }));
}
