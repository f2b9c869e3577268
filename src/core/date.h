/* Calendar dates (store-local, proleptic Gregorian) as day numbers, and UTC timestamps
 * for the audit log. Pure arithmetic; the current time is always passed in. */
#ifndef DMS_CORE_DATE_H
#define DMS_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* Days since 1970-01-01. */
typedef int32_t dms_day;

#define DATE_STR      11 /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_STR 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

bool date_is_leap(int year);
int date_days_in_month(int year, int month);

/* Strict "YYYY-MM-DD" with a real calendar day, years 1900-2999. Returns 0 and sets *out,
 * or fails with invalid_date for `field`. */
int date_parse(const char *s, dms_day *out, const char *field, struct dms_error *err);

dms_day date_from_ymd(int year, int month, int day);
/* Strict "YYYY-MM" (a report's month): its first and last day. Error invalid_date for field. */
int date_parse_month(const char *s, dms_day *first, dms_day *last, const char *field,
                     struct dms_error *err);
void date_to_ymd(dms_day d, int *year, int *month, int *day);
void date_format(dms_day d, char out[DATE_STR]);

/* 0 = Monday ... 6 = Sunday (ISO). */
int date_weekday(dms_day d);

/* Adds months, clamping the day to the end of a shorter month (Jan 31 + 1 = Feb 28/29). */
dms_day date_add_months(dms_day d, int months);

/* The calendar day of a local wall-clock instant (seconds since the epoch, local). */
dms_day date_of_local_seconds(int64_t local);
/* Store-local "YYYY-MM-DDTHH:MM" (LOCAL_TIME_STR bytes with the NUL): a day and the
 * minutes after its midnight. Error invalid_date naming field. */
#define LOCAL_TIME_STR 17
int local_time_parse(const char *s, dms_day *day, int *min, const char *field,
                     struct dms_error *err);
void local_time_format(dms_day day, int min, char out[LOCAL_TIME_STR]);

/* The minutes after midnight of local seconds since the epoch (0-1439). */
int local_minute(int64_t local);

/* UTC instant (seconds since the epoch) -> "YYYY-MM-DDTHH:MM:SSZ". */
void timestamp_format_utc(int64_t utc, char out[TIMESTAMP_STR]);
/* The reverse, for what timestamp_format_utc wrote: 0 and *utc, or -1 for anything else. */
int timestamp_parse_utc(const char *ts, int64_t *utc);

#endif
