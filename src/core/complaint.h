/* Complaints and enquiries (CS-6, IN-20): their names, the life cycle, the deadlines from the
 * store's settings, when one is overdue and when it escalates to the service manager, and its
 * number. Pure. Times are UTC seconds since the epoch. */
#ifndef DMS_CORE_COMPLAINT_H
#define DMS_CORE_COMPLAINT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"

enum complaint_status {
    CPL_OPEN,         /* received, nobody has called the customer back yet */
    CPL_ACKNOWLEDGED, /* the customer was told it is being handled */
    CPL_IN_PROGRESS,  /* being worked on (a re-repair, a call to the brand ...) */
    CPL_RESOLVED,     /* a resolution is recorded; the customer is still to be asked */
    CPL_CLOSED,       /* the customer was asked whether satisfied */
    CPL_REOPENED,     /* resolved or closed, and not done after all */
    CPL_STATUS_COUNT
};
extern const char *const CPL_STATUS_NAMES[CPL_STATUS_COUNT];

enum complaint_channel {
    CPL_PHONE,
    CPL_WALK_IN,
    CPL_FOLLOWUP_CALL,
    CPL_BRAND_HOTLINE,
    CPL_ONLINE,
    CPL_OTHER_CHANNEL,
    CPL_CHANNEL_COUNT
};
extern const char *const CPL_CHANNEL_NAMES[CPL_CHANNEL_COUNT];

enum complaint_kind { CPL_COMPLAINT, CPL_ENQUIRY, CPL_KIND_COUNT };
extern const char *const CPL_KIND_NAMES[CPL_KIND_COUNT];

enum complaint_category {
    CPL_WORKMANSHIP,
    CPL_SERVICE_ATTITUDE,
    CPL_PRICE,
    CPL_PARTS_DELAY,
    CPL_WAITING_TIME,
    CPL_OTHER_CATEGORY,
    CPL_CATEGORY_COUNT
};
extern const char *const CPL_CATEGORY_NAMES[CPL_CATEGORY_COUNT];

/* low: a question, no harm; normal: the default; high: the customer threatens to leave or to
 * go to the brand or the press; critical: safety, or a car unusable. high and critical are
 * serious: escalated to the service manager when received. */
enum complaint_severity { CPL_LOW, CPL_NORMAL, CPL_HIGH, CPL_CRITICAL, CPL_SEVERITY_COUNT };
extern const char *const CPL_SEVERITY_NAMES[CPL_SEVERITY_COUNT];
bool complaint_serious(enum complaint_severity s);

enum complaint_action_type {
    CPL_ACT_CALL_BACK,
    CPL_ACT_RE_REPAIR_BOOKED,
    CPL_ACT_GOODWILL,
    CPL_ACT_NOTE,
    CPL_ACT_STATUS, /* written by a change of status, not posted */
    CPL_ACT_COUNT
};
extern const char *const CPL_ACTION_NAMES[CPL_ACT_COUNT];

/* CS-6: open -> acknowledged -> in_progress -> resolved -> closed; an enquiry answered at
 * once goes acknowledged -> resolved; resolved and closed -> reopened -> in_progress or
 * resolved. Everything else (a step back, skipping the acknowledgement, closing what is not
 * resolved) is refused. */
bool complaint_transition_ok(enum complaint_status from, enum complaint_status to);
/* Not closed: on the customer's card (IN-20) and still the store's to finish. */
bool complaint_active(enum complaint_status s);

/* CS-6: acknowledged within ack_hours and resolved within resolve_days of being received:
 * the instants (UTC seconds) after which it is late. */
void complaint_deadlines(int64_t received, int ack_hours, int resolve_days, int64_t *ack_due,
                         int64_t *resolve_due);

/* Why a complaint escalates (a cause is once per complaint and round). */
enum complaint_cause {
    CPL_CAUSE_SERIOUS,
    CPL_CAUSE_ACK_OVERDUE,
    CPL_CAUSE_RESOLVE_OVERDUE,
    CPL_CAUSE_COUNT
};
extern const char *const CPL_CAUSE_NAMES[CPL_CAUSE_COUNT];

/* CS-6: late to acknowledge: still open and now is past ack_due (at ack_due itself it is
 * not late yet). Late to resolve: not resolved or closed and now is past resolve_due. */
bool complaint_ack_overdue(enum complaint_status s, int64_t ack_due, int64_t now);
bool complaint_resolve_overdue(enum complaint_status s, int64_t resolve_due, int64_t now);
bool complaint_overdue(enum complaint_status s, int64_t ack_due, int64_t resolve_due, int64_t now);

/* CS-1: what the follow-up call measures: 满意 / 一般 / 不满意. It is asked only of a
 * follow-up call that reached the customer; 不满意 opens a complaint. */
enum followup_satisfaction { SAT_SATISFIED, SAT_NEUTRAL, SAT_DISSATISFIED, SAT_COUNT };
extern const char *const SAT_NAMES[SAT_COUNT];
bool followup_satisfaction_allowed(bool is_followup, bool reached);

/* "C" + yymmdd of the store-local day + a 4-digit sequence of the day: "C2612080001". */
void complaint_number_format(dms_day day, int seq, char out[16]);

#endif
