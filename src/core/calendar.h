/* The store's calendar (IN-6, IN-13): opening hours per weekday with a lunch break, and dated
 * exceptions: public holidays (closed) and make-up working days (调休, "open" on a weekend
 * day). Pure: the storage layer keeps the week and the exceptions, slots ask here whether and
 * when a day is open. Times are minutes after local midnight, store-local. */
#ifndef DMS_CORE_CALENDAR_H
#define DMS_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/error.h"

#define CALENDAR_NAME_CHARS 64

/* One weekday's hours: open from open_min to close_min, except [break_from, break_until)
 * when there is a break (break_from == break_until == 0: none). */
struct day_hours {
    bool open;
    int open_min, close_min;
    int break_from, break_until;
};

/* Index 0 = Monday ... 6 = Sunday (date_weekday). */
struct week_hours {
    struct day_hours day[7];
};

/* Minutes after midnight as "HH:MM" (0-1440; 1440 is "24:00"). */
void hhmm_format(int minutes, char out[8]);

/* Mon-Sun 08:30-17:30 with lunch 12:00-13:00: a 4S store's service department works every
 * day; the store sets its own. */
void calendar_default_week(struct week_hours *out);

/* Checks one day's hours: 00:00 <= open < close <= 24:00, and a break, when there is one,
 * inside them with from < until. Error invalid_field (field given). */
int calendar_check_day(const struct day_hours *d, const char *field, struct dms_error *err);

/* The weekdays as the API names them, index 0 = Monday: "mon" ... "sun". */
extern const char *const CALENDAR_DAY_NAMES[7];

enum calendar_exception { CAL_NONE, CAL_CLOSED, CAL_OPEN };
extern const char *const CALENDAR_EXCEPTION_NAMES[3]; /* "", "closed", "open" */

/* The hours of a date given its exception: closed days are closed; a make-up working day
 * ("open") has no hours of its own and always works Monday's, or the first open weekday's
 * when Monday is closed (IN-13; closed when the whole week is); other days follow the
 * week. */
struct day_hours calendar_hours_on(const struct week_hours *w, dms_day date,
                                   enum calendar_exception ex);

/* The open intervals of a day, [start, end) in minutes: 0, 1 or 2 (split by the break).
 * Returns the number written to out. */
int calendar_intervals(const struct day_hours *d, int out[2][2]);

/* One line of a holiday file (data/cn-public-holidays-2026.tsv):
 * "YYYY-MM-DD<TAB>closed|open<TAB>name". Returns 1 with *date, *kind, name (up to
 * CALENDAR_NAME_CHARS characters, out of cap bytes) filled; 0 for a blank or # comment line;
 * -1 with err (invalid_field, field "line") otherwise. */
int calendar_parse_line(const char *line, dms_day *date, enum calendar_exception *kind, char *name,
                        size_t cap, struct dms_error *err);

#endif
