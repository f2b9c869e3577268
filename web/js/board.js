// The appointment board (IN-11, IN-12, IN-13, IN-17): the day's bays as rows, its opening
// hours as columns, each job a block from start to end with its float drawn after it as a
// striped tail; the jobs without a time below; a detail panel to dispatch a technician and to
// move a job along its statuses; the departments' confirmations of the next day's board; a
// print layout (print.css). Every server value reaches the page through el() as text.
import {
  addDays, addText, api, ask, busy, can, clear, currentRoute, date, el, errorLine, errorText, field, go, hhmm,
  localTime, money, notice, person, registerScreen, state, t, table, timestamp,
} from './core.js';

addText({
  zh: {
    board_nav: '预约看板', board_title: '预约看板',
    board_prev: '前一天', board_next: '后一天', board_today: '今天', board_refresh: '刷新',
    board_print: '打印', board_date: '日期', board_closed_day: '休息日',
    board_bay: '工位', board_break: '午休', board_no_bays: '没有工位。',
    board_legend: '状态', board_float_legend: '工位保留（浮动时间）',
    board_status: {
      tentative: '待定', confirmed: '已确认', arrived: '已到店', in_service: '维修中',
      completed: '已完工', no_show: '未到店', cancelled: '已取消',
    },
    board_action: {
      confirmed: '确认预约', arrived: '客户到店（接车）', no_show: '未到店', cancelled: '取消预约',
      in_service: '开始维修', completed: '完工',
    },
    board_action_done: (s) => `状态已改为：${s}`,
    board_sure_title: '请确认', board_sure: (a) => `确定要“${a}”吗？预留的配件将退回库存，此操作不能撤销。`,
    board_yes: '确定', board_no: '返回',
    board_kind: {
      quick_service: '快修', general: '机修', body: '钣金', paint: '喷漆', alignment: '四轮定位', ev: '新能源',
    },
    board_case: { A: 'A 保养', B: 'B 维修（无配件）', C: 'C 维修（配件有货）', D: 'D 维修（配件需订货）' },
    board_need: {
      pickup: '接车', delivery: '送车', accessories: '精品', insurance_renewal: '续保', claim: '索赔', wash: '洗车',
    },
    board_parts_reserved: '配件已预留', board_parts_ordered: (d) => `已订货 · 预计 ${d}`,
    board_parts_waiting: '待料', board_parts_planned: '配件待定', board_parts_issued: '已领料',
    board_part_state: { reserved: '已预留', on_order: '已订货', planned: '待定', released: '已释放', issued: '已领料' },
    board_shelf: { appointment: '预约货架', waiting_for_parts: '待料货架' },
    board_no_tech: '未派工', board_tech: (n) => `技师 ${n}`,
    board_tech_jobs: (n) => `当日 ${n} 个工单`, board_tech_off: '当日不上班',
    board_unassigned: '时间待定的预约', board_unassigned_none: '没有时间待定的预约。',
    board_open: '详情', board_blank: '',
    board_col_vehicle: '车辆', board_col_customer: '客户', board_col_ops: '项目', board_col_when: '日期/期间',
    board_col_words: '客户描述', board_col_status: '状态',
    board_detail: '预约详情', board_close: '关闭',
    board_when: '时间', board_float_until: (h) => `工位保留至 ${h}`, board_bay_label: '工位',
    board_technician: '技师', board_case_label: '类别', board_ops: '维修项目', board_parts: '配件',
    board_estimate: '预估费用', board_words: '客户描述', board_prepare: '需准备（个性化服务）',
    board_needs_note: '备注', board_source: '来源', board_flex: '预约方式',
    board_flexibility: { exact: '确定时间', date: '只定日期', period: '只定期间' },
    board_sources: { inbound: '来电', outbound: '外呼', walk_in: '到店', online: '网上' },
    board_period: (a, b) => `${a} 至 ${b}`,
    board_hours: (h) => `${h} 工时`,
    board_part_no: '零件号', board_part_name: '名称', board_qty: '数量', board_part_state_col: '状态',
    board_part_expected: '预计到货',
    board_dispatch: '派工', board_dispatch_to: '派给技师', board_dispatch_none: '没有具备所需技能的技师。',
    board_dispatched: (n) => `已派给 ${n}`,
    board_actions: '状态操作', board_no_actions: '此状态没有可做的操作。',
    board_archive: '查看车辆档案', board_order: '查看维修工单', board_to_reception: '在接车页查看工单', board_order_no: (n) => `工单 ${n}`,
    board_confirm_title: '部门确认（IN-11）', board_dept: '部门',
    board_depts: { workshop: '车间', parts: '配件', warranty: '索赔', customer_service: '客服' },
    board_confirmed_by: (u, at) => `${u} 于 ${at} 确认`, board_not_confirmed: '未确认',
    board_confirm: '确认', board_confirm_done: (d, day) => `${d}已确认 ${day} 的看板`,
    board_all_confirmed: '全部确认', board_missing: (n) => `${n} 个部门未确认`,
    board_this_day: '本日', board_next_day: '次日',
    board_now: '现在', board_load_failed: '看板加载失败：',
    board_err: {
      invalid_transition: '当前状态不能改为该状态', parts_not_received: '还有配件未到货，不能开始维修',
      slot_taken: '该技师在此时间已有工作', slot_unavailable: '该技师此时不能接这个工单（技能、排班或停工）',
      forbidden: '你的角色不能做这个操作',
    },
  },
  en: {
    board_nav: 'Board', board_title: 'Appointment board',
    board_prev: 'Previous day', board_next: 'Next day', board_today: 'Today', board_refresh: 'Refresh',
    board_print: 'Print', board_date: 'Date', board_closed_day: 'Closed',
    board_bay: 'Bay', board_break: 'Break', board_no_bays: 'No bays.',
    board_legend: 'Status', board_float_legend: 'Bay held (float)',
    board_status: {
      tentative: 'Tentative', confirmed: 'Confirmed', arrived: 'Arrived', in_service: 'In service',
      completed: 'Completed', no_show: 'No-show', cancelled: 'Cancelled',
    },
    board_action: {
      confirmed: 'Confirm booking', arrived: 'Customer arrived (check in)', no_show: 'No-show', cancelled: 'Cancel booking',
      in_service: 'Start work', completed: 'Complete',
    },
    board_action_done: (s) => `Status set to: ${s}`,
    board_sure_title: 'Please confirm', board_sure: (a) => `"${a}": are you sure? Reserved parts go back to stock; this cannot be undone.`,
    board_yes: 'Yes', board_no: 'Back',
    board_kind: {
      quick_service: 'Quick service', general: 'General', body: 'Body', paint: 'Paint', alignment: 'Alignment', ev: 'EV',
    },
    board_case: { A: 'A maintenance', B: 'B repair, no parts', C: 'C repair, parts in stock', D: 'D repair, parts ordered' },
    board_need: {
      pickup: 'Pick-up', delivery: 'Delivery', accessories: 'Accessories', insurance_renewal: 'Insurance renewal',
      claim: 'Claim', wash: 'Wash',
    },
    board_parts_reserved: 'Parts reserved', board_parts_ordered: (d) => `Ordered · due ${d}`,
    board_parts_waiting: 'Waiting for parts', board_parts_planned: 'Parts to plan', board_parts_issued: 'Parts issued',
    board_part_state: { reserved: 'Reserved', on_order: 'On order', planned: 'Planned', released: 'Released', issued: 'Issued' },
    board_shelf: { appointment: 'Appointment shelf', waiting_for_parts: 'Waiting-for-parts shelf' },
    board_no_tech: 'Not dispatched', board_tech: (n) => `Tech ${n}`,
    board_tech_jobs: (n) => `${n} job${n === 1 ? '' : 's'} that day`, board_tech_off: 'off that day',
    board_unassigned: 'Bookings without a time', board_unassigned_none: 'No bookings without a time.',
    board_open: 'Details', board_blank: '',
    board_col_vehicle: 'Vehicle', board_col_customer: 'Customer', board_col_ops: 'Work', board_col_when: 'Date / period',
    board_col_words: 'Customer\'s words', board_col_status: 'Status',
    board_detail: 'Appointment', board_close: 'Close',
    board_when: 'Time', board_float_until: (h) => `bay held until ${h}`, board_bay_label: 'Bay',
    board_technician: 'Technician', board_case_label: 'Case', board_ops: 'Operations', board_parts: 'Parts',
    board_estimate: 'Estimate', board_words: 'Customer\'s words', board_prepare: 'To prepare (personal services)',
    board_needs_note: 'Note', board_source: 'Source', board_flex: 'Booked as',
    board_flexibility: { exact: 'Exact time', date: 'Date only', period: 'Period only' },
    board_sources: { inbound: 'Inbound call', outbound: 'Outbound call', walk_in: 'Walk-in', online: 'Online' },
    board_period: (a, b) => `${a} to ${b}`,
    board_hours: (h) => `${h} h`,
    board_part_no: 'Part no.', board_part_name: 'Name', board_qty: 'Qty', board_part_state_col: 'State',
    board_part_expected: 'Expected',
    board_dispatch: 'Dispatch', board_dispatch_to: 'Technician', board_dispatch_none: 'No technician has the skills.',
    board_dispatched: (n) => `Dispatched to ${n}`,
    board_actions: 'Status', board_no_actions: 'Nothing to do in this status.',
    board_archive: 'Vehicle history', board_order: 'Open the repair order', board_to_reception: 'See the order at reception', board_order_no: (n) => `Order ${n}`,
    board_confirm_title: 'Department confirmations (IN-11)', board_dept: 'Department',
    board_depts: { workshop: 'Workshop', parts: 'Parts', warranty: 'Warranty', customer_service: 'Customer service' },
    board_confirmed_by: (u, at) => `${u}, ${at}`, board_not_confirmed: 'Not confirmed',
    board_confirm: 'Confirm', board_confirm_done: (d, day) => `${d} confirmed the board of ${day}`,
    board_all_confirmed: 'All confirmed', board_missing: (n) => `${n} department${n === 1 ? '' : 's'} to confirm`,
    board_this_day: 'This day', board_next_day: 'Next day',
    board_now: 'Now', board_load_failed: 'The board could not be loaded: ',
    board_err: {
      invalid_transition: 'The booking cannot go to that status from its current one',
      parts_not_received: 'A part is still on order: the job cannot start',
      slot_taken: 'That technician is busy then', slot_unavailable: 'That technician cannot take the job then (skills, days or leave)',
      forbidden: 'Your role may not do this',
    },
  },
});

const STATUSES = ['tentative', 'confirmed', 'arrived', 'in_service', 'completed', 'no_show', 'cancelled'];
// The transitions the API allows (docs/api.md, POST /appointments/{id}/status). A car arrives
// by its check-in at reception (RO-1), which opens the repair order; from then on the order's
// statuses move the booking (409 repair_order_required otherwise).
const NEXT = {
  tentative: ['confirmed', 'cancelled'], confirmed: ['arrived', 'no_show', 'cancelled'],
};
const UNDOABLE = ['cancelled', 'no_show']; // asked twice: they give the reserved parts back
const DEPTS = ['workshop', 'parts', 'warranty', 'customer_service'];
const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const REFRESH_MS = 60000;

// A failed call in the board's words when it has them.
const failText = (r) => errorText(r, { own: (code) => (t('board_err') || {})[code], field: false });

const tt = (key, sub) => (t(key) || {})[sub] || sub || '';

// The technicians and the skill of each operation (operation code → skill), for the dispatch
// select: loaded when a panel first needs them and kept while the board is shown, whatever
// its day (render drops them when the console leaves the board); `who` ties them to the user
// signed in. {who, techs, skills} or null.
let dispatchData = null;
const signedIn = () => (state.me ? `${state.me.user.id}@${state.me.store.id}` : '');

// GET /me names the departments the role confirms for (IN-11).
function mayConfirm(dept) {
  return can('board_confirm') && !!state.me && (state.me.confirms || []).includes(dept);
}

// The workshop starts and finishes jobs; reception confirms, receives and cancels.
function maySet(status) {
  if (status === 'arrived') return can('repair_order');
  return can('book');
}

// The repair order a booking was checked in to (RO-1): null before the check-in.
const orderId = (j) => j.repair_order_id || (j.repair_order && j.repair_order.id) || null;
const orderNo = (j) => j.repair_order_number || (j.repair_order && j.repair_order.number) || (orderId(j) ? '#' + orderId(j) : '');

// A link to the booking's repair order, showing its number (after `text` when given).
function orderLink(j, cls, text) {
  return el('a', { href: `#/repair-order?id=${encodeURIComponent(orderId(j))}`, class: cls, dataset: { orderId: orderId(j) } },
    text ? text + ' ' : '', el('span', { class: 'ro-number' }, orderNo(j)));
}

function minutes(hm) {
  const m = /(\d{2}):(\d{2})$/.exec(hm || '');
  return m ? +m[1] * 60 + +m[2] : null;
}

// Minutes of the board's day of a store-local "YYYY-MM-DDTHH:MM" (a float past midnight ends
// the day).
function dayMinutes(s, day) {
  if (!s) return null;
  if (s.slice(0, 10) > day) return 24 * 60;
  return minutes(hhmm(s));
}

function fmt(m) {
  return String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
}

// The store's wall clock now, as minutes of the day and the store's date.
function storeNow() {
  const tz = (state.me && state.me.store && state.me.store.timezone) || undefined;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, min: +p.hour * 60 + +p.minute };
}

function validDate(s) {
  return /^\d{4}-\d{2}-\d{2}$/.test(s || '') && !isNaN(Date.parse(s + 'T00:00:00Z'));
}

// The tag that tells how a job's parts stand: reserved, ordered in time, waiting (due on the
// day or later), still to plan (a booking without a time), issued.
function partsTag(job) {
  const parts = job.parts || [];
  if (!parts.length) return null;
  const states = parts.map((p) => p.state);
  const ordered = parts.filter((p) => p.state === 'on_order');
  if (ordered.length) {
    const due = ordered.map((p) => p.expected_date).filter(Boolean).sort().pop();
    if (!due || !job.date || due >= job.date) return el('span', { class: 'tag bad board-parts-waiting' }, t('board_parts_waiting'));
    return el('span', { class: 'tag warn board-parts-ordered' }, t('board_parts_ordered', date(due, false)));
  }
  if (states.includes('planned')) return el('span', { class: 'tag warn board-parts-planned' }, t('board_parts_planned'));
  if (states.every((s) => s === 'issued')) return el('span', { class: 'tag ok board-parts-issued' }, t('board_parts_issued'));
  if (states.some((s) => s === 'reserved')) return el('span', { class: 'tag ok board-parts-reserved' }, t('board_parts_reserved'));
  return null;
}

// The personal services asked for and the profile's needs (IN-17, CRM-6), once each.
function needs(job) {
  return [...new Set([...(job.services || []), ...(job.customer_needs || [])])];
}

function needTags(job) {
  return needs(job).map((n) => el('span', { class: 'tag board-need' }, tt('board_need', n)));
}

function opsText(job) {
  return (job.ops || []).map((o) => o.name).join('、');
}

function whoText(job) {
  return [job.vehicle && job.vehicle.plate, person(job.customer)].filter(Boolean).join(' · ');
}

// The opening hours of the day: the axis runs from the first opening's hour to the last
// closing's (or the latest float's) hour; the gaps between intervals are breaks.
function dayHours(cal, day, jobs) {
  const d = cal && (cal.days || []).find((x) => x.date === day);
  const intervals = d && d.open ? d.intervals.map(([a, b]) => [minutes(a), minutes(b)]) : [];
  const closed = !!d && !d.open;
  const open = intervals.length ? intervals[0][0] : 8 * 60;
  let close = intervals.length ? intervals[intervals.length - 1][1] : 18 * 60;
  let first = open;
  for (const j of jobs) {
    const s = dayMinutes(j.start, day);
    const e = dayMinutes(j.hold_until, day);
    if (s !== null) first = Math.min(first, s);
    if (e !== null) close = Math.max(close, e);
  }
  const from = Math.floor(first / 60) * 60;
  const to = Math.min(24 * 60, Math.max(from + 60, Math.ceil(close / 60) * 60));
  const breaks = [];
  for (let i = 1; i < intervals.length; i++) breaks.push([intervals[i - 1][1], intervals[i][0]]);
  // Before opening and after closing are shaded too.
  const shade = closed ? [[from, to]] : [];
  if (intervals.length) {
    if (open > from) shade.push([from, open]);
    if (intervals[intervals.length - 1][1] < to) shade.push([intervals[intervals.length - 1][1], to]);
  }
  return { from, to, breaks, shade, closed, exception: d && d.name };
}

// Greedy lanes: should two jobs of one bay ever overlap (with their floats), they are drawn
// one under the other rather than on top of each other. Every timed job has its hold_until
// (end + the store's float, stored with the start: store/appointments.c).
function lanes(jobs, day) {
  const ends = [];
  return jobs.map((j) => {
    const s = dayMinutes(j.start, day) ?? 0;
    const e = dayMinutes(j.hold_until, day);
    let lane = ends.findIndex((x) => x <= s);
    if (lane < 0) { lane = ends.length; ends.push(e); } else ends[lane] = e;
    return lane;
  });
}

// Where a mark (a) or a stretch (a to b) of the day goes on the axis: percentages of the
// hours shown.
function placer(hours) {
  const span = hours.to - hours.from;
  return (a, b) => {
    const left = ((a - hours.from) / span) * 100 + '%';
    return b === undefined ? { left } : { left, width: ((b - a) / span) * 100 + '%' };
  };
}

// A row's number of lanes and a block's lane go to CSS custom properties (set through the
// CSSOM, which the Content-Security-Policy allows), so that the screen and the printed page
// choose their own lane height (board.css, print.css).
function lanesVar(node, name, value) {
  node.style.setProperty(name, String(value));
  return node;
}

function legend() {
  return el('div', { class: 'board-legend', 'aria-label': t('board_legend') },
    STATUSES.filter((s) => s !== 'cancelled').map((s) =>
      el('span', { class: 'board-legend-item st-' + s }, tt('board_status', s))),
    el('span', { class: 'board-legend-item board-legend-float' }, t('board_float_legend')));
}

registerScreen({
  id: 'board',
  nav: 'board_nav',
  home: ['workshop', 'service_manager'],
  allowed: () => can('archive_read'),
  render(root, params) {
    const day = validDate(params.date) ? params.date : state.today;
    // board: GET /board; cal: GET /calendar of the day; openId: the job in the panel;
    // dispatchError: why the dispatch data could not be loaded (a later open tries again).
    const ctx = { board: null, cal: null, openId: null, returnFocus: null, dispatchError: null, timer: null };

    const dateInput = el('input', {
      type: 'date', id: 'board-date', value: day, 'aria-label': t('board_date'),
      onchange: (e) => { if (validDate(e.target.value)) go('board', { date: e.target.value }); },
    });
    const title = el('h1', {}, t('board_title'), ' · ', el('span', { class: 'board-title-date' }, date(day)));
    const dayTag = el('span', { class: 'board-daytag' });
    const toolbar = el('div', { class: 'toolbar board-toolbar' },
      title, dayTag,
      el('button', { type: 'button', id: 'board-prev', onclick: () => go('board', { date: addDays(day, -1) }), 'aria-label': t('board_prev') }, '‹ ' + t('board_prev')),
      dateInput,
      el('button', { type: 'button', id: 'board-next', onclick: () => go('board', { date: addDays(day, 1) }), 'aria-label': t('board_next') }, t('board_next') + ' ›'),
      el('button', { type: 'button', id: 'board-today', onclick: () => go('board', { date: state.today }), disabled: day === state.today }, t('board_today')),
      el('button', { type: 'button', id: 'board-refresh', onclick: () => load(true) }, t('board_refresh')),
      el('button', { type: 'button', id: 'board-print', onclick: () => window.print() }, t('board_print')));
    const gridBox = el('div', { class: 'board-gridbox' }, el('p', { class: 'muted' }, t('loading')));
    const unassignedBox = el('section', { class: 'card board-unassigned' });
    const confirmBox = el('section', { class: 'card board-confirmations', id: 'board-confirmations' });
    const detail = el('aside', { class: 'board-detail', id: 'board-detail', role: 'dialog', 'aria-label': t('board_detail'), hidden: true, tabindex: '-1' });
    clear(root, el('div', { class: 'board' }, toolbar, legend(), gridBox,
      el('div', { class: 'board-below' }, unassignedBox, confirmBox), detail));

    // The grid, the list and the confirmations from the board's data; an open panel shows its
    // job as loaded now, or closes when the job has left the board, unless it is `kept` (the
    // job just changed, which the panel shows as the API answered: a cancelled booking).
    function draw(kept) {
      const b = ctx.board;
      const all = b.bays.flatMap((x) => x.jobs);
      const hours = dayHours(ctx.cal, day, all);
      clear(dayTag, hours.closed ? el('span', { class: 'tag warn' }, t('board_closed_day') + (hours.exception ? ' · ' + hours.exception : ''))
        : hours.exception ? el('span', { class: 'tag' }, hours.exception) : null);
      const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.board-job');
      const focusId = focused && focused.dataset.appointmentId;
      clear(gridBox, grid(hours));
      if (focusId) {
        const again = gridBox.querySelector(`.board-job[data-appointment-id="${CSS.escape(focusId)}"]`);
        if (again) again.focus();
      }
      drawUnassigned();
      drawConfirmations();
      if (ctx.openId !== null && !detail.hidden) {
        const j = [...all, ...(b.unassigned || [])].find((x) => x.id === ctx.openId);
        if (j) showDetail(j);
        else if (ctx.openId !== kept) closeDetail(detail.contains(document.activeElement));
      }
    }

    function grid(hours) {
      if (!ctx.board.bays.length) return el('p', { class: 'muted' }, t('board_no_bays'));
      const place = placer(hours);
      const now = storeNow();
      const nowMin = now.date === day && now.min >= hours.from && now.min <= hours.to ? now.min : null;
      const marks = [];
      for (let m = hours.from; m <= hours.to; m += 60) marks.push(m);
      const axis = el('div', { class: 'board-axis', 'aria-hidden': 'true' },
        marks.map((m) => el('span', { class: 'board-hour-label' + (m === hours.to ? ' last' : ''), style: place(m) }, fmt(m))),
        hours.breaks.map(([a, b]) => el('span', { class: 'board-break-label', style: place(a, b) }, t('board_break'))),
        nowMin !== null ? el('span', { class: 'board-now-label', style: place(nowMin) }, t('board_now')) : null);
      const background = () => [
        hours.shade.map(([a, b]) => el('div', { class: 'board-shut', style: place(a, b) })),
        hours.breaks.map(([a, b]) => el('div', { class: 'board-shut board-break', style: place(a, b) })),
        marks.map((m) => el('div', { class: 'board-hour', style: place(m) })),
        marks.slice(0, -1).map((m) => el('div', { class: 'board-half', style: place(m + 30) })),
        nowMin !== null ? el('div', { class: 'board-now', style: place(nowMin) }) : null,
      ];
      return el('div', { class: 'board-grid', role: 'table', 'aria-label': t('board_title') + ' ' + date(day) },
        el('div', { class: 'board-row board-head', role: 'row' },
          el('div', { class: 'board-bay', role: 'columnheader' }, t('board_bay')),
          el('div', { class: 'board-track board-axis-track', role: 'columnheader' }, axis)),
        ctx.board.bays.map((bay) => {
          const lane = lanes(bay.jobs, day);
          const n = Math.max(1, ...lane.map((x) => x + 1));
          return el('div', { class: 'board-row', role: 'row', dataset: { bayId: bay.id } },
            el('div', { class: 'board-bay', role: 'rowheader' },
              el('strong', {}, bay.code), ' ', el('span', { class: 'board-bay-name' }, bay.name),
              el('span', { class: 'board-bay-kind muted' }, tt('board_kind', bay.kind))),
            lanesVar(el('div', { class: 'board-track', role: 'cell' },
              background(),
              bay.jobs.map((j, i) => job(j, lane[i], hours, place))), '--lanes', n));
        }));
    }

    function job(j, lane, hours, place) {
      const span = hours.to - hours.from;
      const s = Math.max(hours.from, dayMinutes(j.start, day) ?? hours.from);
      const e = Math.max(s, Math.min(hours.to, dayMinutes(j.end, day) ?? s));
      const h = Math.min(hours.to, dayMinutes(j.hold_until, day));
      const status = tt('board_status', j.status);
      const tech = j.technician_name ? t('board_tech', j.technician_name) : t('board_no_tech');
      const time = `${hhmm(j.start)}–${hhmm(j.end)}`;
      const label = [time, status, orderNo(j) ? t('board_order_no', orderNo(j)) : '', whoText(j), opsText(j), tech,
        needs(j).map((n) => tt('board_need', n)).join('、')].filter(Boolean).join(' · ');
      const nodes = [
        h > e ? el('div', {
          class: 'board-float', 'aria-hidden': 'true', title: t('board_float_until', hhmm(j.hold_until)),
          style: place(e, h),
        }) : null,
        el('button', {
          type: 'button', class: 'board-job st-' + j.status + (j.id === ctx.openId ? ' open' : '') + ((e - s) / span < 0.075 ? ' short' : ''),
          dataset: { appointmentId: j.id, status: j.status }, title: label, 'aria-label': label,
          style: place(s, e),
          onclick: () => openDetail(j),
        },
        el('span', { class: 'board-job-time' }, el('b', {}, hhmm(j.start), el('span', { class: 'board-job-end' }, '–' + hhmm(j.end))),
          ' ', el('span', { class: 'board-job-status' }, status),
          orderNo(j) ? el('span', { class: 'board-job-order', dataset: { orderId: orderId(j) } }, ' ' + orderNo(j)) : null),
        el('span', { class: 'board-job-who' }, whoText(j)),
        el('span', { class: 'board-job-ops' }, opsText(j)),
        el('span', { class: 'board-job-tags' },
          el('span', { class: 'board-job-tech' + (j.technician_name ? '' : ' none') }, tech), ' ',
          partsTag(j), needTags(j))),
      ];
      return nodes.filter(Boolean).map((x) => lanesVar(x, '--lane', lane));
    }

    function drawUnassigned() {
      const list = ctx.board.unassigned || [];
      clear(unassignedBox, el('h2', {}, t('board_unassigned'), ' ', el('span', { class: 'muted' }, `(${list.length})`)),
        list.length === 0 ? el('p', { class: 'muted' }, t('board_unassigned_none')) : table([
          { key: 'board_col_vehicle', get: (j) => (j.vehicle ? j.vehicle.plate : '—') },
          { key: 'board_col_customer', get: (j) => person(j.customer) },
          { key: 'board_col_ops', get: opsText },
          { key: 'board_col_when', get: (j) => [j.flexibility === 'period' ? t('board_period', date(j.period_from, false), date(j.period_to, false))
            : date(j.date, false), ' ', el('span', { class: 'muted' }, tt('board_flexibility', j.flexibility))] },
          { key: 'board_col_words', get: (j) => j.customer_words || '—' },
          { key: 'board_col_status', get: (j) => [el('span', { class: 'board-status-tag st-' + j.status }, tt('board_status', j.status)), ' ',
            orderId(j) ? [orderLink(j, 'board-order-link'), ' '] : null, partsTag(j), needTags(j)] },
          { key: 'board_blank', get: (j) => el('button', { type: 'button', class: 'board-open', dataset: { appointmentId: j.id }, onclick: () => openDetail(j) }, t('board_open')) },
        ], list, { rowAttrs: (j) => ({ class: 'board-unassigned-row', dataset: { appointmentId: j.id } }) }));
    }

    function drawConfirmations() {
      const b = ctx.board;
      const cols = [{ day: b.date, label: t('board_this_day'), c: b.confirmations || {} }];
      if (b.next_day) cols.push({ day: b.next_day.date, label: t('board_next_day'), c: b.next_day.confirmations || {} });
      const summary = (c) => {
        const missing = DEPTS.filter((d) => !c[d]).length;
        return missing ? el('span', { class: 'tag warn' }, t('board_missing', missing)) : el('span', { class: 'tag ok' }, t('board_all_confirmed'));
      };
      clear(confirmBox, el('h2', {}, t('board_confirm_title')),
        el('table', { class: 'grid board-confirm-table' },
          el('thead', {}, el('tr', {}, el('th', {}, t('board_dept')),
            cols.map((c) => el('th', {}, c.label, ' ', date(c.day), el('br'), summary(c.c))))),
          el('tbody', {}, DEPTS.map((d) => el('tr', { dataset: { department: d } },
            el('th', { scope: 'row' }, tt('board_depts', d)),
            cols.map((c) => {
              const x = c.c[d];
              return el('td', { class: 'board-confirm-cell', dataset: { date: c.day } },
                x ? el('span', { class: 'tag ok' }, '✓ ' + t('board_confirmed_by', x.username, timestamp(x.confirmed_at)))
                  : el('span', { class: 'muted' }, t('board_not_confirmed')),
                !x && mayConfirm(d) && c.day >= state.today
                  ? el('button', { type: 'button', class: 'board-confirm', dataset: { department: d, date: c.day }, onclick: (e) => confirmDept(c.day, d, e.currentTarget) }, t('board_confirm'))
                  : null);
            }))))));
    }

    function confirmDept(d, dept, button) {
      return busy(button, async () => {
        const r = await api('POST', `/board/${encodeURIComponent(d)}/confirmations`, { department: dept });
        if (r.status !== 201 && r.status !== 200) {
          notice(failText(r), 'error');
          return;
        }
        notice(t('board_confirm_done', tt('board_depts', dept), date(d, false)));
        await load(true);
      });
    }

    // ---- the detail panel ----
    // Loads the dispatch data unless kept from before; resolves to why it failed, or null.
    async function ensureDispatchData() {
      if (dispatchData && dispatchData.who === signedIn()) return null;
      const [tr, or] = await Promise.all([api('GET', '/technicians'), api('GET', '/operations?all=true')]);
      const failed = [tr, or].find((r) => r.status !== 200);
      if (failed) {
        const why = failText(failed);
        notice(t('load_failed', why), 'error');
        return why;
      }
      dispatchData = {
        who: signedIn(),
        techs: tr.data.items || [],
        skills: Object.fromEntries((or.data.items || []).map((o) => [o.code, o.skill])),
      };
      return null;
    }

    // The weekday whose technicians work the job's day: a make-up working day (调休, exception
    // "open") is worked as a Monday, as the server books it (store/slots.c sets as_weekday 1 for
    // it, whose hours core/calendar.c calendar_hours_on takes from Monday).
    function workedAs(d) {
      const c = ctx.cal && (ctx.cal.days || []).find((x) => x.date === d);
      if (c && c.exception === 'open') return 'mon';
      const [y, m, dd] = d.split('-').map(Number);
      return WEEKDAY[new Date(Date.UTC(y, m - 1, dd)).getUTCDay()];
    }

    // Closes the panel; the focus goes back to the job it was opened from (or the date) when
    // refocus, as when the panel is closed by hand.
    function closeDetail(refocus = true) {
      ctx.openId = null;
      detail.hidden = true;
      clear(detail);
      for (const b of gridBox.querySelectorAll('.board-job.open')) b.classList.remove('open');
      if (refocus && ctx.returnFocus) {
        const id = CSS.escape(String(ctx.returnFocus));
        const again = root.querySelector(`.board-job[data-appointment-id="${id}"], .board-open[data-appointment-id="${id}"]`);
        (again || dateInput).focus();
      }
    }

    async function openDetail(j) {
      ctx.openId = j.id;
      ctx.returnFocus = j.id;
      for (const b of gridBox.querySelectorAll('.board-job')) b.classList.toggle('open', b.dataset.appointmentId === String(j.id));
      if (can('dispatch')) ctx.dispatchError = await ensureDispatchData();
      if (ctx.openId !== j.id) return;
      showDetail(j);
      detail.focus();
    }

    // Draws j into the panel; the focus, when it was in the panel, stays on the same control.
    function showDetail(j) {
      const had = detail.contains(document.activeElement) ? document.activeElement : null;
      const sel = had && (had.id ? '#' + CSS.escape(had.id)
        : had.dataset.status ? `button.board-action[data-status="${CSS.escape(had.dataset.status)}"]` : null);
      clear(detail, detailBody(j));
      detail.hidden = false;
      if (had) ((sel && detail.querySelector(sel)) || detail).focus();
    }

    function dl(rows) {
      return el('dl', { class: 'board-dl' }, rows.filter((r) => r && r[1] !== null && r[1] !== undefined && r[1] !== '')
        .map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)]));
    }

    function detailBody(j) {
      const when = j.start
        ? [localTime(j.start), '–', hhmm(j.end), ' ', el('span', { class: 'muted' }, t('board_float_until', hhmm(j.hold_until)))]
        : j.flexibility === 'period' ? t('board_period', date(j.period_from, false), date(j.period_to, false)) : date(j.date);
      const prep = needs(j);
      return [
        el('div', { class: 'board-detail-head' },
          el('h2', {}, (j.vehicle && j.vehicle.plate) || '—', ' ', el('span', { class: 'board-status-tag st-' + j.status }, tt('board_status', j.status))),
          el('button', { type: 'button', class: 'board-detail-close', onclick: () => closeDetail(), 'aria-label': t('board_close') }, '×')),
        el('p', {}, person(j.customer), j.vehicle ? el('span', { class: 'muted' }, ` · ${j.vehicle.brand || ''} ${j.vehicle.model || ''}`) : null),
        dl([
          ['board_when', when],
          ['board_bay_label', j.bay_name || '—'],
          ['board_technician', j.technician_name || t('board_no_tech')],
          ['board_case_label', tt('board_case', j.case)],
          ['board_flex', tt('board_flexibility', j.flexibility)],
          ['board_source', j.source ? tt('board_sources', j.source) : null],
          ['board_estimate', j.estimate ? money(j.estimate.total_fen) : null],
        ]),
        j.customer_words ? [el('h3', {}, t('board_words')), el('p', { class: 'board-words' }, j.customer_words)] : null,
        el('h3', {}, t('board_ops')),
        el('ul', { class: 'board-ops' }, (j.ops || []).map((o) => el('li', {}, el('b', {}, o.code), ' ', o.name, ' ',
          el('span', { class: 'muted' }, t('board_hours', o.hours))))),
        (j.parts || []).length ? [el('h3', {}, t('board_parts'), ' ', partsTag(j)), table([
          { key: 'board_part_no', get: (p) => p.part_no },
          { key: 'board_part_name', get: (p) => p.name },
          { key: 'board_qty', class: 'num', get: (p) => String(p.qty) },
          { key: 'board_part_state_col', get: (p) => [tt('board_part_state', p.state),
            p.shelf ? el('span', { class: 'muted board-part-sub' }, tt('board_shelf', p.shelf)) : null,
            p.expected_date ? el('span', { class: 'muted board-part-sub' }, t('board_part_expected') + ' ' + date(p.expected_date, false)) : null] },
        ], j.parts, { class: 'board-parts' })] : null,
        prep.length || j.needs_note ? [el('h3', {}, t('board_prepare')),
          el('p', {}, needTags(j), j.needs_note ? el('span', { class: 'board-needs-note' },
            el('span', { class: 'muted' }, t('board_needs_note')), ' ', j.needs_note) : null)] : null,
        dispatchSection(j),
        actionSection(j),
        j.vehicle ? el('p', {}, el('a', { href: '#/archive?vehicle=' + encodeURIComponent(j.vehicle.id), class: 'board-archive-link' }, t('board_archive'))) : null,
      ];
    }

    function dispatchSection(j) {
      if (!can('dispatch') || !j.start || !NEXT[j.status]) return null;
      if (!dispatchData || ctx.dispatchError) {
        return [el('h3', {}, t('board_dispatch')), errorLine(t('load_failed', ctx.dispatchError || t('err_error')))];
      }
      const need = [...new Set((j.ops || []).map((o) => dispatchData.skills[o.code]).filter(Boolean))];
      const wd = workedAs(j.date || day);
      const jobsPerTech = {};
      for (const b of ctx.board.bays) for (const x of b.jobs) {
        if (x.technician_id && !['cancelled', 'no_show'].includes(x.status)) jobsPerTech[x.technician_id] = (jobsPerTech[x.technician_id] || 0) + 1;
      }
      const able = dispatchData.techs.filter((x) => need.every((s) => (x.skills || []).includes(s)));
      if (!able.length) return [el('h3', {}, t('board_dispatch')), el('p', { class: 'muted' }, t('board_dispatch_none'))];
      const select = el('select', { id: 'board-dispatch-tech', 'aria-label': t('board_dispatch_to') },
        able.map((x) => el('option', { value: x.id, selected: x.id === j.technician_id },
          x.name + ' — ' + t('board_tech_jobs', jobsPerTech[x.id] || 0) + ((x.days || []).includes(wd) ? '' : ' — ' + t('board_tech_off')))));
      const button = el('button', { type: 'submit', class: 'primary', id: 'board-dispatch' }, t('board_dispatch'));
      return [el('h3', {}, t('board_dispatch')), el('form', {
        class: 'row board-dispatch-form',
        onsubmit: (e) => {
          e.preventDefault();
          busy(button, async () => {
            const r = await api('POST', `/appointments/${j.id}/dispatch`, { technician_id: Number(select.value) });
            if (r.status !== 200) { notice(failText(r), 'error'); return; }
            notice(t('board_dispatched', r.data.technician_name || select.selectedOptions[0].textContent));
            await afterChange(r.data);
          });
        },
      }, field('board_dispatch_to', select), button)];
    }

    function actionSection(j) {
      const next = (NEXT[j.status] || []).filter((s) => s !== 'confirmed' || j.start).filter(maySet)
        .filter((s) => s !== 'arrived' || j.date === state.today);
      // A job with a repair order is moved by the order (RO-5, RO-7): the panel links to it.
      const link = orderId(j) ? el('p', {}, orderLink(j, 'button primary board-order-link', t('board_order')))
        : ['arrived', 'in_service'].includes(j.status) ? el('p', {}, el('a', { href: '#/reception', class: 'board-order-link' }, t('board_to_reception'))) : null;
      if (!next.length) return [el('h3', {}, t('board_actions')), link || el('p', { class: 'muted' }, t('board_no_actions'))];
      const buttons = next.map((s) => el('button', {
        type: 'button', class: 'board-action ' + (UNDOABLE.includes(s) ? 'danger' : 'primary'), dataset: { status: s },
        // 已到店 is the check-in at reception (RO-1): odometer, fuel, damage, who brought it.
        onclick: (e) => (s === 'arrived' ? go('reception', { checkin: j.id }) : setStatus(s, e.currentTarget)),
      }, tt('board_action', s)));
      // Cancelling and a no-show give the reserved parts back: asked first. One change at a
      // time: the other buttons wait for it.
      const setStatus = async (s, button) => {
        if (UNDOABLE.includes(s)) {
          const answer = await ask('board_sure_title', t('board_sure', tt('board_action', s)), [
            { value: 'yes', key: 'board_yes', primary: true }, { value: 'no', key: 'board_no' }]);
          if (answer !== 'yes') return;
        }
        await busy(button, async () => {
          const others = buttons.filter((b) => b !== button && !b.disabled);
          for (const b of others) b.disabled = true;
          const r = await api('POST', `/appointments/${j.id}/status`, { status: s });
          for (const b of others) b.disabled = false;
          if (r.status !== 200) { notice(failText(r), 'error'); return; }
          notice(t('board_action_done', tt('board_status', r.data.status)));
          await afterChange(r.data);
        });
      };
      return [el('h3', {}, t('board_actions')), el('div', { class: 'board-actions row' }, buttons), link];
    }

    // A change went through: the panel shows the appointment as the API answered at once, then
    // the board is loaded again (which redraws the panel from it).
    async function afterChange(a) {
      if (ctx.openId !== a.id) { await load(true); return; }
      showDetail(a);
      await load(true, a.id);
      if (ctx.openId !== a.id) return;
      const first = detail.querySelector('button.board-action, #board-dispatch-tech, .board-detail-close');
      if (first) first.focus();
    }

    // ---- loading ----
    // Only the latest load draws: an older answer arriving after it is dropped.
    let loading = null;
    let loadSeq = 0;
    function load(force, kept) {
      if (loading && !force) return loading;
      const seq = ++loadSeq;
      const p = (async () => {
        const first = !ctx.board;
        const [br, cr] = await Promise.all([
          api('GET', '/board?date=' + encodeURIComponent(day)),
          ctx.cal ? null : api('GET', `/calendar?from=${day}&to=${day}`),
        ]);
        if (cr && cr.status === 200) ctx.cal = cr.data;
        if (seq !== loadSeq) return;
        if (br.status !== 200) {
          if (first) clear(gridBox, errorLine(t('board_load_failed') + failText(br)));
          else notice(t('board_load_failed') + failText(br), 'error');
          return;
        }
        ctx.board = br.data;
        draw(kept);
      })();
      loading = p;
      return p.finally(() => { if (loading === p) loading = null; });
    }

    const onKey = (e) => {
      if (e.key === 'Escape' && !detail.hidden && !document.querySelector('dialog[open]')) { e.preventDefault(); closeDetail(); }
    };
    document.addEventListener('keydown', onKey);
    // The board follows bookings made elsewhere (IN-13: a same-day booking shows at once) and
    // moves the "now" line; not while a panel is open.
    ctx.timer = setInterval(() => {
      if (document.visibilityState === 'visible' && detail.hidden) load();
    }, REFRESH_MS);

    load();
    return () => {
      clearInterval(ctx.timer);
      document.removeEventListener('keydown', onKey);
      // Another day of the board keeps the dispatch data; any other screen drops it.
      if (currentRoute().id !== 'board') dispatchData = null;
    };
  },
});
