/* CRM-2: the classification pass of a store (nightly, `dms customers classify`, the API) and
 * the recomputation of one customer when they visit. The rules are core/classify.h's. */
#ifndef DMS_STORE_CLASSIFY_H
#define DMS_STORE_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/classify.h"
#include "store/store.h"

/* A visit (core/classify.h): a service record not written by a repair order, or a settled or
 * delivered repair order, by its store-local day. Parameters: store, customer (0: all),
 * customer, up to day; twice (records, then orders). WHO: CLASSIFY_WHO_*. */
#define CLASSIFY_VISITS_SQL(WHO)                                                                   \
    "SELECT customer_id, date_in AS day, total_fen AS amount FROM service_records WHERE " WHO      \
    " AND repair_order_id IS NULL AND date_in <= ? "                                               \
    "UNION ALL SELECT customer_id, day, COALESCE(amount_due_fen, 0) FROM repair_orders WHERE " WHO \
    " AND status IN ('settled', 'delivered') AND day <= ?"
/* WHO of a store's pass (the customer parameter is 0) and of one customer: two statements, so
 * that each is planned for its own index (a parameter that switches the filter off would make
 * SQLite scan the store's rows for one customer). Both bind store, customer. */
#define CLASSIFY_WHO_STORE "store_id = ? AND CAST(? AS BIGINT) = 0"
#define CLASSIFY_WHO_ONE   "store_id = ? AND customer_id = ?"

enum classify_source { CLASSIFY_NIGHTLY, CLASSIFY_CLI, CLASSIFY_API, CLASSIFY_SOURCE_COUNT };
extern const char *const CLASSIFY_SOURCE_NAMES[CLASSIFY_SOURCE_COUNT];

struct classify_result {
    int64_t run_id;
    int examined; /* customers the rules looked at (erased ones are left out) */
    int changed;  /* customers whose class the pass wrote */
    int locked;   /* customers whose locked class differs from the rules' (left alone) */
    int into[CLASS_COUNT];
    int from[CLASS_COUNT];
};

/* Runs the pass of a->store_id for day `today`, in the caller's (write) transaction: one read
 * of every customer's figures, the rules in core, an UPDATE of each customer whose class
 * changes (not of a locked one, and not of one whose class moved meanwhile), with its audit
 * row, and one classify_runs row with its audit row. source CLASSIFY_NIGHTLY claims the
 * store's day first: 0 when another pass has claimed it (nothing written), 1 when it ran. */
int classify_store(struct db *db, const struct actor *a, dms_day today, enum classify_source source,
                   struct classify_result *out, struct dms_error *err);

/* A visit was recorded (an order delivered, a service record written): the customer's class
 * follows at once (a lost customer who came back leaves "lost"). Left alone when locked. */
int classify_customer(struct db *db, const struct actor *a, int64_t customer_id,
                      struct dms_error *err);

/* The figures the rules read, of one customer of a->store_id (for the credit analysis). */
int classify_figures(struct db *db, const struct actor *a, int64_t customer_id, dms_day today,
                     struct class_figures *out, dms_day *first_visit, struct dms_error *err);

#endif
