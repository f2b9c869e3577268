// The archive's vehicle page (MR-1, CRM-1): the car, its next service and renewal dates, the
// odometer readings with a new one, the service history with its repair orders, bookings,
// calls, messages, the audit trail; and the vehicle form. Opened by archive.js.
import {
  addDays, api, busy, can, clear, dash, date, el, errorCode, errorLine, field, go, km, loadingLine, money, notice,
  person, state, t,
} from './core.js';
import {
  appointmentTable, auditCard, card, d8, entityLink, errText, facts, label, mark, messageCard, notFound, pagedList,
  taskCard, unmark,
} from './archive_common.js';

// ---- the vehicle page ---------------------------------------------------------------------------

// MR-1: the next service, with a tag when it is near or past.
export function nextService(v, short) {
  const n = v.next_service;
  if (!n || (!n.due_date && n.due_km == null)) return '—';
  const today = state.today;
  let tag = null;
  if (n.due_date && n.due_date < today) tag = el('span', { class: 'tag bad' }, t('archive_overdue'));
  else if (n.due_date && n.due_date <= addDays(today, 13)) tag = el('span', { class: 'tag warn' }, t('archive_due_soon'));
  const basis = n.basis ? el('span', { class: 'muted' }, '(' + label('basis', n.basis) + ')') : null;
  if (short) return el('span', {}, d8(n.due_date), ' ', tag, el('div', { class: 'muted' }, km(n.due_km), ' ', basis));
  return el('span', {}, t('archive_due', date(n.due_date), km(n.due_km)), ' ', basis, ' ', tag);
}

function expiry(iso) {
  if (!iso) return '—';
  const today = state.today;
  const tag = iso < today ? el('span', { class: 'tag bad' }, t('archive_overdue'))
    : iso <= addDays(today, 30) ? el('span', { class: 'tag warn' }, t('archive_due_soon')) : null;
  return el('span', {}, date(iso), ' ', tag);
}

export async function vehiclePage(root, ctx, id, mine) {
  const r = await api('GET', `/vehicles/${id}`);
  if (!ctx.alive || mine !== ctx.seq) return;
  if (r.status !== 200) { notFound(root, r); return; }
  const v = r.data;
  const editSlot = el('div', { id: 'archive-edit-slot' });
  const openEdit = () => {
    if (editSlot.firstChild) { editSlot.querySelector('input')?.focus(); return; }
    editSlot.append(vehicleForm(ctx, v, () => clear(editSlot)));
    editSlot.querySelector('input')?.focus();
  };
  const head = el('div', { class: 'toolbar' },
    el('a', { href: '#/archive', class: 'button archive-back' }, '← ' + t('archive_back_search')),
    el('h1', { class: 'archive-plate' }, v.plate || t('archive_no_plate')),
    el('span', {}, [v.brand, v.model, v.model_year].filter(Boolean).join(' ')),
    v.owner ? entityLink('customer', v.owner.id || v.customer_id, person(v.owner)) : null,
    el('span', { class: 'archive-spacer' }),
    can('book') ? el('button', { type: 'button', id: 'archive-book', class: 'primary', onclick: () => go('booking', { vehicle: v.id }) }, t('archive_book')) : null,
    can('vehicle_write') ? el('button', { type: 'button', id: 'archive-edit-vehicle', onclick: openEdit }, t('archive_edit')) : null);

  const details = el('section', { class: 'card archive-section', id: 'archive-vehicle', dataset: { vehicleId: v.id } },
    el('h2', {}, t('archive_vehicle')),
    facts([
      ['archive_plate', v.plate || t('archive_no_plate')],
      ['archive_vin', el('span', {}, el('span', { class: 'archive-vin' }, dash(v.vin)), ' ',
        el('span', { class: 'tag ' + (v.vin_verified ? 'ok' : 'warn') }, t(v.vin_verified ? 'archive_vin_verified' : 'archive_vin_unverified')))],
      ['archive_brand_model', [v.brand, v.model].filter(Boolean).join(' ') || '—'],
      ['archive_model_year', dash(v.model_year)],
      ['archive_purchase_date', date(v.purchase_date)],
      ['archive_mileage', v.mileage_km == null ? '—' : t('archive_mileage_at', km(v.mileage_km), d8(v.mileage_date))],
      ['archive_next_service', nextService(v, false)],
      ['archive_last_service', date(v.last_service_date)],
      ['archive_last_visit', date(v.last_visit_date)],
      ['archive_insurance_expiry', expiry(v.insurance_expiry)],
      ['archive_inspection_expiry', expiry(v.inspection_expiry)],
      ['archive_owner', v.owner ? entityLink('customer', v.owner.id || v.customer_id, person(v.owner)) : '—'],
    ]));

  const apptBox = el('div', {}, loadingLine());
  const apptCard = card('archive_appointments', apptBox);
  apptCard.id = 'archive-appointments';
  api('GET', `/appointments?vehicle_id=${v.id}`).then((a) => {
    if (a.status !== 200) { clear(apptBox, errorLine(t('load_failed', errText(a)))); return; }
    const items = (a.data.items || []).slice().sort((x, y) => String(y.start || y.date || y.period_from || '').localeCompare(String(x.start || x.date || x.period_from || '')));
    clear(apptBox, appointmentTable(items, false));
  });

  clear(root,
    head,
    ctx.flash ? el('div', { class: 'archive-flash ' + (ctx.flash.kind || 'ok'), role: 'status', id: 'archive-flash' }, ctx.flash.text) : null,
    editSlot,
    el('div', { class: 'cols archive-cols' }, details, mileageCard(ctx, v)),
    serviceCard(v),
    apptCard,
    can('task_work') ? taskCard('vehicle_id=' + v.id) : null,
    can('task_work') ? messageCard('vehicle_id=' + v.id) : null,
    can('audit_read') ? auditCard('vehicle', v.id) : null);
  ctx.flash = null;
}

function mileageCard(ctx, v) {
  // Paged (newest first, "more" for older ones); a refused reading is explained with the
  // readings loaded so far.
  let readings = [];
  const body = el('div', { class: 'archive-readings' }, pagedList(`/vehicles/${v.id}/mileage`, [
    { key: 'archive_reading_date', get: (x) => d8(x.date) },
    { key: 'archive_reading_km', get: (x) => km(x.km), class: 'num' },
    { key: 'archive_reading_source', get: (x) => label('src', x.source) },
  ], { onRows: (rows) => { readings = rows; } }));
  let form = null;
  if (can('mileage_write')) {
    const today = state.today;
    const kmIn = el('input', { name: 'km', type: 'number', min: 0, max: 2000000, step: 1, required: true, size: 9, inputmode: 'numeric' });
    const dateIn = el('input', { name: 'date', type: 'date', max: today, value: today, required: true });
    const err = el('p', { class: 'error', role: 'alert', id: 'archive-mileage-error' });
    const addBtn = el('button', { type: 'submit', class: 'primary' }, t('archive_add_reading'));
    form = el('form', { id: 'archive-mileage-form', class: 'archive-mileage-form', onsubmit: (e) => {
      e.preventDefault();
      busy(addBtn, async () => {
        err.textContent = '';
        const n = Number(kmIn.value);
        const body = { km: n, source: 'manual' };
        if (dateIn.value) body.date = dateIn.value;
        const r = await api('POST', `/vehicles/${v.id}/mileage`, body);
        if (r.status !== 201) { err.textContent = mileageError(r, readings, n, dateIn.value || today); kmIn.focus(); return; }
        notice(t('archive_reading_added'));
        ctx.reload();
      });
    } },
    el('div', { class: 'row' }, field('archive_reading_km', kmIn), field('archive_reading_date', dateIn), addBtn),
    err);
  }
  const sec = card('archive_readings', form, body);
  sec.id = 'archive-mileage';
  return sec;
}

// mileage_inconsistent in words: which reading the new one contradicts.
function mileageError(r, readings, n, day) {
  if (errorCode(r) !== 'mileage_inconsistent') return errText(r);
  const before = readings.filter((x) => x.date <= day && x.km > n).sort((a, b) => b.km - a.km)[0];
  if (before) return t('archive_err_mileage_earlier', d8(before.date), km(before.km));
  const after = readings.filter((x) => x.date >= day && x.km < n).sort((a, b) => a.km - b.km)[0];
  if (after) return t('archive_err_mileage_later', d8(after.date), km(after.km));
  return t('archive_err_mileage_inconsistent');
}

function serviceCard(v) {
  // Paged, newest first; "more" fetches older visits.
  const body = pagedList(`/vehicles/${v.id}/service-records`, [
    { key: 'archive_sr_date', get: (x) => [d8(x.date), x.date_out && x.date_out !== x.date ? el('div', { class: 'muted' }, '→ ' + d8(x.date_out)) : null] },
    { key: 'archive_sr_kind', get: (x) => el('span', { class: 'tag' }, label('kind', x.kind)) },
    { key: 'archive_sr_mileage', get: (x) => km(x.mileage_km), class: 'num' },
    { key: 'archive_sr_people', get: (x) => [dash(x.advisor_name), x.technician ? el('div', { class: 'muted' }, x.technician) : null] },
    { key: 'archive_sr_items', get: (x) => serviceItems(x) },
    { key: 'archive_sr_total', get: (x) => money(x.total_fen), class: 'num' },
  ], { class: 'archive-records' });
  const sec = card('archive_service_history', body);
  sec.id = 'archive-service-records';
  return sec;
}

function serviceItems(x) {
  const labour = x.labour || [];
  const parts = x.parts || [];
  return el('details', { class: 'archive-items' },
    el('summary', {}, labour.map((l) => l.operation).filter(Boolean).slice(0, 3).join('、') || t('archive_sr_summary', labour.length, parts.length),
      el('span', { class: 'muted' }, ' · ' + t('archive_sr_summary', labour.length, parts.length))),
    labour.length ? el('table', { class: 'archive-lines' },
      el('caption', {}, t('archive_sr_labour'), ' ', money(x.labour_fen)),
      el('tbody', {}, labour.map((l) => el('tr', {}, el('td', {}, dash(l.code)), el('td', {}, dash(l.operation)),
        el('td', { class: 'num' }, l.hours == null ? '' : String(l.hours) + ' h'), el('td', { class: 'num' }, money(l.amount_fen)))))) : null,
    parts.length ? el('table', { class: 'archive-lines' },
      el('caption', {}, t('archive_sr_parts'), ' ', money(x.parts_fen)),
      el('tbody', {}, parts.map((p) => el('tr', {}, el('td', {}, dash(p.part_no)), el('td', {}, dash(p.name)),
        el('td', { class: 'num' }, '× ' + String(p.qty)), el('td', { class: 'num' }, money(p.amount_fen)))))) : null,
    x.notes ? el('p', { class: 'muted' }, x.notes) : null);
}

function vehicleForm(ctx, v, close) {
  const err = el('p', { class: 'error', role: 'alert', id: 'archive-edit-error' });
  const nextYear = Number(state.today.slice(0, 4)) + 1;
  const plate = el('input', { name: 'plate', maxlength: 16, size: 10, value: v.plate || '' });
  const brand = el('input', { name: 'brand', maxlength: 32, size: 10, value: v.brand || '' });
  const model = el('input', { name: 'model', maxlength: 32, size: 10, value: v.model || '' });
  const year = el('input', { name: 'model_year', type: 'number', min: 1950, max: nextYear, step: 1, value: v.model_year ?? '' });
  const ins = el('input', { name: 'insurance_expiry', type: 'date', value: v.insurance_expiry || '' });
  const insp = el('input', { name: 'inspection_expiry', type: 'date', value: v.inspection_expiry || '' });
  const opt = (s) => (s.trim() === '' ? null : s.trim());
  const saveBtn = el('button', { type: 'submit', class: 'primary' }, t('save'));
  const save = async () => {
    err.textContent = '';
    unmark(form);
    const patch = {};
    if (opt(plate.value) !== (v.plate || null)) patch.plate = opt(plate.value);
    if (opt(brand.value) !== (v.brand || null)) patch.brand = opt(brand.value);
    if (opt(model.value) !== (v.model || null)) patch.model = opt(model.value);
    const y = year.value === '' ? null : Number(year.value);
    if (y !== (v.model_year ?? null)) patch.model_year = y;
    if (opt(ins.value) !== (v.insurance_expiry || null)) patch.insurance_expiry = opt(ins.value);
    if (opt(insp.value) !== (v.inspection_expiry || null)) patch.inspection_expiry = opt(insp.value);
    if (Object.keys(patch).length === 0) { err.textContent = t('archive_no_changes'); return; }
    const r = await api('PATCH', `/vehicles/${v.id}`, patch);
    if (r.status !== 200) {
      err.textContent = errText(r);
      mark(form, r.data && r.data.error && r.data.error.field);
      return;
    }
    notice(t('archive_saved'));
    ctx.reload();
  };
  const form = el('form', { class: 'card archive-form', id: 'archive-edit', onsubmit: (e) => {
    e.preventDefault();
    busy(saveBtn, save);
  } },
  el('h2', {}, t('archive_edit_vehicle')),
  el('div', { class: 'row' }, field('archive_plate', plate), field('archive_brand', brand), field('archive_model', model),
    field('archive_model_year', year), field('archive_insurance_expiry', ins), field('archive_inspection_expiry', insp)),
  el('p', { class: 'muted' }, t('archive_clear_hint')),
  err,
  el('div', { class: 'row' }, saveBtn, el('button', { type: 'button', onclick: close }, t('cancel'))));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
  return form;
}
