// One repair order (维修委托书 / 工单, RO-3..RO-7): the header (number, status, car, customer,
// reception facts, times, bay and technician), the lines with their payer, the customer's
// decision, stock and clocked time; work added (found during the job: needs the customer's
// approval, RO-4) and decided; the status actions the status and the role allow (dispatch,
// QC pass or fail with a reason, cancel with a reason, delivery); the settlement with payments
// by method, several rows, that must add up to the amount due (RO-7); the print views.
import {
  addText, api, busy, can, clear, el, errorLine, errorText, field, get, go, km, localTime, money, notice, person,
  registerScreen, state, t, table, timestamp,
} from './core.js';
import {
  approverName, discountApprovers, lbl, mayReceive, mayWork, METHODS, PAYERS, sourceTag, statusTag, toFen, toYuan,
} from './ro_common.js';

addText({
  zh: {
    ro_title: '维修工单', ro_back: '返回接车', ro_refresh: '刷新', ro_print_order: '打印委托书', ro_print_statement: '打印结算单',
    ro_head: '接车信息', ro_mileage: '进厂里程', ro_fuel_col: '油量', ro_damage: '环车检查', ro_words: '客户描述',
    ro_waiting: '客户等候', ro_yes: '是', ro_no: '否', ro_brought: '送修人', ro_owner_self: '车主本人', ro_advisor: '服务顾问',
    ro_kind_col: '类别', ro_times: '时间', ro_started: '开工', ro_qc_at: '质检', ro_ready_at: '完工', ro_settled_at: '结算',
    ro_delivered_at: '交车', ro_cancelled_at: '取消', ro_cancel_reason: '取消原因', ro_qc_note: '质检不合格',
    ro_qc_failures: (n, note) => `${n} 次${note ? '：' + note : ''}`, ro_queued: '排队等候工位',
    ro_lines: '维修项目与配件', ro_col_type: '类型', ro_col_code: '代码', ro_col_name: '名称', ro_col_hours: '工时',
    ro_col_qty: '数量', ro_col_price: '单价', ro_col_amount: '金额', ro_col_payer: '付费方', ro_col_decision: '客户确认',
    ro_col_stock: '库存', ro_col_clocked: '实际工时', ro_col_act: '', ro_perk: '预约免费',
    ro_clock_on: '开工打卡', ro_clock_off: '停工打卡', ro_clocked_on: '打卡中',
    ro_min: (m) => `${m} 分钟`,
    ro_decide_via: '方式', ro_decide_by: '答复人', ro_approve: '同意', ro_decline: '拒绝',
    ro_add: '增加项目', ro_add_type: '类型', ro_add_op: '维修项目', ro_add_part: '配件号', ro_add_qty: '数量',
    ro_add_payer: '付费方', ro_add_approval: '需客户确认（维修中发现的项目）', ro_add_submit: '增加',
    ro_add_done: '已增加', ro_add_choose: '请选择维修项目或填写配件号',
    ro_actions: '状态操作', ro_act: { in_progress: '派工开工', qc: '完工送检', ready: '质检合格', qc_fail: '质检不合格（返工）', delivered: '交车', cancelled: '作废工单' },
    ro_reason: '原因', ro_reason_ok: '确认', ro_need_reason: '请填写原因', ro_no_actions: '此状态没有可做的操作。',
    ro_status_done: (s) => `工单状态：${s}`,
    ro_settle: '结算', ro_labour: '工时费', ro_parts: '配件费', ro_by_payer: '按付费方', ro_subtotal: '小计',
    ro_discount: '优惠金额（元）', ro_discount_by: '批准优惠的服务经理', ro_discount_pick: '请选择', ro_due: '客户应付',
    ro_need_approver: '有优惠时，请选择批准优惠的服务经理', ro_no_approvers: '本店没有服务经理，不能给优惠',
    ro_discount_approved: (n) => `批准：${n}`,
    ro_pay_method: '付款方式', ro_pay_amount: '金额（元）', ro_pay_add: '增加付款方式', ro_pay_remove: '删除',
    ro_pay_sum: (s, d) => `已付 ${s} / 应付 ${d}`, ro_pay_left: (x) => `还差 ${x}`, ro_pay_over: (x) => `多了 ${x}`,
    ro_settle_submit: '确认结算', ro_settled: '已结算', ro_payments: '付款', ro_pay_at: '时间',
    ro_receivable: (id) => `已挂账（应收 #${id}）`, ro_decision_pending_note: '还有待客户确认的项目，确认后才能结算。',
    ro_closed: '工单已关闭。',
    ro_edit: '修改接车信息', ro_edit_title: '修改接车信息', ro_edit_save: '保存修改', ro_edit_none: '没有修改',
    ro_edit_saved: '接车信息已保存', ro_edit_unknown: '未记录',
  },
  en: {
    ro_title: 'Repair order', ro_back: 'Back to reception', ro_refresh: 'Refresh', ro_print_order: 'Print the order', ro_print_statement: 'Print the statement',
    ro_head: 'Reception', ro_mileage: 'Odometer', ro_fuel_col: 'Fuel', ro_damage: 'Walk-around', ro_words: "Customer's words",
    ro_waiting: 'Waiting', ro_yes: 'Yes', ro_no: 'No', ro_brought: 'Brought by', ro_owner_self: 'The owner', ro_advisor: 'Advisor',
    ro_kind_col: 'Kind', ro_times: 'Times', ro_started: 'Started', ro_qc_at: 'QC', ro_ready_at: 'Ready', ro_settled_at: 'Settled',
    ro_delivered_at: 'Delivered', ro_cancelled_at: 'Cancelled', ro_cancel_reason: 'Why cancelled', ro_qc_note: 'QC failed',
    ro_qc_failures: (n, note) => `${n}×${note ? ': ' + note : ''}`, ro_queued: 'Waiting for a bay',
    ro_lines: 'Work and parts', ro_col_type: 'Type', ro_col_code: 'Code', ro_col_name: 'Name', ro_col_hours: 'Hours',
    ro_col_qty: 'Qty', ro_col_price: 'Unit price', ro_col_amount: 'Amount', ro_col_payer: 'Payer', ro_col_decision: 'Customer',
    ro_col_stock: 'Stock', ro_col_clocked: 'Clocked', ro_col_act: '', ro_perk: 'Booked perk',
    ro_clock_on: 'Clock on', ro_clock_off: 'Clock off', ro_clocked_on: 'clocked on',
    ro_min: (m) => `${m} min`,
    ro_decide_via: 'Via', ro_decide_by: 'Who answered', ro_approve: 'Approve', ro_decline: 'Decline',
    ro_add: 'Add work', ro_add_type: 'Type', ro_add_op: 'Operation', ro_add_part: 'Part no.', ro_add_qty: 'Qty',
    ro_add_payer: 'Payer', ro_add_approval: 'Needs the customer\'s approval (found during the job)', ro_add_submit: 'Add',
    ro_add_done: 'Added', ro_add_choose: 'Choose an operation or type a part number',
    ro_actions: 'Status', ro_act: { in_progress: 'Dispatch', qc: 'Done: to QC', ready: 'QC passed', qc_fail: 'QC failed (rework)', delivered: 'Deliver', cancelled: 'Cancel the order' },
    ro_reason: 'Reason', ro_reason_ok: 'Confirm', ro_need_reason: 'Give the reason', ro_no_actions: 'Nothing to do in this status.',
    ro_status_done: (s) => `Order status: ${s}`,
    ro_settle: 'Settlement', ro_labour: 'Labour', ro_parts: 'Parts', ro_by_payer: 'By payer', ro_subtotal: 'Subtotal',
    ro_discount: 'Discount (yuan)', ro_discount_by: 'Discount approved by (service manager)', ro_discount_pick: 'Choose', ro_due: 'Customer pays',
    ro_need_approver: 'A discount needs the service manager who approved it', ro_no_approvers: 'The store has no service manager: no discount can be given',
    ro_discount_approved: (n) => `approved by ${n}`,
    ro_pay_method: 'Method', ro_pay_amount: 'Amount (yuan)', ro_pay_add: 'Add a method', ro_pay_remove: 'Remove',
    ro_pay_sum: (s, d) => `Paid ${s} of ${d}`, ro_pay_left: (x) => `${x} short`, ro_pay_over: (x) => `${x} too much`,
    ro_settle_submit: 'Settle', ro_settled: 'Settled', ro_payments: 'Payments', ro_pay_at: 'At',
    ro_receivable: (id) => `On account (receivable #${id})`, ro_decision_pending_note: 'A line awaits the customer\'s decision; settle after it.',
    ro_closed: 'The order is closed.',
    ro_edit: 'Edit the reception', ro_edit_title: 'Edit the reception', ro_edit_save: 'Save the changes', ro_edit_none: 'Nothing was changed',
    ro_edit_saved: 'Reception saved', ro_edit_unknown: 'not recorded',
  },
});

const CLOSED = ['delivered', 'cancelled'];
// The reception fields can be changed until the order is settled (PATCH; 409 order_closed after).
const EDITABLE = ['open', 'in_progress', 'qc', 'ready'];
const KINDS = ['maintenance', 'repair', 'warranty', 'recall', 'accident', 'other'];

// The line's amount as the statement counts it: declined and pending lines count nowhere.
const counts = (l) => l.decision !== 'declined' && l.decision !== 'pending';

export function linesTable(o, opts = {}) {
  const cols = [
    { key: 'ro_col_type', get: (l) => lbl('ro_line_type', l.type) },
    { key: 'ro_col_code', get: (l) => l.code || '—' },
    { key: 'ro_col_name', get: (l) => [l.name || '—', l.perk ? el('span', { class: 'tag ok' }, ' ' + t('ro_perk')) : null] },
    { key: 'ro_col_hours', class: 'num', get: (l) => (l.type === 'labour' && l.hours != null ? String(l.hours) : '') },
    { key: 'ro_col_qty', class: 'num', get: (l) => (l.qty != null ? String(l.qty) : '') },
    { key: 'ro_col_price', class: 'num', get: (l) => (l.type === 'part' ? money(l.unit_price_fen) : money(l.labour_fen)) },
    { key: 'ro_col_amount', class: 'num', get: (l) => el('span', { class: counts(l) ? '' : 'ro-struck' }, money(l.amount_fen)) },
    { key: 'ro_col_payer', get: (l) => lbl('ro_payer', l.payer) },
    { key: 'ro_col_decision', get: (l) => (opts.decision ? opts.decision(l) : decisionText(l)) },
  ];
  if (!opts.print) {
    cols.push({ key: 'ro_col_stock', get: (l) => (l.type === 'part' ? lbl('ro_stock', l.stock) : '') });
    cols.push({ key: 'ro_col_clocked', class: 'num', get: (l) => (l.type === 'labour' ? [l.clocked_min ? t('ro_min', l.clocked_min) : '—',
      l.clock_on ? el('div', { class: 'tag warn' }, t('ro_clocked_on')) : null] : '') });
    if (opts.act) cols.push({ key: 'ro_col_act', get: (l) => opts.act(l) });
  }
  return table(cols, o.lines || [], { class: 'ro-lines', rowAttrs: (l) => ({ class: 'ro-line', dataset: { lineId: l.id, decision: l.decision || '', type: l.type } }) });
}

export function decisionText(l) {
  if (!l.decision) return '';
  const tag = el('span', { class: 'tag ' + ({ approved: 'ok', declined: 'bad', pending: 'warn' }[l.decision] || '') }, lbl('ro_decision', l.decision));
  if (l.decision === 'pending') return tag;
  return [tag, el('div', { class: 'muted' }, [lbl('ro_via', l.decided_via), l.decided_by].filter((x) => x && x !== '—').join(' · '))];
}

export function broughtText(b) {
  if (!b || b.kind === 'owner') return t('ro_owner_self');
  return [b.name, b.phone].filter(Boolean).join(' ');
}

function facts(rows) {
  return el('dl', { class: 'ro-facts' }, rows.filter(Boolean).map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

registerScreen({
  id: 'repair-order',
  nav: null,
  allowed: () => can('archive_read'),
  async render(root, params) {
    const id = Number(params.id);
    let o = null;
    let catalogue = null; // operations and parts for the add form, loaded once
    let approvers = null; // the service managers who may approve a discount (RO-7), when needed
    const head = el('div', { class: 'toolbar' });
    const body = el('div', {}, el('p', { class: 'muted' }, t('loading')));
    clear(root, head, body);

    async function load(focusSel) {
      const r = await api('GET', `/repair-orders/${id}`);
      if (!root.isConnected) return;
      if (r.status !== 200) { clear(body, errorLine(t('load_failed', errorText(r)))); return; }
      o = r.data;
      if (!catalogue && !CLOSED.includes(o.status) && (mayReceive() || mayWork())) {
        const [ops, parts] = await Promise.all([get('/operations'), api('GET', '/parts?limit=500')]);
        catalogue = { ops: (ops.items || []).filter((x) => x.active !== false), parts: parts.status === 200 ? parts.data.items || [] : [] };
      }
      // The settlement names its approver; a settled order shows who approved its discount.
      if (!approvers && ((o.status === 'ready' && mayReceive()) || o.discount_approved_by)) approvers = await discountApprovers();
      if (!root.isConnected) return;
      draw();
      const f = focusSel && root.querySelector(focusSel);
      if (f) f.focus();
    }

    function draw() {
      clear(head,
        el('a', { href: '#/reception', class: 'button' }, '← ' + t('ro_back')),
        el('h1', { id: 'ro-head', dataset: { orderId: o.id, status: o.status } }, t('ro_title'), ' ', el('span', { class: 'ro-number' }, o.number || '#' + o.id)),
        statusTag(o.status), sourceTag(o.source),
        el('span', { class: 'archive-spacer' }),
        el('button', { type: 'button', id: 'ro-print-order', onclick: () => go('ro-print', { id: o.id, doc: 'order' }) }, t('ro_print_order')),
        el('button', { type: 'button', id: 'ro-print-statement', onclick: () => go('ro-print', { id: o.id, doc: 'statement' }) }, t('ro_print_statement')),
        el('button', { type: 'button', id: 'ro-refresh', onclick: () => load() }, t('ro_refresh')));
      const v = o.vehicle || {};
      clear(body,
        el('div', { class: 'cols' },
          el('section', { class: 'card', id: 'ro-reception' }, el('h2', {}, t('ro_head')), facts([
            ['ro_vehicle', [el('strong', {}, v.plate || '—'), ` ${v.brand || ''} ${v.model || ''}`, v.id ? el('a', { href: `#/archive?vehicle=${v.id}`, class: 'muted' }, ' VIN ' + (v.vin || '')) : null]],
            ['ro_customer', o.customer ? el('a', { href: `#/archive?customer=${o.customer.id}` }, person(o.customer)) : '—'],
            ['ro_kind_col', lbl('ro_kind', o.kind)],
            ['ro_mileage', km(o.mileage_km)],
            ['ro_fuel_col', o.fuel_eighths == null ? '—' : t('ro_fuel', o.fuel_eighths)],
            ['ro_damage', o.damage_notes],
            ['ro_words', o.customer_words],
            ['ro_brought', broughtText(o.brought_by)],
            ['ro_waiting', o.waiting ? t('ro_yes') : t('ro_no')],
            ['ro_promised', o.promised_at ? localTime(o.promised_at) : '—'],
            ['ro_advisor', o.advisor && o.advisor.name],
          ]), editSlot()),
          el('section', { class: 'card', id: 'ro-times' }, el('h2', {}, t('ro_times')), facts([
            ['ro_arrived', timestamp(o.arrived_at)],
            o.queued ? ['ro_queued', o.queue_position ? t('ro_queue_pos', o.queue_position) : '✓'] : null,
            ['ro_bay_tech', [o.bay_name || '—', ' · ', o.technician_name || '—', o.start ? el('span', { class: 'muted' }, ` (${localTime(o.start)}–${(o.end || '').slice(11, 16)})`) : null]],
            ['ro_started', timestamp(o.started_at)],
            ['ro_qc_at', timestamp(o.qc_at)],
            o.qc_failures ? ['ro_qc_note', t('ro_qc_failures', o.qc_failures, o.qc_note)] : null,
            ['ro_ready_at', timestamp(o.ready_at)],
            ['ro_settled_at', timestamp(o.settled_at)],
            ['ro_delivered_at', timestamp(o.delivered_at)],
            o.cancelled_at ? ['ro_cancelled_at', timestamp(o.cancelled_at)] : null,
            o.cancel_reason ? ['ro_cancel_reason', o.cancel_reason] : null,
          ]))),
        el('section', { class: 'card', id: 'ro-lines' }, el('h2', {}, t('ro_lines')),
          linesTable(o, { decision: decisionCell, act: actCell }),
          totals(),
          addForm()),
        actionsCard(),
        settleCard());
    }

    // ---- the reception fields after check-in (RO-1): fuel, damage, words, waiting, promise, kind ----
    function editSlot() {
      if (!mayReceive() || !EDITABLE.includes(o.status)) return null;
      const slot = el('div', { id: 'ro-edit-slot' });
      const open = el('button', { type: 'button', id: 'ro-edit-open', onclick: () => { clear(slot, editForm(slot, open)); open.hidden = true; slot.querySelector('#ro-edit-fuel').focus(); } }, t('ro_edit'));
      return [el('div', { class: 'row' }, open), slot];
    }

    function editForm(slot, opener) {
      const fuel = el('select', { id: 'ro-edit-fuel' }, el('option', { value: '' }, t('ro_edit_unknown')),
        Array.from({ length: 9 }, (_, n) => el('option', { value: n, selected: o.fuel_eighths === n }, t('ro_fuel', n))));
      const damage = el('textarea', { id: 'ro-edit-damage', rows: 2, cols: 40, maxlength: 500 });
      damage.value = o.damage_notes || '';
      const words = el('textarea', { id: 'ro-edit-words', rows: 2, cols: 40, maxlength: 500 });
      words.value = o.customer_words || '';
      const waiting = el('input', { id: 'ro-edit-waiting', type: 'checkbox', checked: !!o.waiting });
      const promised = el('input', { id: 'ro-edit-promised', type: 'datetime-local', value: o.promised_at ? o.promised_at.slice(0, 16) : '' });
      const kind = el('select', { id: 'ro-edit-kind' }, KINDS.map((k) => el('option', { value: k, selected: o.kind === k }, lbl('ro_kind', k))));
      const err = el('p', { class: 'error', role: 'alert', id: 'ro-edit-error' });
      const save = el('button', { type: 'submit', id: 'ro-edit-save', class: 'primary' }, t('ro_edit_save'));
      const close = () => { clear(slot); opener.hidden = false; opener.focus(); };
      // Only what was changed is sent (an empty text or time clears it).
      const changes = () => {
        const b = {};
        const f = fuel.value === '' ? null : Number(fuel.value);
        if (f !== (o.fuel_eighths ?? null)) b.fuel_eighths = f;
        if (damage.value.trim() !== (o.damage_notes || '')) b.damage_notes = damage.value.trim();
        if (words.value.trim() !== (o.customer_words || '')) b.customer_words = words.value.trim();
        if (waiting.checked !== !!o.waiting) b.waiting = waiting.checked;
        const p = promised.value ? promised.value.slice(0, 16) : null;
        if (p !== (o.promised_at ? o.promised_at.slice(0, 16) : null)) b.promised_at = p;
        if (kind.value !== o.kind) b.kind = kind.value;
        return b;
      };
      const form = el('form', { id: 'ro-edit-form', class: 'ro-edit', onsubmit: (e) => {
        e.preventDefault();
        busy(save, async () => {
          err.textContent = '';
          const b = changes();
          if (!Object.keys(b).length) { notice(t('ro_edit_none')); close(); return; }
          const r = await api('PATCH', `/repair-orders/${o.id}`, b);
          if (r.status !== 200) {
            err.textContent = errorText(r);
            // Settled, delivered or cancelled meanwhile: the order is shown as it is now.
            if (r.status === 409) { notice(err.textContent, 'error'); await load('#ro-refresh'); }
            return;
          }
          notice(t('ro_edit_saved'));
          await load('#ro-edit-open');
        });
      } },
      el('h3', {}, t('ro_edit_title')),
      el('div', { class: 'row' }, field('ro_fuel_col', fuel), field('ro_promised', promised), field('ro_kind_col', kind),
        el('label', { class: 'ro-check' }, waiting, ' ' + t('ro_waiting'))),
      field('ro_damage', damage), field('ro_words', words),
      err,
      el('div', { class: 'row' }, save, el('button', { type: 'button', id: 'ro-edit-cancel', onclick: close }, t('cancel'))));
      form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
      return form;
    }

    // ---- lines ----
    function totals() {
      return el('p', { class: 'ro-totals' },
        t('ro_labour') + ' ' + money(o.labour_fen), ' · ', t('ro_parts') + ' ' + money(o.parts_fen), ' · ',
        Object.entries(o.by_payer || {}).map(([p, fen]) => `${lbl('ro_payer', p)} ${money(fen)}`).join(' · '), ' · ',
        el('strong', {}, t('ro_due') + ' ', el('span', { id: 'ro-amount-due', dataset: { fen: o.amount_due_fen } }, money(o.amount_due_fen))));
    }

    function decisionCell(l) {
      if (l.decision !== 'pending' || !mayReceive() || CLOSED.includes(o.status)) return decisionText(l);
      const via = el('select', { class: 'ro-decide-via', 'aria-label': t('ro_decide_via') }, ['phone', 'in_person'].map((x) => el('option', { value: x }, lbl('ro_via', x))));
      const by = el('input', { class: 'ro-decide-by', size: 8, maxlength: 64, 'aria-label': t('ro_decide_by'), placeholder: t('ro_decide_by') });
      const decide = (approved, button) => busy(button, async () => {
        const b = { approved, via: via.value };
        if (by.value.trim()) b.by = by.value.trim();
        const r = await api('POST', `/repair-orders/${o.id}/lines/${l.id}/decision`, b);
        if (r.status !== 200 && r.status !== 201) { notice(errorText(r), 'error'); return; }
        notice(lbl('ro_decision', approved ? 'approved' : 'declined'));
        await load();
      });
      return el('div', { class: 'ro-decide' }, el('span', { class: 'tag warn' }, lbl('ro_decision', 'pending')), via, by,
        el('button', { type: 'button', class: 'ro-approve', dataset: { lineId: l.id }, onclick: (e) => decide(true, e.currentTarget) }, t('ro_approve')),
        el('button', { type: 'button', class: 'danger ro-decline', dataset: { lineId: l.id }, onclick: (e) => decide(false, e.currentTarget) }, t('ro_decline')));
    }

    function actCell(l) {
      if (l.type !== 'labour' || !mayWork() || o.status !== 'in_progress' || l.decision === 'declined' || l.decision === 'pending') return null;
      const action = l.clock_on ? 'off' : 'on';
      return el('button', { type: 'button', class: 'ro-clock', dataset: { lineId: l.id, action }, onclick: (e) => busy(e.currentTarget, async () => {
        const r = await api('POST', `/repair-orders/${o.id}/lines/${l.id}/clock`, { action });
        if (r.status !== 200 && r.status !== 201) { notice(errorText(r), 'error'); return; }
        await load(`.ro-clock[data-line-id="${l.id}"]`);
      }) }, t(action === 'on' ? 'ro_clock_on' : 'ro_clock_off'));
    }

    function addForm() {
      if (CLOSED.includes(o.status) || o.status === 'settled' || !(mayReceive() || mayWork()) || !catalogue) return null;
      const type = el('select', { id: 'ro-add-type' }, ['labour', 'part'].map((x) => el('option', { value: x }, lbl('ro_line_type', x))));
      const op = el('select', { id: 'ro-add-op' }, el('option', { value: '' }, '—'),
        catalogue.ops.map((x) => el('option', { value: x.code }, `${x.code} ${x.name} · ${money(x.labour_fen)}`)));
      const part = el('input', { id: 'ro-add-part', list: 'ro-part-list', size: 14, autocomplete: 'off' });
      const qty = el('input', { id: 'ro-add-qty', type: 'number', min: 1, max: 99, value: 1, size: 3 });
      const payer = el('select', { id: 'ro-add-payer' }, PAYERS.map((x) => el('option', { value: x }, lbl('ro_payer', x))));
      // Work found once the job has started needs the customer's approval (RO-4).
      const approval = el('input', { id: 'ro-add-approval', type: 'checkbox', checked: o.status !== 'open' });
      const opField = field('ro_add_op', op);
      const partFields = el('span', { class: 'row', hidden: true }, field('ro_add_part', part), field('ro_add_qty', qty),
        el('datalist', { id: 'ro-part-list' }, catalogue.parts.map((p) => el('option', { value: p.part_no }, p.name))));
      type.addEventListener('change', () => { opField.hidden = type.value !== 'labour'; partFields.hidden = type.value !== 'part'; });
      const submit = el('button', { type: 'submit', id: 'ro-add-submit', class: 'primary' }, t('ro_add_submit'));
      const err = el('p', { class: 'error', role: 'alert', id: 'ro-add-error' });
      return el('form', { id: 'ro-add-form', class: 'ro-add', onsubmit: (e) => {
        e.preventDefault();
        busy(submit, async () => {
          err.textContent = '';
          const b = { payer: payer.value, needs_approval: approval.checked };
          if (type.value === 'labour') { if (!op.value) { err.textContent = t('ro_add_choose'); return; } b.op = op.value; }
          else { if (!part.value.trim()) { err.textContent = t('ro_add_choose'); return; } b.part_no = part.value.trim(); b.qty = Number(qty.value) || 1; }
          const r = await api('POST', `/repair-orders/${o.id}/lines`, b);
          if (r.status !== 201) { err.textContent = errorText(r); return; }
          notice(t('ro_add_done'));
          await load('#ro-add-op');
        });
      } },
      el('h3', {}, t('ro_add')),
      el('div', { class: 'row' }, field('ro_add_type', type), opField, partFields, field('ro_add_payer', payer),
        el('label', { class: 'ro-check' }, approval, ' ' + t('ro_add_approval')), submit),
      err);
    }

    // ---- status actions (RO-5, RO-7) ----
    function actionsCard() {
      const acts = [];
      const s = o.status;
      if (s === 'open' && mayWork()) acts.push({ key: 'in_progress', status: 'in_progress' });
      if (s === 'in_progress' && mayWork()) acts.push({ key: 'qc', status: 'qc' });
      if (s === 'qc' && mayWork()) acts.push({ key: 'ready', status: 'ready' }, { key: 'qc_fail', status: 'in_progress', reason: true });
      if (s === 'settled' && mayReceive()) acts.push({ key: 'delivered', status: 'delivered' });
      if (['open', 'in_progress', 'qc', 'ready'].includes(s) && mayReceive()) acts.push({ key: 'cancelled', status: 'cancelled', reason: true, danger: true });
      const reasonSlot = el('div', { id: 'ro-reason-slot' });
      const buttons = acts.map((a) => el('button', {
        type: 'button', id: 'ro-act-' + a.key.replace('_', '-'), class: a.danger || a.key === 'qc_fail' ? 'danger' : 'primary', dataset: { status: a.status },
        onclick: (e) => (a.reason ? askReason(a, reasonSlot) : setStatus(a, null, e.currentTarget)),
      }, (t('ro_act') || {})[a.key]));
      return el('section', { class: 'card', id: 'ro-actions' }, el('h2', {}, t('ro_actions')),
        buttons.length ? el('div', { class: 'row' }, buttons) : el('p', { class: 'muted' }, t(CLOSED.includes(s) ? 'ro_closed' : 'ro_no_actions')),
        reasonSlot);
    }

    function askReason(a, slot) {
      const reason = el('input', { id: 'ro-reason', size: 40, maxlength: 200, 'aria-label': t('ro_reason') });
      const ok = el('button', { type: 'submit', id: 'ro-reason-ok', class: 'danger' }, t('ro_reason_ok'));
      clear(slot, el('form', { class: 'row', onsubmit: (e) => {
        e.preventDefault();
        if (!reason.value.trim()) { notice(t('ro_need_reason'), 'error'); reason.focus(); return; }
        setStatus(a, reason.value.trim(), ok);
      } }, el('strong', {}, (t('ro_act') || {})[a.key]), field('ro_reason', reason), ok,
      el('button', { type: 'button', onclick: () => clear(slot) }, t('cancel'))));
      reason.focus();
    }

    function setStatus(a, reason, button) {
      return busy(button, async () => {
        const b = { status: a.status };
        if (reason) b.reason = reason;
        const r = await api('POST', `/repair-orders/${o.id}/status`, b);
        if (r.status !== 200) { notice(errorText(r), 'error'); return; }
        notice(t('ro_status_done', lbl('ro_status', r.data.status)));
        await load('#ro-actions button');
      });
    }

    // ---- settlement (RO-7) ----
    function settleCard() {
      const sub = o.by_payer || {};
      const summary = el('table', { class: 'grid ro-payers' },
        el('thead', {}, el('tr', {}, el('th', {}, t('ro_by_payer')), el('th', { class: 'num' }, t('ro_subtotal')))),
        el('tbody', {}, Object.entries(sub).map(([p, fen]) => el('tr', { dataset: { payer: p } }, el('td', {}, lbl('ro_payer', p)), el('td', { class: 'num' }, money(fen))))));
      if (o.status === 'settled' || o.status === 'delivered' || (o.payments || []).length) {
        return el('section', { class: 'card', id: 'ro-settlement' }, el('h2', {}, t('ro_settle')), summary,
          o.discount_fen ? el('p', { id: 'ro-discount' }, t('ro_discount') + ' ' + money(o.discount_fen),
            o.discount_approved_by ? ' · ' + t('ro_discount_approved', approverName(approvers, o.discount_approved_by)) : '') : null,
          el('p', {}, el('strong', {}, t('ro_due') + ' ' + money(o.amount_due_fen))),
          table([
            { key: 'ro_pay_method', get: (p) => lbl('ro_method', p.method) },
            { key: 'ro_col_amount', class: 'num', get: (p) => money(p.amount_fen) },
            { key: 'ro_pay_at', get: (p) => timestamp(p.at) },
          ], o.payments || [], { class: 'ro-payments' }),
          o.receivable_id ? el('p', { class: 'tag warn' }, t('ro_receivable', o.receivable_id)) : null);
      }
      if (o.status !== 'ready' || !mayReceive()) return null;
      const customerSub = sub.customer != null ? sub.customer : (o.amount_due_fen || 0) + (o.discount_fen || 0);
      const methods = METHODS.filter((m) => m !== 'on_account' || (o.customer && o.customer.type === 'company'));
      const discount = el('input', { id: 'settle-discount', inputmode: 'decimal', size: 8, value: '' });
      // The service manager who approved the discount (the API's discount_approved_by), one of
      // the store's (GET /reception's discount_approvers); a manager settling is the default.
      const me = state.me && state.me.user;
      const managers = approvers || [];
      const approver = el('select', { id: 'settle-approver', disabled: managers.length === 0 },
        el('option', { value: '' }, managers.length ? t('ro_discount_pick') : t('ro_no_approvers')),
        managers.map((u) => el('option', { value: u.id, selected: !!me && me.role === 'service_manager' && u.id === me.id }, u.name)));
      const due = el('strong', { id: 'settle-due' });
      const rows = el('div', { id: 'pay-rows' });
      const sum = el('span', { id: 'pay-sum' });
      const submit = el('button', { type: 'submit', id: 'settle-submit', class: 'primary big', disabled: true }, t('ro_settle_submit'));
      const err = el('p', { class: 'error', role: 'alert', id: 'settle-error' });
      const dueFen = () => {
        const d = discount.value.trim() === '' ? 0 : toFen(discount.value);
        return d === null ? null : customerSub - d;
      };
      const paid = () => [...rows.querySelectorAll('.pay-row')].map((r) => ({ method: r.querySelector('.pay-method').value, raw: r.querySelector('.pay-amount').value.trim() }))
        .filter((p) => p.raw !== '').map((p) => ({ method: p.method, amount_fen: toFen(p.raw) }));
      const update = () => {
        const d = dueFen();
        due.textContent = d === null ? '—' : money(d);
        due.dataset.fen = d === null ? '' : String(d);
        const ps = paid();
        const bad = ps.some((p) => p.amount_fen === null || p.amount_fen <= 0);
        const total = bad ? null : ps.reduce((a, p) => a + p.amount_fen, 0);
        sum.textContent = total === null || d === null ? '—' : t('ro_pay_sum', money(total), money(d))
          + (total < d ? ' · ' + t('ro_pay_left', money(d - total)) : total > d ? ' · ' + t('ro_pay_over', money(total - d)) : ' ✓');
        sum.className = total !== null && total === d ? 'tag ok' : 'tag warn';
        submit.disabled = d === null || d < 0 || total === null || total !== d || (o.pending_decisions || 0) > 0;
        return { d, ps, total };
      };
      const addRow = (fen) => {
        const method = el('select', { class: 'pay-method', 'aria-label': t('ro_pay_method') }, methods.map((m) => el('option', { value: m }, lbl('ro_method', m))));
        // A new row offers a method not used yet.
        const used = [...rows.querySelectorAll('.pay-method')].map((s) => s.value);
        method.value = methods.find((m) => !used.includes(m)) || methods[0];
        const amount = el('input', { class: 'pay-amount', inputmode: 'decimal', size: 10, 'aria-label': t('ro_pay_amount'), value: fen > 0 ? toYuan(fen) : '' });
        const row = el('div', { class: 'row pay-row' }, field('ro_pay_method', method), field('ro_pay_amount', amount),
          el('button', { type: 'button', class: 'link pay-remove', onclick: () => { row.remove(); update(); } }, t('ro_pay_remove')));
        method.addEventListener('change', update);
        amount.addEventListener('input', update);
        rows.append(row);
        update();
        return amount;
      };
      discount.addEventListener('input', update);
      const add = el('button', { type: 'button', id: 'pay-add', onclick: () => {
        const { d, total } = update();
        const left = d !== null && total !== null ? d - total : 0;
        addRow(left).focus();
      } }, t('ro_pay_add'));
      const form = el('form', { id: 'settle-form', class: 'card', onsubmit: (e) => {
        e.preventDefault();
        busy(submit, async () => {
          err.textContent = '';
          const { d, ps, total } = update();
          if (d === null || total !== d) return;
          const b = { payments: ps };
          const disc = discount.value.trim() === '' ? 0 : toFen(discount.value);
          if (disc) {
            if (!approver.value) { err.textContent = t('ro_need_approver'); approver.focus(); return; }
            b.discount_fen = disc;
            b.discount_approved_by = Number(approver.value);
          }
          const r = await api('POST', `/repair-orders/${o.id}/settle`, b);
          if (r.status !== 200 && r.status !== 201) { err.textContent = errorText(r); return; }
          notice(t('ro_settled'));
          await load('#ro-act-delivered');
        });
      } },
      el('h2', {}, t('ro_settle')),
      el('div', { class: 'cols' }, el('div', {}, summary,
        el('p', {}, t('ro_labour') + ' ' + money(o.labour_fen), ' · ', t('ro_parts') + ' ' + money(o.parts_fen))),
      el('div', {},
        el('div', { class: 'row' }, field('ro_discount', discount), field('ro_discount_by', approver)),
        el('p', { class: 'ro-due' }, t('ro_due') + '：', due),
        (o.pending_decisions || 0) > 0 ? el('p', { class: 'tag warn' }, t('ro_decision_pending_note')) : null,
        rows, el('div', { class: 'row' }, add, sum))),
      err, submit);
      addRow(customerSub);
      return form;
    }

    await load();
  },
});
