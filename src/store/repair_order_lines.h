/* The lines of a repair order and their stock (repair_order_lines.c): helpers the order's
 * files share; not part of the floor's interface. The caller holds the order's row lock. */
#ifndef DMS_STORE_REPAIR_ORDER_LINES_H
#define DMS_STORE_REPAIR_ORDER_LINES_H

#include "store/repair_orders.h"

/* The order's lines by position, each with the clock open on it (malloc'ed *out). */
int ro_lines_load(struct db *db, int64_t order_id, struct ro_line **out, size_t *n,
                  struct dms_error *err);
/* The lines of the store's orders with ids in [first, last], by order and position (the
 * lines of a list's page in one query; the caller keeps those of its orders). */
int ro_lines_load_range(struct db *db, int64_t store_id, int64_t first, int64_t last,
                        struct ro_line **out, size_t *n, struct dms_error *err);
/* Writes l as the order's next line (fills id, order_id, position, created_at). */
int ro_line_write(struct db *db, const struct actor *a, const struct repair_order *o,
                  struct ro_line *l, struct dms_error *err);
/* Resolves in (an operation of the catalogue, or a part of the parts master), takes its stock
 * as the order's status asks (RO-6) and writes it; perk marks a booked customer's free item.
 * unknown_operation (field op), unknown_part (field part_no), out_of_stock. */
int ro_line_insert(struct db *db, const struct actor *a, const struct repair_order *o,
                   const struct ro_line_in *in, bool perk, struct ro_line *out,
                   struct dms_error *err);
/* RO-6: reserves a part line's quantity out of what is available (on hand - reserved):
 * out_of_stock when it cannot; the check and the change are one UPDATE, so of two orders
 * racing for the last unit one wins. */
int ro_stock_reserve(struct db *db, const struct actor *a, struct ro_line *l,
                     struct dms_error *err);
/* RO-6: the job starts: every counting part line is issued (reserved ones first, IN-12; the
 * others out of what is available); parts_not_received for a booking's part still on order,
 * out_of_stock. */
int ro_stock_issue_all(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err);
/* Cancellation: reserved parts are released, issued ones go back on the shelf. */
int ro_stock_give_back(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err);

#endif
