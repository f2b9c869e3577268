/* Unit tests for core/slots, the slot search (IN-6, IN-8, IN-9, IN-13, IN-20): the end of a
 * job's work over the lunch break (slot_end), whether a job can start at a minute on a day
 * (slot_check: opening hours, breaks, closed days, the float, bay kinds, skills, work days,
 * out-of-service periods, the wished bay or technician) and the options offered around a
 * wish (slot_search: the wish first, then the nearest, ties to the later one, "not before",
 * closed days, max and step); the "not before" itself, from now and the parts' arrival
 * (slot_not_before). Dates are picked by weekday with date_from_ymd: 2026-03-02 is
 * a Monday, checked in the helper. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/slots.h"
#include "core/workshop.h"

/* ---- helpers ---- */

#define HM(h, m) ((h)*60 + (m))

#define SKILL(s)   (1u << (s))
#define ALL_DAYS   0x7Fu
#define WEEK_DAYS  0x1Fu /* Monday to Friday */
#define NO_BREAK   0, 0
#define TECH_A     101
#define TECH_B     102
#define BAY_1      1
#define BAY_2      2
#define MAX_BUSY   16
#define MAX_THINGS 4

/* 08:30-17:30 with lunch 12:00-13:00, the default week's day. */
static struct day_hours std_hours(void)
{
    return (struct day_hours){true, HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)};
}

static struct day_hours hours(int open_min, int close_min, int break_from, int break_until)
{
    return (struct day_hours){true, open_min, close_min, break_from, break_until};
}

static struct day_hours closed_hours(void)
{
    return (struct day_hours){false, HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)};
}

/* Monday 2026-03-02 plus offset days (1 = Tuesday ... 5 = Saturday, 6 = Sunday). */
static dms_day monday_plus(int offset)
{
    dms_day mon = date_from_ymd(2026, 3, 2);
    if (date_weekday(mon) != 0)
        fail_msg("2026-03-02 is weekday %d, want 0 (Monday)", date_weekday(mon));
    return mon + offset;
}

/* "HH:MM" for messages, or the number for impossible values such as -1. */
struct hhmm {
    char s[16];
};

static struct hhmm hm(int minutes)
{
    struct hhmm out;
    if (minutes < 0 || minutes > HM(48, 0))
        snprintf(out.s, sizeof out.s, "%d", minutes);
    else
        snprintf(out.s, sizeof out.s, "%02d:%02d", minutes / 60, minutes % 60);
    return out;
}

static const char *verdict_name(enum slot_verdict v)
{
    switch (v) {
    case SLOT_OK:
        return "ok";
    case SLOT_TAKEN:
        return "slot_taken";
    case SLOT_UNAVAILABLE:
        return "slot_unavailable";
    }
    return "?";
}

/* The bays, technicians and what holds them; the days of a test point into it. */
struct world {
    struct slot_bay bays[MAX_THINGS];
    size_t n_bays;
    struct slot_tech techs[MAX_THINGS];
    size_t n_techs;
    struct slot_busy bay_busy[MAX_BUSY];
    size_t n_bay_busy;
    struct slot_busy tech_busy[MAX_BUSY];
    size_t n_tech_busy;
};

static void add_bay(struct world *w, int64_t id, enum bay_kind kind)
{
    assert_true(w->n_bays < MAX_THINGS);
    w->bays[w->n_bays++] = (struct slot_bay){id, kind};
}

static void add_tech(struct world *w, int64_t id, unsigned skills, unsigned work_days)
{
    assert_true(w->n_techs < MAX_THINGS);
    w->techs[w->n_techs++] = (struct slot_tech){id, skills, work_days};
}

/* A booking holds bay id over [from, until) (its float included); down: out of service. */
static void hold_bay(struct world *w, int64_t id, int from, int until, bool booking)
{
    assert_true(w->n_bay_busy < MAX_BUSY);
    w->bay_busy[w->n_bay_busy++] = (struct slot_busy){id, from, until, booking};
}

static void hold_tech(struct world *w, int64_t id, int from, int until, bool booking)
{
    assert_true(w->n_tech_busy < MAX_BUSY);
    w->tech_busy[w->n_tech_busy++] = (struct slot_busy){id, from, until, booking};
}

#define BOOKING  true
#define DOWNTIME false

/* One general bay (BAY_1) and one mechanic working every day (TECH_A), nothing booked. */
static struct world small_world(void)
{
    struct world w;
    memset(&w, 0, sizeof w);
    add_bay(&w, BAY_1, BAY_GENERAL);
    add_tech(&w, TECH_A, SKILL(SKILL_MECHANICAL) | SKILL(SKILL_MAINTENANCE), ALL_DAYS);
    return w;
}

static struct slot_day day_of(const struct world *w, dms_day date, struct day_hours h)
{
    return (struct slot_day){date,       h,           w->bays,       w->n_bays,    w->techs,
                             w->n_techs, w->bay_busy, w->n_bay_busy, w->tech_busy, w->n_tech_busy,
                             0};
}

/* A general-bay mechanical job of work_min minutes with the default 30-minute float. */
static struct slot_job job(int work_min)
{
    return (struct slot_job){work_min, BAY_GENERAL, SKILL(SKILL_MECHANICAL), 30};
}

/* slot_end must give want (-1: refused). */
#define assert_end(h, start, work, want) assert_end_at((h), (start), (work), (want), __LINE__)

static void assert_end_at(struct day_hours h, int start, int work_min, int want, int line)
{
    int got = slot_end(&h, start, work_min);
    if (got != want)
        fail_msg("line %d: slot_end(start %s, %d min) = %s, want %s", line, hm(start).s, work_min,
                 hm(got).s, hm(want).s);
}

/* slot_check must answer want (not ok) at start. */
#define assert_verdict(d, j, start, want)                                                          \
    assert_verdict_at((d), (j), (start), 0, 0, (want), __LINE__)
#define assert_verdict_for(d, j, start, bay, tech, want)                                           \
    assert_verdict_at((d), (j), (start), (bay), (tech), (want), __LINE__)

static void assert_verdict_at(const struct slot_day *d, struct slot_job j, int start,
                              int64_t want_bay, int64_t want_tech, enum slot_verdict want, int line)
{
    struct slot_option o;
    memset(&o, 0, sizeof o);
    enum slot_verdict got = slot_check(d, &j, start, want_bay, want_tech, &o);
    if (got != want)
        fail_msg("line %d: %d-min job at %s (bay %lld, tech %lld): %s, want %s", line, j.work_min,
                 hm(start).s, (long long)want_bay, (long long)want_tech, verdict_name(got),
                 verdict_name(want));
}

/* slot_check must accept start; returns the option it filled. */
#define check_ok(d, j, start)                check_ok_at((d), (j), (start), 0, 0, __LINE__)
#define check_ok_for(d, j, start, bay, tech) check_ok_at((d), (j), (start), (bay), (tech), __LINE__)

static struct slot_option check_ok_at(const struct slot_day *d, struct slot_job j, int start,
                                      int64_t want_bay, int64_t want_tech, int line)
{
    struct slot_option o;
    memset(&o, 0xA5, sizeof o); /* every field must be written */
    enum slot_verdict got = slot_check(d, &j, start, want_bay, want_tech, &o);
    if (got != SLOT_OK)
        fail_msg("line %d: %d-min job at %s (bay %lld, tech %lld): %s, want ok", line, j.work_min,
                 hm(start).s, (long long)want_bay, (long long)want_tech, verdict_name(got));
    if (o.date != d->date)
        fail_msg("line %d: option on day %d, want %d", line, (int)o.date, (int)d->date);
    if (o.start != start)
        fail_msg("line %d: option starts at %d, want %d", line, o.start, start);
    return o;
}

/* The work runs [start, end) and the window told to the customer ends at hold (IN-9). */
#define assert_window(o, start, end, hold) assert_window_at((o), (start), (end), (hold), __LINE__)

static void assert_window_at(struct slot_option o, int start, int end, int hold, int line)
{
    if (o.start != start || o.end != end || o.hold_until != hold)
        fail_msg("line %d: window %s-%s held to %s, want %s-%s held to %s", line, hm(o.start).s,
                 hm(o.end).s, hm(o.hold_until).s, hm(start).s, hm(end).s, hm(hold).s);
}

#define assert_resources(o, bay, tech) assert_resources_at((o), (bay), (tech), __LINE__)

static void assert_resources_at(struct slot_option o, int64_t bay, int64_t tech, int line)
{
    if (o.bay_id != bay || o.technician_id != tech)
        fail_msg("line %d: bay %lld with tech %lld, want bay %lld with tech %lld", line,
                 (long long)o.bay_id, (long long)o.technician_id, (long long)bay, (long long)tech);
}

/* ---- slot_search helpers ---- */

/* An expected option: days after the first day given to the search, and the start. */
struct at {
    int day;
    int min;
};

#define OUT_MAX 16

struct search {
    const struct slot_day *days;
    size_t n_days;
    struct slot_job job;
    int wish_day, wish_min; /* wish_day: index into days */
    int nb_day, nb_min;     /* not before: index into days (may be out of range) and minute */
    int step;
    size_t max;
};

static void describe(const struct slot_option *o, size_t n, dms_day base, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%sd+%d %s", i ? ", " : "",
                         (int)(o[i].date - base), hm(o[i].start).s);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Runs the search and checks what holds for every answer: at most max options, each one
 * that slot_check accepts with the same window, distinct (day, start), none before "not
 * before", none untouched past the count. */
static size_t run_search(const struct search *s, struct slot_option *out, int line)
{
    assert_true(s->max <= OUT_MAX);
    memset(out, 0x5A, sizeof(struct slot_option) * (OUT_MAX + 1));
    struct slot_option sentinel;
    memset(&sentinel, 0x5A, sizeof sentinel);
    dms_day base = s->days[0].date;
    dms_day nb_day = base + s->nb_day;
    size_t n = slot_search(s->days, s->n_days, &s->job, base + s->wish_day, s->wish_min, nb_day,
                           s->nb_min, s->step, out, s->max);
    if (n > s->max)
        fail_msg("line %d: %zu options, max %zu", line, n, s->max);
    if (memcmp(&out[n], &sentinel, sizeof sentinel) != 0)
        fail_msg("line %d: option %zu written past the count %zu", line, n, n);
    for (size_t i = 0; i < n; i++) {
        const struct slot_day *d = NULL;
        for (size_t k = 0; k < s->n_days; k++)
            if (s->days[k].date == out[i].date)
                d = &s->days[k];
        if (!d)
            fail_msg("line %d: option %zu on day d+%d, not one given", line, i,
                     (int)(out[i].date - base));
        struct slot_option c;
        memset(&c, 0, sizeof c);
        if (slot_check(d, &s->job, out[i].start, 0, 0, &c) != SLOT_OK)
            fail_msg("line %d: option %zu (d+%d %s) is not possible", line, i,
                     (int)(out[i].date - base), hm(out[i].start).s);
        if (c.end != out[i].end || c.hold_until != out[i].hold_until)
            fail_msg("line %d: option %zu (d+%d %s) ends %d held to %d; slot_check says %d, %d",
                     line, i, (int)(out[i].date - base), hm(out[i].start).s, out[i].end,
                     out[i].hold_until, c.end, c.hold_until);
        if ((long)out[i].date * 1440 + out[i].start < (long)nb_day * 1440 + s->nb_min)
            fail_msg("line %d: option %zu (d+%d %s) is before \"not before\"", line, i,
                     (int)(out[i].date - base), hm(out[i].start).s);
        for (size_t k = 0; k < i; k++)
            if (out[k].date == out[i].date && out[k].start == out[i].start)
                fail_msg("line %d: options %zu and %zu both start d+%d %s", line, k, i,
                         (int)(out[i].date - base), hm(out[i].start).s);
    }
    return n;
}

/* The search must answer exactly these options, in this order. */
#define assert_search(s, ...)                                                                      \
    assert_search_at((s), (const struct at[]){__VA_ARGS__},                                        \
                     sizeof((const struct at[]){__VA_ARGS__}) / sizeof(struct at), __LINE__)

static void assert_search_at(const struct search *s, const struct at *want, size_t n_want, int line)
{
    struct slot_option out[OUT_MAX + 1];
    size_t n = run_search(s, out, line);
    dms_day base = s->days[0].date;
    bool same = n == n_want;
    for (size_t i = 0; same && i < n; i++)
        same = out[i].date == base + want[i].day && out[i].start == want[i].min;
    if (!same) {
        char got[512], exp[512];
        struct slot_option w[OUT_MAX];
        for (size_t i = 0; i < n_want && i < OUT_MAX; i++)
            w[i] = (struct slot_option){base + want[i].day, want[i].min, 0, 0, 0, 0};
        describe(out, n, base, got, sizeof got);
        describe(w, n_want, base, exp, sizeof exp);
        fail_msg("line %d: options [%s], want [%s]", line, got, exp);
    }
}

/* The search must find nothing. */
#define assert_search_none(s) assert_search_none_at((s), __LINE__)

static void assert_search_none_at(const struct search *s, int line)
{
    struct slot_option out[OUT_MAX + 1];
    size_t n = run_search(s, out, line);
    if (n != 0) {
        char got[512];
        describe(out, n, s->days[0].date, got, sizeof got);
        fail_msg("line %d: options [%s], want none", line, got);
    }
}

/* A search over days for a job, wish (day index, minute), not before the start of day 0,
 * step 30, three options. */
static struct search search_of(const struct slot_day *days, size_t n_days, struct slot_job j,
                               int wish_day, int wish_min)
{
    return (struct search){days, n_days, j, wish_day, wish_min, 0, 0, 30, 3};
}

/* ---- slot_end ---- */

static void test_slots_end_within_the_morning(void **state)
{
    (void)state;
    struct day_hours h = std_hours();
    assert_end(h, HM(8, 30), 60, HM(9, 30));
    assert_end(h, HM(9, 0), 1, HM(9, 1));
    /* Work that ends right at the break ends at 12:00, not after lunch. */
    assert_end(h, HM(11, 0), 60, HM(12, 0));
    assert_end(h, HM(8, 30), HM(12, 0) - HM(8, 30), HM(12, 0));
}

static void test_slots_end_skips_the_break(void **state)
{
    (void)state;
    struct day_hours h = std_hours();
    /* 08:30-17:30, lunch 12:00-13:00: two hours from 11:00 end at 14:00. */
    assert_end(h, HM(11, 0), 120, HM(14, 0));
    assert_end(h, HM(11, 59), 2, HM(13, 1));
    assert_end(h, HM(11, 0), 61, HM(13, 1));
    /* The whole working day: 8 hours. */
    assert_end(h, HM(8, 30), 480, HM(17, 30));
    assert_end(h, HM(8, 30), 481, -1);
}

static void test_slots_end_start_must_be_open(void **state)
{
    (void)state;
    struct day_hours h = std_hours();
    assert_end(h, HM(8, 29), 30, -1);
    assert_end(h, HM(0, 0), 30, -1);
    assert_end(h, HM(12, 0), 30, -1); /* the break's first minute */
    assert_end(h, HM(12, 59), 30, -1);
    assert_end(h, HM(13, 0), 30, HM(13, 30)); /* the break's end */
    assert_end(h, HM(17, 30), 1, -1);         /* closing */
    assert_end(h, HM(17, 29), 1, HM(17, 30));
    assert_end(h, HM(23, 0), 1, -1);
}

static void test_slots_end_by_closing_time(void **state)
{
    (void)state;
    struct day_hours h = std_hours();
    assert_end(h, HM(16, 30), 60, HM(17, 30)); /* exactly at closing */
    assert_end(h, HM(16, 31), 60, -1);
    assert_end(h, HM(13, 0), 270, HM(17, 30));
    assert_end(h, HM(13, 0), 271, -1);
    /* Across lunch to the closing minute, and one minute more. */
    assert_end(h, HM(11, 30), 30 + 270, HM(17, 30));
    assert_end(h, HM(11, 30), 30 + 271, -1);
}

static void test_slots_end_without_a_break_or_closed(void **state)
{
    (void)state;
    struct day_hours h = hours(HM(9, 0), HM(15, 0), NO_BREAK);
    assert_end(h, HM(11, 0), 120, HM(13, 0)); /* no lunch to skip */
    assert_end(h, HM(9, 0), 360, HM(15, 0));
    assert_end(h, HM(9, 0), 361, -1);
    assert_end(h, HM(8, 59), 10, -1);
    /* The whole day, midnight to midnight. */
    assert_end(hours(0, HM(24, 0), NO_BREAK), 0, HM(24, 0), HM(24, 0));
    assert_end(closed_hours(), HM(9, 0), 30, -1);
}

/* ---- slot_check: opening hours, breaks, closed days (IN-6, IN-13) ---- */

static void test_slots_check_opening_hours(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(30), HM(8, 29), SLOT_UNAVAILABLE);
    check_ok(&d, job(30), HM(8, 30));
    assert_verdict(&d, job(30), HM(17, 30), SLOT_UNAVAILABLE); /* at closing */
    assert_verdict(&d, job(1), HM(17, 30), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(18, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(7, 0), SLOT_UNAVAILABLE);
    check_ok(&d, job(30), HM(17, 0));
}

static void test_slots_check_break(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(30), HM(12, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(12, 30), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(12, 59), SLOT_UNAVAILABLE);
    struct slot_option o = check_ok(&d, job(30), HM(13, 0)); /* right at the break's end */
    assert_window(o, HM(13, 0), HM(13, 30), HM(14, 0));
    o = check_ok(&d, job(30), HM(11, 30)); /* ends right at the break */
    assert_window(o, HM(11, 30), HM(12, 0), HM(12, 30));
}

static void test_slots_check_closed_day(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), closed_hours());
    /* Nothing booked, the technician works Mondays: the day being closed is enough. */
    assert_verdict(&d, job(30), HM(8, 30), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(10, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(30), HM(13, 0), SLOT_UNAVAILABLE);
}

/* IN-13: a make-up working day (调休) is the caller's business: a Sunday with hours given is
 * open like any day, and a Monday holiday with hours.open false is closed. */
static void test_slots_check_make_up_day_uses_the_hours_given(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day sun =
        day_of(&w, monday_plus(6), hours(HM(9, 0), HM(18, 0), HM(12, 30), HM(13, 30)));
    struct slot_option o = check_ok(&sun, job(60), HM(12, 0));
    assert_window(o, HM(12, 0), HM(14, 0), HM(14, 30));
    assert_verdict(&sun, job(60), HM(8, 30), SLOT_UNAVAILABLE); /* its hours, not the week's */
    struct slot_day holiday = day_of(&w, monday_plus(0), closed_hours());
    assert_verdict(&holiday, job(60), HM(9, 0), SLOT_UNAVAILABLE);
}

static void test_slots_check_zero_work_refused(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(0), HM(9, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(-30), HM(9, 0), SLOT_UNAVAILABLE);
}

/* ---- slot_check: the float (IN-13) and the window told (IN-9) ---- */

static void test_slots_check_window_is_work_plus_float(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(90), HM(9, 0));
    assert_window(o, HM(9, 0), HM(10, 30), HM(11, 0));
    assert_resources(o, BAY_1, TECH_A);
    struct slot_job j = job(90);
    j.float_min = 0;
    o = check_ok(&d, j, HM(9, 0));
    assert_window(o, HM(9, 0), HM(10, 30), HM(10, 30));
    j.float_min = 45;
    o = check_ok(&d, j, HM(9, 0));
    assert_window(o, HM(9, 0), HM(10, 30), HM(11, 15));
}

/* A job 09:00-10:00 holds its bay until 10:30: the next may start at 10:30, not 10:29. */
static void test_slots_check_float_minute_it_ends(void **state)
{
    (void)state;
    struct world w = small_world();
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), ALL_DAYS); /* the bay decides, not techs */
    hold_bay(&w, BAY_1, HM(9, 0), HM(10, 30), BOOKING);
    hold_tech(&w, TECH_A, HM(9, 0), HM(10, 0), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(10, 30));
    assert_window(o, HM(10, 30), HM(11, 30), HM(12, 0));
    assert_resources(o, BAY_1, TECH_A);
    assert_verdict(&d, job(60), HM(10, 29), SLOT_TAKEN);
    assert_verdict(&d, job(60), HM(10, 0), SLOT_TAKEN); /* in the float */
    assert_verdict(&d, job(60), HM(9, 30), SLOT_TAKEN); /* in the work */
}

/* The new job's own float must not run into the next booking on its bay. */
static void test_slots_check_own_float_meets_next_booking(void **state)
{
    (void)state;
    struct world w = small_world();
    hold_bay(&w, BAY_1, HM(10, 0), HM(11, 30), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    /* 08:30-09:30 held to 10:00: touches the booking, does not overlap it. */
    struct slot_option o = check_ok(&d, job(60), HM(8, 30));
    assert_window(o, HM(8, 30), HM(9, 30), HM(10, 0));
    assert_verdict(&d, job(60), HM(8, 31), SLOT_TAKEN);
    assert_verdict(&d, job(60), HM(9, 0), SLOT_TAKEN);
    check_ok(&d, job(60), HM(11, 30));
}

/* With two bays, a start in the first bay's float goes to the second bay. */
static void test_slots_check_float_two_bays_second_bay(void **state)
{
    (void)state;
    struct world w = small_world();
    add_bay(&w, BAY_2, BAY_GENERAL);
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    hold_bay(&w, BAY_1, HM(9, 0), HM(10, 30), BOOKING);
    hold_tech(&w, TECH_A, HM(9, 0), HM(10, 0), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(10, 29));
    assert_resources(o, BAY_2, TECH_A); /* TECH_A is free from 10:00: the tech has no float */
    o = check_ok(&d, job(60), HM(9, 30));
    assert_resources(o, BAY_2, TECH_B);
    o = check_ok(&d, job(60), HM(10, 30));
    assert_resources(o, BAY_1, TECH_A); /* the first in order once free again */
}

/* A job may end at closing; its float runs past closing. */
static void test_slots_check_float_past_closing(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(16, 30));
    assert_window(o, HM(16, 30), HM(17, 30), HM(18, 0));
    assert_verdict(&d, job(60), HM(16, 31), SLOT_UNAVAILABLE); /* work past closing */
    o = check_ok(&d, job(1), HM(17, 29));
    assert_window(o, HM(17, 29), HM(17, 30), HM(18, 0));
}

/* ---- slot_check: bays, skills, work days (IN-6) ---- */

static void test_slots_check_bay_kind_mismatch(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_job ev = {60, BAY_EV, SKILL(SKILL_MECHANICAL), 30};
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, ev, HM(9, 0), SLOT_UNAVAILABLE);
    add_bay(&w, 7, BAY_EV);
    d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, ev, HM(9, 0));
    assert_resources(o, 7, TECH_A);
    /* The general bay is not used for it even when the EV bay is booked. */
    hold_bay(&w, 7, HM(8, 30), HM(10, 0), BOOKING);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, ev, HM(9, 0), SLOT_TAKEN);
}

static void test_slots_check_tech_needs_every_skill(void **state)
{
    (void)state;
    struct world w;
    memset(&w, 0, sizeof w);
    add_bay(&w, BAY_1, BAY_GENERAL);
    add_tech(&w, TECH_A, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    struct slot_job j = {60, BAY_GENERAL, SKILL(SKILL_MECHANICAL) | SKILL(SKILL_ELECTRICAL), 30};
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, j, HM(9, 0), SLOT_UNAVAILABLE); /* lacks electrical */
    add_tech(&w, TECH_B, SKILL(SKILL_ELECTRICAL), ALL_DAYS);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, j, HM(9, 0), SLOT_UNAVAILABLE); /* two halves do not make one */
    add_tech(&w, 103, SKILL(SKILL_MECHANICAL) | SKILL(SKILL_ELECTRICAL) | SKILL(SKILL_EV),
             ALL_DAYS);
    d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, j, HM(9, 0)); /* more skills than needed is fine */
    assert_resources(o, BAY_1, 103);
    /* A job needing no skill takes the first technician. */
    j.skills = 0;
    o = check_ok(&d, j, HM(9, 0));
    assert_resources(o, BAY_1, TECH_A);
}

/* A skill missing is unavailable even when the bay is also booked. */
static void test_slots_check_missing_skill_beats_taken(void **state)
{
    (void)state;
    struct world w = small_world();
    hold_bay(&w, BAY_1, HM(8, 30), HM(17, 30), BOOKING);
    struct slot_job j = {60, BAY_GENERAL, SKILL(SKILL_PAINT), 30};
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, j, HM(9, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(60), HM(9, 0), SLOT_TAKEN);
}

/* work_days: bit 0 = Monday ... bit 6 = Sunday, by the date's weekday. */
static void test_slots_check_tech_work_days(void **state)
{
    (void)state;
    struct world w;
    memset(&w, 0, sizeof w);
    add_bay(&w, BAY_1, BAY_GENERAL);
    add_tech(&w, TECH_A, SKILL(SKILL_MECHANICAL), WEEK_DAYS);
    struct day_hours h = std_hours();
    for (int i = 0; i < 7; i++) {
        dms_day date = monday_plus(i);
        assert_int_equal(date_weekday(date), i);
        struct slot_day d = day_of(&w, date, h);
        if (i < 5)
            check_ok(&d, job(60), HM(9, 0));
        else
            assert_verdict(&d, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    }
    /* Monday only, then Sunday only. */
    w.techs[0].work_days = 1u << 0;
    struct slot_day mon = day_of(&w, monday_plus(0), h), tue = day_of(&w, monday_plus(1), h),
                    sun = day_of(&w, monday_plus(6), h);
    check_ok(&mon, job(60), HM(9, 0));
    assert_verdict(&tue, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    assert_verdict(&sun, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    w.techs[0].work_days = 1u << 6;
    assert_verdict(&mon, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    check_ok(&sun, job(60), HM(9, 0));
    /* The one off today is passed over for one who works. */
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), 1u << 0);
    mon = day_of(&w, monday_plus(0), h);
    struct slot_option o = check_ok(&mon, job(60), HM(9, 0));
    assert_resources(o, BAY_1, TECH_B);
}

/* ---- slot_check: out-of-service periods vs bookings ---- */

static void test_slots_check_bay_downtime_unavailable_booking_taken(void **state)
{
    (void)state;
    struct world down = small_world(), booked = small_world();
    hold_bay(&down, BAY_1, HM(8, 30), HM(12, 0), DOWNTIME);
    hold_bay(&booked, BAY_1, HM(8, 30), HM(12, 0), BOOKING);
    struct slot_day dd = day_of(&down, monday_plus(0), std_hours());
    struct slot_day db = day_of(&booked, monday_plus(0), std_hours());
    assert_verdict(&dd, job(60), HM(10, 0), SLOT_UNAVAILABLE);
    assert_verdict(&db, job(60), HM(10, 0), SLOT_TAKEN);
    /* Right after either, the bay is free. */
    check_ok(&dd, job(60), HM(13, 0));
    check_ok(&db, job(60), HM(13, 0));
    /* The float running into downtime: 09:00-10:00 held to 10:30, down from 10:15. */
    struct world later = small_world();
    hold_bay(&later, BAY_1, HM(10, 15), HM(17, 30), DOWNTIME);
    struct slot_day dl = day_of(&later, monday_plus(0), std_hours());
    assert_verdict(&dl, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    check_ok(&dl, job(60), HM(8, 30)); /* held to 10:00 */
}

static void test_slots_check_tech_downtime_unavailable_booking_taken(void **state)
{
    (void)state;
    struct world down = small_world(), booked = small_world();
    hold_tech(&down, TECH_A, HM(13, 0), HM(17, 30), DOWNTIME);
    hold_tech(&booked, TECH_A, HM(13, 0), HM(17, 30), BOOKING);
    struct slot_day dd = day_of(&down, monday_plus(0), std_hours());
    struct slot_day db = day_of(&booked, monday_plus(0), std_hours());
    assert_verdict(&dd, job(60), HM(14, 0), SLOT_UNAVAILABLE);
    assert_verdict(&db, job(60), HM(14, 0), SLOT_TAKEN);
    /* 11:30 runs past lunch into 13:30: the technician is held while working. */
    assert_verdict(&dd, job(60), HM(11, 30), SLOT_UNAVAILABLE);
    assert_verdict(&db, job(60), HM(11, 30), SLOT_TAKEN);
    /* 11:00-12:00 ends before; the technician's time has no float. */
    check_ok(&dd, job(60), HM(11, 0));
    check_ok(&db, job(60), HM(11, 0));
}

static void test_slots_check_downtime_mixed_with_bookings(void **state)
{
    (void)state;
    struct world w = small_world();
    add_bay(&w, BAY_2, BAY_GENERAL);
    hold_bay(&w, BAY_1, HM(8, 30), HM(17, 30), DOWNTIME);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    /* One bay down, the other free: the other. */
    struct slot_option o = check_ok(&d, job(60), HM(9, 0));
    assert_resources(o, BAY_2, TECH_A);
    /* One down, the other booked: a booking holds it, so taken. */
    hold_bay(&w, BAY_2, HM(8, 30), HM(10, 30), BOOKING);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(60), HM(9, 0), SLOT_TAKEN);
    /* Both down: unavailable. */
    hold_bay(&w, BAY_2, HM(8, 30), HM(10, 30), DOWNTIME);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    /* A bay down while the technician is booked: unavailable. */
    struct world x = small_world();
    hold_bay(&x, BAY_1, HM(8, 30), HM(12, 0), DOWNTIME);
    hold_tech(&x, TECH_A, HM(8, 30), HM(12, 0), BOOKING);
    struct slot_day dx = day_of(&x, monday_plus(0), std_hours());
    assert_verdict(&dx, job(60), HM(9, 0), SLOT_UNAVAILABLE);
    /* Downtime and a booking on the one bay: downtime wins. */
    struct world y = small_world();
    hold_bay(&y, BAY_1, HM(9, 0), HM(10, 0), BOOKING);
    hold_bay(&y, BAY_1, HM(9, 0), HM(10, 0), DOWNTIME);
    struct slot_day dy = day_of(&y, monday_plus(0), std_hours());
    assert_verdict(&dy, job(30), HM(9, 0), SLOT_UNAVAILABLE);
}

static void test_slots_check_busy_of_other_resources_ignored(void **state)
{
    (void)state;
    struct world w = small_world();
    hold_bay(&w, 99, HM(8, 30), HM(17, 30), BOOKING);
    hold_bay(&w, TECH_A, HM(8, 30), HM(17, 30), DOWNTIME); /* a bay id nobody has */
    hold_tech(&w, BAY_1, HM(8, 30), HM(17, 30), DOWNTIME); /* a tech id nobody has */
    hold_tech(&w, 98, HM(8, 30), HM(17, 30), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(9, 0));
    assert_resources(o, BAY_1, TECH_A);
}

/* ---- slot_check: a job over lunch and the end of the day ---- */

static void test_slots_check_job_across_lunch(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(120), HM(11, 0));
    assert_window(o, HM(11, 0), HM(14, 0), HM(14, 30));
    /* That job holds the bay through lunch: a second one at 13:00 is taken, at 14:30 not. */
    hold_bay(&w, BAY_1, o.start, o.hold_until, BOOKING);
    hold_tech(&w, TECH_A, o.start, o.end, BOOKING);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict(&d, job(60), HM(13, 0), SLOT_TAKEN);
    assert_verdict(&d, job(60), HM(14, 29), SLOT_TAKEN);
    check_ok(&d, job(60), HM(14, 30));
}

static void test_slots_check_end_of_day(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(270), HM(13, 0)); /* exactly at closing */
    assert_window(o, HM(13, 0), HM(17, 30), HM(18, 0));
    assert_verdict(&d, job(271), HM(13, 0), SLOT_UNAVAILABLE);
    assert_verdict(&d, job(120), HM(15, 31), SLOT_UNAVAILABLE);
    check_ok(&d, job(120), HM(15, 30));
    /* A job longer than the whole day never fits. */
    assert_verdict(&d, job(481), HM(8, 30), SLOT_UNAVAILABLE);
    check_ok(&d, job(480), HM(8, 30));
}

/* ---- slot_check: the wished bay or technician ---- */

static void test_slots_check_want_bay_and_tech(void **state)
{
    (void)state;
    struct world w = small_world();
    add_bay(&w, BAY_2, BAY_GENERAL);
    add_bay(&w, 3, BAY_BODY);
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    add_tech(&w, 103, SKILL(SKILL_BODY), ALL_DAYS);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(9, 0));
    assert_resources(o, BAY_1, TECH_A); /* the first in order */
    o = check_ok_for(&d, job(60), HM(9, 0), BAY_2, 0);
    assert_resources(o, BAY_2, TECH_A);
    o = check_ok_for(&d, job(60), HM(9, 0), 0, TECH_B);
    assert_resources(o, BAY_1, TECH_B);
    o = check_ok_for(&d, job(60), HM(9, 0), BAY_2, TECH_B);
    assert_resources(o, BAY_2, TECH_B);
    /* A bay of the wrong kind, a technician without the skill, an id nobody has. */
    assert_verdict_for(&d, job(60), HM(9, 0), 3, 0, SLOT_UNAVAILABLE);
    assert_verdict_for(&d, job(60), HM(9, 0), 0, 103, SLOT_UNAVAILABLE);
    assert_verdict_for(&d, job(60), HM(9, 0), 42, 0, SLOT_UNAVAILABLE);
    assert_verdict_for(&d, job(60), HM(9, 0), 0, 42, SLOT_UNAVAILABLE);
}

static void test_slots_check_want_bay_busy_is_taken(void **state)
{
    (void)state;
    struct world w = small_world();
    add_bay(&w, BAY_2, BAY_GENERAL);
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    hold_bay(&w, BAY_2, HM(8, 30), HM(10, 30), BOOKING);
    hold_tech(&w, TECH_B, HM(8, 30), HM(10, 0), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    /* Bay 1 and TECH_A are free, but the wished ones are not. */
    assert_verdict_for(&d, job(60), HM(9, 0), BAY_2, 0, SLOT_TAKEN);
    assert_verdict_for(&d, job(60), HM(9, 0), 0, TECH_B, SLOT_TAKEN);
    struct slot_option o = check_ok_for(&d, job(60), HM(10, 30), BAY_2, TECH_B);
    assert_resources(o, BAY_2, TECH_B);
    /* The wished bay down: unavailable, though bay 1 is free. */
    hold_bay(&w, BAY_2, HM(13, 0), HM(17, 30), DOWNTIME);
    d = day_of(&w, monday_plus(0), std_hours());
    assert_verdict_for(&d, job(60), HM(14, 0), BAY_2, 0, SLOT_UNAVAILABLE);
    check_ok(&d, job(60), HM(14, 0));
}

/* Bays and technicians are taken in the day's order of preference, not by id. */
static void test_slots_check_preference_order(void **state)
{
    (void)state;
    struct world w;
    memset(&w, 0, sizeof w);
    add_bay(&w, 9, BAY_GENERAL);
    add_bay(&w, 2, BAY_GENERAL);
    add_tech(&w, 209, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    add_tech(&w, 202, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct slot_option o = check_ok(&d, job(60), HM(9, 0));
    assert_resources(o, 9, 209);
}

/* ---- slot_search (IN-8, IN-20) ---- */

/* The wish first when it is free, then the nearest; ties (09:30 and 10:30 for a 10:00
 * wish) go to the later one. */
static void test_slots_search_wish_first_when_free(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct search s = search_of(&d, 1, job(60), 0, HM(10, 0));
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)}, {0, HM(9, 30)});
    s.max = 5;
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)}, {0, HM(9, 30)}, {0, HM(11, 0)},
                  {0, HM(9, 0)});
}

/* IN-8: the wish taken, the nearest others, before and after. A 10:00-11:00 booking holds
 * the bay 10:00-11:30; a 1-hour job with its float needs 90 minutes of bay: 08:30 (held to
 * 10:00) and 11:30 (13:30, held to 14:00) are the nearest, 90 minutes either way; the later
 * comes first. */
static void test_slots_search_wish_taken_nearest_before_and_after(void **state)
{
    (void)state;
    struct world w = small_world();
    hold_bay(&w, BAY_1, HM(10, 0), HM(11, 30), BOOKING);
    hold_tech(&w, TECH_A, HM(10, 0), HM(11, 0), BOOKING);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct search s = search_of(&d, 1, job(60), 0, HM(10, 0));
    assert_search(&s, {0, HM(11, 30)}, {0, HM(8, 30)}, {0, HM(13, 0)});
    /* The wish 09:30: 08:30 is 60 before, 11:30 is 120 after. */
    s.wish_min = HM(9, 30);
    assert_search(&s, {0, HM(8, 30)}, {0, HM(11, 30)}, {0, HM(13, 0)});
}

static void test_slots_search_ties_go_to_the_later(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    /* 10:15 (off the grid, free) first; 10:30 and 10:00 both 15 away; then 11:00, 09:30. */
    struct search s = search_of(&d, 1, job(30), 0, HM(10, 15));
    s.max = 5;
    assert_search(&s, {0, HM(10, 15)}, {0, HM(10, 30)}, {0, HM(10, 0)}, {0, HM(11, 0)},
                  {0, HM(9, 30)});
    /* The wish in the break: 11:30 and 13:00 ... 12:15 is 45 from both. */
    s.wish_min = HM(12, 15);
    s.max = 4;
    assert_search(&s, {0, HM(13, 0)}, {0, HM(11, 30)}, {0, HM(13, 30)}, {0, HM(11, 0)});
}

/* Each option a different start: the wish on the grid is not offered twice. */
static void test_slots_search_distinct_starts(void **state)
{
    (void)state;
    struct world w = small_world();
    add_bay(&w, BAY_2, BAY_GENERAL);
    add_tech(&w, TECH_B, SKILL(SKILL_MECHANICAL), ALL_DAYS);
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    /* Two bays could take 09:00 twice: one start is one option. */
    struct search s = search_of(&d, 1, job(60), 0, HM(9, 0));
    s.max = 4;
    assert_search(&s, {0, HM(9, 0)}, {0, HM(9, 30)}, {0, HM(8, 30)}, {0, HM(10, 0)});
}

/* "Not before": now (a start already past is never offered, even the wish), or the day the
 * parts arrive. */
static void test_slots_search_not_before_now(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[2] = {day_of(&w, monday_plus(0), std_hours()),
                               day_of(&w, monday_plus(1), std_hours())};
    struct search s = search_of(days, 2, job(60), 0, HM(9, 0));
    s.nb_min = HM(10, 0);
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)}, {0, HM(11, 0)});
    /* Now 09:10: the grid goes on from 09:30; the wish itself is past. */
    s.nb_min = HM(9, 10);
    assert_search(&s, {0, HM(9, 30)}, {0, HM(10, 0)}, {0, HM(10, 30)});
    /* Now exactly the wish: it is offered. */
    s.nb_min = HM(9, 0);
    assert_search(&s, {0, HM(9, 0)}, {0, HM(9, 30)}, {0, HM(10, 0)});
    /* Now after the last start of Monday (16:30): Tuesday. */
    s.nb_min = HM(16, 31);
    assert_search(&s, {1, HM(8, 30)}, {1, HM(9, 0)}, {1, HM(9, 30)});
}

static void test_slots_search_not_before_parts_day(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[3] = {day_of(&w, monday_plus(0), std_hours()),
                               day_of(&w, monday_plus(1), std_hours()),
                               day_of(&w, monday_plus(2), std_hours())};
    /* Wished Monday 09:00, the parts come Wednesday: nothing on Monday or Tuesday. */
    struct search s = search_of(days, 3, job(60), 0, HM(9, 0));
    s.nb_day = 2;
    s.nb_min = 0;
    assert_search(&s, {2, HM(8, 30)}, {2, HM(9, 0)}, {2, HM(9, 30)});
    /* Wished Wednesday 14:00, parts Tuesday: Wednesday around 14:00, Tuesday too far. */
    s.wish_day = 2;
    s.wish_min = HM(14, 0);
    s.nb_day = 1;
    assert_search(&s, {2, HM(14, 0)}, {2, HM(14, 30)}, {2, HM(13, 30)});
    /* A full Wednesday (Thursday not given): Tuesday's last starts. */
    struct world full = small_world();
    hold_bay(&full, BAY_1, 0, HM(24, 0), BOOKING);
    struct slot_day full_wed[3] = {day_of(&w, monday_plus(0), std_hours()),
                                   day_of(&w, monday_plus(1), std_hours()),
                                   day_of(&full, monday_plus(2), std_hours())};
    s.days = full_wed;
    assert_search(&s, {1, HM(16, 30)}, {1, HM(16, 0)}, {1, HM(15, 30)});
}

/* IN-5, IN-19: the floor of a search, from now and the day the last part arrives (0: none
 * awaited). The store, the slot search of the API and the CLI, and the demo all take it from
 * slot_not_before. */
struct floor {
    dms_day day;
    int min;
};

static struct floor floor_of(dms_day today, int now_min, dms_day parts_day)
{
    struct floor f = {-1, -1};
    slot_not_before(today, now_min, parts_day, &f.day, &f.min);
    return f;
}

static void test_slots_not_before_parts_in_stock(void **state)
{
    (void)state;
    dms_day today = monday_plus(0);
    struct floor f = floor_of(today, HM(10, 20), 0);
    assert_int_equal(f.day, today);
    assert_int_equal(f.min, HM(10, 20));
    /* Before opening and at midnight: now is still the floor. */
    f = floor_of(today, 0, 0);
    assert_int_equal(f.day, today);
    assert_int_equal(f.min, 0);
}

/* Parts arriving today are there by the time the job starts: the floor stays now, not the
 * day's midnight (which would offer starts already past). */
static void test_slots_not_before_parts_arriving_today(void **state)
{
    (void)state;
    dms_day today = monday_plus(0);
    struct floor f = floor_of(today, HM(10, 20), today);
    assert_int_equal(f.day, today);
    assert_int_equal(f.min, HM(10, 20));
    /* Due on a day already past (an order late to be received): now as well. */
    f = floor_of(today, HM(10, 20), today - 2);
    assert_int_equal(f.day, today);
    assert_int_equal(f.min, HM(10, 20));
}

/* Parts arriving on a later day: from that day's midnight, so its opening is the first
 * start, whatever the time now. */
static void test_slots_not_before_parts_arriving_later(void **state)
{
    (void)state;
    dms_day today = monday_plus(0);
    struct floor f = floor_of(today, HM(10, 20), today + 1);
    assert_int_equal(f.day, today + 1);
    assert_int_equal(f.min, 0);
    f = floor_of(today, HM(16, 59), today + 7);
    assert_int_equal(f.day, today + 7);
    assert_int_equal(f.min, 0);
}

/* The floor in the search: parts arriving today offer nothing before now; arriving tomorrow,
 * tomorrow's opening first. */
static void test_slots_not_before_in_the_search(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[2] = {day_of(&w, monday_plus(0), std_hours()),
                               day_of(&w, monday_plus(1), std_hours())};
    struct search s = search_of(days, 2, job(60), 0, HM(9, 0));
    struct floor f = floor_of(days[0].date, HM(10, 0), days[0].date);
    s.nb_day = (int)(f.day - days[0].date);
    s.nb_min = f.min;
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)}, {0, HM(11, 0)});
    f = floor_of(days[0].date, HM(10, 0), days[1].date);
    s.nb_day = (int)(f.day - days[0].date);
    s.nb_min = f.min;
    assert_search(&s, {1, HM(8, 30)}, {1, HM(9, 0)}, {1, HM(9, 30)});
}

/* wish_min < 0: "that day, any time": the wish is that day's opening, its own hours. */
static void test_slots_search_any_time_is_the_opening(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[2] = {
        day_of(&w, monday_plus(0), std_hours()),
        day_of(&w, monday_plus(1), hours(HM(10, 0), HM(17, 0), HM(12, 0), HM(13, 0)))};
    struct search s = search_of(days, 2, job(60), 1, -1);
    assert_search(&s, {1, HM(10, 0)}, {1, HM(10, 30)}, {1, HM(11, 0)});
    s.wish_day = 0;
    assert_search(&s, {0, HM(8, 30)}, {0, HM(9, 0)}, {0, HM(9, 30)});
    /* The opening taken (the bay held 10:00-11:00): the nearest after it, on that day, before
     * the day before's evening; 11:30 runs over lunch to 13:30. */
    struct world busy = small_world();
    hold_bay(&busy, BAY_1, HM(10, 0), HM(11, 0), BOOKING);
    struct slot_day taken[2] = {
        day_of(&w, monday_plus(0), std_hours()),
        day_of(&busy, monday_plus(1), hours(HM(10, 0), HM(17, 0), HM(12, 0), HM(13, 0)))};
    s = search_of(taken, 2, job(60), 1, -1);
    assert_search(&s, {1, HM(11, 0)}, {1, HM(11, 30)}, {1, HM(13, 0)});
}

/* Closed days are skipped; the search goes on to the days around them. */
static void test_slots_search_skips_closed_days(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[4] = {
        day_of(&w, monday_plus(0), closed_hours()), day_of(&w, monday_plus(1), closed_hours()),
        day_of(&w, monday_plus(2), std_hours()), day_of(&w, monday_plus(3), std_hours())};
    struct search s = search_of(days, 4, job(60), 0, HM(9, 0));
    assert_search(&s, {2, HM(8, 30)}, {2, HM(9, 0)}, {2, HM(9, 30)});
    /* From a closed Tuesday 10:00 back to Monday? closed too; on to Wednesday. */
    s.wish_day = 1;
    s.wish_min = HM(10, 0);
    assert_search(&s, {2, HM(8, 30)}, {2, HM(9, 0)}, {2, HM(9, 30)});
    /* Every day closed: nothing. */
    struct slot_day shut[2] = {day_of(&w, monday_plus(0), closed_hours()),
                               day_of(&w, monday_plus(1), closed_hours())};
    s = search_of(shut, 2, job(60), 0, HM(9, 0));
    assert_search_none(&s);
    s.wish_min = -1;
    assert_search_none(&s);
}

/* Nearest means in time, across days: a full Monday with a 09:00 wish is nearer Sunday's
 * evening (16.5 h before) than Tuesday's morning (23.5 h after); a 16:00 wish the reverse. */
static void test_slots_search_across_days_both_ways(void **state)
{
    (void)state;
    struct world free_w = small_world(), full = small_world();
    hold_bay(&full, BAY_1, 0, HM(24, 0), BOOKING);
    struct slot_day days[3] = {day_of(&free_w, monday_plus(-1), std_hours()),
                               day_of(&full, monday_plus(0), std_hours()),
                               day_of(&free_w, monday_plus(1), std_hours())};
    struct search s = search_of(days, 3, job(60), 1, HM(9, 0));
    s.nb_day = -1;
    assert_search(&s, {0, HM(16, 30)}, {0, HM(16, 0)}, {0, HM(15, 30)});
    s.wish_min = HM(16, 0);
    assert_search(&s, {2, HM(8, 30)}, {2, HM(9, 0)}, {2, HM(9, 30)});
    /* A 12:30 wish: Sunday 16:30 is 20 h before, Tuesday 08:30 20 h after: the later. */
    s.wish_min = HM(12, 30);
    assert_search(&s, {2, HM(8, 30)}, {0, HM(16, 30)}, {2, HM(9, 0)});
}

static void test_slots_search_max_respected(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct search s = search_of(&d, 1, job(60), 0, HM(10, 0));
    s.max = 1;
    assert_search(&s, {0, HM(10, 0)});
    s.max = 2;
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)});
    s.max = 0;
    assert_search_none(&s);
    /* Fewer possible than max: all of them. A 4-hour job fits at 08:30 ... 13:30. */
    s.job = job(240);
    s.max = OUT_MAX;
    s.wish_min = HM(8, 30);
    assert_search(&s, {0, HM(8, 30)}, {0, HM(9, 0)}, {0, HM(9, 30)}, {0, HM(10, 0)},
                  {0, HM(10, 30)}, {0, HM(11, 0)}, {0, HM(11, 30)}, {0, HM(13, 0)},
                  {0, HM(13, 30)});
}

/* IN-8: at least two others besides a free wish. */
static void test_slots_search_wish_and_two_more(void **state)
{
    (void)state;
    struct world w = small_world(), free_w = small_world();
    hold_bay(&w, BAY_1, HM(8, 30), HM(10, 0), BOOKING);
    hold_bay(&w, BAY_1, HM(12, 0), HM(17, 30), BOOKING);
    struct slot_day days[2] = {
        day_of(&w, monday_plus(0), std_hours()),
        day_of(&free_w, monday_plus(1), hours(HM(8, 30), HM(17, 30), NO_BREAK))};
    /* On Monday only 10:00 and 10:30 fit a 1-hour job (held to 11:30 / 12:00). */
    struct search s = search_of(days, 2, job(60), 0, HM(10, 0));
    assert_search(&s, {0, HM(10, 0)}, {0, HM(10, 30)}, {1, HM(8, 30)});
}

/* Starts are the opening and the break's end plus multiples of step, and the wish. */
static void test_slots_search_step_honoured(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day d = day_of(&w, monday_plus(0), std_hours());
    struct search s = search_of(&d, 1, job(60), 0, HM(12, 0)); /* in the break */
    s.step = 60;
    s.max = 4;
    assert_search(&s, {0, HM(11, 30)}, {0, HM(13, 0)}, {0, HM(10, 30)}, {0, HM(14, 0)});
    /* Step 45 from 08:30: 09:15, 10:00, 10:45 ...; after the break from 13:00. */
    s.job = job(30);
    s.step = 45;
    s.wish_min = HM(10, 20);
    s.max = 3;
    assert_search(&s, {0, HM(10, 20)}, {0, HM(10, 0)}, {0, HM(10, 45)});
    s.wish_min = HM(13, 40);
    assert_search(&s, {0, HM(13, 40)}, {0, HM(13, 45)}, {0, HM(13, 0)});
    /* An odd opening: the grid starts there, not at the full hour. */
    struct slot_day odd = day_of(&w, monday_plus(0), hours(HM(8, 10), HM(12, 0), NO_BREAK));
    s = search_of(&odd, 1, job(30), 0, -1);
    s.step = 20;
    assert_search(&s, {0, HM(8, 10)}, {0, HM(8, 30)}, {0, HM(8, 50)});
    s.step = 0;
    assert_search_none(&s);
}

/* A wish not possible for lack of a skill or bay kind: no options anywhere. */
static void test_slots_search_nothing_for_missing_skill(void **state)
{
    (void)state;
    struct world w = small_world();
    struct slot_day days[2] = {day_of(&w, monday_plus(0), std_hours()),
                               day_of(&w, monday_plus(1), std_hours())};
    struct slot_job paint = {60, BAY_PAINT, SKILL(SKILL_PAINT), 30};
    struct search s = search_of(days, 2, paint, 0, HM(9, 0));
    assert_search_none(&s);
    /* No days at all. */
    struct slot_job j = job(60);
    struct slot_option out[1];
    assert_int_equal(slot_search(days, 0, &j, days[0].date, HM(9, 0), days[0].date, 0, 30, out, 1),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots_end_within_the_morning),
        cmocka_unit_test(test_slots_end_skips_the_break),
        cmocka_unit_test(test_slots_end_start_must_be_open),
        cmocka_unit_test(test_slots_end_by_closing_time),
        cmocka_unit_test(test_slots_end_without_a_break_or_closed),
        cmocka_unit_test(test_slots_check_opening_hours),
        cmocka_unit_test(test_slots_check_break),
        cmocka_unit_test(test_slots_check_closed_day),
        cmocka_unit_test(test_slots_check_make_up_day_uses_the_hours_given),
        cmocka_unit_test(test_slots_check_zero_work_refused),
        cmocka_unit_test(test_slots_check_window_is_work_plus_float),
        cmocka_unit_test(test_slots_check_float_minute_it_ends),
        cmocka_unit_test(test_slots_check_own_float_meets_next_booking),
        cmocka_unit_test(test_slots_check_float_two_bays_second_bay),
        cmocka_unit_test(test_slots_check_float_past_closing),
        cmocka_unit_test(test_slots_check_bay_kind_mismatch),
        cmocka_unit_test(test_slots_check_tech_needs_every_skill),
        cmocka_unit_test(test_slots_check_missing_skill_beats_taken),
        cmocka_unit_test(test_slots_check_tech_work_days),
        cmocka_unit_test(test_slots_check_bay_downtime_unavailable_booking_taken),
        cmocka_unit_test(test_slots_check_tech_downtime_unavailable_booking_taken),
        cmocka_unit_test(test_slots_check_downtime_mixed_with_bookings),
        cmocka_unit_test(test_slots_check_busy_of_other_resources_ignored),
        cmocka_unit_test(test_slots_check_job_across_lunch),
        cmocka_unit_test(test_slots_check_end_of_day),
        cmocka_unit_test(test_slots_check_want_bay_and_tech),
        cmocka_unit_test(test_slots_check_want_bay_busy_is_taken),
        cmocka_unit_test(test_slots_check_preference_order),
        cmocka_unit_test(test_slots_search_wish_first_when_free),
        cmocka_unit_test(test_slots_search_wish_taken_nearest_before_and_after),
        cmocka_unit_test(test_slots_search_ties_go_to_the_later),
        cmocka_unit_test(test_slots_search_distinct_starts),
        cmocka_unit_test(test_slots_search_not_before_now),
        cmocka_unit_test(test_slots_search_not_before_parts_day),
        cmocka_unit_test(test_slots_not_before_parts_in_stock),
        cmocka_unit_test(test_slots_not_before_parts_arriving_today),
        cmocka_unit_test(test_slots_not_before_parts_arriving_later),
        cmocka_unit_test(test_slots_not_before_in_the_search),
        cmocka_unit_test(test_slots_search_any_time_is_the_opening),
        cmocka_unit_test(test_slots_search_skips_closed_days),
        cmocka_unit_test(test_slots_search_across_days_both_ways),
        cmocka_unit_test(test_slots_search_max_respected),
        cmocka_unit_test(test_slots_search_wish_and_two_more),
        cmocka_unit_test(test_slots_search_step_honoured),
        cmocka_unit_test(test_slots_search_nothing_for_missing_skill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
