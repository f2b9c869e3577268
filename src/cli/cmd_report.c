/* dms report calls: RPT-2 as a table, per call list: created, done, reached, booked, expired,
 * reach and booking rate, for a day or a month. dms report workshop: RO-8's figures of the
 * workshop for a day or a month (what GET /api/v1/reports/workshop answers, without the
 * days). dms report call-quality: IN-21's month of the 9-point booking-call check per advisor
 * (what GET /api/v1/reports/call-quality answers, without the trend). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/call_review.h"
#include "core/rates.h"
#include "core/money.h"
#include "core/tasks.h"
#include "core/workshop_report.h"
#include "store/call_reviews.h"
#include "store/reports.h"
#include "store/stores.h"
#include "store/workshop_report.h"

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

/* A figure in tenths (core/workshop_report.h) with its unit, "-" when there is none. */
#define FIGURE_STR 64

static const char *tenths(char out[FIGURE_STR], int64_t v, const char *unit)
{
    if (v < 0)
        snprintf(out, FIGURE_STR, "-");
    else
        snprintf(out, FIGURE_STR, "%lld.%lld%.8s", (long long)(v / 10), (long long)(v % 10), unit);
    return out;
}

static const char *hours(char out[FIGURE_STR], int64_t x100)
{
    snprintf(out, FIGURE_STR, "%lld.%02lld", (long long)(x100 / 100), (long long)(x100 % 100));
    return out;
}

/* RO-8: the workshop's figures of one store. */
static int report_workshop(void *ctx, struct db *db, const struct store_info *s)
{
    struct report_ctx *r = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct workshop_report rep;
    struct dms_error err = {0};
    if (workshop_report_get(db, &a, r->from, r->to, &rep, &err) < 0)
        return cli_fail(s->code, &err);
    const struct workshop_counts *c = &rep.total;
    struct workshop_figures f;
    workshop_figures_of(c, &f);
    char f1[FIGURE_STR], f2[FIGURE_STR], f3[FIGURE_STR];
    char from[DATE_STR], to[DATE_STR];
    date_format(r->from, from);
    date_format(r->to, to);
    printf("%s %s, %s .. %s\n", s->code, s->name, from, to);
    printf("%-16s %lld (booked %lld, walk-in %lld, booking share %s), cancelled %lld\n",
           "repair orders", (long long)c->orders, (long long)c->by_source[RO_SOURCE_APPOINTMENT],
           (long long)c->by_source[RO_SOURCE_WALK_IN], tenths(f1, f.booking_share_tenths, "%"),
           (long long)c->cancelled);
    printf("%-16s", "by kind");
    for (int k = 0; k < SERVICE_KIND_COUNT; k++)
        printf(" %s %lld", SERVICE_KIND_NAMES[k], (long long)c->by_kind[k]);
    printf("\n%-16s booked %s, walk-in %s\n", "average wait",
           tenths(f1, f.avg_wait_tenths[RO_SOURCE_APPOINTMENT], " min"),
           tenths(f2, f.avg_wait_tenths[RO_SOURCE_WALK_IN], " min"));
    printf("%-16s sold %s, clocked %s, efficiency %s\n", "labour hours", hours(f1, c->sold_x100),
           hours(f2, f.hours_clocked_x100), tenths(f3, f.efficiency_tenths, "%"));
    printf("%-16s %lld (%s)\n", "comebacks", (long long)c->comebacks,
           tenths(f1, f.comeback_tenths, "%"));
    printf("%-16s %lld (on time %lld, late %lld, on-time %s)\n", "delivered",
           (long long)c->delivered, (long long)c->on_time, (long long)c->late,
           tenths(f1, f.on_time_tenths, "%"));
    printf("%-16s %12s %12s\n", "revenue", "labour", "parts");
    for (int p = 0; p < PAYER_COUNT; p++) {
        char l[32], pt[32];
        money_format(c->revenue_fen[RO_LINE_LABOUR][p], l);
        money_format(c->revenue_fen[RO_LINE_PART][p], pt);
        printf("  %-14s %12s %12s\n", PAYER_NAMES[p], l, pt);
    }
    char l[32], pt[32], d[32];
    money_format(f.labour_fen, l);
    money_format(f.parts_fen, pt);
    money_format(c->discount_fen, d);
    printf("  %-14s %12s %12s (discount %s)\n", "total", l, pt, d);
    workshop_report_clear(&rep);
    return 0;
}

/* IN-21: one line of the call-quality table: reviews, average, full scores, each point's pass
 * rate. */
static void quality_line(const char *label, const struct call_quality *q)
{
    struct rate avg = call_quality_average(q);
    char a[16];
    if (avg.known)
        snprintf(a, sizeof a, "%.2f", rate_value(avg, 2));
    else
        snprintf(a, sizeof a, "-");
    printf("%-24s %7lld %7s %5lld", label, (long long)q->reviews, a, (long long)q->full);
    for (int i = 0; i < CALL_POINT_COUNT; i++) {
        char p[16];
        pct(p, call_quality_pass_rate(q, (enum call_point)i));
        printf(" %6s", p);
    }
    printf("\n");
}

static int report_call_quality(void *ctx, struct db *db, const struct store_info *s)
{
    struct report_ctx *r = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct call_quality_report rep;
    struct dms_error err = {0};
    if (call_reviews_report(db, &a, r->from, &rep, &err) < 0)
        return cli_fail(s->code, &err);
    char f[DATE_STR];
    date_format(r->from, f);
    printf("%s %s, %.7s (points: 1 %s ... 9 %s)\n", s->code, s->name, f, CALL_POINT_NAMES[0],
           CALL_POINT_NAMES[CALL_POINT_COUNT - 1]);
    printf("%-24s %7s %7s %5s", "advisor", "reviews", "average", "full");
    for (int i = 0; i < CALL_POINT_COUNT; i++)
        printf(" %6d", i + 1);
    printf("\n");
    for (size_t i = 0; i < rep.n_advisors; i++)
        quality_line(rep.advisors[i].name, &rep.advisors[i].month);
    quality_line("store", &rep.store[CALL_REVIEW_TREND_MONTHS - 1]);
    call_quality_report_clear(&rep);
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
    bool workshop = strcmp(sub, "workshop") == 0;
    bool quality = strcmp(sub, "call-quality") == 0; /* IN-21: a month only */
    if ((!workshop && !quality && strcmp(sub, "calls") != 0) ||
        cli_parse(c, 2, opts, NULL, 0) < 0 || (!date == !month) || (quality && date)) {
        fprintf(stderr, "usage: dms report calls (--month YYYY-MM | --date YYYY-MM-DD) "
                        "[--store CODE]\n"
                        "       dms report workshop (--month YYYY-MM | --date YYYY-MM-DD) "
                        "[--store CODE]\n"
                        "       dms report call-quality --month YYYY-MM [--store CODE]\n");
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
    int rc = cli_each_store(db, store,
                            quality    ? report_call_quality
                            : workshop ? report_workshop
                                       : report,
                            &r);
    db_close(db);
    return rc;
}
