/* The parts master (parts.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_PARTS_H
#define DMS_STORE_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct part {
    int64_t id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t price_fen;
    int64_t on_hand, reserved; /* available = on_hand - reserved */
    int64_t on_order;          /* on open purchase orders (derived) */
    char shelf[32 * 4 + 1];
    int lead_days; /* the supplier's, for parts to order (IN-5: about a week) */
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* conflict (field part_no) for a number the store has. */
int parts_create(struct db *db, const struct actor *a, struct part *p, struct dms_error *err);
int parts_get(struct db *db, const struct actor *a, int64_t id, struct part *out,
              struct dms_error *err);
/* By part number in its normal form (core/part.h part_no_normalise); not_found when the
 * store has none. */
int parts_get_by_no(struct db *db, const struct actor *a, const char *part_no, struct part *out,
                    struct dms_error *err);
/* Edits part id (store_edit on a struct part; the number and the reservations stay).
 * stock_reserved when on_hand would fall below what is reserved. A stock count is written as
 * the difference to what the locked row holds, so units issued or received meanwhile count. */
int parts_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                 struct part *out, struct dms_error *err);
/* By part number; retired ones only when all is true. */
int parts_list(struct db *db, const struct actor *a, bool all, struct part **out, size_t *n,
               struct dms_error *err);

#endif
