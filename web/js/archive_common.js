// What the archive's pages share (archive.js, customer_card.js, vehicle_card.js): labels and
// error texts in the archive's words, cards and definition lists, paged lists, links between
// the pages, and the lists a customer and a vehicle both show (tasks, messages, appointments,
// the audit trail). The texts are archive.js's.
import {
  api, busy, clear, dash, date, el, errorLine, errorText, loadingLine, localTime, money, t, table, timestamp, tx,
} from './core.js';

// ---- small helpers ----------------------------------------------------------------------

export const label = (group, value) => (value === null || value === undefined || value === '' ? '—' : tx(`archive_${group}_${value}`, String(value)));

// What a failed call says, in the archive's words when it has them, the field named.
export const errText = (r) => errorText(r, { own: (code) => tx('archive_err_' + code, undefined), fieldName });

const FIELD_KEYS = {
  name: 'archive_name', title: 'archive_title_field', type: 'archive_type', classification: 'archive_classification',
  phone: 'archive_phones', phones: 'archive_phones', email: 'archive_email', address: 'archive_address',
  consent: 'archive_consent', needs: 'archive_needs', needs_note: 'archive_needs_note', notes: 'archive_notes',
  preferred_channel: 'archive_preferred_channel', drivers: 'archive_drivers', relation: 'archive_driver_relation', plate: 'archive_plate', brand: 'archive_brand', model: 'archive_model',
  model_year: 'archive_model_year', insurance_expiry: 'archive_insurance_expiry', inspection_expiry: 'archive_inspection_expiry',
  km: 'archive_reading_km', date: 'archive_reading_date', vin: 'archive_vin', purchase_date: 'archive_purchase_date',
  customer_id: 'archive_owner', mileage_km: 'archive_mileage', vin_verified: 'archive_vin_check',
  sms_opted_out_at: 'archive_sms_opt_out',
  // CRM-2: the class's audit (credit.js has the texts).
  classification_reason: 'cls_reason', classification_source: 'cls_source', classification_locked: 'cls_lock_field',
  spend_fen_12m: 'crd_spend', visits_12m: 'crd_visits', last_visit: 'cls_last_visit', earliest_due: 'cls_earliest_due',
};

export function fieldName(f) {
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$/.exec(String(f));
  if (!m || !FIELD_KEYS[m[1]]) return String(f);
  const [, base, index, sub] = m;
  let s = t(FIELD_KEYS[base]);
  if (index !== undefined) s += ' ' + (Number(index) + 1);
  if (sub) s += ' · ' + (base === 'consent' ? label('consent', sub) : sub);
  return s;
}

export const card = (titleKey, ...children) => el('section', { class: 'card archive-section' }, el('h2', {}, t(titleKey)), ...children);

export const hidden = () => el('span', { class: 'muted' }, t('archive_hidden'));

export const d8 = (iso) => date(iso, false);

// A definition list: [[label key, value (string | Node | array)], ...]; an empty value shows '—'.
export function facts(rows) {
  return el('dl', { class: 'archive-facts' }, rows.map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

// The rows of a paged list ({items, next_cursor}) as a table; "more" fetches the next page.
// Fills itself when the response arrives. A next page that fails leaves the rows shown and
// says so under them; "more" then tries it again.
export function pagedList(path, columns, opts = {}) {
  const body = el('div', {}, loadingLine());
  let rows = [];
  let cursor = null;
  let failed = null; // the error line of a next page that failed
  const load = async () => {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api('GET', path + sep + 'limit=' + (opts.limit || 50) + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    failed?.remove();
    failed = null;
    if (r.status !== 200) {
      const line = errorLine(t('load_failed', errText(r)));
      if (cursor) { failed = line; body.append(line); } else clear(body, line);
      return;
    }
    rows = rows.concat(r.data.items || []);
    cursor = r.data.next_cursor || null;
    opts.onRows?.(rows);
    clear(body, table(columns, rows, { class: opts.class }),
      cursor ? el('button', { type: 'button', class: 'archive-more', onclick: (e) => busy(e.currentTarget, load) }, t('archive_more')) : null);
  };
  load();
  return body;
}

function pagedCard(titleKey, path, columns, opts = {}) {
  const sec = card(titleKey, pagedList(path, columns, opts));
  if (opts.id) sec.id = opts.id;
  return sec;
}

export function entityLink(kind, id, text) {
  return el('a', { href: `#/archive?${kind}=${id}`, class: 'archive-link' }, text);
}

export function classTag(c) {
  return { vip: 'ok', at_risk: 'warn', lost: 'bad' }[c] || '';
}

export function notFound(root, r) {
  clear(root,
    el('div', { class: 'toolbar' }, el('a', { href: '#/archive', class: 'button archive-back' }, '← ' + t('archive_back_search'))),
    errorLine(r.status === 404 ? t('archive_not_found') : t('load_failed', errText(r))));
}

// The control the server rejected (its error names the field) is marked and focused; each
// submit starts unmarked.
export function mark(form, name) {
  const ctl = name && form.querySelector(`[name="${CSS.escape(String(name))}"]`);
  if (ctl) { ctl.setAttribute('aria-invalid', 'true'); ctl.focus(); }
}

export function unmark(form) {
  for (const ctl of form.querySelectorAll('[aria-invalid]')) ctl.removeAttribute('aria-invalid');
}

// ---- shared lists (tasks, messages, appointments, audit) ---------------------------------

export function taskCard(query) {
  return pagedCard('archive_tasks', '/tasks?' + query, [
    { key: 'archive_task_type', get: (x) => label('tt', x.type) },
    { key: 'archive_task_status', get: (x) => el('span', { class: 'tag ' + (x.status === 'open' ? 'warn' : x.status === 'done' ? 'ok' : '') }, label('ts', x.status)) },
    { key: 'archive_task_window', get: (x) => `${d8(x.due_date)} – ${d8(x.deadline)}` },
    { key: 'archive_task_reason', get: (x) => dash(x.reason) },
    { key: 'archive_task_last', get: (x) => (x.last_outcome ? [label('out', x.last_outcome), x.last_attempt_at ? el('div', { class: 'muted' }, timestamp(x.last_attempt_at)) : null] : '—') },
    { key: 'archive_attempts', get: (x) => String(x.attempts ?? 0), class: 'num' },
  ], { id: 'archive-tasks' });
}

export function messageCard(query) {
  return pagedCard('archive_messages', '/messages?' + query, [
    { key: 'archive_msg_time', get: (x) => timestamp(x.sent_at || x.created_at) },
    { key: 'archive_msg_kind', get: (x) => label('mk', x.kind) },
    { key: 'archive_msg_channel', get: (x) => label('channel', x.channel) },
    { key: 'archive_msg_recipient', get: (x) => dash(x.recipient) },
    { key: 'archive_msg_status', get: (x) => el('span', { class: 'tag ' + (x.status === 'sent' ? 'ok' : x.status === 'failed' ? 'bad' : x.status === 'suppressed' || x.status === 'cancelled' ? 'warn' : '') }, label('ms', x.status)) },
    { key: 'archive_msg_body', get: (x) => el('div', { class: 'archive-msg-body' }, x.subject ? el('strong', {}, x.subject) : null, x.subject ? el('br') : null, dash(x.body)) },
  ], { id: 'archive-messages', limit: 20 });
}

function apptWhen(a) {
  if (a.start) return localTime(a.start);
  if (a.date) return date(a.date);
  if (a.period_from) return t('archive_appt_period', d8(a.period_from), d8(a.period_to));
  return '—';
}

export function appointmentTable(items, withPlate) {
  const cols = [
    { key: 'archive_appt_time', get: (a) => apptWhen(a) },
    withPlate ? { key: 'archive_plate', get: (a) => (a.vehicle ? entityLink('vehicle', a.vehicle.id, a.vehicle.plate || t('archive_no_plate')) : '—') } : null,
    { key: 'archive_appt_status', get: (a) => el('span', { class: 'tag ' + ({ completed: 'ok', cancelled: '', no_show: 'bad' }[a.status] ?? 'warn') }, label('as', a.status)) },
    { key: 'archive_appt_work', get: (a) => [(a.ops || []).map((o) => o.name || o.code).join('、') || '—',
      a.customer_words ? el('div', { class: 'muted' }, a.customer_words) : null] },
    { key: 'archive_appt_bay', get: (a) => [dash(a.bay_name), a.technician_name ? el('div', { class: 'muted' }, a.technician_name) : null] },
    { key: 'archive_appt_estimate', get: (a) => money(a.estimate && a.estimate.total_fen), class: 'num' },
  ].filter(Boolean);
  return table(cols, items);
}

function auditValue(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function auditCard(entity, id) {
  return pagedCard('archive_audit', `/audit?entity=${entity}&entity_id=${id}`, [
    { key: 'archive_at', get: (x) => timestamp(x.at) },
    { key: 'archive_by', get: (x) => dash(x.actor) },
    { key: 'archive_action', get: (x) => label('aa', x.action) },
    { key: 'archive_changes', get: (x) => el('ul', { class: 'archive-changes' },
      Object.entries(x.changes || {}).map(([f, pair]) => {
        const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
        const created = x.action === 'create' || before === null || before === undefined;
        return el('li', {}, el('span', { class: 'archive-change-field' }, fieldName(f)), ': ',
          created ? null : [el('span', { class: 'archive-before' }, auditValue(before)), ' → '],
          el('span', { class: 'archive-after' }, auditValue(after)));
      })) },
  ], { id: 'archive-audit', limit: 20 });
}
