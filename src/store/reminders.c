/* IN-16: reminders of booked appointments, the day before and 30 minutes before, with the
 * service content and the estimated cost, through the outbox (MR-3's channels, consent and
 * templates). Run by dms serve's worker and by `dms appointments remind`, possibly by several
 * processes at once on one database (the dealer group's setup): each reminder is claimed on
 * the booking's row before it is written, so exactly one message goes per booking and
 * reminder (issue 11, defect 2). The message names its booking (appointment_id), so that
 * cancelling or moving the booking withdraws it while it is still queued. */
#include <stdlib.h>

#include "core/calendar.h"
#include "core/customer.h"
#include "core/email.h"
#include "core/outbox.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/template.h"
#include "store/appointments.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/settings.h"
#include "store/stores.h"

/* Minutes before the start the "soon" reminder goes. */
#define SOON_MINUTES 30

struct due_reminder {
    int64_t id, vehicle_id, customer_id;
    char day[DATE_STR];
    int start_min;
    int64_t total_fen;
    char name[CUSTOMER_NAME_CHARS * 4 + 1], title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char plate[PLATE_MAX_BYTES];
    char preferred[8];
    bool sms_ok, email_ok;
    char email[EMAIL_MAX], mobile[PHONE_MAX];
    bool soon; /* the 30-minute one, else the day before */
};

static int due_row(struct db_res *res, void *out)
{
    struct due_reminder *d = out;
    memset(d, 0, sizeof *d);
    d->id = db_int(res, 0);
    d->vehicle_id = db_int(res, 1);
    d->customer_id = db_int(res, 2);
    col_copy(d->day, sizeof d->day, res, 3);
    d->start_min = (int)db_int(res, 4);
    d->total_fen = db_int(res, 5);
    col_copy(d->name, sizeof d->name, res, 6);
    col_copy(d->title, sizeof d->title, res, 7);
    col_copy(d->plate, sizeof d->plate, res, 8);
    col_copy(d->preferred, sizeof d->preferred, res, 9);
    d->sms_ok = db_int(res, 10) == 1 && db_is_null(res, 11);
    d->email_ok = db_int(res, 12) == 1;
    col_copy(d->email, sizeof d->email, res, 13);
    col_copy(d->mobile, sizeof d->mobile, res, 14);
    d->soon = db_int(res, 15) != 0;
    return 0;
}

/* The operations' names, "更换机油机滤、更换前刹车片". */
static int content(struct db *db, int64_t id, char *out, size_t cap, struct dms_error *err)
{
    struct db_res *res;
    int rc =
        db_query(db, &res, "SELECT name FROM appointment_ops WHERE appointment_id = ? ORDER BY seq",
                 "i", id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    size_t o = 0;
    out[0] = '\0';
    while ((rc = db_step(res)) > 0 && o < cap)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "、" : "", db_text(res, 0));
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

struct remind_ctx {
    struct store_info store;
    struct store_settings st;
    struct message_template tpl[2]; /* sms, email */
};

/* Claims the reminder on the booking's row: only the pass whose UPDATE changes the row writes
 * the message. A second pass (another process, a retry) that read the booking before the
 * first committed waits for its row lock on PostgreSQL and then finds the flag set; on SQLite
 * the passes' write transactions take turns. The booking must still be confirmed at the time
 * the pass read: a booking cancelled or moved meanwhile is not reminded of its old time.
 * 1 claimed, 0 someone else had it, -1 error. */
static int claim(struct db *db, const struct due_reminder *d, struct dms_error *err)
{
    int rc = db_exec(db,
                     d->soon ? "UPDATE appointments SET reminded_soon = 1 WHERE id = ? AND "
                               "reminded_soon = 0 AND status = 'confirmed' AND day = ? AND "
                               "start_min = ?"
                             : "UPDATE appointments SET reminded_day = 1 WHERE id = ? AND "
                               "reminded_day = 0 AND status = 'confirmed' AND day = ? AND "
                               "start_min = ?",
                     "isi", d->id, d->day, (int64_t)d->start_min);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return rc > 0 ? 1 : 0;
}

/* 1 queued, 0 claimed by another pass, -1 error. */
static int remind_one(struct db *db, const struct actor *a, const struct remind_ctx *r,
                      const struct due_reminder *d, struct dms_error *err)
{
    int claimed = claim(db, d, err);
    if (claimed <= 0)
        return claimed;
    const char *recipient;
    const char *channel =
        outbox_pick_channel(d->preferred, d->sms_ok, d->mobile, d->email_ok, d->email, &recipient);
    bool suppressed = channel == NULL;
    if (suppressed)
        channel = strcmp(d->preferred, "email") == 0 ? "email" : "sms";
    const struct message_template *tpl = &r->tpl[strcmp(channel, "email") == 0];
    char when[40], ops[512];
    char hm[8];
    hhmm_format(d->start_min, hm);
    snprintf(when, sizeof when, "%s %s", d->day, hm);
    if (content(db, d->id, ops, sizeof ops, err) < 0)
        return -1;
    struct template_values v = {
        .name = d->name,
        .title = d->title,
        .plate = d->plate,
        .due_date = when,
        .package = ops,
        .store = r->store.name,
        .store_phone = r->st.store_phone,
        .price_fen = d->total_fen,
        .has_price = true,
    };
    struct message m = {
        .customer_id = d->customer_id,
        .vehicle_id = d->vehicle_id,
        .appointment_id = d->id,
        .status = suppressed ? MSG_SUPPRESSED : MSG_QUEUED,
    };
    snprintf(m.kind, sizeof m.kind, "appointment_reminder");
    snprintf(m.channel, sizeof m.channel, "%s", channel);
    snprintf(m.recipient, sizeof m.recipient, "%s", recipient);
    return messages_queue_templated(db, a, &m, tpl, &v, err) < 0 ? -1 : 1;
}

int appointments_remind(struct db *db, const struct actor *a, int *queued, struct dms_error *err)
{
    *queued = 0;
    struct remind_ctx *r = calloc(1, sizeof *r);
    if (!r)
        return dms_fail(err, "db_error", NULL, "out of memory");
    if (stores_get(db, a->store_id, &r->store, err) < 0 ||
        settings_get(db, a->store_id, &r->st, err) < 0 ||
        templates_get(db, a->store_id, "appointment_reminder", "sms", &r->tpl[0], err) < 0 ||
        templates_get(db, a->store_id, "appointment_reminder", "email", &r->tpl[1], err) < 0) {
        free(r);
        return -1;
    }
    /* The store's row first, as a booking, a move or a cancellation takes it: the pass then
     * holds bookings' rows (its claims) only under it, and a user's change of one of them
     * waits for the pass instead of deadlocking with it (the pass's inserts check the store
     * key). A second pass waits here too, then reads the first one's claims. */
    if (store_lock_store(db, a->store_id, err) < 0) {
        free(r);
        return -1;
    }
    char today[DATE_STR], tomorrow[DATE_STR];
    date_format(a->today, today);
    date_format(a->today + 1, tomorrow);
    /* The day before: from the morning run's time on; 30 minutes before: until the start. */
    bool morning = a->now_min >= r->st.generate_at;
    struct due_reminder *d = NULL;
    size_t n = 0;
    int rc = store_rows(
        db, due_row, NULL, sizeof *d, 10000, (void **)&d, &n, err,
        "SELECT a.id, a.vehicle_id, a.customer_id, a.day, a.start_min, a.total_fen, c.name, "
        "c.title, v.plate, c.preferred_channel, c.consent_sms, c.sms_opted_out_at, "
        "c.consent_email, c.email, (SELECT p.number FROM customer_phones p WHERE p.customer_id "
        "= c.id AND p.number LIKE '1%' AND LENGTH(p.number) = 11 ORDER BY p.position LIMIT 1), "
        "CASE WHEN a.day = ? THEN 1 ELSE 0 END FROM appointments a JOIN customers c ON c.id = "
        "a.customer_id JOIN vehicles v ON v.id = a.vehicle_id WHERE a.store_id = ? AND "
        "a.status = 'confirmed' AND a.start_min IS NOT NULL AND ((a.day = ? AND "
        "a.reminded_day = 0 AND ? = 1) OR (a.day = ? AND a.reminded_soon = 0 AND "
        "a.start_min - ? <= ? AND a.start_min > ?)) ORDER BY a.day, a.start_min, a.id",
        "sisbsiii", today, a->store_id, tomorrow, morning, today, (int64_t)SOON_MINUTES,
        (int64_t)a->now_min, (int64_t)a->now_min);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int one = remind_one(db, a, r, &d[i], err);
        if (one < 0)
            rc = -1;
        else
            *queued += one;
    }
    free(d);
    free(r);
    if (rc < 0 || *queued == 0)
        return rc < 0 ? -1 : 0;
    json_t *ch = json_object();
    audit_int(ch, "reminders", 0, *queued);
    return audit_record(db, a, "remind", "appointments", a->store_id, ch, err);
}
