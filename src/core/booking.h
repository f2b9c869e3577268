/* The booking's rules (IN-4..IN-7, IN-10, IN-14..IN-19): which of the four cases a booking
 * is, its estimate, its life cycle and the value sets of the booking call. Pure. */
#ifndef DMS_CORE_BOOKING_H
#define DMS_CORE_BOOKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "core/workshop.h"

/* IN-6: A maintenance; B repair without parts; C repair with the parts in stock; D repair
 * with parts to order. */
enum booking_case { CASE_A, CASE_B, CASE_C, CASE_D };
extern const char *const BOOKING_CASE_NAMES[4]; /* "A".."D" */

/* any_repair: some operation is a repair; n_parts: part lines; short_parts: lines that stock
 * (on hand - reserved) cannot cover. */
enum booking_case booking_case_of(bool any_repair, int n_parts, int short_parts);

enum appt_status {
    APPT_TENTATIVE, /* a date or period still to fix (IN-15, IN-16) */
    APPT_CONFIRMED,
    APPT_ARRIVED,
    APPT_IN_SERVICE,
    APPT_COMPLETED,
    APPT_NO_SHOW,
    APPT_CANCELLED,
    APPT_STATUS_COUNT
};
extern const char *const APPT_STATUS_NAMES[APPT_STATUS_COUNT];

/* Whether a booking may go from one status to the other. */
bool appt_transition_ok(enum appt_status from, enum appt_status to);
/* Whether it still holds its bay and parts (not completed, no_show or cancelled). */
bool appt_status_live(enum appt_status s);

enum flexibility { FLEX_EXACT, FLEX_DATE, FLEX_PERIOD, FLEX_COUNT };
extern const char *const FLEXIBILITY_NAMES[FLEX_COUNT];

/* IN-14: the longest period a customer who knows only a period may give (its last day at
 * most this many days after its first). */
#define BOOKING_PERIOD_MAX_DAYS 62

/* IN-15: the day of a booking for a date (its time fixed by a call later) is not in the past
 * (before today), not before the day the parts arrive (parts_day; 0 when none is awaited),
 * and a day the store opens (open: that day's hours after its calendar exception), checked
 * in that order. Error invalid_field naming field. */
int booking_check_day(dms_day day, dms_day today, dms_day parts_day, bool open, const char *field,
                      struct dms_error *err);

/* IN-14: a period ends on or after the day it starts, within BOOKING_PERIOD_MAX_DAYS. Error
 * invalid_field (period_to). */
int booking_check_period(dms_day from, dms_day to, struct dms_error *err);

/* IN-14: a period does not start in the past (before today). Error invalid_field
 * (period_from). */
int booking_check_period_start(dms_day from, dms_day today, struct dms_error *err);

enum booking_source {
    SOURCE_INBOUND,
    SOURCE_OUTBOUND,
    SOURCE_WALK_IN,
    SOURCE_ONLINE,
    SOURCE_COUNT
};
extern const char *const SOURCE_NAMES[SOURCE_COUNT];

/* IN-10: what to prepare for the customer; a bit set. */
enum booking_service {
    SERVICE_PICKUP,
    SERVICE_DELIVERY,
    SERVICE_ACCESSORIES,
    SERVICE_INSURANCE_RENEWAL,
    SERVICE_CLAIM,
    SERVICE_WASH,
    SERVICE_COUNT
};
extern const char *const SERVICE_NAMES[SERVICE_COUNT];

/* Why a booking call ended without a booking (booking conversion). */
enum booking_failure {
    FAIL_NO_SUITABLE_SLOT,
    FAIL_PRICE,
    FAIL_PARTS_UNAVAILABLE,
    FAIL_CUSTOMER_UNDECIDED,
    FAIL_WENT_ELSEWHERE,
    FAIL_OTHER,
    FAIL_COUNT
};
extern const char *const BOOKING_FAILURE_NAMES[FAIL_COUNT];

/* IN-11: the departments that confirm the next day's board. */
enum department { DEPT_WORKSHOP, DEPT_PARTS, DEPT_WARRANTY, DEPT_CUSTOMER_SERVICE, DEPT_COUNT };
extern const char *const DEPARTMENT_NAMES[DEPT_COUNT];

/* A part and how many of it a job needs. */
struct part_request {
    char part_no[OPERATION_CODE_MAX + 1];
    int64_t qty;
};
/* The most of one part a store holds or a job asks for. */
#define PART_MAX_QTY 1000000

/* One operation code or part number of len bytes: upper-cased into out and checked
 * (operation_check_code: 1-32 of A-Z 0-9 - _ .); -1 otherwise. */
int booking_parse_code(const char *s, size_t len, char out[OPERATION_CODE_MAX + 1]);
/* "OIL,brk" -> {"OIL", "BRK"}: operation codes (or part numbers), upper-cased and checked
 * (operation_check_code). At most max; error invalid_field naming field. */
int booking_parse_codes(const char *list, char (*codes)[OPERATION_CODE_MAX + 1], int max, int *n,
                        const char *field, struct dms_error *err);
/* "PAD-F:2,ROTOR:1" -> part requests (quantities 1..PART_MAX_QTY). At most max; error
 * invalid_field (field "parts"). */
int booking_parse_parts(const char *list, struct part_request *out, int max, int *n,
                        struct dms_error *err);

/* RO-9: whether a booking of `day` not checked in is a no-show now (today at now_min): every
 * day before today is; today is once the store has closed (close_min of its hours; a closed
 * day counts from midnight) and grace_min more have gone by. */
bool booking_no_show_due(dms_day day, dms_day today, int now_min, bool open, int close_min,
                         int grace_min);

/* Standard hours (hundredths) as whole minutes of work, rounded up. */
int booking_work_minutes(int64_t hours_x100);

#endif
