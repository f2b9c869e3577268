/* The outbox (MR-3, CS-7): messages are rows written in the same transaction as their cause
 * and sent later by the dispatcher (notify/dispatch.c), so that a reminder is never lost
 * between deciding to send it and sending it. Also the SMS opt-out and the templates. */
#include <stdlib.h>

#include "core/outbox.h"
#include "core/template.h"
#include "store/internal.h"
#include "store/messages.h"

const char *const MESSAGE_STATUS_NAMES[MSG_STATUS_COUNT] = {
    [MSG_QUEUED] = "queued",         [MSG_SENT] = "sent",           [MSG_FAILED] = "failed",
    [MSG_SUPPRESSED] = "suppressed", [MSG_CANCELLED] = "cancelled",
};

#define MESSAGE_COLS                                                                               \
    "m.id, m.store_id, s.code, m.kind, m.channel, m.customer_id, m.vehicle_id, m.task_id, "        \
    "m.campaign_id, m.recipient, m.subject, m.body, m.status, m.status_reason, m.attempts, "       \
    "m.next_attempt_at, m.last_error, m.duplicate_risk, m.created_at, m.sent_at, "                 \
    "m.appointment_id"
#define MESSAGE_FROM " FROM messages m JOIN stores s ON s.id = m.store_id "

static int status_of(const char *s)
{
    for (int i = 0; i < MSG_STATUS_COUNT; i++) {
        if (strcmp(s, MESSAGE_STATUS_NAMES[i]) == 0)
            return i;
    }
    return MSG_QUEUED;
}

static int row(struct db_res *res, void *out)
{
    struct message *m = out;
    memset(m, 0, sizeof *m);
    m->id = db_int(res, 0);
    m->store_id = db_int(res, 1);
    col_copy(m->store_code, sizeof m->store_code, res, 2);
    col_copy(m->kind, sizeof m->kind, res, 3);
    col_copy(m->channel, sizeof m->channel, res, 4);
    m->customer_id = db_int(res, 5);
    m->vehicle_id = db_int(res, 6);
    m->task_id = db_int(res, 7);
    m->campaign_id = db_int(res, 8);
    col_copy(m->recipient, sizeof m->recipient, res, 9);
    col_copy(m->subject, sizeof m->subject, res, 10);
    m->body = strdup(db_text(res, 11));
    if (!m->body)
        return -1;
    m->status = (enum message_status)status_of(db_text(res, 12));
    col_copy(m->status_reason, sizeof m->status_reason, res, 13);
    m->attempts = (int)db_int(res, 14);
    col_copy(m->next_attempt_at, sizeof m->next_attempt_at, res, 15);
    col_copy(m->last_error, sizeof m->last_error, res, 16);
    m->duplicate_risk = db_int(res, 17) != 0;
    col_copy(m->created_at, sizeof m->created_at, res, 18);
    col_copy(m->sent_at, sizeof m->sent_at, res, 19);
    m->appointment_id = db_int(res, 20);
    return 0;
}

static int id_of(struct db_res *res, void *out)
{
    *(int64_t *)out = db_int(res, 0);
    return 0;
}

void message_clear(struct message *m)
{
    if (m) {
        free(m->body);
        m->body = NULL;
    }
}

static void clear_item(void *m)
{
    message_clear(m);
}

void messages_free(struct message *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        message_clear(&m[i]);
    free(m);
}

int messages_queue(struct db *db, const struct actor *a, struct message *m, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(
        db, &m->id,
        "INSERT INTO messages (store_id, kind, channel, customer_id, vehicle_id, task_id, "
        "campaign_id, appointment_id, recipient, subject, body, status, status_reason, "
        "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "0, ?, ?) RETURNING id",
        "issIIIIIstsstss", a->store_id, m->kind, m->channel, m->customer_id, m->vehicle_id,
        m->task_id, m->campaign_id, m->appointment_id, m->recipient, m->subject, m->body,
        MESSAGE_STATUS_NAMES[m->status], m->status_reason, now, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    snprintf(m->created_at, sizeof m->created_at, "%s", now);
    snprintf(m->next_attempt_at, sizeof m->next_attempt_at, "%s", now);
    return 0;
}

int messages_queue_templated(struct db *db, const struct actor *a, struct message *m,
                             const struct message_template *tpl, const struct template_values *v,
                             struct dms_error *err)
{
    char *body = NULL, *subject = NULL;
    if (template_render(tpl->body, v, &body, err) < 0)
        return -1;
    if (tpl->subject[0] && template_render(tpl->subject, v, &subject, err) < 0) {
        free(body);
        return -1;
    }
    m->body = body;
    snprintf(m->subject, sizeof m->subject, "%s", subject ? subject : "");
    if (m->status == MSG_SUPPRESSED)
        snprintf(m->status_reason, sizeof m->status_reason, "%s",
                 "no consent or no address for SMS or e-mail");
    int rc = messages_queue(db, a, m, err);
    free(body), free(subject);
    m->body = NULL;
    return rc;
}

int messages_list(struct db *db, const struct actor *a, const struct message_filter *f,
                  int64_t before, int limit, struct message **out, size_t *n, bool *more,
                  struct dms_error *err)
{
    const char *status = f->status >= 0 ? MESSAGE_STATUS_NAMES[f->status] : "";
    const char *kind = f->kind ? f->kind : "";
    if (store_rows(db, row, clear_item, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " MESSAGE_COLS MESSAGE_FROM
                   "WHERE m.store_id = ? AND (? = 0 OR m.id < ?) AND (? = '' OR m.status = ?) "
                   "AND (? = '' OR m.kind = ?) AND (? = 0 OR m.customer_id = ?) "
                   "AND (? = 0 OR m.vehicle_id = ?) AND (? = 0 OR m.campaign_id = ?) "
                   "ORDER BY m.id DESC LIMIT ?",
                   "iiissssiiiiiii", a->store_id, before, before, status, status, kind, kind,
                   f->customer_id, f->customer_id, f->vehicle_id, f->vehicle_id, f->campaign_id,
                   f->campaign_id, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more) {
        message_clear(&(*out)[limit]);
        *n = (size_t)limit;
    }
    return 0;
}

int messages_get(struct db *db, const struct actor *a, int64_t id, struct message *out,
                 struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " MESSAGE_COLS MESSAGE_FROM "WHERE m.id = ? AND m.store_id = ?",
                       "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no message %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

/* ---- the dispatcher's side ---- */

/* The claim's extra columns: the customer's consent for the channel now (an opt-out or a
 * withdrawn consent after queueing still stops the message; a recall, a safety notice, needs
 * no consent but respects an SMS opt-out, as in campaigns.c) and the store's clock. */
#define CONSENT_NOW                                                                                \
    "CASE WHEN m.customer_id IS NULL THEN 1 "                                                      \
    "WHEN m.channel = 'sms' THEN (CASE WHEN c.sms_opted_out_at IS NULL AND "                       \
    "(c.consent_sms = 1 OR k.kind = 'recall') THEN 1 ELSE 0 END) "                                 \
    "ELSE (CASE WHEN c.consent_email = 1 OR k.kind = 'recall' THEN 1 ELSE 0 END) END"
#define CLAIM_COLS                                                                                 \
    MESSAGE_COLS ", " CONSENT_NOW ", s.timezone, st.quiet_from, st.quiet_until, m.lease_until"
#define CLAIM_FROM                                                                                 \
    MESSAGE_FROM "JOIN store_settings st ON st.store_id = m.store_id "                             \
                 "LEFT JOIN customers c ON c.id = m.customer_id "                                  \
                 "LEFT JOIN campaigns k ON k.id = m.campaign_id "                                  \
                 "WHERE m.status = 'queued' AND m.next_attempt_at <= ? AND (m.lease_until IS "     \
                 "NULL OR m.lease_until <= ?) AND (m.channel = ? OR m.channel = ?) "               \
                 "ORDER BY m.next_attempt_at, m.id LIMIT 1"

struct claimed {
    struct message m;
    bool lease_lapsed;
};

static int claim_row(struct db_res *res, void *out)
{
    struct claimed *c = out;
    if (row(res, &c->m) < 0)
        return -1;
    c->m.consent_now = db_int(res, 21) != 0;
    col_copy(c->m.store_timezone, sizeof c->m.store_timezone, res, 22);
    struct dms_error ignore;
    outbox_parse_hhmm(db_text(res, 23), &c->m.quiet_from, "quiet_from", &ignore);
    outbox_parse_hhmm(db_text(res, 24), &c->m.quiet_until, "quiet_until", &ignore);
    c->lease_lapsed = !db_is_null(res, 25);
    return 0;
}

int outbox_claim(struct db *db, int64_t now, int lease_s, const char *sms, const char *email,
                 struct message *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    char at[TIMESTAMP_STR], until[TIMESTAMP_STR];
    timestamp_format_utc(now, at);
    timestamp_format_utc(now + lease_s, until);
    int rc = db_begin(db, true);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* Several dispatchers (dms serve processes, dms outbox send) may run at once: PostgreSQL
     * skips the row another one is claiming; SQLite's write lock (BEGIN IMMEDIATE) serialises
     * the claims. An opt-out or a withdrawal committed before this statement is seen here
     * (status no longer queued, or the consent gone); one committed after it finds the
     * message claimed and sets its status all the same, which outbox_result then keeps. */
    const char *sql = db_kind(db) == DB_POSTGRES ? "SELECT " CLAIM_COLS CLAIM_FROM
                                                   " FOR UPDATE OF m SKIP LOCKED"
                                                 : "SELECT " CLAIM_COLS CLAIM_FROM;
    struct claimed *c = calloc(1, sizeof *c);
    if (!c) {
        db_rollback(db);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    int found =
        store_one(db, claim_row, c, err, sql, "ssss", at, at, sms ? sms : "-", email ? email : "-");
    rc = found < 0 ? -1 : 0;
    if (found > 0) {
        if (c->lease_lapsed) {
            /* The last sender took it and never said how it went: it may have gone out. */
            fprintf(stderr,
                    "dms: outbox: message %lld was claimed before and its result never "
                    "recorded; sending it again (it may arrive twice)\n",
                    (long long)c->m.id);
            c->m.duplicate_risk = true;
        }
        int u = db_exec(db,
                        "UPDATE messages SET lease_until = ?, attempts = attempts + 1, "
                        "duplicate_risk = ? WHERE id = ? AND status = 'queued'",
                        "sbi", until, c->m.duplicate_risk, c->m.id);
        if (u < 0)
            rc = store_db_fail(db, u, err);
        c->m.attempts++;
    }
    if (rc == 0 && (rc = db_commit(db)) < 0)
        rc = store_db_fail(db, rc, err);
    if (rc < 0) {
        db_rollback(db);
        message_clear(&c->m);
        free(c);
        return -1;
    }
    *out = c->m;
    free(c);
    return found > 0 ? 1 : 0;
}

int outbox_send_begin(struct db *db, int64_t id, int attempt, struct dms_error *err)
{
    bool pg = db_kind(db) == DB_POSTGRES;
    int rc = pg ? db_begin(db, true) : 0;
    if (rc < 0)
        return store_db_fail(db, rc, err);
    int64_t consent = 0;
    rc = db_query_int(db, &consent,
                      pg ? "SELECT " CONSENT_NOW " FROM messages m LEFT JOIN customers c ON c.id = "
                           "m.customer_id LEFT JOIN campaigns k ON k.id = m.campaign_id WHERE "
                           "m.id = ? AND m.status = 'queued' AND m.attempts = ? FOR UPDATE OF m"
                         : "SELECT " CONSENT_NOW " FROM messages m LEFT JOIN customers c ON c.id = "
                           "m.customer_id LEFT JOIN campaigns k ON k.id = m.campaign_id WHERE "
                           "m.id = ? AND m.status = 'queued' AND m.attempts = ?",
                      "ii", id, (int64_t)attempt);
    if (rc < 0) {
        rc = store_db_fail(db, rc, err);
        if (pg)
            db_rollback(db);
        return rc;
    }
    if (rc > 0 && consent)
        return 1; /* PostgreSQL: the transaction stays open until outbox_send_end */
    if (pg)
        db_rollback(db);
    return rc == 0 ? 0 : 2;
}

void outbox_send_end(struct db *db)
{
    if (db_kind(db) == DB_POSTGRES)
        db_rollback(db); /* nothing was written: the row is let go */
}

/* The task of a reminder message follows it: done when sent, expired when it failed,
 * cancelled when it was suppressed or withdrawn. */
static int close_task(struct db *db, int64_t id, enum message_status status, const char *at)
{
    const char *task_status = status == MSG_SENT     ? "done"
                              : status == MSG_FAILED ? "expired"
                                                     : "cancelled";
    return db_exec(db,
                   "UPDATE tasks SET status = ?, closed_at = ? WHERE status = 'open' AND "
                   "id = (SELECT task_id FROM messages WHERE id = ?)",
                   "ssi", task_status, at, id);
}

/* The dispatcher's writes are in the audit log too, as user "outbox". */
static int audit_outbox(struct db *db, int64_t id, const char *action, json_t *ch, int64_t now,
                        struct dms_error *err)
{
    int64_t store_id = 0;
    int rc = db_query_int(db, &store_id, "SELECT store_id FROM messages WHERE id = ?", "i", id);
    if (rc <= 0) {
        json_decref(ch);
        return rc < 0 ? store_db_fail(db, rc, err) : 0;
    }
    struct actor sys = {.store_id = store_id, .username = "outbox", .now = now};
    return audit_record(db, &sys, action, "message", id, ch, err);
}

/* The claim of message id under token `attempt` is no longer what the row says: someone set
 * its status meanwhile, or another dispatcher claimed it after the lease ran out. A message
 * that went out anyway keeps the status it was given and gets its sent_at, so that the
 * record tells that the text did reach the gateway. */
static int record_overruled(struct db *db, int64_t id, int attempt, enum message_status status,
                            const char *at, int64_t now, struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res, "SELECT status, attempts FROM messages WHERE id = ?", "i", id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    char now_status[16] = "";
    int64_t attempts = 0;
    if ((rc = db_step(res)) > 0) {
        col_copy(now_status, sizeof now_status, res, 0);
        attempts = db_int(res, 1);
    }
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    fprintf(stderr,
            "dms: outbox: message %lld became %s (attempt %lld) while attempt %d was being sent; "
            "its status is kept\n",
            (long long)id, now_status, (long long)attempts, attempt);
    bool withdrawn = strcmp(now_status, "suppressed") == 0 || strcmp(now_status, "cancelled") == 0;
    if (status != MSG_SENT || !withdrawn)
        return 0;
    rc = db_exec(db,
                 "UPDATE messages SET sent_at = ?, lease_until = NULL WHERE id = ? AND status IN "
                 "('suppressed', 'cancelled') AND sent_at IS NULL",
                 "si", at, id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "sent_at", NULL, at);
    audit_text(ch, "note", NULL, "sent before it was withdrawn; status kept");
    return audit_outbox(db, id, "send", ch, now, err);
}

int outbox_result(struct db *db, int64_t id, int attempt, enum message_status status,
                  const char *reason, int64_t retry_at, bool counts_attempt, int64_t now,
                  struct dms_error *err)
{
    char at[TIMESTAMP_STR], retry[TIMESTAMP_STR];
    timestamp_format_utc(now, at);
    timestamp_format_utc(retry_at, retry);
    int rc = db_begin(db, true);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* Only while the message is still queued under this claim (attempts is the claim's
     * token): never over a status someone else set. */
    if (status == MSG_QUEUED) {
        rc = db_exec(db,
                     "UPDATE messages SET lease_until = NULL, next_attempt_at = ?, "
                     "attempts = attempts - ?, last_error = ? WHERE id = ? AND status = 'queued' "
                     "AND attempts = ?",
                     "sitIi", retry, (int64_t)(counts_attempt ? 0 : 1), reason, id,
                     (int64_t)attempt);
    } else {
        rc = db_exec(db,
                     "UPDATE messages SET lease_until = NULL, status = ?, status_reason = ?, "
                     "last_error = CASE WHEN ? = 'failed' THEN ? ELSE last_error END, "
                     "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ? AND "
                     "status = 'queued' AND attempts = ?",
                     "stststIi", MESSAGE_STATUS_NAMES[status], status == MSG_SENT ? "" : reason,
                     MESSAGE_STATUS_NAMES[status], reason, MESSAGE_STATUS_NAMES[status], at, id,
                     (int64_t)attempt);
    }
    bool overruled = rc == 0;
    if (rc < 0) {
        rc = store_db_fail(db, rc, err);
    } else if (overruled) {
        rc = record_overruled(db, id, attempt, status, at, now, err);
    } else {
        int t = status != MSG_QUEUED ? close_task(db, id, status, at) : 0;
        rc = t < 0 ? store_db_fail(db, t, err) : 0;
        if (rc == 0) {
            json_t *ch = json_object();
            audit_text(ch, "status", NULL, MESSAGE_STATUS_NAMES[status]);
            audit_text(ch, "reason", NULL, reason);
            rc = audit_outbox(db, id, status == MSG_QUEUED ? "retry" : "send", ch, now, err);
        }
    }
    if (rc == 0 && (rc = db_commit(db)) < 0)
        rc = store_db_fail(db, rc, err);
    if (rc < 0) {
        db_rollback(db);
        return -1;
    }
    return overruled ? 1 : 0;
}

int messages_withdraw_for_appointment(struct db *db, const struct actor *a, int64_t appointment_id,
                                      const char *reason, int *n, struct dms_error *err)
{
    if (n)
        *n = 0;
    int64_t *ids = NULL;
    size_t k = 0;
    /* A reminder being sent right now (PostgreSQL: its row held by outbox_send_begin) is
     * waited for, at most the send's time-out: it went out before this withdrawal commits,
     * keeps the status given here and gets its sent_at (outbox_result). (Skipping it would
     * also skip one a dispatcher is just claiming, which would go out after the booking was
     * cancelled.) */
    if (store_rows(db, id_of, NULL, sizeof *ids, 1000, (void **)&ids, &k, err,
                   "SELECT id FROM messages WHERE appointment_id = ? AND store_id = ? AND "
                   "status = 'queued' ORDER BY id",
                   "ii", appointment_id, a->store_id) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < k; i++) {
        int u = db_exec(db,
                        "UPDATE messages SET status = 'cancelled', status_reason = ? WHERE id = ? "
                        "AND status = 'queued'",
                        "si", reason, ids[i]);
        if (u < 0) {
            rc = store_db_fail(db, u, err);
            break;
        }
        if (u == 0)
            continue;
        json_t *ch = json_object();
        audit_text(ch, "status", MESSAGE_STATUS_NAMES[MSG_QUEUED],
                   MESSAGE_STATUS_NAMES[MSG_CANCELLED]);
        audit_text(ch, "reason", NULL, reason);
        audit_int(ch, "appointment_id", 0, appointment_id);
        rc = audit_record(db, a, "withdraw", "message", ids[i], ch, err);
        if (rc == 0 && n)
            (*n)++;
    }
    free(ids);
    return rc < 0 ? -1 : 0;
}

/* ---- opt-out ---- */

int customers_sms_opt_out(struct db *db, const char *phone, const char *store_code, int64_t now,
                          int64_t *n, struct dms_error *err)
{
    *n = 0;
    char at[TIMESTAMP_STR];
    timestamp_format_utc(now, at);
    struct db_res *res;
    int rc =
        db_query(db, &res,
                 "SELECT DISTINCT c.id, c.store_id FROM customers c JOIN customer_phones p "
                 "ON p.customer_id = c.id JOIN stores s ON s.id = c.store_id "
                 "WHERE p.number = ? AND (? = '' OR s.code = ?) AND c.sms_opted_out_at IS NULL "
                 "ORDER BY c.id",
                 "sss", phone, store_code ? store_code : "", store_code ? store_code : "");
    if (rc < 0)
        return store_db_fail(db, rc, err);
    int64_t ids[64][2];
    size_t k = 0;
    while (k < 64 && (rc = db_step(res)) > 0) {
        ids[k][0] = db_int(res, 0);
        ids[k][1] = db_int(res, 1);
        k++;
    }
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    for (size_t i = 0; i < k; i++) {
        rc = db_exec(db,
                     "UPDATE customers SET consent_sms = 0, sms_opted_out_at = ?, updated_at = ? "
                     "WHERE id = ?",
                     "ssi", at, at, ids[i][0]);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        rc = db_exec(db,
                     "INSERT INTO contact_history (store_id, customer_id, at, event, field, "
                     "old_value, new_value, consented, note) VALUES (?, ?, ?, 'changed', "
                     "'consent_sms', 'true', 'false', 1, ?)",
                     "iiss", ids[i][1], ids[i][0], at, "SMS reply: opt-out (TD/退订)");
        if (rc < 0)
            return store_db_fail(db, rc, err);
        struct actor sys = {.store_id = ids[i][1], .username = "sms-gateway", .now = now};
        json_t *ch = json_object();
        audit_bool(ch, "consent_sms", true, false);
        audit_text(ch, "sms_opted_out_at", NULL, at);
        rc = audit_write(db, &sys, "update", "customer", ids[i][0], ch, err);
        json_decref(ch);
        if (rc < 0)
            return -1;
        /* Whatever is still waiting for this customer by SMS stays unsent. */
        rc = db_exec(db,
                     "UPDATE messages SET status = 'suppressed', status_reason = 'opted out' "
                     "WHERE customer_id = ? AND channel = 'sms' AND status = 'queued'",
                     "i", ids[i][0]);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    *n = (int64_t)k;
    return 0;
}

/* ---- templates ---- */

static int template_row(struct db_res *res, void *out)
{
    struct message_template *t = out;
    memset(t, 0, sizeof *t);
    col_copy(t->kind, sizeof t->kind, res, 0);
    col_copy(t->channel, sizeof t->channel, res, 1);
    col_copy(t->subject, sizeof t->subject, res, 2);
    col_copy(t->body, sizeof t->body, res, 3);
    col_copy(t->updated_at, sizeof t->updated_at, res, 4);
    return 0;
}

int templates_get(struct db *db, int64_t store_id, const char *kind, const char *channel,
                  struct message_template *out, struct dms_error *err)
{
    int rc = store_one(db, template_row, out, err,
                       "SELECT kind, channel, subject, body, updated_at FROM message_templates "
                       "WHERE store_id = ? AND kind = ? AND channel = ?",
                       "iss", store_id, kind, channel);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    const char *subject = NULL;
    const char *body = template_default(kind, channel, &subject);
    if (!body)
        return dms_fail(err, "not_found", "kind", "no template for %s by %s", kind, channel);
    memset(out, 0, sizeof *out);
    snprintf(out->kind, sizeof out->kind, "%s", kind);
    snprintf(out->channel, sizeof out->channel, "%s", channel);
    snprintf(out->subject, sizeof out->subject, "%s", subject ? subject : "");
    snprintf(out->body, sizeof out->body, "%s", body);
    out->builtin = true;
    return 0;
}

/* The kinds a store may word itself. */
static const char *const TEMPLATE_KINDS[] = {"maintenance_reminder", "appointment_reminder",
                                             "car_ready"};

int templates_list(struct db *db, const struct actor *a, struct message_template **out, size_t *n,
                   struct dms_error *err)
{
    size_t kinds = sizeof TEMPLATE_KINDS / sizeof TEMPLATE_KINDS[0];
    *out = calloc(kinds * 2, sizeof **out);
    *n = 0;
    if (!*out)
        return dms_fail(err, "db_error", NULL, "out of memory");
    static const char *const channels[] = {"sms", "email"};
    for (size_t k = 0; k < kinds; k++) {
        for (size_t c = 0; c < 2; c++) {
            if (templates_get(db, a->store_id, TEMPLATE_KINDS[k], channels[c], &(*out)[*n], err) <
                0) {
                free(*out);
                *out = NULL;
                return -1;
            }
            (*n)++;
        }
    }
    return 0;
}

int templates_put(struct db *db, const struct actor *a, const struct message_template *t,
                  struct dms_error *err)
{
    bool known = false;
    for (size_t k = 0; k < sizeof TEMPLATE_KINDS / sizeof TEMPLATE_KINDS[0]; k++)
        known = known || strcmp(TEMPLATE_KINDS[k], t->kind) == 0;
    if (!known)
        return dms_fail(err, "invalid_field", "kind", "unknown template kind");
    struct message_template prev;
    if (templates_get(db, a->store_id, t->kind, t->channel, &prev, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "INSERT INTO message_templates (store_id, kind, channel, subject, body, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, kind, channel) "
                     "DO UPDATE SET subject = excluded.subject, body = excluded.body, "
                     "updated_at = excluded.updated_at",
                     "isstss", a->store_id, t->kind, t->channel, t->subject, t->body, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "subject", prev.subject, t->subject);
    audit_text(ch, "body", prev.body, t->body);
    char key[48];
    snprintf(key, sizeof key, "%s/%s", t->kind, t->channel);
    audit_text(ch, "template", NULL, key);
    rc = audit_write(db, a, "update", "message_template", 0, ch, err);
    json_decref(ch);
    return rc;
}
