/* Maintenance plans and the vehicles' schedule (plans.c, schedule.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_PLANS_H
#define DMS_STORE_PLANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/schedule.h"
#include "core/vehicle.h"
#include "store/store.h"
#include "store/vehicles.h"

#define PLAN_MAX_ITEMS 30

struct plan_op {
    char code[33];
    char name[257];
    int64_t hours_x100;
    int64_t labour_fen;
};
struct plan_part {
    char part_no[33];
    char name[257];
    int64_t qty;
    int64_t unit_price_fen;
    int lead_days; /* days to order it when out of stock (MR-6) */
};

struct plan {
    int64_t id;                             /* 0: the built-in default (no plan in the store) */
    char brand[VEHICLE_TEXT_CHARS * 4 + 1]; /* "" with model "": the store default */
    char model[VEHICLE_TEXT_CHARS * 4 + 1]; /* "": the whole brand */
    struct plan_intervals iv;
    char package_name[257];
    struct plan_op ops[PLAN_MAX_ITEMS];
    int n_ops;
    struct plan_part parts[PLAN_MAX_ITEMS];
    int n_parts;
    int64_t labour_fen, parts_fen; /* the package's quoted price is their sum (IN-7) */
    int lead_days;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* Fills the totals from the lines; invalid_field when they would overflow. */
int plan_totals(struct plan *p, struct dms_error *err);
/* Creates, or replaces the plan of the same brand/model (the key); recomputes the
 * schedule of the vehicles it may cover. *created tells which. */
int plans_put(struct db *db, const struct actor *a, struct plan *p, bool *created,
              struct dms_error *err);
int plans_get(struct db *db, const struct actor *a, int64_t id, struct plan *out,
              struct dms_error *err);
int plans_list(struct db *db, const struct actor *a, struct plan **out, size_t *n,
               struct dms_error *err);
/* Deletes it and recomputes the vehicles it covered. */
int plans_delete(struct db *db, const struct actor *a, int64_t id, struct dms_error *err);
/* The plan the vehicle's schedule follows (the built-in default, id 0, when none of the
 * store's applies). not_found (field vehicle_id) for another store's vehicle. */
int plans_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id, struct plan *out,
                      struct dms_error *err);

/* MR-1: recomputes next_due_date/km/basis (and the plan, last service, last visit) of the
 * store's vehicles with ids in [from_id, to_id], in batches; *changed gets how many
 * vehicles' values moved (may be NULL). Called in the transaction of every write that moves a
 * schedule; for a whole store by `dms schedule recompute`. */
int schedule_recompute(struct db *db, const struct actor *a, int64_t from_id, int64_t to_id,
                       int64_t *changed, struct dms_error *err);

int schedule_get(struct db *db, const struct actor *a, int64_t vehicle_id,
                 struct vehicle_schedule *out, struct dms_error *err);

#endif
