// The papers the customer signs or takes home, A4 portrait, one page where it fits: the repair
// order with its signature lines (维修委托书, RO-1, RO-3), the statement (结算单, RO-7) and the
// customer card (客户管理卡, CRM-7: profile, cars, service history, next service). Each is a
// screen that shows the sheet as it will print (a preview with a Print button); while one is
// shown, print_doc.css turns the page portrait (the board prints landscape: print.css).
import {
  addText, api, apiAll, can, clear, date, el, errorLine, errorText, get, km, localTime, money, person, registerScreen,
  state, t, table, timestamp,
} from './core.js';
import { broughtText, decisionText } from './repair_order.js';
import { approverName, discountApprovers, lbl } from './ro_common.js';

addText({
  zh: {
    doc_print: '打印', doc_back: '返回',
    doc_order_title: '维修委托书', doc_statement_title: '结算单', doc_card_title: '客户管理卡',
    doc_no: '单号', doc_date: '日期', doc_customer: '客户', doc_phone: '电话', doc_plate: '车牌', doc_model: '品牌车型', doc_vin: 'VIN',
    doc_mileage: '进厂里程', doc_fuel: '油量', doc_arrived: '进厂时间', doc_promised: '预计交车', doc_advisor: '服务顾问',
    doc_brought: '送修人', doc_waiting: '在店等候', doc_words: '客户描述', doc_damage: '环车检查（已有损伤）',
    doc_work: '维修项目与配件', doc_estimate: '预估费用', doc_labour: '工时费', doc_parts: '配件费', doc_due: '客户应付',
    doc_terms: '以上项目经客户确认后施工；维修中发现的新增项目须经客户同意后方可施工。车内贵重物品请客户自行保管。',
    doc_sign_customer: '客户签字', doc_sign_advisor: '服务顾问签字', doc_sign_cashier: '收款人签字', doc_sign_date: '日期',
    doc_delivered: '交车时间', doc_by_payer: '按付费方小计', doc_discount: '优惠', doc_approved: (n) => `（批准：${n}）`,
    doc_payments: '付款方式', doc_declined: '客户未同意的项目（下次来店时可再做）', doc_total: '合计',
    doc_profile: '客户资料', doc_type: '类型', doc_class: '分类', doc_email: '电子邮件', doc_address: '地址', doc_needs: '个性化需求',
    doc_needs_note: '需求备注', doc_drivers: '常用司机 / 送修人', doc_cars: '车辆', doc_history: '维修保养记录',
    doc_next: '下次保养', doc_next_due: (d, k) => `${d}${k ? ' 或 ' + k : ''}（以先到为准）`, doc_last_visit: '最近进厂',
    doc_purchase: '购车日期', doc_km: '最新里程', doc_card_no: '档案号', doc_insurance: '保险到期', doc_inspection: '年检到期', doc_kind: '类别', doc_items: '项目', doc_amount: '金额',
    doc_printed: (when, who) => `打印：${when} · ${who}`,
    doc_types: { individual: '个人', company: '单位 / 车队' }, doc_classes: { regular: '普通', vip: 'VIP', at_risk: '有流失风险', lost: '已流失' },
    doc_kinds: { maintenance: '保养', repair: '维修', warranty: '索赔', recall: '召回', accident: '事故', other: '其他' },
  },
  en: {
    doc_print: 'Print', doc_back: 'Back',
    doc_order_title: 'Repair order', doc_statement_title: 'Statement', doc_card_title: 'Customer card',
    doc_no: 'No.', doc_date: 'Date', doc_customer: 'Customer', doc_phone: 'Phone', doc_plate: 'Plate', doc_model: 'Make and model', doc_vin: 'VIN',
    doc_mileage: 'Odometer', doc_fuel: 'Fuel', doc_arrived: 'Arrived', doc_promised: 'Promised', doc_advisor: 'Advisor',
    doc_brought: 'Brought by', doc_waiting: 'Waiting', doc_words: "Customer's words", doc_damage: 'Walk-around (existing damage)',
    doc_work: 'Work and parts', doc_estimate: 'Estimate', doc_labour: 'Labour', doc_parts: 'Parts', doc_due: 'Customer pays',
    doc_terms: 'Work is done as agreed above; work found during the job is done only with the customer\'s approval. Please keep valuables with you.',
    doc_sign_customer: 'Customer signature', doc_sign_advisor: 'Advisor signature', doc_sign_cashier: 'Cashier signature', doc_sign_date: 'Date',
    doc_delivered: 'Delivered', doc_by_payer: 'Subtotals by payer', doc_discount: 'Discount', doc_approved: (n) => ` (approved by ${n})`,
    doc_payments: 'Payments', doc_declined: 'Work declined (can be done at the next visit)', doc_total: 'Total',
    doc_profile: 'Profile', doc_type: 'Type', doc_class: 'Class', doc_email: 'E-mail', doc_address: 'Address', doc_needs: 'Personal needs',
    doc_needs_note: 'Needs note', doc_drivers: 'Drivers', doc_cars: 'Cars', doc_history: 'Service history',
    doc_next: 'Next service', doc_next_due: (d, k) => `${d}${k ? ' or ' + k : ''}, whichever comes first`, doc_last_visit: 'Last visit',
    doc_purchase: 'Bought', doc_km: 'Mileage', doc_card_no: 'Card no.', doc_insurance: 'Insurance expires', doc_inspection: 'Inspection due', doc_kind: 'Kind', doc_items: 'Items', doc_amount: 'Amount',
    doc_printed: (when, who) => `Printed ${when} · ${who}`,
    doc_types: { individual: 'Individual', company: 'Company / fleet' }, doc_classes: { regular: 'Regular', vip: 'VIP', at_risk: 'At risk', lost: 'Lost' },
    doc_kinds: { maintenance: 'Maintenance', repair: 'Repair', warranty: 'Warranty', recall: 'Recall', accident: 'Accident', other: 'Other' },
  },
});

// While a sheet is shown, the printed page is A4 portrait: print_doc.css, linked after
// print.css, overrides its landscape @page. Resolves to the function that takes it away.
function portrait() {
  let link = document.getElementById('print-doc-css');
  if (!link) {
    link = el('link', { id: 'print-doc-css', rel: 'stylesheet', href: '/css/print_doc.css', media: 'print' });
    document.head.append(link);
  }
  return () => link.remove();
}

function sheet(kind, title, ...children) {
  const store = (state.me && state.me.store) || {};
  return el('article', { class: 'doc-sheet', id: 'doc-' + kind, dataset: { doc: kind } },
    el('header', { class: 'doc-head' },
      el('div', { class: 'doc-store' }, store.name || ''),
      el('h1', {}, title)),
    ...children,
    el('footer', { class: 'doc-foot muted' }, t('doc_printed', timestamp(new Date().toISOString()), (state.me && state.me.user.display_name) || '')));
}

function toolbar(back) {
  return el('div', { class: 'toolbar doc-toolbar' },
    el('a', { href: back, class: 'button', id: 'doc-back' }, '← ' + t('doc_back')),
    el('button', { type: 'button', class: 'primary', id: 'doc-print', onclick: () => window.print() }, t('doc_print')));
}

// A grid of label/value pairs, four to a row.
function info(rows) {
  return el('table', { class: 'doc-info' }, el('tbody', {}, chunk(rows.filter(Boolean), 2).map((pair) => el('tr', {},
    pair.map(([k, v]) => [el('th', {}, t(k)), el('td', {}, v === null || v === undefined || v === '' ? '—' : v)])))));
}

function chunk(a, n) {
  const out = [];
  for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
  return out;
}

function signatures(keys) {
  return el('div', { class: 'doc-signs' }, keys.map((k) => el('div', { class: 'doc-sign' },
    el('span', {}, t(k) + '：'), el('span', { class: 'doc-line' }), el('span', {}, t('doc_sign_date') + '：'), el('span', { class: 'doc-line short' }))));
}

const counts = (l) => l.decision !== 'declined' && l.decision !== 'pending';

function docLines(lines, withDecision) {
  return table([
    { key: 'ro_col_type', get: (l) => lbl('ro_line_type', l.type) },
    { key: 'ro_col_code', get: (l) => l.code || '' },
    { key: 'ro_col_name', get: (l) => [l.name || '', l.perk ? ' (' + t('ro_perk') + ')' : ''] },
    { key: 'ro_col_hours', class: 'num', get: (l) => (l.type === 'labour' && l.hours != null ? String(l.hours) : '') },
    { key: 'ro_col_qty', class: 'num', get: (l) => (l.qty != null ? String(l.qty) : '') },
    { key: 'ro_col_price', class: 'num', get: (l) => (l.type === 'part' ? money(l.unit_price_fen) : money(l.labour_fen)) },
    { key: 'ro_col_amount', class: 'num', get: (l) => money(l.amount_fen) },
    { key: 'ro_col_payer', get: (l) => lbl('ro_payer', l.payer) },
    withDecision ? { key: 'ro_col_decision', get: (l) => decisionText(l) } : null,
  ].filter(Boolean), lines, { class: 'doc-lines' });
}

function orderInfo(o, c) {
  const v = o.vehicle || {};
  return info([
    ['doc_customer', person(o.customer)], ['doc_phone', c ? c.phone : null],
    ['doc_plate', v.plate], ['doc_model', [v.brand, v.model].filter(Boolean).join(' ')],
    ['doc_vin', v.vin], ['doc_mileage', km(o.mileage_km)],
    ['doc_arrived', timestamp(o.arrived_at)], ['doc_promised', o.promised_at ? localTime(o.promised_at) : null],
    ['doc_advisor', o.advisor && o.advisor.name], ['doc_brought', broughtText(o.brought_by)],
  ]);
}

function orderDoc(o, c) {
  return sheet('order', t('doc_order_title'),
    el('p', { class: 'doc-no' }, t('doc_no') + '：', el('strong', {}, o.number || '#' + o.id), '　', t('doc_date') + '：', date(o.date || state.today, false)),
    orderInfo(o, c),
    info([['doc_fuel', o.fuel_eighths == null ? null : t('ro_fuel', o.fuel_eighths)], ['doc_waiting', o.waiting ? t('ro_yes') : t('ro_no')]]),
    el('h2', {}, t('doc_words')), el('p', { class: 'doc-box' }, o.customer_words || '—'),
    el('h2', {}, t('doc_damage')), el('p', { class: 'doc-box' }, o.damage_notes || '—'),
    el('h2', {}, t('doc_work')), docLines(o.lines || [], true),
    el('p', { class: 'doc-sum' }, t('doc_estimate') + '：', t('doc_labour') + ' ' + money(o.labour_fen), '　', t('doc_parts') + ' ' + money(o.parts_fen),
      '　', el('strong', {}, t('doc_due') + ' ' + money(o.amount_due_fen))),
    el('p', { class: 'doc-terms' }, t('doc_terms')),
    signatures(['doc_sign_customer', 'doc_sign_advisor']));
}

function statementDoc(o, c, approvers) {
  const lines = o.lines || [];
  const labour = lines.filter((l) => l.type === 'labour' && counts(l));
  const parts = lines.filter((l) => l.type === 'part' && counts(l));
  const declined = lines.filter((l) => l.decision === 'declined');
  return sheet('statement', t('doc_statement_title'),
    el('p', { class: 'doc-no' }, t('doc_no') + '：', el('strong', {}, o.number || '#' + o.id), '　', t('doc_delivered') + '：', timestamp(o.delivered_at || o.settled_at)),
    orderInfo(o, c),
    el('h2', {}, t('doc_labour'), ' ', money(o.labour_fen)), docLines(labour, false),
    parts.length ? [el('h2', {}, t('doc_parts'), ' ', money(o.parts_fen)), docLines(parts, false)] : null,
    el('div', { class: 'doc-cols' },
      el('table', { class: 'doc-info doc-payers' }, el('caption', {}, t('doc_by_payer')), el('tbody', {},
        Object.entries(o.by_payer || {}).map(([p, fen]) => el('tr', {}, el('th', {}, lbl('ro_payer', p)), el('td', { class: 'num' }, money(fen)))),
        el('tr', {}, el('th', {}, t('doc_discount')), el('td', { class: 'num' }, '-' + money(o.discount_fen || 0),
          o.discount_approved_by ? t('doc_approved', approverName(approvers, o.discount_approved_by)) : '')),
        el('tr', { class: 'doc-due' }, el('th', {}, t('doc_due')), el('td', { class: 'num' }, money(o.amount_due_fen))))),
      el('table', { class: 'doc-info doc-payments' }, el('caption', {}, t('doc_payments')), el('tbody', {},
        (o.payments || []).map((p) => el('tr', { dataset: { method: p.method } }, el('th', {}, lbl('ro_method', p.method)), el('td', { class: 'num' }, money(p.amount_fen)))),
        el('tr', { class: 'doc-due' }, el('th', {}, t('doc_total')), el('td', { class: 'num' }, money((o.payments || []).reduce((a, p) => a + (p.amount_fen || 0), 0))))))),
    declined.length ? [el('h2', {}, t('doc_declined')), el('ul', { class: 'doc-declined' }, declined.map((l) => el('li', {}, `${l.code || ''} ${l.name || ''}`)))] : null,
    signatures(['doc_sign_customer', 'doc_sign_cashier']));
}

registerScreen({
  id: 'ro-print',
  nav: null,
  allowed: () => can('archive_read'),
  async render(root, params) {
    const done = portrait();
    const r = await api('GET', `/repair-orders/${Number(params.id)}`);
    if (r.status !== 200) { clear(root, errorLine(t('load_failed', errorText(r)))); return done; }
    const o = r.data;
    const c = o.customer ? await api('GET', `/customers/${o.customer.id}`) : null;
    const customer = c && c.status === 200 ? c.data : null;
    const approvers = o.discount_approved_by ? await discountApprovers() : [];
    clear(root, toolbar(`#/repair-order?id=${o.id}`),
      params.doc === 'statement' ? statementDoc(o, customer, approvers) : orderDoc(o, customer));
    return done;
  },
});

// ---- the customer card (CRM-7) ----
function nextDue(v) {
  const n = v.next_service;
  if (!n || (!n.due_date && n.due_km == null)) return '—';
  return t('doc_next_due', date(n.due_date, false), n.due_km != null ? km(n.due_km) : '');
}

function cardDoc(c, vehicles, history) {
  const dl = (l, v) => (t(l) || {})[v] || v || '—';
  return sheet('card', t('doc_card_title'),
    el('p', { class: 'doc-no' }, t('doc_card_no') + '：', el('strong', {}, 'C' + c.id), '　', t('doc_date') + '：', date(state.today, false)),
    el('h2', {}, t('doc_profile')),
    info([
      ['doc_customer', person(c)], ['doc_phone', (c.phones || []).map((p) => p.number).join('、') || c.phone],
      ['doc_type', dl('doc_types', c.type)],
      // CRM-2: the class, by hand or by the rules, and why; CRM-3: the credit grade and its reasons.
      ['doc_class', [dl('doc_classes', c.classification), '（', t(c.classification_source === 'rules' ? 'cls_by_rules' : 'cls_by_hand'),
        c.classification_reason ? '：' + ((t('cls_reasons') || {})[c.classification_reason] || c.classification_reason) : '', '）'].join('')],
      ['crd_grade', c.credit ? `${c.credit.grade}（${(c.credit.reasons || []).map((k) => (t('crd_reason_names') || {})[k] || k).join('；')}）` : '—'],
      ['crd_outstanding', c.credit ? `${money(c.credit.outstanding_fen)}（${t('crd_overdue')} ${money(c.credit.overdue_fen)}）` : '—'],
      ['doc_email', c.email], ['doc_address', c.address],
      ['doc_needs', (c.needs || []).map((n) => lbl('ro_need', n)).join('、')], ['doc_needs_note', c.needs_note],
      ['doc_drivers', (c.drivers || []).map((d) => `${d.name}${d.relation ? '（' + d.relation + '）' : ''} ${d.phone || ''}`).join('；')],
    ]),
    el('h2', {}, t('doc_cars')),
    table([
      { key: 'doc_plate', get: (v) => v.plate || '—' },
      { key: 'doc_model', get: (v) => [v.brand, v.model, v.model_year].filter(Boolean).join(' ') },
      { key: 'doc_vin', get: (v) => v.vin || '—' },
      { key: 'doc_purchase', get: (v) => date(v.purchase_date, false) },
      { key: 'doc_km', class: 'num', get: (v) => km(v.mileage_km) },
      { key: 'doc_last_visit', get: (v) => date(v.last_visit_date, false) },
      { key: 'doc_insurance', get: (v) => date(v.insurance_expiry, false) },
    ], vehicles, { class: 'doc-cars' }),
    el('h2', {}, t('doc_next')),
    el('ul', { class: 'doc-next' }, vehicles.map((v) => el('li', {}, el('strong', {}, v.plate || v.vin), '：', nextDue(v)))),
    el('h2', {}, t('doc_history')),
    table([
      { key: 'doc_date', get: (x) => date(x.date, false) },
      { key: 'doc_plate', get: (x) => x.plate },
      { key: 'doc_kind', get: (x) => dl('doc_kinds', x.kind) },
      { key: 'doc_mileage', class: 'num', get: (x) => km(x.mileage_km) },
      { key: 'doc_items', get: (x) => [...(x.labour || []).map((l) => l.operation || l.code), ...(x.parts || []).map((p) => p.name || p.part_no)].filter(Boolean).slice(0, 4).join('、') },
      { key: 'doc_amount', class: 'num', get: (x) => money(x.total_fen) },
    ], history, { class: 'doc-history' }));
}

registerScreen({
  id: 'customer-print',
  nav: null,
  allowed: () => can('archive_read'),
  async render(root, params) {
    const done = portrait();
    const id = Number(params.id);
    let c;
    try {
      c = await get(`/customers/${id}`);
    } catch (e) {
      clear(root, errorLine(e.message));
      return done;
    }
    const vr = await apiAll(`/customers/${id}/vehicles`);
    const vehicles = vr.status === 200 ? vr.data.items : [];
    // The last visits of every car, newest first; the ten that fit the page.
    const lists = await Promise.all(vehicles.map((v) => api('GET', `/vehicles/${v.id}/service-records?limit=10`)));
    const history = lists.flatMap((x, i) => (x.status === 200 ? x.data.items || [] : []).map((r) => ({ ...r, plate: vehicles[i].plate })))
      .sort((a, b) => String(b.date).localeCompare(String(a.date))).slice(0, 10);
    clear(root, toolbar(`#/archive?customer=${id}`), cardDoc(c, vehicles, history));
    return done;
  },
});
