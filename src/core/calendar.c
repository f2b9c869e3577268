/* The store's calendar. See calendar.h. */
#include "core/calendar.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

const char *const CALENDAR_DAY_NAMES[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char *const CALENDAR_EXCEPTION_NAMES[3] = {"", "closed", "open"};

void hhmm_format(int minutes, char out[8])
{
    unsigned u = (unsigned)minutes % 1441u;
    snprintf(out, 8, "%02u:%02u", u / 60u, u % 60u);
}

void calendar_default_week(struct week_hours *out)
{
    for (int i = 0; i < 7; i++)
        out->day[i] = (struct day_hours){true, 8 * 60 + 30, 17 * 60 + 30, 12 * 60, 13 * 60};
}

int calendar_check_day(const struct day_hours *d, const char *field, struct dms_error *err)
{
    if (!d->open)
        return 0;
    if (d->open_min < 0 || d->close_min > 24 * 60 || d->open_min >= d->close_min)
        return dms_fail(err, "invalid_field", field, "opening must come before closing");
    bool no_break = d->break_from == 0 && d->break_until == 0;
    if (!no_break && (d->break_from >= d->break_until || d->break_from <= d->open_min ||
                      d->break_until >= d->close_min))
        return dms_fail(err, "invalid_field", field,
                        "the break lies inside the opening hours and ends after it starts");
    return 0;
}

struct day_hours calendar_hours_on(const struct week_hours *w, dms_day date,
                                   enum calendar_exception ex)
{
    struct day_hours closed = {0};
    if (ex == CAL_CLOSED)
        return closed;
    if (ex == CAL_OPEN) {
        /* Monday's hours, or the first open weekday's: the weekday of the date plays no
         * part, even when it is open. */
        for (int i = 0; i < 7; i++) {
            if (w->day[i].open)
                return w->day[i];
        }
        return closed;
    }
    return w->day[date_weekday(date)];
}

int calendar_intervals(const struct day_hours *d, int out[2][2])
{
    if (!d->open)
        return 0;
    if (d->break_from == 0 && d->break_until == 0) {
        out[0][0] = d->open_min, out[0][1] = d->close_min;
        return 1;
    }
    out[0][0] = d->open_min, out[0][1] = d->break_from;
    out[1][0] = d->break_until, out[1][1] = d->close_min;
    return 2;
}

int calendar_parse_line(const char *line, dms_day *date, enum calendar_exception *kind, char *name,
                        size_t cap, struct dms_error *err)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
        return 0;
    const char *tab1 = strchr(p, '\t');
    const char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (!tab1 || !tab2 || tab1 - p != 10)
        return dms_fail(err, "invalid_field", "line", "expected DATE<TAB>closed|open<TAB>name");
    char d[11];
    memcpy(d, p, 10);
    d[10] = '\0';
    if (date_parse(d, date, "line", err) < 0)
        return -1;
    size_t klen = (size_t)(tab2 - tab1 - 1);
    if (klen == 6 && strncmp(tab1 + 1, "closed", 6) == 0)
        *kind = CAL_CLOSED;
    else if (klen == 4 && strncmp(tab1 + 1, "open", 4) == 0)
        *kind = CAL_OPEN;
    else
        return dms_fail(err, "invalid_field", "line", "the second column is closed or open");
    char raw[1024];
    snprintf(raw, sizeof raw, "%s", tab2 + 1);
    raw[strcspn(raw, "\r\n")] = '\0';
    if (text_clean(raw, name, cap, CALENDAR_NAME_CHARS, false, false, "line", err) < 0)
        return -1;
    return 1;
}
