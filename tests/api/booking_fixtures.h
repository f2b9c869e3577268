/* Fixtures of the booking tests (test_appointments_*.c, test_board.c, test_booking_race.c,
 * test_appt_reminders.c, test_appt_cli.c): days and times in the store's zone, the workshop of
 * a store of the test's own (bays, technicians, operations, parts), customers with cars,
 * bookings and their status, lists, and the checks of refused requests. Each speaks to SRV as
 * the token given and asserts what it relies on (cmocka, main thread only); the strings it
 * returns are kept (see keep()). */
#ifndef DMS_TEST_BOOKING_FIXTURES_H
#define DMS_TEST_BOOKING_FIXTURES_H

#include "harness.h"

#define APPTS "/api/v1/appointments"

/* ---- days and times (store-local: Asia/Shanghai, no daylight saving) ---- */

/* today + days as YYYY-MM-DD, and at HH:MM as YYYY-MM-DDTHH:MM. */
const char *day_str(int days);
const char *day_at(int days, const char *hhmm);
/* A day's weekday as the calendar names it: "mon" .. "sun". */
const char *weekday_name(int32_t day);
/* The store's wall clock in minutes since midnight, and such a minute as HH:MM. */
int local_minute_now(void);
const char *clock_hhmm(int minute);

/* ---- the store's settings ---- */

/* PATCH /settings with body (200). */
void set_settings(const char *token, const char *body);
/* Opens the store 00:00-23:59 every day, so that "now" always lies in its hours. */
void open_all_day(const char *token);

/* ---- the workshop ---- */

/* A bay of kind named name, or (bay_new) named 工位N; returns its id. */
int64_t bay_named(const char *token, const char *name, const char *kind);
int64_t bay_new(const char *token, const char *kind);
/* A technician 师傅N; skills and days are JSON lists, days NULL: every day. Returns the id. */
int64_t tech_new(const char *token, const char *skills, const char *days);
/* A labour operation named name (NULL: 作业CODE) of kind (NULL: not sent, the default); hours
 * as a JSON number ("0.5"), rate_fen per hour. Returns its code (kept). op_new names it
 * 作业CODE. */
const char *op_named(const char *token, const char *name, const char *kind, const char *hours,
                     const char *bay_kind, const char *skill, long long rate_fen);
const char *op_new(const char *token, const char *kind, const char *hours, const char *bay_kind,
                   const char *skill, long long rate_fen);
/* A part in the store's master named name (NULL: 配件NO) on shelf A-1; returns its number
 * (kept). part_new names it 配件NO. */
const char *part_named(const char *token, const char *name, long long price_fen, int on_hand,
                       int lead_days);
const char *part_new(const char *token, long long price_fen, int on_hand, int lead_days);

/* A store of the test's own (store_new) with `bays` general bays named 工位N and `techs`
 * mechanics (at most WORKSHOP_MAX each, ids in creation order), and op: a repair of an hour on
 * a general bay by a mechanic at ¥200/h (case B, ¥200.00). */
#define WORKSHOP_MAX 4
struct workshop {
    struct test_store st;
    const char *m; /* the store's service manager (token) */
    const char *op;
    int64_t bay[WORKSHOP_MAX], tech[WORKSHOP_MAX];
    const char *bay_name[WORKSHOP_MAX];
};
void workshop_new(struct workshop *w, int bays, int techs);

/* ---- customers, cars and bookings ---- */

/* A new customer, 王小明 先生, with a car (大众 速腾); returns the vehicle's id and, when plate is
 * not NULL, the car's plate (kept). car() is car_new(token, NULL). */
int64_t car_new(const char *token, const char **plate);
int64_t car(const char *token);

/* The body of an exact booking of one operation (extra: more members, ",\"k\":v", or NULL). */
const char *booking(int64_t vehicle, const char *op, const char *start, const char *extra);
/* The body of a booking for a day without a time (flexibility "date": tentative, no bay). */
const char *booking_for_day(int64_t vehicle, const char *op, const char *date, const char *extra);
/* Books it (201) and returns the appointment (caller json_decref()s). */
json_t *book(const char *token, int64_t vehicle, const char *op, const char *start,
             const char *extra);
/* Books it, checks that it is confirmed and returns its id. */
int64_t book_confirmed(const char *token, int64_t vehicle, const char *op, const char *start,
                       const char *extra);
/* Moves an appointment to status (200) and checks that the answer says so. */
void status_ok(const char *token, int64_t id, const char *status);

/* ---- reception and repair orders (RO-1..RO-7) ---- */

#define ORDERS "/api/v1/repair-orders"

/* Sets the server's clock to the store-local time "YYYY-MM-DDTHH:MM" (Asia/Shanghai);
 * srv_clock_set(SRV, 0) gives it the system clock again. */
void clock_local(const char *local);
/* A booking's status (kept) and its car. */
const char *appt_status(const char *token, int64_t appt);
int64_t appt_vehicle(const char *token, int64_t appt);
/* Checks booking appt's car in (POST /repair-orders, 201; the odometer 100 km above its last
 * reading) and returns the order (caller json_decref()s); check_in returns its id. */
json_t *check_in_order(const char *token, int64_t appt);
int64_t check_in(const char *token, int64_t appt);
/* Moves a repair order to status (200; extra: more members, ",\"k\":v", or NULL) and checks
 * the answer says so. */
void order_status_ok(const char *token, int64_t order, const char *status, const char *extra);
/* Takes an order from open or in_progress through QC, settlement (cash, the amount due) and
 * delivery, as token (a service manager's, who may do every step). */
void order_deliver(const char *token, int64_t order);

/* ---- lists ---- */

/* How many items GET path answers (200) with. */
size_t items_count(const char *path, const char *token);
/* The member of a JSON list whose key is the string value, or whose "id" is id; NULL when
 * none is. */
json_t *item_with(json_t *list, const char *key, const char *value);
json_t *item_with_id(json_t *list, int64_t id);

/* ---- refusals ---- */

/* A request refused with status and error.code; returns the body (caller json_decref()s). */
json_t *refusal(const char *method, const char *path, const char *token, const char *body,
                long status, const char *code);
/* A request refused with some 4xx and an error body, whatever its code. */
void refused_4xx(const char *method, const char *path, const char *token, const char *body);

#endif
