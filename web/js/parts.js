// The parts screen (IN-12, IN-17, IN-18): the two special shelves (parts reserved for a
// booking, and parts waiting for delivery), the purchase orders and their receipt, the
// shortages and their analysis (escalated when a complaint is at risk), and the parts master.
import {
  addText, api, ask, busy, can, clear, dash, date, debounce, el, errorLine, errorText, field, go,
  loadingLine, localTime, money, notice, registerScreen, t, table, timestamp, tx,
} from './core.js';

addText({
  zh: {
    parts_nav: '配件',
    parts_title: '配件管理',
    parts_tab_shelves: '专用货架', parts_tab_orders: '采购单', parts_tab_shortages: '缺件分析', parts_tab_master: '配件目录',
    parts_shelf_appointment: '预约货架（已为预约预留）',
    parts_shelf_waiting: '待料货架（等待到货）',
    parts_shelf_hint: '每件配件的标签：预约时间、车牌、客户、配件、数量。',
    parts_appt_time: '预约时间', parts_appointment: '预约单', parts_plate: '车牌', parts_customer: '客户',
    parts_part_no: '配件号', parts_name: '名称', parts_qty: '数量', parts_expected: '预计到货',
    parts_no_time: '时间待定',
    parts_orders_open: '未到货', parts_orders_received: '已到货', parts_orders_all: '全部',
    parts_order: (id) => `采购单 #${id}`,
    parts_status_open: '未到货', parts_status_received: '已到货',
    parts_created: '创建时间', parts_received_at: '到货时间', parts_for_appointment: '用于预约',
    parts_receive: '确认到货',
    parts_receive_title: '确认到货',
    parts_receive_q: (id, n) => `采购单 #${id} 的 ${n} 行配件已全部到货？到货后库存增加，仍需要的配件会转到预约货架。`,
    parts_receive_yes: '确认到货', parts_received_ok: (id) => `采购单 #${id} 已到货入库。`,
    parts_no_orders: '没有采购单。',
    parts_shortages: '缺件记录',
    parts_shortage_cause: '原因分析', parts_complaint_risk: '投诉风险', parts_escalated: '已升级',
    parts_risk_yes: '有投诉风险', parts_risk_no: '无',
    parts_escalated_at: (at) => `已升级 ${at}`,
    parts_edit_analysis: '修改分析', parts_save_analysis: '保存分析',
    parts_analysis_saved: '已保存分析。',
    parts_escalated_to: (n) => (n > 0 ? `已升级上报：已通知 ${n} 个邮箱。` : '已标记投诉风险（门店未设置升级邮箱，未发送通知）。'),
    parts_new_shortage: '登记缺件',
    parts_shortage_part: '配件', parts_shortage_appointment: '预约单号（可选）',
    parts_record: '登记', parts_recorded: '已登记缺件。',
    parts_choose_part: '请选择配件',
    parts_filter: '筛选（配件号、名称、货位）',
    parts_include_retired: '包括已停用的配件',
    parts_shelf: '货位', parts_on_hand: '库存', parts_reserved: '已预留', parts_available: '可用', parts_on_order: '在途',
    parts_lead_time: '订货周期', parts_price: '单价', parts_days: (n) => `${n} 天`,
    parts_retired: '已停用', parts_count: (n, m) => `显示 ${n} / ${m} 种`,
    parts_err_conflict: '该采购单已经到货。',
    parts_err_not_found: '未找到（可能已被删除，或属于其他门店）。',
    parts_err_unknown_part: '没有这个配件号。',
  },
  en: {
    parts_nav: 'Parts',
    parts_title: 'Parts',
    parts_tab_shelves: 'Shelves', parts_tab_orders: 'Purchase orders', parts_tab_shortages: 'Shortages', parts_tab_master: 'Parts list',
    parts_shelf_appointment: 'Appointment shelf (reserved for bookings)',
    parts_shelf_waiting: 'Waiting-for-parts shelf (on order)',
    parts_shelf_hint: 'The label on each part: booking time, plate, customer, part, quantity.',
    parts_appt_time: 'Booking', parts_appointment: 'Booking no.', parts_plate: 'Plate', parts_customer: 'Customer',
    parts_part_no: 'Part no.', parts_name: 'Name', parts_qty: 'Qty', parts_expected: 'Expected',
    parts_no_time: 'time to fix',
    parts_orders_open: 'Open', parts_orders_received: 'Received', parts_orders_all: 'All',
    parts_order: (id) => `Purchase order #${id}`,
    parts_status_open: 'Open', parts_status_received: 'Received',
    parts_created: 'Created', parts_received_at: 'Received', parts_for_appointment: 'For booking',
    parts_receive: 'Receive',
    parts_receive_title: 'Receive the order',
    parts_receive_q: (id, n) => `Have all ${n} line(s) of purchase order #${id} arrived? Stock goes up, and the parts still wanted move to the appointment shelf.`,
    parts_receive_yes: 'Yes, received', parts_received_ok: (id) => `Purchase order #${id} received into stock.`,
    parts_no_orders: 'No purchase orders.',
    parts_shortages: 'Shortages',
    parts_shortage_cause: 'Cause (analysis)', parts_complaint_risk: 'Complaint risk', parts_escalated: 'Escalated',
    parts_risk_yes: 'At risk', parts_risk_no: 'No',
    parts_escalated_at: (at) => `Escalated ${at}`,
    parts_edit_analysis: 'Edit analysis', parts_save_analysis: 'Save analysis',
    parts_analysis_saved: 'Analysis saved.',
    parts_escalated_to: (n) => (n > 0 ? `Escalated: ${n} address(es) notified.` : 'Marked as a complaint risk (the store has no escalation addresses, so no one was notified).'),
    parts_new_shortage: 'Record a shortage',
    parts_shortage_part: 'Part', parts_shortage_appointment: 'Booking no. (optional)',
    parts_record: 'Record', parts_recorded: 'Shortage recorded.',
    parts_choose_part: 'Choose a part',
    parts_filter: 'Filter (part no., name, shelf)',
    parts_include_retired: 'Include retired parts',
    parts_shelf: 'Shelf', parts_on_hand: 'On hand', parts_reserved: 'Reserved', parts_available: 'Available', parts_on_order: 'On order',
    parts_lead_time: 'Lead time', parts_price: 'Price', parts_days: (n) => (n === 1 ? '1 day' : `${n} days`),
    parts_retired: 'Retired', parts_count: (n, m) => `${n} of ${m} parts`,
    parts_err_conflict: 'This order was received already.',
    parts_err_not_found: 'Not found (deleted, or of another store).',
    parts_err_unknown_part: 'No such part number.',
  },
});

const TABS = ['shelves', 'orders', 'shortages', 'master'];

// A failed call in the parts screen's words when it has them.
const errText = (r) => errorText(r, { own: (code) => tx('parts_err_' + code, undefined) });

// ---- shelves (IN-12) ----------------------------------------------------------------------------

function shelfTime(x) {
  if (x.start) return localTime(x.start);
  if (x.date) return [date(x.date), el('div', { class: 'muted' }, t('parts_no_time'))];
  return '—';
}

async function shelvesTab(box, ctx, mine) {
  const r = await api('GET', '/shelves');
  if (!ctx.alive || mine !== ctx.seq) return;
  if (r.status !== 200) { clear(box, errorLine(t('load_failed', errText(r)))); return; }
  const cols = (waiting) => [
    { key: 'parts_appt_time', get: shelfTime },
    { key: 'parts_plate', get: (x) => el('strong', { class: 'parts-plate' }, dash(x.plate)) },
    { key: 'parts_customer', get: (x) => dash(x.customer) },
    { key: 'parts_part_no', get: (x) => el('span', { class: 'parts-no' }, dash(x.part_no)) },
    { key: 'parts_name', get: (x) => dash(x.name) },
    { key: 'parts_qty', get: (x) => String(x.qty), class: 'num' },
    waiting ? { key: 'parts_expected', get: (x) => date(x.expected_date) } : null,
    { key: 'parts_appointment', get: (x) => '#' + x.appointment_id, class: 'num' },
  ].filter(Boolean);
  const rowAttrs = (x) => ({ class: 'parts-label', dataset: { appointmentId: x.appointment_id, partNo: x.part_no } });
  clear(box,
    el('p', { class: 'muted' }, t('parts_shelf_hint')),
    el('section', { class: 'card', id: 'parts-shelf-appointment' },
      el('h2', {}, t('parts_shelf_appointment'), ' ', el('span', { class: 'tag' }, String((r.data.appointment || []).length))),
      table(cols(false), r.data.appointment || [], { rowAttrs })),
    el('section', { class: 'card', id: 'parts-shelf-waiting' },
      el('h2', {}, t('parts_shelf_waiting'), ' ', el('span', { class: 'tag warn' }, String((r.data.waiting_for_parts || []).length))),
      table(cols(true), r.data.waiting_for_parts || [], { rowAttrs })));
}

// ---- purchase orders ------------------------------------------------------------------------------

async function ordersTab(box, ctx, mine, params) {
  const status = ['open', 'received', 'all'].includes(params.status) ? params.status : 'open';
  const r = await api('GET', '/purchase-orders' + (status === 'all' ? '' : '?status=' + status));
  if (!ctx.alive || mine !== ctx.seq) return;
  const filter = el('div', { class: 'row parts-filter', role: 'group', 'aria-label': t('parts_tab_orders') },
    ['open', 'received', 'all'].map((s) => el('button', {
      type: 'button', class: s === status ? 'primary' : null, 'aria-pressed': s === status ? 'true' : 'false',
      onclick: () => go('parts', { tab: 'orders', status: s === 'open' ? null : s }),
    }, t('parts_orders_' + s))));
  if (r.status !== 200) { clear(box, filter, errorLine(t('load_failed', errText(r)))); return; }
  const items = r.data.items || [];
  clear(box, filter, items.length === 0 ? el('p', { class: 'muted parts-empty' }, t('parts_no_orders'))
    : items.map((o) => orderCard(o, ctx)));
}

function orderCard(o, ctx) {
  const open = o.status === 'open';
  const receive = open && can('parts_manage')
    ? el('button', { type: 'button', class: 'primary parts-receive', dataset: { poId: o.id }, onclick: async (e) => {
      const btn = e.currentTarget;
      const a = await ask('parts_receive_title', t('parts_receive_q', o.id, (o.lines || []).length), [
        { value: 'yes', key: 'parts_receive_yes', primary: true }, { value: 'no', key: 'cancel' }]);
      if (a !== 'yes') { btn.focus(); return; }
      await busy(btn, async () => {
        const r = await api('POST', `/purchase-orders/${o.id}/receive`);
        if (r.status === 200) notice(t('parts_received_ok', o.id));
        else notice(errText(r), 'error');
        ctx.reload();
      });
    } }, t('parts_receive'))
    : null;
  return el('section', { class: 'card parts-po', dataset: { poId: o.id, status: o.status } },
    el('div', { class: 'row parts-po-head' },
      el('h2', {}, t('parts_order', o.id)),
      el('span', { class: 'tag ' + (open ? 'warn' : 'ok') }, tx('parts_status_' + o.status, o.status)),
      el('span', {}, t('parts_expected'), ': ', date(o.expected_date)),
      el('span', { class: 'muted' }, t('parts_created'), ': ', timestamp(o.created_at)),
      o.received_at ? el('span', {}, t('parts_received_at'), ': ', timestamp(o.received_at)) : null,
      el('span', { class: 'parts-spacer' }),
      receive),
    table([
      { key: 'parts_part_no', get: (l) => el('span', { class: 'parts-no' }, dash(l.part_no)) },
      { key: 'parts_name', get: (l) => dash(l.name) },
      { key: 'parts_qty', get: (l) => String(l.qty), class: 'num' },
      { key: 'parts_for_appointment', get: (l) => (l.appointment_id ? '#' + l.appointment_id : '—') },
    ], o.lines || []));
}

// ---- shortages (IN-18) ---------------------------------------------------------------------------

async function shortagesTab(box, ctx, mine) {
  const [r, pr] = await Promise.all([api('GET', '/shortages'), can('parts_manage') ? api('GET', '/parts') : null]);
  if (!ctx.alive || mine !== ctx.seq) return;
  if (r.status !== 200) { clear(box, errorLine(t('load_failed', errText(r)))); return; }
  const items = r.data.items || [];
  const manage = can('parts_manage');
  const tbody = el('tbody');
  const head = ['parts_created', 'parts_part_no', 'parts_name', 'parts_qty', 'parts_shortage_cause', 'parts_complaint_risk', 'parts_escalated', 'parts_appointment'];
  const rows = items.map((s) => {
    const tr = el('tr', { class: 'parts-shortage', dataset: { shortageId: s.id } },
      el('td', {}, timestamp(s.created_at)),
      el('td', {}, el('span', { class: 'parts-no' }, dash(s.part_no))),
      el('td', {}, dash(s.name)),
      el('td', { class: 'num' }, String(s.qty)),
      el('td', { class: 'parts-cause' }, dash(s.cause)),
      el('td', {}, s.complaint_risk ? el('span', { class: 'tag bad' }, t('parts_risk_yes')) : el('span', { class: 'muted' }, t('parts_risk_no'))),
      el('td', {}, s.escalated_at ? el('span', { class: 'tag warn' }, t('parts_escalated_at', timestamp(s.escalated_at))) : '—'),
      el('td', {}, s.appointment_id ? '#' + s.appointment_id : '—'),
      manage ? el('td', {}, el('button', { type: 'button', class: 'parts-edit', onclick: () => editRow(tr, s, ctx) }, t('parts_edit_analysis'))) : null);
    return tr;
  });
  if (rows.length === 0) tbody.append(el('tr', {}, el('td', { colspan: head.length + (manage ? 1 : 0), class: 'empty' }, t('none'))));
  else tbody.append(...rows);
  clear(box,
    manage ? newShortageForm(ctx, pr) : null,
    el('section', { class: 'card', id: 'parts-shortages' },
      el('h2', {}, t('parts_shortages')),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, head.map((k) => el('th', { class: k === 'parts_qty' ? 'num' : null }, t(k))), manage ? el('th', {}) : null)),
        tbody)));
}

// The analysis of one shortage, edited in place under its row.
function editRow(tr, s, ctx) {
  if (tr.nextSibling && tr.nextSibling.classList && tr.nextSibling.classList.contains('parts-edit-row')) {
    tr.nextSibling.querySelector('textarea').focus();
    return;
  }
  const cause = el('textarea', { name: 'cause', rows: 2, cols: 60, maxlength: 500, required: true });
  cause.value = s.cause || '';
  const risk = el('input', { type: 'checkbox', name: 'complaint_risk', checked: !!s.complaint_risk });
  const err = el('p', { class: 'error', role: 'alert' });
  const saveBtn = el('button', { type: 'submit', class: 'primary' }, t('parts_save_analysis'));
  const row = el('tr', { class: 'parts-edit-row' }, el('td', { colspan: tr.children.length },
    el('form', { class: 'parts-analysis-form', onsubmit: (e) => {
      e.preventDefault();
      busy(saveBtn, async () => {
        err.textContent = '';
        const body = {};
        if (cause.value.trim() !== s.cause) body.cause = cause.value.trim();
        if (risk.checked !== !!s.complaint_risk) body.complaint_risk = risk.checked;
        if (Object.keys(body).length === 0) { row.remove(); return; }
        const r = await api('PATCH', `/shortages/${s.id}`, body);
        if (r.status !== 200) { err.textContent = errText(r); return; }
        notice(r.data.escalated_at && !s.escalated_at ? t('parts_escalated_to', r.data.escalated_to || 0) : t('parts_analysis_saved'));
        ctx.reload();
      });
    } },
    el('div', { class: 'row parts-top' },
      field('parts_shortage_cause', cause),
      el('label', { class: 'parts-check' }, risk, ' ', t('parts_complaint_risk')),
      saveBtn,
      el('button', { type: 'button', onclick: () => { row.remove(); tr.querySelector('button')?.focus(); } }, t('cancel'))),
    err)));
  row.addEventListener('keydown', (e) => { if (e.key === 'Escape') { row.remove(); tr.querySelector('button')?.focus(); } });
  tr.after(row);
  cause.focus();
}

// The form to record a shortage; pr is the answer of GET /parts (the parts to choose from).
function newShortageForm(ctx, pr) {
  const summary = el('summary', {}, t('parts_new_shortage'));
  if (pr.status !== 200) return el('details', { class: 'card parts-new', id: 'parts-new-shortage' }, summary, errorLine(t('load_failed', errText(pr))));
  const parts = pr.data.items || [];
  const part = el('select', { name: 'part_no', required: true },
    el('option', { value: '' }, t('parts_choose_part')),
    parts.map((p) => el('option', { value: p.part_no }, `${p.part_no} · ${p.name}`)));
  const qty = el('input', { name: 'qty', type: 'number', min: 1, max: 9999, step: 1, value: 1, required: true, size: 5 });
  const cause = el('textarea', { name: 'cause', rows: 2, cols: 48, maxlength: 500, required: true });
  const risk = el('input', { type: 'checkbox', name: 'complaint_risk' });
  const appt = el('input', { name: 'appointment_id', type: 'number', min: 1, step: 1, size: 6 });
  const err = el('p', { class: 'error', role: 'alert' });
  const recordBtn = el('button', { type: 'submit', class: 'primary' }, t('parts_record'));
  return el('details', { class: 'card parts-new', id: 'parts-new-shortage' },
    summary,
    el('form', { onsubmit: (e) => {
      e.preventDefault();
      busy(recordBtn, async () => {
        err.textContent = '';
        const body = { part_no: part.value, qty: Number(qty.value), cause: cause.value.trim(), complaint_risk: risk.checked };
        if (appt.value) body.appointment_id = Number(appt.value);
        const r = await api('POST', '/shortages', body);
        if (r.status !== 201) { err.textContent = errText(r); return; }
        notice(r.data.escalated_at ? t('parts_escalated_to', r.data.escalated_to || 0) : t('parts_recorded'));
        ctx.reload();
      });
    } },
    el('div', { class: 'row parts-top' },
      field('parts_shortage_part', part), field('parts_qty', qty), field('parts_shortage_cause', cause),
      field('parts_shortage_appointment', appt),
      el('label', { class: 'parts-check' }, risk, ' ', t('parts_complaint_risk')),
      recordBtn),
    err));
}

// ---- the parts master -------------------------------------------------------------------------------

async function masterTab(box, ctx, mine, params) {
  const all = params.all === 'true';
  const r = await api('GET', '/parts' + (all ? '?all=true' : ''));
  if (!ctx.alive || mine !== ctx.seq) return;
  if (r.status !== 200) { clear(box, errorLine(t('load_failed', errText(r)))); return; }
  const parts = r.data.items || [];
  const filter = el('input', { id: 'parts-filter', type: 'search', autocomplete: 'off', size: 30, value: params.q || '', 'aria-label': t('parts_filter') });
  const retired = el('input', { type: 'checkbox', id: 'parts-all', checked: all,
    onchange: () => go('parts', { tab: 'master', all: retired.checked ? 'true' : null, q: filter.value || null }) });
  const count = el('span', { class: 'muted', 'aria-live': 'polite' });
  const out = el('div');
  const cols = [
    { key: 'parts_part_no', get: (p) => el('span', { class: 'parts-no' }, p.part_no) },
    { key: 'parts_name', get: (p) => [p.name, p.active === false ? el('span', { class: 'tag' }, t('parts_retired')) : null] },
    { key: 'parts_shelf', get: (p) => dash(p.shelf) },
    { key: 'parts_on_hand', get: (p) => String(p.on_hand), class: 'num' },
    { key: 'parts_reserved', get: (p) => String(p.reserved), class: 'num' },
    { key: 'parts_available', get: (p) => (p.available <= 0 ? el('span', { class: 'tag bad' }, String(p.available)) : String(p.available)), class: 'num' },
    { key: 'parts_on_order', get: (p) => (p.on_order > 0 ? el('span', { class: 'tag warn' }, String(p.on_order)) : '0'), class: 'num' },
    { key: 'parts_lead_time', get: (p) => t('parts_days', p.lead_time_days), class: 'num' },
    { key: 'parts_price', get: (p) => money(p.price_fen), class: 'num' },
  ];
  const show = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = q ? parts.filter((p) => [p.part_no, p.name, p.shelf].some((v) => v && String(v).toLowerCase().includes(q))) : parts;
    count.textContent = t('parts_count', rows.length, parts.length);
    clear(out, table(cols, rows, { rowAttrs: (p) => ({ class: 'parts-part', dataset: { partNo: p.part_no } }) }));
  };
  filter.addEventListener('input', debounce(show, 150));
  clear(box,
    el('section', { class: 'card', id: 'parts-master' },
      el('div', { class: 'row parts-master-bar' },
        el('label', { class: 'field' }, el('span', {}, t('parts_filter')), filter),
        el('label', { class: 'parts-check' }, retired, ' ', t('parts_include_retired')),
        count),
      out));
  show();
  if (params.q) filter.focus();
}

// ---- the screen ---------------------------------------------------------------------------------------

registerScreen({
  id: 'parts',
  nav: 'parts_nav',
  allowed: () => can('archive_read') && (can('parts_manage') || can('board_confirm')),
  home: ['parts_manager'],
  async render(root, params) {
    // seq counts the loads: a reload that a newer one overtook draws nothing.
    const ctx = { alive: true, reload: null, seq: 0 };
    const tab = TABS.includes(params.tab) ? params.tab : 'shelves';
    const tabs = el('div', { class: 'parts-tabs', id: 'parts-tabs', role: 'tablist', 'aria-label': t('parts_title') },
      TABS.map((k) => el('a', {
        href: '#/parts' + (k === 'shelves' ? '' : '?tab=' + k), role: 'tab', id: 'parts-tab-' + k,
        class: 'parts-tab' + (k === tab ? ' active' : ''), 'aria-selected': k === tab ? 'true' : 'false',
        'aria-controls': 'parts-panel',
      }, t('parts_tab_' + k))));
    const box = el('div', { id: 'parts-panel', role: 'tabpanel', 'aria-labelledby': 'parts-tab-' + tab }, loadingLine());
    clear(root, el('div', { class: 'toolbar' }, el('h1', {}, t('parts_title')), tabs), box);
    // Draws the tab; a reload (keepScroll) puts the page back where it was.
    const load = async (keepScroll) => {
      const mine = ++ctx.seq;
      const y = window.scrollY;
      if (tab === 'shelves') await shelvesTab(box, ctx, mine);
      else if (tab === 'orders') await ordersTab(box, ctx, mine, params);
      else if (tab === 'shortages') await shortagesTab(box, ctx, mine);
      else await masterTab(box, ctx, mine, params);
      if (keepScroll && ctx.alive && mine === ctx.seq) window.scrollTo(0, y);
    };
    ctx.reload = () => { if (ctx.alive) load(true); };
    await load(false);
    return () => { ctx.alive = false; };
  },
});
