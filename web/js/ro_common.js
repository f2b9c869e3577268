// What the reception, the repair order, the technician's jobs and the print views share
// (RO-1..RO-7, MR-7, CRM-5): the texts of statuses, payers, payment methods and decisions;
// money typed in yuan; the check-in form (a booked car or a walk-in); the quick registration
// of an unknown walk-in; the orders as a table; the car's declined work (RO-4) as the booking
// call and the workbench show it. Every server value reaches the page through el() as text.
import {
  addText, api, busy, can, date, el, errorText, field, hhmm, km, localTime, money, notice, person, state, t, table,
  timestamp,
} from './core.js';

export const STATUSES = ['open', 'in_progress', 'qc', 'ready', 'settled', 'delivered', 'cancelled'];
export const PAYERS = ['customer', 'warranty', 'insurance', 'internal', 'free'];
export const METHODS = ['cash', 'card', 'wechat', 'alipay', 'transfer', 'on_account'];
const NEEDS = ['pickup', 'delivery', 'accessories', 'insurance_renewal', 'claim', 'wash'];

addText({
  zh: {
    ro_status: { open: '已接车', in_progress: '维修中', qc: '质检中', ready: '待交车', settled: '已结算', delivered: '已交车', cancelled: '已取消' },
    ro_source: { appointment: '预约', walk_in: '直接入厂' },
    ro_payer: { customer: '客户', warranty: '索赔', insurance: '保险', internal: '内部', free: '免费' },
    ro_method: { cash: '现金', card: '银行卡', wechat: '微信支付', alipay: '支付宝', transfer: '转账', on_account: '挂账' },
    ro_decision: { pending: '待客户确认', approved: '客户同意', declined: '客户拒绝' },
    ro_via: { phone: '电话', in_person: '当面' },
    ro_line_type: { labour: '工时', part: '配件' },
    ro_stock: { none: '—', reserved: '已预留', on_order: '已订货', issued: '已领料', returned: '已退库' },
    ro_kind: { maintenance: '保养', repair: '维修', warranty: '索赔', recall: '召回', accident: '事故', other: '其他' },
    ro_need: { pickup: '接车', delivery: '送车', accessories: '精品', insurance_renewal: '续保', claim: '理赔', wash: '洗车' },
    ro_fuel: (n) => (n === 0 ? 'E（空）' : n === 8 ? 'F（满）' : `${n}/8`),
    ro_number: '工单号', ro_plate: '车牌', ro_customer: '客户', ro_vehicle: '车辆', ro_status_col: '状态',
    ro_arrived: '到店', ro_promised: '承诺交车', ro_bay_tech: '工位 / 技师', ro_source_col: '来源',
    ro_queue_pos: (n) => `排队第 ${n} 位`, ro_open: '打开',
    // check-in
    ci_title_booked: (plate) => `预约接车：${plate}`, ci_title_walkin: (plate) => `直接入厂接车：${plate}`,
    ci_km: '进厂里程（公里）', ci_km_last: (k, d) => `上次读数 ${k}（${d}）`, ci_fuel: '油量',
    ci_damage: '环车检查（已有损伤）', ci_damage_ph: '例如：右后门划痕、前保险杠轻微凹陷',
    ci_words: '客户描述（客户原话，可修改）', ci_brought: '送修人',
    ci_owner: (n) => `车主本人：${n}`, ci_driver: (n, r) => `常用司机：${n}${r ? '（' + r + '）' : ''}`, ci_new_driver: '其他人（新登记）',
    ci_driver_name: '送修人姓名', ci_driver_phone: '送修人电话', ci_driver_relation: '关系',
    ci_waiting: '客户在店等候', ci_promised: '承诺交车时间', ci_ops: '维修项目',
    ci_submit: '确认接车', ci_cancel: '取消', ci_need_ops: '请至少选择一个维修项目',
    ci_need_km: '请填写进厂里程', ci_booked_ops: '预约项目', ci_perks: '预约客户免费项目',
    ci_prepare: '需准备', ci_done: (n) => `已接车，工单 ${n}`,
    ci_benefits_title: '请告诉客户：下次预约的好处', ci_benefits_default: '预约客户优先接待、等候时间更短、配件提前备好，并可免费享受部分项目。',
    ci_to_order: '打开工单',
    // quick registration (walk-in)
    qr_title: '新客户快速登记', qr_name: '姓名或单位', qr_title_field: '称呼', qr_phone: '电话',
    qr_consent_phone: '同意电话联系', qr_consent_sms: '同意接收短信', qr_plate: '车牌', qr_vin: 'VIN',
    qr_vin_skip: '进口或老车，不校验 VIN', qr_brand: '品牌', qr_model: '车型', qr_save: '登记并接车',
    qr_customer_kept: (id) => `客户已登记（#${id}），车辆未登记：`, qr_titles: { '先生': '先生', '女士': '女士', '': '（无）' },
    // declined work
    dw_title: '客户上次拒绝的项目（请再次推荐）', dw_declined_on: (d, n) => `${d} 工单 ${n} 拒绝`,
    dw_add: '加入本次预约', dw_added: '已加入', dw_dismiss: '不再提示', dw_dismissed: '已不再提示',
    // errors of the repair-order API in words
    err_not_today: '只能接今天的预约', err_already_checked_in: '这个预约已经接车了',
    err_invalid_transition: '当前状态不能做这个操作', err_order_closed: '工单已关闭，不能修改',
    err_out_of_stock: '库存不足', err_booked_first: '还有预约客户在排队，需先派工预约车辆',
    err_parts_not_received: '还有配件未到货，不能开工', err_clocked_on: '该技师正在另一个项目上打卡',
    err_already_decided: '客户已经做过决定', err_already_settled: '工单已结算',
    err_decision_pending: '还有待客户确认的项目，不能结算', err_payments_mismatch: '付款合计与应收金额不符',
    err_mileage_inconsistent: '里程与已有记录不符，请核对', err_repair_order_required: '请通过接车开工单',
    err_slot_taken: '该时间已被占用', err_slot_unavailable: '现在没有空闲的工位或技师',
  },
  en: {
    ro_status: { open: 'Received', in_progress: 'In work', qc: 'Quality check', ready: 'Ready', settled: 'Settled', delivered: 'Delivered', cancelled: 'Cancelled' },
    ro_source: { appointment: 'Booked', walk_in: 'Walk-in' },
    ro_payer: { customer: 'Customer', warranty: 'Warranty', insurance: 'Insurance', internal: 'Internal', free: 'Free' },
    ro_method: { cash: 'Cash', card: 'Bank card', wechat: 'WeChat Pay', alipay: 'Alipay', transfer: 'Transfer', on_account: 'On account' },
    ro_decision: { pending: 'Awaiting customer', approved: 'Approved', declined: 'Declined' },
    ro_via: { phone: 'Phone', in_person: 'In person' },
    ro_line_type: { labour: 'Labour', part: 'Part' },
    ro_stock: { none: '—', reserved: 'Reserved', on_order: 'On order', issued: 'Issued', returned: 'Returned' },
    ro_kind: { maintenance: 'Maintenance', repair: 'Repair', warranty: 'Warranty', recall: 'Recall', accident: 'Accident', other: 'Other' },
    ro_need: { pickup: 'Pick-up', delivery: 'Delivery', accessories: 'Accessories', insurance_renewal: 'Insurance renewal', claim: 'Claim', wash: 'Wash' },
    ro_fuel: (n) => (n === 0 ? 'E (empty)' : n === 8 ? 'F (full)' : `${n}/8`),
    ro_number: 'Order no.', ro_plate: 'Plate', ro_customer: 'Customer', ro_vehicle: 'Vehicle', ro_status_col: 'Status',
    ro_arrived: 'Arrived', ro_promised: 'Promised', ro_bay_tech: 'Bay / technician', ro_source_col: 'Source',
    ro_queue_pos: (n) => `#${n} in the queue`, ro_open: 'Open',
    ci_title_booked: (plate) => `Check-in (booked): ${plate}`, ci_title_walkin: (plate) => `Check-in (walk-in): ${plate}`,
    ci_km: 'Odometer (km)', ci_km_last: (k, d) => `last reading ${k} (${d})`, ci_fuel: 'Fuel',
    ci_damage: 'Walk-around (existing damage)', ci_damage_ph: 'e.g. scratch on the right rear door',
    ci_words: "The customer's words (editable)", ci_brought: 'Brought by',
    ci_owner: (n) => `The owner: ${n}`, ci_driver: (n, r) => `Driver: ${n}${r ? ' (' + r + ')' : ''}`, ci_new_driver: 'Someone else (new)',
    ci_driver_name: 'Name', ci_driver_phone: 'Phone', ci_driver_relation: 'Relation',
    ci_waiting: 'The customer waits in the store', ci_promised: 'Promised time', ci_ops: 'Work',
    ci_submit: 'Check in', ci_cancel: 'Cancel', ci_need_ops: 'Choose at least one operation',
    ci_need_km: 'Enter the odometer reading', ci_booked_ops: 'Booked work', ci_perks: 'Free for booked customers',
    ci_prepare: 'To prepare', ci_done: (n) => `Checked in: order ${n}`,
    ci_benefits_title: 'Tell the customer: why book next time', ci_benefits_default: 'Booked customers are served first, wait less, find their parts ready and get some work free.',
    ci_to_order: 'Open the order',
    qr_title: 'Quick registration', qr_name: 'Name or company', qr_title_field: 'Title', qr_phone: 'Phone',
    qr_consent_phone: 'Agrees to phone calls', qr_consent_sms: 'Agrees to text messages', qr_plate: 'Plate', qr_vin: 'VIN',
    qr_vin_skip: 'Imported or old car: do not check the VIN', qr_brand: 'Brand', qr_model: 'Model', qr_save: 'Register and check in',
    qr_customer_kept: (id) => `Customer registered (#${id}); the car is not:`, qr_titles: { '先生': 'Mr (先生)', '女士': 'Ms (女士)', '': '(none)' },
    dw_title: 'Work the customer declined last time (offer it again)', dw_declined_on: (d, n) => `declined ${d}, order ${n}`,
    dw_add: 'Add to this booking', dw_added: 'Added', dw_dismiss: 'Do not offer again', dw_dismissed: 'Will not be offered again',
    err_not_today: 'Only a booking of today can be checked in', err_already_checked_in: 'This booking is already checked in',
    err_invalid_transition: 'Not possible in the current status', err_order_closed: 'The order is closed',
    err_out_of_stock: 'Not enough in stock', err_booked_first: 'A booked car is waiting: dispatch it first',
    err_parts_not_received: 'A part is still on order', err_clocked_on: 'The technician is clocked on another line',
    err_already_decided: 'The customer has decided already', err_already_settled: 'The order is settled already',
    err_decision_pending: 'A line awaits the customer\'s decision', err_payments_mismatch: 'The payments do not add up to the amount due',
    err_mileage_inconsistent: 'The mileage disagrees with earlier readings; check it', err_repair_order_required: 'Check the car in at reception',
    err_slot_taken: 'That time is taken', err_slot_unavailable: 'No bay or technician is free now',
  },
});

// A label from one of the tables above; an unknown value shows itself.
export const lbl = (group, v) => (v === null || v === undefined || v === '' ? '—' : ((t(group) || {})[v] ?? String(v)));

export const mayReceive = () => can('repair_order');

// The store's service managers, who may approve a discount (RO-7): GET /reception's
// discount_approvers [{id, name}], asked once per signed-in user; [] when it cannot be read.
let approvers = null; // {who, list}
export async function discountApprovers() {
  const who = state.me ? `${state.me.user.id}@${state.me.store.id}` : '';
  if (approvers && approvers.who === who) return approvers.list;
  const r = await api('GET', '/reception?date=' + encodeURIComponent(state.today || ''));
  const list = r.status === 200 ? r.data.discount_approvers || [] : [];
  if (r.status === 200) approvers = { who, list };
  return list;
}

// Who approved an order's discount, by name when the list has them, else by user number.
export function approverName(list, id) {
  if (!id) return '';
  const u = (list || []).find((x) => x.id === id);
  return u ? u.name : '#' + id;
}
export const mayWork = () => can('dispatch');

// Yuan as typed ("120", "120.5", "1,200.00") to integer fen, exactly; null when it is not money.
export function toFen(s) {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(s).replace(/[,\s¥]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

// Fen as the yuan a money input shows: 12050 → "120.50".
export const toYuan = (fen) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

export function statusTag(status) {
  const cls = { ready: 'ok', settled: 'ok', delivered: 'ok', cancelled: 'bad', qc: 'warn', in_progress: 'warn' }[status] || '';
  return el('span', { class: 'tag ro-status ' + cls, dataset: { status } }, lbl('ro_status', status));
}

export function sourceTag(source) {
  return el('span', { class: 'tag ro-source ' + (source === 'appointment' ? 'ok' : ''), dataset: { source } }, lbl('ro_source', source));
}

// The booking's personal services and the profile's needs (IN-17, CRM-6), once each.
export function needTags(a) {
  const all = [...new Set([...(a.services || []), ...(a.customer_needs || [])])];
  return all.map((n) => el('span', { class: 'tag warn' }, lbl('ro_need', n)));
}

// The perks a booking brings (RO-1): its own, or the store's (GET /reception's booked_perks);
// codes, or operations with names.
export function perkText(a, storePerks) {
  const p = a.perks || a.booked_perks || storePerks || [];
  return p.map((x) => (typeof x === 'string' ? x : [x.code, x.name].filter(Boolean).join(' '))).join('、');
}

// What a walk-in is told (RO-2): the server's words, whatever their shape, or ours.
export function benefitsBox(benefits) {
  let items = [];
  if (typeof benefits === 'string') items = [benefits];
  else if (Array.isArray(benefits)) items = benefits.map((b) => (typeof b === 'string' ? b : b.text || b.name || b.title || JSON.stringify(b)));
  else if (benefits && typeof benefits === 'object') {
    if (benefits.text) items.push(benefits.text);
    for (const v of Object.values(benefits)) {
      if (Array.isArray(v)) items.push(...v.map((b) => (typeof b === 'string' ? b : b.name || b.code || JSON.stringify(b))));
    }
  }
  if (!items.length) items = [t('ci_benefits_default')];
  return el('section', { id: 'walkin-benefits', class: 'card ro-benefits', role: 'status' },
    el('h2', {}, t('ci_benefits_title')), el('ul', {}, items.map((x) => el('li', {}, String(x)))));
}

// The orders of a reception list as a table: each row opens the order.
export function orderTable(rows, opts = {}) {
  return table([
    { key: 'ro_number', get: (o) => el('a', { href: `#/repair-order?id=${o.id}`, class: 'ro-link', dataset: { orderId: o.id } }, o.number || '#' + o.id) },
    { key: 'ro_plate', get: (o) => (o.vehicle && o.vehicle.plate) || '—' },
    { key: 'ro_customer', get: (o) => person(o.customer) },
    { key: 'ro_source_col', get: (o) => sourceTag(o.source) },
    { key: 'ro_status_col', get: (o) => [statusTag(o.status), o.queued && o.queue_position ? el('span', { class: 'muted' }, ' ' + t('ro_queue_pos', o.queue_position)) : null,
      o.pending_decisions ? el('span', { class: 'tag warn' }, lbl('ro_decision', 'pending')) : null] },
    { key: 'ro_arrived', get: (o) => timestamp(o.arrived_at) },
    { key: 'ro_promised', get: (o) => (o.promised_at ? localTime(o.promised_at) : '—') },
    { key: 'ro_bay_tech', get: (o) => [o.bay_name || '—', o.technician_name ? el('div', { class: 'muted' }, o.technician_name) : null] },
  ], rows, { class: 'ro-orders ' + (opts.class || ''), rowAttrs: (o) => ({ class: 'ro-order-row', dataset: { orderId: o.id, status: o.status } }) });
}

// ---- the check-in form (RO-1, RO-2, CRM-5) --------------------------------------------------
// ctx: {appointment?, vehicle, customer, operations (for a walk-in), onDone(order), onCancel()}.
export function checkinForm(ctx) {
  const { appointment: a, vehicle: v, customer: c } = ctx;
  const walkIn = !a;
  const kmIn = el('input', { id: 'ci-km', name: 'mileage_km', type: 'number', min: v.mileage_km || 0, max: 2000000, step: 1, required: true, inputmode: 'numeric', size: 9 });
  const fuel = el('select', { id: 'ci-fuel', name: 'fuel_eighths' },
    Array.from({ length: 9 }, (_, n) => el('option', { value: n, selected: n === 4 }, t('ro_fuel', n))));
  const damage = el('textarea', { id: 'ci-damage', name: 'damage_notes', rows: 2, cols: 40, maxlength: 500, placeholder: t('ci_damage_ph') });
  const words = el('textarea', { id: 'ci-words', name: 'customer_words', rows: 2, cols: 40, maxlength: 500 });
  words.value = (a && a.customer_words) || '';
  const drivers = (c && c.drivers) || [];
  const brought = el('select', { id: 'ci-brought', name: 'brought_by' },
    el('option', { value: 'owner' }, t('ci_owner', person(c))),
    drivers.map((d) => el('option', { value: 'driver:' + d.id }, t('ci_driver', d.name, d.relation))),
    el('option', { value: 'new' }, t('ci_new_driver')));
  const dName = el('input', { id: 'ci-driver-name', maxlength: 64, size: 10 });
  const dPhone = el('input', { id: 'ci-driver-phone', inputmode: 'tel', maxlength: 32, size: 13 });
  const dRel = el('input', { id: 'ci-driver-relation', maxlength: 32, size: 8 });
  const newDriver = el('div', { class: 'row', hidden: true },
    field('ci_driver_name', dName), field('ci_driver_phone', dPhone), field('ci_driver_relation', dRel));
  brought.addEventListener('change', () => { newDriver.hidden = brought.value !== 'new'; if (!newDriver.hidden) dName.focus(); });
  const waiting = el('input', { id: 'ci-waiting', type: 'checkbox' });
  // The promised time: the booking's end plus an hour, or two hours from now (store-local).
  const promised = el('input', { id: 'ci-promised', type: 'time', step: 900, value: a ? defaultPromise(a) : '' });
  const ops = walkIn ? el('div', { id: 'ci-ops', class: 'ops' },
    ['maintenance', 'repair'].map((kind) => el('fieldset', {},
      el('legend', {}, lbl('ro_kind', kind)),
      (ctx.operations || []).filter((o) => o.kind === kind).map((o) => el('label', { class: 'op' },
        el('input', { type: 'checkbox', name: 'op', value: o.code }), ` ${o.code} ${o.name} `,
        el('span', { class: 'muted' }, `${o.hours}h · ${money(o.labour_fen)}`)))))) : null;
  const error = el('p', { class: 'error', role: 'alert', id: 'ci-error' });
  const submit = el('button', { type: 'submit', id: 'ci-submit', class: 'primary big' }, t('ci_submit'));
  const booked = a ? [
    el('p', {}, el('span', { class: 'muted' }, t('ci_booked_ops') + '：'), (a.ops || []).map((o) => `${o.code} ${o.name}`).join('、') || '—',
      a.start ? el('span', { class: 'muted' }, ` · ${hhmm(a.start)}–${hhmm(a.end)}`) : null),
    perkText(a, ctx.perks) ? el('p', {}, el('span', { class: 'muted' }, t('ci_perks') + '：'), el('span', { class: 'tag ok' }, perkText(a, ctx.perks))) : null,
    needTags(a).length || a.needs_note ? el('p', {}, el('span', { class: 'muted' }, t('ci_prepare') + '：'), needTags(a), a.needs_note || '') : null,
  ] : null;
  const form = el('form', { id: 'checkin-form', class: 'card ro-checkin', dataset: { vehicleId: v.id, appointmentId: a ? a.id : '' } },
    el('h2', {}, t(walkIn ? 'ci_title_walkin' : 'ci_title_booked', v.plate || v.vin), ' ',
      el('span', { class: 'muted' }, `${v.brand || ''} ${v.model || ''} · ${person(c)}`)),
    booked,
    el('div', { class: 'row' },
      field('ci_km', kmIn, v.mileage_km != null ? el('span', { class: 'muted' }, t('ci_km_last', km(v.mileage_km), date(v.mileage_date, false))) : null),
      field('ci_fuel', fuel), field('ci_promised', promised),
      el('label', { class: 'ro-check' }, waiting, ' ' + t('ci_waiting'))),
    el('div', { class: 'row ro-top' }, field('ci_words', words), field('ci_damage', damage)),
    el('div', { class: 'row' }, field('ci_brought', brought)), newDriver,
    walkIn ? [el('h3', {}, t('ci_ops')), ops] : null,
    error,
    el('div', { class: 'row' }, submit, el('button', { type: 'button', id: 'ci-cancel', onclick: () => ctx.onCancel && ctx.onCancel() }, t('ci_cancel'))));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape' && ctx.onCancel) { e.preventDefault(); ctx.onCancel(); } });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      error.textContent = '';
      if (kmIn.value === '') { error.textContent = t('ci_need_km'); kmIn.focus(); return; }
      const body = { vehicle_id: v.id, mileage_km: Number(kmIn.value), fuel_eighths: Number(fuel.value), waiting: waiting.checked };
      if (a) body.appointment_id = a.id;
      if (damage.value.trim()) body.damage_notes = damage.value.trim();
      if (words.value.trim()) body.customer_words = words.value.trim();
      if (promised.value) body.promised_at = `${state.today}T${promised.value}`;
      if (brought.value === 'owner') body.brought_by = { kind: 'owner' };
      else if (brought.value.startsWith('driver:')) body.brought_by = { kind: 'driver', driver_id: Number(brought.value.slice(7)) };
      else {
        if (!dName.value.trim()) { dName.focus(); return; }
        body.brought_by = { kind: 'driver', name: dName.value.trim() };
        if (dPhone.value.trim()) body.brought_by.phone = dPhone.value.trim();
        if (dRel.value.trim()) body.brought_by.relation = dRel.value.trim();
      }
      if (walkIn) {
        body.ops = [...ops.querySelectorAll('input:checked')].map((x) => x.value);
        if (!body.ops.length) { error.textContent = t('ci_need_ops'); return; }
      }
      const r = await api('POST', '/repair-orders', body);
      if (r.status !== 201) {
        error.textContent = errorText(r);
        if (r.data && r.data.error && r.data.error.field === 'mileage_km') kmIn.focus();
        return;
      }
      notice(t('ci_done', r.data.number));
      ctx.onDone(r.data);
    });
  });
  return form;
}

// The booking's end plus an hour, on the quarter (a walk-in's is asked).
function defaultPromise(a) {
  const m = /T(\d{2}):(\d{2})/.exec(a.end || a.start || '');
  if (!m) return '';
  const min = Math.min(23 * 60 + 45, Math.ceil((+m[1] * 60 + +m[2] + 60) / 15) * 15);
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

// ---- quick registration of an unknown walk-in (CRM-1, CRM-4 consent) -----------------------
// onDone(vehicle, customer).
export function quickRegisterForm(onDone, onCancel) {
  const f = {
    name: el('input', { id: 'qr-name', maxlength: 64, required: true, autocomplete: 'off' }),
    title: el('select', { id: 'qr-title' }, ['先生', '女士', ''].map((v) => el('option', { value: v }, t('qr_titles')[v]))),
    phone: el('input', { id: 'qr-phone', type: 'tel', maxlength: 32, required: true, autocomplete: 'off' }),
    consentPhone: el('input', { id: 'qr-consent-phone', type: 'checkbox' }),
    consentSms: el('input', { id: 'qr-consent-sms', type: 'checkbox' }),
    plate: el('input', { id: 'qr-plate', maxlength: 16, autocomplete: 'off' }),
    vin: el('input', { id: 'qr-vin', maxlength: 17, required: true, autocomplete: 'off', size: 19 }),
    vinSkip: el('input', { id: 'qr-vin-skip', type: 'checkbox' }),
    brand: el('input', { id: 'qr-brand', maxlength: 32, value: '大众' }),
    model: el('input', { id: 'qr-model', maxlength: 32 }),
  };
  const error = el('p', { class: 'error', role: 'alert', id: 'qr-error' });
  const save = el('button', { type: 'submit', id: 'qr-save', class: 'primary' }, t('qr_save'));
  let customer = null; // kept when the car fails: a retry does not register the customer twice
  const form = el('form', { id: 'quick-register', class: 'card' },
    el('h2', {}, t('qr_title')),
    el('div', { class: 'row' }, field('qr_name', f.name), field('qr_title_field', f.title), field('qr_phone', f.phone),
      el('label', {}, f.consentPhone, ' ' + t('qr_consent_phone')), el('label', {}, f.consentSms, ' ' + t('qr_consent_sms'))),
    el('div', { class: 'row' }, field('qr_plate', f.plate), field('qr_vin', f.vin), el('label', {}, f.vinSkip, ' ' + t('qr_vin_skip')),
      field('qr_brand', f.brand), field('qr_model', f.model)),
    error,
    el('div', { class: 'row' }, save, el('button', { type: 'button', onclick: () => onCancel() }, t('cancel'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      error.textContent = '';
      if (!customer) {
        const r = await api('POST', '/customers', {
          name: f.name.value.trim(), title: f.title.value || undefined, phone: f.phone.value.trim(),
          consent: { phone: f.consentPhone.checked, sms: f.consentSms.checked, email: false, marketing: false },
        });
        if (r.status !== 201) { error.textContent = errorText(r); return; }
        customer = r.data;
      }
      const body = { customer_id: customer.id, vin: f.vin.value.trim().toUpperCase(), brand: f.brand.value.trim() || undefined, model: f.model.value.trim() || undefined };
      if (f.plate.value.trim()) body.plate = f.plate.value.trim();
      if (f.vinSkip.checked) body.vin_check = 'skip';
      const r = await api('POST', '/vehicles', body);
      if (r.status !== 201) { error.textContent = t('qr_customer_kept', customer.id) + ' ' + errorText(r); return; }
      onDone(r.data, customer);
    });
  });
  return form;
}

// ---- declined work (RO-4): offered again at the next contact --------------------------------
// The vehicle's declined_work as a list; onAdd(item) when given (the booking call adds its
// operation or part), a dismissal when the role may; onChange() after a dismissal.
export function declinedWork(v, opts = {}) {
  const items = (v.declined_work || []).filter((x) => !x.dismissed_at && !x.done_at);
  if (!items.length) return null;
  const mayDismiss = can('book') || can('task_work') || can('repair_order');
  return el('section', { id: 'declined-work', class: 'ro-declined' },
    el('h3', {}, t('dw_title')),
    el('ul', {}, items.map((x) => {
      const code = x.code || x.op || x.part_no;
      const what = [code, x.name].filter(Boolean).join(' ') + (x.qty > 1 ? ` × ${x.qty}` : '');
      const add = opts.onAdd ? el('button', { type: 'button', class: 'link dw-add', dataset: { itemId: x.id }, onclick: (e) => {
        opts.onAdd(x);
        e.currentTarget.disabled = true;
        e.currentTarget.textContent = t('dw_added');
      } }, t('dw_add')) : null;
      const dismiss = mayDismiss ? el('button', { type: 'button', class: 'link dw-dismiss', dataset: { itemId: x.id }, onclick: (e) => busy(e.currentTarget, async () => {
        const r = await api('POST', `/vehicles/${v.id}/declined-work/${x.id}/dismiss`, {});
        if (r.status !== 200 && r.status !== 201) { notice(errorText(r), 'error'); return; }
        notice(t('dw_dismissed'));
        if (opts.onChange) opts.onChange();
      }) }, t('dw_dismiss')) : null;
      const at = x.declined_on || x.declined_at || x.decided_at;
      return el('li', { class: 'declined-item', dataset: { itemId: x.id, code: code || '' } },
        el('strong', {}, what), ' ',
        x.amount_fen != null ? el('span', {}, money(x.amount_fen) + ' ') : null,
        el('span', { class: 'muted' }, t('dw_declined_on', at ? (/^\d{4}-\d{2}-\d{2}$/.test(at) ? date(at, false) : timestamp(at)) : '—', x.number || x.repair_order_number || '')),
        ' ', add, dismiss);
    })));
}
