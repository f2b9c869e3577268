/* The catalogue of labour operations (operations.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_OPERATIONS_H
#define DMS_STORE_OPERATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workshop.h"
#include "store/store.h"

struct operation {
    int64_t id;
    char code[OPERATION_CODE_MAX + 1];
    char name[64 * 4 + 1];
    enum op_kind kind;  /* maintenance (case A) or repair */
    int64_t hours_x100; /* standard hours, hundredths */
    enum bay_kind bay_kind;
    enum skill skill;
    int64_t rate_fen;   /* fen per hour */
    int64_t labour_fen; /* hours × rate, derived */
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* conflict (field code) when the store has the code. */
int operations_create(struct db *db, const struct actor *a, struct operation *o,
                      struct dms_error *err);
int operations_get(struct db *db, const struct actor *a, int64_t id, struct operation *out,
                   struct dms_error *err);
/* An active operation by its code (normal form); not_found when the store has none. */
int operations_get_by_code(struct db *db, const struct actor *a, const char *code,
                           struct operation *out, struct dms_error *err);
/* Edits operation id (store_edit on a struct operation; the code does not change), with an
 * audit row of what changed; *out is the operation as written. */
int operations_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                      struct operation *out, struct dms_error *err);
/* By code order; retired ones only when all is true. */
int operations_list(struct db *db, const struct actor *a, bool all, struct operation **out,
                    size_t *n, struct dms_error *err);

#endif
