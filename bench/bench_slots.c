/* bench_slots: how fast the slot search (IN-6, IN-8, IN-9) answers for a busy store. The
 * requirement: 30 bays, 40 technicians, 60 days ahead with 3,000 booked jobs, under 5 ms a
 * search.
 *
 *   bench_slots [--db URL] [--searches N] [--bookings N] [--days D] [--options K] [--seed S]
 *               [--by-job]
 *
 * Fills a fresh database (default: a SQLite file next to this program, removed afterwards)
 * with one store of 30 bays (mostly quick service and general repair, a few body, paint,
 * alignment and EV), 40 technicians with realistic skill sets who work 6 (some 5) days a
 * week, and 3,000 confirmed jobs over the next 60 days (about 50 a day), placed by a greedy
 * fill with a fixed seed so that no bay ([start, hold)) or technician ([start, end)) is
 * booked twice, in the default calendar (every day 08:30-17:30, lunch 12:00-13:00) and the
 * default float (30 minutes). Then times slots_find(), which loads its window of days from
 * the database on every call (nothing is cached, by design), for N searches of a random job
 * (one of a few typical operations, 30-240 minutes) on a random wished day of the 60, at a
 * random wished time or any time; then N searches for the earliest option (wish today, any
 * time). Ten untimed searches first warm the statement cache. Prints median / p95 / p99 /
 * max in milliseconds (wall clock) and the options found per search, then the same of the
 * thread's CPU time, which leaves out what other processes took on a busy machine; --by-job
 * also per kind of job. The one EV bay ends up booked solid for weeks, so EV searches find
 * too few options in the first window and load the whole SLOTS_AHEAD one (the slow path). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/phone.h"
#include "core/slots.h"
#include "core/vin.h"
#include "core/workshop.h"
#include "store/customers.h"
#include "store/migrate.h"
#include "store/slots.h"
#include "store/store.h"
#include "store/stores.h"
#include "store/vehicles.h"
#include "store/workshop.h"

#define BAYS          30
#define TECHS         40
#define FLOAT_MIN     30 /* store_settings.float_min's default */
#define STEP_MIN      30 /* store_settings.slot_step_min's default */
#define MAX_PER_DAY   32 /* bookings of one resource on one day; far more than fit */
#define MAX_OPTIONS   20
#define VEHICLES      40
#define LOCAL_OFFSET  (8 * 3600) /* Asia/Shanghai, seconds east of UTC */
#define NOT_BEFORE    (8 * 60)   /* minutes: searches are made at 08:00 today */
#define WARMUP        10
#define RATE_FEN_HOUR 30000 /* labour rate: 300 yuan an hour */

static double clock_ms(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}
static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}
/* This thread's CPU time: the wall time less what other processes took from it. */
static double cpu_ms(void)
{
    return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Du;
}
static int pick(int n) /* 0 .. n-1 */
{
    return (int)(next() % (uint64_t)n);
}

#define SK(s) (1u << (s))

/* Typical jobs, weighted by how often they are booked (in percent). */
struct job_kind {
    const char *name;
    int work_min;
    enum bay_kind bay;
    unsigned skills;
    char case_code;
    int weight;
};
static const struct job_kind JOBS[] = {
    {"oil change", 30, BAY_QUICK_SERVICE, SK(SKILL_MAINTENANCE), 'A', 25},
    {"minor service", 60, BAY_QUICK_SERVICE, SK(SKILL_MAINTENANCE), 'A', 20},
    {"major service", 120, BAY_GENERAL, SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL), 'A', 12},
    {"brakes", 90, BAY_GENERAL, SK(SKILL_MECHANICAL), 'B', 12},
    {"electrical diagnosis", 60, BAY_GENERAL, SK(SKILL_ELECTRICAL) | SK(SKILL_DIAGNOSTICS), 'B', 8},
    {"engine repair", 240, BAY_GENERAL, SK(SKILL_MECHANICAL) | SK(SKILL_DIAGNOSTICS), 'B', 4},
    {"wheel alignment", 45, BAY_ALIGNMENT, SK(SKILL_ALIGNMENT), 'B', 7},
    {"body repair", 180, BAY_BODY, SK(SKILL_BODY), 'B', 5},
    {"paint", 240, BAY_PAINT, SK(SKILL_PAINT), 'B', 3},
    {"EV battery check", 120, BAY_EV, SK(SKILL_EV) | SK(SKILL_ELECTRICAL), 'B', 4},
};
#define N_JOBS (sizeof JOBS / sizeof JOBS[0])

static const struct job_kind *random_job(void)
{
    int w = pick(100);
    for (size_t i = 0; i < N_JOBS; i++) {
        if (w < JOBS[i].weight)
            return &JOBS[i];
        w -= JOBS[i].weight;
    }
    return &JOBS[0];
}

/* 30 bays by kind. */
static const struct {
    enum bay_kind kind;
    int count;
} BAY_MIX[] = {{BAY_QUICK_SERVICE, 12}, {BAY_GENERAL, 11},  {BAY_BODY, 2},
               {BAY_PAINT, 2},          {BAY_ALIGNMENT, 2}, {BAY_EV, 1}};

/* 40 technicians by skill set. */
static const struct {
    unsigned skills;
    int count;
} TECH_MIX[] = {
    {SK(SKILL_MAINTENANCE), 8},
    {SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL), 8},
    {SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL) | SK(SKILL_ELECTRICAL), 8},
    {SK(SKILL_MECHANICAL) | SK(SKILL_ELECTRICAL) | SK(SKILL_DIAGNOSTICS), 4},
    {SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL) | SK(SKILL_ELECTRICAL) | SK(SKILL_DIAGNOSTICS),
     2},
    {SK(SKILL_BODY), 3},
    {SK(SKILL_BODY) | SK(SKILL_PAINT), 1},
    {SK(SKILL_PAINT), 2},
    {SK(SKILL_ALIGNMENT) | SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL), 1},
    {SK(SKILL_ALIGNMENT) | SK(SKILL_MAINTENANCE), 1},
    {SK(SKILL_EV) | SK(SKILL_ELECTRICAL) | SK(SKILL_DIAGNOSTICS) | SK(SKILL_MECHANICAL), 2},
};

/* 1234567 -> "1,234,567" */
static const char *thousands(int64_t v, char out[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* What the greedy fill has booked: per day and resource, half-open [from, until). */
struct held {
    short from[MAX_PER_DAY], until[MAX_PER_DAY];
    int n;
};
struct fill_plan {
    int days;
    struct held *bay, *tech;   /* [day * BAYS + b], [day * TECHS + t] */
    int64_t bay_min, tech_min; /* minutes held and worked, for the utilisation */
};

static bool is_free(const struct held *h, int from, int until)
{
    if (h->n == MAX_PER_DAY)
        return false;
    for (int i = 0; i < h->n; i++)
        if (h->from[i] < until && from < h->until[i])
            return false;
    return true;
}

static void hold(struct held *h, int from, int until)
{
    h->from[h->n] = (short)from;
    h->until[h->n] = (short)until;
    h->n++;
}

struct resources {
    int64_t bay_id[BAYS];
    enum bay_kind bay_kind[BAYS];
    int64_t tech_id[TECHS];
    unsigned tech_skills[TECHS], tech_days[TECHS];
    int64_t vehicle_id[VEHICLES], customer_id[VEHICLES];
};

static int create_resources(struct db *db, const struct actor *a, struct resources *r)
{
    struct dms_error err = {0};
    int b = 0;
    for (size_t k = 0; k < sizeof BAY_MIX / sizeof BAY_MIX[0]; k++) {
        for (int i = 0; i < BAY_MIX[k].count; i++, b++) {
            struct bay bay;
            memset(&bay, 0, sizeof bay);
            snprintf(bay.code, sizeof bay.code, "B%02d", b + 1);
            snprintf(bay.name, sizeof bay.name, "%s %d", BAY_KIND_NAMES[BAY_MIX[k].kind], i + 1);
            bay.kind = BAY_MIX[k].kind;
            bay.active = true;
            if (bays_create(db, a, &bay, &err) < 0) {
                fprintf(stderr, "bench_slots: bay: %s\n", err.message);
                return -1;
            }
            r->bay_id[b] = bay.id;
            r->bay_kind[b] = bay.kind;
        }
    }
    int t = 0;
    for (size_t k = 0; k < sizeof TECH_MIX / sizeof TECH_MIX[0]; k++) {
        for (int i = 0; i < TECH_MIX[k].count; i++, t++) {
            struct technician tech;
            memset(&tech, 0, sizeof tech);
            snprintf(tech.name, sizeof tech.name, "Technician %d", t + 1);
            tech.skills = TECH_MIX[k].skills;
            /* Everyone has a day off in turn; every fifth has a second one. */
            tech.work_days = 0x7Fu & ~(1u << (t % 7));
            if (t % 5 == 4)
                tech.work_days &= ~(1u << ((t + 3) % 7));
            tech.active = true;
            if (technicians_create(db, a, &tech, &err) < 0) {
                fprintf(stderr, "bench_slots: technician: %s\n", err.message);
                return -1;
            }
            r->tech_id[t] = tech.id;
            r->tech_skills[t] = tech.skills;
            r->tech_days[t] = tech.work_days;
        }
    }
    for (int i = 0; i < VEHICLES; i++) {
        struct customer *c = calloc(1, sizeof *c);
        if (!c)
            return -1;
        snprintf(c->name, sizeof c->name, "Customer %d", i + 1);
        snprintf(c->phones[0].number, PHONE_MAX, "1390000%04d", i);
        c->n_phones = 1;
        int rc = customers_create(db, a, c, &err);
        r->customer_id[i] = c->id;
        free(c);
        if (rc < 0) {
            fprintf(stderr, "bench_slots: customer: %s\n", err.message);
            return -1;
        }
        struct vehicle v;
        memset(&v, 0, sizeof v);
        v.customer_id = r->customer_id[i];
        snprintf(v.vin, sizeof v.vin, "LFV2A21K0S%07d", i);
        v.vin[8] = vin_check_digit(v.vin);
        v.vin_verified = true;
        snprintf(v.plate, sizeof v.plate, "粤B7%04d", i);
        snprintf(v.brand, sizeof v.brand, "大众");
        snprintf(v.model, sizeof v.model, "速腾");
        if (vehicles_create(db, a, &v, 0, &err) < 0) {
            fprintf(stderr, "bench_slots: vehicle: %s\n", err.message);
            return -1;
        }
        r->vehicle_id[i] = v.id;
    }
    return 0;
}

/* Places one job of kind j on day d (index from today) at the free start nearest a random
 * one (the customer's wish), on the first free bay and technician from random ones.
 * Returns 1 placed (filled in), 0 no room that day. */
static int place(struct fill_plan *p, const struct resources *r, const struct week_hours *week,
                 dms_day today, int d, const struct job_kind *j, int *start, int *end, int *bay,
                 int *tech)
{
    dms_day date = today + d;
    int wd = date_weekday(date);
    const struct day_hours *h = &week->day[wd];
    int iv[2][2], starts[64], n = 0;
    int m = calendar_intervals(h, iv);
    for (int k = 0; k < m; k++)
        for (int t = iv[k][0]; t < iv[k][1] && n < 64; t += STEP_MIN)
            starts[n++] = t;
    if (n == 0)
        return 0;
    int s0 = pick(n), b0 = pick(BAYS), t0 = pick(TECHS);
    for (int si = 0; si < 2 * n; si++) {
        int at = s0 + (si % 2 ? -(si + 1) / 2 : si / 2); /* s0, s0 - 1, s0 + 1, s0 - 2 ... */
        if (at < 0 || at >= n)
            continue;
        int s = starts[at];
        int e = slot_end(h, s, j->work_min);
        if (e < 0)
            continue;
        int b = -1, t = -1;
        for (int k = 0; k < BAYS && b < 0; k++) {
            int i = (b0 + k) % BAYS;
            if (r->bay_kind[i] == j->bay && is_free(&p->bay[d * BAYS + i], s, e + FLOAT_MIN))
                b = i;
        }
        for (int k = 0; k < TECHS && t < 0 && b >= 0; k++) {
            int i = (t0 + k) % TECHS;
            if ((r->tech_skills[i] & j->skills) == j->skills && (r->tech_days[i] >> wd & 1u) &&
                is_free(&p->tech[d * TECHS + i], s, e))
                t = i;
        }
        if (b < 0 || t < 0)
            continue;
        hold(&p->bay[d * BAYS + b], s, e + FLOAT_MIN);
        hold(&p->tech[d * TECHS + t], s, e);
        p->bay_min += e + FLOAT_MIN - s;
        p->tech_min += e - s;
        *start = s, *end = e, *bay = b, *tech = t;
        return 1;
    }
    return 0;
}

/* The bookings, spread evenly over the days (day i % days), in one transaction. */
static int fill(struct db *db, const struct actor *a, const struct resources *r,
                struct fill_plan *p, int bookings, int *placed)
{
    struct week_hours week;
    calendar_default_week(&week);
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    *placed = 0;
    if (db_begin(db, true) < 0)
        return -1;
    for (int i = 0; i < bookings; i++) {
        const struct job_kind *j = NULL;
        int start = 0, end = 0, bay = 0, tech = 0, used = -1;
        /* Its day first, then the days after it; another job when none has room. */
        for (int tries = 0; tries < 20 && used < 0; tries++) {
            j = random_job();
            for (int k = 0; k < p->days && used < 0; k++) {
                int d = (i + k) % p->days;
                if (place(p, r, &week, a->today, d, j, &start, &end, &bay, &tech))
                    used = d;
            }
        }
        if (used < 0)
            break;
        char day[DATE_STR];
        date_format(a->today + used, day);
        int v = i % VEHICLES;
        int64_t labour = ((int64_t)j->work_min * RATE_FEN_HOUR + 30) / 60;
        int64_t parts = j->case_code == 'A' ? 20000 + pick(40000) : pick(200000);
        char case_code[2] = {j->case_code, '\0'};
        if (db_exec(db,
                    "INSERT INTO appointments (store_id, vehicle_id, customer_id, case_code, "
                    "status, flexibility, day, start_min, end_min, hold_min, bay_id, "
                    "technician_id, bay_kind, skills, work_min, source, labour_fen, parts_fen, "
                    "total_fen, created_at, updated_at) VALUES (?, ?, ?, ?, 'confirmed', "
                    "'exact', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'inbound', ?, ?, ?, ?, ?)",
                    "iiissiiiiisiiiiiss", a->store_id, r->vehicle_id[v], r->customer_id[v],
                    case_code, day, (int64_t)start, (int64_t)end, (int64_t)(end + FLOAT_MIN),
                    r->bay_id[bay], r->tech_id[tech], BAY_KIND_NAMES[j->bay], (int64_t)j->skills,
                    (int64_t)j->work_min, labour, parts, labour + parts, now, now) < 0) {
            fprintf(stderr, "bench_slots: insert: %s\n", db_errmsg(db));
            db_rollback(db);
            return -1;
        }
        (*placed)++;
    }
    return db_commit(db);
}

struct result {
    double median, p95, p99, max;
};

/* Of t[0..n), sorted in scratch. */
static void percentiles(const double *src, int n, double *t, struct result *out)
{
    if (t != src)
        memcpy(t, src, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    out->median = t[n / 2];
    out->p95 = t[(size_t)n * 95 / 100];
    out->p99 = t[(size_t)n * 99 / 100];
    out->max = t[n - 1];
}

/* n searches; earliest: wish today at any time, else a random day and time. */
static int search(struct db *db, int64_t store_id, dms_day today, int days, int n, size_t max,
                  bool earliest, bool by_job, const char *label)
{
    double *t = calloc((size_t)n, sizeof *t), *cpu = calloc((size_t)n, sizeof *cpu);
    double *scratch = calloc((size_t)n, sizeof *scratch);
    int *kind = calloc((size_t)n, sizeof *kind);
    struct slot_option opts[MAX_OPTIONS];
    int64_t found = 0, found_kind[N_JOBS] = {0};
    if (!t || !cpu || !scratch || !kind) {
        free(t), free(cpu), free(scratch), free(kind);
        return -1;
    }
    for (int i = -WARMUP; i < n; i++) {
        const struct job_kind *j = random_job();
        struct slot_query q;
        memset(&q, 0, sizeof q);
        q.job.work_min = j->work_min;
        q.job.bay_kind = j->bay;
        q.job.skills = j->skills;
        q.wish_day = earliest ? today : today + pick(days);
        /* Seven in ten wish a time, on the quarter hour from 08:00 to 17:30. */
        q.wish_min = earliest || pick(10) >= 7 ? -1 : 8 * 60 + 15 * pick(39);
        q.not_before_day = today;
        q.not_before_min = NOT_BEFORE;
        struct dms_error err = {0};
        size_t got = 0;
        double t0 = now_ms(), c0 = cpu_ms();
        if (slots_find(db, store_id, &q, opts, max, &got, &err) < 0) {
            fprintf(stderr, "bench_slots: slots_find: %s %s\n", err.message, db_errmsg(db));
            free(t), free(cpu), free(scratch), free(kind);
            return -1;
        }
        double dt = now_ms() - t0, dc = cpu_ms() - c0;
        if (i < 0)
            continue;
        t[i] = dt;
        cpu[i] = dc;
        kind[i] = (int)(j - JOBS);
        found += (int64_t)got;
        found_kind[j - JOBS] += (int64_t)got;
    }
    struct result all;
    percentiles(t, n, scratch, &all);
    printf("  %s: median %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms; %.2f options on "
           "average\n",
           label, all.median, all.p95, all.p99, all.max, (double)found / n);
    percentiles(cpu, n, scratch, &all);
    printf("    CPU time (this thread): median %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms\n",
           all.median, all.p95, all.p99, all.max);
    /* By job: each kind's times gathered at the front of the scratch array. */
    for (size_t k = 0; by_job && k < N_JOBS; k++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (kind[i] == (int)k)
                scratch[m++] = t[i];
        if (m == 0)
            continue;
        struct result r;
        percentiles(scratch, m, scratch, &r);
        printf("    %-22s %5d: median %.3f ms, p95 %.3f ms, max %.3f ms; %.2f options\n",
               JOBS[k].name, m, r.median, r.p95, r.max, (double)found_kind[k] / m);
    }
    fflush(stdout);
    free(t), free(cpu), free(scratch), free(kind);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_slots [--db URL (a SQLite file next to the program)]\n"
               "                   [--searches N (2000)] [--bookings N (3000)] [--days D (60)]\n"
               "                   [--options K (5)] [--seed S (1)] [--by-job]\n");
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    int searches = 2000, bookings = 3000, days = 60, options = 5;
    bool by_job = false;
    long long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--by-job") == 0) {
            by_job = true;
            continue;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--db") == 0)
            url = v;
        else if (strcmp(a, "--searches") == 0)
            searches = atoi(v);
        else if (strcmp(a, "--bookings") == 0)
            bookings = atoi(v);
        else if (strcmp(a, "--days") == 0)
            days = atoi(v);
        else if (strcmp(a, "--options") == 0)
            options = atoi(v);
        else if (strcmp(a, "--seed") == 0)
            seed = atoll(v);
        else {
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (searches < 1 || bookings < 0 || days < 1 || days > SLOTS_AHEAD || options < 1 ||
        options > MAX_OPTIONS) {
        usage(stderr);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    rng ^= (uint64_t)seed * 0xBF58476D1CE4E5B9u;
    if (rng == 0)
        rng = 1;

    /* Default: a throw-away SQLite file in the folder of this program (the build folder). */
    char path[4096] = "", tmp_url[4200];
    if (!url) {
        const char *slash = strrchr(argv[0], '/');
        int dir = slash ? (int)(slash - argv[0]) : 1;
        snprintf(path, sizeof path, "%.*s/bench-slots-%d.db", dir, slash ? argv[0] : ".",
                 (int)getpid());
        snprintf(tmp_url, sizeof tmp_url, "sqlite:%s", path);
        url = tmp_url;
    }
    struct db *db = NULL;
    struct dms_error err = {0};
    struct resources *r = calloc(1, sizeof *r);
    struct fill_plan p = {.days = days};
    p.bay = calloc((size_t)days * BAYS, sizeof *p.bay);
    p.tech = calloc((size_t)days * TECHS, sizeof *p.tech);
    int rc = 1;
    if (!r || !p.bay || !p.tech)
        goto out;
    if (db_open(url, &db, &err) < 0 || store_migrate(db, NULL, &err) < 0) {
        fprintf(stderr, "bench_slots: %s\n", err.message);
        goto out;
    }
    struct actor a = {.role = ROLE_ADMIN, .username = "bench", .now = (int64_t)time(NULL)};
    a.today = date_of_local_seconds(a.now + LOCAL_OFFSET);
    struct store_info s;
    char code[32];
    snprintf(code, sizeof code, "S%d", (int)getpid());
    double t0 = now_ms();
    if (db_begin(db, true) < 0 || stores_add(db, &a, code, "bench slots", NULL, &s, &err) < 0 ||
        (a.store_id = s.id, create_resources(db, &a, r) < 0) || db_commit(db) < 0) {
        fprintf(stderr, "bench_slots: %s %s\n", err.message, db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    int placed = 0;
    if (fill(db, &a, r, &p, bookings, &placed) < 0) {
        fprintf(stderr, "bench_slots: fill: %s\n", db_errmsg(db));
        goto out;
    }
    double fill_s = (now_ms() - t0) / 1e3;
    char first[DATE_STR], last[DATE_STR], num[32];
    date_format(a.today, first);
    date_format(a.today + days - 1, last);
    int64_t open_min = 0, tech_open = 0;
    struct week_hours week;
    calendar_default_week(&week);
    for (int d = 0; d < days; d++) {
        int wd = date_weekday(a.today + d), iv[2][2];
        int m = calendar_intervals(&week.day[wd], iv);
        int mins = 0;
        for (int k = 0; k < m; k++)
            mins += iv[k][1] - iv[k][0];
        open_min += mins;
        for (int t = 0; t < TECHS; t++)
            tech_open += (r->tech_days[t] >> wd & 1u) ? mins : 0;
    }
    printf("bench_slots: %s, %d bays, %d technicians, %s bookings over %d days (%s..%s, "
           "%.1f a day), float %d min, step %d min\n",
           db_kind(db) == DB_SQLITE ? "sqlite" : "postgres", BAYS, TECHS, thousands(placed, num),
           days, first, last, (double)placed / days, FLOAT_MIN, STEP_MIN);
    printf("  data: fill %.2f s; bays held %.0f%% of opening hours (float included), "
           "technicians working %.0f%% of theirs\n",
           fill_s, 100.0 * (double)p.bay_min / (double)(open_min * BAYS),
           100.0 * (double)p.tech_min / (double)(tech_open ? tech_open : 1));
    if (placed < bookings)
        printf("  (only %d of %d bookings fitted)\n", placed, bookings);
    fflush(stdout);

    char label[128];
    snprintf(label, sizeof label,
             "slots_find, %d searches (random day of %d, 7 in 10 at a wished time), up to %d "
             "options",
             searches, days, options);
    if (search(db, s.id, a.today, days, searches, (size_t)options, false, by_job, label) < 0)
        goto out;
    snprintf(label, sizeof label, "earliest (wish today, any time), %d searches", searches);
    if (search(db, s.id, a.today, days, searches, (size_t)options, true, by_job, label) < 0)
        goto out;
    rc = 0;
out:
    db_close(db);
    free(r);
    free(p.bay);
    free(p.tech);
    if (path[0]) {
        char f[4200];
        unlink(path);
        snprintf(f, sizeof f, "%s-wal", path);
        unlink(f);
        snprintf(f, sizeof f, "%s-shm", path);
        unlink(f);
    }
    return rc;
}
