/* Bay utilisation: the bay-minutes offered and booked per day and bay (see utilisation.h).
 * Each bay's day is a map of its 1,440 minutes, so that overlapping periods count once and
 * the break and the hours outside opening never count. */
#include "core/utilisation.h"

#include <string.h>

#define DAY_MIN 1440

enum { OPEN = 1, DOWN = 2, BOOKED = 4 };

int utilisation_open_minutes(const struct day_hours *h)
{
    int iv[2][2], n = calendar_intervals(h, iv), sum = 0;
    for (int i = 0; i < n; i++) {
        if (iv[i][1] > iv[i][0])
            sum += iv[i][1] - iv[i][0];
    }
    return sum;
}

static void mark(unsigned char *minutes, int from, int until, unsigned char bit)
{
    if (from < 0)
        from = 0;
    if (until > DAY_MIN)
        until = DAY_MIN;
    for (int m = from; m < until; m++)
        minutes[m] |= bit;
}

static void mark_spans(unsigned char *minutes, const struct util_span *s, size_t n, size_t day,
                       size_t bay, unsigned char bit)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].day == day && s[i].bay == bay)
            mark(minutes, s[i].from, s[i].until, bit);
    }
}

void utilisation_compute(const struct util_input *in, struct util_figures *by_day,
                         struct util_figures *by_bay, struct util_figures *total)
{
    for (size_t d = 0; d < in->n_days; d++)
        by_day[d] = (struct util_figures){0, 0};
    for (size_t b = 0; b < in->n_bays; b++)
        by_bay[b] = (struct util_figures){0, 0};
    *total = (struct util_figures){0, 0};
    unsigned char minutes[DAY_MIN];
    for (size_t d = 0; d < in->n_days; d++) {
        int iv[2][2], n_iv = calendar_intervals(&in->hours[d], iv);
        if (n_iv == 0)
            continue; /* closed: nothing offered, nothing counted */
        for (size_t b = 0; b < in->n_bays; b++) {
            memset(minutes, 0, sizeof minutes);
            for (int i = 0; i < n_iv; i++)
                mark(minutes, iv[i][0], iv[i][1], OPEN);
            mark_spans(minutes, in->down, in->n_down, d, b, DOWN);
            mark_spans(minutes, in->booked, in->n_booked, d, b, BOOKED);
            int64_t cap = 0, booked = 0;
            for (int m = 0; m < DAY_MIN; m++) {
                if ((minutes[m] & (OPEN | DOWN)) == OPEN)
                    cap++;
                if ((minutes[m] & (OPEN | BOOKED)) == (OPEN | BOOKED))
                    booked++;
            }
            if (!in->in_service[b])
                cap = 0;
            by_day[d].capacity_min += cap, by_day[d].booked_min += booked;
            by_bay[b].capacity_min += cap, by_bay[b].booked_min += booked;
            total->capacity_min += cap, total->booked_min += booked;
        }
    }
}
