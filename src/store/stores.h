/* Stores: dealerships (stores.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_STORES_H
#define DMS_STORE_STORES_H

#include <stdint.h>

#include "store/store.h"

struct store_info {
    int64_t id;
    char code[33];
    char name[257];
    char timezone[65];
    char created_at[TIMESTAMP_STR];
};

/* code: 1-32 of A-Z a-z 0-9 _ -; conflict when taken. */
int stores_add(struct db *db, const struct actor *a, const char *code, const char *name,
               const char *timezone, struct store_info *out, struct dms_error *err);
/* 1 found, 0 none, -1 error. */
int stores_find_code(struct db *db, const char *code, struct store_info *out,
                     struct dms_error *err);
int stores_get(struct db *db, int64_t id, struct store_info *out, struct dms_error *err);
/* Calls cb for every store in code order. */
int stores_each(struct db *db, int (*cb)(void *ctx, const struct store_info *s), void *ctx,
                struct dms_error *err);
/* Number of stores in the database. */
int stores_count(struct db *db, int64_t *count, struct dms_error *err);

#endif
