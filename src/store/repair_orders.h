/* Repair orders (repair_orders.c, repair_order_lines.c, settlement.c): reception, the work, the
 * statement and delivery (RO-1..RO-7); store.h says how they all behave. Every change of an
 * order locks its row first; check-in takes the store's lock (the day's numbers, the
 * schedule). */
#ifndef DMS_STORE_REPAIR_ORDERS_H
#define DMS_STORE_REPAIR_ORDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/booking.h"
#include "core/customer.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/repair_order.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "core/workshop.h"
#include "store/appointments.h"
#include "store/store.h"

#define RO_MAX_LINES      100
#define RO_NOTES_CHARS    500
#define RO_REASON_CHARS   200
#define RO_NAME_BYTES     (64 * 4 + 1)
#define RO_PERSON_BYTES   (CUSTOMER_NAME_CHARS * 4 + 1)
#define RO_WORDS_BYTES    (APPT_WORDS_CHARS * 4 + 1)
#define RO_NOTES_BYTES    (RO_NOTES_CHARS * 4 + 1)
#define RO_REASON_BYTES   (RO_REASON_CHARS * 4 + 1)
#define RO_MAX_PERK_CODES 10
#define RO_WALK_IN_BENEFIT                                                                         \
    "下次来店前请先预约：预约客户优先安排工位和技师、缩短等待，并可享受预约免费项目。"

struct ro_line {
    int64_t id, order_id, operation_id, part_id;
    int position;
    enum ro_line_type type;
    char code[OPERATION_CODE_MAX + 1]; /* operation code or part number */
    char name[RO_NAME_BYTES];
    int64_t hours_x100;     /* labour: standard hours, hundredths */
    int64_t qty;            /* parts; 1 for labour */
    int64_t unit_price_fen; /* parts: the part's price; labour: the operation's price */
    int64_t amount_fen;
    enum ro_payer payer;
    bool perk;             /* RO-1: a booked customer's free item */
    bool from_appointment; /* prepared by the booking (its reserved part, IN-12) */
    enum ro_decision decision;
    char decided_via[12]; /* phone, in_person */
    char decided_by[RO_PERSON_BYTES];
    char decided_at[TIMESTAMP_STR];
    int64_t recorded_by;
    enum ro_stock stock;
    int64_t clocked_min;
    int64_t clock_technician_id; /* on the line now, 0 when nobody */
    char clock_on_at[TIMESTAMP_STR];
    char created_at[TIMESTAMP_STR];
};

struct ro_payment_row {
    int64_t id, receivable_id;
    enum pay_method method;
    int64_t amount_fen;
    char at[TIMESTAMP_STR];
};

struct repair_order {
    int64_t id;
    char number[16];
    enum ro_status status;
    enum ro_source source;
    enum service_kind kind;
    int64_t appointment_id, vehicle_id, customer_id, campaign_id;
    char day[DATE_STR]; /* of arrival, store-local */
    int64_t mileage_km, reading_id;
    int fuel_eighths; /* 0-8; -1 not noted */
    char damage_notes[RO_NOTES_BYTES];
    char customer_words[RO_WORDS_BYTES];
    bool by_driver; /* brought by a driver (CRM-5), else the owner */
    int64_t driver_id;
    char driver_name[RO_PERSON_BYTES], driver_phone[PHONE_MAX];
    bool waiting;
    char promised_at[LOCAL_TIME_STR]; /* store-local; "" none */
    int64_t advisor_id;
    char advisor_name[257];
    int64_t bay_id, technician_id;
    char bay_name[WORKSHOP_NAME_CHARS * 4 + 1], technician_name[WORKSHOP_NAME_CHARS * 4 + 1];
    /* The schedule, from its booking: start/end -1 and queued while it has no time. */
    int start_min, end_min;
    bool queued;
    int queue_position; /* 1.. among the queued, 0 when not queued */
    char arrived_at[TIMESTAMP_STR], started_at[TIMESTAMP_STR], qc_at[TIMESTAMP_STR];
    char ready_at[TIMESTAMP_STR], settled_at[TIMESTAMP_STR], delivered_at[TIMESTAMP_STR];
    char cancelled_at[TIMESTAMP_STR];
    char cancel_reason[RO_REASON_BYTES];
    int64_t wait_min; /* arrival to work start; -1 not started */
    int on_time;      /* delivered by the promised time: 1, 0; -1 not known */
    int qc_failures;
    char qc_note[RO_REASON_BYTES];
    int64_t discount_fen, discount_approved_by;
    char discount_approver_name[257];
    int64_t service_record_id, receivable_id;
    int64_t created_by;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    /* Joined for display. */
    char plate[PLATE_MAX_BYTES], vin[VIN_LEN + 1];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    enum customer_type customer_type;
    /* Loaded by get (not by list unless asked). */
    struct ro_line *lines;
    size_t n_lines;
    struct ro_payment_row *payments;
    size_t n_payments;
    struct ro_totals totals; /* computed from the lines */
    int64_t amount_due_fen;  /* the customer's subtotal - discount */
};
void repair_order_clear(struct repair_order *o);
void repair_orders_free(struct repair_order *o, size_t n);

struct ro_line_in {
    enum ro_line_type type;
    char code[OPERATION_CODE_MAX + 1]; /* operation code or part number, normal form */
    int64_t qty;                       /* parts */
    enum ro_payer payer;
    bool needs_approval;
};

struct ro_check_in {
    int64_t appointment_id; /* 0: a walk-in */
    int64_t vehicle_id;
    int64_t mileage_km;
    int fuel_eighths; /* -1: not noted */
    char damage_notes[RO_NOTES_BYTES];
    bool has_words; /* the customer's words given (else the booking's) */
    char customer_words[RO_WORDS_BYTES];
    bool by_driver;
    int64_t driver_id; /* a known driver of the customer; 0 with a name: a new one */
    char driver_name[RO_PERSON_BYTES], driver_phone[PHONE_MAX], driver_relation[32 * 4 + 1];
    bool waiting;
    char promised_at[LOCAL_TIME_STR];
    char codes[APPT_MAX_OPS][OPERATION_CODE_MAX + 1]; /* a walk-in's operations */
    int n_codes;
    struct part_request parts[APPT_MAX_PARTS]; /* a walk-in's parts */
    int n_parts;
    int kind; /* -1: from the operations */
    int64_t campaign_id;
};

/* RO-1, RO-2: check-in (see docs/api.md POST /repair-orders): not_today, invalid_transition,
 * already_checked_in (409) for a booking; out_of_stock for a walk-in's part; the odometer as
 * mileage_add. */
int repair_orders_check_in(struct db *db, const struct actor *a, const struct ro_check_in *in,
                           struct repair_order *out, struct dms_error *err);

/* With its lines and payments (repair_order_clear). */
int repair_orders_get(struct db *db, const struct actor *a, int64_t id, struct repair_order *out,
                      struct dms_error *err);

struct ro_filter {
    dms_day day;           /* of arrival; 0 any */
    int status;            /* -1 any */
    int64_t vehicle_id;    /* 0 any */
    int source;            /* -1 any */
    int64_t technician_id; /* 0 any */
    bool warranty_only;    /* those with a warranty line (the warranty clerk's view) */
    bool open_only;        /* not delivered or cancelled */
    bool with_lines;
};
/* By arrival (id), a keyset page after `after`, at most limit; *more says whether more
 * follow. */
int repair_orders_list(struct db *db, const struct actor *a, const struct ro_filter *f,
                       int64_t after, int limit, struct repair_order **out, size_t *n, bool *more,
                       struct dms_error *err);

/* Edits the reception fields (store_edit on a struct repair_order); order_closed once it is
 * settled, delivered or cancelled. */
int repair_orders_update(struct db *db, const struct actor *a, int64_t id, store_edit edit,
                         void *ctx, struct repair_order *out, struct dms_error *err);

/* RO-3, RO-4, RO-6: adds a line (unknown_operation / unknown_part, out_of_stock). */
int repair_orders_add_line(struct db *db, const struct actor *a, int64_t order_id,
                           const struct ro_line_in *in, struct ro_line *out, struct dms_error *err);
/* RO-4: the customer's decision on a pending line (already_decided, invalid_field for a line
 * that asks none). A declined line gives its parts back and is kept on the vehicle. */
int repair_orders_decide(struct db *db, const struct actor *a, int64_t order_id, int64_t line_id,
                         bool approved, const char *via, const char *by, struct ro_line *out,
                         struct dms_error *err);
/* RO-5: a technician clocks on (clocked_on when already on a line) or off a labour line of
 * an order in work. technician_id 0: the order's. */
int repair_orders_clock(struct db *db, const struct actor *a, int64_t order_id, int64_t line_id,
                        bool on, int64_t technician_id, struct ro_line *out, struct dms_error *err);

/* RO-5..RO-7: moves the order (core/repair_order.h ro_transition_ok; see docs/api.md for what
 * each step does). reason for qc -> in_progress and cancelled; bay and technician for
 * in_progress (0: the booked ones, or any free now); refusal's options on slot_taken. */
int repair_orders_set_status(struct db *db, const struct actor *a, int64_t id, enum ro_status to,
                             const char *reason, int64_t bay_id, int64_t technician_id,
                             struct repair_order *out, struct booking_refusal *refusal,
                             struct dms_error *err);

/* RO-7: settles a ready order (settlement.c). */
int repair_orders_settle(struct db *db, const struct actor *a, int64_t id,
                         const struct ro_payment *payments, size_t n, int64_t discount_fen,
                         int64_t approved_by, struct repair_order *out, struct dms_error *err);

/* ---- receivables (settlement.c; RO-7, CRM-3) ---- */
struct receivable {
    int64_t id, order_id, customer_id;
    char number[16];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    int64_t amount_fen, paid_fen;
    char due_date[DATE_STR];
    bool overdue;
    bool paid;
    char created_at[TIMESTAMP_STR], paid_at[TIMESTAMP_STR];
};
/* status -1 any, 0 open, 1 paid; oldest due first, at most 1,000. */
int receivables_list(struct db *db, const struct actor *a, int status, struct receivable **out,
                     size_t *n, struct dms_error *err);
int receivables_get(struct db *db, const struct actor *a, int64_t id, struct receivable *out,
                    struct dms_error *err);
/* A payment against it (invalid_field when more than is owed or it is paid). */
int receivables_pay(struct db *db, const struct actor *a, int64_t id, enum pay_method method,
                    int64_t amount_fen, struct receivable *out, struct dms_error *err);

/* ---- declined work (declined_work.c; RO-4) ---- */
struct declined_item {
    int64_t id, vehicle_id, order_id, line_id;
    char number[16];
    enum ro_line_type type;
    char code[OPERATION_CODE_MAX + 1];
    char name[RO_NAME_BYTES];
    int64_t amount_fen;
    char declined_on[DATE_STR];
};
/* The vehicle's declined work still open (offered again), newest first. */
int declined_work_list(struct db *db, const struct actor *a, int64_t vehicle_id,
                       struct declined_item **out, size_t *n, struct dms_error *err);
int declined_work_dismiss(struct db *db, const struct actor *a, int64_t vehicle_id, int64_t id,
                          struct dms_error *err);
/* Internal to the floor: records a declined line; closes as done the vehicle's open items
 * that a delivered order did (the same operation or part). */
int declined_work_record(struct db *db, const struct actor *a, const struct repair_order *o,
                         const struct ro_line *l, struct dms_error *err);
int declined_work_done(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err);

#endif
