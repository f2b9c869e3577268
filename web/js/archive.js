// The archive (CRM-1..CRM-6, MR-1): find a customer or a vehicle, read everything the store
// knows about them (contact details and consent, drivers, needs, vehicles, the next service,
// odometer readings, repair orders, calls, messages, bookings, the audit trail) and keep it
// current: edit the customer (a change of contact details only with the customer's consent,
// CRM-4), drivers (CRM-5), the vehicle, a new odometer reading.
// This module is the screen: its texts, the search page and the route; the customer's page is
// customer_card.js, the vehicle's vehicle_card.js, and what they share archive_common.js.
import {
  addText, api, can, clear, dash, debounce, el, errorLine, field, go, loadingLine, person, registerScreen, searchable,
  t, tx,
} from './core.js';
import { classTag, entityLink, errText, label, notFound, pagedList } from './archive_common.js';
import { customerPage } from './customer_card.js';
import { vehiclePage } from './vehicle_card.js';

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
    archive_customer: '客户', archive_print_card: '打印客户管理卡',
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
    archive_tt_callback: '回电', archive_tt_campaign: '活动 / 召回', archive_tt_appointment_confirm: '预约时间确认', archive_tt_no_show_rebook: '爽约改约',
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
    archive_customer: 'Customer', archive_print_card: 'Print the customer card',
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
    archive_tt_callback: 'Call-back', archive_tt_campaign: 'Campaign / recall', archive_tt_appointment_confirm: 'Confirm booking time', archive_tt_no_show_rebook: 'No-show: rebook',
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

const isId = (s) => /^[1-9]\d{0,17}$/.test(String(s || ''));

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
