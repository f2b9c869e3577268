/* The slot search (IN-6, IN-8, IN-9, IN-13, IN-20): when a job can be done, given a day's
 * opening hours, its bays and technicians and what already holds them. Pure: the storage
 * layer loads a window of days (store/slots.c), the search decides here.
 *
 * A job of work_min minutes starting at `start` works through the day's open intervals (the
 * lunch break does not count toward its hours) and must end by closing time. It needs one
 * bay of its kind, held from start to end plus the float (IN-13; the float may run past
 * closing), and one technician with every skill it needs who works that weekday, busy from
 * start to end. Times are minutes after store-local midnight. */
#ifndef DMS_CORE_SLOTS_H
#define DMS_CORE_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/workshop.h"

struct slot_job {
    int work_min;           /* minutes of work: the operations' standard hours */
    enum bay_kind bay_kind; /* the bay it needs */
    unsigned skills;        /* bit set of enum skill the technician needs */
    int float_min;          /* the bay stays held this long after the end */
};

struct slot_bay {
    int64_t id;
    enum bay_kind kind;
};

struct slot_tech {
    int64_t id;
    unsigned skills;
    unsigned work_days; /* bit 0 = Monday */
};

/* A period [from, until) a bay or technician is held on a day: a booking (its float included
 * for a bay) or an out-of-service period (booking = false). */
struct slot_busy {
    int64_t resource_id;
    int from, until;
    bool booking;
};

/* What one day offers. Arrays are borrowed; bays and technicians in preference order. */
struct slot_day {
    dms_day date;
    struct day_hours hours;
    const struct slot_bay *bays;
    size_t n_bays;
    const struct slot_tech *techs;
    size_t n_techs;
    const struct slot_busy *bay_busy;
    size_t n_bay_busy;
    const struct slot_busy *tech_busy;
    size_t n_tech_busy;
    /* 0: technicians keep the date's own weekday; 1-7: they work it as Monday..Sunday (a
     * make-up working day, 调休, is worked as a Monday by those who work Mondays). */
    int as_weekday;
};

struct slot_option {
    dms_day date;
    int start, end; /* the work */
    int hold_until; /* end + the float: the window told to the customer ends here */
    int64_t bay_id, technician_id;
};

enum slot_verdict {
    SLOT_OK,
    SLOT_TAKEN,       /* another booking (or its float) holds every bay or technician */
    SLOT_UNAVAILABLE, /* closed, in the break, past closing, or no bay kind or skill */
};

/* The end of work_min minutes of work starting at start on a day with these hours, skipping
 * the break; -1 when start is not in an open interval or the work would end after closing. */
int slot_end(const struct day_hours *h, int start, int work_min);

/* Whether the job can start at `start` on day d. On SLOT_OK *out has the bay and technician
 * (the first free ones in d's order; want_bay / want_tech, when not 0, must be those). */
enum slot_verdict slot_check(const struct slot_day *d, const struct slot_job *j, int start,
                             int64_t want_bay, int64_t want_tech, struct slot_option *out);

/* The first moment a job may start (IN-5, IN-19): now (today at now_min), or, when the parts
 * it waits for arrive on a later day, that day's midnight, so that its opening is the first
 * start. parts_day is the day the last part arrives, 0 when none is awaited; parts arriving
 * today (or due on a day already past) do not hold the job back, and do not let it start
 * before now either. Sets *day and *min, the (not_before_day, not_before_min) of a search. */
void slot_not_before(dms_day today, int now_min, dms_day parts_day, dms_day *day, int *min);

/* Up to max options over the days given (in date order), each a different start time: the
 * wish first when it is free, then the others nearest to it (before or after; ties go to the
 * later one). wish_min < 0 means "that day, any time" (the wish is the day's opening). No
 * option starts before (not_before_day, not_before_min): "now", or the day parts arrive.
 * Starts are the opening and the end of the break plus multiples of step_min, and the
 * wished time itself. Returns the number written. */
size_t slot_search(const struct slot_day *days, size_t n_days, const struct slot_job *j,
                   dms_day wish_day, int wish_min, dms_day not_before_day, int not_before_min,
                   int step_min, struct slot_option *out, size_t max);

#endif
