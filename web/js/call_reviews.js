// The 9-point booking-call check (IN-21): the service manager scores a call (the advisor, when,
// who scored it, the nine points of the seed's mystery-shopper checklist as checkboxes, a
// note), lists the month's reviews (exported as CSV, printed), corrects or removes one; an
// advisor sees their own reviews. The dashboard's call-quality section (callQualityCard) is
// built here too: per advisor the month's reviews, average score, full scores and each point's
// pass rate, the store's pass rate per point as bars, and the six months' trend.
import {
  addText, api, ask, busy, can, clear, dash, downloadCsv, el, errorText, field, getAll, get, go,
  notice, registerScreen, state, t, table,
} from './core.js';

// The API's order (core/call_review.h).
export const CALL_POINTS = ['answer_3_rings', 'greeting', 'surname', 'details_confirmed',
  'customer_words', 'parts_checked', 'alternatives', 'window_and_estimate', 'closing'];

addText({
  zh: {
    cr_nav: '电话检查', cr_title: '预约电话 9 项检查',
    cr_new: '给一通预约电话评分', cr_edit: (id) => `修改评分 #${id}`,
    cr_advisor: '业务接待', cr_call_at: '通话时间', cr_source: '评分来源', cr_note: '备注',
    cr_points: '9 项检查（勾选做到的项）', cr_score: '得分', cr_score_of: (n) => `${n} / 9`,
    cr_save: '保存评分', cr_update: '保存修改', cr_cancel_edit: '取消修改',
    cr_saved: (n) => `已保存，得分 ${n} / 9`, cr_deleted: '已删除这条评分',
    cr_delete: '删除', cr_edit_btn: '修改', cr_delete_q: '删除评分', cr_delete_text: '这条评分录错了，要删除吗？（审计日志会保留记录）',
    cr_yes_delete: '删除', cr_no: '不删除',
    cr_list: '评分记录', cr_month: '月份', cr_all_advisors: '全部业务接待',
    cr_missed: '未做到的项', cr_by: '评分人', cr_export: '导出 CSV', cr_print: '打印',
    cr_file: (m) => `预约电话检查-${m}.csv`, cr_none: '这个月没有评分。',
    cr_pick_advisor: '请选择业务接待',
    cr_sources: { manager: '服务经理', mystery_shopper: '神秘客户' },
    cr_point_names: {
      answer_3_rings: '电话铃响三声内接听，超过三声先致歉',
      greeting: '问候，报出店名和本人姓名',
      surname: '询问并称呼客户贵姓',
      details_confirmed: '确认客户、车辆和联系方式',
      customer_words: '用客户的原话记录需求',
      parts_checked: '承诺前先确认配件',
      alternatives: '无法满足时提供两个备选时段',
      window_and_estimate: '告知具体时段和估价（工时费＋材料费），再次确认需求和时间',
      closing: '感谢来电，等客户先挂机',
    },
    err_not_an_advisor: '被评人不是业务接待',
    cq_title: '预约电话质量（9 项检查）', cq_reviews: '评分次数', cq_average: '平均分',
    cq_full: '满分次数', cq_point: '检查项', cq_pass_rate: '做到率', cq_trend: '近 6 个月趋势',
    cq_store: '全店', cq_month_col: '月份', cq_export: '导出 CSV', cq_print: '打印',
    cq_file: (m) => `预约电话质量-${m}.csv`, cq_failed: '电话质量报表加载失败：',
    cq_by_advisor: '各业务接待（当月）', cq_by_point: '各检查项做到率（当月，全店）',
  },
  en: {
    cr_nav: 'Call checks', cr_title: 'Booking calls: the 9-point check',
    cr_new: 'Score a booking call', cr_edit: (id) => `Correct review #${id}`,
    cr_advisor: 'Advisor', cr_call_at: 'Call time', cr_source: 'Scored by', cr_note: 'Note',
    cr_points: 'The nine points (tick those done)', cr_score: 'Score', cr_score_of: (n) => `${n} / 9`,
    cr_save: 'Save the review', cr_update: 'Save the correction', cr_cancel_edit: 'Cancel the correction',
    cr_saved: (n) => `Saved: ${n} / 9`, cr_deleted: 'The review was removed',
    cr_delete: 'Remove', cr_edit_btn: 'Correct', cr_delete_q: 'Remove the review', cr_delete_text: 'Remove this review entered by mistake? (The audit log keeps it.)',
    cr_yes_delete: 'Remove', cr_no: 'Keep it',
    cr_list: 'Reviews', cr_month: 'Month', cr_all_advisors: 'All advisors',
    cr_missed: 'Points missed', cr_by: 'Reviewer', cr_export: 'Export CSV', cr_print: 'Print',
    cr_file: (m) => `booking-call-checks-${m}.csv`, cr_none: 'No reviews this month.',
    cr_pick_advisor: 'Choose the advisor',
    cr_sources: { manager: 'Service manager', mystery_shopper: 'Mystery shopper' },
    cr_point_names: {
      answer_3_rings: 'Answered within 3 rings, or an apology first',
      greeting: "Greeting with the store's and the advisor's name",
      surname: "The customer's surname asked and used",
      details_confirmed: 'Customer, car and contact details confirmed',
      customer_words: "The need recorded in the customer's own words",
      parts_checked: 'Parts checked before promising',
      alternatives: 'Two alternatives when the wish is not possible',
      window_and_estimate: 'A concrete window and the estimate (labour + parts); need and time confirmed again',
      closing: 'Thanks, and the customer hangs up first',
    },
    err_not_an_advisor: 'The user scored is not an advisor',
    cq_title: 'Booking-call quality (9-point check)', cq_reviews: 'Reviews', cq_average: 'Average',
    cq_full: 'Full scores', cq_point: 'Point', cq_pass_rate: 'Pass rate', cq_trend: 'Trend, 6 months',
    cq_store: 'Store', cq_month_col: 'Month', cq_export: 'Export CSV', cq_print: 'Print',
    cq_file: (m) => `booking-call-quality-${m}.csv`, cq_failed: 'The call-quality report failed: ',
    cq_by_advisor: 'Advisors (month)', cq_by_point: 'Pass rate per point (month, store)',
  },
});

// The point columns' headers of the dashboard: their numbers (the text is the tooltip).
addText({
  zh: Object.fromEntries(CALL_POINTS.map((p, i) => [`cq_p${i + 1}`, `第${i + 1}项`])),
  en: Object.fromEntries(CALL_POINTS.map((p, i) => [`cq_p${i + 1}`, `#${i + 1}`])),
});

const pointName = (p) => t('cr_point_names')[p] || p;
const sourceName = (s) => t('cr_sources')[s] || s;
const pct = (v) => (v === null || v === undefined ? '—' : `${Math.floor(v * 1000) / 10}%`);
const avg = (v) => (v === null || v === undefined ? '—' : String(v));
const fieldName = (f) => {
  if (f.startsWith('points.')) return pointName(f.slice(7));
  return { advisor_id: t('cr_advisor'), call_at: t('cr_call_at'), source: t('cr_source'), note: t('cr_note'), points: t('cr_points') }[f] || f;
};

// ---- the review form and the list (#/call-reviews) ----

function reviewForm(advisors, onSaved) {
  let editing = null; // the review being corrected
  const advisor = el('select', { id: 'cr-advisor', required: true },
    el('option', { value: '' }, t('cr_pick_advisor')),
    advisors.map((a) => el('option', { value: String(a.advisor_id) }, a.name)));
  const callAt = el('input', { type: 'datetime-local', id: 'cr-call-at', required: true, max: `${state.today}T23:59` });
  const source = el('select', { id: 'cr-source' },
    ['manager', 'mystery_shopper'].map((s) => el('option', { value: s }, sourceName(s))));
  const note = el('textarea', { id: 'cr-note', rows: 2, maxlength: 1000 });
  const score = el('output', { id: 'cr-score', 'aria-live': 'polite' }, t('cr_score_of', 0));
  const boxes = CALL_POINTS.map((p) => el('input', { type: 'checkbox', id: 'cr-p-' + p, name: p }));
  const updateScore = () => { score.textContent = t('cr_score_of', boxes.filter((b) => b.checked).length); };
  boxes.forEach((b) => b.addEventListener('change', updateScore));
  const title = el('h2', {}, t('cr_new'));
  const msg = el('p', { class: 'error', role: 'alert', hidden: true });
  const save = el('button', { type: 'submit', class: 'primary', id: 'cr-save' }, t('cr_save'));
  const cancel = el('button', { type: 'button', id: 'cr-cancel', hidden: true }, t('cr_cancel_edit'));
  const form = el('form', { class: 'card cr-form', id: 'cr-form', novalidate: true },
    title,
    el('div', { class: 'row' },
      field('cr_advisor', advisor), field('cr_call_at', callAt), field('cr_source', source)),
    el('fieldset', { class: 'cr-points' }, el('legend', {}, t('cr_points')),
      CALL_POINTS.map((p, i) => el('label', { class: 'cr-point', for: 'cr-p-' + p }, boxes[i],
        el('span', {}, `${i + 1}. ${pointName(p)}`)))),
    field('cr_note', note),
    el('div', { class: 'row' }, el('span', {}, t('cr_score'), ': ', score), save, cancel),
    msg);
  const reset = () => {
    editing = null;
    form.reset();
    updateScore();
    title.textContent = t('cr_new');
    save.textContent = t('cr_save');
    cancel.hidden = true;
    msg.hidden = true;
  };
  cancel.addEventListener('click', reset);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      msg.hidden = true;
      const points = Object.fromEntries(CALL_POINTS.map((p, i) => [p, boxes[i].checked]));
      const body = { points, source: source.value, note: note.value };
      if (advisor.value) body.advisor_id = Number(advisor.value);
      if (callAt.value) body.call_at = callAt.value;
      const r = editing
        ? await api('PATCH', `/call-reviews/${editing.id}`, body)
        : await api('POST', '/call-reviews', body);
      if (r.status !== 200 && r.status !== 201) {
        msg.textContent = errorText(r, { fieldName });
        msg.hidden = false;
        return;
      }
      notice(t('cr_saved', r.data.score));
      reset();
      onSaved();
    });
  });
  // Loads a review into the form for a correction.
  form.edit = (rv) => {
    editing = rv;
    if (![...advisor.options].some((o) => o.value === String(rv.advisor_id)))
      advisor.append(el('option', { value: String(rv.advisor_id) }, rv.advisor.name));
    advisor.value = String(rv.advisor_id);
    callAt.value = rv.call_local;
    source.value = rv.source;
    note.value = rv.note || '';
    CALL_POINTS.forEach((p, i) => { boxes[i].checked = !!rv.points[p]; });
    updateScore();
    title.textContent = t('cr_edit', rv.id);
    save.textContent = t('cr_update');
    cancel.hidden = false;
    advisor.focus();
  };
  return form;
}

function listColumns(manage, form, reload) {
  const missed = (rv) => CALL_POINTS.filter((p) => !rv.points[p]).map((p) => CALL_POINTS.indexOf(p) + 1).join(', ');
  const cols = [
    { key: 'cr_call_at', get: (rv) => rv.call_local.replace('T', ' '), csv: (rv) => rv.call_local.replace('T', ' ') },
    { key: 'cr_advisor', get: (rv) => rv.advisor.name, csv: (rv) => rv.advisor.name },
    { key: 'cr_source', get: (rv) => sourceName(rv.source), csv: (rv) => sourceName(rv.source) },
    { key: 'cr_score', class: 'num', get: (rv) => t('cr_score_of', rv.score), csv: (rv) => rv.score },
    { key: 'cr_missed', get: (rv) => el('span', { title: CALL_POINTS.filter((p) => !rv.points[p]).map(pointName).join('；') }, dash(missed(rv))),
      csv: (rv) => CALL_POINTS.filter((p) => !rv.points[p]).map(pointName).join('；') },
    { key: 'cr_note', get: (rv) => dash(rv.note), csv: (rv) => rv.note || '' },
    { key: 'cr_by', get: (rv) => dash(rv.reviewed_by && rv.reviewed_by.name), csv: (rv) => (rv.reviewed_by && rv.reviewed_by.name) || '' },
  ];
  if (manage) {
    cols.push({ key: 'cr_edit_btn', class: 'cr-act', get: (rv) => el('span', { class: 'row' },
      el('button', { type: 'button', class: 'cr-edit', onclick: () => form.edit(rv) }, t('cr_edit_btn')),
      el('button', { type: 'button', class: 'cr-delete', onclick: async () => {
        const yes = await ask('cr_delete_q', t('cr_delete_text'), [{ value: 'yes', key: 'cr_yes_delete', primary: true }, { value: 'no', key: 'cr_no' }]);
        if (yes !== 'yes') return;
        const r = await api('DELETE', `/call-reviews/${rv.id}`);
        if (r.status !== 204) { notice(errorText(r, { fieldName }), 'error'); return; }
        notice(t('cr_deleted'));
        reload();
      } }, t('cr_delete'))) });
  }
  return cols;
}

async function render(root, params) {
  const manage = can('call_review');
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(params.month || '') ? params.month : state.today.slice(0, 7);
  let advisors = [];
  if (manage) {
    try {
      advisors = (await get('/reports/call-quality?month=' + state.today.slice(0, 7))).advisors.filter((a) => !a.disabled);
    } catch (e) { advisors = []; }
  }
  const picker = el('input', { type: 'month', id: 'cr-month', value: month, 'aria-label': t('cr_month') });
  picker.addEventListener('change', () => { if (/^\d{4}-\d{2}$/.test(picker.value)) go('call-reviews', { month: picker.value }); });
  const who = manage ? el('select', { id: 'cr-filter', 'aria-label': t('cr_advisor') },
    el('option', { value: '' }, t('cr_all_advisors')),
    advisors.map((a) => el('option', { value: String(a.advisor_id) }, a.name))) : null;
  const listBox = el('div', { id: 'cr-list' });
  let rows = [];
  let cols = [];
  const exportBtn = el('button', { type: 'button', id: 'cr-export', onclick: () => downloadCsv(t('cr_file', month), cols.filter((c) => c.csv), rows) }, t('cr_export'));
  const reload = async () => {
    const q = `?month=${month}` + (who && who.value ? `&advisor_id=${who.value}` : '');
    try {
      rows = (await getAll('/call-reviews' + q + '&limit=200')).items;
    } catch (e) {
      clear(listBox, el('p', { class: 'error', role: 'alert' }, e.message || String(e)));
      return;
    }
    clear(listBox, table(cols, rows, { class: 'cr-table', empty: 'cr_none' }));
  };
  const form = manage ? reviewForm(advisors, reload) : null;
  cols = listColumns(manage, form, reload);
  if (who) who.addEventListener('change', reload);
  root.append(
    el('div', { class: 'toolbar' }, el('h1', {}, t('cr_title'))),
    form,
    el('section', { class: 'card' },
      el('div', { class: 'toolbar cr-toolbar' }, el('h2', {}, t('cr_list')),
        el('label', {}, el('span', { class: 'muted' }, t('cr_month')), ' ', picker), who,
        exportBtn, el('button', { type: 'button', id: 'cr-print', onclick: () => window.print() }, t('cr_print'))),
      listBox));
  await reload();
}

registerScreen({
  id: 'call-reviews',
  nav: 'cr_nav',
  allowed: () => can('call_review') || (state.me && state.me.user.role === 'advisor'),
  render,
});

// ---- the dashboard's section ----

function bar(v) {
  const w = v === null || v === undefined ? 0 : Math.max(0, Math.min(100, v * 100));
  return el('span', { class: 'cq-bar', role: 'img', 'aria-label': pct(v) },
    el('span', { class: 'cq-bar-fill', style: { width: `${w}%` } }));
}

// The month's call quality (GET /reports/call-quality), or its failure; null for roles that
// do not read it.
export async function callQuality(month) {
  if (!can('call_review')) return null;
  return api('GET', '/reports/call-quality?month=' + month);
}

export function callQualityCard(r, month) {
  if (!r) return null;
  if (r.status !== 200) {
    return el('section', { class: 'card dashboard-card', id: 'dashboard-call-quality' },
      el('h2', {}, t('cq_title')),
      el('p', { class: 'error', role: 'alert' }, t('cq_failed') + errorText(r)));
  }
  const rep = r.data;
  const advCols = [
    { key: 'cr_advisor', get: (a) => a.name, csv: (a) => a.name },
    { key: 'cq_reviews', class: 'num', get: (a) => String(a.reviews), csv: (a) => a.reviews },
    { key: 'cq_average', class: 'num', get: (a) => avg(a.average_score), csv: (a) => a.average_score },
    { key: 'cq_full', class: 'num', get: (a) => String(a.full_score), csv: (a) => a.full_score },
    ...CALL_POINTS.map((p, i) => ({ key: `cq_p${i + 1}`, class: 'num', get: (a) => el('span', { title: pointName(p) }, pct(a.pass_rates[p])),
      csv: (a) => (a.pass_rates[p] === null ? '' : a.pass_rates[p]) })),
  ];
  const storeRow = { name: t('cq_store'), ...rep.store };
  const advRows = [...rep.advisors, storeRow];
  const pointRows = CALL_POINTS.map((p, i) => ({ i, p, v: rep.store.pass_rates[p] }));
  const trendCols = [
    { key: 'cq_month_col', get: (m) => m.month },
    { key: 'cq_reviews', class: 'num', get: (m) => String(m.reviews) },
    { key: 'cq_average', class: 'num', get: (m) => avg(m.average_score) },
    { key: 'cq_full', class: 'num', get: (m) => String(m.full_score) },
    ...rep.advisors.map((a) => ({ key: a.name, class: 'num', get: (m) => {
      const x = a.trend.find((k) => k.month === m.month);
      return x ? avg(x.average_score) : '—';
    } })),
  ];
  return el('section', { class: 'card dashboard-card dashboard-call-quality', id: 'dashboard-call-quality' },
    el('div', { class: 'toolbar' }, el('h2', {}, t('cq_title')),
      el('button', { type: 'button', id: 'cq-export', onclick: () => downloadCsv(t('cq_file', month), advCols, advRows) }, t('cq_export')),
      el('button', { type: 'button', id: 'cq-print', onclick: () => window.print() }, t('cq_print'))),
    el('h3', {}, t('cq_by_advisor')),
    table(advCols, advRows, { class: 'cq-advisors' }),
    el('h3', {}, t('cq_by_point')),
    table([
      { key: 'cq_point', get: (x) => `${x.i + 1}. ${pointName(x.p)}` },
      { key: 'cq_pass_rate', class: 'num', get: (x) => el('span', { class: 'cq-rate' }, bar(x.v), ' ', pct(x.v)) },
    ], pointRows, { class: 'cq-points' }),
    el('h3', {}, t('cq_trend')),
    table(trendCols, rep.trend, { class: 'cq-trend' }));
}
