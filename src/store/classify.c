/* CRM-2: the classification pass and the class of a customer who visits. One query reads
 * every customer's figures (visits, spend, last visit, earliest due date) set-based; core
 * decides; only the customers whose class changes are written, each with a compare-and-set
 * on the class it had (a concurrent pass or a visit recorded meanwhile wins) and its audit
 * row; the run writes one classify_runs row and one audit row with its counts. */
#include <stdlib.h>

#include "core/customer.h"
#include "core/text.h"
#include "store/classify.h"
#include "store/internal.h"
#include "store/settings.h"

const char *const CLASSIFY_SOURCE_NAMES[CLASSIFY_SOURCE_COUNT] = {"nightly", "cli", "api"};

/* Per customer: id, class, locked, created_at, spend, visits, last visit, earliest due date,
 * first visit in the 12 months. */
#define FIGURES_SQL(WHO, CWHO)                                                                     \
    "SELECT c.id, c.classification, c.classification_locked, c.created_at, "                       \
    "COALESCE(x.spend, 0), COALESCE(x.visits, 0), x.last_day, d.due, x.first_day "                 \
    "FROM customers c LEFT JOIN (SELECT customer_id, "                                             \
    "SUM(CASE WHEN day >= ? THEN amount ELSE 0 END) AS spend, "                                    \
    "COUNT(DISTINCT CASE WHEN day >= ? THEN day END) AS visits, MAX(day) AS last_day, "            \
    "MIN(CASE WHEN day >= ? THEN day END) AS first_day "                                           \
    "FROM (" CLASSIFY_VISITS_SQL(                                                                  \
        WHO) ") v GROUP BY customer_id) x ON x.customer_id = c.id "                                \
             "LEFT JOIN (SELECT customer_id, MIN(next_due_date) AS due FROM vehicles WHERE " WHO   \
             " AND next_due_date IS NOT NULL GROUP BY customer_id) d ON d.customer_id = c.id "     \
             "WHERE " CWHO " AND c.erased_at IS NULL ORDER BY c.id"
static const char *const FIGURES_STORE =
    FIGURES_SQL(CLASSIFY_WHO_STORE, "c.store_id = ? AND CAST(? AS BIGINT) = 0");
static const char *const FIGURES_ONE = FIGURES_SQL(CLASSIFY_WHO_ONE, "c.store_id = ? AND c.id = ?");

struct figures_row {
    int64_t id;
    enum customer_class cls;
    bool locked;
    struct class_figures f;
    dms_day first_visit;
};

static dms_day day_or(const char *s, dms_day none)
{
    char d[DATE_STR];
    snprintf(d, sizeof d, "%s", s);
    dms_day out;
    return s[0] && date_parse(d, &out, NULL, NULL) == 0 ? out : none;
}

/* Calls each(ctx, row) for every customer of the store (customer_id 0) or the one. */
static int read_figures(struct db *db, int64_t store_id, int64_t customer_id, dms_day today,
                        int (*each)(void *ctx, const struct figures_row *r), void *ctx,
                        struct dms_error *err)
{
    struct class_thresholds none = {0, 1, 0, 1};
    struct class_cutoffs c;
    classify_cutoffs(today, &none, &c);
    char from[DATE_STR], to[DATE_STR];
    date_format(c.year_from, from);
    date_format(today, to);
    struct db_res *res;
    int rc = db_query(db, &res, customer_id ? FIGURES_ONE : FIGURES_STORE, "sssiisiisiiii", from,
                      from, from, store_id, customer_id, to, store_id, customer_id, to, store_id,
                      customer_id, store_id, customer_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        struct figures_row r;
        r.id = db_int(res, 0);
        int k = enum_index(CUSTOMER_CLASS_NAMES, CLASS_COUNT, db_text(res, 1));
        r.cls = k < 0 ? CLASS_REGULAR : (enum customer_class)k;
        r.locked = db_int(res, 2) != 0;
        r.f.known_since = day_or(db_text(res, 3), today);
        r.f.spend_fen = db_int(res, 4);
        r.f.visits = (int)db_int(res, 5);
        r.f.last_visit = day_or(db_text(res, 6), -1);
        r.f.earliest_due = day_or(db_text(res, 7), -1);
        r.first_visit = day_or(db_text(res, 8), -1);
        if (each(ctx, &r) < 0) {
            rc = -1;
            break;
        }
    }
    db_done(res);
    if (rc == -1 && err->code[0])
        return -1;
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

struct change {
    int64_t id;
    enum customer_class from, to;
    enum class_reason why;
    struct class_figures f;
};

struct pass {
    const struct class_thresholds *t;
    struct class_cutoffs c;
    struct change *changes;
    size_t n, cap;
    struct classify_result *out;
};

static int collect(void *ctx, const struct figures_row *r)
{
    struct pass *p = ctx;
    enum class_reason why;
    enum customer_class cls = classify_decide(&r->f, p->t, &p->c, &why);
    p->out->examined++;
    if (cls == r->cls)
        return 0;
    if (r->locked) {
        p->out->locked++;
        return 0;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct change *m = realloc(p->changes, cap * sizeof *m);
        if (!m)
            return -1;
        p->changes = m, p->cap = cap;
    }
    p->changes[p->n++] = (struct change){r->id, r->cls, cls, why, r->f};
    return 0;
}

/* Writes one change unless the class moved meanwhile or was locked; 1 written, 0 not. */
static int write_change(struct db *db, const struct actor *a, const struct change *ch,
                        const char *now, struct dms_error *err)
{
    int rc = db_exec(db,
                     "UPDATE customers SET classification = ?, classification_source = 'rules', "
                     "classification_at = ?, classification_reason = ? WHERE id = ? AND "
                     "store_id = ? AND classification = ? AND classification_locked = 0",
                     "sssiis", CUSTOMER_CLASS_NAMES[ch->to], now, CLASS_REASON_NAMES[ch->why],
                     ch->id, a->store_id, CUSTOMER_CLASS_NAMES[ch->from]);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return 0;
    json_t *c = json_object();
    audit_text(c, "classification", CUSTOMER_CLASS_NAMES[ch->from], CUSTOMER_CLASS_NAMES[ch->to]);
    audit_text(c, "classification_source", NULL, "rules");
    audit_text(c, "classification_reason", NULL, CLASS_REASON_NAMES[ch->why]);
    /* The figures the rules saw, so the history says why. */
    json_object_set_new(c, "spend_fen_12m", json_pack("[nI]", (json_int_t)ch->f.spend_fen));
    json_object_set_new(c, "visits_12m", json_pack("[ni]", ch->f.visits));
    char d[DATE_STR] = "";
    if (ch->f.last_visit >= 0)
        date_format(ch->f.last_visit, d);
    audit_text(c, "last_visit", NULL, d);
    d[0] = '\0';
    if (ch->f.earliest_due >= 0)
        date_format(ch->f.earliest_due, d);
    audit_text(c, "earliest_due", NULL, d);
    rc = audit_write(db, a, "update", "customer", ch->id, c, err);
    json_decref(c);
    return rc < 0 ? -1 : 1;
}

static void thresholds_of(const struct store_settings *st, struct class_thresholds *t)
{
    t->vip_spend_fen = st->class_vip_spend_fen;
    t->vip_visits = st->class_vip_visits;
    t->at_risk_days = st->class_at_risk_days;
    t->lost_months = st->class_lost_months;
}

int classify_store(struct db *db, const struct actor *a, dms_day today, enum classify_source source,
                   struct classify_result *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    char day[DATE_STR], now[TIMESTAMP_STR];
    date_format(today, day);
    timestamp_format_utc(a->now, now);
    /* The claim: one nightly pass per store and day, whoever comes second writes nothing. */
    int rc = db_query_int(db, &out->run_id,
                          "INSERT INTO classify_runs (store_id, day, nightly_date, source, at) "
                          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id, nightly_date) DO NOTHING "
                          "RETURNING id",
                          "issss", a->store_id, day, source == CLASSIFY_NIGHTLY ? day : NULL,
                          CLASSIFY_SOURCE_NAMES[source], now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return 0;
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct class_thresholds t;
    thresholds_of(&st, &t);
    struct pass p = {.t = &t, .out = out};
    classify_cutoffs(today, &t, &p.c);
    rc = read_figures(db, a->store_id, 0, today, collect, &p, err);
    if (rc < 0 && !err->code[0])
        dms_fail(err, "db_error", NULL, "out of memory");
    for (size_t i = 0; rc >= 0 && i < p.n; i++) {
        int w = write_change(db, a, &p.changes[i], now, err);
        if (w < 0)
            rc = -1;
        else if (w > 0) {
            out->changed++;
            out->into[p.changes[i].to]++;
            out->from[p.changes[i].from]++;
        }
    }
    free(p.changes);
    if (rc < 0)
        return -1;
    json_t *into = json_object(), *from = json_object();
    for (int i = 0; i < CLASS_COUNT; i++) {
        json_object_set_new(into, CUSTOMER_CLASS_NAMES[i], json_integer(out->into[i]));
        json_object_set_new(from, CUSTOMER_CLASS_NAMES[i], json_integer(out->from[i]));
    }
    char *counts = json_dumps(into, JSON_COMPACT | JSON_SORT_KEYS);
    rc = counts
             ? db_exec(db,
                       "UPDATE classify_runs SET examined = ?, changed = ?, counts = ? "
                       "WHERE id = ?",
                       "iisi", (int64_t)out->examined, (int64_t)out->changed, counts, out->run_id)
             : DB_ERROR;
    free(counts);
    if (rc < 0) {
        json_decref(into), json_decref(from);
        return store_db_fail(db, rc, err);
    }
    json_t *ch = json_pack("{s:s, s:s, s:i, s:i, s:i, s:o, s:o}", "day", day, "source",
                           CLASSIFY_SOURCE_NAMES[source], "examined", out->examined, "changed",
                           out->changed, "locked", out->locked, "into", into, "from", from);
    rc = audit_write(db, a, "run", "classify_run", out->run_id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : 1;
}

int classify_customer(struct db *db, const struct actor *a, int64_t customer_id,
                      struct dms_error *err)
{
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct class_thresholds t;
    thresholds_of(&st, &t);
    struct classify_result res;
    memset(&res, 0, sizeof res);
    struct pass p = {.t = &t, .out = &res};
    classify_cutoffs(a->today, &t, &p.c);
    int rc = read_figures(db, a->store_id, customer_id, a->today, collect, &p, err);
    if (rc < 0 && !err->code[0])
        dms_fail(err, "db_error", NULL, "out of memory");
    if (rc == 0 && p.n == 1) {
        char now[TIMESTAMP_STR];
        timestamp_format_utc(a->now, now);
        rc = write_change(db, a, &p.changes[0], now, err) < 0 ? -1 : 0;
    }
    free(p.changes);
    return rc;
}

struct one {
    struct class_figures *f;
    dms_day *first;
    bool found;
};

static int take_one(void *ctx, const struct figures_row *r)
{
    struct one *o = ctx;
    *o->f = r->f;
    *o->first = r->first_visit;
    o->found = true;
    return 0;
}

int classify_figures(struct db *db, const struct actor *a, int64_t customer_id, dms_day today,
                     struct class_figures *out, dms_day *first_visit, struct dms_error *err)
{
    struct one o = {out, first_visit, false};
    if (read_figures(db, a->store_id, customer_id, today, take_one, &o, err) < 0)
        return -1;
    if (!o.found) {
        memset(out, 0, sizeof *out);
        out->last_visit = out->earliest_due = -1;
        *first_visit = -1;
    }
    return 0;
}
