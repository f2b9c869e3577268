// A customer's open complaints (IN-20) as the booking call, the caller's workbench and the
// customer's card show them, so that the advisor can answer "was the problem I reported
// solved?" on the phone. Shared by those screens and the complaints screen (complaints.js).
import { addText, api, can, el, t, timestamp } from './core.js';

addText({
  zh: {
    cpl_open_box: (n) => `未结案投诉 ${n} 件`, cpl_open_none: '没有未结案的投诉',
    cpl_categories: { workmanship: '维修质量', service_attitude: '服务态度', price: '价格', parts_delay: '配件延误', waiting_time: '等待时间', other: '其他' },
    cpl_statuses: { open: '待受理', acknowledged: '已受理', in_progress: '处理中', resolved: '已解决', closed: '已结案', reopened: '重新打开' },
    cpl_resolve_due: '解决期限', cpl_overdue: '超时',
  },
  en: {
    cpl_open_box: (n) => `${n} open complaint${n === 1 ? '' : 's'}`, cpl_open_none: 'No open complaints',
    cpl_categories: { workmanship: 'Workmanship', service_attitude: 'Service attitude', price: 'Price', parts_delay: 'Parts delay', waiting_time: 'Waiting time', other: 'Other' },
    cpl_statuses: { open: 'Open', acknowledged: 'Acknowledged', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened' },
    cpl_resolve_due: 'Resolve by', cpl_overdue: 'Overdue',
  },
});

export const lbl = (table_, v) => (t(table_) || {})[v] || v;

// IN-20: a customer's complaints not closed, with their state and deadlines, for the booking
// call, the workbench and the customer's card. list: the API's open_complaints items.
export function openComplaintsBox(list) {
  const items = list || [];
  return el('div', { class: 'cpl-open' + (items.some((c) => c.overdue) ? ' overdue' : ''), dataset: { count: items.length } },
    el('strong', {}, items.length ? t('cpl_open_box', items.length) : t('cpl_open_none')),
    items.length ? el('ul', {}, items.map((c) => el('li', { class: 'cpl-open-item', dataset: { id: c.id, status: c.status } },
      can('complaint') ? el('a', { href: `#/complaints?id=${c.id}` }, c.number) : c.number, ' ',
      lbl('cpl_categories', c.category), ' · ', el('span', { class: 'tag' + (c.overdue ? ' bad' : '') }, lbl('cpl_statuses', c.status)),
      ' · ', t('cpl_resolve_due'), ' ', timestamp(c.resolve_due_at),
      c.overdue ? [' ', el('span', { class: 'tag bad' }, t('cpl_overdue'))] : null))) : null);
}

// The box for customer id, loaded (complaint workers only; others see nothing).
export async function loadOpenComplaints(customerId) {
  if (!customerId || !can('complaint')) return null;
  const r = await api('GET', `/complaints?customer_id=${customerId}&active=true&limit=50`);
  if (r.status !== 200) return null;
  return openComplaintsBox(r.data.items || []);
}

