// Classes and credit (CRM-2, CRM-3): on the customer card, the class with who set it (by hand or
// by the rules), when and why, and the lock a manager toggles; the credit panel (grade, its
// reasons, the figures); and the managers' credit list (who owes what, since when) with its
// filters, totals, print and CSV export. The rules are the server's (core/classify.h,
// core/credit.h); this only shows them.
import {
  addText, api, busy, can, clear, date, downloadCsv, el, errorLine, errorText, money, notice, registerScreen,
  state, t, table, timestamp,
} from './core.js';

addText({
  zh: {
    cls_card: '客户分类', cls_class: '类别', cls_source: '设定方式', cls_by_rules: '按规则自动', cls_by_hand: '人工设定',
    cls_at: '设定时间', cls_reason: '原因', cls_locked: '已锁定（规则不改）', cls_unlocked: '未锁定（规则每晚重算）',
    cls_lock: '锁定类别', cls_unlock: '解除锁定', cls_lock_done: '已锁定客户类别', cls_unlock_done: '已解除锁定',
    cls_lock_field: '类别锁定', cls_last_visit: '最近到店', cls_earliest_due: '最早保养到期',
    cls_names: { regular: '普通', vip: 'VIP', at_risk: '有流失风险', lost: '已流失' },
    cls_reasons: {
      lost: '超过设定月数未到店', vip_spend: '近 12 个月消费达到 VIP 标准', vip_visits: '近 12 个月到店次数达到 VIP 标准',
      overdue: '定期保养逾期超过设定天数', regular: '未满足其他类别的条件', hand: '人工设定',
    },
    crd_card: '信用分析', crd_grade: '信用等级', crd_reasons: '依据', crd_visits: '近 12 个月到店', crd_spend: '近 12 个月消费',
    crd_avg_days: '平均到店间隔', crd_days: (n) => `${n} 天`, crd_times: (n) => `${n} 次`,
    crd_on_time: '按时结清', crd_on_time_of: (a, b, p) => `${a}/${b}（${p}%）`, crd_outstanding: '未结金额',
    crd_overdue: '逾期金额', crd_overdue_since: '最早逾期自', crd_complaints: '未结投诉',
    crd_reason_names: {
      long_overdue: '有账款逾期超过 60 天', overdue: '有逾期未付账款', late_payer: '按时结清不足一半',
      some_late: '按时结清不足 90%', open_complaints: '有未结投诉', no_visits: '近 12 个月没有到店', good: '付款及时，无不良记录',
    },
    crd_nav: '信用清单', crd_title: (d) => `客户信用清单 · ${d}`, crd_any: '全部', crd_filter_grade: '等级',
    crd_filter_type: '客户类型', crd_only_overdue: '只看逾期', crd_types: { individual: '个人', company: '单位/车队' },
    crd_customer: '客户', crd_type: '类型', crd_statements: '挂账笔数', crd_more: '更多', crd_print: '打印', crd_export: '导出 CSV',
    crd_totals: (n, o, d) => `${n} 位客户，未结 ${o}，其中逾期 ${d}`, crd_empty: '没有符合条件的客户。',
    crd_file: (d) => `客户信用-${d}.csv`,
  },
  en: {
    cls_card: 'Class', cls_class: 'Class', cls_source: 'Set', cls_by_rules: 'by the rules', cls_by_hand: 'by hand',
    cls_at: 'Since', cls_reason: 'Why', cls_locked: 'Locked (the rules leave it)', cls_unlocked: 'Not locked (the rules recompute it nightly)',
    cls_lock: 'Lock the class', cls_unlock: 'Unlock', cls_lock_done: 'The class is locked', cls_unlock_done: 'The class is unlocked',
    cls_lock_field: 'Class locked', cls_last_visit: 'Last visit', cls_earliest_due: 'Earliest service due',
    cls_names: { regular: 'Regular', vip: 'VIP', at_risk: 'At risk', lost: 'Lost' },
    cls_reasons: {
      lost: 'No visit for the set number of months', vip_spend: 'Spend in 12 months at the VIP threshold',
      vip_visits: 'Visits in 12 months at the VIP threshold', overdue: 'Maintenance overdue by more than the set days',
      regular: 'None of the other classes applies', hand: 'Set by hand',
    },
    crd_card: 'Credit', crd_grade: 'Grade', crd_reasons: 'Because', crd_visits: 'Visits (12 months)', crd_spend: 'Spend (12 months)',
    crd_avg_days: 'Days between visits', crd_days: (n) => `${n} days`, crd_times: (n) => `${n}`,
    crd_on_time: 'Paid on time', crd_on_time_of: (a, b, p) => `${a} of ${b} (${p}%)`, crd_outstanding: 'Outstanding',
    crd_overdue: 'Overdue', crd_overdue_since: 'Overdue since', crd_complaints: 'Open complaints',
    crd_reason_names: {
      long_overdue: 'A bill overdue by more than 60 days', overdue: 'An overdue bill', late_payer: 'Under half the bills paid on time',
      some_late: 'Under 90% of the bills paid on time', open_complaints: 'An open complaint', no_visits: 'No visit in 12 months',
      good: 'Pays on time, nothing against',
    },
    crd_nav: 'Credit', crd_title: (d) => `Customer credit · ${d}`, crd_any: 'All', crd_filter_grade: 'Grade',
    crd_filter_type: 'Customer type', crd_only_overdue: 'Only overdue', crd_types: { individual: 'Person', company: 'Company / fleet' },
    crd_customer: 'Customer', crd_type: 'Type', crd_statements: 'Bills', crd_more: 'More', crd_print: 'Print', crd_export: 'Export CSV',
    crd_totals: (n, o, d) => `${n} customers, ${o} outstanding, ${d} of it overdue`, crd_empty: 'No customer matches.',
    crd_file: (d) => `credit-${d}.csv`,
  },
});

const GRADE_TAG = { A: 'ok', B: '', C: 'warn', D: 'bad' };
const name = (map, k) => (t(map) || {})[k] || k;

// CRM-2: the class, who set it and why; a manager locks or unlocks it.
export function classCard(ctx, c) {
  const manager = can('plan_manage') && can('customer_write');
  const lockBtn = manager ? el('button', {
    type: 'button', id: 'cls-lock', 'aria-pressed': c.classification_locked ? 'true' : 'false',
    onclick: (e) => busy(e.currentTarget, async () => {
      const r = await api('PATCH', `/customers/${c.id}`, { classification_locked: !c.classification_locked });
      if (r.status !== 200) { notice(errorText(r), 'error'); return; }
      notice(t(r.data.classification_locked ? 'cls_lock_done' : 'cls_unlock_done'));
      ctx.reload();
    }),
  }, t(c.classification_locked ? 'cls_unlock' : 'cls_lock')) : null;
  const rows = [
    ['cls_class', el('span', { class: 'tag', id: 'cls-class', dataset: { class: c.classification } }, name('cls_names', c.classification))],
    ['cls_source', el('span', { id: 'cls-source', dataset: { source: c.classification_source } }, t(c.classification_source === 'rules' ? 'cls_by_rules' : 'cls_by_hand'))],
    ['cls_at', c.classification_at ? timestamp(c.classification_at) : '—'],
    ['cls_reason', el('span', { id: 'cls-reason' }, c.classification_reason ? name('cls_reasons', c.classification_reason) : '—')],
    ['cls_locked', el('span', { id: 'cls-locked' }, t(c.classification_locked ? 'cls_locked' : 'cls_unlocked'), ' ', lockBtn)],
  ];
  return el('section', { class: 'card archive-section', id: 'cls-card' }, el('h2', {}, t('cls_card')),
    el('dl', { class: 'archive-facts' }, rows.map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)])));
}

function reasonsList(cr) {
  return el('ul', { class: 'archive-plain crd-reasons' }, (cr.reasons || []).map((k) => el('li', { dataset: { reason: k } }, name('crd_reason_names', k))));
}

// CRM-3: the credit panel (printable with the card).
export function creditCard(c) {
  const cr = c.credit;
  if (!cr) return null;
  const rows = [
    ['crd_grade', el('span', { class: 'tag ' + (GRADE_TAG[cr.grade] || ''), id: 'crd-grade' }, cr.grade)],
    ['crd_reasons', reasonsList(cr)],
    ['crd_visits', t('crd_times', cr.visits_12m)],
    ['crd_spend', money(cr.spend_fen_12m)],
    ['crd_avg_days', cr.avg_days_between_visits == null ? '—' : t('crd_days', cr.avg_days_between_visits)],
    ['crd_on_time', cr.on_time_pct == null ? '—' : t('crd_on_time_of', cr.paid_on_time, cr.statements, cr.on_time_pct)],
    ['crd_outstanding', el('span', { id: 'crd-outstanding' }, money(cr.outstanding_fen))],
    ['crd_overdue', el('span', { id: 'crd-overdue', class: cr.overdue_fen > 0 ? 'error' : '' }, money(cr.overdue_fen))],
    ['crd_overdue_since', cr.overdue_since ? date(cr.overdue_since, false) : '—'],
    ['crd_complaints', String(cr.open_complaints || 0)],
  ];
  return el('section', { class: 'card archive-section', id: 'crd-card' }, el('h2', {}, t('crd_card')),
    el('dl', { class: 'archive-facts' }, rows.map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)])));
}

// ---- the managers' list ---------------------------------------------------------------------

registerScreen({
  id: 'credit',
  nav: 'crd_nav',
  allowed: () => can('plan_manage'),
  async render(root, params) {
    let items = [];
    let cursor = null;
    const grade = el('select', { id: 'crd-filter-grade' }, el('option', { value: '' }, t('crd_any')),
      ['A', 'B', 'C', 'D'].map((g) => el('option', { value: g, selected: params.grade === g }, g)));
    const type = el('select', { id: 'crd-filter-type' }, el('option', { value: '' }, t('crd_any')),
      ['individual', 'company'].map((k) => el('option', { value: k, selected: params.type === k }, name('crd_types', k))));
    const overdue = el('input', { type: 'checkbox', id: 'crd-only-overdue', checked: params.overdue === 'true' });
    const summary = el('p', { id: 'crd-summary' });
    const listBox = el('div', { id: 'crd-list' }, el('p', { class: 'muted' }, t('loading')));
    const moreBtn = el('button', { type: 'button', id: 'crd-more', hidden: true, onclick: (e) => busy(e.currentTarget, () => load(true)) }, t('crd_more'));
    const exportBtn = el('button', { type: 'button', id: 'crd-export', onclick: () => downloadCsv(t('crd_file', state.today), columns, items) }, t('crd_export'));
    for (const x of [grade, type, overdue]) x.addEventListener('change', () => load(false));
    clear(root,
      el('div', { class: 'toolbar' }, el('h1', {}, t('crd_title', date(state.today))), el('span', { class: 'archive-spacer' }),
        el('button', { type: 'button', id: 'crd-print', onclick: () => window.print() }, t('crd_print')), exportBtn),
      el('div', { class: 'row' },
        el('label', {}, t('crd_filter_grade') + ' ', grade), el('label', {}, t('crd_filter_type') + ' ', type),
        el('label', {}, overdue, ' ' + t('crd_only_overdue'))),
      summary, listBox, moreBtn);

    const columns = [
      { key: 'crd_customer', get: (x) => el('a', { href: `#/archive?customer=${x.customer_id}`, dataset: { customerId: x.customer_id } }, x.name), csv: (x) => x.name },
      { key: 'crd_type', get: (x) => name('crd_types', x.type), csv: (x) => name('crd_types', x.type) },
      { key: 'crd_grade', get: (x) => el('span', { class: 'tag ' + (GRADE_TAG[x.grade] || '') }, x.grade), csv: (x) => x.grade },
      { key: 'crd_reasons', get: (x) => reasonsList(x), csv: (x) => (x.reasons || []).map((k) => name('crd_reason_names', k)).join('; ') },
      { key: 'crd_outstanding', class: 'num', get: (x) => money(x.outstanding_fen), csv: (x) => (x.outstanding_fen / 100).toFixed(2) },
      { key: 'crd_overdue', class: 'num', get: (x) => money(x.overdue_fen), csv: (x) => (x.overdue_fen / 100).toFixed(2) },
      { key: 'crd_overdue_since', get: (x) => (x.overdue_since ? date(x.overdue_since, false) : '—'), csv: (x) => x.overdue_since || '' },
      { key: 'crd_on_time', get: (x) => (x.on_time_pct == null ? '—' : t('crd_on_time_of', x.paid_on_time, x.statements, x.on_time_pct)),
        csv: (x) => (x.on_time_pct == null ? '' : `${x.paid_on_time}/${x.statements}`) },
      { key: 'crd_visits', class: 'num', get: (x) => String(x.visits_12m), csv: (x) => x.visits_12m },
      { key: 'crd_spend', class: 'num', get: (x) => money(x.spend_fen_12m), csv: (x) => (x.spend_fen_12m / 100).toFixed(2) },
    ];

    async function load(more) {
      const q = new URLSearchParams({ limit: '100' });
      if (grade.value) q.set('grade', grade.value);
      if (type.value) q.set('type', type.value);
      if (overdue.checked) q.set('overdue', 'true');
      if (more && cursor) q.set('cursor', cursor);
      history.replaceState(null, '', '#/credit?' + new URLSearchParams([...q].filter(([k]) => k !== 'limit' && k !== 'cursor')));
      const r = await api('GET', '/reports/credit?' + q);
      if (!root.isConnected) return;
      if (r.status !== 200) { clear(listBox, errorLine(t('load_failed', errorText(r)))); return; }
      items = more ? items.concat(r.data.items || []) : r.data.items || [];
      cursor = r.data.next_cursor;
      const tt = r.data.totals || {};
      clear(summary, t('crd_totals', tt.customers || 0, money(tt.outstanding_fen || 0), money(tt.overdue_fen || 0)));
      clear(listBox, table(columns, items, { class: 'crd-table', empty: 'crd_empty', rowAttrs: (x) => ({ class: 'crd-row', dataset: { customerId: x.customer_id, grade: x.grade } }) }));
      moreBtn.hidden = !cursor;
      exportBtn.disabled = items.length === 0;
    }
    await load(false);
  },
});
