/* dms report calls: RPT-2 as a table, per call list: created, done, reached, booked, expired,
 * reach and booking rate, for a day or a month. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/rates.h"
#include "core/tasks.h"
#include "store/reports.h"
#include "store/stores.h"

struct report_ctx {
    dms_day from, to;
};

/* A rate (core/rates.h) as a percentage to one decimal, "-" when there is no figure. */
static void pct(char out[16], struct rate r)
{
    if (!r.known)
        snprintf(out, 16, "-");
    else
        snprintf(out, 16, "%.1f%%", 100.0 * (double)r.num / (double)r.den);
}

static void line(const char *label, const struct call_counts *c)
{
    char reach[16], book[16];
    pct(reach, rate_reach(c->created, c->reached));
    pct(book, rate_booking(c->reached, c->booked));
    printf("%-24s %8lld %8lld %8lld %8lld %8lld %8s %8s\n", label, (long long)c->created,
           (long long)c->done, (long long)c->reached, (long long)c->booked, (long long)c->expired,
           reach, book);
}

static int report(void *ctx, struct db *db, const struct store_info *s)
{
    struct report_ctx *r = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct call_report rep;
    struct dms_error err = {0};
    if (reports_calls(db, &a, r->from, r->to, &rep, &err) < 0)
        return cli_fail(s->code, &err);
    char f[DATE_STR], t[DATE_STR];
    date_format(r->from, f);
    date_format(r->to, t);
    printf("%s %s, %s .. %s\n", s->code, s->name, f, t);
    printf("%-24s %8s %8s %8s %8s %8s %8s %8s\n", "list", "created", "done", "reached", "booked",
           "expired", "reach", "booking");
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        if (rep.by_type[i].created)
            line(TASK_TYPE_NAMES[i], &rep.by_type[i]);
    }
    line("total", &rep.total);
    call_report_clear(&rep);
    return 0;
}

int cmd_report(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *date = NULL, *month = NULL, *store = NULL;
    struct cli_opt opts[] = {{"date", &date, NULL},
                             {"month", &month, NULL},
                             {"store", &store, NULL},
                             {NULL, NULL, NULL}};
    if (strcmp(sub, "calls") != 0 || cli_parse(c, 2, opts, NULL, 0) < 0 || (!date == !month)) {
        fprintf(stderr, "usage: dms report calls (--month YYYY-MM | --date YYYY-MM-DD) "
                        "[--store CODE]\n");
        return 2;
    }
    struct report_ctx r;
    struct dms_error err = {0};
    if (date) {
        if (date_parse(date, &r.from, "date", &err) < 0)
            return cli_fail("--date", &err) + 1;
        r.to = r.from;
    } else {
        if (date_parse_month(month, &r.from, &r.to, "--month", &err) < 0) {
            fprintf(stderr, "dms: --month is YYYY-MM\n");
            return 2;
        }
    }
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, report, &r);
    db_close(db);
    return rc;
}
