// Receivables (应收账款, RO-7, CRM-3's data): what company customers owe on account (挂账) from
// settled repair orders, open or paid; the overdue ones marked and counted; a payment against
// one (by method, never more than is owed: the server refuses it too); each links to its
// order and its customer; the list prints (A4 landscape, print.css) and exports as CSV for
// the accounts. For the advisors and the service manager (permission repair_order).
import {
  addText, api, busy, can, clear, date, downloadCsv, el, errorLine, errorText, field, money, notice, person,
  registerScreen, state, t, table, timestamp,
} from './core.js';
import { lbl, METHODS, toFen, toYuan } from './ro_common.js';

addText({
  zh: {
    rcv_nav: '应收账款', rcv_title: (s, d) => `应收账款 · ${s} · ${d}`, rcv_refresh: '刷新', rcv_print: '打印', rcv_export: '导出 CSV',
    rcv_status: { open: '未结清', paid: '已结清' },
    rcv_summary: (n, owed) => `${n} 笔，未收合计 ${owed}`, rcv_summary_overdue: (n, owed) => `其中逾期 ${n} 笔，${owed}`,
    rcv_summary_paid: (n, sum) => `${n} 笔，合计 ${sum}`,
    rcv_number: '工单号', rcv_customer: '客户', rcv_created: '挂账时间', rcv_due: '到期日', rcv_amount: '挂账金额',
    rcv_paid: '已收', rcv_owed: '未收', rcv_state: '状态', rcv_paid_at: '结清时间', rcv_blank: '',
    rcv_overdue: '已逾期', rcv_overdue_days: (n) => `逾期 ${n} 天`, rcv_not_due: '未到期', rcv_overdue_col: '是否逾期',
    rcv_yes: '是', rcv_no: '否',
    rcv_pay: '收款', rcv_pay_title: (n, c) => `收款：工单 ${n} · ${c}`, rcv_pay_owed: (x) => `未收 ${x}`,
    rcv_method: '付款方式', rcv_amount_in: '金额（元）', rcv_pay_submit: '确认收款',
    rcv_bad_amount: '请填写正确的金额', rcv_too_much: (x) => `不能超过未收金额 ${x}`,
    rcv_paid_done: (x, n) => `已收款 ${x}（工单 ${n}）`, rcv_settled_done: (n) => `工单 ${n} 的挂账已结清`,
    rcv_empty_open: '没有未结清的应收账款。', rcv_empty_paid: '没有已结清的应收账款。',
    rcv_file: (s, d) => `应收账款-${s}-${d}.csv`,
  },
  en: {
    rcv_nav: 'Receivables', rcv_title: (s, d) => `Receivables · ${s} · ${d}`, rcv_refresh: 'Refresh', rcv_print: 'Print', rcv_export: 'Export CSV',
    rcv_status: { open: 'Open', paid: 'Paid' },
    rcv_summary: (n, owed) => `${n} open, ${owed} owed`, rcv_summary_overdue: (n, owed) => `${n} overdue, ${owed}`,
    rcv_summary_paid: (n, sum) => `${n} paid, ${sum} in all`,
    rcv_number: 'Order no.', rcv_customer: 'Customer', rcv_created: 'On account since', rcv_due: 'Due', rcv_amount: 'Amount',
    rcv_paid: 'Paid', rcv_owed: 'Owed', rcv_state: 'Status', rcv_paid_at: 'Paid in full', rcv_blank: '',
    rcv_overdue: 'Overdue', rcv_overdue_days: (n) => `${n} day${n === 1 ? '' : 's'} overdue`, rcv_not_due: 'Not due', rcv_overdue_col: 'Overdue',
    rcv_yes: 'yes', rcv_no: 'no',
    rcv_pay: 'Take payment', rcv_pay_title: (n, c) => `Payment: order ${n} · ${c}`, rcv_pay_owed: (x) => `${x} owed`,
    rcv_method: 'Method', rcv_amount_in: 'Amount (yuan)', rcv_pay_submit: 'Record the payment',
    rcv_bad_amount: 'Enter an amount of money', rcv_too_much: (x) => `Not more than is owed: ${x}`,
    rcv_paid_done: (x, n) => `${x} received (order ${n})`, rcv_settled_done: (n) => `Order ${n} is paid in full`,
    rcv_empty_open: 'Nothing is owed.', rcv_empty_paid: 'No receivable is paid yet.',
    rcv_file: (s, d) => `receivables-${s}-${d}.csv`,
  },
});

const STATUSES = ['open', 'paid'];
// A receivable is paid, not put on account again.
const PAY_METHODS = METHODS.filter((m) => m !== 'on_account');

const owed = (x) => Math.max(0, (x.amount_fen || 0) - (x.paid_fen || 0));

// Whole days from the due date to `today` (the store's; positive: overdue), across months,
// years and Feb 29; 0 without a date.
export function daysLate(due, today = state.today) {
  if (!due || !today) return 0;
  const d = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  return Math.round((d(today) - d(due)) / 86400000);
}

registerScreen({
  id: 'receivables',
  nav: 'rcv_nav',
  allowed: () => can('repair_order'),
  async render(root, params) {
    let status = STATUSES.includes(params.status) ? params.status : 'open';
    let items = [];
    const title = el('h1', {});
    const tabs = el('div', { class: 'row tabs', role: 'group' });
    const summary = el('p', { id: 'rcv-summary', class: 'rcv-summary' });
    const paySlot = el('div', { id: 'rcv-pay-slot' });
    const listBox = el('div', { id: 'rcv-list' }, el('p', { class: 'muted' }, t('loading')));
    const exportBtn = el('button', { type: 'button', id: 'rcv-export', onclick: () => exportCsv() }, t('rcv_export'));
    clear(root,
      el('div', { class: 'toolbar' }, title, el('span', { class: 'archive-spacer' }),
        el('button', { type: 'button', id: 'rcv-print', onclick: () => window.print() }, t('rcv_print')), exportBtn,
        el('button', { type: 'button', id: 'rcv-refresh', onclick: () => load() }, t('rcv_refresh'))),
      tabs, summary, paySlot, listBox);

    function drawTabs() {
      clear(title, t('rcv_title', lbl('rcv_status', status), date(state.today)));
      clear(tabs, STATUSES.map((s) => el('button', {
        type: 'button', class: 'tab', id: 'rcv-tab-' + s, dataset: { status: s }, 'aria-pressed': s === status ? 'true' : 'false',
        onclick: () => {
          if (s === status) return;
          status = s;
          // The tab is kept in the address (a language switch or a reload shows it again).
          history.replaceState(null, '', '#/receivables?status=' + s);
          clear(paySlot);
          load('#rcv-tab-' + s);
        },
      }, lbl('rcv_status', s))));
    }

    const columns = () => [
      { key: 'rcv_number', get: (x) => el('a', { href: `#/repair-order?id=${x.repair_order_id}`, class: 'rcv-order-link ro-number', dataset: { orderId: x.repair_order_id } }, x.number || '#' + x.repair_order_id),
        csv: (x) => x.number },
      { key: 'rcv_customer', get: (x) => (x.customer ? el('a', { href: `#/archive?customer=${x.customer.id}` }, person(x.customer)) : '—'),
        csv: (x) => (x.customer ? x.customer.name : '') },
      { key: 'rcv_created', get: (x) => timestamp(x.created_at), csv: (x) => timestamp(x.created_at) },
      { key: 'rcv_due', get: (x) => date(x.due_date, false), csv: (x) => x.due_date },
      { key: 'rcv_amount', class: 'num', get: (x) => money(x.amount_fen), csv: (x) => toYuan(x.amount_fen || 0) },
      { key: 'rcv_paid', class: 'num', get: (x) => money(x.paid_fen), csv: (x) => toYuan(x.paid_fen || 0) },
      { key: 'rcv_owed', class: 'num', get: (x) => el('strong', { class: 'rcv-owed', dataset: { fen: owed(x) } }, money(owed(x))), csv: (x) => toYuan(owed(x)) },
      { key: 'rcv_state', get: (x) => stateTag(x), csv: (x) => (x.status === 'paid' ? lbl('rcv_status', 'paid') : x.overdue ? t('rcv_overdue_days', daysLate(x.due_date)) : lbl('rcv_status', 'open')) },
      status === 'paid'
        ? { key: 'rcv_paid_at', get: (x) => timestamp(x.paid_at), csv: (x) => (x.paid_at ? timestamp(x.paid_at) : '') }
        : { key: 'rcv_overdue_col', get: () => null, csv: (x) => t(x.overdue ? 'rcv_yes' : 'rcv_no'), screen: false },
      { key: 'rcv_blank', class: 'rcv-act', get: (x) => (x.status === 'open' && owed(x) > 0
        ? el('button', { type: 'button', class: 'primary rcv-pay', dataset: { id: x.id }, onclick: () => openPay(x) }, t('rcv_pay')) : null), screen: true },
    ];

    function stateTag(x) {
      if (x.status === 'paid') return el('span', { class: 'tag ok' }, lbl('rcv_status', 'paid'));
      if (x.overdue) return el('span', { class: 'tag bad rcv-overdue' }, t('rcv_overdue_days', Math.max(1, daysLate(x.due_date))));
      return el('span', { class: 'tag' }, t('rcv_not_due'));
    }

    function draw() {
      drawTabs();
      const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
      if (status === 'open') {
        const late = items.filter((x) => x.overdue);
        clear(summary, t('rcv_summary', items.length, money(sum(items, owed))),
          late.length ? [' · ', el('span', { class: 'tag bad' }, t('rcv_summary_overdue', late.length, money(sum(late, owed))))] : null);
      } else {
        clear(summary, t('rcv_summary_paid', items.length, money(sum(items, (x) => x.amount_fen || 0))));
      }
      exportBtn.disabled = items.length === 0;
      const cols = columns().filter((c) => c.screen !== false);
      clear(listBox, table(cols, items, {
        class: 'rcv-table', empty: status === 'open' ? 'rcv_empty_open' : 'rcv_empty_paid',
        rowAttrs: (x) => ({ class: 'rcv-row' + (x.overdue && x.status === 'open' ? ' overdue' : ''),
          dataset: { id: x.id, orderId: x.repair_order_id, status: x.status, overdue: x.overdue ? '1' : '0' } }),
      }));
    }

    async function load(focusSel) {
      const r = await api('GET', '/receivables?status=' + status);
      if (!root.isConnected) return;
      if (r.status !== 200) { drawTabs(); clear(listBox, errorLine(t('load_failed', errorText(r)))); return; }
      // Open: the overdue first, then by due date; paid: the latest paid first.
      const cmp = (a, b) => String(a || '').localeCompare(String(b || ''));
      items = (r.data.items || []).slice().sort(status === 'open'
        ? (a, b) => (b.overdue ? 1 : 0) - (a.overdue ? 1 : 0) || cmp(a.due_date, b.due_date) || cmp(a.number, b.number)
        : (a, b) => cmp(b.paid_at, a.paid_at) || cmp(a.number, b.number));
      draw();
      const f = focusSel && root.querySelector(focusSel);
      if (f) f.focus();
    }

    // ---- a payment against one receivable ----
    function openPay(x) {
      const left = owed(x);
      const method = el('select', { id: 'rcv-method' }, PAY_METHODS.map((m) => el('option', { value: m }, lbl('ro_method', m))));
      const amount = el('input', { id: 'rcv-amount', inputmode: 'decimal', size: 10, value: toYuan(left), autocomplete: 'off' });
      const err = el('p', { class: 'error', role: 'alert', id: 'rcv-pay-error' });
      const submit = el('button', { type: 'submit', id: 'rcv-pay-submit', class: 'primary' }, t('rcv_pay_submit'));
      const close = (focus = true) => {
        clear(paySlot);
        const again = focus && listBox.querySelector(`.rcv-pay[data-id="${x.id}"]`);
        if (again) again.focus();
      };
      const form = el('form', { id: 'rcv-pay-form', class: 'card rcv-pay-form', dataset: { id: x.id }, onsubmit: (e) => {
        e.preventDefault();
        busy(submit, async () => {
          err.textContent = '';
          const fen = toFen(amount.value);
          if (fen === null || fen <= 0) { err.textContent = t('rcv_bad_amount'); amount.focus(); return; }
          if (fen > left) { err.textContent = t('rcv_too_much', money(left)); amount.focus(); return; }
          const r = await api('POST', `/receivables/${x.id}/payments`, { method: method.value, amount_fen: fen });
          if (r.status !== 200 && r.status !== 201) { err.textContent = errorText(r); return; }
          notice(r.data.status === 'paid' ? t('rcv_settled_done', x.number) : t('rcv_paid_done', money(fen), x.number));
          clear(paySlot);
          // Paid in part: its button again; paid in full: the list's first button, or the tab.
          await load(r.data.status === 'paid' ? '.rcv-pay, #rcv-tab-open' : `.rcv-pay[data-id="${x.id}"]`);
        });
      } },
      el('h2', {}, t('rcv_pay_title', x.number, person(x.customer)), ' ', el('span', { class: 'tag warn' }, t('rcv_pay_owed', money(left)))),
      el('div', { class: 'row' }, field('rcv_method', method), field('rcv_amount_in', amount), submit,
        el('button', { type: 'button', id: 'rcv-pay-cancel', onclick: () => close() }, t('cancel'))),
      err);
      form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
      clear(paySlot, form);
      method.focus();
    }

    function exportCsv() {
      const cols = columns().filter((c) => c.screen !== true);
      downloadCsv(t('rcv_file', status, state.today), cols, items);
    }

    await load();
  },
});
