// Reception (接车, MR-7, RO-1, RO-2, IN-17): today's expected arrivals, booked, with their
// perks and what to prepare; the check-in of a booked car from its booking; a walk-in found by
// plate (or registered on the spot) and checked in the same way, then told why booking is
// better; the queue (booked cars first), the cars in work, those ready for pickup and those
// delivered. Advisors and the service manager receive; the other archive roles read.
import {
  addText, api, can, clear, date, debounce, el, errorLine, errorText, get, go, hhmm, person, registerScreen,
  searchable, state, t, table,
} from './core.js';
import { benefitsBox, checkinForm, mayReceive, needTags, orderTable, perkText, quickRegisterForm } from './ro_common.js';

addText({
  zh: {
    rcp_nav: '接车', rcp_blank: '', rcp_title: (d) => `接车 · ${d}`, rcp_refresh: '刷新', rcp_walkin: '直接入厂登记',
    rcp_expected: '今日预约到店', rcp_queue: '排队等候（预约优先）', rcp_in_work: '维修中', rcp_ready: '待交车',
    rcp_delivered: '今日已交车',
    rcp_time: '预约时间', rcp_plate: '车牌', rcp_customer: '客户', rcp_ops: '预约项目', rcp_perks: '预约免费项目',
    rcp_prepare: '需准备', rcp_words: '客户描述', rcp_checkin: '接车', rcp_order: '工单', rcp_no_time: '时间待定',
    rcp_walkin_search: '查找车辆（车牌、电话、姓名、VIN）', rcp_walkin_hint: '输入至少 2 个字符或 1 个汉字',
    rcp_walkin_none: '没有找到这辆车。', rcp_walkin_new: '新客户 / 新车登记',
    rcp_readonly: '只读：接车和开单由服务顾问办理。', rcp_booked_today: '该车今天有预约，请在上面的预约列表中接车。',
  },
  en: {
    rcp_nav: 'Reception', rcp_blank: '', rcp_title: (d) => `Reception · ${d}`, rcp_refresh: 'Refresh', rcp_walkin: 'Walk-in',
    rcp_expected: 'Expected today (booked)', rcp_queue: 'Waiting (booked first)', rcp_in_work: 'In work', rcp_ready: 'Ready for pickup',
    rcp_delivered: 'Delivered today',
    rcp_time: 'Time', rcp_plate: 'Plate', rcp_customer: 'Customer', rcp_ops: 'Booked work', rcp_perks: 'Booked perks',
    rcp_prepare: 'To prepare', rcp_words: "Customer's words", rcp_checkin: 'Check in', rcp_order: 'Order', rcp_no_time: 'time to fix',
    rcp_walkin_search: 'Find the car (plate, phone, name, VIN)', rcp_walkin_hint: 'Type at least 2 characters or 1 Chinese character',
    rcp_walkin_none: 'No such car.', rcp_walkin_new: 'New customer / car',
    rcp_readonly: 'Read only: advisors check cars in and write the orders.', rcp_booked_today: 'This car is booked today: check it in from the list above.',
  },
});

registerScreen({
  id: 'reception',
  nav: 'rcp_nav',
  allowed: () => can('archive_read'),
  async render(root, params) {
    const day = state.today;
    let data = null;
    let operations = null; // the catalogue, for a walk-in's work (loaded when first needed)
    let perks = []; // the store's free work for booked customers (RO-1, GET /reception's booked_perks), named
    let opNames = null; // operation code → name, for the perks

    const slot = el('div', { id: 'reception-slot' }); // the check-in form, the walk-in box, the benefits
    const expectedBox = el('section', { id: 'reception-expected', class: 'card' });
    const lists = el('div', { class: 'reception-lists' });
    const walkinBtn = mayReceive() ? el('button', { type: 'button', id: 'walkin-open', class: 'primary', onclick: () => openWalkIn() }, t('rcp_walkin')) : null;
    clear(root,
      el('div', { class: 'toolbar' }, el('h1', {}, t('rcp_title', date(day))), walkinBtn,
        el('button', { type: 'button', id: 'reception-refresh', onclick: () => load() }, t('rcp_refresh'))),
      mayReceive() ? null : el('p', { class: 'muted' }, t('rcp_readonly')),
      slot, expectedBox, lists);

    // The operations' names, once: the perks are codes.
    async function loadNames() {
      const or = await api('GET', '/operations?all=true');
      opNames = new Map((or.status === 200 ? or.data.items || [] : []).map((o) => [o.code, o.name]));
    }

    async function load() {
      const r = await api('GET', '/reception?date=' + encodeURIComponent(day));
      if (!root.isConnected) return;
      if (r.status !== 200) { clear(expectedBox, errorLine(t('load_failed', errorText(r)))); return; }
      data = r.data;
      draw();
    }

    function draw() {
      perks = (data.booked_perks || []).map((c) => ({ code: c, name: (opNames && opNames.get(c)) || '' }));
      const expected = data.expected || [];
      clear(expectedBox, el('h2', {}, t('rcp_expected'), ' ', el('span', { class: 'muted' }, `(${expected.length})`)),
        table([
          { key: 'rcp_time', get: (a) => (a.start ? `${hhmm(a.start)}–${hhmm(a.end)}` : t('rcp_no_time')) },
          { key: 'rcp_plate', get: (a) => el('strong', {}, (a.vehicle && a.vehicle.plate) || '—') },
          { key: 'rcp_customer', get: (a) => person(a.customer) },
          { key: 'rcp_ops', get: (a) => (a.ops || []).map((o) => o.name || o.code).join('、') || '—' },
          { key: 'rcp_perks', get: (a) => (perkText(a, perks) ? el('span', { class: 'tag ok' }, perkText(a, perks)) : '—') },
          { key: 'rcp_prepare', get: (a) => [needTags(a), a.needs_note ? el('div', { class: 'muted' }, a.needs_note) : null] },
          { key: 'rcp_words', get: (a) => a.customer_words || '—' },
          // Checked in already (RO-1): the booking links to its order, by number.
          { key: 'rcp_blank', get: (a) => (a.repair_order_id
            ? el('a', { href: `#/repair-order?id=${a.repair_order_id}`, class: 'button rcp-order-link', dataset: { orderId: a.repair_order_id } },
              t('rcp_order'), ' ', el('span', { class: 'ro-number' }, a.repair_order_number || '#' + a.repair_order_id))
            : mayReceive() ? el('button', { type: 'button', class: 'primary rcp-checkin', dataset: { appointmentId: a.id }, onclick: () => openCheckin(a) }, t('rcp_checkin')) : null) },
        ], expected, { class: 'reception-expected', rowAttrs: (a) => ({ class: 'rcp-expected-row', dataset: { appointmentId: a.id } }) }));
      clear(lists,
        listCard('reception-queue', 'rcp_queue', data.queue || []),
        listCard('reception-in-work', 'rcp_in_work', data.in_work || []),
        listCard('reception-ready', 'rcp_ready', data.ready || []),
        listCard('reception-delivered', 'rcp_delivered', data.delivered || []));
    }

    function listCard(id, key, rows) {
      return el('section', { id, class: 'card' }, el('h2', {}, t(key), ' ', el('span', { class: 'muted' }, `(${rows.length})`)), orderTable(rows));
    }

    // ---- check-in of a booked car (RO-1) ----
    async function openCheckin(a) {
      const [v, c] = await Promise.all([get('/vehicles/' + a.vehicle.id), get('/customers/' + a.customer.id)]);
      const form = checkinForm({ appointment: a, vehicle: v, customer: c, perks, onDone: (o) => go('repair-order', { id: o.id }), onCancel: () => clear(slot) });
      clear(slot, form);
      form.scrollIntoView({ block: 'start' });
      form.querySelector('#ci-km').focus();
    }

    // ---- a walk-in (RO-2) ----
    function openWalkIn() {
      const search = el('input', { id: 'walkin-search', type: 'search', autocomplete: 'off', placeholder: t('rcp_walkin_hint'), 'aria-label': t('rcp_walkin_search') });
      const results = el('div', { id: 'walkin-results', role: 'list' });
      let seq = 0;
      const run = debounce(async () => {
        const q = search.value.trim();
        const mine = ++seq;
        if (!searchable(q)) { clear(results); return; }
        const r = await api('GET', '/search?q=' + encodeURIComponent(q));
        if (mine !== seq) return;
        if (r.status !== 200) { clear(results, errorLine(errorText(r))); return; }
        const cars = (r.data.results || []).filter((x) => x.type === 'vehicle');
        clear(results, cars.length === 0 ? el('p', { class: 'muted' }, t('rcp_walkin_none')) : cars.map((x) =>
          el('button', { type: 'button', class: 'search-result walkin-result', role: 'listitem', dataset: { vehicleId: x.id }, onclick: () => walkInCar(x.id) },
            el('strong', {}, x.plate || x.vin), ` ${x.brand || ''} ${x.model || ''} · `, person(x.owner))));
      }, 150);
      search.addEventListener('input', run);
      search.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') { e.preventDefault(); const first = results.querySelector('.walkin-result'); if (first) first.click(); }
      });
      const box = el('section', { id: 'walkin-box', class: 'card' },
        el('h2', {}, t('rcp_walkin')),
        el('label', { class: 'field' }, el('span', {}, t('rcp_walkin_search')), search), results,
        can('customer_write') && can('vehicle_write') ? el('button', { type: 'button', id: 'walkin-new', onclick: () => {
          clear(box, quickRegisterForm((v) => walkInCar(v.id), () => clear(slot)));
          box.querySelector('#qr-name').focus();
        } }, t('rcp_walkin_new')) : null);
      clear(slot, box);
      search.focus();
    }

    async function walkInCar(vehicleId) {
      const booked = (data && data.expected || []).find((a) => a.vehicle && a.vehicle.id === vehicleId);
      if (booked) { clear(slot, el('p', { class: 'card tag warn' }, t('rcp_booked_today'))); openCheckin(booked); return; }
      const v = await get('/vehicles/' + vehicleId);
      const [c, ops] = await Promise.all([get('/customers/' + v.customer_id), operations ? Promise.resolve(operations) : get('/operations')]);
      operations = ops;
      const form = checkinForm({ vehicle: v, customer: c, operations: (ops.items || []).filter((o) => o.active !== false),
        onDone: (o) => walkedIn(o), onCancel: () => clear(slot) });
      clear(slot, form);
      form.querySelector('#ci-km').focus();
    }

    // A walk-in's order: what to tell them about booking (RO-2), then the order.
    function walkedIn(o) {
      clear(slot, benefitsBox(o.booking_benefits),
        el('div', { class: 'row' }, el('a', { class: 'button primary', id: 'walkin-to-order', href: `#/repair-order?id=${o.id}` }, t('ci_to_order'))));
      slot.querySelector('#walkin-to-order').focus();
      load();
    }

    await Promise.all([loadNames(), load()]);
    if (data) draw();
    if (params.checkin && data) {
      const a = (data.expected || []).find((x) => String(x.id) === String(params.checkin));
      if (a && mayReceive()) await openCheckin(a);
    }
  },
});
