/* Helpers shared by the files of the storage layer; not part of its interface. */
#ifndef DMS_STORE_INTERNAL_H
#define DMS_STORE_INTERNAL_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/plan.h"
#include "core/schedule.h"
#include "core/vehicle.h"
#include "store/plans.h"
#include "store/sessions.h"
#include "store/store.h"
#include "store/users.h"
#include "store/vehicles.h"

/* Copies a text column into a fixed buffer (truncating at cap - 1 bytes). */
static inline void col_copy(char *dst, size_t cap, struct db_res *res, int col)
{
    snprintf(dst, cap, "%s", db_text(res, col));
}

/* ---- common.c: reading rows into structs ---- */

/* Fills the struct at out from the current row; 0, or -1 when out of memory. */
typedef int (*row_reader)(struct db_res *res, void *out);

/* Read-modify-write starts here: locks the row of table whose key column is id, in store_id,
 * until the transaction ends, before the caller reads what it will write back. PostgreSQL
 * (READ COMMITTED) would otherwise let two requests read the same row and the second write
 * undo the first (SELECT ... FOR UPDATE); on SQLite a write transaction holds the database's
 * write lock already (BEGIN IMMEDIATE). table and key are names written in the code, never
 * input. 1 locked, 0 no such row in the store, -1 error. */
int store_lock_row(struct db *db, const char *table, const char *key, int64_t id, int64_t store_id,
                   struct dms_error *err);

/* Locks the store's own row until the transaction ends: what the workshop's schedule is
 * computed from (its bookings, opening hours and time zone) changes one request at a time,
 * and the second of two requests reads what the first wrote. A no-op on SQLite, whose write
 * transactions hold the database. */
int store_lock_store(struct db *db, int64_t store_id, struct dms_error *err);

/* The next number of the day in table's `number` column (repair orders' R..., complaints'
 * C...): format(day, seq, out) writes the number of sequence seq (0-9999) of the actor's
 * today; the next is one above the day's highest. The caller holds the store's lock (or a
 * unique index refuses a duplicate). `conflict` (number) after 9,999 in a day; `what` names
 * them in that message. */
int store_day_number(struct db *db, const struct actor *a, const char *table,
                     void (*format)(dms_day day, int seq, char out[16]), const char *what,
                     char out[16], struct dms_error *err);

/* Runs a query for at most one row: 1 read into out, 0 no row, -1 error (err filled). */
int store_one(struct db *db, row_reader read, void *out, struct dms_error *err, const char *sql,
              const char *types, ...);

/* Runs a query and reads up to max rows into a malloc'ed array of elem-byte items (*out,
 * *n; free it, after clear() of each item when clear is not NULL). -1 with err filled. */
int store_rows(struct db *db, row_reader read, void (*clear)(void *item), size_t elem, size_t max,
               void **out, size_t *n, struct dms_error *err, const char *sql, const char *types,
               ...);

/* ---- users.c: the columns of a user row and their reader ---- */
#define USER_COLS                                                                                  \
    "u.id, u.store_id, s.code, u.username, u.display_name, u.role, u.disabled, "                   \
    "u.must_change_password, u.created_at, u.updated_at, s.timezone"
int users_row(struct db_res *res, void *user);
/* A sign-in name as stored (lower case); -1 with invalid_field when it cannot be one. */
int users_name_normal(const char *in, char out[USERNAME_MAX + 1], struct dms_error *err);

/* ---- vehicles.c ---- */

/* mileage_add for a vehicle the caller has already found (and locked) in a->store_id. */
int mileage_record(struct db *db, const struct actor *a, int64_t vehicle_id, dms_day date,
                   int64_t km, enum mileage_source source, int64_t service_record_id,
                   struct mileage_reading *out, struct dms_error *err);

/* ---- plans.c ---- */

/* The 5,000 km / 6 months plan of a store without any (id 0). */
void plan_builtin_default(struct plan *out);

/* The store's plans as keys (malloc'ed *out), for plan_pick (core/plan.h). */
int plan_keys(struct db *db, int64_t store_id, struct plan_key **out, size_t *n,
              struct dms_error *err);

/* ---- audit.c: change sets and the writer ---- */

/* {"field": [before, after], ...}; fields whose values are equal are left out. NULL or ""
 * text counts as JSON null. */
void audit_text(json_t *changes, const char *field, const char *before, const char *after);
void audit_int(json_t *changes, const char *field, int64_t before, int64_t after);
void audit_bool(json_t *changes, const char *field, bool before, bool after);
/* Records one write. An update whose change set is empty writes nothing. */
int audit_write(struct db *db, const struct actor *a, const char *action, const char *entity,
                int64_t entity_id, json_t *changes, struct dms_error *err);
/* audit_write that takes the reference to changes (for a change set built in the call). */
int audit_record(struct db *db, const struct actor *a, const char *action, const char *entity,
                 int64_t entity_id, json_t *changes, struct dms_error *err);

/* ---- credentials.c ---- */
/* Hashing and checking take a hashing slot: -1 with err overloaded when none frees in time.
 * Never call them with a transaction open. */
int credentials_hash_password(const char *password, char out[128], struct dms_error *err);
/* 1 the password matches, 0 not, -1 overloaded. */
int credentials_verify_password(const char *hash, const char *password, struct dms_error *err);
void credentials_new_token(char out[TOKEN_LEN + 1]);
void credentials_token_hash(const char *token, char out[65]);
/* The time a check takes, for a name that does not exist: 0, or -1 overloaded. */
int credentials_burn_time(const char *password, struct dms_error *err);

#endif
