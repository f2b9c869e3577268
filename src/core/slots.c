/* The slot search. See slots.h. */
#include "core/slots.h"

#include <stdlib.h>

int slot_end(const struct day_hours *h, int start, int work_min)
{
    int iv[2][2];
    int n = calendar_intervals(h, iv);
    int left = work_min;
    bool started = false;
    for (int i = 0; i < n; i++) {
        int from = iv[i][0];
        if (!started) {
            if (start < iv[i][0] || start >= iv[i][1])
                continue;
            started = true;
            from = start;
        }
        if (left <= iv[i][1] - from)
            return from + left;
        left -= iv[i][1] - from;
    }
    return -1;
}

static bool overlaps(const struct slot_busy *b, int from, int until)
{
    return b->from < until && from < b->until;
}

/* Marks in taken[] (by index into ids) each resource held in [from, until): 1 by a booking,
 * 2 by downtime (which wins: it makes the resource unavailable, not taken). */
static void mark(const struct slot_busy *busy, size_t n_busy, const int64_t *ids, size_t n_ids,
                 int from, int until, unsigned char *taken)
{
    for (size_t i = 0; i < n_busy; i++) {
        if (!overlaps(&busy[i], from, until))
            continue;
        for (size_t k = 0; k < n_ids; k++)
            if (ids[k] == busy[i].resource_id) {
                unsigned char v = busy[i].booking ? 1 : 2;
                if (v > taken[k])
                    taken[k] = v;
                break;
            }
    }
}

/* Bays or technicians of one kind considered per start (a store has a few dozen). */
#define MAX_RESOURCES 256

enum slot_verdict slot_check(const struct slot_day *d, const struct slot_job *j, int start,
                             int64_t want_bay, int64_t want_tech, struct slot_option *out)
{
    if (!d->hours.open || j->work_min <= 0)
        return SLOT_UNAVAILABLE;
    int end = slot_end(&d->hours, start, j->work_min);
    if (end < 0)
        return SLOT_UNAVAILABLE;
    int hold = end + j->float_min;
    int weekday =
        d->as_weekday >= 1 && d->as_weekday <= 7 ? d->as_weekday - 1 : date_weekday(d->date);
    unsigned weekday_bit = 1u << weekday;

    int64_t bay_ids[MAX_RESOURCES] = {0}, tech_ids[MAX_RESOURCES] = {0};
    unsigned char bay_taken[MAX_RESOURCES] = {0}, tech_taken[MAX_RESOURCES] = {0};
    size_t nb = 0, nt = 0;
    for (size_t i = 0; i < d->n_bays && nb < MAX_RESOURCES; i++)
        if (d->bays[i].kind == j->bay_kind && (!want_bay || d->bays[i].id == want_bay))
            bay_ids[nb++] = d->bays[i].id;
    for (size_t i = 0; i < d->n_techs && nt < MAX_RESOURCES; i++) {
        const struct slot_tech *t = &d->techs[i];
        if ((t->skills & j->skills) == j->skills && (t->work_days & weekday_bit) &&
            (!want_tech || t->id == want_tech))
            tech_ids[nt++] = t->id;
    }
    mark(d->bay_busy, d->n_bay_busy, bay_ids, nb, start, hold, bay_taken);
    mark(d->tech_busy, d->n_tech_busy, tech_ids, nt, start, end, tech_taken);

    int64_t bay = 0, tech = 0; /* the first free ones */
    bool bay_possible = false, tech_possible = false;
    for (size_t k = 0; k < nb; k++) {
        bay_possible |= bay_taken[k] != 2;
        if (!bay && bay_taken[k] == 0)
            bay = bay_ids[k];
    }
    for (size_t k = 0; k < nt; k++) {
        tech_possible |= tech_taken[k] != 2;
        if (!tech && tech_taken[k] == 0)
            tech = tech_ids[k];
    }
    if (!bay_possible || !tech_possible)
        return SLOT_UNAVAILABLE;
    if (!bay || !tech)
        return SLOT_TAKEN;
    *out = (struct slot_option){d->date, start, end, hold, bay, tech};
    return SLOT_OK;
}

void slot_not_before(dms_day today, int now_min, dms_day parts_day, dms_day *day, int *min)
{
    *day = today;
    *min = now_min;
    if (parts_day > today) {
        *day = parts_day;
        *min = 0;
    }
}

/* Distance of a start from the wish, in minutes; ties go to the later start. */
struct ranked {
    struct slot_option o;
    long dist;
    bool later;
};

static bool better(const struct ranked *a, const struct ranked *b)
{
    if (a->dist != b->dist)
        return a->dist < b->dist;
    return a->later && !b->later;
}

/* Keeps the best max options in best[] (sorted best first). */
static void offer(struct ranked *best, size_t *n, size_t max, const struct ranked *c)
{
    for (size_t i = 0; i < *n; i++)
        if (best[i].o.date == c->o.date && best[i].o.start == c->o.start)
            return;
    size_t at = *n;
    while (at > 0 && better(c, &best[at - 1]))
        at--;
    if (at >= max)
        return;
    size_t last = *n < max ? *n : max - 1;
    for (size_t i = last; i > at; i--)
        best[i] = best[i - 1];
    best[at] = *c;
    if (*n < max)
        (*n)++;
}

static void try_start(const struct slot_day *d, const struct slot_job *j, int start, long wish_abs,
                      struct ranked *best, size_t *n, size_t max)
{
    struct ranked c;
    if (slot_check(d, j, start, 0, 0, &c.o) != SLOT_OK)
        return;
    long at = (long)d->date * 1440 + start;
    c.dist = labs(at - wish_abs);
    c.later = at >= wish_abs;
    offer(best, n, max, &c);
}

/* The lowest distance any start on day could have from the wish. */
static long day_bound(dms_day day, long wish_abs)
{
    long from = (long)day * 1440, until = from + 1440;
    if (wish_abs < from)
        return from - wish_abs;
    if (wish_abs >= until)
        return wish_abs - until + 1;
    return 0;
}

size_t slot_search(const struct slot_day *days, size_t n_days, const struct slot_job *j,
                   dms_day wish_day, int wish_min, dms_day not_before_day, int not_before_min,
                   int step_min, struct slot_option *out, size_t max)
{
    if (max == 0 || n_days == 0 || step_min <= 0)
        return 0;
    long wish = wish_min;
    bool exact = wish_min >= 0;
    for (size_t i = 0; !exact && i < n_days; i++)
        if (days[i].date == wish_day) {
            int iv[2][2];
            wish = calendar_intervals(&days[i].hours, iv) > 0 ? iv[0][0] : 0;
        }
    if (wish < 0)
        wish = 0;
    long wish_abs = (long)wish_day * 1440 + wish;
    long floor_abs = (long)not_before_day * 1440 + not_before_min;

    struct ranked *best = calloc(max, sizeof *best);
    if (!best)
        return 0;
    size_t n = 0;
    /* Days in order of distance from the wish: index lo goes back, hi forward. */
    size_t hi = 0;
    while (hi < n_days && days[hi].date < wish_day)
        hi++;
    size_t lo = hi; /* days[lo - 1] is the nearest day before */
    while (lo > 0 || hi < n_days) {
        const struct slot_day *d;
        long bound_lo = lo > 0 ? day_bound(days[lo - 1].date, wish_abs) : -1;
        long bound_hi = hi < n_days ? day_bound(days[hi].date, wish_abs) : -1;
        if (bound_hi >= 0 && (bound_lo < 0 || bound_hi <= bound_lo))
            d = &days[hi++];
        else
            d = &days[--lo];
        long bound = day_bound(d->date, wish_abs);
        if (n == max && bound > best[n - 1].dist)
            break;
        int iv[2][2];
        int m = calendar_intervals(&d->hours, iv);
        if (d->date == wish_day && exact && (long)d->date * 1440 + wish >= floor_abs)
            try_start(d, j, wish_min, wish_abs, best, &n, max);
        for (int k = 0; k < m; k++)
            for (int t = iv[k][0]; t < iv[k][1]; t += step_min)
                if ((long)d->date * 1440 + t >= floor_abs)
                    try_start(d, j, t, wish_abs, best, &n, max);
    }
    for (size_t i = 0; i < n; i++)
        out[i] = best[i].o;
    free(best);
    return n;
}
