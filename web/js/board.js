// The appointment board (IN-11, IN-12, IN-13, IN-17): the day's bays as rows, its opening
// hours as columns, each job a block from start to end with its float drawn after it as a
// striped tail; the jobs without a time below; a detail panel to dispatch a technician and to
// move a job along its statuses; the departments' confirmations of the next day's board; a
// print layout (print.css). Every server value reaches the page through el() as text.
import {
  addDays, addText, api, can, clear, date, el, errorText, field, go, hhmm, localTime, money, notice,
  person, registerScreen, state, t, timestamp,
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
      confirmed: '确认预约', arrived: '客户到店', no_show: '未到店', cancelled: '取消预约',
      in_service: '开始维修', completed: '完工',
    },
    board_action_done: (s) => `状态已改为：${s}`,
    board_sure: (a) => `确定要“${a}”吗？此操作不能撤销。`,
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
    board_open: '详情',
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
    board_archive: '查看车辆档案',
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
      confirmed: 'Confirm booking', arrived: 'Customer arrived', no_show: 'No-show', cancelled: 'Cancel booking',
      in_service: 'Start work', completed: 'Complete',
    },
    board_action_done: (s) => `Status set to: ${s}`,
    board_sure: (a) => `"${a}": are you sure? This cannot be undone.`,
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
    board_open: 'Details',
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
    board_archive: 'Vehicle history',
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
// The transitions the API allows (docs/api.md, POST /appointments/{id}/status).
const NEXT = {
  tentative: ['confirmed', 'cancelled'], confirmed: ['arrived', 'no_show', 'cancelled'],
  arrived: ['in_service', 'cancelled'], in_service: ['completed'],
};
const UNDOABLE = ['cancelled', 'no_show']; // asked twice: they give the reserved parts back
const DEPTS = ['workshop', 'parts', 'warranty', 'customer_service'];
const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const REFRESH_MS = 60000;

// A failed call in the board's words when it has them.
const failText = (r) => errorText(r, { own: (code) => (t('board_err') || {})[code], field: false });

const tt = (key, sub) => (t(key) || {})[sub] || sub || '';


// GET /me names the departments the role confirms for (IN-11).
function mayConfirm(dept) {
  return can('board_confirm') && !!state.me && (state.me.confirms || []).includes(dept);
}

// The workshop starts and finishes jobs; reception confirms, receives and cancels.
function maySet(status) {
  return can('book') || ((status === 'in_service' || status === 'completed') && can('dispatch'));
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
    const e = dayMinutes(j.hold_until || j.end, day);
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
// one under the other rather than on top of each other.
function lanes(jobs, day, floatMin) {
  const ends = [];
  return jobs.map((j) => {
    const s = dayMinutes(j.start, day) ?? 0;
    const e = dayMinutes(j.hold_until, day) ?? ((dayMinutes(j.end, day) ?? s) + floatMin);
    let lane = ends.findIndex((x) => x <= s);
    if (lane < 0) { lane = ends.length; ends.push(e); } else ends[lane] = e;
    return lane;
  });
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
    // board: GET /board; cal: GET /calendar of the day; techs and skills (operation code →
    // skill) for the dispatch select, loaded when first needed; openId: the job in the panel.
    const ctx = {
      board: null, cal: null, floatMin: 30, techs: null, skills: null, openId: null, returnFocus: null,
      busy: false, timer: null,
    };

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

    // The grid, the list and the confirmations from the board's data.
    function draw() {
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
    }

    function pct(m, hours) {
      return ((m - hours.from) / (hours.to - hours.from)) * 100 + '%';
    }

    function grid(hours) {
      const span = hours.to - hours.from;
      const now = storeNow();
      const nowMin = now.date === day && now.min >= hours.from && now.min <= hours.to ? now.min : null;
      const marks = [];
      for (let m = hours.from; m <= hours.to; m += 60) marks.push(m);
      const axis = el('div', { class: 'board-axis', 'aria-hidden': 'true' },
        marks.map((m) => el('span', { class: 'board-hour-label' + (m === hours.to ? ' last' : ''), style: { left: pct(m, hours) } }, fmt(m))),
        hours.breaks.map(([a, b]) => el('span', { class: 'board-break-label', style: { left: pct(a, hours), width: ((b - a) / span) * 100 + '%' } }, t('board_break'))),
        nowMin !== null ? el('span', { class: 'board-now-label', style: { left: pct(nowMin, hours) } }, t('board_now')) : null);
      const background = () => [
        hours.shade.map(([a, b]) => el('div', { class: 'board-shut', style: { left: pct(a, hours), width: ((b - a) / span) * 100 + '%' } })),
        hours.breaks.map(([a, b]) => el('div', { class: 'board-shut board-break', style: { left: pct(a, hours), width: ((b - a) / span) * 100 + '%' } })),
        marks.map((m) => el('div', { class: 'board-hour', style: { left: pct(m, hours) } })),
        marks.slice(0, -1).map((m) => el('div', { class: 'board-half', style: { left: pct(m + 30, hours) } })),
        nowMin !== null ? el('div', { class: 'board-now', style: { left: pct(nowMin, hours) } }) : null,
      ];
      if (!ctx.board.bays.length) return el('p', { class: 'muted' }, t('board_no_bays'));
      return el('div', { class: 'board-grid', role: 'table', 'aria-label': t('board_title') + ' ' + date(day) },
        el('div', { class: 'board-row board-head', role: 'row' },
          el('div', { class: 'board-bay', role: 'columnheader' }, t('board_bay')),
          el('div', { class: 'board-track board-axis-track', role: 'columnheader' }, axis)),
        ctx.board.bays.map((bay) => {
          const lane = lanes(bay.jobs, day, ctx.floatMin);
          const n = Math.max(1, ...lane.map((x) => x + 1));
          return el('div', { class: 'board-row', role: 'row', dataset: { bayId: bay.id } },
            el('div', { class: 'board-bay', role: 'rowheader' },
              el('strong', {}, bay.code), ' ', el('span', { class: 'board-bay-name' }, bay.name),
              el('span', { class: 'board-bay-kind muted' }, tt('board_kind', bay.kind))),
            lanesVar(el('div', { class: 'board-track', role: 'cell' },
              background(),
              bay.jobs.map((j, i) => job(j, lane[i], hours))), '--lanes', n));
        }));
    }

    function job(j, lane, hours) {
      const span = hours.to - hours.from;
      const s = Math.max(hours.from, dayMinutes(j.start, day) ?? hours.from);
      const e = Math.max(s, Math.min(hours.to, dayMinutes(j.end, day) ?? s));
      const h = Math.min(hours.to, dayMinutes(j.hold_until, day) ?? e + ctx.floatMin);
      const status = tt('board_status', j.status);
      const tech = j.technician_name ? t('board_tech', j.technician_name) : t('board_no_tech');
      const time = `${hhmm(j.start)}–${hhmm(j.end)}`;
      const label = [time, status, whoText(j), opsText(j), tech,
        needs(j).map((n) => tt('board_need', n)).join('、')].filter(Boolean).join(' · ');
      const nodes = [
        h > e ? el('div', {
          class: 'board-float', 'aria-hidden': 'true', title: t('board_float_until', hhmm(j.hold_until) || fmt(h)),
          style: { left: pct(e, hours), width: ((h - e) / span) * 100 + '%' },
        }) : null,
        el('button', {
          type: 'button', class: 'board-job st-' + j.status + (j.id === ctx.openId ? ' open' : '') + ((e - s) / span < 0.075 ? ' short' : ''),
          dataset: { appointmentId: j.id, status: j.status }, title: label, 'aria-label': label,
          style: { left: pct(s, hours), width: ((e - s) / span) * 100 + '%' },
          onclick: () => openDetail(j),
        },
        el('span', { class: 'board-job-time' }, el('b', {}, hhmm(j.start), el('span', { class: 'board-job-end' }, '–' + hhmm(j.end))),
          ' ', el('span', { class: 'board-job-status' }, status)),
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
        list.length === 0 ? el('p', { class: 'muted' }, t('board_unassigned_none')) : el('table', { class: 'grid' },
          el('thead', {}, el('tr', {}, ['board_col_vehicle', 'board_col_customer', 'board_col_ops', 'board_col_when',
            'board_col_words', 'board_col_status', ''].map((k) => el('th', {}, k ? t(k) : '')))),
          el('tbody', {}, list.map((j) => el('tr', { class: 'board-unassigned-row', dataset: { appointmentId: j.id } },
            el('td', {}, j.vehicle ? j.vehicle.plate : '—'),
            el('td', {}, person(j.customer)),
            el('td', {}, opsText(j)),
            el('td', {}, j.flexibility === 'period' ? t('board_period', date(j.period_from, false), date(j.period_to, false))
              : date(j.date, false), ' ', el('span', { class: 'muted' }, tt('board_flexibility', j.flexibility))),
            el('td', {}, j.customer_words || '—'),
            el('td', {}, el('span', { class: 'board-status-tag st-' + j.status }, tt('board_status', j.status)), ' ', partsTag(j), needTags(j)),
            el('td', {}, el('button', { type: 'button', class: 'board-open', dataset: { appointmentId: j.id }, onclick: () => openDetail(j) }, t('board_open'))))))));
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
                  ? el('button', { type: 'button', class: 'board-confirm', dataset: { department: d, date: c.day }, onclick: (e) => confirmDept(c.day, d, e.target) }, t('board_confirm'))
                  : null);
            }))))));
    }

    async function confirmDept(d, dept, button) {
      button.disabled = true;
      const r = await api('POST', `/board/${encodeURIComponent(d)}/confirmations`, { department: dept });
      if (r.status !== 201 && r.status !== 200) {
        button.disabled = false;
        notice(failText(r), 'error');
        return;
      }
      notice(t('board_confirm_done', tt('board_depts', dept), date(d, false)));
      await load(true);
    }

    // ---- the detail panel ----
    async function ensureDispatchData() {
      if (ctx.techs && ctx.skills) return;
      const [tr, or] = await Promise.all([api('GET', '/technicians'), api('GET', '/operations?all=true')]);
      ctx.techs = tr.status === 200 ? tr.data.items || [] : [];
      ctx.skills = Object.fromEntries((or.status === 200 ? or.data.items || [] : []).map((o) => [o.code, o.skill]));
    }

    // The weekday the job's day is worked as: a make-up working day works Monday's hours.
    function workedAs(d) {
      const c = ctx.cal && (ctx.cal.days || []).find((x) => x.date === d);
      if (c && c.exception === 'open') return 'mon';
      const [y, m, dd] = d.split('-').map(Number);
      return WEEKDAY[new Date(Date.UTC(y, m - 1, dd)).getUTCDay()];
    }

    function closeDetail() {
      ctx.openId = null;
      detail.hidden = true;
      clear(detail);
      for (const b of gridBox.querySelectorAll('.board-job.open')) b.classList.remove('open');
      if (ctx.returnFocus) {
        const again = root.querySelector(`.board-job[data-appointment-id="${ctx.returnFocus}"], .board-open[data-appointment-id="${ctx.returnFocus}"]`);
        (again || dateInput).focus();
      }
    }

    async function openDetail(j, keepFocus) {
      ctx.openId = j.id;
      ctx.returnFocus = j.id;
      for (const b of gridBox.querySelectorAll('.board-job')) b.classList.toggle('open', b.dataset.appointmentId === String(j.id));
      if (can('dispatch')) await ensureDispatchData();
      if (ctx.openId !== j.id) return;
      clear(detail, detailBody(j));
      detail.hidden = false;
      if (!keepFocus) detail.focus();
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
          el('button', { type: 'button', class: 'board-detail-close', onclick: closeDetail, 'aria-label': t('board_close') }, '×')),
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
        (j.parts || []).length ? [el('h3', {}, t('board_parts'), ' ', partsTag(j)), el('table', { class: 'grid board-parts' },
          el('thead', {}, el('tr', {}, ['board_part_no', 'board_part_name', 'board_qty', 'board_part_state_col']
            .map((k) => el('th', { class: k === 'board_qty' ? 'num' : null }, t(k))))),
          el('tbody', {}, j.parts.map((p) => el('tr', {},
            el('td', {}, p.part_no), el('td', {}, p.name), el('td', { class: 'num' }, String(p.qty)),
            el('td', {}, tt('board_part_state', p.state),
              p.shelf ? el('span', { class: 'muted board-part-sub' }, tt('board_shelf', p.shelf)) : null,
              p.expected_date ? el('span', { class: 'muted board-part-sub' }, t('board_part_expected') + ' ' + date(p.expected_date, false)) : null)))))] : null,
        prep.length || j.needs_note ? [el('h3', {}, t('board_prepare')),
          el('p', {}, needTags(j), j.needs_note ? el('span', { class: 'board-needs-note' }, j.needs_note) : null)] : null,
        dispatchSection(j),
        actionSection(j),
        j.vehicle ? el('p', {}, el('a', { href: '#/archive?vehicle=' + encodeURIComponent(j.vehicle.id), class: 'board-archive-link' }, t('board_archive'))) : null,
      ];
    }

    function dispatchSection(j) {
      if (!can('dispatch') || !j.start || !NEXT[j.status]) return null;
      const need = [...new Set((j.ops || []).map((o) => ctx.skills[o.code]).filter(Boolean))];
      const wd = workedAs(j.date || day);
      const load = {};
      for (const b of ctx.board.bays) for (const x of b.jobs) {
        if (x.technician_id && !['cancelled', 'no_show'].includes(x.status)) load[x.technician_id] = (load[x.technician_id] || 0) + 1;
      }
      const able = (ctx.techs || []).filter((x) => need.every((s) => (x.skills || []).includes(s)));
      if (!able.length) return [el('h3', {}, t('board_dispatch')), el('p', { class: 'muted' }, t('board_dispatch_none'))];
      const select = el('select', { id: 'board-dispatch-tech', 'aria-label': t('board_dispatch_to') },
        able.map((x) => el('option', { value: x.id, selected: x.id === j.technician_id },
          x.name + ' — ' + t('board_tech_jobs', load[x.id] || 0) + ((x.days || []).includes(wd) ? '' : ' — ' + t('board_tech_off')))));
      const button = el('button', { type: 'submit', class: 'primary', id: 'board-dispatch' }, t('board_dispatch'));
      return [el('h3', {}, t('board_dispatch')), el('form', {
        class: 'row board-dispatch-form',
        onsubmit: async (e) => {
          e.preventDefault();
          if (ctx.busy) return;
          ctx.busy = true;
          button.disabled = true;
          const r = await api('POST', `/appointments/${j.id}/dispatch`, { technician_id: Number(select.value) });
          ctx.busy = false;
          button.disabled = false;
          if (r.status !== 200) { notice(failText(r), 'error'); return; }
          notice(t('board_dispatched', r.data.technician_name || select.selectedOptions[0].textContent));
          await afterChange(r.data);
        },
      }, field('board_dispatch_to', select), button)];
    }

    function actionSection(j) {
      const next = (NEXT[j.status] || []).filter((s) => s !== 'confirmed' || j.start).filter(maySet);
      const box = el('div', { class: 'board-actions row' });
      const buttons = next.map((s) => el('button', {
        type: 'button', class: 'board-action ' + (UNDOABLE.includes(s) ? 'danger' : 'primary'), dataset: { status: s },
        onclick: () => (UNDOABLE.includes(s) ? ask(s) : setStatus(s)),
      }, tt('board_action', s)));
      const ask = (s) => clear(box, el('span', { class: 'board-sure', role: 'alert' }, t('board_sure', tt('board_action', s))),
        el('button', { type: 'button', class: 'danger board-sure-yes', dataset: { confirmStatus: s }, onclick: () => setStatus(s) }, t('board_yes')),
        el('button', { type: 'button', class: 'board-sure-no', onclick: () => { clear(box, buttons); buttons[0] && buttons[0].focus(); } }, t('board_no')));
      const setStatus = async (s) => {
        if (ctx.busy) return;
        ctx.busy = true;
        for (const b of box.querySelectorAll('button')) b.disabled = true;
        const r = await api('POST', `/appointments/${j.id}/status`, { status: s });
        ctx.busy = false;
        if (r.status !== 200) {
          notice(failText(r), 'error');
          clear(box, buttons);
          for (const b of buttons) b.disabled = false;
          return;
        }
        notice(t('board_action_done', tt('board_status', r.data.status)));
        await afterChange(r.data);
      };
      clear(box, buttons);
      return [el('h3', {}, t('board_actions')), next.length ? box : el('p', { class: 'muted' }, t('board_no_actions'))];
    }

    // A change went through: the panel shows the appointment as the API answered, the board
    // is loaded again.
    async function afterChange(a) {
      await load(true);
      if (ctx.openId === a.id) await openDetail(a, true);
      const first = detail.querySelector('button.board-action, #board-dispatch-tech, .board-detail-close');
      if (first) first.focus();
    }

    // ---- loading ----
    let loading = null;
    async function load(force) {
      if (loading && !force) return loading;
      loading = (async () => {
        const first = !ctx.board;
        const [br, cr, sr] = await Promise.all([
          api('GET', '/board?date=' + encodeURIComponent(day)),
          first ? api('GET', `/calendar?from=${day}&to=${day}`) : null,
          first ? api('GET', '/settings') : null,
        ]);
        if (first && cr && cr.status === 200) ctx.cal = cr.data;
        if (first && sr && sr.status === 200 && Number.isFinite(sr.data.float_min)) ctx.floatMin = sr.data.float_min;
        if (br.status !== 200) {
          if (first) clear(gridBox, el('p', { class: 'error', role: 'alert' }, t('board_load_failed') + failText(br)));
          else notice(t('board_load_failed') + failText(br), 'error');
          return;
        }
        ctx.board = br.data;
        draw();
      })();
      try { await loading; } finally { loading = null; }
    }

    const onKey = (e) => {
      if (e.key === 'Escape' && !detail.hidden) { e.preventDefault(); closeDetail(); }
    };
    document.addEventListener('keydown', onKey);
    // The board follows bookings made elsewhere (IN-13: a same-day booking shows at once) and
    // moves the "now" line; not while a panel is open or a change is on its way.
    ctx.timer = setInterval(() => {
      if (document.visibilityState === 'visible' && detail.hidden && !ctx.busy) load();
    }, REFRESH_MS);

    load();
    return () => {
      clearInterval(ctx.timer);
      document.removeEventListener('keydown', onKey);
    };
  },
});
