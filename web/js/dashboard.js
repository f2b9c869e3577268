// The service manager's dashboard (RPT-2): today's and a month's calls per call list (created,
// reached, booked, the reach and booking rates), the month's calls per day, bookings by case
// A–D and conversion by source, failed booking calls by reason, no-shows, and the bays'
// utilisation per day. The charts are SVG drawn here (bars, stacked bars, lines), each with
// its figures as title tooltips and as a small table. Every server value reaches the page as
// text (el/svg).
import { addText, api, can, clear, currentRoute, date, el, get, go, money, registerScreen, state, svg, t } from './core.js';
import { callQuality, callQualityCard } from './call_reviews.js';
import { reminderCoverage, reminderCoverageCard } from './reminder_coverage.js';

// The API's orders: call lists (GET /reports/calls), sources, failure reasons, cases.
const TYPES = ['maintenance_message', 'maintenance_call', 'maintenance_second_call', 'followup',
  'first_maintenance', 'lost_customer', 'insurance_renewal', 'annual_inspection', 'callback',
  'campaign', 'appointment_confirm', 'no_show_rebook'];
const SOURCES = ['inbound', 'outbound', 'walk_in', 'online'];
const REASONS = ['no_suitable_slot', 'price', 'parts_unavailable', 'customer_undecided', 'went_elsewhere', 'other'];
const CASES = ['A', 'B', 'C', 'D'];

addText({
  zh: {
    dashboard_nav: '经营看板', dashboard_title: '服务经理看板',
    dashboard_month: '月份', dashboard_prev: '上个月', dashboard_next: '下个月', dashboard_this_month: '本月',
    dashboard_month_label: (y, m) => `${y}年${m}月`,
    dashboard_kpi_today_calls: '今日外呼任务', dashboard_kpi_month_calls: '当月外呼任务',
    dashboard_kpi_reach: '当月接通率', dashboard_kpi_booking: '当月预约率',
    dashboard_kpi_booked: '当月新预约', dashboard_kpi_conversion: '预约成功率',
    dashboard_kpi_no_shows: '当月爽约', dashboard_kpi_util: '当月工位利用率',
    dashboard_kpi_calls_sub: (r, b) => `接通 ${r} · 预约 ${b}`,
    dashboard_kpi_rate_sub: (a, b) => `${a} / ${b}`,
    dashboard_kpi_booked_sub: (f) => `未成功 ${f} 次`,
    dashboard_kpi_no_show_sub: (c) => `取消 ${c} 个`,
    dashboard_kpi_util_sub: (b, c) => `${b} / ${c}`,
    dashboard_calls_title: '各类任务外呼（当月）', dashboard_rates_title: '各类任务接通率与预约率（当月）',
    dashboard_daily_title: '每日外呼（当月）', dashboard_util_title: '工位利用率（每日）',
    dashboard_cases_title: '预约类别 A–D（当月新预约）', dashboard_sources_title: '各来源预约成功率（当月）',
    dashboard_reasons_title: '未成功预约的原因（当月）', dashboard_bays_title: '各工位利用率（当月）',
    dashboard_created: '任务数', dashboard_reached: '已接通', dashboard_booked: '已预约', dashboard_reached_only: '接通未预约', dashboard_not_reached: '未接通',
    dashboard_reach_rate: '接通率', dashboard_booking_rate: '预约率',
    dashboard_failed: '未成功', dashboard_conversion: '成功率', dashboard_count: '数量',
    dashboard_utilisation: '利用率', dashboard_capacity: '可用工时', dashboard_booked_time: '已预约工时',
    dashboard_today_col: (d) => `今日（${d}）`, dashboard_month_col: '当月',
    dashboard_type: '任务类型', dashboard_source: '来源', dashboard_reason: '原因', dashboard_case: '类别',
    dashboard_bay: '工位', dashboard_day: '日期', dashboard_open: '营业时长',
    dashboard_no_calls: '当月和今日都没有外呼任务。', dashboard_no_bays: '没有工位。',
    dashboard_closed: '休息', dashboard_retired: '已停用',
    dashboard_daily_table: '按日明细', dashboard_no_shows: '爽约（未到店）', dashboard_cancelled: '已取消的预约',
    dashboard_total: '合计', dashboard_hours: (h) => `${h} 小时`,
    dashboard_types: {
      maintenance_message: '保养短信', maintenance_call: '保养提醒', maintenance_second_call: '保养二次提醒',
      followup: '维修回访', first_maintenance: '首保提醒', lost_customer: '流失客户', insurance_renewal: '续保提醒',
      annual_inspection: '年审提醒', callback: '回电', campaign: '召回/活动', appointment_confirm: '确认预约时间',
      no_show_rebook: '爽约改约',
    },
    dashboard_sources: { inbound: '来电', outbound: '外呼', walk_in: '到店', online: '网上' },
    dashboard_reasons: {
      no_suitable_slot: '没有合适的时间', price: '价格', parts_unavailable: '配件无货',
      customer_undecided: '客户还没决定', went_elsewhere: '去了别家', other: '其他',
    },
    dashboard_cases: { A: 'A 保养', B: 'B 维修无配件', C: 'C 配件有货', D: 'D 配件需订货' },
    dashboard_ws_title: '车间（维修工单，RO-8）', dashboard_ws_figure: '指标',
    dashboard_ws_orders: '进厂台次', dashboard_ws_booked: '预约', dashboard_ws_walk_in: '直接入厂',
    dashboard_ws_share: '预约率', dashboard_ws_wait_booked: '平均等待（预约）', dashboard_ws_wait_walk_in: '平均等待（直接入厂）',
    dashboard_ws_hours: '工时（售出 / 实际）', dashboard_ws_efficiency: '工时效率', dashboard_ws_delivered: '交车台次',
    dashboard_ws_on_time: '按时交车率', dashboard_ws_comebacks: '返修（30 天内同项目）', dashboard_ws_revenue: '营业额（工时 + 配件）',
    dashboard_ws_min: (m) => `${m} 分钟`, dashboard_ws_failed: '车间报表加载失败：',
  },
  en: {
    dashboard_nav: 'Dashboard', dashboard_title: "Service manager's dashboard",
    dashboard_month: 'Month', dashboard_prev: 'Previous month', dashboard_next: 'Next month', dashboard_this_month: 'This month',
    dashboard_month_label: (y, m) => `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`,
    dashboard_kpi_today_calls: 'Calls today', dashboard_kpi_month_calls: 'Calls in the month',
    dashboard_kpi_reach: 'Reach rate', dashboard_kpi_booking: 'Booking rate',
    dashboard_kpi_booked: 'Bookings made', dashboard_kpi_conversion: 'Booking conversion',
    dashboard_kpi_no_shows: 'No-shows', dashboard_kpi_util: 'Bay utilisation',
    dashboard_kpi_calls_sub: (r, b) => `reached ${r} · booked ${b}`,
    dashboard_kpi_rate_sub: (a, b) => `${a} of ${b}`,
    dashboard_kpi_booked_sub: (f) => `${f} not booked`,
    dashboard_kpi_no_show_sub: (c) => `${c} cancelled`,
    dashboard_kpi_util_sub: (b, c) => `${b} of ${c}`,
    dashboard_calls_title: 'Calls per list (month)', dashboard_rates_title: 'Reach and booking rates per list (month)',
    dashboard_daily_title: 'Calls per day (month)', dashboard_util_title: 'Bay utilisation per day',
    dashboard_cases_title: 'Bookings by case A–D (made in the month)', dashboard_sources_title: 'Booking conversion by source (month)',
    dashboard_reasons_title: 'Why booking calls failed (month)', dashboard_bays_title: 'Utilisation per bay (month)',
    dashboard_created: 'Tasks', dashboard_reached: 'Reached', dashboard_booked: 'Booked', dashboard_reached_only: 'Reached, not booked', dashboard_not_reached: 'Not reached',
    dashboard_reach_rate: 'Reach rate', dashboard_booking_rate: 'Booking rate',
    dashboard_failed: 'Not booked', dashboard_conversion: 'Conversion', dashboard_count: 'Count',
    dashboard_utilisation: 'Utilisation', dashboard_capacity: 'Bay time open', dashboard_booked_time: 'Bay time booked',
    dashboard_today_col: (d) => `Today (${d})`, dashboard_month_col: 'Month',
    dashboard_type: 'Call list', dashboard_source: 'Source', dashboard_reason: 'Reason', dashboard_case: 'Case',
    dashboard_bay: 'Bay', dashboard_day: 'Date', dashboard_open: 'Open',
    dashboard_no_calls: 'No calls in the month or today.', dashboard_no_bays: 'No bays.',
    dashboard_closed: 'Closed', dashboard_retired: 'retired',
    dashboard_daily_table: 'Figures per day', dashboard_no_shows: 'No-shows', dashboard_cancelled: 'Cancelled bookings',
    dashboard_total: 'Total', dashboard_hours: (h) => `${h} h`,
    dashboard_types: {
      maintenance_message: 'Service SMS', maintenance_call: 'Service reminder', maintenance_second_call: 'Second reminder',
      followup: 'Follow-up', first_maintenance: 'First service', lost_customer: 'Lost customer', insurance_renewal: 'Insurance renewal',
      annual_inspection: 'Annual inspection', callback: 'Call-back', campaign: 'Recall / campaign', appointment_confirm: 'Confirm booking time',
      no_show_rebook: 'No-show: rebook',
    },
    dashboard_sources: { inbound: 'Inbound call', outbound: 'Outbound call', walk_in: 'Walk-in', online: 'Online' },
    dashboard_reasons: {
      no_suitable_slot: 'No suitable time', price: 'Price', parts_unavailable: 'Parts unavailable',
      customer_undecided: 'Customer undecided', went_elsewhere: 'Went elsewhere', other: 'Other',
    },
    dashboard_cases: { A: 'A maintenance', B: 'B repair, no parts', C: 'C parts in stock', D: 'D parts ordered' },
    dashboard_ws_title: 'Workshop (repair orders, RO-8)', dashboard_ws_figure: 'Figure',
    dashboard_ws_orders: 'Cars in', dashboard_ws_booked: 'Booked', dashboard_ws_walk_in: 'Walk-in',
    dashboard_ws_share: 'Booking share', dashboard_ws_wait_booked: 'Average wait (booked)', dashboard_ws_wait_walk_in: 'Average wait (walk-in)',
    dashboard_ws_hours: 'Hours (sold / clocked)', dashboard_ws_efficiency: 'Efficiency', dashboard_ws_delivered: 'Delivered',
    dashboard_ws_on_time: 'On-time delivery', dashboard_ws_comebacks: 'Comebacks (same work within 30 days)', dashboard_ws_revenue: 'Revenue (labour + parts)',
    dashboard_ws_min: (m) => `${m} min`, dashboard_ws_failed: 'The workshop report could not be loaded: ',
  },
});

// ---- formats ------------------------------------------------------------------------------
const locale = () => (state.lang === 'zh' ? 'zh-CN' : 'en-GB');
const num = (n) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(locale()).format(n));
// A rate 0..1 as a percentage in the language's format ("83.3%"); null is a dash.
function pct(v) {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(v);
}
const hours = (min) => t('dashboard_hours', new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(min / 60));
const label = (table, key) => (t(table) || {})[key] || key;

function monthLabel(m) {
  const [y, mo] = m.split('-').map(Number);
  return t('dashboard_month_label', y, mo);
}

function shiftMonth(m, n) {
  const [y, mo] = m.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

// ---- charts -------------------------------------------------------------------------------
// Drawn in a 640 × 240 view box that the CSS scales to the card's width. A chart is
// {cats: [{label, full}], series: [{label, values}], ...}; series take the classes s1, s2, …
// (colours in dashboard.css).
const W = 640;
const H = 240;

// The width of a text in the view box, roughly: CJK characters are square.
function textWidth(s, size) {
  let w = 0;
  for (const ch of String(s)) w += /[\u2e80-\uffff]/.test(ch) ? size : size * 0.6;
  return w;
}

// The axis' top and step: about four steps of 1, 2, 2.5 or 5 × 10^n (whole steps for counts).
function axisScale(max, whole) {
  if (!(max > 0)) return { top: whole ? 4 : 1, step: whole ? 1 : 0.25 };
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
  if (whole) step = Math.max(1, Math.ceil(step));
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

function legend(series, y = 12) {
  let x = 50;
  const items = [];
  series.forEach((s, i) => {
    items.push(svg('rect', { x, y: y - 9, width: 10, height: 10, class: 'swatch s' + (i + 1) }));
    items.push(svg('text', { x: x + 14, y, class: 'legend' }, s.label));
    x += 14 + textWidth(s.label, 11) + 16;
  });
  return svg('g', { class: 'legend' }, items);
}

// The plot's frame: its box in the view box, the width of a category's column (gw), the
// format of its values (fmt: percentages for opts.percent, else counts) and the svg root.
function chartFrame(aria, cats, opts) {
  const rotate = opts.rotate;
  const bottom = rotate ? 22 + Math.min(80, Math.max(...cats.map((c) => textWidth(c.label, 11))) * 0.6) : 34;
  const frame = { left: 48, right: 10, top: 30, bottom, rotate: !!rotate };
  frame.w = W - frame.left - frame.right;
  frame.h = H - frame.top - frame.bottom;
  frame.gw = frame.w / Math.max(1, cats.length);
  frame.fmt = opts.percent ? pct : num;
  frame.root = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': aria, id: opts.id });
  return frame;
}

// The y axis with its grid lines and labels, and the x labels under each category (slanted
// when the frame is rotated).
function axes(f, cats, scale) {
  const g = [];
  for (let v = 0; v <= scale.top + 1e-9; v += scale.step) {
    const y = f.top + f.h - (v / scale.top) * f.h;
    g.push(svg('line', { x1: f.left, x2: f.left + f.w, y1: y, y2: y, class: v === 0 ? 'axis' : 'grid' }));
    g.push(svg('text', { x: f.left - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, f.fmt(v)));
  }
  const every = Math.max(1, Math.ceil(cats.length / Math.floor(f.w / 18)));
  cats.forEach((c, i) => {
    if (i % every) return;
    const x = f.left + f.gw * (i + 0.5);
    const y = f.top + f.h + 15;
    g.push(svg('text', {
      x, y, class: 'tick', 'text-anchor': f.rotate ? 'end' : 'middle', transform: f.rotate ? `rotate(-30 ${x} ${y})` : undefined,
    }, svg('title', {}, c.full || c.label), c.label));
  });
  return svg('g', {}, g);
}

// The shaded columns of marks[i] (closed days), each with its tooltip.
function markRects(f, cats, marks) {
  return cats.map((c, i) => (marks && marks[i]
    ? svg('rect', { x: f.left + f.gw * i + 1, y: f.top, width: f.gw - 2, height: f.h, class: 'mark' }, svg('title', {}, `${c.full || c.label}: ${marks[i]}`))
    : null));
}

// Bars: grouped side by side, or stacked (opts.stacked); opts.percent for rates 0..1;
// opts.top for a fixed axis top; opts.marks[i] a shaded column with a tooltip (closed days);
// opts.totals[i] a label over a stacked column.
function barChart(aria, cats, series, opts = {}) {
  const rotate = cats.length > 0 && cats.length <= 12 && cats.some((c) => textWidth(c.label, 11) > (W - 60) / cats.length - 6);
  const f = chartFrame(aria, cats, { ...opts, rotate });
  const { fmt, gw } = f;
  const columnMax = cats.map((_, i) => (opts.stacked
    ? series.reduce((s, x) => s + (x.values[i] || 0), 0)
    : Math.max(0, ...series.map((x) => x.values[i] || 0))));
  const scale = opts.top ? { top: opts.top, step: opts.top / 4 } : axisScale(Math.max(0, ...columnMax), !opts.percent);
  const y = (v) => f.top + f.h - (Math.min(v, scale.top) / scale.top) * f.h;
  const shapes = markRects(f, cats, opts.marks);
  cats.forEach((c, i) => {
    const x0 = f.left + gw * i;
    if (opts.stacked) {
      const bw = Math.min(48, gw * 0.6);
      let acc = 0;
      series.forEach((s, k) => {
        const v = s.values[i] || 0;
        if (v > 0) {
          shapes.push(svg('rect', { x: x0 + (gw - bw) / 2, y: y(acc + v), width: bw, height: y(acc) - y(acc + v), class: 'bar s' + (k + 1) },
            svg('title', {}, `${c.full || c.label} · ${s.label}: ${fmt(v)}`)));
        }
        acc += v;
      });
      const top = opts.totals ? opts.totals[i] : (acc ? fmt(acc) : '');
      if (top) shapes.push(svg('text', { x: x0 + gw / 2, y: y(acc) - 4, class: 'value', 'text-anchor': 'middle' }, top));
    } else {
      const inner = gw * (series.length > 1 ? 0.8 : 0.7);
      const bw = Math.min(40, inner / series.length);
      const start = x0 + (gw - bw * series.length) / 2;
      series.forEach((s, k) => {
        const v = s.values[i];
        if (v === null || v === undefined) return;
        const bx = start + bw * k;
        shapes.push(svg('rect', { x: bx + 0.5, y: y(v), width: Math.max(1, bw - 1), height: Math.max(0, y(0) - y(v)), class: 'bar s' + (k + 1) },
          svg('title', {}, `${c.full || c.label} · ${s.label}: ${fmt(v)}`)));
        if (v > 0 && bw >= 16) {
          shapes.push(svg('text', { x: bx + bw / 2, y: y(v) - 3, class: 'value', 'text-anchor': 'middle' }, fmt(v)));
        }
      });
    }
  });
  f.root.append(axes(f, cats, scale), svg('g', {}, shapes), legend(series));
  return f.root;
}

// Lines over the days, a dot per value with its tooltip; a null value breaks the line
// (a closed day). opts.percent, opts.marks as for barChart.
function lineChart(aria, cats, series, opts = {}) {
  const f = chartFrame(aria, cats, { ...opts, rotate: false });
  const { fmt, gw } = f;
  const scale = axisScale(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null))), !opts.percent);
  const x = (i) => f.left + gw * (i + 0.5);
  const y = (v) => f.top + f.h - (v / scale.top) * f.h;
  const shapes = markRects(f, cats, opts.marks);
  series.forEach((s, k) => {
    let run = [];
    const flush = () => {
      if (run.length > 1) shapes.push(svg('polyline', { points: run.join(' '), class: 'line s' + (k + 1) }));
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { flush(); return; }
      run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    flush();
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      shapes.push(svg('circle', { cx: x(i), cy: y(v), r: 3, class: 'dot s' + (k + 1) },
        svg('title', {}, `${cats[i].full || cats[i].label} · ${s.label}: ${fmt(v)}`)));
    });
  });
  f.root.append(axes(f, cats, scale), svg('g', {}, shapes), legend(series));
  return f.root;
}

// ---- the screen ---------------------------------------------------------------------------
function small(columns, rows, extra) {
  const tbl = el('table', { class: 'grid dashboard-table' },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : null }, c.head)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : null }, c.get(r)))))));
  if (extra) tbl.append(el('tfoot', {}, el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : null }, c.get(extra))))));
  return tbl;
}

function card(title, ...body) {
  return el('section', { class: 'card dashboard-card' }, el('h2', {}, title), ...body);
}

function kpi(title, value, sub) {
  return el('div', { class: 'dashboard-kpi' }, el('span', { class: 'dashboard-kpi-title' }, title),
    el('strong', {}, value), el('span', { class: 'muted' }, sub));
}

function dayCats(days) {
  return days.map((d) => ({ label: String(Number(d.date.slice(8))), full: date(d.date) }));
}

function callsCards(today, month) {
  const byType = (r) => Object.fromEntries(r.types.map((x) => [x.type, x]));
  const tt = byType(today);
  const mt = byType(month);
  const shown = TYPES.filter((k) => (mt[k] && mt[k].created) || (tt[k] && tt[k].created));
  if (shown.length === 0) {
    return [card(t('dashboard_calls_title'), el('p', { class: 'muted' }, t('dashboard_no_calls')))];
  }
  // A row per call list shown: its name, today's figures (t) and the month's (m).
  const zero = { created: 0, reached: 0, booked: 0, reach_rate: null, booking_rate: null };
  const rows = shown.map((k) => ({ name: label('dashboard_types', k), t: tt[k] || zero, m: mt[k] || zero }));
  const cats = rows.map((r) => ({ label: r.name }));
  const monthly = (key) => rows.map((r) => r.m[key]);
  const cols = [
    { head: t('dashboard_type'), get: (r) => r.name },
    { head: t('dashboard_today_col', date(today.from, false)), num: true, get: (r) => `${num(r.t.created)} / ${num(r.t.reached)} / ${num(r.t.booked)}` },
    { head: t('dashboard_month_col'), num: true, get: (r) => `${num(r.m.created)} / ${num(r.m.reached)} / ${num(r.m.booked)}` },
    { head: t('dashboard_reach_rate'), num: true, get: (r) => pct(r.m.reach_rate) },
    { head: t('dashboard_booking_rate'), num: true, get: (r) => pct(r.m.booking_rate) },
  ];
  const total = { name: t('dashboard_total'), t: today.total, m: month.total };
  const legendNote = el('p', { class: 'muted dashboard-note' },
    `${t('dashboard_created')} / ${t('dashboard_reached')} / ${t('dashboard_booked')}`);
  const counts = barChart(t('dashboard_calls_title'), cats, [
    { label: t('dashboard_created'), values: monthly('created') },
    { label: t('dashboard_reached'), values: monthly('reached') },
    { label: t('dashboard_booked'), values: monthly('booked') },
  ], { id: 'dashboard-calls-chart' });
  const rates = barChart(t('dashboard_rates_title'), cats, [
    { label: t('dashboard_reach_rate'), values: monthly('reach_rate') },
    { label: t('dashboard_booking_rate'), values: monthly('booking_rate') },
  ], { percent: true, top: 1, id: 'dashboard-rates-chart' });
  return [
    card(t('dashboard_calls_title'), counts, legendNote, small(cols, rows, total)),
    card(t('dashboard_rates_title'), rates),
  ];
}

// The month's calls per day as stacked bars: booked, reached but not booked, not reached
// (yet); a column is the day's tasks.
function dailyCard(month) {
  const days = month.days || [];
  const cats = dayCats(days);
  const chart = barChart(t('dashboard_daily_title'), cats, [
    { label: t('dashboard_booked'), values: days.map((d) => d.booked) },
    { label: t('dashboard_reached_only'), values: days.map((d) => Math.max(0, d.reached - d.booked)) },
    { label: t('dashboard_not_reached'), values: days.map((d) => Math.max(0, d.created - d.reached)) },
  ], { stacked: true, totals: days.map((d) => (d.created ? num(d.created) : '')), id: 'dashboard-daily-chart' });
  const rows = days.filter((d) => d.created || d.reached || d.booked);
  return card(t('dashboard_daily_title'), chart,
    el('details', {}, el('summary', {}, t('dashboard_daily_table')),
      small([
        { head: t('dashboard_day'), get: (d) => date(d.date) },
        { head: t('dashboard_created'), num: true, get: (d) => num(d.created) },
        { head: t('dashboard_reached'), num: true, get: (d) => num(d.reached) },
        { head: t('dashboard_booked'), num: true, get: (d) => num(d.booked) },
        { head: t('dashboard_reach_rate'), num: true, get: (d) => pct(d.reach_rate) },
        { head: t('dashboard_booking_rate'), num: true, get: (d) => pct(d.booking_rate) },
      ], rows)));
}

function bookingCards(today, month) {
  const cases = barChart(t('dashboard_cases_title'), CASES.map((c) => ({ label: label('dashboard_cases', c) })),
    [{ label: t('dashboard_booked'), values: CASES.map((c) => month.by_case[c] || 0) }], { id: 'dashboard-cases-chart' });
  // GET /reports/bookings gives the failed calls per reason, not per source: the sources
  // show their conversion (booked ÷ (booked + failed)) and what they booked.
  const sourceRows = SOURCES.map((s) => ({ s, booked: month.booked_by_source[s] || 0, conv: month.conversion_by_source[s] }));
  const sources = barChart(t('dashboard_sources_title'), SOURCES.map((s) => ({ label: label('dashboard_sources', s) })),
    [{ label: t('dashboard_conversion'), values: sourceRows.map((r) => r.conv) }],
    { percent: true, top: 1, id: 'dashboard-sources-chart' });
  const reasons = barChart(t('dashboard_reasons_title'), REASONS.map((r) => ({ label: label('dashboard_reasons', r) })),
    [{ label: t('dashboard_failed'), values: REASONS.map((r) => month.failed_by_reason[r] || 0) }], { id: 'dashboard-reasons-chart' });
  return [
    card(t('dashboard_cases_title'), cases,
      small([
        { head: t('dashboard_case'), get: (c) => label('dashboard_cases', c) },
        { head: t('dashboard_today_col', date(today.from, false)), num: true, get: (c) => num(today.by_case[c] || 0) },
        { head: t('dashboard_month_col'), num: true, get: (c) => num(month.by_case[c] || 0) },
      ], CASES)),
    card(t('dashboard_sources_title'), sources,
      small([
        { head: t('dashboard_source'), get: (r) => r.name || label('dashboard_sources', r.s) },
        { head: t('dashboard_booked'), num: true, get: (r) => num(r.booked) },
        { head: t('dashboard_conversion'), num: true, get: (r) => pct(r.conv) },
      ], sourceRows, { name: t('dashboard_total'), booked: month.booked, conv: month.conversion })),
    card(t('dashboard_reasons_title'), reasons,
      small([
        { head: t('dashboard_reason'), get: (r) => r.name },
        { head: t('dashboard_count'), num: true, get: (r) => num(r.n) },
      ], [
        ...REASONS.map((r) => ({ name: label('dashboard_reasons', r), n: month.failed_by_reason[r] || 0 })),
        { name: t('dashboard_no_shows'), n: month.no_shows },
        { name: t('dashboard_cancelled'), n: month.cancelled },
      ])),
  ];
}

function utilisationCards(util) {
  const days = util.days;
  const cats = dayCats(days);
  const chart = lineChart(t('dashboard_util_title'), cats,
    [{ label: t('dashboard_utilisation'), values: days.map((d) => d.utilisation) }],
    { percent: true, marks: days.map((d) => (d.open_min === 0 ? t('dashboard_closed') : null)), id: 'dashboard-util-chart' });
  const bays = util.bays;
  return [
    card(t('dashboard_util_title'), chart,
      el('details', {}, el('summary', {}, t('dashboard_daily_table')),
        small([
          { head: t('dashboard_day'), get: (d) => date(d.date) },
          { head: t('dashboard_open'), num: true, get: (d) => (d.open_min ? hours(d.open_min) : t('dashboard_closed')) },
          { head: t('dashboard_capacity'), num: true, get: (d) => hours(d.capacity_min) },
          { head: t('dashboard_booked_time'), num: true, get: (d) => hours(d.booked_min) },
          { head: t('dashboard_utilisation'), num: true, get: (d) => pct(d.utilisation) },
        ], days))),
    card(t('dashboard_bays_title'), bays.length === 0 ? el('p', { class: 'muted' }, t('dashboard_no_bays'))
      : small([
        { head: t('dashboard_bay'), get: (b) => (b.code ? `${b.code} ${b.name}` + (b.active === false ? ` (${t('dashboard_retired')})` : '') : b.name) },
        { head: t('dashboard_capacity'), num: true, get: (b) => hours(b.capacity_min) },
        { head: t('dashboard_booked_time'), num: true, get: (b) => hours(b.booked_min) },
        { head: t('dashboard_utilisation'), num: true, get: (b) => pct(b.utilisation) },
      ], bays, { name: t('dashboard_total'), ...util.total })),
  ];
}

function kpis(callsToday, callsMonth, bookMonth, util) {
  const ct = callsToday.total;
  const cm = callsMonth.total;
  return el('div', { class: 'dashboard-kpis' },
    kpi(t('dashboard_kpi_today_calls'), num(ct.created), t('dashboard_kpi_calls_sub', num(ct.reached), num(ct.booked))),
    kpi(t('dashboard_kpi_month_calls'), num(cm.created), t('dashboard_kpi_calls_sub', num(cm.reached), num(cm.booked))),
    kpi(t('dashboard_kpi_reach'), pct(cm.reach_rate), t('dashboard_kpi_rate_sub', num(cm.reached), num(cm.created))),
    kpi(t('dashboard_kpi_booking'), pct(cm.booking_rate), t('dashboard_kpi_rate_sub', num(cm.booked), num(cm.reached))),
    kpi(t('dashboard_kpi_booked'), num(bookMonth.booked), t('dashboard_kpi_booked_sub', num(bookMonth.failed))),
    kpi(t('dashboard_kpi_conversion'), pct(bookMonth.conversion), t('dashboard_kpi_rate_sub', num(bookMonth.booked), num(bookMonth.booked + bookMonth.failed))),
    kpi(t('dashboard_kpi_no_shows'), num(bookMonth.no_shows), t('dashboard_kpi_no_show_sub', num(bookMonth.cancelled))),
    kpi(t('dashboard_kpi_util'), pct(util.total.utilisation), t('dashboard_kpi_util_sub', hours(util.total.booked_min), hours(util.total.capacity_min))));
}

// The workshop's day and month (RO-8): orders by source, booking share, waits by source,
// hours sold vs clocked, on-time delivery, comebacks, revenue; a figure per row, today and the
// month as columns. Percentages come from the API as 0..100.
function workshopCard(day, mon) {
  const pc = (v) => (v === null || v === undefined ? '—' : pct(v / 100));
  const mins = (v) => (v === null || v === undefined ? '—' : t('dashboard_ws_min', Math.round(v)));
  const sum = (o) => Object.values(o || {}).reduce((a, x) => a + (Number(x) || 0), 0);
  const rows = [
    ['dashboard_ws_orders', (r) => num(r.repair_orders)],
    ['dashboard_ws_booked', (r) => num(r.booked)],
    ['dashboard_ws_walk_in', (r) => num(r.walk_in)],
    ['dashboard_ws_share', (r) => pc(r.booking_share_pct)],
    ['dashboard_ws_wait_booked', (r) => mins(r.avg_wait_min && r.avg_wait_min.booked)],
    ['dashboard_ws_wait_walk_in', (r) => mins(r.avg_wait_min && r.avg_wait_min.walk_in)],
    ['dashboard_ws_hours', (r) => `${r.hours_sold ?? '—'} / ${r.hours_clocked ?? '—'}`],
    ['dashboard_ws_efficiency', (r) => pc(r.efficiency_pct)],
    ['dashboard_ws_delivered', (r) => num(r.delivered)],
    ['dashboard_ws_on_time', (r) => pc(r.on_time_pct)],
    ['dashboard_ws_comebacks', (r) => num(r.comebacks)],
    ['dashboard_ws_revenue', (r) => (r.revenue ? money(sum(r.revenue.labour) + sum(r.revenue.parts)) : '—')],
  ];
  const cell = (r, f) => (r.status === 200 ? f(r.data) : '—');
  const failed = [day, mon].find((r) => r.status !== 200);
  return el('section', { class: 'card dashboard-card dashboard-workshop', id: 'dashboard-workshop' },
    el('h2', {}, t('dashboard_ws_title')),
    failed ? el('p', { class: 'error', role: 'alert' }, t('dashboard_ws_failed') + ((failed.data && failed.data.error && failed.data.error.message) || failed.status)) : null,
    small([
      { head: t('dashboard_ws_figure'), get: (x) => t(x[0]) },
      { head: t('dashboard_today_col', date(state.today, false)), num: true, get: (x) => cell(day, x[1]) },
      { head: t('dashboard_month_col'), num: true, get: (x) => cell(mon, x[1]) },
    ], rows));
}

// Today's figures (GET /reports/calls and /reports/bookings of today) are asked once per
// visit of the dashboard, whatever months are looked at during it: kept as {key, figures}
// (a promise of both) for the user and the day, dropped when the console leaves the dashboard
// or the asking fails.
let todayCache = null;

function todayFigures() {
  const key = `${state.me ? state.me.user.id : ''}@${state.today}`;
  if (!todayCache || todayCache.key !== key) {
    const figures = Promise.all([get('/reports/calls?date=' + state.today), get('/reports/bookings?date=' + state.today)]);
    todayCache = { key, figures };
    figures.catch(() => { if (todayCache && todayCache.figures === figures) todayCache = null; });
  }
  return todayCache.figures;
}

function leave() {
  if (currentRoute().id !== 'dashboard') todayCache = null;
}

async function render(root, params) {
  const current = state.today.slice(0, 7);
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(params.month || '') ? params.month : current;
  const picker = el('input', { type: 'month', id: 'dashboard-month', value: month, 'aria-label': t('dashboard_month') });
  picker.addEventListener('change', () => {
    if (/^\d{4}-\d{2}$/.test(picker.value)) go('dashboard', { month: picker.value });
  });
  const body = el('div', { class: 'dashboard-body', 'aria-busy': 'true' }, el('p', { class: 'muted' }, t('loading')));
  root.append(
    el('div', { class: 'toolbar dashboard-toolbar' },
      el('h1', {}, t('dashboard_title')),
      el('button', { type: 'button', id: 'dashboard-prev', onclick: () => go('dashboard', { month: shiftMonth(month, -1) }) }, '‹ ', t('dashboard_prev')),
      el('label', { class: 'dashboard-picker' }, el('span', { class: 'muted' }, t('dashboard_month')), picker),
      el('button', { type: 'button', id: 'dashboard-next', onclick: () => go('dashboard', { month: shiftMonth(month, 1) }) }, t('dashboard_next'), ' ›'),
      month === current ? null : el('button', { type: 'button', onclick: () => go('dashboard', { month: current }) }, t('dashboard_this_month')),
      el('span', { class: 'dashboard-period muted' }, monthLabel(month))),
    body);
  let figures;
  // The workshop report is asked alongside; its failure leaves the rest of the dashboard.
  const workshop = Promise.all([api('GET', '/reports/workshop?date=' + state.today), api('GET', '/reports/workshop?month=' + month)]);
  // IN-21: the booking calls' 9-point check, for the roles that read it (null otherwise).
  const quality = callQuality(month);
  // MR-2, CS-2: the month's reminder coverage; its failure shows in its own card.
  const coverage = reminderCoverage(month);
  try {
    figures = await Promise.all([
      todayFigures(),
      get('/reports/calls?month=' + month),
      get('/reports/bookings?month=' + month),
      get('/reports/utilisation?month=' + month),
    ]);
  } catch (e) {
    if (body.isConnected) clear(body, el('p', { class: 'error', role: 'alert' }, e.message || String(e)));
    return leave;
  }
  // Another month may have been chosen meanwhile: its render replaced this body.
  if (!body.isConnected) return leave;
  const [[callsToday, bookToday], callsMonth, bookMonth, util] = figures;
  const [wsDay, wsMonth] = await workshop;
  const cq = await quality;
  const rc = await coverage;
  if (!body.isConnected) return leave;
  body.removeAttribute('aria-busy');
  clear(body,
    kpis(callsToday, callsMonth, bookMonth, util),
    workshopCard(wsDay, wsMonth),
    callQualityCard(cq, month),
    reminderCoverageCard(rc, month),
    el('div', { class: 'dashboard-grid' },
      ...callsCards(callsToday, callsMonth),
      dailyCard(callsMonth),
      ...utilisationCards(util),
      ...bookingCards(bookToday, bookMonth)));
  return leave;
}

registerScreen({
  id: 'dashboard',
  nav: 'dashboard_nav',
  allowed: () => can('report_read'),
  home: ['admin'],
  render,
});
