// The archive's customer page (CRM-1..CRM-6): contact details and consent, the numbers shown in
// full only on a recorded reveal, needs, vehicles, drivers (CRM-5), calls, bookings, messages,
// the contact history with its confirmations, the audit trail; and the customer form (a change
// of contact details only with the customer's consent, CRM-4). Opened by archive.js.
import {
  api, apiAll, ask, busy, can, clear, dash, el, errorLine, field, km, loadingLine, notice, person, t, table, timestamp,
} from './core.js';
import {
  appointmentTable, auditCard, card, classTag, d8, entityLink, errText, facts, fieldName, hidden, label, mark,
  messageCard, notFound, pagedList, taskCard, unmark,
} from './archive_common.js';
import { nextService } from './vehicle_card.js';
import { openComplaintsBox } from './complaints_common.js';
import { classCard, creditCard } from './credit.js';

// ---- the customer page ----------------------------------------------------------------------

const NEEDS = ['pickup', 'delivery', 'accessories', 'insurance_renewal', 'claim', 'wash'];

const CONSENTS = ['sms', 'email', 'phone', 'marketing'];

const PHONE_LABELS = ['mobile', 'home', 'work', 'other'];

// A phone number as digits, for comparing what is on file with what the form holds.
function phoneKey(n) {
  let d = String(n || '').replace(/[^\d]/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d;
}

export async function customerPage(root, ctx, id, mine) {
  const [r, vr] = await Promise.all([api('GET', `/customers/${id}`), apiAll(`/customers/${id}/vehicles`)]);
  if (!ctx.alive || mine !== ctx.seq) return;
  if (r.status !== 200) { notFound(root, r); return; }
  const c = r.data;
  const vehicles = vr.status === 200 ? vr.data.items || [] : [];
  const vehiclesError = vr.status === 200 ? null : t('load_failed', errText(vr));

  const head = el('div', { class: 'toolbar' },
    el('a', { href: '#/archive', class: 'button archive-back' }, '← ' + t('archive_back_search')),
    el('h1', {}, person(c)),
    el('span', { class: 'tag' }, label('type', c.type)),
    el('span', { class: 'tag ' + classTag(c.classification) }, label('class', c.classification)),
    c.masked ? el('span', { class: 'tag warn' }, t('archive_masked')) : null,
    c.erased_at ? el('span', { class: 'tag bad', id: 'archive-erased' }, t('archive_erased', timestamp(c.erased_at))) : null,
    el('span', { class: 'archive-spacer' }),
    // CRM-7: the customer card on paper (print_docs.js).
    el('a', { href: `#/customer-print?id=${c.id}`, class: 'button', id: 'archive-print-card' }, t('archive_print_card')),
    can('customer_write') ? el('button', { type: 'button', id: 'archive-edit-customer', class: 'primary', onclick: () => openEdit() }, t('archive_edit')) : null);

  const editSlot = el('div', { id: 'archive-edit-slot' });
  const openEdit = async () => {
    if (editSlot.firstChild) { editSlot.querySelector('input, select, textarea')?.focus(); return; }
    // The form edits the full numbers, which only a recorded reveal gives (PIPL).
    let full = c;
    if (!c.masked && c.can_reveal_phones && (c.phones || []).length) {
      const r = await api('POST', `/customers/${c.id}/phone-reveals`, { reason: t('archive_reveal_reason_edit') });
      if (r.status !== 201) { notice(errText(r), 'error'); return; }
      full = { ...c, phones: r.data.phones };
    }
    if (editSlot.firstChild) return;
    editSlot.append(customerForm(ctx, full, () => clear(editSlot)));
    editSlot.querySelector('input')?.focus();
  };

  // Masked numbers (the API masks them for every role); "show" asks for the full ones, and the
  // server records who saw them (POST phone-reveals), the drivers' numbers with them.
  const phoneList = el('ul', { class: 'archive-plain', id: 'archive-phones' });
  const drawPhones = (list) => clear(phoneList, list.map((p) => el('li', {}, el('span', { class: 'archive-phone' }, p.number), ' ', el('span', { class: 'muted' }, label('phone', p.label)))));
  drawPhones(c.phones || []);
  const revealBtn = c.can_reveal_phones && (c.phones || []).length ? el('button', { type: 'button', id: 'archive-reveal-phones', class: 'link', onclick: (e) => busy(e.currentTarget, async () => {
    const r = await api('POST', `/customers/${c.id}/phone-reveals`);
    if (r.status !== 201) { notice(errText(r), 'error'); return; }
    drawPhones(r.data.phones || []);
    for (const d of r.data.drivers || []) {
      const cell = root.querySelector(`[data-driver-phone="${d.id}"]`);
      if (cell) cell.textContent = dash(d.phone);
    }
    revealBtn.remove();
  }) }, t('archive_reveal')) : null;
  const phones = (c.phones || []).length ? el('div', {}, phoneList, revealBtn) : '—';
  const consent = el('div', {}, CONSENTS.map((k) => el('span', { class: 'tag ' + (c.consent && c.consent[k] ? 'ok' : 'archive-off'), title: c.consent && c.consent[k] ? '✓' : '✗' },
    (c.consent && c.consent[k] ? '✓ ' : '✗ ') + label('consent', k))),
  c.sms_opted_out_at ? el('span', { class: 'tag bad' }, t('archive_opted_out', timestamp(c.sms_opted_out_at))) : null);
  const needs = (c.needs || []).length ? el('div', {}, c.needs.map((n) => el('span', { class: 'tag' }, label('need', n)))) : null;

  const details = el('section', { class: 'card archive-section', id: 'archive-customer', dataset: { customerId: c.id } },
    el('h2', {}, t('archive_customer')),
    facts([
      ['archive_name', person(c)],
      ['archive_phones', phones],
      ['archive_email', c.masked && !c.email ? hidden() : dash(c.email)],
      ['archive_address', c.masked && !c.address ? hidden() : dash(c.address)],
      ['archive_consent', consent],
      ['archive_preferred_channel', label('channel', c.preferred_channel || 'sms')],
      ['archive_needs', needs],
      ['archive_needs_note', c.needs_note],
      ['archive_notes', c.notes ? el('span', { class: 'archive-pre' }, c.notes) : null],
      ['archive_contact_confirmed_at', c.contact_confirmed_at ? timestamp(c.contact_confirmed_at) : el('span', { class: 'muted' }, t('archive_never'))],
      ['archive_created_at', timestamp(c.created_at)],
    ]));

  const vehicleTable = vehiclesError ? errorLine(vehiclesError) : table([
    { key: 'archive_plate', get: (v) => entityLink('vehicle', v.id, v.plate || t('archive_no_plate')) },
    { key: 'archive_brand_model', get: (v) => [v.brand, v.model].filter(Boolean).join(' ') || '—' },
    { key: 'archive_model_year', get: (v) => dash(v.model_year) },
    { key: 'archive_mileage', get: (v) => (v.mileage_km == null ? '—' : [km(v.mileage_km), el('div', { class: 'muted' }, d8(v.mileage_date))]), class: 'num' },
    { key: 'archive_next_service', get: (v) => nextService(v, true) },
    { key: 'archive_last_visit', get: (v) => d8(v.last_visit_date) },
  ], vehicles);

  const apptBox = el('div', {}, loadingLine());
  const apptCard = card('archive_appointments', apptBox);
  apptCard.id = 'archive-appointments';
  if (vehiclesError) clear(apptBox, errorLine(vehiclesError)); // without the cars, their bookings are unknown
  else (async () => {
    const lists = await Promise.all(vehicles.map((v) => api('GET', `/appointments?vehicle_id=${v.id}`)));
    const bad = lists.find((x) => x.status !== 200);
    const items = lists.filter((x) => x.status === 200).flatMap((x) => x.data.items || []);
    items.sort((a, b) => String(b.start || b.date || b.period_from || '').localeCompare(String(a.start || a.date || a.period_from || '')));
    clear(apptBox, bad ? errorLine(t('load_failed', errText(bad))) : null, appointmentTable(items, true));
  })();

  clear(root,
    head,
    ctx.flash ? el('div', { class: 'archive-flash ' + (ctx.flash.kind || 'ok'), role: 'status', id: 'archive-flash' }, ctx.flash.text) : null,
    editSlot,
    // IN-20: the customer's complaints not closed, with their state and deadlines.
    Array.isArray(c.open_complaints) ? el('div', { id: 'archive-open-complaints' }, openComplaintsBox(c.open_complaints)) : null,
    el('div', { class: 'cols archive-cols archive-cols-customer' },
      details,
      el('div', {},
        card('archive_vehicles', vehicleTable),
        driversCard(ctx, c))),
    // CRM-2, CRM-3: the class with who set it and why, and the credit analysis.
    el('div', { class: 'cols archive-cols' }, classCard(ctx, c), creditCard(c)),
    can('task_work') ? taskCard('customer_id=' + c.id) : null,
    apptCard,
    can('task_work') ? messageCard('customer_id=' + c.id) : null,
    contactHistoryCard(ctx, c),
    can('audit_read') ? auditCard('customer', c.id) : null);
  ctx.flash = null;
}

function driversCard(ctx, c) {
  const write = can('customer_write');
  const rows = c.drivers || [];
  const err = el('p', { class: 'error', role: 'alert' });
  const tbl = table([
    { key: 'archive_driver_name', get: (d) => dash(d.name) },
    { key: 'archive_driver_phone', get: (d) => el('span', { dataset: { driverPhone: d.id } }, dash(d.phone)) },
    { key: 'archive_driver_relation', get: (d) => dash(d.relation) },
    write ? { key: 'archive_blank', get: (d) => el('button', { type: 'button', class: 'danger archive-driver-remove', dataset: { driverId: d.id }, onclick: async (e) => {
      const btn = e.currentTarget;
      const ok = await ask('archive_drivers', t('archive_driver_remove_q', d.name), [
        { value: 'yes', key: 'archive_remove', primary: true }, { value: 'no', key: 'cancel' }]);
      if (ok !== 'yes') return;
      await busy(btn, async () => {
        const r = await api('DELETE', `/customers/${c.id}/drivers/${d.id}`);
        if (r.status !== 200) { err.textContent = errText(r); return; }
        notice(t('archive_driver_removed'));
        ctx.reload();
      });
    } }, t('archive_remove')) } : null,
  ].filter(Boolean), rows);
  let form = null;
  if (write) {
    const name = el('input', { name: 'name', required: true, maxlength: 64, size: 10 });
    const phone = el('input', { name: 'phone', inputmode: 'tel', maxlength: 32, size: 13 });
    const relation = el('input', { name: 'relation', maxlength: 32, size: 8 });
    const addBtn = el('button', { type: 'submit' }, t('archive_driver_add'));
    form = el('form', { class: 'row archive-driver-form', id: 'archive-driver-form', onsubmit: (e) => {
      e.preventDefault();
      busy(addBtn, async () => {
        err.textContent = '';
        const body = { name: name.value.trim() };
        if (phone.value.trim()) body.phone = phone.value.trim();
        if (relation.value.trim()) body.relation = relation.value.trim();
        const r = await api('POST', `/customers/${c.id}/drivers`, body);
        if (r.status !== 201) { err.textContent = errText(r); return; }
        notice(t('archive_driver_added'));
        ctx.reload();
      });
    } },
    field('archive_driver_name', name), field('archive_driver_phone', phone), field('archive_driver_relation', relation),
    addBtn);
  }
  const sec = card('archive_drivers', tbl, form, err);
  sec.id = 'archive-drivers';
  return sec;
}

function contactHistoryCard(ctx, c) {
  // Paged, newest first; "more" fetches older events.
  const body = pagedList(`/customers/${c.id}/contact-history`, [
    { key: 'archive_at', get: (x) => timestamp(x.at) },
    { key: 'archive_by', get: (x) => dash(x.by) },
    { key: 'archive_event', get: (x) => el('span', { class: 'tag ' + ({ changed: 'ok', declined: 'warn', confirmed: 'ok' }[x.event] || '') }, label('event', x.event)) },
    { key: 'archive_field', get: (x) => (x.field ? fieldName(x.field) : '—') },
    { key: 'archive_old_value', get: (x) => (c.masked && x.old_value == null ? hidden() : dash(x.old_value)) },
    { key: 'archive_new_value', get: (x) => (c.masked && x.new_value == null && x.event === 'changed' ? hidden() : dash(x.new_value)) },
    { key: 'archive_note', get: (x) => dash(x.note) },
  ]);
  let confirm = null;
  if (can('customer_write')) {
    const note = el('input', { name: 'note', maxlength: 200, size: 24 });
    const err = el('p', { class: 'error', role: 'alert' });
    const yes = el('button', { type: 'button', id: 'archive-confirm-contact', onclick: () => send('confirmed') }, t('archive_confirm_contact'));
    const no = el('button', { type: 'button', id: 'archive-confirm-declined', onclick: () => send('declined') }, t('archive_confirm_declined'));
    // Both buttons are off while either answer is being sent.
    const send = (outcome) => busy(yes, () => busy(no, async () => {
      err.textContent = '';
      const b = { outcome };
      if (note.value.trim()) b.note = note.value.trim();
      const r = await api('POST', `/customers/${c.id}/contact-confirmations`, b);
      if (r.status !== 201) { err.textContent = errText(r); return; }
      notice(t(outcome === 'confirmed' ? 'archive_confirmed_ok' : 'archive_declined_ok'));
      ctx.reload();
    }));
    confirm = el('div', { class: 'archive-confirm' },
      el('div', { class: 'row' }, field('archive_confirm_note', note), yes, no),
      err);
  }
  const sec = card('archive_contact_history', confirm, body);
  sec.id = 'archive-contact-history';
  return sec;
}

function optionList(values, group, current) {
  return values.map((v) => el('option', { value: v, selected: v === current }, label(group, v)));
}

// The customer form (CRM-1, CRM-2, CRM-4, CRM-6). Sends only what changed; a change of phones,
// e-mail or address asks whether the customer agreed.
function customerForm(ctx, c, close) {
  const err = el('p', { class: 'error', role: 'alert', id: 'archive-edit-error' });
  const name = el('input', { name: 'name', required: true, maxlength: 64, size: 24, value: c.name || '' });
  const title = el('input', { name: 'title', maxlength: 8, size: 6, list: 'archive-titles', value: c.title || '' });
  const titles = el('datalist', { id: 'archive-titles' }, ['先生', '女士', '小姐', '老师', '总'].map((x) => el('option', { value: x })));
  const type = el('select', { name: 'type' }, optionList(['individual', 'company'], 'type', c.type));
  const cls = el('select', { name: 'classification' }, optionList(['regular', 'vip', 'at_risk', 'lost'], 'class', c.classification));
  const channel = el('select', { name: 'preferred_channel' }, optionList(['sms', 'email'], 'channel', c.preferred_channel || 'sms'));

  const contactEditable = !c.masked;
  const phoneRows = el('div', { class: 'archive-phone-rows' });
  const addPhone = (p = { number: '', label: 'mobile' }) => {
    const row = el('div', { class: 'row archive-phone-row' },
      el('input', { name: 'phone_number', inputmode: 'tel', maxlength: 32, size: 16, value: p.number, 'aria-label': t('archive_phone_number') }),
      el('select', { name: 'phone_label', 'aria-label': t('archive_phone_label') }, optionList(PHONE_LABELS, 'phone', p.label)),
      el('button', { type: 'button', class: 'archive-phone-remove', onclick: () => { row.remove(); addBtn.disabled = phoneRows.children.length >= 4; } }, t('archive_remove')));
    phoneRows.append(row);
    addBtn.disabled = phoneRows.children.length >= 4;
  };
  const addBtn = el('button', { type: 'button', id: 'archive-add-phone', onclick: () => { addPhone(); phoneRows.lastChild.querySelector('input').focus(); } }, t('archive_add_phone'));
  if (contactEditable) (c.phones || []).forEach((p) => addPhone(p));
  const email = el('input', { name: 'email', type: 'email', maxlength: 254, size: 28, value: c.email || '' });
  const address = el('input', { name: 'address', maxlength: 200, size: 48, value: c.address || '' });
  const consent = Object.fromEntries(CONSENTS.map((k) => [k, el('input', { type: 'checkbox', name: 'consent_' + k, checked: !!(c.consent && c.consent[k]) })]));
  const needs = Object.fromEntries(NEEDS.map((k) => [k, el('input', { type: 'checkbox', name: 'need_' + k, value: k, checked: (c.needs || []).includes(k) })]));
  const needsNote = el('textarea', { name: 'needs_note', maxlength: 500, rows: 2, cols: 40 });
  needsNote.value = c.needs_note || '';
  const notes = el('textarea', { name: 'notes', maxlength: 2000, rows: 3, cols: 40 });
  notes.value = c.notes || '';

  const opt = (v) => (v.trim() === '' ? null : v.trim());
  const submit = (e) => {
    e.preventDefault();
    busy(saveBtn, save);
  };
  const save = async () => {
    err.textContent = '';
    unmark(form);
    const patch = {};
    if (name.value.trim() !== (c.name || '')) patch.name = name.value.trim();
    if (opt(title.value) !== (c.title || null)) patch.title = opt(title.value);
    if (type.value !== c.type) patch.type = type.value;
    if (cls.value !== c.classification) patch.classification = cls.value;
    if (channel.value !== (c.preferred_channel || 'sms')) patch.preferred_channel = channel.value;
    if (contactEditable) {
      const list = [...phoneRows.querySelectorAll('.archive-phone-row')].map((row) => ({
        number: row.querySelector('input').value.trim(), label: row.querySelector('select').value,
      })).filter((p) => p.number !== '');
      const was = (c.phones || []).map((p) => phoneKey(p.number) + '/' + p.label).join(',');
      const now = list.map((p) => phoneKey(p.number) + '/' + p.label).join(',');
      if (was !== now) patch.phones = list.length ? list : null;
      if (opt(email.value) !== (c.email || null)) patch.email = opt(email.value);
      if (opt(address.value) !== (c.address || null)) patch.address = opt(address.value);
    }
    const cons = Object.fromEntries(CONSENTS.map((k) => [k, consent[k].checked]));
    if (CONSENTS.some((k) => cons[k] !== !!(c.consent && c.consent[k]))) patch.consent = cons;
    const nd = NEEDS.filter((k) => needs[k].checked);
    if (nd.join(',') !== NEEDS.filter((k) => (c.needs || []).includes(k)).join(',')) patch.needs = nd;
    if (opt(needsNote.value) !== (c.needs_note || null)) patch.needs_note = opt(needsNote.value);
    if (opt(notes.value) !== (c.notes || null)) patch.notes = opt(notes.value);
    if (Object.keys(patch).length === 0) { err.textContent = t('archive_no_changes'); return; }
    if ('phones' in patch || 'email' in patch || 'address' in patch) {
      const a = await ask('archive_contact_question_title', t('archive_contact_question'), [
        { value: 'yes', key: 'archive_consent_yes', primary: true },
        { value: 'no', key: 'archive_consent_no' },
        { value: 'back', key: 'archive_consent_back' }]);
      if (a !== 'yes' && a !== 'no') return;
      patch.contact_consent = a === 'yes';
    }
    const r = await api('PATCH', `/customers/${c.id}`, patch);
    if (r.status !== 200) {
      err.textContent = errText(r);
      const f = r.data && r.data.error && r.data.error.field;
      mark(form, f && (String(f).startsWith('phone') ? 'phone_number' : String(f).split('.')[0]));
      return;
    }
    if (r.data.contact_change === 'declined') {
      // Shown on the page (not a passing notice) until the user leaves it.
      ctx.flash = { kind: 'warn', text: t('archive_contact_declined') };
    } else if (r.data.contact_change === 'recorded') {
      ctx.flash = { kind: 'ok', text: t('archive_contact_recorded') };
    } else {
      notice(t('archive_saved'));
    }
    ctx.reload();
  };
  const saveBtn = el('button', { type: 'submit', class: 'primary' }, t('save'));
  const form = el('form', { class: 'card archive-form', id: 'archive-edit', onsubmit: submit },
    el('h2', {}, t('archive_edit_customer')),
    el('div', { class: 'row' }, field('archive_name', name), field('archive_title_field', title), titles,
      field('archive_type', type), field('archive_classification', cls), field('archive_preferred_channel', channel)),
    contactEditable
      ? el('fieldset', { class: 'archive-fieldset' }, el('legend', {}, t('archive_phones'), ' · ', t('archive_email'), ' · ', t('archive_address')),
        phoneRows, addBtn,
        el('div', { class: 'row' }, field('archive_email', email), field('archive_address', address)))
      : el('p', { class: 'muted' }, t('archive_masked_form')),
    el('fieldset', { class: 'archive-fieldset' }, el('legend', {}, t('archive_consent')),
      CONSENTS.map((k) => el('label', { class: 'archive-check' }, consent[k], ' ', label('consent', k)))),
    el('fieldset', { class: 'archive-fieldset' }, el('legend', {}, t('archive_needs')),
      NEEDS.map((k) => el('label', { class: 'archive-check' }, needs[k], ' ', label('need', k)))),
    el('div', { class: 'row archive-top' }, field('archive_needs_note', needsNote), field('archive_notes', notes)),
    err,
    el('div', { class: 'row' }, saveBtn, el('button', { type: 'button', onclick: close }, t('cancel'))));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
  return form;
}
