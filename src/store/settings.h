/* Store settings (settings.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_SETTINGS_H
#define DMS_STORE_SETTINGS_H

#include <stdint.h>

#include "core/phone.h"
#include "core/tasks.h"
#include "store/store.h"

#define SETTINGS_EMAILS_MAX              1024
#define SETTINGS_FOLLOWUP_QUESTIONS_MAX  8
#define SETTINGS_FOLLOWUP_QUESTION_CHARS 40
struct store_settings {
    char store_phone[PHONE_MAX];
    int default_daily_km; /* MR-1: average when the readings are too few */
    struct task_settings tasks;
    char lost_basis[16];                               /* CS-4: due_date or last_visit */
    int callback_busy_minutes, callback_parts_minutes; /* IN-1, IN-5 */
    int generate_at;             /* minutes after local midnight of the morning run */
    int quiet_from, quiet_until; /* minutes; no SMS in between (wraps midnight) */
    int float_min;     /* IN-13: minutes a booked bay stays held after the job's end, 0-240 */
    int slot_step_min; /* minutes between offered start times: 5, 10, 15, 20, 30 or 60 */
    /* IN-18: who hears of a shortage that risks a complaint, e-mails separated by ", " */
    char escalation_emails[SETTINGS_EMAILS_MAX];
    /* RO-1: operation codes done free for booked customers, "WASH,M00" (normal form) */
    char booked_perk_codes[256];
    int no_show_grace_min;      /* RO-9: after closing, 0-720 */
    int no_show_hold_days;      /* RO-9: a no-show's parts stay reserved this long, 0-60 */
    int receivable_days;        /* RO-7: an on-account bill is due in, 1-365 */
    int complaint_ack_hours;    /* CS-6: a complaint is acknowledged within, 1-168 */
    int complaint_resolve_days; /* CS-6: ... and resolved within, 1-90 */
    /* CS-1: the follow-up call's yes/no questions, one per line, at most
     * SETTINGS_FOLLOWUP_QUESTIONS_MAX of at most SETTINGS_FOLLOWUP_QUESTION_CHARS characters */
    char followup_questions[SETTINGS_FOLLOWUP_QUESTIONS_MAX *
                            (SETTINGS_FOLLOWUP_QUESTION_CHARS * 4 + 1)];
    /* CRM-2: VIP at this spend (fen) or these visits in 12 months; at risk when periodic
     * maintenance is overdue by more than class_at_risk_days; lost after class_lost_months
     * without a visit */
    int64_t class_vip_spend_fen;
    int class_vip_visits, class_at_risk_days, class_lost_months;
    int call_spacing_days; /* CS-9: days between two calls to one customer, 0 = no spacing */
};
int settings_get(struct db *db, int64_t store_id, struct store_settings *out,
                 struct dms_error *err);
/* Edits the store's settings (store_edit on a struct store_settings; edit validates) with an
 * audit row of what changed; *prev gets them as they were (may be NULL), *out as they are. */
int settings_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                    struct store_settings *prev, struct store_settings *out, struct dms_error *err);

#endif
