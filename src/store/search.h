/* Search (search.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_SEARCH_H
#define DMS_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/customers.h"
#include "store/vehicles.h"

enum search_kind { SEARCH_CUSTOMER, SEARCH_VEHICLE };

struct search_hit {
    enum search_kind kind;
    int64_t id;
    char field[16]; /* name, phone, driver, plate, vin */
    int rank;       /* 0 whole value, 1 ends with, 2 contains */
};

#define SEARCH_MAX_HITS 20

/* IN-3: finds customers and vehicles of a->store_id by any part of a plate, phone, name or
 * VIN. invalid_field when the query is too short to be useful. */
int search_run(struct db *db, const struct actor *a, const char *query, struct search_hit *hits,
               size_t *n, struct dms_error *err);
/* Rebuilds the index rows of one entity (called by the writers above). */
int search_index_customer(struct db *db, int64_t store_id, const struct customer *c,
                          struct dms_error *err);
int search_index_vehicle(struct db *db, int64_t store_id, const struct vehicle *v,
                         struct dms_error *err);

#endif
