// The caller's workbench (MR-4, CS-1..CS-5, IN-1): today's call list by type with deadlines;
// a call panel that says what to tell the customer (due date, package and price, special
// needs, the last visits); one click per outcome, the mileage and needs typed in the call;
// "book now" opens the booking call pre-filled; then the next task.
import {
  addText, api, busy, can, clear, date, el, errorText, get, go, km, money, notice, person, registerScreen,
  state, t, timestamp,
} from './core.js';
import { declinedWork } from './ro_common.js';
import { loadOpenComplaints } from './complaints_common.js';

// CS-1: what a follow-up call that reached the customer measures, and the outcomes that did.
const SATISFACTION = ['satisfied', 'neutral', 'dissatisfied'];
const REACHED = ['booked', 'reached', 'undecided', 'declined'];
const CPL_CATEGORIES = ['workmanship', 'service_attitude', 'price', 'parts_delay', 'waiting_time', 'other'];

addText({
  zh: {
    wb_satisfaction: '客户满意度', wb_sat: { satisfied: '满意', neutral: '一般', dissatisfied: '不满意' },
    wb_sat_none: '未问', wb_questions: '回访问题', wb_answer: { '': '—', yes: '是', no: '否' },
    wb_cpl_category: '不满意的原因（将自动登记投诉）',
    wb_cpl_categories: { workmanship: '维修质量', service_attitude: '服务态度', price: '价格', parts_delay: '配件延误', waiting_time: '等待时间', other: '其他' },
    wb_cpl_opened: '已自动登记投诉，服务经理跟进',
  },
  en: {
    wb_satisfaction: 'Satisfaction', wb_sat: { satisfied: 'Satisfied', neutral: 'Neutral', dissatisfied: 'Dissatisfied' },
    wb_sat_none: 'Not asked', wb_questions: 'Follow-up questions', wb_answer: { '': '—', yes: 'Yes', no: 'No' },
    wb_cpl_category: 'Why dissatisfied (a complaint is opened)',
    wb_cpl_categories: { workmanship: 'Workmanship', service_attitude: 'Service attitude', price: 'Price', parts_delay: 'Parts delay', waiting_time: 'Waiting time', other: 'Other' },
    wb_cpl_opened: 'A complaint was opened for the service manager',
  },
});

const TYPES = ['callback', 'maintenance_call', 'maintenance_second_call', 'appointment_confirm', 'followup',
  'first_maintenance', 'lost_customer', 'insurance_renewal', 'annual_inspection', 'campaign', 'no_show_rebook'];
const OUTCOMES = ['booked', 'reached', 'undecided', 'declined', 'no_answer', 'busy', 'call_back_later', 'wrong_number'];

addText({
  zh: {
    workbench_nav: '外呼工作台', workbench_title: (d) => `今日外呼 · ${d}`,
    workbench_all: '全部', workbench_mine: '只看分配给我的', workbench_refresh: '刷新',
    workbench_class: '客户类别', workbench_class_any: '全部类别',
    workbench_classes: { regular: '普通', vip: 'VIP', at_risk: '有流失风险', lost: '已流失' },
    workbench_empty: '今天的任务都完成了。', workbench_pick: '从左侧选择一个任务开始通话。',
    workbench_deadline: (d) => `截止 ${d}`, workbench_overdue: '今天截止', workbench_attempts: (n) => `已拨 ${n} 次`,
    workbench_say: '通话要点', workbench_due: (d, k) => `保养到期：${d}${k ? '，或 ' + k : ''}`,
    workbench_package: (name, price) => `保养内容：${name}，约 ${price}`,
    workbench_last_service: (d) => `上次保养：${d}`, workbench_special: '特殊需求',
    workbench_reason: '任务原因', workbench_history: '维修记录', workbench_attempts_log: '通话记录',
    workbench_mileage: '当前里程（公里）', workbench_needs: '特殊需求（追加记录）', workbench_notes: '通话备注',
    workbench_outcome: '通话结果', workbench_book_now: '现在预约', workbench_next: '下一个任务',
    workbench_saved: (o) => `已记录：${o}`, workbench_phone: '电话',
    workbench_types: { callback: '回电', maintenance_call: '保养提醒', maintenance_second_call: '保养二次提醒',
      appointment_confirm: '确认预约时间', followup: '维修回访', first_maintenance: '首保提醒', lost_customer: '流失客户',
      insurance_renewal: '续保提醒', annual_inspection: '年审提醒', campaign: '召回/活动', maintenance_message: '保养短信',
      no_show_rebook: '爽约改约' },
    workbench_outcomes: { booked: '已预约', reached: '已联系', undecided: '未决定', declined: '拒绝',
      no_answer: '无人接听', busy: '占线', call_back_later: '稍后再打', wrong_number: '号码错误' },
    err_task_closed: '该任务已结束', err_mileage_inconsistent: '里程与已有记录不符，请核对',
  },
  en: {
    workbench_nav: 'Call workbench', workbench_title: (d) => `Calls today · ${d}`,
    workbench_all: 'All', workbench_mine: 'Only mine', workbench_refresh: 'Refresh',
    workbench_class: 'Customer class', workbench_class_any: 'All classes',
    workbench_classes: { regular: 'Regular', vip: 'VIP', at_risk: 'At risk', lost: 'Lost' },
    workbench_empty: "Today's list is done.", workbench_pick: 'Choose a task on the left to start the call.',
    workbench_deadline: (d) => `Due by ${d}`, workbench_overdue: 'Due today', workbench_attempts: (n) => `${n} tries`,
    workbench_say: 'What to say', workbench_due: (d, k) => `Service due: ${d}${k ? ', or at ' + k : ''}`,
    workbench_package: (name, price) => `Work: ${name}, about ${price}`,
    workbench_last_service: (d) => `Last service: ${d}`, workbench_special: 'Special needs',
    workbench_reason: 'Reason', workbench_history: 'Service history', workbench_attempts_log: 'Calls so far',
    workbench_mileage: 'Mileage now (km)', workbench_needs: 'Special needs (added to the record)', workbench_notes: 'Call notes',
    workbench_outcome: 'Outcome', workbench_book_now: 'Book now', workbench_next: 'Next task',
    workbench_saved: (o) => `Recorded: ${o}`, workbench_phone: 'Phone',
    workbench_types: { callback: 'Call-back', maintenance_call: 'Service reminder', maintenance_second_call: 'Second reminder',
      appointment_confirm: 'Confirm booking time', followup: 'Follow-up', first_maintenance: 'First service', lost_customer: 'Lost customer',
      insurance_renewal: 'Insurance renewal', annual_inspection: 'Annual inspection', campaign: 'Recall / campaign', maintenance_message: 'Service SMS',
      no_show_rebook: 'No-show: rebook' },
    workbench_outcomes: { booked: 'Booked', reached: 'Reached', undecided: 'Undecided', declined: 'Declined',
      no_answer: 'No answer', busy: 'Busy', call_back_later: 'Call back later', wrong_number: 'Wrong number' },
    err_task_closed: 'This task is already closed', err_mileage_inconsistent: 'The mileage disagrees with earlier readings; check it',
  },
});

// Every open task on today's list, following the pages (bounded).
// CRM-2: the list of one class of customers (the server filters, GET /tasks?classification=).
const CLASSES = ['regular', 'vip', 'at_risk', 'lost'];

async function loadTasks(mine, cls) {
  const items = [];
  let cursor = '';
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ date: state.today, status: 'open', limit: '200' });
    if (mine) q.set('assignee', 'me');
    if (cls) q.set('classification', cls);
    if (cursor) q.set('cursor', cursor);
    const data = await get('/tasks?' + q);
    items.push(...data.items.filter((x) => x.type !== 'maintenance_message'));
    if (!data.next_cursor) break;
    cursor = data.next_cursor;
  }
  return items;
}

registerScreen({
  id: 'workbench',
  nav: 'workbench_nav',
  home: ['caller'],
  allowed: () => can('task_work'),
  async render(root, params) {
    let filter = params.type || '';
    let mine = params.mine === '1';
    let cls = CLASSES.includes(params.classification) ? params.classification : '';
    let tasks = [];
    let current = null;

    const list = el('div', { id: 'task-list', role: 'list' });
    const tabs = el('div', { id: 'task-types', class: 'row tabs' });
    const panel = el('section', { id: 'call-panel', class: 'card', hidden: true, tabindex: -1 });
    const placeholder = el('p', { class: 'muted pick' }, t('workbench_pick'));
    const classBox = el('select', { id: 'task-class', onchange: () => { cls = classBox.value; reload(); } },
      el('option', { value: '' }, t('workbench_class_any')),
      CLASSES.map((k) => el('option', { value: k, selected: k === cls }, t('workbench_classes')[k])));
    const mineBox = el('input', { type: 'checkbox', id: 'only-mine', checked: mine, onchange: () => { mine = mineBox.checked; reload(); } });

    clear(root,
      el('div', { class: 'toolbar' }, el('h1', {}, t('workbench_title', date(state.today))),
        el('label', {}, mineBox, ' ' + t('workbench_mine')),
        el('label', {}, t('workbench_class') + ' ', classBox),
        el('button', { type: 'button', id: 'refresh-tasks', onclick: () => reload() }, t('workbench_refresh'))),
      tabs,
      el('div', { class: 'workbench-layout' }, list, el('div', {}, placeholder, panel)));

    function renderList() {
      const counts = {};
      for (const x of tasks) counts[x.type] = (counts[x.type] || 0) + 1;
      clear(tabs,
        el('button', { type: 'button', class: 'tab', 'aria-pressed': filter === '' ? 'true' : 'false', onclick: () => { filter = ''; renderList(); } },
          `${t('workbench_all')} ${tasks.length}`),
        TYPES.filter((ty) => counts[ty]).map((ty) => el('button', {
          type: 'button', class: 'tab', dataset: { type: ty }, 'aria-pressed': filter === ty ? 'true' : 'false',
          onclick: () => { filter = ty; renderList(); },
        }, `${t('workbench_types')[ty] || ty} ${counts[ty]}`)));
      const shown = tasks.filter((x) => !filter || x.type === filter);
      clear(list, shown.length === 0 ? el('p', { class: 'muted' }, t('workbench_empty')) :
        shown.map((x) => {
          const c = x.call || {};
          const last = x.deadline <= state.today;
          return el('button', {
            type: 'button', class: 'task-item' + (current && current.id === x.id ? ' current' : ''), role: 'listitem',
            dataset: { taskId: x.id, type: x.type }, onclick: () => open(x.id),
          },
          el('span', { class: 'tag' }, t('workbench_types')[x.type] || x.type),
          el('strong', {}, c.customer ? person(c.customer) : '—'), ' ',
          el('span', {}, c.vehicle ? c.vehicle.plate || '' : ''),
          el('span', { class: last ? 'tag bad' : 'muted' }, last ? t('workbench_overdue') : t('workbench_deadline', date(x.deadline, false))),
          x.attempts ? el('span', { class: 'muted' }, ' · ' + t('workbench_attempts', x.attempts)) : null);
        }));
    }

    async function reload(keep) {
      tasks = await loadTasks(mine, cls);
      renderList();
      if (keep && current && !tasks.find((x) => x.id === current.id)) current = null;
    }

    async function open(id) {
      const task = await get('/tasks/' + id);
      current = task;
      renderList();
      const c = task.call || {};
      const v = c.vehicle || {};
      // The last visits and the car (its declined work, RO-4: offered again in this call).
      const [records, car] = task.vehicle_id ? await Promise.all([
        api('GET', `/vehicles/${task.vehicle_id}/service-records?limit=3`), api('GET', `/vehicles/${task.vehicle_id}`)]) : [null, null];
      const visits = records && records.status === 200 ? records.data.items.slice(0, 3) : [];
      const mileage = el('input', { id: 'call-mileage', type: 'number', min: 0, max: 2000000, step: 1, inputmode: 'numeric' });
      const needs = el('input', { id: 'call-needs', size: 30 });
      const notes = el('input', { id: 'call-notes', size: 40 });
      // CS-1: a follow-up call asks how satisfied the customer is and the store's questions.
      const followup = task.type === 'followup';
      let questions = [];
      if (followup) {
        const st = await api('GET', '/settings');
        questions = st.status === 200 && Array.isArray(st.data.followup_questions) ? st.data.followup_questions : [];
      }
      const satisfaction = el('select', { id: 'call-satisfaction' }, el('option', { value: '' }, t('wb_sat_none')),
        SATISFACTION.map((x) => el('option', { value: x }, t('wb_sat')[x])));
      const category = el('select', { id: 'call-complaint-category' }, CPL_CATEGORIES.map((x) => el('option', { value: x }, t('wb_cpl_categories')[x])));
      category.value = 'other';
      const categoryField = el('label', { class: 'field', hidden: true }, el('span', {}, t('wb_cpl_category')), category);
      satisfaction.addEventListener('change', () => { categoryField.hidden = satisfaction.value !== 'dissatisfied'; });
      const answers = questions.map((q, i) => {
        const s_ = el('select', { class: 'call-answer', id: 'call-answer-' + i, dataset: { question: q } },
          ['', 'yes', 'no'].map((a) => el('option', { value: a }, t('wb_answer')[a])));
        return { q, s: s_, node: el('label', { class: 'field' }, el('span', {}, q), s_) };
      });
      const openComplaints = task.customer_id ? await loadOpenComplaints(task.customer_id) : null;
      const ns = c.next_service;
      const say = [
        ns && ns.due_date ? el('li', {}, t('workbench_due', date(ns.due_date), ns.due_km ? km(ns.due_km) : '')) : null,
        c.package ? el('li', {}, t('workbench_package', c.package.name, money(c.package.price_fen))) : null,
        c.last_service_date ? el('li', {}, t('workbench_last_service', date(c.last_service_date, false))) : null,
        c.special_needs && ((c.special_needs.needs || []).length || c.special_needs.note)
          ? el('li', { class: 'special' }, t('workbench_special') + '：',
            (c.special_needs.needs || []).map((n) => el('span', { class: 'tag' }, t('booking_need_names')[n] || n)),
            c.special_needs.note || '') : null,
      ];
      clear(panel,
        el('h2', {}, el('span', { class: 'tag' }, t('workbench_types')[task.type] || task.type), ' ',
          c.customer ? person(c.customer) : '—', ' · ', v.plate || '', ' ', `${v.brand || ''} ${v.model || ''}`),
        el('p', {}, el('span', { class: 'muted' }, t('workbench_phone') + ' '), el('strong', { class: 'phone' }, (c.customer && c.customer.phone) || '—'),
          ' · ', km(v.mileage_km), ' · ', t('workbench_deadline', task.deadline_at ? timestamp(task.deadline_at) : date(task.deadline, false))),
        el('p', { class: 'reason' }, el('span', { class: 'muted' }, t('workbench_reason') + '：'), task.reason || ''),
        // IN-20: the customer's open complaints, so the call can answer for them.
        openComplaints,
        el('h3', {}, t('workbench_say')), el('ul', { class: 'say' }, say),
        el('h3', {}, t('workbench_history')),
        visits.length ? el('ul', {}, visits.map((r) => el('li', {}, `${date(r.date, false)} · ${km(r.mileage_km)} · `,
          (r.labour || []).map((l) => l.operation).join('、') || r.kind))) : el('p', { class: 'muted' }, t('none')),
        car && car.status === 200 ? declinedWork(car.data, { onChange: () => open(task.id) }) : null,
        (task.attempts_log || []).length ? [el('h3', {}, t('workbench_attempts_log')),
          el('ul', {}, task.attempts_log.map((a) => el('li', {}, `${timestamp(a.at)} ${a.username || ''} · ${t('workbench_outcomes')[a.outcome] || a.outcome}${a.satisfaction ? ' · ' + t('wb_sat')[a.satisfaction] : ''}${a.notes ? ' · ' + a.notes : ''}`)))] : null,
        el('div', { class: 'row inputs' }, can('mileage_write') ? el('label', { class: 'field' }, el('span', {}, t('workbench_mileage')), mileage) : null,
          el('label', { class: 'field' }, el('span', {}, t('workbench_needs')), needs),
          el('label', { class: 'field' }, el('span', {}, t('workbench_notes')), notes)),
        followup ? el('div', { class: 'row inputs followup-measure' },
          el('label', { class: 'field' }, el('span', {}, t('wb_satisfaction')), satisfaction), categoryField,
          answers.length ? el('fieldset', { class: 'row followup-questions' }, el('legend', {}, t('wb_questions')), answers.map((a) => a.node)) : null) : null,
        el('h3', {}, t('workbench_outcome')),
        // A fieldset, so one call's outcome cannot be sent twice (disabled while it is saved).
        el('fieldset', { class: 'row outcomes' },
          can('book') && task.vehicle_id ? el('button', { type: 'button', id: 'book-now', class: 'primary', onclick: () => go('booking', {
            // What was said in the call goes with it: recorded with the "booked" outcome.
            vehicle: task.vehicle_id, task: task.id, km: mileage.value, needs: needs.value.trim(), notes: notes.value.trim(),
          }) }, t('workbench_book_now')) : null,
          OUTCOMES.map((o) => el('button', { type: 'button', dataset: { outcome: o }, class: o === 'booked' ? 'outcome booked' : 'outcome', onclick: (e) => busy(e.currentTarget.closest('fieldset'), () => record(o)) }, t('workbench_outcomes')[o])),
          el('button', { type: 'button', id: 'next-task', onclick: () => next() }, t('workbench_next'))),
        el('p', { id: 'call-error', class: 'error', role: 'alert' }));
      panel.hidden = false;
      placeholder.hidden = true;
      panel.focus();

      async function record(outcome) {
        const body = { outcome };
        if (mileage.value !== '') body.mileage_km = Number(mileage.value);
        if (needs.value.trim()) body.special_needs = needs.value.trim();
        if (notes.value.trim()) body.notes = notes.value.trim();
        // CS-1: only a call that reached the customer measures.
        if (followup && REACHED.includes(outcome)) {
          if (satisfaction.value) body.satisfaction = satisfaction.value;
          if (satisfaction.value === 'dissatisfied') body.complaint_category = category.value;
          const given = answers.filter((a) => a.s.value).map((a) => ({ question: a.q, answer: a.s.value === 'yes' }));
          if (given.length) body.answers = given;
        }
        const r = await api('POST', `/tasks/${task.id}/attempts`, body);
        if (r.status !== 201) { panel.querySelector('#call-error').textContent = errorText(r); return; }
        notice(t('workbench_saved', t('workbench_outcomes')[outcome]));
        if (body.satisfaction === 'dissatisfied') notice(t('wb_cpl_opened'), 'warn');
        await reload();
        if (r.data.status === 'open') open(task.id);
        else next();
      }
    }

    // The next open task after the current one in the shown list (or the first).
    function next() {
      const shown = tasks.filter((x) => !filter || x.type === filter);
      const i = current ? shown.findIndex((x) => x.id === current.id) : -1;
      const n = shown[i + 1] || shown.find((x) => !current || x.id !== current.id);
      if (n) open(n.id);
      else { current = null; panel.hidden = true; placeholder.hidden = false; renderList(); }
    }

    await reload();
    if (params.task) await open(Number(params.task));
  },
});
