/* Per-store settings: the numbers of the rules (REQUIREMENTS: "that number is the default
 * and is configurable per store"). */
#include "core/calendar.h"
#include "core/outbox.h"
#include "core/tasks.h"
#include "store/internal.h"
#include "store/settings.h"

#define SETTINGS_COLS                                                                              \
    "store_phone, default_daily_km, message_days, call_days, call_window_days, followup_days, "    \
    "followup_window_days, month_deadline_day, lost_months, lost_basis, renewal_days, "            \
    "max_attempts, callback_busy_minutes, callback_parts_minutes, generate_at, quiet_from, "       \
    "quiet_until, float_min, slot_step_min, escalation_emails, booked_perk_codes, "                \
    "no_show_grace_min, no_show_hold_days, receivable_days, complaint_ack_hours, "                 \
    "complaint_resolve_days, followup_questions, class_vip_spend_fen, class_vip_visits, "          \
    "class_at_risk_days, class_lost_months, call_spacing_days"

static int minutes(const char *hhmm)
{
    int m = 0;
    struct dms_error ignore;
    return outbox_parse_hhmm(hhmm, &m, "time", &ignore) == 0 ? m : 0;
}

static int row(struct db_res *res, void *out)
{
    struct store_settings *s = out;
    memset(s, 0, sizeof *s);
    col_copy(s->store_phone, sizeof s->store_phone, res, 0);
    s->default_daily_km = (int)db_int(res, 1);
    s->tasks.message_days = (int)db_int(res, 2);
    s->tasks.call_days = (int)db_int(res, 3);
    s->tasks.call_window_days = (int)db_int(res, 4);
    s->tasks.followup_days = (int)db_int(res, 5);
    s->tasks.followup_window_days = (int)db_int(res, 6);
    s->tasks.month_deadline_day = (int)db_int(res, 7);
    s->tasks.lost_months = (int)db_int(res, 8);
    col_copy(s->lost_basis, sizeof s->lost_basis, res, 9);
    s->tasks.renewal_days = (int)db_int(res, 10);
    s->tasks.max_attempts = (int)db_int(res, 11);
    s->callback_busy_minutes = (int)db_int(res, 12);
    s->callback_parts_minutes = (int)db_int(res, 13);
    s->generate_at = minutes(db_text(res, 14));
    s->quiet_from = minutes(db_text(res, 15));
    s->quiet_until = minutes(db_text(res, 16));
    s->float_min = (int)db_int(res, 17);
    s->slot_step_min = (int)db_int(res, 18);
    col_copy(s->escalation_emails, sizeof s->escalation_emails, res, 19);
    col_copy(s->booked_perk_codes, sizeof s->booked_perk_codes, res, 20);
    s->no_show_grace_min = (int)db_int(res, 21);
    s->no_show_hold_days = (int)db_int(res, 22);
    s->receivable_days = (int)db_int(res, 23);
    s->complaint_ack_hours = (int)db_int(res, 24);
    s->complaint_resolve_days = (int)db_int(res, 25);
    col_copy(s->followup_questions, sizeof s->followup_questions, res, 26);
    s->class_vip_spend_fen = db_int(res, 27);
    s->class_vip_visits = (int)db_int(res, 28);
    s->class_at_risk_days = (int)db_int(res, 29);
    s->class_lost_months = (int)db_int(res, 30);
    s->call_spacing_days = (int)db_int(res, 31);
    return 0;
}

int settings_get(struct db *db, int64_t store_id, struct store_settings *out, struct dms_error *err)
{
    int rc =
        store_one(db, row, out, err,
                  "SELECT " SETTINGS_COLS " FROM store_settings WHERE store_id = ?", "i", store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no settings for store %lld", (long long)store_id);
    return rc < 0 ? -1 : 0;
}

int settings_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                    struct store_settings *prev, struct store_settings *out, struct dms_error *err)
{
    struct store_settings was;
    const struct store_settings *p = &was, *n = out;
    if (store_lock_row(db, "store_settings", "store_id", a->store_id, a->store_id, err) < 0 ||
        settings_get(db, a->store_id, &was, err) < 0)
        return -1;
    *out = was;
    if (edit(ctx, out, err) < 0)
        return -1;
    if (prev)
        *prev = was;
    char now[TIMESTAMP_STR], gen[8], qf[8], qu[8], pgen[8], pqf[8], pqu[8];
    timestamp_format_utc(a->now, now);
    hhmm_format(n->generate_at, gen), hhmm_format(n->quiet_from, qf),
        hhmm_format(n->quiet_until, qu);
    hhmm_format(p->generate_at, pgen), hhmm_format(p->quiet_from, pqf),
        hhmm_format(p->quiet_until, pqu);
    const struct task_settings *t = &n->tasks;
    int rc = db_exec(
        db,
        "UPDATE store_settings SET store_phone = ?, default_daily_km = ?, "
        "message_days = ?, call_days = ?, call_window_days = ?, followup_days = ?, "
        "followup_window_days = ?, month_deadline_day = ?, lost_months = ?, "
        "lost_basis = ?, renewal_days = ?, max_attempts = ?, "
        "callback_busy_minutes = ?, callback_parts_minutes = ?, generate_at = ?, "
        "quiet_from = ?, quiet_until = ?, float_min = ?, slot_step_min = ?, "
        "escalation_emails = ?, booked_perk_codes = ?, no_show_grace_min = ?, "
        "no_show_hold_days = ?, receivable_days = ?, complaint_ack_hours = ?, "
        "complaint_resolve_days = ?, followup_questions = ?, class_vip_spend_fen = ?, "
        "class_vip_visits = ?, class_at_risk_days = ?, class_lost_months = ?, "
        "call_spacing_days = ?, updated_at = ? WHERE store_id = ?",
        "tiiiiiiiisiiiisssiitsiiiiisiiiiisi", n->store_phone, (int64_t)n->default_daily_km,
        (int64_t)t->message_days, (int64_t)t->call_days, (int64_t)t->call_window_days,
        (int64_t)t->followup_days, (int64_t)t->followup_window_days, (int64_t)t->month_deadline_day,
        (int64_t)t->lost_months, n->lost_basis, (int64_t)t->renewal_days, (int64_t)t->max_attempts,
        (int64_t)n->callback_busy_minutes, (int64_t)n->callback_parts_minutes, gen, qf, qu,
        (int64_t)n->float_min, (int64_t)n->slot_step_min, n->escalation_emails,
        n->booked_perk_codes, (int64_t)n->no_show_grace_min, (int64_t)n->no_show_hold_days,
        (int64_t)n->receivable_days, (int64_t)n->complaint_ack_hours,
        (int64_t)n->complaint_resolve_days, n->followup_questions, n->class_vip_spend_fen,
        (int64_t)n->class_vip_visits, (int64_t)n->class_at_risk_days, (int64_t)n->class_lost_months,
        (int64_t)n->call_spacing_days, now, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    const struct task_settings *o = &p->tasks;
    json_t *ch = json_object();
    audit_text(ch, "store_phone", p->store_phone, n->store_phone);
    audit_int(ch, "default_daily_km", p->default_daily_km, n->default_daily_km);
    audit_int(ch, "message_days", o->message_days, t->message_days);
    audit_int(ch, "call_days", o->call_days, t->call_days);
    audit_int(ch, "call_window_days", o->call_window_days, t->call_window_days);
    audit_int(ch, "followup_days", o->followup_days, t->followup_days);
    audit_int(ch, "followup_window_days", o->followup_window_days, t->followup_window_days);
    audit_int(ch, "month_deadline_day", o->month_deadline_day, t->month_deadline_day);
    audit_int(ch, "lost_months", o->lost_months, t->lost_months);
    audit_text(ch, "lost_basis", p->lost_basis, n->lost_basis);
    audit_int(ch, "renewal_days", o->renewal_days, t->renewal_days);
    audit_int(ch, "max_attempts", o->max_attempts, t->max_attempts);
    audit_int(ch, "callback_busy_minutes", p->callback_busy_minutes, n->callback_busy_minutes);
    audit_int(ch, "callback_parts_minutes", p->callback_parts_minutes, n->callback_parts_minutes);
    audit_text(ch, "generate_at", pgen, gen);
    audit_text(ch, "quiet_from", pqf, qf);
    audit_text(ch, "quiet_until", pqu, qu);
    audit_int(ch, "float_min", p->float_min, n->float_min);
    audit_int(ch, "slot_step_min", p->slot_step_min, n->slot_step_min);
    audit_text(ch, "escalation_emails", p->escalation_emails, n->escalation_emails);
    audit_text(ch, "booked_perk_codes", p->booked_perk_codes, n->booked_perk_codes);
    audit_int(ch, "no_show_grace_min", p->no_show_grace_min, n->no_show_grace_min);
    audit_int(ch, "no_show_hold_days", p->no_show_hold_days, n->no_show_hold_days);
    audit_int(ch, "receivable_days", p->receivable_days, n->receivable_days);
    audit_int(ch, "complaint_ack_hours", p->complaint_ack_hours, n->complaint_ack_hours);
    audit_int(ch, "complaint_resolve_days", p->complaint_resolve_days, n->complaint_resolve_days);
    audit_text(ch, "followup_questions", p->followup_questions, n->followup_questions);
    audit_int(ch, "class_vip_spend_fen", p->class_vip_spend_fen, n->class_vip_spend_fen);
    audit_int(ch, "class_vip_visits", p->class_vip_visits, n->class_vip_visits);
    audit_int(ch, "class_at_risk_days", p->class_at_risk_days, n->class_at_risk_days);
    audit_int(ch, "class_lost_months", p->class_lost_months, n->class_lost_months);
    audit_int(ch, "call_spacing_days", p->call_spacing_days, n->call_spacing_days);
    rc = audit_write(db, a, "update", "store_settings", a->store_id, ch, err);
    json_decref(ch);
    return rc;
}
