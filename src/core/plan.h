/* Maintenance plans (MR-1): which of a store's plans a car follows. A plan is for a model of
 * a brand, for a whole brand (model ""), or the store's default (brand and model ""); the
 * most specific one that matches the car applies. Pure: the storage layer loads the store's
 * plans (store/plans.c) and computes the schedule with the one picked here. */
#ifndef DMS_CORE_PLAN_H
#define DMS_CORE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/schedule.h"
#include "core/vehicle.h"

/* What choosing a car's plan needs, without the package. */
struct plan_key {
    int64_t id;
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    struct plan_intervals iv;
};

/* The most specific of the keys for brand/model: the exact model, else the whole brand, else
 * the store default; brands and models match regardless of ASCII case. NULL when none
 * applies (the built-in default, PLAN_DEFAULT_*, then). Among equals, the exact model found
 * first, the brand or default found last. */
const struct plan_key *plan_pick(const struct plan_key *keys, size_t n, const char *brand,
                                 const char *model);

#endif
