// The archive (CRM-1..CRM-6, MR-1): find a customer or a vehicle, read everything the store
// knows about them (contact details and consent, drivers, needs, vehicles, the next service,
// odometer readings, repair orders, calls, messages, bookings, the audit trail) and keep it
// current: edit the customer (a change of contact details only with the customer's consent,
// CRM-4), drivers (CRM-5), the vehicle, a new odometer reading.
import {
  addDays, addText, api, apiAll, ask, busy, can, clear, dash, date, debounce, el, errorCode, errorLine, errorText,
  field, go, km, loadingLine, localTime, money, notice, person, registerScreen, searchable, state, t, table,
  timestamp, tx,
} from './core.js';

addText({
  zh: {
    archive_nav: '档案',
    archive_title: '客户与车辆档案',
    archive_search_label: '查找客户或车辆',
    archive_search_placeholder: '车牌、电话（后 4 位起）、姓名、司机、VIN 后几位',
    archive_search_hint: '至少输入两个字符，或一个汉字。',
    archive_searching: '查找中…',
    archive_no_results: '没有找到匹配的客户或车辆。',
    archive_results: (n) => `找到 ${n} 条`,
    archive_matched: (what) => `匹配：${what}`,
    archive_match_plate: '车牌', archive_match_phone: '电话', archive_match_name: '姓名',
    archive_match_vin: 'VIN', archive_match_driver_name: '司机姓名', archive_match_driver_phone: '司机电话',
    archive_vehicle_result: '车辆', archive_customer_result: '客户',
    archive_vehicles_n: (n) => `${n} 辆车`,
    archive_browse: '按分类浏览客户',
    archive_any: '全部',
    archive_show: '显示',
    archive_more: '更多',
    archive_back_search: '返回查找',
    archive_not_found: '没有找到这条档案（可能属于其他门店或已不存在）。',
    // customer
    archive_customer: '客户',
    archive_type: '类型', archive_classification: '客户分类',
    archive_type_individual: '个人', archive_type_company: '单位 / 车队',
    archive_class_regular: '普通', archive_class_vip: 'VIP', archive_class_at_risk: '有流失风险', archive_class_lost: '已流失',
    archive_name: '姓名 / 名称', archive_title_field: '称呼',
    archive_phones: '电话', archive_email: '电子邮件', archive_address: '地址',
    archive_phone_mobile: '手机', archive_phone_home: '住宅', archive_phone_work: '单位', archive_phone_other: '其他',
    archive_masked: '联系方式已隐藏（当前角色无权查看）', archive_hidden: '已隐藏',
    archive_reveal: '显示号码', archive_reveal_reason_edit: '编辑联系方式',
    archive_erased: (when) => `个人信息已删除（${when}）`,
    archive_consent: '同意联系',
    archive_consent_sms: '短信', archive_consent_email: '邮件', archive_consent_phone: '电话', archive_consent_marketing: '营销信息',
    archive_opted_out: (at) => `已回复退订（${at}）`,
    archive_preferred_channel: '保养提醒方式',
    archive_channel_sms: '短信', archive_channel_email: '邮件',
    archive_needs: '个性化需求',
    archive_need_pickup: '上门接车', archive_need_delivery: '送车上门', archive_need_accessories: '精品附件',
    archive_need_insurance_renewal: '保险续保', archive_need_claim: '保险理赔', archive_need_wash: '洗车',
    archive_needs_note: '需求备注', archive_notes: '备注',
    archive_contact_confirmed_at: '联系方式确认于', archive_never: '从未确认',
    archive_created_at: '建档时间',
    archive_edit: '编辑', archive_edit_customer: '编辑客户资料', archive_edit_vehicle: '编辑车辆资料',
    archive_add_phone: '添加电话', archive_remove: '删除', archive_blank: '',
    archive_phone_number: '号码', archive_phone_label: '类型',
    archive_no_changes: '没有修改。',
    archive_saved: '已保存。',
    archive_contact_question_title: '联系方式变更',
    archive_contact_question: '电话、电子邮件或地址有变更。客户是否同意修改联系方式？',
    archive_consent_yes: '同意，修改',
    archive_consent_no: '不同意，保留原联系方式',
    archive_consent_back: '返回编辑',
    archive_contact_recorded: '客户同意：新的联系方式已保存，并记入联系历史。',
    archive_contact_declined: '客户不同意修改：原联系方式保留不变，已在联系历史中记录“客户拒绝”。其他修改已保存。',
    archive_masked_form: '当前角色看不到完整的联系方式，此处不能修改电话、邮件和地址。',
    // drivers
    archive_drivers: '常用司机 / 送修人',
    archive_driver_name: '姓名', archive_driver_phone: '电话', archive_driver_relation: '关系',
    archive_driver_add: '添加司机', archive_driver_added: '已添加司机。', archive_driver_removed: '已删除司机。',
    archive_driver_remove_q: (n) => `删除司机“${n}”？`,
    // vehicles of a customer
    archive_vehicles: '名下车辆',
    archive_plate: '车牌', archive_brand_model: '品牌车型', archive_brand: '品牌', archive_model: '车型',
    archive_model_year: '年款', archive_mileage: '里程', archive_next_service: '下次保养',
    archive_last_visit: '最近进厂', archive_last_service: '最近保养',
    archive_no_plate: '（未上牌）',
    // contact history
    archive_contact_history: '联系方式记录',
    archive_at: '时间', archive_by: '操作人', archive_event: '事件', archive_field: '项目',
    archive_old_value: '原值', archive_new_value: '新值', archive_note: '说明',
    archive_event_changed: '已修改', archive_event_declined: '客户拒绝', archive_event_confirmed: '已确认无误',
    archive_confirm_contact: '客户确认联系方式无误',
    archive_confirm_declined: '客户不愿确认',
    archive_confirm_note: '说明（可选）',
    archive_confirmed_ok: '已记录客户确认。',
    archive_declined_ok: '已记录客户不愿确认。',
    // tasks, messages, appointments
    archive_tasks: '回访与提醒任务',
    archive_task_type: '类型', archive_task_status: '状态', archive_task_window: '任务期', archive_task_reason: '原因',
    archive_task_last: '最近结果', archive_attempts: '未接通次数',
    archive_tt_maintenance_message: '保养提醒短信', archive_tt_maintenance_call: '保养提醒电话',
    archive_tt_maintenance_second_call: '保养二次电话', archive_tt_followup: '修后回访',
    archive_tt_first_maintenance: '首保提醒', archive_tt_lost_customer: '流失客户回访',
    archive_tt_insurance_renewal: '保险到期提醒', archive_tt_annual_inspection: '年检提醒',
    archive_tt_callback: '回电', archive_tt_campaign: '活动 / 召回', archive_tt_appointment_confirm: '预约时间确认',
    archive_ts_open: '待办', archive_ts_done: '已完成', archive_ts_cancelled: '已取消', archive_ts_expired: '已过期',
    archive_out_reached: '已接通', archive_out_booked: '已预约', archive_out_undecided: '未决定', archive_out_declined: '拒绝',
    archive_out_wrong_number: '号码错误', archive_out_no_answer: '无人接听', archive_out_busy: '占线',
    archive_out_call_back_later: '稍后回电',
    archive_messages: '短信与邮件',
    archive_msg_time: '时间', archive_msg_kind: '内容类型', archive_msg_channel: '渠道', archive_msg_recipient: '收件人',
    archive_msg_status: '状态', archive_msg_body: '内容',
    archive_mk_maintenance_reminder: '保养提醒', archive_mk_appointment_reminder: '预约提醒',
    archive_mk_parts_escalation: '缺件升级', archive_mk_campaign_recall: '召回通知',
    archive_mk_campaign_tech_upgrade: '技术升级', archive_mk_campaign_promotion: '促销活动',
    archive_mk_campaign_holiday: '节日问候',
    archive_ms_queued: '待发送', archive_ms_sent: '已发送', archive_ms_failed: '发送失败', archive_ms_suppressed: '未发送（无同意、已退订或地址）', archive_ms_cancelled: '已撤回（预约取消或改期）',
    archive_appointments: '预约',
    archive_appt_time: '时间', archive_appt_status: '状态', archive_appt_work: '项目', archive_appt_bay: '工位 / 技师',
    archive_appt_estimate: '预估费用', archive_appt_period: (a, b) => `${a} 至 ${b}`,
    archive_as_tentative: '待定', archive_as_confirmed: '已确认', archive_as_arrived: '已到店',
    archive_as_in_service: '维修中', archive_as_completed: '已完工', archive_as_no_show: '未到店', archive_as_cancelled: '已取消',
    // audit
    archive_audit: '修改记录（审计）',
    archive_action: '操作', archive_changes: '变更',
    archive_aa_create: '新建', archive_aa_update: '修改', archive_aa_delete: '删除', archive_aa_confirm_contact: '确认联系方式',
    archive_aa_attempt: '通话', archive_aa_generate: '生成', archive_aa_complete: '完成', archive_aa_send: '发送', archive_aa_retry: '重试',
    // vehicle
    archive_vehicle: '车辆',
    archive_vin: 'VIN', archive_vin_check: 'VIN 校验', archive_sms_opt_out: '短信退订', archive_vin_verified: '校验位正确', archive_vin_unverified: '未校验',
    archive_purchase_date: '购车日期', archive_owner: '车主',
    archive_mileage_at: (k, d) => `${k}（${d}）`,
    archive_due: (d, k) => `${d} 或 ${k}，以先到为准`,
    archive_basis_time: '按时间', archive_basis_mileage: '按里程',
    archive_overdue: '已过期', archive_due_soon: '即将到期',
    archive_insurance_expiry: '保险到期', archive_inspection_expiry: '年检到期',
    archive_book: '预约',
    archive_readings: '里程读数',
    archive_reading_date: '日期', archive_reading_km: '里程（公里）', archive_reading_source: '来源',
    archive_src_manual: '手工录入', archive_src_service: '维修单', archive_src_call: '电话回访', archive_src_sale: '购车',
    archive_add_reading: '记录里程', archive_reading_added: '已记录里程，下次保养已重新计算。',
    archive_service_history: '维修保养记录',
    archive_sr_date: '日期', archive_sr_kind: '类别', archive_sr_mileage: '里程', archive_sr_people: '顾问 / 技师',
    archive_sr_items: '项目', archive_sr_total: '金额',
    archive_sr_summary: (l, p) => `${l} 项工时，${p} 项配件`,
    archive_sr_labour: '工时', archive_sr_parts: '配件',
    archive_kind_maintenance: '保养', archive_kind_repair: '维修', archive_kind_warranty: '索赔', archive_kind_recall: '召回',
    archive_kind_accident: '事故', archive_kind_other: '其他',
    archive_clear_hint: '留空表示清除。',
    // errors in the archive's words
    archive_err_mileage_inconsistent: '里程与已有读数矛盾：里程表只会增加。',
    archive_err_mileage_earlier: (d, k) => `${d} 的读数已是 ${k}，新读数不能更小。`,
    archive_err_mileage_later: (d, k) => `${d} 的读数只有 ${k}，新读数不能更大。`,
    archive_err_invalid_date: '日期无效（不能是将来的日期）。',
    archive_err_invalid_phone: '电话号码格式不正确（手机 11 位，座机带区号）。',
    archive_err_invalid_email: '电子邮件地址格式不正确。',
    archive_err_invalid_plate: '车牌格式不正确。',
    archive_err_conflict: '与已有记录冲突（车牌或 VIN 已被本店其他车辆使用）。',
  },
  en: {
    archive_nav: 'Archive',
    archive_title: 'Customers and vehicles',
    archive_search_label: 'Find a customer or a vehicle',
    archive_search_placeholder: 'Plate, phone (last 4 digits or more), name, driver, end of VIN',
    archive_search_hint: 'Type at least two characters, or one Chinese character.',
    archive_searching: 'Searching…',
    archive_no_results: 'No customer or vehicle matches.',
    archive_results: (n) => `${n} found`,
    archive_matched: (what) => `matched: ${what}`,
    archive_match_plate: 'plate', archive_match_phone: 'phone', archive_match_name: 'name',
    archive_match_vin: 'VIN', archive_match_driver_name: 'driver name', archive_match_driver_phone: 'driver phone',
    archive_vehicle_result: 'Vehicle', archive_customer_result: 'Customer',
    archive_vehicles_n: (n) => (n === 1 ? '1 vehicle' : `${n} vehicles`),
    archive_browse: 'Browse customers by class',
    archive_any: 'Any',
    archive_show: 'Show',
    archive_more: 'More',
    archive_back_search: 'Back to search',
    archive_not_found: 'This record was not found (it may belong to another store or no longer exist).',
    archive_customer: 'Customer',
    archive_type: 'Type', archive_classification: 'Class',
    archive_type_individual: 'Individual', archive_type_company: 'Company / fleet',
    archive_class_regular: 'Regular', archive_class_vip: 'VIP', archive_class_at_risk: 'At risk', archive_class_lost: 'Lost',
    archive_name: 'Name', archive_title_field: 'Title',
    archive_phones: 'Phones', archive_email: 'E-mail', archive_address: 'Address',
    archive_phone_mobile: 'Mobile', archive_phone_home: 'Home', archive_phone_work: 'Work', archive_phone_other: 'Other',
    archive_masked: 'Contact details hidden (not shown to this role)', archive_hidden: 'hidden',
    archive_reveal: 'Show numbers', archive_reveal_reason_edit: 'edit contact details',
    archive_erased: (when) => `Personal data erased (${when})`,
    archive_consent: 'Consent',
    archive_consent_sms: 'SMS', archive_consent_email: 'E-mail', archive_consent_phone: 'Phone', archive_consent_marketing: 'Marketing',
    archive_opted_out: (at) => `Opted out by reply (${at})`,
    archive_preferred_channel: 'Reminders by',
    archive_channel_sms: 'SMS', archive_channel_email: 'E-mail',
    archive_needs: 'Personal needs',
    archive_need_pickup: 'Pick-up', archive_need_delivery: 'Delivery', archive_need_accessories: 'Accessories',
    archive_need_insurance_renewal: 'Insurance renewal', archive_need_claim: 'Insurance claim', archive_need_wash: 'Car wash',
    archive_needs_note: 'Needs note', archive_notes: 'Notes',
    archive_contact_confirmed_at: 'Contact details confirmed', archive_never: 'Never',
    archive_created_at: 'On file since',
    archive_edit: 'Edit', archive_edit_customer: 'Edit customer', archive_edit_vehicle: 'Edit vehicle',
    archive_add_phone: 'Add a phone', archive_remove: 'Remove', archive_blank: '',
    archive_phone_number: 'Number', archive_phone_label: 'Kind',
    archive_no_changes: 'Nothing changed.',
    archive_saved: 'Saved.',
    archive_contact_question_title: 'Change of contact details',
    archive_contact_question: 'The phones, e-mail or address changed. Did the customer agree to the change?',
    archive_consent_yes: 'Yes, change them',
    archive_consent_no: 'No, keep the old details',
    archive_consent_back: 'Back to the form',
    archive_contact_recorded: 'The customer agreed: the new contact details are saved and recorded in the contact history.',
    archive_contact_declined: 'The customer declined: the old contact details are kept, and the refusal is recorded in the contact history. Other changes are saved.',
    archive_masked_form: 'This role cannot see the full contact details, so phones, e-mail and address cannot be changed here.',
    archive_drivers: 'Drivers who bring the car',
    archive_driver_name: 'Name', archive_driver_phone: 'Phone', archive_driver_relation: 'Relation',
    archive_driver_add: 'Add driver', archive_driver_added: 'Driver added.', archive_driver_removed: 'Driver removed.',
    archive_driver_remove_q: (n) => `Remove the driver “${n}”?`,
    archive_vehicles: 'Vehicles',
    archive_plate: 'Plate', archive_brand_model: 'Make and model', archive_brand: 'Make', archive_model: 'Model',
    archive_model_year: 'Model year', archive_mileage: 'Mileage', archive_next_service: 'Next service',
    archive_last_visit: 'Last visit', archive_last_service: 'Last service',
    archive_no_plate: '(no plate yet)',
    archive_contact_history: 'Contact details history',
    archive_at: 'When', archive_by: 'By', archive_event: 'Event', archive_field: 'Field',
    archive_old_value: 'Before', archive_new_value: 'After', archive_note: 'Note',
    archive_event_changed: 'Changed', archive_event_declined: 'Customer declined', archive_event_confirmed: 'Confirmed',
    archive_confirm_contact: 'Customer confirmed the details',
    archive_confirm_declined: 'Customer would not confirm',
    archive_confirm_note: 'Note (optional)',
    archive_confirmed_ok: 'The confirmation is recorded.',
    archive_declined_ok: 'The refusal is recorded.',
    archive_tasks: 'Calls and reminders',
    archive_task_type: 'Type', archive_task_status: 'Status', archive_task_window: 'On the list', archive_task_reason: 'Reason',
    archive_task_last: 'Last outcome', archive_attempts: 'Unanswered',
    archive_tt_maintenance_message: 'Service reminder message', archive_tt_maintenance_call: 'Service reminder call',
    archive_tt_maintenance_second_call: 'Second service call', archive_tt_followup: 'Follow-up call',
    archive_tt_first_maintenance: 'First service reminder', archive_tt_lost_customer: 'Lost customer call',
    archive_tt_insurance_renewal: 'Insurance renewal', archive_tt_annual_inspection: 'Annual inspection',
    archive_tt_callback: 'Call-back', archive_tt_campaign: 'Campaign / recall', archive_tt_appointment_confirm: 'Confirm booking time',
    archive_ts_open: 'Open', archive_ts_done: 'Done', archive_ts_cancelled: 'Cancelled', archive_ts_expired: 'Expired',
    archive_out_reached: 'Reached', archive_out_booked: 'Booked', archive_out_undecided: 'Undecided', archive_out_declined: 'Declined',
    archive_out_wrong_number: 'Wrong number', archive_out_no_answer: 'No answer', archive_out_busy: 'Busy',
    archive_out_call_back_later: 'Call back later',
    archive_messages: 'Texts and e-mails',
    archive_msg_time: 'When', archive_msg_kind: 'Kind', archive_msg_channel: 'Channel', archive_msg_recipient: 'To',
    archive_msg_status: 'Status', archive_msg_body: 'Text',
    archive_mk_maintenance_reminder: 'Service reminder', archive_mk_appointment_reminder: 'Booking reminder',
    archive_mk_parts_escalation: 'Parts escalation', archive_mk_campaign_recall: 'Recall notice',
    archive_mk_campaign_tech_upgrade: 'Technical upgrade', archive_mk_campaign_promotion: 'Promotion',
    archive_mk_campaign_holiday: 'Holiday greeting',
    archive_ms_queued: 'Queued', archive_ms_sent: 'Sent', archive_ms_failed: 'Failed', archive_ms_suppressed: 'Not sent (no consent, opted out, or no address)', archive_ms_cancelled: 'Withdrawn (booking cancelled or moved)',
    archive_appointments: 'Bookings',
    archive_appt_time: 'When', archive_appt_status: 'Status', archive_appt_work: 'Work', archive_appt_bay: 'Bay / technician',
    archive_appt_estimate: 'Estimate', archive_appt_period: (a, b) => `${a} to ${b}`,
    archive_as_tentative: 'Tentative', archive_as_confirmed: 'Confirmed', archive_as_arrived: 'Arrived',
    archive_as_in_service: 'In service', archive_as_completed: 'Completed', archive_as_no_show: 'No-show', archive_as_cancelled: 'Cancelled',
    archive_audit: 'Change log (audit)',
    archive_action: 'Action', archive_changes: 'Changes',
    archive_aa_create: 'Created', archive_aa_update: 'Changed', archive_aa_delete: 'Deleted', archive_aa_confirm_contact: 'Contact confirmed',
    archive_aa_attempt: 'Call', archive_aa_generate: 'Generated', archive_aa_complete: 'Completed', archive_aa_send: 'Sent', archive_aa_retry: 'Retried',
    archive_vehicle: 'Vehicle',
    archive_vin: 'VIN', archive_vin_check: 'VIN check', archive_sms_opt_out: 'SMS opt-out', archive_vin_verified: 'check digit OK', archive_vin_unverified: 'not verified',
    archive_purchase_date: 'Bought', archive_owner: 'Owner',
    archive_mileage_at: (k, d) => `${k} (${d})`,
    archive_due: (d, k) => `${d} or ${k}, whichever comes first`,
    archive_basis_time: 'by time', archive_basis_mileage: 'by mileage',
    archive_overdue: 'overdue', archive_due_soon: 'due soon',
    archive_insurance_expiry: 'Insurance expires', archive_inspection_expiry: 'Inspection due',
    archive_book: 'Book',
    archive_readings: 'Odometer readings',
    archive_reading_date: 'Date', archive_reading_km: 'Mileage (km)', archive_reading_source: 'Source',
    archive_src_manual: 'Entered', archive_src_service: 'Repair order', archive_src_call: 'Phone call', archive_src_sale: 'Sale',
    archive_add_reading: 'Record mileage', archive_reading_added: 'Mileage recorded; the next service is recomputed.',
    archive_service_history: 'Service history',
    archive_sr_date: 'Date', archive_sr_kind: 'Kind', archive_sr_mileage: 'Mileage', archive_sr_people: 'Advisor / technician',
    archive_sr_items: 'Work', archive_sr_total: 'Amount',
    archive_sr_summary: (l, p) => `${l} labour, ${p} parts`,
    archive_sr_labour: 'Labour', archive_sr_parts: 'Parts',
    archive_kind_maintenance: 'Maintenance', archive_kind_repair: 'Repair', archive_kind_warranty: 'Warranty', archive_kind_recall: 'Recall',
    archive_kind_accident: 'Accident', archive_kind_other: 'Other',
    archive_clear_hint: 'Leave empty to clear.',
    archive_err_mileage_inconsistent: 'The mileage contradicts an earlier reading: an odometer only counts up.',
    archive_err_mileage_earlier: (d, k) => `The reading of ${d} already shows ${k}; a new one cannot be lower.`,
    archive_err_mileage_later: (d, k) => `The reading of ${d} shows only ${k}; a new one cannot be higher.`,
    archive_err_invalid_date: 'Invalid date (it cannot be in the future).',
    archive_err_invalid_phone: 'Not a valid phone number (11-digit mobile, or landline with area code).',
    archive_err_invalid_email: 'Not a valid e-mail address.',
    archive_err_invalid_plate: 'Not a valid plate.',
    archive_err_conflict: 'Conflicts with an existing record (plate or VIN used by another vehicle of the store).',
  },
});

// ---- small helpers ----------------------------------------------------------------------

const label = (group, value) => (value === null || value === undefined || value === '' ? '—' : tx(`archive_${group}_${value}`, String(value)));

// What a failed call says, in the archive's words when it has them, the field named.
const errText = (r) => errorText(r, { own: (code) => tx('archive_err_' + code, undefined), fieldName });
const FIELD_KEYS = {
  name: 'archive_name', title: 'archive_title_field', type: 'archive_type', classification: 'archive_classification',
  phone: 'archive_phones', phones: 'archive_phones', email: 'archive_email', address: 'archive_address',
  consent: 'archive_consent', needs: 'archive_needs', needs_note: 'archive_needs_note', notes: 'archive_notes',
  preferred_channel: 'archive_preferred_channel', drivers: 'archive_drivers', relation: 'archive_driver_relation', plate: 'archive_plate', brand: 'archive_brand', model: 'archive_model',
  model_year: 'archive_model_year', insurance_expiry: 'archive_insurance_expiry', inspection_expiry: 'archive_inspection_expiry',
  km: 'archive_reading_km', date: 'archive_reading_date', vin: 'archive_vin', purchase_date: 'archive_purchase_date',
  customer_id: 'archive_owner', mileage_km: 'archive_mileage', vin_verified: 'archive_vin_check',
  sms_opted_out_at: 'archive_sms_opt_out',
};
function fieldName(f) {
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$/.exec(String(f));
  if (!m || !FIELD_KEYS[m[1]]) return String(f);
  const [, base, index, sub] = m;
  let s = t(FIELD_KEYS[base]);
  if (index !== undefined) s += ' ' + (Number(index) + 1);
  if (sub) s += ' · ' + (base === 'consent' ? label('consent', sub) : sub);
  return s;
}

const isId = (s) => /^[1-9]\d{0,17}$/.test(String(s || ''));
const card = (titleKey, ...children) => el('section', { class: 'card archive-section' }, el('h2', {}, t(titleKey)), ...children);
const hidden = () => el('span', { class: 'muted' }, t('archive_hidden'));
const d8 = (iso) => date(iso, false);

// A definition list: [[label key, value (string | Node | array)], ...]; an empty value shows '—'.
function facts(rows) {
  return el('dl', { class: 'archive-facts' }, rows.map(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}


// The rows of a paged list ({items, next_cursor}) as a table; "more" fetches the next page.
// Fills itself when the response arrives. A next page that fails leaves the rows shown and
// says so under them; "more" then tries it again.
function pagedList(path, columns, opts = {}) {
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

// A phone number as digits, for comparing what is on file with what the form holds.
function phoneKey(n) {
  let d = String(n || '').replace(/[^\d]/g, '');
  if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return d;
}

function entityLink(kind, id, text) {
  return el('a', { href: `#/archive?${kind}=${id}`, class: 'archive-link' }, text);
}

// ---- shared lists (tasks, messages, appointments, audit) ---------------------------------

function taskCard(query) {
  return pagedCard('archive_tasks', '/tasks?' + query, [
    { key: 'archive_task_type', get: (x) => label('tt', x.type) },
    { key: 'archive_task_status', get: (x) => el('span', { class: 'tag ' + (x.status === 'open' ? 'warn' : x.status === 'done' ? 'ok' : '') }, label('ts', x.status)) },
    { key: 'archive_task_window', get: (x) => `${d8(x.due_date)} – ${d8(x.deadline)}` },
    { key: 'archive_task_reason', get: (x) => dash(x.reason) },
    { key: 'archive_task_last', get: (x) => (x.last_outcome ? [label('out', x.last_outcome), x.last_attempt_at ? el('div', { class: 'muted' }, timestamp(x.last_attempt_at)) : null] : '—') },
    { key: 'archive_attempts', get: (x) => String(x.attempts ?? 0), class: 'num' },
  ], { id: 'archive-tasks' });
}

function messageCard(query) {
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

function appointmentTable(items, withPlate) {
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

function auditCard(entity, id) {
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

// ---- the search page ------------------------------------------------------------------------

let lastQuery = ''; // kept while the console is open, so "back to search" finds the same list

function resultButton(x) {
  if (x.type === 'vehicle') {
    return el('button', { type: 'button', class: 'search-result archive-result', dataset: { vehicleId: x.id }, onclick: () => go('archive', { vehicle: x.id }) },
      el('span', { class: 'tag' }, t('archive_vehicle_result')),
      el('strong', { class: 'archive-plate' }, x.plate || t('archive_no_plate')),
      el('span', {}, [x.brand, x.model, x.model_year].filter(Boolean).join(' ')),
      el('span', {}, person(x.owner)),
      x.vin ? el('span', { class: 'muted' }, x.vin) : null,
      x.matched ? el('span', { class: 'muted archive-matched' }, t('archive_matched', tx('archive_match_' + x.matched, x.matched))) : null);
  }
  return el('button', { type: 'button', class: 'search-result archive-result', dataset: { customerId: x.id }, onclick: () => go('archive', { customer: x.id }) },
    el('span', { class: 'tag' }, t('archive_customer_result')),
    el('strong', {}, person(x)),
    el('span', {}, label('type', x.customer_type)),
    x.classification ? el('span', { class: 'tag ' + classTag(x.classification) }, label('class', x.classification)) : null,
    x.phone ? el('span', {}, x.phone) : null,
    el('span', { class: 'muted' }, t('archive_vehicles_n', x.vehicle_count ?? 0)),
    x.matched ? el('span', { class: 'muted archive-matched' }, t('archive_matched', tx('archive_match_' + x.matched, x.matched))) : null);
}

function classTag(c) {
  return { vip: 'ok', at_risk: 'warn', lost: 'bad' }[c] || '';
}

function searchPage(root, ctx) {
  const input = el('input', {
    id: 'archive-search', type: 'search', autocomplete: 'off', value: lastQuery,
    placeholder: t('archive_search_placeholder'), 'aria-label': t('archive_search_label'),
    'aria-controls': 'archive-results',
  });
  const status = el('p', { id: 'archive-search-status', class: 'muted', 'aria-live': 'polite' });
  const results = el('div', { id: 'archive-results', class: 'archive-results' });
  let seq = 0;
  let sent = null; // the last query asked (Enter after the search as typed does not ask again)
  const run = async () => {
    const q = input.value.trim();
    lastQuery = input.value;
    if (q === sent) return;
    const mine = ++seq;
    if (!searchable(q)) { sent = null; clear(results); status.textContent = q ? t('archive_search_hint') : ''; return; }
    sent = q;
    status.textContent = t('archive_searching');
    const r = await api('GET', '/search?q=' + encodeURIComponent(q));
    if (mine !== seq || !ctx.alive) return; // a newer query was typed meanwhile
    if (r.status !== 200) { sent = null; status.textContent = ''; clear(results, errorLine(errText(r))); return; }
    const items = r.data.results || [];
    status.textContent = items.length ? t('archive_results', items.length) : t('archive_no_results');
    clear(results, items.map(resultButton));
  };
  const later = debounce(run, 200);
  input.addEventListener('input', later);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); run(); }
    if (e.key === 'ArrowDown') { const b = results.querySelector('button'); if (b) { e.preventDefault(); b.focus(); } }
  });
  results.addEventListener('keydown', (e) => {
    const list = [...results.querySelectorAll('button.search-result')];
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown' && list[i + 1]) { e.preventDefault(); list[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (list[i - 1] || input).focus(); }
  });

  clear(root,
    el('div', { class: 'toolbar' }, el('h1', {}, t('archive_title'))),
    el('section', { class: 'card archive-search-card' },
      el('label', { class: 'archive-search-label', for: 'archive-search' }, t('archive_search_label')),
      input, status, results),
    browseCard(ctx));
  input.focus();
  if (lastQuery) run();
}

// CRM-2: the archive by class and type.
function browseCard(ctx) {
  const cls = el('select', { name: 'classification' }, el('option', { value: '' }, t('archive_any')),
    ['regular', 'vip', 'at_risk', 'lost'].map((c) => el('option', { value: c }, label('class', c))));
  const type = el('select', { name: 'type' }, el('option', { value: '' }, t('archive_any')),
    ['individual', 'company'].map((c) => el('option', { value: c }, label('type', c))));
  const out = el('div', { id: 'archive-browse' });
  const show = () => {
    const q = new URLSearchParams();
    if (cls.value) q.set('classification', cls.value);
    if (type.value) q.set('type', type.value);
    clear(out, pagedList('/customers?' + q, [
      { key: 'archive_name', get: (c) => entityLink('customer', c.id, person(c)) },
      { key: 'archive_type', get: (c) => label('type', c.type) },
      { key: 'archive_classification', get: (c) => el('span', { class: 'tag ' + classTag(c.classification) }, label('class', c.classification)) },
      { key: 'archive_phones', get: (c) => dash(c.phone) },
      { key: 'archive_vehicles', get: (c) => String(c.vehicle_count ?? 0), class: 'num' },
    ], { limit: 50 }));
  };
  return el('section', { class: 'card archive-section' },
    el('h2', {}, t('archive_browse')),
    el('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); show(); } },
      field('archive_classification', cls), field('archive_type', type),
      el('button', { type: 'submit' }, t('archive_show'))),
    out);
}

// ---- the customer page ----------------------------------------------------------------------

const NEEDS = ['pickup', 'delivery', 'accessories', 'insurance_renewal', 'claim', 'wash'];
const CONSENTS = ['sms', 'email', 'phone', 'marketing'];
const PHONE_LABELS = ['mobile', 'home', 'work', 'other'];

async function customerPage(root, ctx, id, mine) {
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
    el('div', { class: 'cols archive-cols archive-cols-customer' },
      details,
      el('div', {},
        card('archive_vehicles', vehicleTable),
        driversCard(ctx, c))),
    can('task_work') ? taskCard('customer_id=' + c.id) : null,
    apptCard,
    can('task_work') ? messageCard('customer_id=' + c.id) : null,
    contactHistoryCard(ctx, c),
    can('audit_read') ? auditCard('customer', c.id) : null);
  ctx.flash = null;
}

function notFound(root, r) {
  clear(root,
    el('div', { class: 'toolbar' }, el('a', { href: '#/archive', class: 'button archive-back' }, '← ' + t('archive_back_search'))),
    errorLine(r.status === 404 ? t('archive_not_found') : t('load_failed', errText(r))));
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

// The control the server rejected (its error names the field) is marked and focused; each
// submit starts unmarked.
function mark(form, name) {
  const ctl = name && form.querySelector(`[name="${CSS.escape(String(name))}"]`);
  if (ctl) { ctl.setAttribute('aria-invalid', 'true'); ctl.focus(); }
}

function unmark(form) {
  for (const ctl of form.querySelectorAll('[aria-invalid]')) ctl.removeAttribute('aria-invalid');
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

// ---- the vehicle page ---------------------------------------------------------------------------

// MR-1: the next service, with a tag when it is near or past.
function nextService(v, short) {
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

async function vehiclePage(root, ctx, id, mine) {
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

// ---- the screen -----------------------------------------------------------------------------------

registerScreen({
  id: 'archive',
  nav: 'archive_nav',
  allowed: () => can('archive_read'),
  async render(root, params) {
    // seq counts the draws: a reload that a newer one overtook draws nothing.
    const ctx = { alive: true, flash: null, reload: null, seq: 0 };
    let first = true;
    const show = async () => {
      const mine = ++ctx.seq;
      const y = first ? 0 : window.scrollY;
      first = false;
      if (isId(params.customer)) await customerPage(root, ctx, params.customer, mine);
      else if (isId(params.vehicle)) await vehiclePage(root, ctx, params.vehicle, mine);
      else if (params.customer || params.vehicle) notFound(root, { status: 404, data: {} });
      else { searchPage(root, ctx); return; }
      if (mine !== ctx.seq) return;
      window.scrollTo(0, y);
    };
    ctx.reload = () => { if (ctx.alive) show(); };
    clear(root, loadingLine());
    await show();
    return () => { ctx.alive = false; };
  },
});
