/* CRM-2 and CRM-3 over HTTP: POST /api/v1/customers/classify (the classification pass run now
 * by a manager), GET /api/v1/reports/credit (who owes what, since when) and the credit view
 * of a customer's detail. Translates only: store/classify.c and store/credit.c do the work. */
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "core/text.h"
#include "http/http.h"
#include "store/classify.h"
#include "store/credit.h"

static json_t *day_or_null(dms_day d)
{
    if (d < 0)
        return json_null();
    char s[DATE_STR];
    date_format(d, s);
    return json_string(s);
}

static json_t *int_or_null(int v)
{
    return v < 0 ? json_null() : json_integer(v);
}

json_t *view_credit(const struct credit *c)
{
    json_t *reasons = json_array();
    for (int i = 0; i < c->n_reasons; i++)
        json_array_append_new(reasons, json_string(CREDIT_REASON_NAMES[c->reasons[i]]));
    const struct credit_figures *f = &c->f;
    return json_pack("{s:s, s:o, s:i, s:I, s:o, s:i, s:i, s:o, s:I, s:I, s:o, s:i}", "grade",
                     CREDIT_GRADE_NAMES[c->grade], "reasons", reasons, "visits_12m", f->visits,
                     "spend_fen_12m", (json_int_t)f->spend_fen, "avg_days_between_visits",
                     int_or_null(f->avg_days_between), "statements", f->statements, "paid_on_time",
                     f->paid_on_time, "on_time_pct", int_or_null(c->on_time_pct), "outstanding_fen",
                     (json_int_t)f->outstanding_fen, "overdue_fen", (json_int_t)f->overdue_fen,
                     "overdue_since", day_or_null(f->oldest_overdue), "open_complaints",
                     f->open_complaints);
}

/* CRM-3: the list is for the store's managers (service manager, admin); the others see one
 * customer's credit on the customer's card. */
static bool lists_credit(enum role role)
{
    return role == ROLE_SERVICE_MANAGER || role == ROLE_ADMIN;
}

int h_reports_credit(struct req *r)
{
    if (!lists_credit(r->actor.role))
        return req_fail(r, "forbidden", NULL,
                        "只有服务经理和管理员可以查看信用清单 / only the service manager and the "
                        "admin read the credit list");
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct credit_filter f = {-1, -1, false};
    const char *grade = req_query(r, "grade"), *type = req_query(r, "type"),
               *overdue = req_query(r, "overdue");
    if (grade && (f.grade = enum_index(CREDIT_GRADE_NAMES, CREDIT_GRADE_COUNT, grade)) < 0)
        return req_fail(r, "invalid_field", "grade",
                        "信用等级是 A、B、C 或 D / grade is A, B, C or D");
    if (type && (f.type = enum_index(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, type)) < 0)
        return req_fail(r, "invalid_field", "type",
                        "客户类型是 individual 或 company / type is individual or company");
    if (overdue) {
        if (strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0)
            return req_fail(r, "invalid_field", "overdue",
                            "逾期只能是 true 或 false / overdue is true or false");
        f.overdue = strcmp(overdue, "true") == 0;
    }
    struct credit *list;
    size_t n;
    bool more;
    struct credit_totals t;
    if (credit_list(r->db, &r->actor, &f, cursor, limit, &list, &n, &more, &t, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = view_credit(&list[i]);
        json_object_set_new(o, "customer_id", json_integer(list[i].customer_id));
        /* PIPL: the admin sees names masked, as in every customer view. */
        json_object_set_new(o, "name", masked_name(r, list[i].name));
        json_object_set_new(o, "type", json_string(CUSTOMER_TYPE_NAMES[list[i].type]));
        json_array_append_new(items, o);
    }
    int64_t last = n ? list[n - 1].customer_id : 0;
    free(list);
    json_t *totals =
        json_pack("{s:i, s:I, s:I}", "customers", t.customers, "outstanding_fen",
                  (json_int_t)t.outstanding_fen, "overdue_fen", (json_int_t)t.overdue_fen);
    char next[32];
    cursor_encode(last, next);
    return reply(r, 200,
                 json_pack("{s:o, s:o, s:o}", "items", items, "next_cursor",
                           more ? json_string(next) : json_null(), "totals", totals));
}

int h_customers_classify(struct req *r)
{
    static const char *const fields[] = {"nightly", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    bool nightly = false;
    if (jin_bool(r->body, "nightly", false, &nightly, &r->err) < 0)
        return -1;
    struct classify_result res;
    int rc = classify_store(r->db, &r->actor, r->actor.today,
                            nightly ? CLASSIFY_NIGHTLY : CLASSIFY_API, &res, &r->err);
    if (rc < 0)
        return -1;
    json_t *into = json_object();
    for (int i = 0; i < CLASS_COUNT; i++)
        json_object_set_new(into, CUSTOMER_CLASS_NAMES[i], json_integer(res.into[i]));
    char day[DATE_STR];
    date_format(r->actor.today, day);
    return reply(r, 200,
                 json_pack("{s:b, s:s, s:o, s:i, s:i, s:i, s:o}", "ran", rc > 0, "date", day,
                           "run_id", rc > 0 ? json_integer(res.run_id) : json_null(), "examined",
                           res.examined, "changed", res.changed, "locked", res.locked, "into",
                           into));
}
