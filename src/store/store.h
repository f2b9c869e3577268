/* The storage interface: every read and write of the application's data goes through
 * these functions, over either backend (db.h). Each function runs inside the caller's
 * transaction (one per request) and scopes every query to the acting store: an id of
 * another store behaves exactly like an id that does not exist.
 *
 * Conventions: functions return 0 on success and -1 on failure with err filled (not_found,
 * conflict, validation codes, or db_error / busy for the database itself); lookups that may
 * legitimately find nothing say so in their comment. Every write also writes the audit log
 * (audit.c) in the same transaction. */
#ifndef DMS_STORE_STORE_H
#define DMS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/date.h"
#include "core/email.h"
#include "core/error.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/roles.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/db.h"

/* Who acts, for which store, and when: set once per request (or CLI command). */
struct actor {
    int64_t user_id;  /* 0 for the command line */
    int64_t store_id; /* 0 when acting for no particular store (CLI store add) */
    enum role role;
    const char *username; /* recorded in the audit log; "cli" for the command line */
    int64_t now;          /* UTC seconds since the epoch */
    dms_day today;        /* the store's local calendar day */
};

/* Maps a database status to err (conflict, busy, db_error) and returns -1. */
int store_db_fail(struct db *db, int status, struct dms_error *err);

/* ---- schema (migrate.c) ---- */

/* Applies the pending numbered migrations, each in its own transaction. *applied gets the
 * number applied (may be NULL). Fails if the database is newer than this program. */
int store_migrate(struct db *db, int *applied, struct dms_error *err);
int store_schema_version(struct db *db, int *version, struct dms_error *err);
int store_latest_version(void);

/* ---- stores: dealerships (stores.c) ---- */

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

/* ---- staff users (users.c) ---- */

#define USERNAME_MAX 32
#define PASSWORD_MIN 8
#define PASSWORD_MAX 128

struct user {
    int64_t id, store_id;
    char store_code[33];
    char store_timezone[65];
    char username[USERNAME_MAX + 1];
    char display_name[257];
    enum role role;
    bool disabled, must_change_password;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

struct user_new {
    const char *username, *display_name, *password;
    enum role role;
    bool must_change_password;
};

/* Validates the username (invalid_field) and password (weak_password), hashes the password
 * with argon2id and creates the user in a->store_id. conflict when the name is taken. */
int users_add(struct db *db, const struct actor *a, const struct user_new *u, struct user *out,
              struct dms_error *err);
/* By id within a->store_id; not_found otherwise. */
int users_get(struct db *db, const struct actor *a, int64_t id, struct user *out,
              struct dms_error *err);
/* Keyset page of the store's users by id: those with id > after, at most limit; *more tells
 * whether more follow. *out is malloc'ed (free it). */
int users_list(struct db *db, const struct actor *a, int64_t after, int limit, struct user **out,
               size_t *n, bool *more, struct dms_error *err);

struct user_patch {
    const char *display_name; /* NULL: unchanged */
    int role;                 /* -1: unchanged */
    int disabled;             /* -1: unchanged */
    const char *password;     /* NULL: unchanged; a reset also ends the user's sessions */
    int must_change_password; /* -1: unchanged */
};
int users_update(struct db *db, const struct actor *a, int64_t id, const struct user_patch *p,
                 struct user *out, struct dms_error *err);

/* Login check: 1 and *out when the password matches an enabled user, 0 otherwise (wrong
 * name, wrong password and disabled accounts are not told apart), -1 on error. */
int users_authenticate(struct db *db, const char *username, const char *password, struct user *out,
                       struct dms_error *err);
/* Own password change: checks the old one (wrong_password), sets the new one, clears
 * must_change_password, ends the user's other sessions. */
int users_change_password(struct db *db, const struct actor *a, const char *old_password,
                          const char *new_password, const char *keep_token, struct dms_error *err);
/* For the CLI: find a user by name in any store (1 found, 0 none). */
int users_find_name(struct db *db, const char *username, struct user *out, struct dms_error *err);

/* ---- sessions (sessions.c) ---- */

#define TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

struct session {
    struct user user;
    char csrf_hash[65];
    char expires_at[TIMESTAMP_STR];
};

/* Creates a session lasting ttl seconds; writes the bearer token and the CSRF token (both
 * TOKEN_LEN + 1 bytes). Only their SHA-256 hashes are stored. */
int sessions_create(struct db *db, const struct user *u, int64_t now, int64_t ttl,
                    char token[TOKEN_LEN + 1], char csrf[TOKEN_LEN + 1], struct dms_error *err);
/* 1 and *out for a live session of an enabled user, 0 otherwise. */
int sessions_lookup(struct db *db, const char *token, int64_t now, struct session *out,
                    struct dms_error *err);
/* Constant-time check of a CSRF token against a session. */
bool sessions_csrf_ok(const struct session *s, const char *csrf);
int sessions_delete(struct db *db, const char *token, struct dms_error *err);

/* ---- customers (customers.c) ---- */

struct customer_phone {
    char number[PHONE_MAX]; /* normalised, see core/phone.h */
    enum phone_label label;
};

struct customer {
    int64_t id, store_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1];
    char title[CUSTOMER_TITLE_CHARS * 4 + 1];
    enum customer_type type;
    enum customer_class classification;
    struct customer_phone phones[CUSTOMER_MAX_PHONES];
    int n_phones;
    char email[EMAIL_MAX];
    char address[CUSTOMER_ADDRESS_CHARS * 4 + 1];
    bool consent[CONSENT_COUNT];
    unsigned needs; /* bit set of enum customer_need */
    char needs_note[500 * 4 + 1];
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    char contact_confirmed_at[TIMESTAMP_STR];
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    int vehicle_count;
};

struct driver {
    int64_t id, customer_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1];
    char phone[PHONE_MAX];
    char relation[32 * 4 + 1];
    char created_at[TIMESTAMP_STR];
};

struct contact_event {
    int64_t id, user_id;
    char username[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    char event[16]; /* changed, declined, confirmed */
    char field[16];
    char old_value[1024], new_value[1024];
    bool consented;
    char note[1024];
};

/* c is validated by the caller (http/customers.c); writes it with its phones, search terms
 * and audit row, then reloads it into c. */
int customers_create(struct db *db, const struct actor *a, struct customer *c,
                     struct dms_error *err);
int customers_get(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                  struct dms_error *err);
/* Takes the row lock (PostgreSQL) and loads the customer, for read-modify-write. */
int customers_get_for_update(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                             struct dms_error *err);

/* Writes `next` over `prev` (both loaded/edited by the caller). CRM-4: when the contact
 * details (phones, e-mail, address) differ, contact_consent decides: true records the
 * change with consent in the contact history; false keeps the old contact details and
 * records that the customer declined. *contact_changed tells which happened (1 changed,
 * 0 no contact change, -1 declined). */
int customers_update(struct db *db, const struct actor *a, const struct customer *prev,
                     struct customer *next, bool contact_consent, int *contact_changed,
                     struct dms_error *err);
/* Whether phones, e-mail or address differ between two versions. */
bool customers_contact_differs(const struct customer *prev, const struct customer *next);
/* CRM-4: the contact details were confirmed unchanged in a call (or the customer declined
 * to confirm them). */
int customers_confirm_contact(struct db *db, const struct actor *a, int64_t id, bool confirmed,
                              const char *note, struct dms_error *err);

struct customer_filter {
    int classification; /* -1: any */
    int type;           /* -1: any */
};
int customers_list(struct db *db, const struct actor *a, const struct customer_filter *f,
                   int64_t after, int limit, struct customer **out, size_t *n, bool *more,
                   struct dms_error *err);

int customers_contact_history(struct db *db, const struct actor *a, int64_t customer_id,
                              struct contact_event **out, size_t *n, struct dms_error *err);

int drivers_add(struct db *db, const struct actor *a, struct driver *d, struct dms_error *err);
int drivers_list(struct db *db, const struct actor *a, int64_t customer_id, struct driver **out,
                 size_t *n, struct dms_error *err);
int drivers_delete(struct db *db, const struct actor *a, int64_t customer_id, int64_t driver_id,
                   struct dms_error *err);

/* ---- vehicles and mileage (vehicles.c) ---- */

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
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
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
int mileage_list(struct db *db, const struct actor *a, int64_t vehicle_id,
                 struct mileage_reading **out, size_t *n, struct dms_error *err);

/* ---- service records (service_records.c) ---- */

struct service_record {
    int64_t id, store_id, vehicle_id, customer_id, advisor_id, created_by;
    char advisor_name[257];
    char date_in[DATE_STR], date_out[DATE_STR];
    int64_t mileage_km;
    enum service_kind kind;
    char technician[CUSTOMER_NAME_CHARS * 4 + 1];
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    struct service_totals totals;
    struct labour_line *labour;
    size_t n_labour;
    struct parts_line *parts;
    size_t n_parts;
    char created_at[TIMESTAMP_STR];
};

/* Computes totals, writes the record with its lines and its odometer reading (source
 * service). not_found for another store's vehicle, mileage_inconsistent as in mileage_add. */
int service_records_create(struct db *db, const struct actor *a, struct service_record *r,
                           struct dms_error *err);
/* Loads the record and its lines (free them with service_record_clear). */
int service_records_get(struct db *db, const struct actor *a, int64_t id,
                        struct service_record *out, struct dms_error *err);
/* A vehicle's records, newest first, with their lines; free with service_records_free. */
int service_records_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id,
                                struct service_record **out, size_t *n, struct dms_error *err);
void service_record_clear(struct service_record *r);
void service_records_free(struct service_record *r, size_t n);

/* ---- search (search.c) ---- */

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

/* ---- audit log (audit.c) ---- */

struct audit_entry {
    int64_t id, user_id, entity_id;
    char actor[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    char action[16];
    char entity[32];
    char *changes; /* JSON text, malloc'ed */
};

struct audit_filter {
    const char *entity; /* NULL: any */
    int64_t entity_id;  /* 0: any */
};
/* Newest first: ids below `before` (0: from the newest). */
int audit_list(struct db *db, const struct actor *a, const struct audit_filter *f, int64_t before,
               int limit, struct audit_entry **out, size_t *n, bool *more, struct dms_error *err);
void audit_entries_free(struct audit_entry *e, size_t n);

#endif
