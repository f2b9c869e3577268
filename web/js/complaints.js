// Complaints and enquiries (投诉与咨询, CS-6, IN-20): the list with its status and overdue
// filters (printable, CSV export), the form to take one on the phone (the customer found by
// name, plate or phone as the booking screen finds them), and one complaint with its log of
// actions, the buttons of its life cycle and closing that asks "customer satisfied?". For
// advisors, callers and the service manager (permission complaint). openComplaintsBox() is
// what the booking call, the workbench and the customer's card show of a customer's open
// complaints (complaints_common.js), so the advisor can answer "was my problem solved?".
import {
  addText, api, ask, busy, can, clear, date, debounce, downloadCsv, el, errorLine, errorText, field,
  go, money, notice, person, registerScreen, searchable, state, t, table, timestamp,
} from './core.js';
import { lbl, openComplaintsBox } from './complaints_common.js';

const CHANNELS = ['phone', 'walk_in', 'followup_call', 'brand_hotline', 'online', 'other'];
const KINDS = ['complaint', 'enquiry'];
const CATEGORIES = ['workmanship', 'service_attitude', 'price', 'parts_delay', 'waiting_time', 'other'];
const SEVERITIES = ['low', 'normal', 'high', 'critical'];
const STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'closed', 'reopened'];
const ACTIONS = ['call_back', 're_repair_booked', 'goodwill', 'note'];
// The moves each status offers (core/complaint.c complaint_transition_ok).
const NEXT = {
  open: ['acknowledged'], acknowledged: ['in_progress', 'resolved'], in_progress: ['resolved'],
  resolved: ['closed', 'reopened'], closed: ['reopened'], reopened: ['in_progress', 'resolved'],
};

addText({
  zh: {
    cpl_nav: '投诉', cpl_title: '投诉与咨询', cpl_new: '登记投诉', cpl_refresh: '刷新', cpl_print: '打印', cpl_export: '导出 CSV',
    cpl_filter_status: '状态', cpl_all: '全部未结案', cpl_every: '全部', cpl_overdue_only: '只看超时',
    cpl_number: '编号', cpl_received: '受理时间', cpl_customer: '客户', cpl_plate: '车牌', cpl_kind: '类型',
    cpl_category: '类别', cpl_severity: '严重程度', cpl_status: '状态', cpl_ack_due: '受理期限', cpl_resolve_due: '解决期限',
    cpl_owner: '负责人', cpl_overdue: '超时', cpl_text: '内容', cpl_channel: '来源渠道', cpl_order: '维修委托书',
    cpl_empty: '没有投诉。', cpl_file: (d) => `投诉-${d}.csv`, cpl_yes: '是', cpl_no: '否',
    cpl_channels: { phone: '电话', walk_in: '到店', followup_call: '回访电话', brand_hotline: '厂家热线', online: '网络', other: '其他' },
    cpl_kinds: { complaint: '投诉', enquiry: '咨询' },
    cpl_categories: { workmanship: '维修质量', service_attitude: '服务态度', price: '价格', parts_delay: '配件延误', waiting_time: '等待时间', other: '其他' },
    cpl_severities: { low: '轻微', normal: '一般', high: '严重', critical: '紧急' },
    cpl_statuses: { open: '待受理', acknowledged: '已受理', in_progress: '处理中', resolved: '已解决', closed: '已结案', reopened: '重新打开' },
    cpl_moves: { acknowledged: '受理', in_progress: '开始处理', resolved: '已解决…', closed: '结案…', reopened: '重新打开' },
    cpl_actions: { call_back: '回电', re_repair_booked: '安排返修', goodwill: '善意补偿', note: '备注', status: '状态变更' },
    cpl_search: '查找客户（姓名、车牌、电话）', cpl_no_results: '没有找到', cpl_pick_vehicle: '车辆（可不选）', cpl_no_vehicle: '不涉及车辆',
    cpl_submit: '登记', cpl_taken: (n) => `已登记投诉 ${n}`, cpl_pick_customer: '请先找到客户',
    cpl_log: '处理记录', cpl_add_action: '记录处理', cpl_action_type: '处理方式', cpl_note: '说明', cpl_appt: '返修预约号',
    cpl_amount: '补偿金额（元）', cpl_action_saved: '已记录', cpl_resolution: '处理结果',
    cpl_ask_satisfied: '结案前请询问客户：对处理结果是否满意？', cpl_satisfied_title: '客户是否满意',
    cpl_satisfied: '满意', cpl_dissatisfied: '不满意', cpl_sat_yes: '客户满意', cpl_sat_no: '客户不满意',
    cpl_moved: (s) => `状态已改为：${s}`, cpl_escalated: (n) => `已升级 ${n} 次`, cpl_back: '返回列表',
    cpl_open_box: (n) => `未结案投诉 ${n} 件`, cpl_open_none: '没有未结案的投诉',
    cpl_at: '时间', cpl_round: (n) => `第 ${n} 轮`, cpl_need_resolution: '请填写处理结果',
    err_invalid_transition: '当前状态不能这样变更',
  },
  en: {
    cpl_nav: 'Complaints', cpl_title: 'Complaints and enquiries', cpl_new: 'Take a complaint', cpl_refresh: 'Refresh', cpl_print: 'Print', cpl_export: 'Export CSV',
    cpl_filter_status: 'Status', cpl_all: 'All not closed', cpl_every: 'All', cpl_overdue_only: 'Overdue only',
    cpl_number: 'No.', cpl_received: 'Received', cpl_customer: 'Customer', cpl_plate: 'Plate', cpl_kind: 'Kind',
    cpl_category: 'Category', cpl_severity: 'Severity', cpl_status: 'Status', cpl_ack_due: 'Acknowledge by', cpl_resolve_due: 'Resolve by',
    cpl_owner: 'Owner', cpl_overdue: 'Overdue', cpl_text: 'What the customer said', cpl_channel: 'Channel', cpl_order: 'Repair order',
    cpl_empty: 'No complaints.', cpl_file: (d) => `complaints-${d}.csv`, cpl_yes: 'yes', cpl_no: 'no',
    cpl_channels: { phone: 'Phone', walk_in: 'Walk-in', followup_call: 'Follow-up call', brand_hotline: 'Brand hotline', online: 'Online', other: 'Other' },
    cpl_kinds: { complaint: 'Complaint', enquiry: 'Enquiry' },
    cpl_categories: { workmanship: 'Workmanship', service_attitude: 'Service attitude', price: 'Price', parts_delay: 'Parts delay', waiting_time: 'Waiting time', other: 'Other' },
    cpl_severities: { low: 'Low', normal: 'Normal', high: 'High', critical: 'Critical' },
    cpl_statuses: { open: 'Open', acknowledged: 'Acknowledged', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened' },
    cpl_moves: { acknowledged: 'Acknowledge', in_progress: 'Start work', resolved: 'Resolved…', closed: 'Close…', reopened: 'Reopen' },
    cpl_actions: { call_back: 'Call back', re_repair_booked: 'Re-repair booked', goodwill: 'Goodwill', note: 'Note', status: 'Status' },
    cpl_search: 'Find the customer (name, plate, phone)', cpl_no_results: 'Nothing found', cpl_pick_vehicle: 'Vehicle (optional)', cpl_no_vehicle: 'No vehicle',
    cpl_submit: 'Take it', cpl_taken: (n) => `Complaint ${n} taken`, cpl_pick_customer: 'Find the customer first',
    cpl_log: 'Log', cpl_add_action: 'Record', cpl_action_type: 'Action', cpl_note: 'Note', cpl_appt: 'Booking no.',
    cpl_amount: 'Amount (yuan)', cpl_action_saved: 'Recorded', cpl_resolution: 'Resolution',
    cpl_ask_satisfied: 'Before closing, ask the customer: are they satisfied with the outcome?', cpl_satisfied_title: 'Customer satisfied?',
    cpl_satisfied: 'Satisfied', cpl_dissatisfied: 'Not satisfied', cpl_sat_yes: 'Customer satisfied', cpl_sat_no: 'Customer not satisfied',
    cpl_moved: (s) => `Status: ${s}`, cpl_escalated: (n) => `escalated ${n}×`, cpl_back: 'Back to the list',
    cpl_open_box: (n) => `${n} open complaint${n === 1 ? '' : 's'}`, cpl_open_none: 'No open complaints',
    cpl_at: 'When', cpl_round: (n) => `round ${n}`, cpl_need_resolution: 'Write the resolution',
    err_invalid_transition: 'Not possible from this status',
  },
});

const yuanToFen = (s) => {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(String(s));
  return m ? Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0')) : null;
};

registerScreen({
  id: 'complaints',
  nav: 'cpl_nav',
  allowed: () => can('complaint'),
  async render(root, params) {
    if (params.id) return renderOne(root, Number(params.id));
    if (params.new) return renderNew(root, params);
    return renderList(root, params);
  },
});

async function renderList(root, params) {
  let status = STATUSES.includes(params.status) ? params.status : params.status === 'all' ? 'all' : '';
  let overdue = params.overdue === 'true';
  let items = [];
  const statusSel = el('select', { id: 'cpl-status' },
    el('option', { value: '' }, t('cpl_all')), el('option', { value: 'all' }, t('cpl_every')),
    STATUSES.map((s) => el('option', { value: s }, lbl('cpl_statuses', s))));
  statusSel.value = status;
  const overdueBox = el('input', { type: 'checkbox', id: 'cpl-overdue' });
  overdueBox.checked = overdue;
  const listBox = el('div', { id: 'cpl-list' }, el('p', { class: 'muted' }, t('loading')));
  const exportBtn = el('button', { type: 'button', id: 'cpl-export', onclick: () => exportCsv() }, t('cpl_export'));
  clear(root,
    el('div', { class: 'toolbar' }, el('h1', {}, t('cpl_title')), el('span', { class: 'archive-spacer' }),
      el('button', { type: 'button', id: 'cpl-new', class: 'primary', onclick: () => go('complaints', { new: '1' }) }, t('cpl_new')),
      el('button', { type: 'button', id: 'cpl-print', onclick: () => window.print() }, t('cpl_print')), exportBtn,
      el('button', { type: 'button', id: 'cpl-refresh', onclick: () => load() }, t('cpl_refresh'))),
    el('div', { class: 'row' }, field('cpl_filter_status', statusSel),
      el('label', { class: 'field inline' }, overdueBox, ' ', t('cpl_overdue_only'))),
    listBox);
  const refilter = () => {
    status = statusSel.value;
    overdue = overdueBox.checked;
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (overdue) q.set('overdue', 'true');
    history.replaceState(null, '', '#/complaints' + (q.toString() ? '?' + q : ''));
    load();
  };
  statusSel.addEventListener('change', refilter);
  overdueBox.addEventListener('change', refilter);

  const columns = [
    { key: 'cpl_number', get: (c) => el('a', { href: `#/complaints?id=${c.id}`, class: 'cpl-number' }, c.number), csv: (c) => c.number },
    { key: 'cpl_received', get: (c) => timestamp(c.received_at), csv: (c) => timestamp(c.received_at) },
    { key: 'cpl_customer', get: (c) => c.customer_name || '—', csv: (c) => c.customer_name },
    { key: 'cpl_plate', get: (c) => c.plate || '—', csv: (c) => c.plate || '' },
    { key: 'cpl_kind', get: (c) => lbl('cpl_kinds', c.kind), csv: (c) => lbl('cpl_kinds', c.kind) },
    { key: 'cpl_category', get: (c) => lbl('cpl_categories', c.category), csv: (c) => lbl('cpl_categories', c.category) },
    { key: 'cpl_severity', get: (c) => el('span', { class: 'tag' + (c.severity === 'high' || c.severity === 'critical' ? ' bad' : '') }, lbl('cpl_severities', c.severity)), csv: (c) => lbl('cpl_severities', c.severity) },
    { key: 'cpl_status', get: (c) => el('span', { class: 'tag cpl-status' }, lbl('cpl_statuses', c.status)), csv: (c) => lbl('cpl_statuses', c.status) },
    { key: 'cpl_ack_due', get: (c) => timestamp(c.ack_due_at), csv: (c) => timestamp(c.ack_due_at) },
    { key: 'cpl_resolve_due', get: (c) => timestamp(c.resolve_due_at), csv: (c) => timestamp(c.resolve_due_at) },
    { key: 'cpl_owner', get: (c) => c.owner_name || '—', csv: (c) => c.owner_name || '' },
    { key: 'cpl_overdue', get: (c) => (c.overdue ? el('span', { class: 'tag bad cpl-overdue' }, t('cpl_overdue')) : ''), csv: (c) => t(c.overdue ? 'cpl_yes' : 'cpl_no') },
  ];

  async function load() {
    const q = new URLSearchParams({ limit: '200' });
    if (status && status !== 'all') q.set('status', status);
    if (!status) q.set('active', 'true');
    if (overdue) q.set('overdue', 'true');
    const r = await api('GET', '/complaints?' + q);
    if (!root.isConnected) return;
    if (r.status !== 200) { clear(listBox, errorLine(t('load_failed', errorText(r)))); return; }
    items = r.data.items || [];
    exportBtn.disabled = items.length === 0;
    clear(listBox, table(columns, items, {
      class: 'cpl-table', empty: 'cpl_empty',
      rowAttrs: (c) => ({ class: 'cpl-row' + (c.overdue ? ' overdue' : ''), dataset: { id: c.id, status: c.status } }),
    }));
  }
  function exportCsv() { downloadCsv(t('cpl_file', state.today), columns, items); }
  await load();
}

// ---- taking a complaint (on the phone) ----
async function renderNew(root, params) {
  let customer = null;
  const search = el('input', { id: 'cpl-search', type: 'search', autocomplete: 'off', size: 30 });
  const results = el('div', { id: 'cpl-results', role: 'list' });
  const picked = el('div', { id: 'cpl-picked' });
  const vehicleSel = el('select', { id: 'cpl-vehicle' }, el('option', { value: '' }, t('cpl_no_vehicle')));
  const sel = (id, names, table_, value) => {
    const s = el('select', { id }, names.map((n) => el('option', { value: n }, lbl(table_, n))));
    s.value = value;
    return s;
  };
  const channel = sel('cpl-channel', CHANNELS, 'cpl_channels', 'phone');
  const kind = sel('cpl-kind', KINDS, 'cpl_kinds', 'complaint');
  const category = sel('cpl-category', CATEGORIES, 'cpl_categories', 'workmanship');
  const severity = sel('cpl-severity', SEVERITIES, 'cpl_severities', 'normal');
  const text = el('textarea', { id: 'cpl-text', rows: 4, cols: 60, maxlength: 2000 });
  const err = errorLine('');
  err.id = 'cpl-error';
  const submit = el('button', { type: 'submit', id: 'cpl-submit', class: 'primary' }, t('cpl_submit'));
  const form = el('form', { id: 'cpl-form', class: 'card', onsubmit: (e) => {
    e.preventDefault();
    busy(submit, async () => {
      err.textContent = '';
      if (!customer) { err.textContent = t('cpl_pick_customer'); search.focus(); return; }
      const body = { customer_id: customer.id, channel: channel.value, kind: kind.value, category: category.value, severity: severity.value, text: text.value };
      if (vehicleSel.value) body.vehicle_id = Number(vehicleSel.value);
      const r = await api('POST', '/complaints', body);
      if (r.status !== 201) { err.textContent = errorText(r, { fieldName: (f) => t('cpl_' + ({ customer_id: 'customer', vehicle_id: 'plate' }[f] || f)) }); return; }
      notice(t('cpl_taken', r.data.number));
      go('complaints', { id: String(r.data.id) });
    });
  } },
  el('label', { class: 'search' }, el('span', {}, t('cpl_search')), search), results, picked,
  el('div', { class: 'row' }, field('cpl_pick_vehicle', vehicleSel), field('cpl_channel', channel), field('cpl_kind', kind),
    field('cpl_category', category), field('cpl_severity', severity)),
  field('cpl_text', text), el('div', { class: 'row' }, submit,
    el('button', { type: 'button', id: 'cpl-cancel', onclick: () => go('complaints') }, t('cancel'))), err);
  clear(root, el('div', { class: 'toolbar' }, el('h1', {}, t('cpl_new'))), form);

  async function pickCustomer(id, vehicleId) {
    const r = await api('GET', `/customers/${id}`);
    if (r.status !== 200) { clear(picked, errorLine(errorText(r))); return; }
    customer = r.data;
    const vs = await api('GET', `/customers/${id}/vehicles`);
    const vehicles = vs.status === 200 ? (vs.data.items || vs.data.vehicles || []) : [];
    clear(vehicleSel, el('option', { value: '' }, t('cpl_no_vehicle')),
      vehicles.map((v) => el('option', { value: v.id }, `${v.plate || v.vin} ${v.brand || ''} ${v.model || ''}`)));
    if (vehicleId) vehicleSel.value = String(vehicleId);
    clear(results);
    clear(picked, el('p', { class: 'cpl-customer', dataset: { id } }, el('strong', {}, person(customer))),
      openComplaintsBox(customer.open_complaints));
    text.focus();
  }
  const runSearch = debounce(async () => {
    const q = search.value.trim();
    if (!searchable(q)) { clear(results); return; }
    const r = await api('GET', '/search?q=' + encodeURIComponent(q));
    if (r.status !== 200) { clear(results, errorLine(errorText(r))); return; }
    const items = r.data.results || [];
    clear(results, items.length === 0 ? el('p', { class: 'muted' }, t('cpl_no_results')) : items.map((x) => (x.type === 'vehicle'
      ? el('button', { type: 'button', class: 'search-result', role: 'listitem', onclick: () => pickCustomer(x.owner ? x.owner.id : x.customer_id, x.id) },
        el('strong', {}, x.plate || x.vin), ' · ', person(x.owner))
      : el('button', { type: 'button', class: 'search-result', role: 'listitem', onclick: () => pickCustomer(x.id) }, el('strong', {}, person(x))))));
  }, 150);
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); const first = results.querySelector('.search-result'); if (first) first.click(); }
  });
  if (params.customer) await pickCustomer(Number(params.customer), params.vehicle ? Number(params.vehicle) : 0);
  else search.focus();
}

// ---- one complaint ----
async function renderOne(root, id) {
  const box = el('div', { id: 'cpl-detail' }, el('p', { class: 'muted' }, t('loading')));
  clear(root, box);
  async function load(focusSel) {
    const r = await api('GET', `/complaints/${id}`);
    if (!root.isConnected) return;
    if (r.status !== 200) { clear(box, errorLine(t('load_failed', errorText(r)))); return; }
    draw(r.data);
    const f = focusSel && root.querySelector(focusSel);
    if (f) f.focus();
  }
  function draw(c) {
    const err = errorLine('');
    err.id = 'cpl-detail-error';
    const resolution = el('textarea', { id: 'cpl-resolution', rows: 2, cols: 60, maxlength: 2000 }, c.resolution || '');
    const moves = (NEXT[c.status] || []).map((to) => el('button', {
      type: 'button', class: 'cpl-move' + (to === 'closed' ? ' primary' : ''), id: 'cpl-move-' + to, dataset: { to },
      onclick: (e) => busy(e.currentTarget, () => move(c, to, resolution, err)),
    }, lbl('cpl_moves', to)));
    const type = el('select', { id: 'cpl-action-type' }, ACTIONS.map((a) => el('option', { value: a }, lbl('cpl_actions', a))));
    const note = el('input', { id: 'cpl-action-note', size: 40, maxlength: 1000 });
    const appt = el('input', { id: 'cpl-action-appt', inputmode: 'numeric', size: 8 });
    const amount = el('input', { id: 'cpl-action-amount', inputmode: 'decimal', size: 8 });
    const addBtn = el('button', { type: 'submit', id: 'cpl-action-add' }, t('cpl_add_action'));
    const actionForm = el('form', { id: 'cpl-action-form', class: 'row no-print', onsubmit: (e) => {
      e.preventDefault();
      busy(addBtn, async () => {
        err.textContent = '';
        const body = { type: type.value };
        if (note.value.trim()) body.note = note.value.trim();
        if (type.value === 're_repair_booked') body.appointment_id = Number(appt.value) || 0;
        if (type.value === 'goodwill') body.amount_fen = yuanToFen(amount.value) ?? -1;
        const r = await api('POST', `/complaints/${id}/actions`, body);
        if (r.status !== 201) { err.textContent = errorText(r, { fieldName: (f) => t({ note: 'cpl_note', appointment_id: 'cpl_appt', amount_fen: 'cpl_amount' }[f] || 'cpl_action_type') }); return; }
        notice(t('cpl_action_saved'));
        await load('#cpl-action-type');
      });
    } }, field('cpl_action_type', type), field('cpl_note', note), field('cpl_appt', appt), field('cpl_amount', amount), addBtn);
    const row = (k, v) => el('tr', {}, el('th', {}, t(k)), el('td', {}, v));
    clear(box,
      el('div', { class: 'toolbar' }, el('h1', {}, `${lbl('cpl_kinds', c.kind)} ${c.number}`), el('span', { class: 'archive-spacer' }),
        el('button', { type: 'button', id: 'cpl-print-one', onclick: () => window.print() }, t('cpl_print')),
        el('button', { type: 'button', id: 'cpl-back', onclick: () => go('complaints') }, t('cpl_back'))),
      el('table', { class: 'grid cpl-facts' }, el('tbody', {},
        row('cpl_status', [el('span', { class: 'tag', id: 'cpl-status-now', dataset: { status: c.status } }, lbl('cpl_statuses', c.status)),
          c.round > 1 ? ' ' + t('cpl_round', c.round) : '', c.escalations ? [' ', el('span', { class: 'tag warn' }, t('cpl_escalated', c.escalations))] : null,
          c.overdue ? [' ', el('span', { class: 'tag bad' }, t('cpl_overdue'))] : null,
          c.customer_satisfied === true ? [' ', el('span', { class: 'tag ok' }, t('cpl_sat_yes'))] : null,
          c.customer_satisfied === false ? [' ', el('span', { class: 'tag bad', id: 'cpl-dissatisfied' }, t('cpl_sat_no'))] : null]),
        row('cpl_customer', el('a', { href: `#/archive?customer=${c.customer_id}` }, c.customer_name || '#' + c.customer_id)),
        row('cpl_plate', c.plate || '—'), row('cpl_order', c.order_number ? el('a', { href: `#/repair-order?id=${c.repair_order_id}` }, c.order_number) : '—'),
        row('cpl_channel', lbl('cpl_channels', c.channel)), row('cpl_category', lbl('cpl_categories', c.category)),
        row('cpl_severity', lbl('cpl_severities', c.severity)), row('cpl_owner', c.owner_name || '—'),
        row('cpl_received', timestamp(c.received_at)), row('cpl_ack_due', timestamp(c.ack_due_at)),
        row('cpl_resolve_due', timestamp(c.resolve_due_at)), row('cpl_text', el('span', { id: 'cpl-text-view' }, c.text)),
        row('cpl_resolution', c.resolution || '—'))),
      moves.length ? el('div', { class: 'row no-print' }, (NEXT[c.status] || []).includes('resolved') ? field('cpl_resolution', resolution) : null, moves) : null,
      el('h2', {}, t('cpl_log')),
      table([
        { key: 'cpl_at', get: (a) => timestamp(a.at) },
        { key: 'cpl_action_type', get: (a) => (a.type === 'status' ? `${lbl('cpl_actions', 'status')}：${lbl('cpl_statuses', a.status)}` : lbl('cpl_actions', a.type)) },
        { key: 'cpl_note', get: (a) => [a.note || '', a.appointment_id ? ` #${a.appointment_id}` : '', a.amount_fen ? ' ' + money(a.amount_fen) : ''] },
        { key: 'cpl_owner', get: (a) => a.user_name || '—' },
      ], c.actions || [], { class: 'cpl-log', empty: 'none', rowAttrs: (a) => ({ class: 'cpl-action', dataset: { type: a.type } }) }),
      c.status !== 'closed' ? actionForm : null, err);
  }
  async function move(c, to, resolution, err) {
    err.textContent = '';
    const body = { status: to };
    if (to === 'resolved') {
      if (!resolution.value.trim()) { err.textContent = t('cpl_need_resolution'); resolution.focus(); return; }
      body.resolution = resolution.value.trim();
    }
    if (to === 'closed') {
      // CS-6: closed only after the customer has been asked.
      const a = await ask('cpl_satisfied_title', t('cpl_ask_satisfied'), [
        { key: 'cpl_satisfied', value: 'yes', primary: true }, { key: 'cpl_dissatisfied', value: 'no' }, { key: 'cancel', value: null }]);
      if (!a) return;
      body.customer_satisfied = a === 'yes';
    }
    const r = await api('POST', `/complaints/${id}/status`, body);
    if (r.status !== 200) { err.textContent = errorText(r, { fieldName: (f) => t({ resolution: 'cpl_resolution', customer_satisfied: 'cpl_satisfied_title' }[f] || 'cpl_status') }); return; }
    notice(t('cpl_moved', lbl('cpl_statuses', r.data.status)));
    await load('.cpl-move');
  }
  await load();
}
