/* Vehicles and mileage (vehicles.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_VEHICLES_H
#define DMS_STORE_VEHICLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/plate.h"
#include "core/schedule.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/store.h"

/* MR-1: the next service as kept on the vehicle (store/schedule.c). */
struct vehicle_schedule {
    bool known;
    char due_date[DATE_STR];
    int64_t due_km;
    enum schedule_basis basis;
    char rule[16]; /* SCHEDULE_RULE_NAMES, "" before its first recompute */
    int64_t plan_id;
    char last_service_date[DATE_STR];
    char last_visit_date[DATE_STR];
};

struct vehicle {
    int64_t id, store_id, customer_id;
    char vin[VIN_LEN + 1];
    bool vin_verified; /* false when the check digit was skipped (old or imported cars) */
    char plate[PLATE_MAX_BYTES];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1];
    char model[VEHICLE_TEXT_CHARS * 4 + 1];
    int model_year; /* 0: unknown */
    char purchase_date[DATE_STR];
    int64_t mileage_km; /* latest reading */
    char mileage_date[DATE_STR];
    char insurance_expiry[DATE_STR], inspection_expiry[DATE_STR]; /* CS-8 */
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    /* Derived, kept by store/schedule.c; read-only. */
    struct vehicle_schedule next_service;
    /* For display, filled by get/list: */
    char owner_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char owner_title[CUSTOMER_TITLE_CHARS * 4 + 1];
};

struct mileage_reading {
    int64_t id, vehicle_id, service_record_id, user_id;
    char date[DATE_STR];
    int64_t km;
    enum mileage_source source;
    char created_at[TIMESTAMP_STR];
};

/* Creates the vehicle; with initial_km > 0 or a purchase date it also records the first
 * reading (source sale). not_found for another store's customer, conflict for a VIN or plate
 * the store already has. */
int vehicles_create(struct db *db, const struct actor *a, struct vehicle *v, int64_t initial_km,
                    struct dms_error *err);
int vehicles_get(struct db *db, const struct actor *a, int64_t id, struct vehicle *out,
                 struct dms_error *err);
int vehicles_get_for_update(struct db *db, const struct actor *a, int64_t id, struct vehicle *out,
                            struct dms_error *err);
int vehicles_update(struct db *db, const struct actor *a, const struct vehicle *prev,
                    const struct vehicle *next, struct dms_error *err);

struct vehicle_filter {
    int64_t customer_id; /* 0: any */
};
int vehicles_list(struct db *db, const struct actor *a, const struct vehicle_filter *f,
                  int64_t after, int limit, struct vehicle **out, size_t *n, bool *more,
                  struct dms_error *err);

/* Adds a dated odometer reading after checking it against the others (mileage_inconsistent)
 * and moves the vehicle's current mileage when it is the latest. */
int mileage_add(struct db *db, const struct actor *a, int64_t vehicle_id, dms_day date, int64_t km,
                enum mileage_source source, int64_t service_record_id, struct mileage_reading *out,
                struct dms_error *err);
/* A vehicle's readings, newest first (date, then km, then id): a keyset page after the
 * reading `after` (0: from the newest; another vehicle's reading: invalid_field cursor), at
 * most limit; *more tells whether more follow. */
int mileage_list(struct db *db, const struct actor *a, int64_t vehicle_id, int64_t after, int limit,
                 struct mileage_reading **out, size_t *n, bool *more, struct dms_error *err);

#endif
