/* Appointments (appointments.c, purchasing.c, board.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_APPOINTMENTS_H
#define DMS_STORE_APPOINTMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/booking.h"
#include "core/customer.h"
#include "core/plate.h"
#include "core/slots.h"
#include "core/vehicle.h"
#include "core/workshop.h"
#include "store/store.h"
#include "store/workshop.h"

#define APPT_MAX_OPS     20
#define APPT_MAX_PARTS   30
#define APPT_WORDS_CHARS 500

enum appt_part_state {
    PART_PLANNED,
    PART_RESERVED,
    PART_ON_ORDER,
    PART_RELEASED,
    PART_ISSUED,
    PART_STATE_COUNT
};
extern const char *const PART_STATE_NAMES[PART_STATE_COUNT];

struct appt_op {
    int64_t operation_id;
    char code[OPERATION_CODE_MAX + 1];
    char name[64 * 4 + 1];
    enum op_kind kind;
    int64_t hours_x100, labour_fen;
    enum bay_kind bay_kind;
    enum skill skill;
};

struct appt_part {
    int64_t part_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty, unit_price_fen;
    enum appt_part_state state;
    int64_t available; /* on hand - reserved, when planned */
    int lead_days;
    char expected_date[DATE_STR]; /* on order: the purchase order's arrival */
    int64_t order_id;
};

/* What a job needs and costs (IN-6, IN-7): the operations and parts resolved against the
 * catalogue and the parts master, the case, the estimate, and the first day the parts can
 * all be there. */
struct appt_plan {
    struct appt_op ops[APPT_MAX_OPS];
    int n_ops;
    struct appt_part parts[APPT_MAX_PARTS];
    int n_parts;
    int short_parts;   /* lines stock cannot cover */
    int lead_days;     /* the longest lead time of those */
    dms_day parts_day; /* today + lead_days */
    enum booking_case bcase;
    struct slot_job job;
    int64_t labour_fen, parts_fen, total_fen;
};

/* Resolves operation codes and part numbers for the store: unknown_operation (field ops) or
 * unknown_part (field parts) for a code or number it has not (or retired), invalid_field
 * (ops) when the operations need different bay kinds. */
int appointments_plan(struct db *db, const struct actor *a,
                      const char codes[][OPERATION_CODE_MAX + 1], int n_codes,
                      const struct part_request *parts, int n_parts, struct appt_plan *out,
                      struct dms_error *err);

struct appointment {
    int64_t id, vehicle_id, customer_id;
    enum booking_case bcase;
    enum appt_status status;
    enum flexibility flex;
    char day[DATE_STR];               /* "" for a period booking */
    int start_min, end_min, hold_min; /* -1 while the time is not fixed */
    int64_t bay_id, technician_id;    /* 0 while none */
    struct slot_job job;
    char period_from[DATE_STR], period_to[DATE_STR];
    char parts_date[DATE_STR];
    char customer_words[APPT_WORDS_CHARS * 4 + 1];
    unsigned services; /* bit set of enum booking_service */
    enum booking_source source;
    bool wait_for_parts;
    int64_t labour_fen, parts_fen, total_fen;
    int64_t task_id;
    int64_t created_by;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    struct appt_op ops[APPT_MAX_OPS];
    int n_ops;
    struct appt_part parts[APPT_MAX_PARTS];
    int n_parts;
    /* For display, joined by get/list: */
    char plate[PLATE_MAX_BYTES];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char bay_name[WORKSHOP_NAME_CHARS * 4 + 1];
    char technician_name[WORKSHOP_NAME_CHARS * 4 + 1];
    unsigned customer_needs; /* IN-17, CRM-6: what to prepare for this customer */
    char needs_note[500 * 4 + 1];
};

struct booking_in {
    int64_t vehicle_id;
    char codes[APPT_MAX_OPS][OPERATION_CODE_MAX + 1];
    int n_codes;
    struct part_request parts[APPT_MAX_PARTS];
    int n_parts;
    enum flexibility flex;
    dms_day day;   /* exact and date */
    int start_min; /* exact */
    dms_day period_from, period_to;
    int64_t bay_id, technician_id; /* 0: any free one */
    char customer_words[APPT_WORDS_CHARS * 4 + 1];
    unsigned services;
    enum booking_source source;
    bool wait_for_parts;
    int64_t task_id; /* the call task that booked it, 0 when none */
};

/* Why a booking was refused, for the caller to answer with fresh options. */
struct booking_refusal {
    enum slot_verdict verdict; /* SLOT_TAKEN or SLOT_UNAVAILABLE; SLOT_OK when not a slot */
    struct slot_option options[3];
    size_t n_options;
    int lead_days; /* parts_unavailable: the longest lead time */
};

/* Books (IN-4..IN-6, IN-14..IN-19). exact: the start must be free now: with the store's
 * bookings serialised (SQLite's write lock, a row lock on the store in PostgreSQL), two
 * advisors cannot both take the same bay or technician; slot_taken / slot_unavailable (409)
 * fill *refusal with options. Parts in stock are reserved; short ones are ordered (case D,
 * start on or after their arrival) when wait_for_parts, else parts_unavailable (422). date
 * and period bookings hold nothing yet and get an appointment_confirm call a week before.
 * not_found for another store's vehicle or task. */
int appointments_book(struct db *db, const struct actor *a, const struct booking_in *in,
                      struct appointment *out, struct booking_refusal *refusal,
                      struct dms_error *err);

int appointments_get(struct db *db, const struct actor *a, int64_t id, struct appointment *out,
                     struct dms_error *err);

struct appt_filter {
    dms_day day;        /* 0: any */
    int64_t vehicle_id; /* 0: any */
    int status;         /* -1: any */
};
/* By day and start (period bookings last), at most 1,000. */
int appointments_list(struct db *db, const struct actor *a, const struct appt_filter *f,
                      struct appointment **out, size_t *n, struct dms_error *err);

/* Moves a booking through its life cycle (core/booking.h appt_transition_ok, else
 * invalid_transition 409). Cancelling or a no-show releases its parts and withdraws its
 * reminders still queued (IN-16); completing issues them. */
int appointments_set_status(struct db *db, const struct actor *a, int64_t id, enum appt_status to,
                            struct appointment *out, struct dms_error *err);

/* Fixes or moves the time of a booking (reschedule; IN-15/16 once the date is known):
 * the same checks and refusals as booking, its own hold excluded. A flexible booking becomes
 * exact and confirmed, its parts reserved or ordered. A booking moved to another day or time
 * has its queued reminders withdrawn and is reminded again for the new time (IN-16). */
int appointments_reschedule(struct db *db, const struct actor *a, int64_t id, dms_day day,
                            int start_min, int64_t bay_id, int64_t technician_id,
                            struct appointment *out, struct booking_refusal *refusal,
                            struct dms_error *err);

/* IN-15, IN-16: the call that fixes a flexible booking (type appointment_confirm), due a
 * week before target; closed (done) once the time is fixed. (tasks.c) */
int tasks_create_confirm(struct db *db, const struct actor *a, const struct appointment *ap,
                         dms_day target, struct dms_error *err);
int tasks_close_confirm(struct db *db, const struct actor *a, int64_t appointment_id,
                        struct dms_error *err);
/* RO-9: the call asking a no-show to rebook (type no_show_rebook), once per booking. */
int tasks_create_rebook(struct db *db, const struct actor *a, const struct appointment *ap,
                        struct dms_error *err);

/* Dispatch (IN-11): gives the job to another technician, who must have the skills, work
 * that day and be free then (slot_taken / slot_unavailable otherwise). */
int appointments_dispatch(struct db *db, const struct actor *a, int64_t id, int64_t technician_id,
                          struct appointment *out, struct booking_refusal *refusal,
                          struct dms_error *err);

/* IN-16: queues the reminders now due for the store's confirmed bookings: the day before
 * (from the morning run's time, generate_at) and 30 minutes before the start, each once (a
 * moved booking is reminded again), by SMS or e-mail as the customer consents (suppressed
 * otherwise), with the operations and the estimate. *queued counts them. (reminders.c) */
int appointments_remind(struct db *db, const struct actor *a, int *queued, struct dms_error *err);

/* ---- reception (RO-1, RO-2, RO-5): the repair order drives its booking; its parts are the
 * order's business from check-in on (repair_orders.c). ---- */

/* RO-1: today's booking (not_today otherwise), tentative or confirmed (invalid_transition
 * otherwise), becomes arrived; a tentative one's confirmation call is done. */
int appointments_arrive(struct db *db, const struct actor *a, int64_t id, struct appointment *out,
                        struct dms_error *err);
/* RO-2: a walk-in's operations booked for today (source walk_in, arrived) at the earliest time
 * a bay of their kind and a technician with the skills are free, so that the schedule shows
 * it; when nothing is free today it gets no time (a `date` booking of today: the queue). */
int appointments_walk_in(struct db *db, const struct actor *a, int64_t vehicle_id,
                         const char codes[][OPERATION_CODE_MAX + 1], int n_codes, const char *words,
                         struct appointment *out, struct dms_error *err);
/* RO-5: an arrived booking goes into service: on its own bay and technician, or — a queued
 * one, or another bay or technician asked for (0: any) — on ones free now (slot_taken /
 * slot_unavailable with refusal's options otherwise). */
int appointments_start(struct db *db, const struct actor *a, int64_t id, int64_t bay_id,
                       int64_t technician_id, struct appointment *out,
                       struct booking_refusal *refusal, struct dms_error *err);
/* RO-9 (no_shows.c): the store's bookings missed by now (booking_no_show_due: closing plus
 * no_show_grace_min; earlier days too, when no run saw their closing) become no-shows, each
 * with a rebooking call; the parts of no-shows older than no_show_hold_days are released.
 * Safe to run by several processes at once: each booking is moved under the store's lock and
 * its rebooking call has a dedupe key. Counts in *marked and *released (may be NULL). */
int appointments_no_shows(struct db *db, const struct actor *a, int *marked, int *released,
                          struct dms_error *err);
/* Releases the reserved parts of a no-show (RO-9's hold has passed), with its audit row. */
int appointments_release_parts(struct db *db, const struct actor *a, int64_t id,
                               struct dms_error *err);

/* The order was delivered (completed) or cancelled: the booking follows, whatever its status
 * (the order's life cycle decided), with its audit row. */
int appointments_follow_order(struct db *db, const struct actor *a, int64_t id,
                              enum appt_status to, struct dms_error *err);

#endif
