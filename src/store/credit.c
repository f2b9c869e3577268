/* CRM-3: credit analysis. The statements are the receivables of orders settled on account
 * (RO-7); visits and spend are the class rules' (store/classify.h). A statement paid on time
 * was paid in full on or before its due date (paid_at's UTC day against the store-local due
 * date: a payment in the first hours of the day after may count as on time). */
#include <stdlib.h>

#include "core/credit.h"
#include "core/text.h"
#include "store/classify.h"
#include "store/credit.h"
#include "store/internal.h"

int credit_open_complaints(struct db *db, const struct actor *a, int64_t customer_id, int *out,
                           struct dms_error *err)
{
    /* CS-6: the customer's complaints (not enquiries) not yet closed. */
    int64_t n = 0;
    int rc = db_query_int(db, &n,
                          "SELECT COUNT(*) FROM complaints WHERE store_id = ? AND customer_id = ? "
                          "AND kind = 'complaint' AND status <> 'closed'",
                          "ii", a->store_id, customer_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    *out = (int)n;
    return 0;
}

/* Per customer with statements (or the one): judged, on time, outstanding, overdue, oldest
 * overdue due date. Parameters: today x3, store, customer (WHO: CLASSIFY_WHO_*). */
#define STATEMENTS_SQL(WHO)                                                                        \
    "SELECT customer_id, "                                                                         \
    "SUM(CASE WHEN status = 'paid' OR due_date < ? THEN 1 ELSE 0 END) AS judged, "                 \
    "SUM(CASE WHEN status = 'paid' AND substr(paid_at, 1, 10) <= due_date THEN 1 ELSE 0 END) "     \
    "AS on_time, SUM(CASE WHEN status = 'open' THEN amount_fen - paid_fen ELSE 0 END) AS owed, "   \
    "SUM(CASE WHEN status = 'open' AND due_date < ? THEN amount_fen - paid_fen ELSE 0 END) "       \
    "AS overdue, MIN(CASE WHEN status = 'open' AND due_date < ? THEN due_date END) AS oldest "     \
    "FROM receivables WHERE " WHO " GROUP BY customer_id"

static dms_day day_or(const char *s, dms_day none)
{
    dms_day out;
    return s[0] && date_parse(s, &out, NULL, NULL) == 0 ? out : none;
}

static void grade(struct credit *c, dms_day today)
{
    c->on_time_pct = credit_on_time_pct(&c->f);
    c->grade = credit_grade(&c->f, today, c->reasons, &c->n_reasons);
}

int credit_get(struct db *db, const struct actor *a, int64_t customer_id, struct credit *out,
               struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    out->customer_id = customer_id;
    out->f.oldest_overdue = -1;
    char today[DATE_STR];
    date_format(a->today, today);
    struct class_figures cf;
    dms_day first;
    if (classify_figures(db, a, customer_id, a->today, &cf, &first, err) < 0)
        return -1;
    out->f.visits = cf.visits;
    out->f.spend_fen = cf.spend_fen;
    out->f.avg_days_between = credit_avg_days_between(first, cf.last_visit, cf.visits);
    struct db_res *res;
    int rc = db_query(db, &res, STATEMENTS_SQL(CLASSIFY_WHO_ONE), "sssii", today, today, today,
                      a->store_id, customer_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if ((rc = db_step(res)) > 0) {
        out->f.statements = (int)db_int(res, 1);
        out->f.paid_on_time = (int)db_int(res, 2);
        out->f.outstanding_fen = db_int(res, 3);
        out->f.overdue_fen = db_int(res, 4);
        out->f.oldest_overdue = day_or(db_text(res, 5), -1);
    }
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (credit_open_complaints(db, a, customer_id, &out->f.open_complaints, err) < 0)
        return -1;
    grade(out, a->today);
    return 0;
}

int credit_list(struct db *db, const struct actor *a, const struct credit_filter *f, int64_t after,
                int limit, struct credit **out, size_t *n, bool *more, struct credit_totals *totals,
                struct dms_error *err)
{
    *out = NULL, *n = 0, *more = false;
    memset(totals, 0, sizeof *totals);
    char today[DATE_STR], from[DATE_STR];
    date_format(a->today, today);
    date_format(date_add_months(a->today, -12) + 1, from);
    struct credit *list = calloc((size_t)limit + 1, sizeof *list);
    if (!list)
        return dms_fail(err, "db_error", NULL, "out of memory");
    struct db_res *res;
    int rc = db_query(
        db, &res,
        "SELECT c.id, c.name, c.type, s.judged, s.on_time, s.owed, s.overdue, s.oldest, "
        "COALESCE(x.visits, 0), COALESCE(x.spend, 0), x.first_day, x.last_day "
        "FROM (" STATEMENTS_SQL(
            CLASSIFY_WHO_STORE) ") s JOIN customers c ON c.id = s.customer_id "
                                "LEFT JOIN (SELECT customer_id, COUNT(DISTINCT day) AS visits, "
                                "SUM(amount) AS spend, "
                                "MIN(day) AS first_day, MAX(day) AS last_day FROM "
                                "(" CLASSIFY_VISITS_SQL(
                                    CLASSIFY_WHO_STORE) ") v "
                                                        "WHERE day >= ? GROUP BY customer_id) x ON "
                                                        "x.customer_id = c.id "
                                                        "WHERE c.store_id = ? ORDER BY c.id",
        "sssiiiisiissi", today, today, today, a->store_id, (int64_t)0, a->store_id, (int64_t)0,
        today, a->store_id, (int64_t)0, today, from, a->store_id);
    if (rc < 0) {
        free(list);
        return store_db_fail(db, rc, err);
    }
    while ((rc = db_step(res)) > 0) {
        struct credit c;
        memset(&c, 0, sizeof c);
        c.customer_id = db_int(res, 0);
        col_copy(c.name, sizeof c.name, res, 1);
        int t = enum_index(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, db_text(res, 2));
        c.type = t < 0 ? CUSTOMER_INDIVIDUAL : (enum customer_type)t;
        c.f.statements = (int)db_int(res, 3);
        c.f.paid_on_time = (int)db_int(res, 4);
        c.f.outstanding_fen = db_int(res, 5);
        c.f.overdue_fen = db_int(res, 6);
        c.f.oldest_overdue = day_or(db_text(res, 7), -1);
        c.f.visits = (int)db_int(res, 8);
        c.f.spend_fen = db_int(res, 9);
        c.f.avg_days_between = credit_avg_days_between(day_or(db_text(res, 10), -1),
                                                       day_or(db_text(res, 11), -1), c.f.visits);
        /* Complaints: credit_open_complaints' hook is 0 for everyone until they exist. */
        grade(&c, a->today);
        if ((f->grade >= 0 && (int)c.grade != f->grade) ||
            (f->type >= 0 && (int)c.type != f->type) || (f->overdue && c.f.overdue_fen <= 0))
            continue;
        totals->customers++;
        totals->outstanding_fen += c.f.outstanding_fen;
        totals->overdue_fen += c.f.overdue_fen;
        if (c.customer_id <= after)
            continue;
        if (*n < (size_t)limit)
            list[(*n)++] = c;
        else
            *more = true;
    }
    db_done(res);
    if (rc < 0) {
        free(list);
        return store_db_fail(db, rc, err);
    }
    *out = list;
    return 0;
}
