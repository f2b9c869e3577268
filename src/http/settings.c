/* The store's settings: /api/v1/settings, also at its first path /api/v1/store/settings. */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/calendar.h"
#include "core/email.h"
#include "core/outbox.h"
#include "core/phone.h"
#include "core/tasks.h"
#include "core/text.h"
#include "http/http.h"
#include "store/operations.h"
#include "store/plans.h"
#include "store/repair_orders.h"
#include "store/settings.h"

/* "a@x.cn, b@y.cn" as a list. */
static json_t *emails_value(const char *list)
{
    json_t *a = json_array();
    char copy[SETTINGS_EMAILS_MAX];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *e = strtok_r(copy, ", ", &save); e; e = strtok_r(NULL, ", ", &save))
        json_array_append_new(a, json_string(e));
    return a;
}

/* CS-1: the follow-up questions, kept one per line. */
static json_t *lines_value(const char *text)
{
    json_t *a = json_array();
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n)
            json_array_append_new(a, json_stringn(p, n));
        p += n + (nl != NULL);
    }
    return a;
}

static json_t *view_settings(const struct store_settings *s)
{
    char gen[8], qf[8], qu[8];
    hhmm_format(s->generate_at, gen), hhmm_format(s->quiet_from, qf),
        hhmm_format(s->quiet_until, qu);
    const struct task_settings *t = &s->tasks;
    return json_pack(
        "{s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:i, s:i, s:i, s:i, "
        "s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:o, s:I, s:i, s:i, s:i, "
        "s:i}",
        "store_phone", jstr_or_null(s->store_phone), "default_daily_km", s->default_daily_km,
        "message_days", t->message_days, "call_days", t->call_days, "call_window_days",
        t->call_window_days, "followup_days", t->followup_days, "followup_window_days",
        t->followup_window_days, "month_deadline_day", t->month_deadline_day, "lost_months",
        t->lost_months, "lost_basis", s->lost_basis, "renewal_days", t->renewal_days,
        "max_attempts", t->max_attempts, "callback_busy_minutes", s->callback_busy_minutes,
        "callback_parts_minutes", s->callback_parts_minutes, "generate_at", gen, "quiet_from", qf,
        "quiet_until", qu, "float_min", s->float_min, "slot_step_min", s->slot_step_min,
        "escalation_emails", emails_value(s->escalation_emails), "booked_perk_codes",
        emails_value(s->booked_perk_codes), "no_show_grace_min", s->no_show_grace_min,
        "no_show_hold_days", s->no_show_hold_days, "receivable_days", s->receivable_days,
        "complaint_ack_hours", s->complaint_ack_hours, "complaint_resolve_days",
        s->complaint_resolve_days, "followup_questions", lines_value(s->followup_questions),
        "class_vip_spend_fen", (json_int_t)s->class_vip_spend_fen, "class_vip_visits",
        s->class_vip_visits, "class_at_risk_days", s->class_at_risk_days, "class_lost_months",
        s->class_lost_months, "call_spacing_days", s->call_spacing_days);
}

/* RO-1: booked_perk_codes is a list of the catalogue's operation codes (at most
 * RO_MAX_PERK_CODES), done free for booked customers. */
static int perks_setting(struct req *r, char *out, size_t cap)
{
    json_t *a = json_object_get(r->body, "booked_perk_codes");
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > RO_MAX_PERK_CODES)
        return req_fail(r, "invalid_field", "booked_perk_codes",
                        "booked_perk_codes is a list of at most %d operation codes",
                        RO_MAX_PERK_CODES);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char code[OPERATION_CODE_MAX + 1];
        struct operation op;
        if (!json_is_string(e) ||
            booking_parse_code(json_string_value(e), json_string_length(e), code) < 0)
            return req_fail(r, "invalid_field", "booked_perk_codes",
                            "booked_perk_codes[%zu] is not an operation code", i);
        if (operations_get_by_code(r->db, &r->actor, code, &op, &r->err) < 0)
            return req_fail(r, "unknown_operation", "booked_perk_codes",
                            "booked_perk_codes[%zu]: no operation %s in the catalogue", i, code);
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "," : "", code);
        if (o >= cap)
            return req_fail(r, "invalid_field", "booked_perk_codes", "too many codes");
    }
    return 0;
}

/* CS-1: followup_questions is a list of at most SETTINGS_FOLLOWUP_QUESTIONS_MAX questions, each
 * 1-SETTINGS_FOLLOWUP_QUESTION_CHARS characters of one line, answered yes / no in the call. */
static int questions_setting(struct req *r, char *out, size_t cap)
{
    json_t *a = json_object_get(r->body, "followup_questions");
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > SETTINGS_FOLLOWUP_QUESTIONS_MAX)
        return req_fail(r, "invalid_field", "followup_questions",
                        "回访问题最多 %d 条 / followup_questions is a list of at most %d questions",
                        SETTINGS_FOLLOWUP_QUESTIONS_MAX, SETTINGS_FOLLOWUP_QUESTIONS_MAX);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char q[SETTINGS_FOLLOWUP_QUESTION_CHARS * 4 + 1];
        struct dms_error ignore;
        if (!json_is_string(e) ||
            text_clean(json_string_value(e), q, sizeof q, SETTINGS_FOLLOWUP_QUESTION_CHARS, false,
                       true, "followup_questions", &ignore) < 0)
            return req_fail(r, "invalid_field", "followup_questions",
                            "回访问题第 %zu 条应为 1-%d 个字 / followup_questions[%zu] is 1-%d "
                            "characters of text",
                            i + 1, SETTINGS_FOLLOWUP_QUESTION_CHARS, i,
                            SETTINGS_FOLLOWUP_QUESTION_CHARS);
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "\n" : "", q);
        if (o >= cap)
            return req_fail(r, "invalid_field", "followup_questions", "too many questions");
    }
    return 0;
}

/* IN-18: escalation_emails is a list of e-mail addresses (at most 10), kept normalised. */
static int emails_setting(struct req *r, char out[SETTINGS_EMAILS_MAX])
{
    json_t *a = json_object_get(r->body, "escalation_emails");
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > 10)
        return req_fail(r, "invalid_field", "escalation_emails",
                        "escalation_emails is a list of at most 10 e-mail addresses");
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char norm[EMAIL_MAX];
        if (!json_is_string(e) ||
            email_normalize(json_string_value(e), norm, "escalation_emails", &r->err) < 0)
            return req_fail(r, "invalid_email", "escalation_emails",
                            "escalation_emails[%zu] is not an e-mail address", i);
        o += (size_t)snprintf(out + o, SETTINGS_EMAILS_MAX - o, "%s%s", o ? ", " : "", norm);
        if (o >= SETTINGS_EMAILS_MAX)
            return req_fail(r, "invalid_field", "escalation_emails", "too many addresses");
    }
    return 0;
}

int h_settings_get(struct req *r)
{
    struct store_settings s;
    if (settings_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    return reply(r, 200, view_settings(&s));
}

static int int_setting(struct req *r, const char *key, int64_t min, int64_t max, int *field)
{
    int64_t v;
    int rc = jin_int(r->body, key, false, min, max, &v, &r->err);
    if (rc == JIN_VALUE)
        *field = (int)v;
    return rc < 0 ? -1 : 0;
}

static int time_setting(struct req *r, const char *key, int *field)
{
    const char *s;
    int rc = jin_string(r->body, key, false, &s, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_VALUE && outbox_parse_hhmm(s, field, key, &r->err) < 0)
        return -1;
    return 0;
}

/* The PATCH's fields over the settings as they are (store_edit). */
static int edit_settings(void *ctx, void *row, struct dms_error *err)
{
    (void)err; /* the parsers fill the request's */
    struct req *r = ctx;
    struct store_settings *next = row;
    struct task_settings *t = &next->tasks;
    static const char *const BASES[] = {"due_date", "last_visit"};
    int basis = strcmp(next->lost_basis, "last_visit") == 0;
    const char *phone;
    int rc = jin_string(r->body, "store_phone", false, &phone, &r->err);
    if (rc < 0)
        return -1;
    if (rc == JIN_NULL || (rc == JIN_VALUE && !*phone)) {
        next->store_phone[0] = '\0';
    } else if (rc == JIN_VALUE) {
        enum phone_kind kind;
        if (phone_normalize(phone, next->store_phone, &kind, "store_phone", &r->err) < 0)
            return -1;
    }
    if (int_setting(r, "default_daily_km", 1, 2000, &next->default_daily_km) < 0 ||
        int_setting(r, "message_days", 1, 90, &t->message_days) < 0 ||
        int_setting(r, "call_days", 1, 90, &t->call_days) < 0 ||
        int_setting(r, "call_window_days", 1, 30, &t->call_window_days) < 0 ||
        int_setting(r, "followup_days", 1, 30, &t->followup_days) < 0 ||
        int_setting(r, "followup_window_days", 1, 30, &t->followup_window_days) < 0 ||
        int_setting(r, "month_deadline_day", 1, 28, &t->month_deadline_day) < 0 ||
        int_setting(r, "lost_months", 1, 36, &t->lost_months) < 0 ||
        jin_enum(r->body, "lost_basis", false, BASES, 2, &basis, &r->err) < 0 ||
        int_setting(r, "renewal_days", 1, 120, &t->renewal_days) < 0 ||
        int_setting(r, "max_attempts", 1, 10, &t->max_attempts) < 0 ||
        int_setting(r, "callback_busy_minutes", 1, 240, &next->callback_busy_minutes) < 0 ||
        int_setting(r, "callback_parts_minutes", 1, 240, &next->callback_parts_minutes) < 0 ||
        time_setting(r, "generate_at", &next->generate_at) < 0 ||
        time_setting(r, "quiet_from", &next->quiet_from) < 0 ||
        time_setting(r, "quiet_until", &next->quiet_until) < 0 ||
        int_setting(r, "float_min", 0, 240, &next->float_min) < 0 ||
        int_setting(r, "slot_step_min", 5, 60, &next->slot_step_min) < 0 ||
        int_setting(r, "no_show_grace_min", 0, 720, &next->no_show_grace_min) < 0 ||
        int_setting(r, "no_show_hold_days", 0, 60, &next->no_show_hold_days) < 0 ||
        int_setting(r, "receivable_days", 1, 365, &next->receivable_days) < 0 ||
        int_setting(r, "complaint_ack_hours", 1, 168, &next->complaint_ack_hours) < 0 ||
        int_setting(r, "complaint_resolve_days", 1, 90, &next->complaint_resolve_days) < 0 ||
        jin_int(r->body, "class_vip_spend_fen", false, 0, 100000000000LL,
                &next->class_vip_spend_fen, &r->err) < 0 ||
        int_setting(r, "class_vip_visits", 1, 100, &next->class_vip_visits) < 0 ||
        int_setting(r, "class_at_risk_days", 0, 365, &next->class_at_risk_days) < 0 ||
        int_setting(r, "class_lost_months", 1, 60, &next->class_lost_months) < 0 ||
        int_setting(r, "call_spacing_days", 0, 60, &next->call_spacing_days) < 0 ||
        questions_setting(r, next->followup_questions, sizeof next->followup_questions) < 0 ||
        perks_setting(r, next->booked_perk_codes, sizeof next->booked_perk_codes) < 0)
        return -1;
    /* The CHECK of store_settings.slot_step_min: steps that divide the hour. */
    static const int STEPS[] = {5, 10, 15, 20, 30, 60};
    bool step_ok = false;
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++)
        step_ok = step_ok || next->slot_step_min == STEPS[i];
    if (!step_ok)
        return req_fail(r, "invalid_field", "slot_step_min",
                        "slot_step_min is one of 5, 10, 15, 20, 30, 60");
    if (emails_setting(r, next->escalation_emails) < 0)
        return -1;
    snprintf(next->lost_basis, sizeof next->lost_basis, "%s", BASES[basis]);
    return 0;
}

int h_settings_update(struct req *r)
{
    static const char *const fields[] = {"store_phone",
                                         "default_daily_km",
                                         "message_days",
                                         "call_days",
                                         "call_window_days",
                                         "followup_days",
                                         "followup_window_days",
                                         "month_deadline_day",
                                         "lost_months",
                                         "lost_basis",
                                         "renewal_days",
                                         "max_attempts",
                                         "callback_busy_minutes",
                                         "callback_parts_minutes",
                                         "generate_at",
                                         "quiet_from",
                                         "quiet_until",
                                         "float_min",
                                         "slot_step_min",
                                         "escalation_emails",
                                         "booked_perk_codes",
                                         "no_show_grace_min",
                                         "no_show_hold_days",
                                         "receivable_days",
                                         "complaint_ack_hours",
                                         "complaint_resolve_days",
                                         "followup_questions",
                                         "class_vip_spend_fen",
                                         "class_vip_visits",
                                         "class_at_risk_days",
                                         "class_lost_months",
                                         "call_spacing_days",
                                         NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct store_settings prev, next;
    if (settings_update(r->db, &r->actor, edit_settings, r, &prev, &next, &r->err) < 0)
        return -1;
    /* MR-1: the default daily km projects every car without enough readings. */
    if (next.default_daily_km != prev.default_daily_km &&
        schedule_recompute(r->db, &r->actor, 1, INT64_MAX, NULL, &r->err) < 0)
        return -1;
    return reply(r, 200, view_settings(&next));
}
