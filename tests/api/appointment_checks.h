/* Checks and set-ups the appointment tests share (test_appointments_slots.c, _cases.c,
 * _lifecycle.c, _failures.c), beside the booking fixtures they all use: a part's stock, the
 * options of a refusal or a /slots answer, a refused status change, an appointment's parts and
 * the shelves that hold them, its confirmation calls, what a refused booking must leave as it
 * was, and a confirmed booking made in one call. Each speaks to SRV as the token given and
 * asserts what it relies on (cmocka, main thread only); the strings it returns are kept (see
 * keep()). */
#ifndef DMS_TEST_APPOINTMENT_CHECKS_H
#define DMS_TEST_APPOINTMENT_CHECKS_H

#include "booking_fixtures.h"

/* ---- parts and stock ---- */

/* on_hand, reserved, available, on_order of a part, as the API says them. */
void assert_stock(const char *token, const char *no, int on_hand, int reserved, int on_order);

/* ---- options ---- */

/* The options of a refusal or a /slots answer: a list, each a well-formed option. */
json_t *options_of(json_t *body);
/* A request refused 409 with code: how many options it offers (each checked well-formed). */
size_t refused_with_options(const char *method, const char *path, const char *token,
                            const char *body, const char *code);
/* Whether one of the options starts at start. */
bool offers_start(json_t *opts, const char *start);

/* ---- an appointment ---- */

/* A status change refused with http_status and code; the appointment stays as it was. */
void status_refused(const char *token, int64_t id, const char *status, long http_status,
                    const char *code);
/* The part numbered no of an appointment (NULL when it has none). */
json_t *appt_part(json_t *appt, const char *no);
/* The state of the appointment's part numbered no (kept). */
const char *part_state(const char *token, int64_t id, const char *no);
/* Whether a shelf ("appointment", "waiting_for_parts") holds the part for the booking. */
bool on_shelf(const char *token, const char *shelf, int64_t appt, const char *no);
/* How many appointment_confirm tasks of a vehicle have status. */
size_t confirm_task_count(const char *token, int64_t vehicle, const char *status);

/* ---- refusals write nothing ---- */

/* What a refused booking must leave as it was. */
struct before {
    char *appts, *parts, *orders;
    int64_t audit;
    const char *token;
    int64_t vehicle;
};
void before_take(struct before *b, const char *token, int64_t vehicle);
void assert_nothing_written(struct before *b);

/* ---- bookings ---- */

/* A confirmed booking of op on today + days at hh:mm for a new car (made by the store's
 * manager: not every role may add vehicles) by token; returns its id. */
int64_t booked(const struct test_store *st, const char *token, const char *op, int days,
               const char *hhmm, const char *extra);

#endif
