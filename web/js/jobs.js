// A technician's "my jobs today" (RO-5): the orders dispatched to the technician chosen, each
// labour line with its standard and clocked time and a clock on / clock off button, and the
// order's next step (done: to QC; QC passed, or failed with a reason). For the workshop and the
// service manager; the technician is remembered on this computer (the workshop's terminal).
import {
  addText, api, busy, can, clear, date, el, errorLine, errorText, field, get, go, notice, person, registerScreen, state,
  t,
} from './core.js';
import { lbl, statusTag } from './ro_common.js';

addText({
  zh: {
    jobs_nav: '我的工作', jobs_title: (d) => `今日工作 · ${d}`, jobs_tech: '技师', jobs_refresh: '刷新',
    jobs_none: '今天没有派给这位技师的工单。', jobs_pick: '请选择技师。',
    jobs_hours: (h, m) => `标准 ${h} 工时 · 已打卡 ${m} 分钟`, jobs_on_since: (at) => `${at} 起打卡中`,
    jobs_on: '开工打卡', jobs_off: '停工打卡', jobs_to_qc: '完工送检', jobs_qc_pass: '质检合格', jobs_qc_fail: '质检不合格',
    jobs_reason: '不合格原因', jobs_ok: '确认', jobs_open: '打开工单', jobs_done: (s) => `工单状态：${s}`,
    jobs_words: '客户描述',
  },
  en: {
    jobs_nav: 'My jobs', jobs_title: (d) => `Jobs today · ${d}`, jobs_tech: 'Technician', jobs_refresh: 'Refresh',
    jobs_none: 'No order is dispatched to this technician today.', jobs_pick: 'Choose the technician.',
    jobs_hours: (h, m) => `${h} h standard · ${m} min clocked`, jobs_on_since: (at) => `clocked on since ${at}`,
    jobs_on: 'Clock on', jobs_off: 'Clock off', jobs_to_qc: 'Done: to QC', jobs_qc_pass: 'QC passed', jobs_qc_fail: 'QC failed',
    jobs_reason: 'Why it failed', jobs_ok: 'Confirm', jobs_open: 'Open the order', jobs_done: (s) => `Order status: ${s}`,
    jobs_words: "Customer's words",
  },
});

const KEY = 'dms_jobs_technician';

function hm(ts) {
  if (!ts) return '';
  const m = /T(\d{2}:\d{2})/.exec(ts);
  if (m && !/Z$/.test(ts)) return m[1];
  const tz = (state.me && state.me.store && state.me.store.timezone) || undefined;
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ts));
}

registerScreen({
  id: 'jobs',
  nav: 'jobs_nav',
  allowed: () => can('dispatch'),
  async render(root, params) {
    const day = state.today;
    const techs = (await get('/technicians')).items || [];
    const saved = params.technician || localStorage.getItem(KEY) || '';
    const pick = el('select', { id: 'jobs-tech', 'aria-label': t('jobs_tech') },
      el('option', { value: '' }, '—'),
      techs.map((x) => el('option', { value: x.id, selected: String(x.id) === String(saved) }, x.name)));
    const list = el('div', { id: 'jobs-list' });
    pick.addEventListener('change', () => { localStorage.setItem(KEY, pick.value); load(); });
    clear(root,
      el('div', { class: 'toolbar' }, el('h1', {}, t('jobs_title', date(day))), field('jobs_tech', pick),
        el('button', { type: 'button', id: 'jobs-refresh', onclick: () => load() }, t('jobs_refresh'))),
      list);

    async function load(focusSel) {
      if (!pick.value) { clear(list, el('p', { class: 'muted' }, t('jobs_pick'))); return; }
      const r = await api('GET', `/jobs?date=${encodeURIComponent(day)}&technician_id=${encodeURIComponent(pick.value)}`);
      if (!root.isConnected) return;
      if (r.status !== 200) { clear(list, errorLine(t('load_failed', errorText(r)))); return; }
      const d = r.data || {};
      const orders = Array.isArray(d) ? d : d.items || d.jobs || d.orders || [];
      clear(list, orders.length ? orders.map(job) : el('p', { class: 'muted' }, t('jobs_none')));
      const f = focusSel && list.querySelector(focusSel);
      if (f) f.focus();
    }

    function job(o) {
      const lines = (o.lines || []).filter((l) => l.type === 'labour' && l.decision !== 'declined' && l.decision !== 'pending');
      const reasonSlot = el('div', {});
      const status = async (s, button, reason) => busy(button, async () => {
        const b = { status: s };
        if (reason) b.reason = reason;
        const r = await api('POST', `/repair-orders/${o.id}/status`, b);
        if (r.status !== 200) { notice(errorText(r), 'error'); return; }
        notice(t('jobs_done', lbl('ro_status', r.data.status)));
        await load(`.jobs-order[data-order-id="${o.id}"] button`);
      });
      const fail = (button) => {
        const reason = el('input', { class: 'jobs-reason', size: 30, maxlength: 200, 'aria-label': t('jobs_reason') });
        const ok = el('button', { type: 'submit', class: 'danger jobs-reason-ok' }, t('jobs_ok'));
        clear(reasonSlot, el('form', { class: 'row', onsubmit: (e) => {
          e.preventDefault();
          if (reason.value.trim()) status('in_progress', ok, reason.value.trim());
          else reason.focus();
        } }, field('jobs_reason', reason), ok));
        reason.focus();
        return button;
      };
      const v = o.vehicle || {};
      return el('section', { class: 'card jobs-order', dataset: { orderId: o.id, status: o.status } },
        el('h2', {}, el('a', { href: `#/repair-order?id=${o.id}` }, o.number || '#' + o.id), ' ', el('strong', {}, v.plate || ''), ' ',
          el('span', { class: 'muted' }, `${v.brand || ''} ${v.model || ''} · ${person(o.customer)} · ${o.bay_name || ''}`), ' ', statusTag(o.status)),
        o.customer_words ? el('p', {}, el('span', { class: 'muted' }, t('jobs_words') + '：'), o.customer_words) : null,
        el('ul', { class: 'jobs-lines' }, lines.map((l) => {
          const on = !!l.clock_on;
          return el('li', { class: 'jobs-line', dataset: { lineId: l.id, clocked: on ? 'on' : 'off' } },
            el('strong', {}, `${l.code || ''} ${l.name || ''}`), ' ',
            el('span', { class: 'muted' }, t('jobs_hours', l.hours ?? '—', l.clocked_min || 0)), ' ',
            on ? el('span', { class: 'tag warn' }, t('jobs_on_since', hm(l.clock_on.at))) : null, ' ',
            o.status === 'in_progress' ? el('button', {
              type: 'button', class: (on ? 'jobs-clock-off' : 'jobs-clock-on primary'), dataset: { lineId: l.id },
              onclick: (e) => busy(e.currentTarget, async () => {
                const b = { action: on ? 'off' : 'on', technician_id: Number(pick.value) };
                const r = await api('POST', `/repair-orders/${o.id}/lines/${l.id}/clock`, b);
                if (r.status !== 200 && r.status !== 201) { notice(errorText(r), 'error'); return; }
                await load(`.jobs-line[data-line-id="${l.id}"] button`);
              }),
            }, t(on ? 'jobs_off' : 'jobs_on')) : null);
        })),
        el('div', { class: 'row' },
          o.status === 'in_progress' ? el('button', { type: 'button', class: 'primary jobs-to-qc', onclick: (e) => status('qc', e.currentTarget) }, t('jobs_to_qc')) : null,
          o.status === 'qc' ? [
            el('button', { type: 'button', class: 'primary jobs-qc-pass', onclick: (e) => status('ready', e.currentTarget) }, t('jobs_qc_pass')),
            el('button', { type: 'button', class: 'danger jobs-qc-fail', onclick: (e) => fail(e.currentTarget) }, t('jobs_qc_fail'))] : null,
          el('button', { type: 'button', onclick: () => go('repair-order', { id: o.id }) }, t('jobs_open'))),
        reasonSlot);
    }

    await load();
  },
});
