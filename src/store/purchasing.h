/* Purchase orders, parts shelves and shortages (purchasing.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_PURCHASING_H
#define DMS_STORE_PURCHASING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/plate.h"
#include "store/store.h"
#include "store/appointments.h"

struct po_line {
    int64_t id, part_id, appointment_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
};

struct purchase_order {
    int64_t id;
    char status[12]; /* open, received */
    char expected_date[DATE_STR];
    char received_at[TIMESTAMP_STR], created_at[TIMESTAMP_STR];
    struct po_line *lines; /* malloc'ed; purchase_orders_free */
    size_t n_lines;
};
void purchase_orders_free(struct purchase_order *o, size_t n);
/* status "" for any; by expected date, newest last; at most 500. */
int purchase_orders_list(struct db *db, const struct actor *a, const char *status,
                         struct purchase_order **out, size_t *n, struct dms_error *err);
int purchase_orders_get(struct db *db, const struct actor *a, int64_t id,
                        struct purchase_order *out, struct dms_error *err);
/* IN-5: the parts arrive: stock goes up, and the lines of bookings move from the "waiting
 * for parts" shelf to the "appointment" shelf (reserved). conflict when received already. */
int purchase_orders_receive(struct db *db, const struct actor *a, int64_t id,
                            struct purchase_order *out, struct dms_error *err);

/* IN-12: what sits on a shelf for the live bookings: reserved parts (the "appointment"
 * shelf) or parts on order (the "waiting for parts" shelf), by booking day. */
struct shelf_item {
    int64_t appointment_id;
    char day[DATE_STR];
    int start_min; /* -1: no time yet */
    char plate[PLATE_MAX_BYTES];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
    char expected_date[DATE_STR]; /* on order */
};
int shelves_list(struct db *db, const struct actor *a, enum appt_part_state state,
                 struct shelf_item **out, size_t *n, struct dms_error *err);

#define SHORTAGE_CAUSE_CHARS 200
struct shortage {
    int64_t id, part_id, appointment_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
    char cause[SHORTAGE_CAUSE_CHARS * 4 + 1];
    bool complaint_risk;
    char escalated_at[TIMESTAMP_STR];
    int escalated_to; /* messages queued */
    char created_at[TIMESTAMP_STR];
};
/* IN-18: records a shortage and its cause (a case-D booking records its own, cause "not in
 * stock when booked"); one flagged as a complaint risk is escalated at
 * once: an e-mail to each of the store's escalation addresses (store_settings
 * escalation_emails: the brand's parts manager, the regional manager), through the outbox.
 * not_found (field part_no / appointment_id) for another store's. */
int shortages_create(struct db *db, const struct actor *a, struct shortage *s,
                     struct dms_error *err);
int shortages_list(struct db *db, const struct actor *a, struct shortage **out, size_t *n,
                   struct dms_error *err);
int shortages_get(struct db *db, const struct actor *a, int64_t id, struct shortage *out,
                  struct dms_error *err);
/* The parts manager's analysis: the cause and whether it risks a complaint; turning the risk
 * on escalates it (once). */
int shortages_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                     struct shortage *out, struct dms_error *err);

/* Inside the storage layer: appointments.c orders the parts of a case-D booking through
 * these. */

/* Adds qty of a part for an appointment to the store's open order expected on `expected`
 * (creating it). *line_id and *order_id get the line and its order. */
int purchase_order_add(struct db *db, const struct actor *a, int64_t part_id, int64_t qty,
                       int64_t appointment_id, dms_day expected, int64_t *line_id,
                       int64_t *order_id, struct dms_error *err);

/* IN-18: a shortage found while booking (case D), for the parts manager to analyse. */
int shortage_record(struct db *db, const struct actor *a, int64_t part_id, const char *part_no,
                    const char *name, int64_t qty, int64_t appointment_id, const char *cause,
                    struct dms_error *err);

#endif
