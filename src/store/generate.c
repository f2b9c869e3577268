/* The morning run (MR-2..MR-4, CS-1, CS-3, CS-4, CS-8): for one store and day D, the tasks
 * and reminder messages its causes call for. Each cause's task carries a dedupe_key naming
 * the cause (the vehicle and its due date, the repair order's day, the lapse ...), so running
 * the same day twice adds nothing and a cause never gets two tasks. Calls need the phone
 * consent and a phone number; messages are written suppressed when no channel is allowed,
 * so that the caller sees why a customer heard nothing. */
#include <stdlib.h>

#include "core/customer.h"
#include "core/email.h"
#include "core/outbox.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/tasks.h"
#include "core/template.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/settings.h"
#include "store/stores.h"
#include "store/tasks.h"

/* The columns every generated task sets; the SELECTs below fill them in this order. */
#define GEN_INSERT                                                                                 \
    "INSERT INTO tasks (store_id, type, dedupe_key, vehicle_id, customer_id, service_record_id, "  \
    "reason, service_due_date, due_date, deadline, status, created_at) "
#define GEN_REACHABLE                                                                              \
    " AND c.consent_phone = 1 AND EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = "  \
    "c.id)"
#define GEN_CONFLICT " ON CONFLICT (store_id, dedupe_key) DO NOTHING"

struct gen {
    struct db *db;
    const struct actor *a;
    const struct task_day *d;
    char day[DATE_STR], now[TIMESTAMP_STR];
    struct generate_counts *out;
    struct dms_error *err;
};

static int counted(struct gen *g, enum task_type type, int rc)
{
    if (rc < 0)
        return store_db_fail(g->db, rc, g->err);
    g->out->created[type] += rc;
    return 0;
}

static int followups(struct gen *g)
{
    char done[DATE_STR], deadline[DATE_STR];
    date_format(g->d->followup_service_done, done);
    date_format(g->d->followup_deadline, deadline);
    int rc = db_exec(
        g->db,
        GEN_INSERT
        "SELECT r.store_id, 'followup', 'fu:' || r.vehicle_id || ':' || "
        "COALESCE(r.date_out, r.date_in), r.vehicle_id, r.customer_id, r.id, "
        "'维修后回访：' || COALESCE(r.date_out, r.date_in) || ' 完工', NULL, ?, ?, "
        "'open', ? FROM service_records r JOIN customers c ON c.id = r.customer_id "
        "WHERE r.store_id = ? AND COALESCE(r.date_out, r.date_in) = ?" GEN_REACHABLE GEN_CONFLICT,
        "sssis", g->day, deadline, g->now, g->a->store_id, done);
    return counted(g, TASK_FOLLOWUP, rc);
}

static int month_start_lists(struct gen *g, const struct store_settings *st)
{
    char from[DATE_STR], to[DATE_STR], deadline[DATE_STR], cutoff[DATE_STR];
    date_format(g->d->new_cars_from, from);
    date_format(g->d->new_cars_to, to);
    date_format(g->d->month_deadline, deadline);
    date_format(g->d->lost_cutoff, cutoff);
    int rc = db_exec(
        g->db,
        GEN_INSERT
        "SELECT v.store_id, 'first_maintenance', 'fm:' || v.id, v.id, v.customer_id, "
        "NULL, '首保提醒：' || v.purchase_date || ' 购车', v.next_due_date, ?, ?, 'open', ? "
        "FROM vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.store_id = ? "
        "AND v.purchase_date >= ? AND v.purchase_date <= ?" GEN_REACHABLE GEN_CONFLICT,
        "sssiss", g->day, deadline, g->now, g->a->store_id, from, to);
    if (counted(g, TASK_FIRST_MAINTENANCE, rc) < 0)
        return -1;
    /* Last month's run took the lapses up to its own cutoff: this one looks only at those
     * since, so a month start costs what lapsed in a month, not the whole backlog. Without
     * last month's run (the first one, or after a gap) it takes the backlog. */
    char since[DATE_STR] = "";
    dms_day prev_first = date_add_months(g->d->day, -1);
    rc = tasks_generated(g->db, g->a, prev_first, g->err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        date_format(date_add_months(prev_first, -st->tasks.lost_months), since);
    /* CS-4: once per lapse: the key names the due date (or the last visit) that lapsed. */
    if (strcmp(st->lost_basis, "last_visit") == 0)
        rc = db_exec(g->db,
                     GEN_INSERT
                     "SELECT v.store_id, 'lost_customer', 'lc:' || v.id || ':v' || "
                     "v.last_visit_date, v.id, v.customer_id, NULL, '流失客户回访：上次进店 ' || "
                     "v.last_visit_date, v.next_due_date, ?, ?, 'open', ? FROM vehicles v JOIN "
                     "customers c ON c.id = v.customer_id WHERE v.store_id = ? AND "
                     "v.last_visit_date <= ? AND (? = '' OR v.last_visit_date > ?)" GEN_REACHABLE
                         GEN_CONFLICT,
                     "sssisss", g->day, deadline, g->now, g->a->store_id, cutoff, since, since);
    else
        rc = db_exec(
            g->db,
            GEN_INSERT
            "SELECT v.store_id, 'lost_customer', 'lc:' || v.id || ':' || "
            "v.next_due_date, v.id, v.customer_id, NULL, '流失客户回访：保养 ' || "
            "v.next_due_date || ' 到期后未进店', v.next_due_date, ?, ?, 'open', ? FROM "
            "vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.store_id = ? "
            "AND v.next_due_date <= ? AND (? = '' OR v.next_due_date > ?) AND "
            "(v.last_visit_date IS NULL OR v.last_visit_date < v.next_due_date)" GEN_REACHABLE
                GEN_CONFLICT,
            "sssisss", g->day, deadline, g->now, g->a->store_id, cutoff, since, since);
    return counted(g, TASK_LOST_CUSTOMER, rc);
}

static int renewals(struct gen *g)
{
    char expiry[DATE_STR];
    date_format(g->d->renewal_expiry, expiry);
    int rc = db_exec(g->db,
                     GEN_INSERT
                     "SELECT v.store_id, 'insurance_renewal', 'ins:' || v.id || ':' || "
                     "v.insurance_expiry, v.id, v.customer_id, NULL, '续保提醒：保险 ' || "
                     "v.insurance_expiry || ' 到期', NULL, ?, v.insurance_expiry, 'open', ? FROM "
                     "vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.store_id = ? AND "
                     "v.insurance_expiry = ?" GEN_REACHABLE GEN_CONFLICT,
                     "ssis", g->day, g->now, g->a->store_id, expiry);
    if (counted(g, TASK_INSURANCE_RENEWAL, rc) < 0)
        return -1;
    rc = db_exec(g->db,
                 GEN_INSERT
                 "SELECT v.store_id, 'annual_inspection', 'ai:' || v.id || ':' || "
                 "v.inspection_expiry, v.id, v.customer_id, NULL, '年审提醒：年检 ' || "
                 "v.inspection_expiry || ' 到期', NULL, ?, v.inspection_expiry, 'open', ? FROM "
                 "vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.store_id = ? AND "
                 "v.inspection_expiry = ?" GEN_REACHABLE GEN_CONFLICT,
                 "ssis", g->day, g->now, g->a->store_id, expiry);
    return counted(g, TASK_ANNUAL_INSPECTION, rc);
}

/* ---- MR-3: the reminder messages ---- */

struct candidate {
    int64_t vehicle_id, customer_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1], title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char plate[PLATE_MAX_BYTES], due[DATE_STR], package[257];
    bool has_plan;
    int64_t price_fen;
    char preferred[8];
    bool sms_ok, email_ok;
    char email[EMAIL_MAX], mobile[PHONE_MAX];
    char prev[DATE_STR], next[DATE_STR]; /* the nearest reminded due dates around due */
};

/* MR-2: the car's nearest reminders around its due date (prev on or before, next after),
 * read with the candidate; tasks_reminder_covers decides. */
static bool covered(const char *due, const char *prev, const char *next, int days)
{
    dms_day d = 0, p = 0, n = 0;
    struct dms_error ignore;
    if (date_parse(due, &d, "due", &ignore) < 0)
        return false;
    return (prev[0] && date_parse(prev, &p, "due", &ignore) == 0 &&
            tasks_reminder_covers(p, d, days)) ||
           (next[0] && date_parse(next, &n, "due", &ignore) == 0 &&
            tasks_reminder_covers(n, d, days));
}

/* The two columns of a reminder candidate's nearest reminders of `type`, bounded to the
 * due dates the window can cover ([from - days, to + days], bound as two parameters). */
#define NEAREST_REMINDERS(type)                                                                    \
    "(SELECT MAX(t.service_due_date) FROM tasks t WHERE t.vehicle_id = v.id AND t.type = '" type   \
    "' AND t.service_due_date <= v.next_due_date AND t.service_due_date >= ?), (SELECT "           \
    "MIN(t.service_due_date) FROM tasks t WHERE t.vehicle_id = v.id AND t.type = '" type           \
    "' AND t.service_due_date > v.next_due_date AND t.service_due_date <= ?)"

/* MR-3 with MR-2's catch-up: the cars due in [?, ?] (after the two bounds of
 * NEAREST_REMINDERS and the store), with what the message needs. The cars reminded for this
 * very due date (nearly all of them, day after day) are left out through the unique dedupe
 * key's index, so only new and moved due dates are read with their nearest reminders. */
// clang-format off
#define MESSAGE_CANDIDATES                                                                         \
    "SELECT v.id, v.customer_id, c.name, c.title, v.plate, v.next_due_date, mp.package_name, "     \
    "mp.labour_fen + mp.parts_fen, c.preferred_channel, c.consent_sms, c.sms_opted_out_at, "       \
    "c.consent_email, c.email, (SELECT p.number FROM customer_phones p WHERE p.customer_id = "     \
    "c.id AND p.number LIKE '1%' AND LENGTH(p.number) = 11 ORDER BY p.position LIMIT 1), "         \
    NEAREST_REMINDERS("maintenance_message")                                                       \
    " FROM vehicles v JOIN customers c ON c.id = v.customer_id LEFT JOIN maintenance_plans mp "    \
    "ON mp.id = v.plan_id WHERE v.store_id = ? AND v.next_due_date >= ? AND "                      \
    "v.next_due_date <= ? AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.store_id = v.store_id "    \
    "AND t.dedupe_key = 'mm:' || v.id || ':' || v.next_due_date) ORDER BY v.id"

/* MR-4 with MR-2's catch-up: the reachable cars due in [?, ?], as MESSAGE_CANDIDATES. */
#define CALL_CANDIDATES                                                                            \
    "SELECT v.id, v.customer_id, v.next_due_date, v.next_basis, v.next_due_km, "                   \
    NEAREST_REMINDERS("maintenance_call")                                                          \
    " FROM vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.store_id = ? AND "          \
    "v.next_due_date >= ? AND v.next_due_date <= ? AND NOT EXISTS (SELECT 1 FROM tasks t WHERE "   \
    "t.store_id = v.store_id AND t.dedupe_key = 'mc:' || v.id || ':' || v.next_due_date)"          \
    GEN_REACHABLE " ORDER BY v.id"
// clang-format on

static int candidate_row(struct db_res *res, void *out)
{
    struct candidate *c = out;
    memset(c, 0, sizeof *c);
    c->vehicle_id = db_int(res, 0);
    c->customer_id = db_int(res, 1);
    col_copy(c->name, sizeof c->name, res, 2);
    col_copy(c->title, sizeof c->title, res, 3);
    col_copy(c->plate, sizeof c->plate, res, 4);
    col_copy(c->due, sizeof c->due, res, 5);
    col_copy(c->package, sizeof c->package, res, 6);
    c->has_plan = !db_is_null(res, 7);
    c->price_fen = db_int(res, 7);
    col_copy(c->preferred, sizeof c->preferred, res, 8);
    c->sms_ok = db_int(res, 9) == 1 && db_is_null(res, 10);
    c->email_ok = db_int(res, 11) == 1;
    col_copy(c->email, sizeof c->email, res, 12);
    col_copy(c->mobile, sizeof c->mobile, res, 13);
    col_copy(c->prev, sizeof c->prev, res, 14);
    col_copy(c->next, sizeof c->next, res, 15);
    return 0;
}

/* What every reminder of the run shares, read once. */
struct reminder_ctx {
    struct store_info store;
    const struct store_settings *st;
    struct message_template tpl[2]; /* sms, email */
};

static int reminder(struct gen *g, const struct candidate *c, const struct reminder_ctx *r)
{
    const char *recipient;
    const char *channel =
        outbox_pick_channel(c->preferred, c->sms_ok, c->mobile, c->email_ok, c->email, &recipient);
    bool suppressed = channel == NULL;
    if (suppressed)
        channel = strcmp(c->preferred, "email") == 0 ? "email" : "sms";
    const struct message_template *tpl = &r->tpl[strcmp(channel, "email") == 0];
    struct template_values v = {
        .name = c->name,
        .title = c->title,
        .plate = c->plate,
        .due_date = c->due,
        .package = c->package[0] ? c->package : "常规保养",
        .store = r->store.name,
        .store_phone = r->st->store_phone,
        .price_fen = c->price_fen,
        .has_price = c->has_plan,
        /* Without a plan for the car there is no package price to quote. */
        .no_price = "以到店报价为准",
    };
    char key[64], reason[128];
    snprintf(key, sizeof key, "mm:%lld:%s", (long long)c->vehicle_id, c->due);
    snprintf(reason, sizeof reason, "保养提醒%s：保养到期 %s",
             strcmp(channel, "email") == 0 ? "邮件" : "短信", c->due);
    int64_t task_id = 0;
    int rc = db_query_int(
        g->db, &task_id,
        "INSERT INTO tasks (store_id, type, dedupe_key, vehicle_id, customer_id, reason, "
        "service_due_date, due_date, deadline, status, created_by, created_at, closed_at) "
        "VALUES (?, 'maintenance_message', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (store_id, dedupe_key) DO NOTHING RETURNING id",
        "isiisssssIst", g->a->store_id, key, c->vehicle_id, c->customer_id, reason, c->due, g->day,
        g->day, suppressed ? "cancelled" : "open", g->a->user_id, g->now, suppressed ? g->now : "");
    if (rc < 0 || task_id == 0)
        return rc < 0 ? store_db_fail(g->db, rc, g->err) : 0;
    struct message m = {
        .customer_id = c->customer_id,
        .vehicle_id = c->vehicle_id,
        .task_id = task_id,
        .status = suppressed ? MSG_SUPPRESSED : MSG_QUEUED,
    };
    snprintf(m.kind, sizeof m.kind, "maintenance_reminder");
    snprintf(m.channel, sizeof m.channel, "%s", channel);
    snprintf(m.recipient, sizeof m.recipient, "%s", recipient);
    /* The run's audit row counts the messages (tasks_generate). */
    if (messages_queue_templated(g->db, g->a, &m, tpl, &v, g->err) < 0)
        return -1;
    rc = db_exec(g->db, "UPDATE tasks SET message_id = ? WHERE id = ?", "ii", m.id, task_id);
    if (rc < 0)
        return store_db_fail(g->db, rc, g->err);
    g->out->created[TASK_MAINTENANCE_MESSAGE]++;
    g->out->messages++;
    return 0;
}

static int reminders(struct gen *g, const struct store_settings *st)
{
    struct reminder_ctx *r = calloc(1, sizeof *r);
    if (!r)
        return dms_fail(g->err, "db_error", NULL, "out of memory");
    r->st = st;
    if (stores_get(g->db, g->a->store_id, &r->store, g->err) < 0 ||
        templates_get(g->db, g->a->store_id, "maintenance_reminder", "sms", &r->tpl[0], g->err) <
            0 ||
        templates_get(g->db, g->a->store_id, "maintenance_reminder", "email", &r->tpl[1], g->err) <
            0) {
        free(r);
        return -1;
    }
    /* MR-2: every car due from today to message_days ahead, not yet reminded for it. */
    int days = st->tasks.message_days;
    char svc[DATE_STR], lo[DATE_STR], hi[DATE_STR];
    date_format(g->d->message_service_due, svc);
    date_format(g->d->day - days, lo);
    date_format(g->d->message_service_due + days, hi);
    struct candidate *c = NULL;
    size_t n = 0;
    if (store_rows(g->db, candidate_row, NULL, sizeof *c, SIZE_MAX / sizeof *c, (void **)&c, &n,
                   g->err, MESSAGE_CANDIDATES, "ssiss", lo, hi, g->a->store_id, g->day, svc) < 0) {
        free(r);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!covered(c[i].due, c[i].prev, c[i].next, days))
            rc = reminder(g, &c[i], r);
    }
    free(c);
    free(r);
    return rc;
}

/* A car due for a reminder call (MR-4), with its nearest calls around its due date. */
struct call_candidate {
    int64_t vehicle_id, customer_id, due_km;
    char due[DATE_STR], basis[8], prev[DATE_STR], next[DATE_STR];
};

static int call_candidate_row(struct db_res *res, void *out)
{
    struct call_candidate *c = out;
    memset(c, 0, sizeof *c);
    c->vehicle_id = db_int(res, 0);
    c->customer_id = db_int(res, 1);
    col_copy(c->due, sizeof c->due, res, 2);
    col_copy(c->basis, sizeof c->basis, res, 3);
    c->due_km = db_int(res, 4);
    col_copy(c->prev, sizeof c->prev, res, 5);
    col_copy(c->next, sizeof c->next, res, 6);
    return 0;
}

static int maintenance_call(struct gen *g, const struct call_candidate *c, int window_days)
{
    dms_day due = 0;
    struct dms_error ignore;
    date_parse(c->due, &due, "due", &ignore);
    char deadline[DATE_STR], key[64], reason[160];
    date_format(tasks_call_deadline(g->d->day, due, window_days), deadline);
    snprintf(key, sizeof key, "mc:%lld:%s", (long long)c->vehicle_id, c->due);
    if (strcmp(c->basis, "mileage") == 0)
        snprintf(reason, sizeof reason, "定期保养提醒电话：保养到期 %s（按里程 %lld km）", c->due,
                 (long long)c->due_km);
    else
        snprintf(reason, sizeof reason, "定期保养提醒电话：保养到期 %s（按时间）", c->due);
    int rc = db_exec(g->db,
                     "INSERT INTO tasks (store_id, type, dedupe_key, vehicle_id, customer_id, "
                     "reason, service_due_date, due_date, deadline, status, created_at) VALUES "
                     "(?, 'maintenance_call', ?, ?, ?, ?, ?, ?, ?, 'open', ?)" GEN_CONFLICT,
                     "isiisssss", g->a->store_id, key, c->vehicle_id, c->customer_id, reason,
                     c->due, g->day, deadline, g->now);
    return counted(g, TASK_MAINTENANCE_CALL, rc);
}

/* MR-4 with MR-2's catch-up: every reachable car due from today to call_days ahead whose due
 * date no call covers yet. */
static int maintenance_calls(struct gen *g, const struct store_settings *st)
{
    int days = st->tasks.call_days;
    char svc[DATE_STR], lo[DATE_STR], hi[DATE_STR];
    date_format(g->d->call_service_due, svc);
    date_format(g->d->day - days, lo);
    date_format(g->d->call_service_due + days, hi);
    struct call_candidate *c = NULL;
    size_t n = 0;
    if (store_rows(g->db, call_candidate_row, NULL, sizeof *c, SIZE_MAX / sizeof *c, (void **)&c,
                   &n, g->err, CALL_CANDIDATES, "ssiss", lo, hi, g->a->store_id, g->day, svc) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!covered(c[i].due, c[i].prev, c[i].next, days))
            rc = maintenance_call(g, &c[i], st->tasks.call_window_days);
    }
    free(c);
    return rc;
}

int tasks_generated(struct db *db, const struct actor *a, dms_day day, struct dms_error *err)
{
    char d[DATE_STR];
    date_format(day, d);
    int64_t ran = 0;
    int rc = db_query_int(db, &ran, "SELECT 1 FROM generation_runs WHERE store_id = ? AND date = ?",
                          "is", a->store_id, d);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return rc > 0;
}

int tasks_generate(struct db *db, const struct actor *a, dms_day day, struct generate_counts *out,
                   struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct task_day d;
    tasks_plan_day(day, &st.tasks, &d);
    struct gen g = {.db = db, .a = a, .d = &d, .out = out, .err = err};
    date_format(day, g.day);
    timestamp_format_utc(a->now, g.now);

    /* Tasks whose last day has passed leave the list (messages close when they are sent). */
    int rc = db_exec(db,
                     "UPDATE tasks SET status = 'expired', closed_at = ? WHERE store_id = ? AND "
                     "status = 'open' AND deadline < ? AND type <> 'maintenance_message'",
                     "sis", g.now, a->store_id, g.day);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    out->expired = rc;

    if (reminders(&g, &st) < 0 || maintenance_calls(&g, &st) < 0 || followups(&g) < 0 ||
        renewals(&g) < 0 || (d.month_start && month_start_lists(&g, &st) < 0))
        return -1;

    int64_t created = 0;
    for (int i = 0; i < TASK_TYPE_COUNT; i++)
        created += out->created[i];
    rc = db_exec(db,
                 "INSERT INTO generation_runs (store_id, date, at, created) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (store_id, date) DO UPDATE SET created = generation_runs.created + "
                 "excluded.created",
                 "issi", a->store_id, g.day, g.now, created);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (created == 0 && out->expired == 0)
        return 0;
    /* One audit row per run that wrote something: the tasks themselves name their cause. */
    json_t *ch = json_object();
    audit_text(ch, "date", NULL, g.day);
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        if (out->created[i])
            audit_int(ch, TASK_TYPE_NAMES[i], 0, out->created[i]);
    }
    audit_int(ch, "expired", 0, out->expired);
    rc = audit_write(db, a, "generate", "tasks", 0, ch, err);
    json_decref(ch);
    return rc;
}
