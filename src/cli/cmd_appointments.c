/* dms appointments: the booking call from the command line (IN-6..IN-9, IN-11, IN-16).
 *   slots  --store CODE --ops A,B [--parts NO:QTY,...] [--date D [--time HH:MM]]
 *   book   --store CODE --vehicle ID --ops A,B --start YYYY-MM-DDTHH:MM [--parts ...]
 *          [--wait-for-parts] [--words TEXT] [--source inbound|outbound|walk_in|online]
 *   board  --store CODE [--date D]
 *   remind [--store CODE]   queue the reminders due now (dms serve does this itself) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/booking.h"
#include "core/calendar.h"
#include "core/money.h"
#include "core/outbox.h"
#include "core/slots.h"
#include "core/text.h"
#include "store/appointments.h"
#include "store/slots.h"
#include "store/stores.h"

struct appt_cli {
    const char *ops, *parts, *date, *time, *start, *vehicle, *words, *source;
    bool wait;
};

static void print_option(const struct slot_option *o)
{
    char s[LOCAL_TIME_STR], e[8], h[8];
    local_time_format(o->date, o->start, s);
    hhmm_format(o->end, e);
    hhmm_format(o->hold_until, h);
    printf("  %s-%s (window until %s)  bay %lld  technician %lld\n", s, e, h, (long long)o->bay_id,
           (long long)o->technician_id);
}

static void print_money(const char *label, int64_t fen)
{
    char m[32];
    money_format(fen, m);
    printf("%s ¥%s", label, m);
}

static int parse_job(const struct appt_cli *x, struct booking_in *in, struct dms_error *err)
{
    if (!x->ops)
        return dms_fail(err, "missing_field", "ops", "--ops CODE,CODE is required");
    if (booking_parse_codes(x->ops, in->codes, APPT_MAX_OPS, &in->n_codes, "ops", err) < 0)
        return -1;
    return booking_parse_parts(x->parts ? x->parts : "", in->parts, APPT_MAX_PARTS, &in->n_parts,
                               err);
}

static int slots(void *ctx, struct db *db, const struct store_info *s)
{
    const struct appt_cli *x = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct dms_error err = {0};
    struct booking_in *in = calloc(1, sizeof *in);
    struct appt_plan *plan = malloc(sizeof *plan);
    dms_day day = 0;
    int min = -1, rc = -1;
    if (in && plan && parse_job(x, in, &err) == 0 &&
        (!x->date || date_parse(x->date, &day, "date", &err) == 0) &&
        (!x->time || outbox_parse_hhmm(x->time, &min, "time", &err) == 0) &&
        db_begin(db, false) == 0 &&
        appointments_plan(db, &a, in->codes, in->n_codes, in->parts, in->n_parts, plan, &err) ==
            0) {
        struct slot_query q = {
            .job = plan->job, .wish_day = day ? day : a.today, .wish_min = day ? min : -1};
        slot_not_before(a.today, a.now_min, plan->short_parts ? plan->parts_day : 0,
                        &q.not_before_day, &q.not_before_min);
        struct slot_option o[3];
        size_t n;
        rc = slots_find(db, s->id, &q, o, 3, &n, &err);
        if (rc == 0) {
            printf("%s: case %s, %d minutes of work,", s->code, BOOKING_CASE_NAMES[plan->bcase],
                   plan->job.work_min);
            print_money(" labour", plan->labour_fen);
            print_money(" + parts", plan->parts_fen);
            print_money(" = total", plan->total_fen);
            printf("\n");
            for (int i = 0; i < plan->n_parts; i++)
                printf("  part %s x%lld: %s\n", plan->parts[i].part_no,
                       (long long)plan->parts[i].qty,
                       plan->parts[i].available >= plan->parts[i].qty ? "in stock" : "to order");
            for (size_t i = 0; i < n; i++)
                print_option(&o[i]);
        }
    }
    db_rollback(db);
    free(in);
    free(plan);
    return rc < 0 ? cli_fail(s->code, &err) : 0;
}

static int book(void *ctx, struct db *db, const struct store_info *s)
{
    const struct appt_cli *x = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct dms_error err = {0};
    struct booking_in *in = calloc(1, sizeof *in);
    struct appointment *ap = malloc(sizeof *ap);
    struct booking_refusal f = {0};
    int source = SOURCE_INBOUND, rc = -1;
    char *end = NULL;
    if (!in || !ap)
        dms_fail(&err, "internal", NULL, "out of memory");
    else if (parse_job(x, in, &err) < 0)
        ;
    else if (!x->vehicle || (in->vehicle_id = strtoll(x->vehicle, &end, 10)) <= 0 || *end)
        dms_fail(&err, "invalid_field", "vehicle", "--vehicle ID is required");
    else if (!x->start || local_time_parse(x->start, &in->day, &in->start_min, "start", &err) < 0)
        dms_fail(&err, "invalid_date", "start", "--start YYYY-MM-DDTHH:MM is required");
    else if (x->source && (source = enum_index(SOURCE_NAMES, SOURCE_COUNT, x->source)) < 0)
        dms_fail(&err, "invalid_field", "source", "--source inbound|outbound|walk_in|online");
    else {
        in->flex = FLEX_EXACT;
        in->source = (enum booking_source)source;
        in->wait_for_parts = x->wait;
        snprintf(in->customer_words, sizeof in->customer_words, "%s", x->words ? x->words : "");
        if (db_begin(db, true) == 0 && appointments_book(db, &a, in, ap, &f, &err) == 0 &&
            db_commit(db) == 0)
            rc = 0;
        else
            db_rollback(db);
    }
    if (rc == 0) {
        char st[LOCAL_TIME_STR], e[8];
        dms_day d;
        date_parse(ap->day, &d, NULL, &err);
        local_time_format(d, ap->start_min, st);
        hhmm_format(ap->end_min, e);
        printf("%s: appointment %lld, case %s, %s, %s-%s, bay %s, technician %s,", s->code,
               (long long)ap->id, BOOKING_CASE_NAMES[ap->bcase], APPT_STATUS_NAMES[ap->status], st,
               e, ap->bay_name, ap->technician_name);
        print_money(" estimate", ap->total_fen);
        printf("\n");
        for (int i = 0; i < ap->n_parts; i++)
            printf("  part %s x%lld: %s%s%s\n", ap->parts[i].part_no, (long long)ap->parts[i].qty,
                   PART_STATE_NAMES[ap->parts[i].state],
                   ap->parts[i].expected_date[0] ? ", expected " : "", ap->parts[i].expected_date);
    } else {
        cli_fail(s->code, &err);
        if (f.verdict != SLOT_OK) {
            printf("instead:\n");
            for (size_t i = 0; i < f.n_options; i++)
                print_option(&f.options[i]);
        }
    }
    free(in);
    free(ap);
    return rc < 0 ? 1 : 0;
}

static int board(void *ctx, struct db *db, const struct store_info *s)
{
    const struct appt_cli *x = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct dms_error err = {0};
    struct appt_filter f = {.day = a.today, .status = -1};
    if (x->date && date_parse(x->date, &f.day, "date", &err) < 0)
        return cli_fail("--date", &err);
    struct appointment *list;
    size_t n;
    if (db_begin(db, false) < 0 || appointments_list(db, &a, &f, &list, &n, &err) < 0) {
        db_rollback(db);
        return cli_fail(s->code, &err);
    }
    db_rollback(db);
    char day[DATE_STR];
    date_format(f.day, day);
    printf("%s %s: %zu appointment(s)\n", s->code, day, n);
    for (size_t i = 0; i < n; i++) {
        const struct appointment *p = &list[i];
        char st[8] = "--:--", e[8] = "--:--";
        if (p->start_min >= 0)
            hhmm_format(p->start_min, st), hhmm_format(p->end_min, e);
        printf("  %s-%s  %-10s  %-8s %s  %s  case %s  %s", st, e,
               p->bay_name[0] ? p->bay_name : "-", p->technician_name[0] ? p->technician_name : "-",
               p->plate, p->model, BOOKING_CASE_NAMES[p->bcase], APPT_STATUS_NAMES[p->status]);
        for (int k = 0; k < p->n_parts; k++)
            printf("  %s:%s", p->parts[k].part_no, PART_STATE_NAMES[p->parts[k].state]);
        printf("\n");
    }
    free(list);
    return 0;
}

int cli_remind(struct db *db, const struct store_info *s, int *queued, struct dms_error *err)
{
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "scheduler";
    if (db_begin(db, true) < 0 || appointments_remind(db, &a, queued, err) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int cli_no_shows(struct db *db, const struct store_info *s, int *marked, int *released,
                 struct dms_error *err)
{
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "scheduler";
    if (db_begin(db, true) < 0 || appointments_no_shows(db, &a, marked, released, err) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

static int no_shows(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int marked = 0, released = 0;
    if (cli_no_shows(db, s, &marked, &released, &err) < 0)
        return cli_fail(s->code, &err);
    printf("%s: %d no-show(s), parts of %d released\n", s->code, marked, released);
    return 0;
}

static int remind(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int queued = 0;
    if (cli_remind(db, s, &queued, &err) < 0)
        return cli_fail(s->code, &err);
    printf("%s: %d reminder(s) queued\n", s->code, queued);
    return 0;
}

int cmd_appointments(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *store = NULL;
    struct appt_cli x = {0};
    struct cli_opt opts[] = {
        {"store", &store, NULL},           {"ops", &x.ops, NULL},     {"parts", &x.parts, NULL},
        {"date", &x.date, NULL},           {"time", &x.time, NULL},   {"start", &x.start, NULL},
        {"vehicle", &x.vehicle, NULL},     {"words", &x.words, NULL}, {"source", &x.source, NULL},
        {"wait-for-parts", NULL, &x.wait}, {NULL, NULL, NULL}};
    int (*fn)(void *, struct db *, const struct store_info *) =
        strcmp(sub, "slots") == 0      ? slots
        : strcmp(sub, "book") == 0     ? book
        : strcmp(sub, "board") == 0    ? board
        : strcmp(sub, "remind") == 0   ? remind
        : strcmp(sub, "no-shows") == 0 ? no_shows
                                       : NULL;
    if (!fn || cli_parse(c, 2, opts, NULL, 0) < 0 || (fn != remind && !store)) {
        fprintf(stderr, "usage: dms appointments slots --store CODE --ops A,B [--parts NO:QTY,...] "
                        "[--date D [--time HH:MM]]\n"
                        "       dms appointments book --store CODE --vehicle ID --ops A,B --start "
                        "YYYY-MM-DDTHH:MM [--parts NO:QTY,...] [--wait-for-parts] [--words TEXT] "
                        "[--source inbound|outbound|walk_in|online]\n"
                        "       dms appointments board --store CODE [--date D]\n"
                        "       dms appointments remind [--store CODE]\n");
        return 2;
    }
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, fn, &x);
    db_close(db);
    return rc;
}
