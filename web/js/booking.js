// The booking call (IN-1..IN-10), the advisor's home screen: find the car while the customer
// talks, confirm who they are, write the need down in their words, choose the work, offer the
// wish and two more times, tell the window and the estimate, book — or record why not.
// Laid out top to bottom in the order of the call, so Tab walks through it.
import {
  addDays, addText, api, ask, busy, can, clear, date, debounce, el, errorCode, errorText, field, get, getAll, go,
  hhmm, km, money, notice, person, registerScreen, searchable, state, t, timestamp,
} from './core.js';
import { declinedWork } from './ro_common.js';
import { openComplaintsBox } from './complaints_common.js';

const SERVICES = ['pickup', 'delivery', 'accessories', 'insurance_renewal', 'claim', 'wash'];
const FAILURE_REASONS = ['no_suitable_slot', 'price', 'parts_unavailable', 'customer_undecided', 'went_elsewhere', 'other'];

addText({
  zh: {
    booking_nav: '预约来电', booking_title: '预约来电',
    booking_script_greet: (store, user) => `您好，${store}，我是服务顾问${user}，请问您贵姓？`,
    booking_search_label: '查找客户或车辆（车牌、电话、姓名、VIN）',
    booking_search_hint: '输入至少 2 个字符或 1 个汉字', booking_no_results: '没有找到，请换个关键字',
    booking_customer: '客户', booking_vehicle: '车辆', booking_owner: '车主',
    booking_phone: '电话', booking_reveal: '显示号码', booking_hide: '隐藏号码',
    booking_confirmed_at: (when) => `联系方式已于 ${when} 确认`, booking_not_confirmed: '联系方式尚未确认',
    booking_confirm_contact: '客户确认联系方式无误', booking_contact_declined: '客户不愿确认',
    booking_contact_saved: '已记录', booking_drivers: '其他驾驶人', booking_needs: '个性化需求',
    booking_classification: { regular: '普通', vip: 'VIP', at_risk: '流失风险', lost: '已流失' },
    booking_need_names: { pickup: '接车', delivery: '送车', accessories: '加装精品', insurance_renewal: '续保', claim: '理赔', wash: '洗车' },
    booking_status: { tentative: '待定', confirmed: '已确认', arrived: '已到店', in_service: '维修中', completed: '已完工', no_show: '未到店', cancelled: '已取消' },
    booking_move: '改约', booking_fix_time: '确定时间', booking_cancel: '取消预约', booking_cancel_yes: '确认取消',
    booking_cancel_q: (when) => `取消 ${when} 的预约？预留的配件将退回库存。`, booking_cancelled: (id) => `预约 #${id} 已取消`,
    booking_moving: (id, when) => `正在改约 #${id}（原定 ${when}）：查找新的时间后确认。`, booking_move_stop: '不改了',
    booking_move_confirm: '确认改约', booking_moved: '改约成功',
    booking_new_customer: '新客户登记', booking_nc_name: '姓名或单位', booking_nc_title: '称呼',
    booking_titles: { '先生': '先生', '女士': '女士' }, booking_title_none: '（无）',
    booking_nc_consent_phone: '同意电话联系', booking_nc_consent_sms: '同意接收短信',
    booking_nc_plate: '车牌', booking_nc_vin: 'VIN（行驶证上的车架号）', booking_nc_vin_skip: '进口或老车，不校验 VIN',
    booking_nc_brand: '品牌', booking_nc_model: '车型', booking_nc_save: '登记并继续',
    booking_nc_customer_kept: (id) => `客户已登记（#${id}），车辆未登记：`,
    booking_model: '车型', booking_mileage: '里程', booking_next_service: '下次保养',
    booking_mileage_now: '车辆最新的行驶里程（公里）', booking_mileage_hint: (k) => `上次记录 ${k}`,
    booking_mileage_saved: '里程已记录',
    booking_due: (d, k) => `${d}${k ? ' 或 ' + k : ''}`, booking_last_visits: '最近来店',
    booking_open_items: '未结事项', booking_no_open_items: '没有未结事项',
    booking_upcoming: (when, status) => `已有预约 ${when}（${status}）`,
    booking_open_task: (type, reason) => `${type}：${reason}`,
    booking_pick_vehicle: '选择车辆', booking_no_vehicle: '该客户名下没有车辆，请先在档案中登记车辆。',
    booking_need: '客户需求（客户原话）', booking_need_placeholder: '例如：该做保养了，顺便看看刹车有异响',
    booking_work: '维修项目', booking_use_package: '按保养套餐', booking_package: (name) => `保养套餐：${name}`,
    booking_maintenance: '保养', booking_repair: '维修', booking_parts: '配件',
    booking_part_no: '配件号', booking_qty: '数量', booking_add_part: '添加配件', booking_remove: '移除',
    booking_services: '附加服务', booking_wait_for_parts: '客户愿意等配件到货',
    booking_wish: '客户希望的时间', booking_wish_date: '日期', booking_wish_time: '时间',
    booking_flex: '预约方式', booking_flex_exact: '确定时间', booking_flex_date: '只定日期', booking_flex_period: '时间段',
    booking_period_to: '至',
    booking_find_slots: '查找可预约时间', booking_earliest: '最早可约',
    booking_options: '可预约时间', booking_option_wish: '客户希望的时间',
    booking_window: (from, to) => `请告知客户：${from}–${to} 到店`,
    booking_option_where: (bay, tech) => `${bay} · ${tech}`,
    booking_parts_state: '配件库存', booking_in_stock: (n) => `有货（可用 ${n}）`, booking_to_order: (d) => `需订货，约 ${d} 天到货`,
    booking_not_in_master: '不在配件主数据中', booking_parts_date: (d) => `配件预计 ${d} 到货，之后才能安排`,
    booking_estimate: '费用估算', booking_labour: '工时费', booking_parts_fee: '配件费', booking_total: '合计',
    booking_case: (c) => `类型 ${c}`, booking_case_names: { A: '保养', B: '维修（无需配件）', C: '维修（配件有货）', D: '维修（需订货）' },
    booking_book: '确认预约', booking_booked: '预约成功',
    booking_done_text: (when, from, to, bay, tech) => `${when}，请在 ${from}–${to} 到店。工位：${bay}，技师：${tech}。`,
    booking_done_flex: (when) => `已登记：${when}，具体时间稍后电话确认。`,
    booking_closing: '结束语：请确认客户没有其他需求，复述需求、时间和估价。',
    booking_see_board: '在预约看板上查看', booking_new_call: '下一个来电', booking_back_to_task: '回到工作台',
    booking_not_booked: '未能预约', booking_failure_reason: '原因', booking_failure_note: '备注', booking_failure_save: '记录原因',
    booking_failure_reasons: { no_suitable_slot: '没有合适的时间', price: '价格', parts_unavailable: '配件无货',
      customer_undecided: '客户还没决定', went_elsewhere: '去了别家', other: '其他' },
    booking_failure_saved: '已记录未预约原因',
    booking_callback: '忙，5 分钟内回电', booking_callback_parts: '查询配件后 15 分钟内回电',
    booking_callback_made: (when) => `已建立回电任务，请在 ${when} 前回电`,
    booking_task_banner: (reason) => `来自外呼任务：${reason}`,
    booking_choose_ops: '请先选择维修项目', booking_choose_option: '请选择一个时间',
    err_slot_taken: '这个时间已被预约，请从新的可选时间中选择', err_slot_unavailable: '这个时间无法安排，请从可选时间中选择',
    err_parts_unavailable: '配件无货', err_unknown_operation: '未知的维修项目', err_unknown_part: '未知的配件号',
    booking_parts_unavailable: (d) => `配件无货，订货约需 ${d} 天。请询问客户是否愿意等待。`,
  },
  en: {
    booking_nav: 'Booking call', booking_title: 'Booking call',
    booking_script_greet: (store, user) => `Hello, ${store}, this is ${user} speaking. May I have your surname, please?`,
    booking_search_label: 'Find the customer or car (plate, phone, name, VIN)',
    booking_search_hint: 'Type at least 2 characters or 1 Chinese character', booking_no_results: 'Nothing found; try another key',
    booking_customer: 'Customer', booking_vehicle: 'Vehicle', booking_owner: 'Owner',
    booking_phone: 'Phone', booking_reveal: 'Show number', booking_hide: 'Hide number',
    booking_confirmed_at: (when) => `Contact details confirmed on ${when}`, booking_not_confirmed: 'Contact details not confirmed yet',
    booking_confirm_contact: 'Customer confirms the details', booking_contact_declined: 'Customer declines',
    booking_contact_saved: 'Recorded', booking_drivers: 'Other drivers', booking_needs: 'Personal needs',
    booking_classification: { regular: 'Regular', vip: 'VIP', at_risk: 'At risk', lost: 'Lost' },
    booking_need_names: { pickup: 'Pick-up', delivery: 'Delivery', accessories: 'Accessories', insurance_renewal: 'Insurance renewal', claim: 'Claim', wash: 'Wash' },
    booking_status: { tentative: 'tentative', confirmed: 'confirmed', arrived: 'arrived', in_service: 'in service', completed: 'completed', no_show: 'no-show', cancelled: 'cancelled' },
    booking_move: 'Move', booking_fix_time: 'Set the time', booking_cancel: 'Cancel booking', booking_cancel_yes: 'Cancel it',
    booking_cancel_q: (when) => `Cancel the booking of ${when}? Reserved parts go back to stock.`, booking_cancelled: (id) => `Booking #${id} cancelled`,
    booking_moving: (id, when) => `Moving #${id} (now ${when}): find a new time, then confirm.`, booking_move_stop: 'Keep it',
    booking_move_confirm: 'Confirm the move', booking_moved: 'Moved',
    booking_new_customer: 'New customer', booking_nc_name: 'Name or company', booking_nc_title: 'Title',
    booking_titles: { '先生': 'Mr (先生)', '女士': 'Ms (女士)' }, booking_title_none: '(none)',
    booking_nc_consent_phone: 'Agrees to phone calls', booking_nc_consent_sms: 'Agrees to text messages',
    booking_nc_plate: 'Plate', booking_nc_vin: 'VIN (on the registration card)', booking_nc_vin_skip: 'Imported or old car: do not check the VIN',
    booking_nc_brand: 'Brand', booking_nc_model: 'Model', booking_nc_save: 'Register and go on',
    booking_nc_customer_kept: (id) => `Customer registered (#${id}); the car is not:`,
    booking_model: 'Model', booking_mileage: 'Mileage', booking_next_service: 'Next service',
    booking_mileage_now: 'The car\'s mileage now (km)', booking_mileage_hint: (k) => `last recorded ${k}`,
    booking_mileage_saved: 'Mileage recorded',
    booking_due: (d, k) => `${d}${k ? ' or ' + k : ''}`, booking_last_visits: 'Last visits',
    booking_open_items: 'Open items', booking_no_open_items: 'No open items',
    booking_upcoming: (when, status) => `Booked ${when} (${status})`,
    booking_open_task: (type, reason) => `${type}: ${reason}`,
    booking_pick_vehicle: 'Choose the vehicle', booking_no_vehicle: 'This customer has no vehicle; register it in the archive first.',
    booking_need: "The need, in the customer's words", booking_need_placeholder: 'e.g. due for a service, and the brakes squeak',
    booking_work: 'Work', booking_use_package: 'Maintenance package', booking_package: (name) => `Package: ${name}`,
    booking_maintenance: 'Maintenance', booking_repair: 'Repair', booking_parts: 'Parts',
    booking_part_no: 'Part no.', booking_qty: 'Qty', booking_add_part: 'Add part', booking_remove: 'Remove',
    booking_services: 'Services', booking_wait_for_parts: 'The customer will wait for the parts',
    booking_wish: 'When the customer wishes', booking_wish_date: 'Date', booking_wish_time: 'Time',
    booking_flex: 'Booking', booking_flex_exact: 'Exact time', booking_flex_date: 'Date only', booking_flex_period: 'Period',
    booking_period_to: 'to',
    booking_find_slots: 'Find times', booking_earliest: 'Earliest',
    booking_options: 'Times to offer', booking_option_wish: "Customer's wish",
    booking_window: (from, to) => `Tell the customer: arrive ${from}–${to}`,
    booking_option_where: (bay, tech) => `${bay} · ${tech}`,
    booking_parts_state: 'Parts stock', booking_in_stock: (n) => `In stock (${n} available)`, booking_to_order: (d) => `To order, about ${d} days`,
    booking_not_in_master: 'Not in the parts master', booking_parts_date: (d) => `Parts expected on ${d}; no time before that`,
    booking_estimate: 'Estimate', booking_labour: 'Labour', booking_parts_fee: 'Parts', booking_total: 'Total',
    booking_case: (c) => `Case ${c}`, booking_case_names: { A: 'maintenance', B: 'repair, no parts', C: 'repair, parts in stock', D: 'repair, parts to order' },
    booking_book: 'Book', booking_booked: 'Booked',
    booking_done_text: (when, from, to, bay, tech) => `${when}; please arrive ${from}–${to}. Bay: ${bay}, technician: ${tech}.`,
    booking_done_flex: (when) => `Registered for ${when}; the time will be confirmed by phone.`,
    booking_closing: 'Closing: check there is no other need; repeat the need, the time and the estimate.',
    booking_see_board: 'See it on the board', booking_new_call: 'Next call', booking_back_to_task: 'Back to the workbench',
    booking_not_booked: 'Not booked', booking_failure_reason: 'Reason', booking_failure_note: 'Note', booking_failure_save: 'Record the reason',
    booking_failure_reasons: { no_suitable_slot: 'No suitable time', price: 'Price', parts_unavailable: 'Parts unavailable',
      customer_undecided: 'Customer undecided', went_elsewhere: 'Went elsewhere', other: 'Other' },
    booking_failure_saved: 'Reason recorded',
    booking_callback: 'Busy: call back in 5 min', booking_callback_parts: 'Check parts, call back in 15 min',
    booking_callback_made: (when) => `Call-back task made; call back by ${when}`,
    booking_task_banner: (reason) => `From a call task: ${reason}`,
    booking_choose_ops: 'Choose the work first', booking_choose_option: 'Choose a time',
    err_slot_taken: 'That time was just taken; choose one of the new times', err_slot_unavailable: 'That time is not possible; choose one of the times offered',
    err_parts_unavailable: 'Parts not in stock', err_unknown_operation: 'Unknown operation', err_unknown_part: 'Unknown part number',
    booking_parts_unavailable: (d) => `Not in stock; ordering takes about ${d} days. Ask whether the customer will wait.`,
  },
});

// A phone number as the API gives it: masked (138****5678) everywhere but in a reveal, which the
// server records (PIPL); masked here too should a full one ever come.
function maskPhone(p) {
  if (!p) return '—';
  if (p.includes('*')) return p;
  return p.length > 7 ? p.slice(0, 3) + '****' + p.slice(-4) : p;
}

// Call tasks about the car's service: their booking is the maintenance package.
const MAINTENANCE_TASKS = ['maintenance_call', 'maintenance_second_call', 'first_maintenance', 'lost_customer'];

const partKey = (no) => String(no).replace(/\s+/g, '').toUpperCase();

// A first-time caller (IN-3: not found): the customer with their consent, and the car, in
// one form; then the call goes on with the new car. Needs both write permissions (advisor,
// service manager).
function newCustomerForm(onDone) {
  const f = {
    name: el('input', { id: 'nc-name', maxlength: 64, required: true, autocomplete: 'off' }),
    title: el('select', { id: 'nc-title' }, ['先生', '女士', ''].map((v) => el('option', { value: v }, v ? t('booking_titles')[v] : t('booking_title_none')))),
    phone: el('input', { id: 'nc-phone', type: 'tel', maxlength: 32, required: true, autocomplete: 'off' }),
    consentPhone: el('input', { id: 'nc-consent-phone', type: 'checkbox' }),
    consentSms: el('input', { id: 'nc-consent-sms', type: 'checkbox' }),
    plate: el('input', { id: 'nc-plate', maxlength: 16, autocomplete: 'off' }),
    vin: el('input', { id: 'nc-vin', maxlength: 17, required: true, autocomplete: 'off', size: 19 }),
    vinSkip: el('input', { id: 'nc-vin-skip', type: 'checkbox' }),
    brand: el('input', { id: 'nc-brand', maxlength: 32, value: '大众' }),
    model: el('input', { id: 'nc-model', maxlength: 32 }),
    mileage: el('input', { id: 'nc-mileage', type: 'number', min: 0, max: 2000000 }),
  };
  const error = el('p', { class: 'error', role: 'alert' });
  let customer = null; // kept when the car fails, so a retry does not make the customer twice
  const form = el('form', { id: 'new-customer-form', class: 'card', hidden: true },
    el('h2', {}, t('booking_new_customer')),
    el('div', { class: 'row' }, field('booking_nc_name', f.name), field('booking_nc_title', f.title), field('booking_phone', f.phone)),
    el('div', { class: 'row' }, el('label', {}, f.consentPhone, ' ' + t('booking_nc_consent_phone')), el('label', {}, f.consentSms, ' ' + t('booking_nc_consent_sms'))),
    el('div', { class: 'row' }, field('booking_nc_plate', f.plate), field('booking_nc_vin', f.vin),
      el('label', {}, f.vinSkip, ' ' + t('booking_nc_vin_skip'))),
    el('div', { class: 'row' }, field('booking_nc_brand', f.brand), field('booking_nc_model', f.model), field('booking_mileage', f.mileage)),
    el('div', { class: 'row' }, el('button', { type: 'submit', id: 'nc-save', class: 'primary' }, t('booking_nc_save')),
      el('button', { type: 'button', onclick: () => { form.hidden = true; } }, t('cancel'))),
    error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form.querySelector('#nc-save'), () => register());
  });
  async function register() {
    error.textContent = '';
    if (!customer) {
      const r = await api('POST', '/customers', {
        name: f.name.value.trim(), title: f.title.value || undefined, phone: f.phone.value.trim(),
        consent: { phone: f.consentPhone.checked, sms: f.consentSms.checked, email: false, marketing: false },
      });
      if (r.status !== 201) { error.textContent = errorText(r); return; }
      customer = r.data;
    }
    const body = { customer_id: customer.id, vin: f.vin.value.trim().toUpperCase(), brand: f.brand.value.trim() || undefined, model: f.model.value.trim() || undefined };
    if (f.plate.value.trim()) body.plate = f.plate.value.trim();
    if (f.mileage.value !== '') body.mileage_km = Number(f.mileage.value);
    if (f.vinSkip.checked) body.vin_check = 'skip';
    const r = await api('POST', '/vehicles', body);
    if (r.status !== 201) { error.textContent = t('booking_nc_customer_kept', customer.id) + ' ' + errorText(r); return; }
    customer = null;
    form.reset();
    form.hidden = true;
    onDone(r.data.id);
  }
  const opener = can('customer_write') && can('vehicle_write')
    ? el('button', { type: 'button', id: 'new-customer', onclick: () => { form.hidden = false; f.name.focus(); } }, t('booking_new_customer'))
    : null;
  return { form, opener };
}

registerScreen({
  id: 'booking',
  nav: 'booking_nav',
  home: ['advisor'],
  allowed: () => can('book'),
  async render(root, params) {
    // The call's state; reset by "next call".
    const s = {
      customer: null, vehicle: null, ops: new Set(), parts: new Map(), packageInfo: null,
      result: null, chosen: null, task: null, searchSeq: 0,
      moving: null, // the booking being moved to another time (PATCH), else null
    };
    // The catalogue, the parts master, and the bays and technicians (options name them by id;
    // the advisor tells the customer names), all at once.
    const [ops, partsMaster, bays, techs] = await Promise.all([
      get('/operations'), api('GET', '/parts?limit=500'), api('GET', '/bays'), api('GET', '/technicians')]);
    const operations = ops.items.filter((o) => o.active !== false);
    const partList = partsMaster.status === 200 ? partsMaster.data.items : [];
    const bayName = new Map((bays.status === 200 ? bays.data.items : []).map((b) => [b.id, b.name || b.code]));
    const techName = new Map((techs.status === 200 ? techs.data.items : []).map((x) => [x.id, x.name]));

    // ---- layout --------------------------------------------------------------------------
    const search = el('input', { id: 'booking-search', type: 'search', autocomplete: 'off', placeholder: t('booking_search_hint'),
      'aria-label': t('booking_search_label'), 'aria-controls': 'search-results' });
    const results = el('div', { id: 'search-results', role: 'list' });
    const customerCard = el('section', { id: 'customer-card', class: 'card', hidden: true });
    const vehicleCard = el('section', { id: 'vehicle-card', class: 'card', hidden: true });
    const taskBanner = el('div', { class: 'card task-banner', hidden: true });
    const moveBanner = el('div', { id: 'move-banner', class: 'card task-banner', hidden: true });
    const newCustomer = newCustomerForm((vehicleId) => pickVehicle(vehicleId));

    const need = el('textarea', { id: 'need', rows: 2, placeholder: t('booking_need_placeholder') });
    // IN-3, MR-4: the car's latest mileage is asked in every call; recorded before the booking.
    const mileage = el('input', { id: 'booking-mileage', type: 'number', min: 0, max: 2000000, step: 1, inputmode: 'numeric', size: 9 });
    const mileageHint = el('span', { class: 'muted', id: 'booking-mileage-hint' });
    const usePackage = el('button', { type: 'button', id: 'use-package' }, t('booking_use_package'));
    const packageLine = el('div', { class: 'muted' });
    const opsBox = el('div', { id: 'ops', class: 'ops' },
      ['maintenance', 'repair'].map((kind) => el('fieldset', {},
        el('legend', {}, t(kind === 'maintenance' ? 'booking_maintenance' : 'booking_repair')),
        operations.filter((o) => o.kind === kind).map((o) => el('label', { class: 'op' },
          el('input', { type: 'checkbox', value: o.code, onchange: (e) => { if (e.target.checked) s.ops.add(o.code); else s.ops.delete(o.code); invalidate(); } }),
          ` ${o.code} ${o.name} `, el('span', { class: 'muted' }, `${o.hours}h · ${money(o.labour_fen)}`))))));
    const partNo = el('input', { id: 'part-no', list: 'part-list', size: 14, autocomplete: 'off' });
    const partQty = el('input', { id: 'part-qty', type: 'number', min: 1, max: 99, value: 1, size: 3 });
    const partsChosen = el('ul', { id: 'parts-chosen', class: 'parts-chosen' });
    const partsBox = el('div', { class: 'parts-entry' },
      el('datalist', { id: 'part-list' }, partList.map((p) => el('option', { value: p.part_no }, p.name))),
      field('booking_part_no', partNo), field('booking_qty', partQty),
      el('button', { type: 'button', id: 'add-part', onclick: () => addPart(partNo.value, Number(partQty.value)) }, t('booking_add_part')),
      partsChosen);
    const services = el('div', { id: 'services', class: 'row' }, SERVICES.map((v) =>
      el('label', {}, el('input', { type: 'checkbox', value: v }), ' ' + t('booking_need_names')[v])));
    const wait = el('input', { type: 'checkbox', id: 'wait-for-parts', onchange: () => invalidate() });

    const flex = el('select', { id: 'flexibility', onchange: () => { periodTo.hidden = flex.value !== 'period'; wishTime.disabled = flex.value !== 'exact'; invalidate(); } },
      ['exact', 'date', 'period'].map((v) => el('option', { value: v }, t('booking_flex_' + v))));
    const wishDate = el('input', { type: 'date', id: 'wish-date', min: state.today, value: addDays(state.today, 1) });
    const wishTime = el('input', { type: 'time', id: 'wish-time', step: 600, value: '09:00' });
    const periodTo = el('input', { type: 'date', id: 'period-to', hidden: true, min: state.today, value: addDays(state.today, 8) });
    const findSlots = el('button', { type: 'button', id: 'find-slots', class: 'primary', onclick: () => loadSlots(true) }, t('booking_find_slots'));
    const earliest = el('button', { type: 'button', id: 'find-earliest', onclick: () => loadSlots(false) }, t('booking_earliest'));
    const partsState = el('div', { id: 'parts-state' });
    const options = el('div', { id: 'slot-options', role: 'group', 'aria-label': t('booking_options') });
    const estimate = el('div', { id: 'estimate', class: 'estimate' });
    const book = el('button', { type: 'button', id: 'book', class: 'primary big', disabled: true, onclick: () => doBook() }, t('booking_book'));
    const done = el('section', { id: 'booking-done', class: 'card done', hidden: true, tabindex: -1 });

    const failReason = el('select', { id: 'failure-reason' }, FAILURE_REASONS.map((v) => el('option', { value: v }, t('booking_failure_reasons')[v])));
    const failNote = el('input', { id: 'failure-note', size: 30 });
    const failBox = el('div', { id: 'failure-box', class: 'row', hidden: true },
      field('booking_failure_reason', failReason), field('booking_failure_note', failNote),
      el('button', { type: 'button', id: 'failure-save', onclick: (e) => busy(e.currentTarget, saveFailure) }, t('booking_failure_save')));
    const notBooked = el('button', { type: 'button', id: 'not-booked', class: 'danger', onclick: () => { failBox.hidden = false; failReason.focus(); } }, t('booking_not_booked'));

    const callArea = el('div', { id: 'call-area', hidden: true },
      el('section', { class: 'card' },
        can('mileage_write') ? el('div', { class: 'row' }, field('booking_mileage_now', mileage), mileageHint) : null,
        el('h2', {}, t('booking_need')), need,
        el('h2', {}, t('booking_work')), el('div', { class: 'row' }, usePackage, packageLine), opsBox,
        el('h3', {}, t('booking_parts')), partsBox,
        el('h3', {}, t('booking_services')), services),
      el('section', { class: 'card' },
        moveBanner,
        el('h2', {}, t('booking_wish')),
        el('div', { class: 'row' }, field('booking_flex', flex), field('booking_wish_date', wishDate), field('booking_wish_time', wishTime),
          el('span', { class: 'period' }, periodTo), findSlots, earliest),
        el('label', { class: 'wait' }, wait, ' ' + t('booking_wait_for_parts')),
        partsState,
        el('h3', {}, t('booking_options')), options,
        estimate,
        el('div', { class: 'row actions' }, book, notBooked,
          el('button', { type: 'button', id: 'callback-busy', onclick: (e) => busy(e.currentTarget, () => makeCallback('busy')) }, t('booking_callback')),
          el('button', { type: 'button', id: 'callback-parts', onclick: (e) => busy(e.currentTarget, () => makeCallback('parts_check')) }, t('booking_callback_parts'))),
        failBox),
      done);

    clear(root,
      el('div', { class: 'toolbar' }, el('h1', {}, t('booking_title')),
        el('span', { class: 'script' }, t('booking_script_greet', state.me.store.name, state.me.user.display_name))),
      taskBanner,
      el('div', { class: 'booking-layout' },
        el('div', { class: 'booking-left' },
          el('label', { class: 'search' }, el('span', {}, t('booking_search_label')), search), results,
          newCustomer.opener,
          customerCard, vehicleCard),
        el('div', { class: 'booking-right' }, newCustomer.form, callArea)));

    // ---- search ---------------------------------------------------------------------------
    const runSearch = debounce(async () => {
      const q = search.value.trim();
      const seq = ++s.searchSeq;
      if (!searchable(q)) { clear(results); return; }
      const r = await api('GET', '/search?q=' + encodeURIComponent(q));
      if (seq !== s.searchSeq) return; // a newer keystroke's answer is coming
      if (r.status !== 200) { clear(results, el('p', { class: 'error' }, errorText(r))); return; }
      const items = r.data.results || [];
      clear(results, items.length === 0 ? el('p', { class: 'muted' }, t('booking_no_results')) :
        items.map((x) => x.type === 'vehicle'
          ? el('button', { type: 'button', class: 'search-result', role: 'listitem', dataset: { vehicleId: x.id }, onclick: () => pickVehicle(x.id) },
            el('strong', {}, x.plate || x.vin), ` ${x.brand || ''} ${x.model || ''} · `, person(x.owner), el('span', { class: 'muted' }, ' VIN …' + String(x.vin).slice(-6)))
          : el('button', { type: 'button', class: 'search-result', role: 'listitem', dataset: { customerId: x.id }, onclick: () => pickCustomer(x.id) },
            el('strong', {}, person(x)), ' · ', maskPhone(x.phone), el('span', { class: 'muted' }, ` (${x.vehicle_count || 0})`))));
    }, 150);
    search.addEventListener('input', runSearch);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const first = results.querySelector('.search-result');
        if (first) first.click();
      } else if (e.key === 'ArrowDown') {
        const first = results.querySelector('.search-result');
        if (first) { e.preventDefault(); first.focus(); }
      }
    });
    results.addEventListener('keydown', (e) => {
      const items = [...results.querySelectorAll('.search-result')];
      const i = items.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && i >= 0 && i + 1 < items.length) { e.preventDefault(); items[i + 1].focus(); }
      if (e.key === 'ArrowUp' && i >= 0) { e.preventDefault(); (i === 0 ? search : items[i - 1]).focus(); }
    });

    async function pickCustomer(id) {
      const [c, vs] = await Promise.all([get('/customers/' + id), getAll('/customers/' + id + '/vehicles')]);
      s.customer = c;
      renderCustomer();
      if (vs.items.length === 1) return pickVehicle(vs.items[0].id);
      clear(vehicleCard, el('h2', {}, t('booking_pick_vehicle')),
        vs.items.length === 0 ? el('p', {}, t('booking_no_vehicle')) :
          vs.items.map((v) => el('button', { type: 'button', class: 'search-result', dataset: { vehicleId: v.id }, onclick: () => pickVehicle(v.id) },
            el('strong', {}, v.plate || v.vin), ` ${v.brand || ''} ${v.model || ''}`)));
      vehicleCard.hidden = false;
      callArea.hidden = true;
    }

    async function pickVehicle(id) {
      const v = await get('/vehicles/' + id);
      s.vehicle = v;
      if (!s.customer || s.customer.id !== v.customer_id) s.customer = await get('/customers/' + v.customer_id);
      clear(results);
      renderCustomer();
      await renderVehicle();
      // The customer's recorded needs become the booking's services (CRM-6).
      for (const box of services.querySelectorAll('input')) box.checked = (s.customer.needs || []).includes(box.value);
      callArea.hidden = false;
      newCustomer.form.hidden = true;
      done.hidden = true;
      mileage.value = s.task && s.task.km !== '' && s.task.km !== undefined ? String(s.task.km) : '';
      mileage.min = v.mileage_km || 0;
      mileageHint.textContent = v.mileage_km != null ? t('booking_mileage_hint', km(v.mileage_km)) : '';
      s.mileageSaved = null;
      need.focus();
    }

    // ---- the customer card ----------------------------------------------------------------
    function renderCustomer() {
      const c = s.customer;
      // The card shows the masked number; "show" asks the server for the full one, and the
      // server records who saw whose number when (POST phone-reveals). Hiding needs no call.
      let full = null;
      const phone = el('span', { id: 'customer-phone' }, maskPhone(c.phone));
      const reveal = el('button', { type: 'button', id: 'reveal-phone', class: 'link', onclick: (e) => busy(e.currentTarget, async () => {
        if (full === null) {
          const r = await api('POST', `/customers/${c.id}/phone-reveals`);
          if (r.status !== 201) { notice(errorText(r), 'error'); return; }
          full = r.data.phone || '—';
          phone.textContent = full;
          reveal.textContent = t('booking_hide');
          return;
        }
        full = null;
        phone.textContent = maskPhone(c.phone);
        reveal.textContent = t('booking_reveal');
      }) }, t('booking_reveal'));
      const confirmLine = el('span', { id: 'contact-state', class: c.contact_confirmed_at ? 'tag ok' : 'tag warn' },
        c.contact_confirmed_at ? t('booking_confirmed_at', timestamp(c.contact_confirmed_at)) : t('booking_not_confirmed'));
      const confirm = async (outcome) => {
        const r = await api('POST', `/customers/${c.id}/contact-confirmations`, { outcome });
        if (r.status !== 201) { notice(errorText(r), 'error'); return; }
        s.customer = { ...r.data, phone: c.phone, open_complaints: c.open_complaints };
        notice(t('booking_contact_saved'));
        renderCustomer();
      };
      clear(customerCard,
        el('h2', {}, t('booking_customer'), ' ', el('span', { class: 'customer-name' }, person(c)),
          c.classification && c.classification !== 'regular' ? el('span', { class: 'tag warn' }, t('booking_classification')[c.classification] || c.classification) : null),
        el('div', { class: 'row' }, el('span', { class: 'muted' }, t('booking_phone')), phone, c.can_reveal_phones && c.phone ? reveal : null),
        el('div', { class: 'row' }, confirmLine,
          can('customer_write') ? [
            el('button', { type: 'button', id: 'contact-confirm', onclick: (e) => busy(e.currentTarget, () => confirm('confirmed')) }, t('booking_confirm_contact')),
            el('button', { type: 'button', id: 'contact-decline', onclick: (e) => busy(e.currentTarget, () => confirm('declined')) }, t('booking_contact_declined'))] : null),
        (c.drivers || []).length ? el('div', {}, el('span', { class: 'muted' }, t('booking_drivers') + '：'),
          c.drivers.map((d) => el('span', { class: 'tag' }, `${d.name}${d.relation ? '（' + d.relation + '）' : ''} ${maskPhone(d.phone)}`))) : null,
        el('div', {}, el('span', { class: 'muted' }, t('booking_needs') + '：'),
          (c.needs || []).map((n) => el('span', { class: 'tag' }, t('booking_need_names')[n] || n)),
          c.needs_note ? el('span', { class: 'needs-note' }, c.needs_note) : (c.needs || []).length ? null : t('none')),
        // IN-20: "was the problem I reported solved?" — the open complaints and their state.
        Array.isArray(c.open_complaints) ? el('div', { id: 'booking-open-complaints' }, openComplaintsBox(c.open_complaints)) : null);
      customerCard.hidden = false;
    }

    // ---- the vehicle card -----------------------------------------------------------------
    async function renderVehicle() {
      const v = s.vehicle;
      const [records, tasks, appts] = await Promise.all([
        api('GET', `/vehicles/${v.id}/service-records?limit=3`), // the last visits, newest first
        api('GET', `/tasks?vehicle_id=${v.id}&status=open`),
        api('GET', `/appointments?vehicle_id=${v.id}`),
      ]);
      const visits = records.status === 200 ? records.data.items.slice(0, 3) : [];
      const open = [];
      if (appts.status === 200)
        for (const a of appts.data.items || [])
          if (['tentative', 'confirmed', 'arrived', 'in_service'].includes(a.status))
            open.push(el('li', { class: 'upcoming', dataset: { appointmentId: a.id } },
              t('booking_upcoming', a.start ? date(a.start.slice(0, 10)) + ' ' + hhmm(a.start) : date(a.date || a.period_from), t('booking_status')[a.status] || a.status),
              // A customer calling to move or call off a booking (IN-14, IN-15: a booking
              // without a time gets its time the same way).
              can('book') && (a.status === 'tentative' || a.status === 'confirmed') ? [
                el('button', { type: 'button', class: 'link appt-move', dataset: { appointmentId: a.id }, onclick: () => startMove(a) }, t(a.start ? 'booking_move' : 'booking_fix_time')),
                el('button', { type: 'button', class: 'link appt-cancel', dataset: { appointmentId: a.id }, onclick: () => cancelBooking(a) }, t('booking_cancel'))] : null));
      if (tasks.status === 200)
        for (const x of tasks.data.items || []) open.push(el('li', {}, t('booking_open_task', (t('workbench_types') || {})[x.type] || x.type, x.reason || '')));
      const ns = v.next_service;
      clear(vehicleCard,
        el('h2', {}, t('booking_vehicle'), ' ', el('span', { class: 'plate' }, v.plate || '—')),
        el('dl', { class: 'facts' },
          el('dt', {}, t('booking_model')), el('dd', {}, `${v.brand || ''} ${v.model || ''} ${v.model_year || ''}`),
          el('dt', {}, 'VIN'), el('dd', {}, v.vin),
          el('dt', {}, t('booking_mileage')), el('dd', {}, km(v.mileage_km), v.mileage_date ? el('span', { class: 'muted' }, ' (' + date(v.mileage_date, false) + ')') : null),
          el('dt', {}, t('booking_next_service')), el('dd', { id: 'next-service' }, ns ? t('booking_due', date(ns.due_date, false), ns.due_km ? km(ns.due_km) : '') : '—')),
        el('h3', {}, t('booking_last_visits')),
        visits.length ? el('ul', { class: 'visits' }, visits.map((r) => el('li', {}, `${date(r.date, false)} · ${km(r.mileage_km)} · `,
          (r.labour || []).map((l) => l.operation).join('、') || r.kind))) : el('p', { class: 'muted' }, t('none')),
        el('h3', {}, t('booking_open_items')),
        open.length ? el('ul', { id: 'open-items' }, open) : el('p', { class: 'muted' }, t('booking_no_open_items')),
        // RO-4: the work the customer declined last time, offered again in this call.
        declinedWork(v, {
          onAdd: (x) => {
            if (x.type === 'part' || (x.part_no && !x.op)) addPart(x.part_no || x.code, x.qty || 1);
            else { setOps([...s.ops, x.op || x.code]); invalidate(); }
          },
          onChange: async () => { s.vehicle = await get('/vehicles/' + v.id); await renderVehicle(); },
        }));
      vehicleCard.hidden = false;
    }

    // ---- work and parts -------------------------------------------------------------------
    function setOps(codes) {
      s.ops = new Set(codes);
      for (const box of opsBox.querySelectorAll('input')) box.checked = s.ops.has(box.value);
    }

    function renderParts() {
      clear(partsChosen, [...s.parts.entries()].map(([no, qty]) => el('li', {}, `${no} × ${qty} `,
        el('button', { type: 'button', class: 'link', onclick: () => { s.parts.delete(no); renderParts(); invalidate(); } }, t('booking_remove')))));
    }

    function addPart(no, qty) {
      const key = partKey(no);
      if (!key || !(qty >= 1)) return;
      s.parts.set(key, (s.parts.get(key) || 0) + qty);
      partNo.value = '';
      partQty.value = 1;
      renderParts();
      invalidate();
    }

    usePackage.addEventListener('click', async () => {
      if (!s.vehicle) return;
      const r = await api('GET', '/quote?vehicle_id=' + s.vehicle.id);
      if (r.status !== 200) { notice(errorText(r), 'error'); return; }
      const q = r.data;
      setOps(q.ops.map((o) => o.code));
      // The package's parts that the parts master knows are booked with it (reserved, IN-12);
      // the others are consumables the workshop takes from its own stock.
      s.parts = new Map(q.parts.filter((p) => p.in_stock !== null).map((p) => [partKey(p.part_no), p.qty]));
      s.packageInfo = q;
      packageLine.textContent = t('booking_package', q.package || '');
      renderParts();
      invalidate();
      wishDate.focus(); // the next question of the call: when would suit you?
    });

    // ---- moving or cancelling a booking ------------------------------------------------------
    function startMove(a) {
      s.moving = a;
      setOps((a.ops || []).map((o) => o.code));
      s.parts = new Map((a.parts || []).filter((p) => p.state !== 'released').map((p) => [partKey(p.part_no), p.qty]));
      renderParts();
      flex.value = 'exact';
      flex.dispatchEvent(new Event('change'));
      if (a.customer_words) need.value = a.customer_words;
      wait.checked = !!a.wait_for_parts;
      if (a.date) wishDate.value = a.date < state.today ? state.today : a.date;
      clear(moveBanner, t('booking_moving', a.id, a.start ? `${date(a.date)} ${hhmm(a.start)}` : date(a.date || a.period_from)), ' ',
        el('button', { type: 'button', class: 'link', id: 'move-stop', onclick: () => stopMove() }, t('booking_move_stop')));
      moveBanner.hidden = false;
      book.textContent = t('booking_move_confirm');
      invalidate();
      wishDate.focus();
    }

    function stopMove() {
      s.moving = null;
      moveBanner.hidden = true;
      book.textContent = t('booking_book');
      invalidate();
    }

    async function cancelBooking(a) {
      const answer = await ask('booking_cancel', t('booking_cancel_q', a.start ? `${date(a.date)} ${hhmm(a.start)}` : date(a.date || a.period_from)), [
        { value: 'yes', key: 'booking_cancel_yes', primary: true }, { value: 'no', key: 'back' }]);
      if (answer !== 'yes') return;
      const r = await api('POST', `/appointments/${a.id}/status`, { status: 'cancelled' });
      if (r.status !== 200) { notice(errorText(r), 'error'); return; }
      notice(t('booking_cancelled', a.id));
      if (s.moving && s.moving.id === a.id) stopMove();
      await renderVehicle();
    }

    // Enter in the wish's fields looks the times up, as the advisor would expect of a form.
    for (const input of [wishDate, wishTime])
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); loadSlots(true); } });

    // ---- slots ----------------------------------------------------------------------------
    function query(withWish) {
      const p = new URLSearchParams({ ops: [...s.ops].join(','), vehicle_id: s.vehicle.id });
      if (s.parts.size) p.set('parts', [...s.parts.entries()].map(([no, q]) => `${no}:${q}`).join(','));
      if (withWish && wishDate.value) { p.set('date', wishDate.value); if (wishTime.value) p.set('time', wishTime.value); }
      return '/slots?' + p;
    }

    // Anything that changes the job makes the offered times stale.
    function invalidate() {
      s.result = null;
      s.chosen = null;
      clear(options);
      clear(estimate);
      clear(partsState);
      book.disabled = flex.value === 'exact' || s.ops.size === 0;
    }

    async function loadSlots(withWish) {
      if (s.ops.size === 0) { notice(t('booking_choose_ops'), 'error'); return; }
      const r = await api('GET', query(withWish));
      if (r.status !== 200) { notice(errorText(r), 'error'); return; }
      s.result = r.data;
      renderResult(r.data.options || []);
      const first = options.querySelector('.slot-option');
      if (first) first.focus();
    }

    function renderResult(opts) {
      const res = s.result;
      clear(partsState, (res.parts || []).length ? [el('h3', {}, t('booking_parts_state')),
        el('ul', {}, res.parts.map((p) => el('li', { class: p.state === 'in_stock' ? 'ok' : 'warn' },
          `${p.part_no} ${p.name || ''} × ${p.qty} — `,
          p.state === 'in_stock' ? t('booking_in_stock', p.available) : t('booking_to_order', p.lead_time_days))))] : null,
        res.parts_date && res.case === 'D' ? el('p', { class: 'tag warn' }, t('booking_parts_date', date(res.parts_date))) : null);
      wait.checked = wait.checked || res.case === 'D';
      clear(options, opts.slice(0, 3).map((o, i) => el('button', {
        type: 'button', class: 'slot-option', 'aria-pressed': 'false', dataset: { start: o.start },
        onclick: (e) => choose(o, e.currentTarget),
      },
      el('strong', {}, `${date(o.start.slice(0, 10))} ${hhmm(o.start)}–${hhmm(o.end)}`),
      i === 0 && res.wish_free ? el('span', { class: 'tag ok' }, t('booking_option_wish')) : null,
      el('span', { class: 'muted' }, t('booking_option_where', bayName.get(o.bay_id) || '#' + o.bay_id, techName.get(o.technician_id) || '#' + o.technician_id)),
      el('span', {}, t('booking_window', hhmm(o.window.from), hhmm(o.window.to))))));
      if (opts.length === 0) options.append(el('p', { class: 'muted' }, t('none')));
      const e = res.estimate || {};
      clear(estimate, el('h3', {}, t('booking_estimate'), ' ', el('span', { class: 'tag' }, t('booking_case', res.case) + ' · ' + t('booking_case_names')[res.case])),
        el('table', { class: 'grid est' }, el('tbody', {},
          el('tr', {}, el('th', {}, t('booking_labour')), el('td', { class: 'num' }, money(e.labour_fen))),
          el('tr', {}, el('th', {}, t('booking_parts_fee')), el('td', { class: 'num' }, money(e.parts_fen))),
          el('tr', { class: 'total' }, el('th', {}, t('booking_total')), el('td', { class: 'num', id: 'estimate-total' }, money(e.total_fen))))));
      book.disabled = flex.value === 'exact';
    }

    function choose(o, button) {
      s.chosen = o;
      for (const b of options.querySelectorAll('.slot-option')) b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
      book.disabled = false;
      book.focus();
    }

    // ---- booking --------------------------------------------------------------------------
    // The mileage typed in the call becomes a reading (source call) before the booking; from a
    // call task the task's attempt records it instead. Resolves to false when it was refused.
    async function saveMileage() {
      if (!mileage.isConnected || mileage.value === '' || !can('mileage_write')) return true;
      const n = Number(mileage.value);
      if (s.task) { s.task.km = n; return true; }
      if (s.mileageSaved === n) return true;
      const r = await api('POST', `/vehicles/${s.vehicle.id}/mileage`, { km: n, source: 'call' });
      if (r.status !== 201) { notice(errorText(r), 'error'); mileage.focus(); return false; }
      s.mileageSaved = n;
      notice(t('booking_mileage_saved'));
      return true;
    }

    async function doBook() {
      if (s.ops.size === 0) { notice(t('booking_choose_ops'), 'error'); return; }
      book.disabled = true;
      const saved = await saveMileage();
      book.disabled = false;
      if (!saved) return;
      const body = {
        vehicle_id: s.vehicle.id, ops: [...s.ops],
        parts: [...s.parts.entries()].map(([part_no, qty]) => ({ part_no, qty })),
        customer_words: need.value.trim() || undefined,
        services: [...services.querySelectorAll('input:checked')].map((b) => b.value),
        wait_for_parts: wait.checked, source: s.task ? 'outbound' : 'inbound',
        task_id: s.task ? s.task.id : undefined,
        flexibility: flex.value,
      };
      if (flex.value === 'exact' || s.moving) {
        if (!s.chosen) { notice(t('booking_choose_option'), 'error'); return; }
        body.start = s.chosen.start;
        body.bay_id = s.chosen.bay_id;
        body.technician_id = s.chosen.technician_id;
      } else if (flex.value === 'date') {
        body.date = wishDate.value;
      } else {
        body.period_from = wishDate.value;
        body.period_to = periodTo.value;
      }
      book.disabled = true;
      const r = s.moving
        ? await api('PATCH', `/appointments/${s.moving.id}`, { start: body.start, bay_id: body.bay_id, technician_id: body.technician_id })
        : await api('POST', '/appointments', body);
      if (r.status === 201 || (s.moving && r.status === 200)) return booked(r.data);
      const code = errorCode(r);
      if ((code === 'slot_taken' || code === 'slot_unavailable') && r.data.options) {
        // Someone else was faster (or the time passed): offer the fresh options at once (IN-8).
        notice(errorText(r), 'error');
        s.chosen = null;
        if (s.result) renderResult(r.data.options);
        book.disabled = true;
        const first = options.querySelector('.slot-option');
        if (first) first.focus();
        return;
      }
      if (code === 'parts_unavailable') {
        notice(t('booking_parts_unavailable', r.data.lead_time_days), 'error');
        wait.focus();
      } else notice(errorText(r), 'error');
      book.disabled = false;
    }

    async function booked(a) {
      if (s.task) {
        const call = { outcome: 'booked', notes: [s.task.notes, need.value.trim()].filter(Boolean).join(' / ') || undefined };
        if (s.task.km !== '' && s.task.km !== undefined) call.mileage_km = Number(s.task.km);
        if (s.task.needs) call.special_needs = s.task.needs;
        const r = await api('POST', `/tasks/${s.task.id}/attempts`, call);
        if (r.status !== 201) notice(errorText(r), 'error');
      }
      const when = a.start ? `${date(a.date)} ${hhmm(a.start)}` : a.date ? date(a.date) : `${date(a.period_from)} – ${date(a.period_to)}`;
      const hold = a.hold_until || a.end;
      const moved = !!s.moving;
      if (moved) { s.moving = null; moveBanner.hidden = true; book.textContent = t('booking_book'); }
      clear(done,
        el('h2', {}, t(moved ? 'booking_moved' : 'booking_booked'), ' #' + a.id),
        el('p', { class: 'done-text' }, a.start ? t('booking_done_text', when, hhmm(a.start), hhmm(hold), a.bay_name || '—', a.technician_name || '—') : t('booking_done_flex', when)),
        el('p', {}, t('booking_estimate') + '：' + money(a.estimate && a.estimate.total_fen), ' · ', t('booking_case', a.case)),
        el('p', { class: 'muted' }, t('booking_closing')),
        el('div', { class: 'row' },
          a.date ? el('a', { class: 'button', id: 'see-board', href: `#/board?date=${a.date}` }, t('booking_see_board')) : null,
          s.task ? el('a', { class: 'button', href: '#/workbench' }, t('booking_back_to_task')) : null,
          el('button', { type: 'button', id: 'next-call', onclick: () => go('booking', {}) }, t('booking_new_call'))));
      done.dataset.appointmentId = a.id;
      done.hidden = false;
      book.disabled = true;
      done.focus();
      renderVehicle(); // the booking now shows among the car's open items
    }

    async function saveFailure() {
      const r = await api('POST', '/booking-failures', {
        vehicle_id: s.vehicle ? s.vehicle.id : undefined, customer_id: s.customer ? s.customer.id : undefined,
        reason: failReason.value, note: failNote.value.trim() || undefined, source: s.task ? 'outbound' : 'inbound',
      });
      if (r.status !== 201) { notice(errorText(r), 'error'); return; }
      notice(t('booking_failure_saved'));
      failBox.hidden = true;
    }

    async function makeCallback(reason) {
      const r = await api('POST', '/tasks', {
        type: 'callback', reason, vehicle_id: s.vehicle ? s.vehicle.id : undefined,
        customer_id: s.customer ? s.customer.id : undefined, notes: need.value.trim() || undefined,
      });
      if (r.status !== 201) { notice(errorText(r), 'error'); return; }
      notice(t('booking_callback_made', timestamp(r.data.deadline_at)));
    }

    // ---- opened from a call task or a vehicle page ------------------------------------------
    if (params.task && can('task_work')) {
      const r = await api('GET', '/tasks/' + params.task);
      if (r.status === 200) {
        // The call's mileage, needs and notes typed on the workbench come along.
        s.task = { ...r.data, km: params.km ?? '', needs: params.needs || '', notes: params.notes || '' };
        clear(taskBanner, t('booking_task_banner', r.data.reason || r.data.type));
        taskBanner.hidden = false;
      }
    }
    if (params.vehicle) {
      await pickVehicle(Number(params.vehicle));
      // A reminder call books the car's maintenance package: tick it, as the caller would.
      if (s.task && MAINTENANCE_TASKS.includes(s.task.type)) usePackage.click();
    } else search.focus();
  },
});
