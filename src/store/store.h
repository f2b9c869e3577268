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

#include <jansson.h>

#include "core/booking.h"
#include "core/calendar.h"
#include "core/customer.h"
#include "core/date.h"
#include "core/email.h"
#include "core/error.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/roles.h"
#include "core/schedule.h"
#include "core/service_record.h"
#include "core/slots.h"
#include "core/tasks.h"
#include "core/utilisation.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "core/workshop.h"
#include "store/db.h"

/* Who acts, for which store, and when: set once per request (or CLI command). */
struct actor {
    int64_t user_id;  /* 0 for the command line */
    int64_t store_id; /* 0 when acting for no particular store (CLI store add) */
    enum role role;
    const char *username; /* recorded in the audit log; "cli" for the command line */
    int64_t now;          /* UTC seconds since the epoch */
    dms_day today;        /* the store's local calendar day */
    int now_min;          /* and the minutes after its local midnight */
};

/* An edit of one row, the shape every read-modify-write takes (lost updates otherwise): the
 * store function (X_update) locks the row, reads it, hands a copy to edit — the caller's
 * parser, applying the request's fields — and then checks and writes the result with its
 * audit row, all in the caller's transaction. row points to the entity's struct (struct part
 * for parts_update …). edit returns 0, or -1 with err filled (nothing is written). */
typedef int (*store_edit)(void *ctx, void *row, struct dms_error *err);

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
    /* The account's failed sign-ins in a row (from clients without a device cookie of it),
     * the last one's time and until when it is locked ("" none); filled by users_get,
     * users_list, users_add and users_update for the administrator (logins.c counts them). */
    int64_t failed_logins;
    char last_failed_login_at[TIMESTAMP_STR], locked_until[TIMESTAMP_STR];
};

#define USER_HASH_MAX 128 /* an argon2id hash string and its NUL */

struct user_new {
    const char *username, *display_name, *password;
    enum role role;
    bool must_change_password;
};

/* Validates the username (invalid_field) and password (weak_password), hashes the password
 * with argon2id and creates the user in a->store_id. conflict when the name is taken. For the
 * command line; a request hashes first, outside its transaction, and calls
 * users_add_hashed. */
int users_add(struct db *db, const struct actor *a, const struct user_new *u, struct user *out,
              struct dms_error *err);
/* users_add with u->password already hashed by users_hash_password. */
int users_add_hashed(struct db *db, const struct actor *a, const struct user_new *u,
                     const char *hash, struct user *out, struct dms_error *err);
/* The argon2id hash of a new password, after its rules (weak_password). Run it with no
 * transaction open: it takes tens of milliseconds and a hashing slot (overloaded when none
 * frees in time, 503). */
int users_hash_password(const char *password, char out[USER_HASH_MAX], struct dms_error *err);
/* At most slots hashes at once in this process (0: one per CPU); call before threads start. */
void credentials_configure(int slots);
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
    /* password's hash from users_hash_password, made before the transaction; NULL: hashed
     * here (the command line). */
    const char *password_hash;
    bool unlock; /* clears the account's failed sign-ins and lock, and its devices' */
};
/* Locks the user's row, then writes only the fields the patch sets (two administrators'
 * edits of different fields both stay: issue 11, defect 1), with the audit row. */
int users_update(struct db *db, const struct actor *a, int64_t id, const struct user_patch *p,
                 struct user *out, struct dms_error *err);

/* Own password change, in three steps so that no transaction is open while hashing: the
 * signed-in user's hash and locks are read as a sign-in's (logins_check, a read transaction;
 * a wrong old password is a failed attempt, logins_record); users_password_prepare checks the old
 * password against it (wrong_password) and the new one's rules (weak_password), and hashes the new
 * one (no transaction; overloaded); users_password_set stores it if the hash is still the one read
 * (conflict: changed meanwhile), clears must_change_password, ends the user's other sessions and
 * writes the audit row (a write transaction). */
int users_password_prepare(const char *current_hash, const char *old_password,
                           const char *new_password, char out[USER_HASH_MAX],
                           struct dms_error *err);
int users_password_set(struct db *db, const struct actor *a, const char *expected_hash,
                       const char *new_hash, const char *keep_token, struct dms_error *err);
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

/* ---- signing in, and the limits on failed attempts (logins.c; issue 11, defect 3) ----
 * Three steps so that neither a transaction nor a database connection is held while
 * argon2id runs: logins_check (read transaction), logins_verify (nothing open),
 * logins_record (write transaction). Failures are counted in the database per account name,
 * per device cookie and per client address (core/throttle.h). */

struct login_limits;

struct login_attempt {
    const char *username, *password;
    const char *address; /* the client's address as counted (core/ipaddr.h throttle key) */
    const char *device;  /* the device cookie's token; NULL or "" when none */
    int64_t now;
    const struct login_limits *limits;
};

struct login_check {
    bool name_ok;        /* the name can be a username at all */
    bool known;          /* a user of that name exists */
    bool trusted_device; /* the client's device cookie is one of that user's */
    int64_t wait;        /* > 0: throttled, seconds before another attempt may be made */
    struct user user;
    char hash[256];
};

struct login_session {
    char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
    char device[TOKEN_LEN + 1]; /* the device cookie to (re)set */
    char expires_at[TIMESTAMP_STR];
    struct user user;
};

/* Reads the user, its hash and the locks that apply (the account's, or the device's for a
 * trusted device, and the address's) into out; out->wait > 0 when the attempt must not be
 * made. */
int logins_check(struct db *db, const struct login_attempt *in, struct login_check *out,
                 struct dms_error *err);
/* argon2id of in->password against the user's hash, or against a dummy hash for an unknown
 * name (the same time and the same hashing slot): 1 right and enabled, 0 not, -1 overloaded. */
int logins_verify(const struct login_attempt *in, const struct login_check *c,
                  struct dms_error *err);
/* Records the outcome. ok and the user's hash and state as step 1 read them: a session of
 * ttl seconds, the account's (or the device's) failures cleared, the device trusted for the
 * user; returns 1. Otherwise: a failure counted on the address and on the account (or the
 * trusted device), each with a single UPDATE ... + 1, and their locks extended; returns 0. */
int logins_record(struct db *db, const struct login_attempt *in, const struct login_check *c,
                  bool ok, int64_t ttl, struct login_session *out, struct dms_error *err);

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
    bool prefers_email;                   /* MR-3: reminders by e-mail rather than SMS */
    char sms_opted_out_at[TIMESTAMP_STR]; /* an SMS reply TD/退订; cleared by consenting again */
    char erased_at[TIMESTAMP_STR];        /* PIPL: personal data erased on request (privacy.c) */
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

/* The customer's contact history, newest first: a keyset page of the events with id < before
 * (0: from the newest), at most limit; *more tells whether more follow. */
int customers_contact_history(struct db *db, const struct actor *a, int64_t customer_id,
                              int64_t before, int limit, struct contact_event **out, size_t *n,
                              bool *more, struct dms_error *err);

int drivers_add(struct db *db, const struct actor *a, struct driver *d, struct dms_error *err);
int drivers_list(struct db *db, const struct actor *a, int64_t customer_id, struct driver **out,
                 size_t *n, struct dms_error *err);
int drivers_delete(struct db *db, const struct actor *a, int64_t customer_id, int64_t driver_id,
                   struct dms_error *err);

/* ---- vehicles and mileage (vehicles.c) ---- */

/* MR-1: the next service as kept on the vehicle (store/schedule.c). */
struct vehicle_schedule {
    bool known;
    char due_date[DATE_STR];
    int64_t due_km;
    enum schedule_basis basis;
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

/* ---- service records (service_records.c) ---- */

struct service_record {
    int64_t id, store_id, vehicle_id, customer_id, advisor_id, created_by;
    int64_t campaign_id; /* 0: none; a recall's work completes its campaign entry (CS-5) */
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
/* A vehicle's records, newest first (date in, then id), with their lines: a keyset page after
 * the record `after` (0: from the newest; another vehicle's record: invalid_field cursor), at
 * most limit; *more tells whether more follow. Free with service_records_free. */
int service_records_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id,
                                int64_t after, int limit, struct service_record **out, size_t *n,
                                bool *more, struct dms_error *err);
void service_record_clear(struct service_record *r);
void service_records_free(struct service_record *r, size_t n);

/* ---- store settings (settings.c) ---- */

#define SETTINGS_EMAILS_MAX 1024
struct store_settings {
    char store_phone[PHONE_MAX];
    int default_daily_km; /* MR-1: average when the readings are too few */
    struct task_settings tasks;
    char lost_basis[16];                               /* CS-4: due_date or last_visit */
    int callback_busy_minutes, callback_parts_minutes; /* IN-1, IN-5 */
    int generate_at;             /* minutes after local midnight of the morning run */
    int quiet_from, quiet_until; /* minutes; no SMS in between (wraps midnight) */
    int float_min;     /* IN-13: minutes a booked bay stays held after the job's end, 0-240 */
    int slot_step_min; /* minutes between offered start times: 5, 10, 15, 20, 30 or 60 */
    /* IN-18: who hears of a shortage that risks a complaint, e-mails separated by ", " */
    char escalation_emails[SETTINGS_EMAILS_MAX];
};
int settings_get(struct db *db, int64_t store_id, struct store_settings *out,
                 struct dms_error *err);
/* Edits the store's settings (store_edit on a struct store_settings; edit validates) with an
 * audit row of what changed; *prev gets them as they were (may be NULL), *out as they are. */
int settings_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                    struct store_settings *prev, struct store_settings *out, struct dms_error *err);

/* ---- the store's calendar (calendar.c) ---- */

/* The week's opening hours (core/calendar.h); the default week where the store set none. */
int calendar_week_get(struct db *db, int64_t store_id, struct week_hours *out,
                      struct dms_error *err);
/* Edits the week's hours (store_edit on a struct week_hours; edit checks the days it
 * changes) and writes all seven days, with an audit row of what changed; *w as written. */
int calendar_week_update(struct db *db, const struct actor *a, store_edit edit, void *ctx,
                         struct week_hours *w, struct dms_error *err);
/* Sets the time zone of a->store_id's hours (stores.timezone), with an audit row when it
 * changes; invalid_field (field timezone) for a name that is not a tz database name. */
int calendar_timezone_set(struct db *db, const struct actor *a, const char *timezone,
                          struct dms_error *err);

struct calendar_day {
    char date[DATE_STR];
    enum calendar_exception kind;
    char name[CALENDAR_NAME_CHARS * 4 + 1];
};
/* The exceptions dated in [from, to], in date order (at most 1,000). */
int calendar_days_list(struct db *db, int64_t store_id, dms_day from, dms_day to,
                       struct calendar_day **out, size_t *n, struct dms_error *err);
/* Each day's hours in [from, to] after its exception, as bookings and reports see them:
 * hours[i] for from + i, and kinds[i] its exception (CAL_NONE when none) unless kinds is NULL.
 * The caller's arrays hold to - from + 1 entries. */
int calendar_hours_range(struct db *db, int64_t store_id, dms_day from, dms_day to,
                         struct day_hours *hours, enum calendar_exception *kinds,
                         struct dms_error *err);
/* Sets the exception of a date; CAL_NONE removes it. *changed tells whether it moved. */
int calendar_day_set(struct db *db, const struct actor *a, const struct calendar_day *d,
                     bool *changed, struct dms_error *err);

/* ---- the catalogue of labour operations (operations.c) ---- */

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
/* Edits operation id (store_edit on a struct operation; the code does not change), with an
 * audit row of what changed; *out is the operation as written. */
int operations_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                      struct operation *out, struct dms_error *err);
/* By code order; retired ones only when all is true. */
int operations_list(struct db *db, const struct actor *a, bool all, struct operation **out,
                    size_t *n, struct dms_error *err);

/* ---- bays, technicians and their downtime (workshop.c) ---- */

#define WORKSHOP_NAME_CHARS 64

struct downtime {
    int64_t id;
    char starts[LOCAL_TIME_STR], ends[LOCAL_TIME_STR]; /* [starts, ends) */
    char reason[200 * 4 + 1];
};

struct bay {
    int64_t id;
    char code[OPERATION_CODE_MAX + 1];
    char name[WORKSHOP_NAME_CHARS * 4 + 1];
    enum bay_kind kind;
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

struct technician {
    int64_t id;
    char name[WORKSHOP_NAME_CHARS * 4 + 1];
    unsigned skills;    /* bit set of enum skill */
    unsigned work_days; /* bit 0 = Monday ... bit 6 = Sunday */
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* conflict (field code) for a code the store has. An empty code gets the first free one of
 * B01, B02 ... (written back to b->code). */
int bays_create(struct db *db, const struct actor *a, struct bay *b, struct dms_error *err);
int bays_get(struct db *db, const struct actor *a, int64_t id, struct bay *out,
             struct dms_error *err);
/* Edits bay id (store_edit on a struct bay); *out as written. */
int bays_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                struct bay *out, struct dms_error *err);
int bays_list(struct db *db, const struct actor *a, bool all, struct bay **out, size_t *n,
              struct dms_error *err);

int technicians_create(struct db *db, const struct actor *a, struct technician *t,
                       struct dms_error *err);
int technicians_get(struct db *db, const struct actor *a, int64_t id, struct technician *out,
                    struct dms_error *err);
/* Edits technician id (store_edit on a struct technician); *out as written. */
int technicians_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                       struct technician *out, struct dms_error *err);
int technicians_list(struct db *db, const struct actor *a, bool all, struct technician **out,
                     size_t *n, struct dms_error *err);

/* resource: "bay" or "technician" (of a->store_id, else not_found). */
int downtime_add(struct db *db, const struct actor *a, const char *resource, int64_t id,
                 struct downtime *d, struct dms_error *err);
/* The periods that end after `after` (store-local "YYYY-MM-DDTHH:MM"), by start. */
int downtime_list(struct db *db, const struct actor *a, const char *resource, int64_t id,
                  const char *after, struct downtime **out, size_t *n, struct dms_error *err);

/* ---- the parts master (parts.c) ---- */

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
/* By part number (exact, upper-case); not_found when the store has none. */
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

/* ---- slots (slots.c) ---- */

/* How far ahead a search looks for options when the first week has too few. */
#define SLOTS_AHEAD 62

struct slot_query {
    struct slot_job job; /* its float_min comes from the store's settings */
    dms_day wish_day;
    int wish_min;           /* -1: any time that day */
    dms_day not_before_day; /* now, or the day the parts arrive */
    int not_before_min;
    int64_t exclude_id; /* a booking being moved: its own hold does not count */
};

/* The store's float after a job and step between offered starts (store_settings). */
int slots_settings(struct db *db, int64_t store_id, int *float_min, int *step_min,
                   struct dms_error *err);
/* Up to max options nearest the wish (core/slots.h slot_search), from the bookings as they
 * are now. */
int slots_find(struct db *db, int64_t store_id, const struct slot_query *q, struct slot_option *out,
               size_t max, size_t *n, struct dms_error *err);
/* Whether the job can start at the wish exactly (a start before not_before is
 * SLOT_UNAVAILABLE); on SLOT_OK *out has its bay and technician. */
int slots_check(struct db *db, int64_t store_id, const struct slot_query *q, int64_t want_bay,
                int64_t want_tech, struct slot_option *out, enum slot_verdict *verdict,
                struct dms_error *err);

/* ---- appointments (appointments.c, purchasing.c, board.c) ---- */

#define APPT_MAX_OPS     20
#define APPT_MAX_PARTS   30
#define APPT_WORDS_CHARS 500

enum appt_part_state {
    PART_PLANNED,
    PART_RESERVED,
    PART_ON_ORDER,
    PART_RELEASED,
    PART_ISSUED,
    PART_STATE_COUNT
};
extern const char *const PART_STATE_NAMES[PART_STATE_COUNT];

struct appt_op {
    int64_t operation_id;
    char code[OPERATION_CODE_MAX + 1];
    char name[64 * 4 + 1];
    enum op_kind kind;
    int64_t hours_x100, labour_fen;
    enum bay_kind bay_kind;
    enum skill skill;
};

struct appt_part {
    int64_t part_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty, unit_price_fen;
    enum appt_part_state state;
    int64_t available; /* on hand - reserved, when planned */
    int lead_days;
    char expected_date[DATE_STR]; /* on order: the purchase order's arrival */
    int64_t order_id;
};

/* What a job needs and costs (IN-6, IN-7): the operations and parts resolved against the
 * catalogue and the parts master, the case, the estimate, and the first day the parts can
 * all be there. */
struct appt_plan {
    struct appt_op ops[APPT_MAX_OPS];
    int n_ops;
    struct appt_part parts[APPT_MAX_PARTS];
    int n_parts;
    int short_parts;   /* lines stock cannot cover */
    int lead_days;     /* the longest lead time of those */
    dms_day parts_day; /* today + lead_days */
    enum booking_case bcase;
    struct slot_job job;
    int64_t labour_fen, parts_fen, total_fen;
};

/* Resolves operation codes and part numbers for the store: unknown_operation (field ops) or
 * unknown_part (field parts) for a code or number it has not (or retired), invalid_field
 * (ops) when the operations need different bay kinds. */
int appointments_plan(struct db *db, const struct actor *a,
                      const char codes[][OPERATION_CODE_MAX + 1], int n_codes,
                      const struct part_request *parts, int n_parts, struct appt_plan *out,
                      struct dms_error *err);

struct appointment {
    int64_t id, vehicle_id, customer_id;
    enum booking_case bcase;
    enum appt_status status;
    enum flexibility flex;
    char day[DATE_STR];               /* "" for a period booking */
    int start_min, end_min, hold_min; /* -1 while the time is not fixed */
    int64_t bay_id, technician_id;    /* 0 while none */
    struct slot_job job;
    char period_from[DATE_STR], period_to[DATE_STR];
    char parts_date[DATE_STR];
    char customer_words[APPT_WORDS_CHARS * 4 + 1];
    unsigned services; /* bit set of enum booking_service */
    enum booking_source source;
    bool wait_for_parts;
    int64_t labour_fen, parts_fen, total_fen;
    int64_t task_id;
    int64_t created_by;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    struct appt_op ops[APPT_MAX_OPS];
    int n_ops;
    struct appt_part parts[APPT_MAX_PARTS];
    int n_parts;
    /* For display, joined by get/list: */
    char plate[PLATE_MAX_BYTES];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char bay_name[WORKSHOP_NAME_CHARS * 4 + 1];
    char technician_name[WORKSHOP_NAME_CHARS * 4 + 1];
    unsigned customer_needs; /* IN-17, CRM-6: what to prepare for this customer */
    char needs_note[500 * 4 + 1];
};

struct booking_in {
    int64_t vehicle_id;
    char codes[APPT_MAX_OPS][OPERATION_CODE_MAX + 1];
    int n_codes;
    struct part_request parts[APPT_MAX_PARTS];
    int n_parts;
    enum flexibility flex;
    dms_day day;   /* exact and date */
    int start_min; /* exact */
    dms_day period_from, period_to;
    int64_t bay_id, technician_id; /* 0: any free one */
    char customer_words[APPT_WORDS_CHARS * 4 + 1];
    unsigned services;
    enum booking_source source;
    bool wait_for_parts;
    int64_t task_id; /* the call task that booked it, 0 when none */
};

/* Why a booking was refused, for the caller to answer with fresh options. */
struct booking_refusal {
    enum slot_verdict verdict; /* SLOT_TAKEN or SLOT_UNAVAILABLE; SLOT_OK when not a slot */
    struct slot_option options[3];
    size_t n_options;
    int lead_days; /* parts_unavailable: the longest lead time */
};

/* Books (IN-4..IN-6, IN-14..IN-19). exact: the start must be free now: with the store's
 * bookings serialised (SQLite's write lock, a row lock on the store in PostgreSQL), two
 * advisors cannot both take the same bay or technician; slot_taken / slot_unavailable (409)
 * fill *refusal with options. Parts in stock are reserved; short ones are ordered (case D,
 * start on or after their arrival) when wait_for_parts, else parts_unavailable (422). date
 * and period bookings hold nothing yet and get an appointment_confirm call a week before.
 * not_found for another store's vehicle or task. */
int appointments_book(struct db *db, const struct actor *a, const struct booking_in *in,
                      struct appointment *out, struct booking_refusal *refusal,
                      struct dms_error *err);

int appointments_get(struct db *db, const struct actor *a, int64_t id, struct appointment *out,
                     struct dms_error *err);

struct appt_filter {
    dms_day day;        /* 0: any */
    int64_t vehicle_id; /* 0: any */
    int status;         /* -1: any */
};
/* By day and start (period bookings last), at most 1,000. */
int appointments_list(struct db *db, const struct actor *a, const struct appt_filter *f,
                      struct appointment **out, size_t *n, struct dms_error *err);

/* Moves a booking through its life cycle (core/booking.h appt_transition_ok, else
 * invalid_transition 409). Cancelling or a no-show releases its parts and withdraws its
 * reminders still queued (IN-16); completing issues them. */
int appointments_set_status(struct db *db, const struct actor *a, int64_t id, enum appt_status to,
                            struct appointment *out, struct dms_error *err);

/* Fixes or moves the time of a booking (reschedule; IN-15/16 once the date is known):
 * the same checks and refusals as booking, its own hold excluded. A flexible booking becomes
 * exact and confirmed, its parts reserved or ordered. A booking moved to another day or time
 * has its queued reminders withdrawn and is reminded again for the new time (IN-16). */
int appointments_reschedule(struct db *db, const struct actor *a, int64_t id, dms_day day,
                            int start_min, int64_t bay_id, int64_t technician_id,
                            struct appointment *out, struct booking_refusal *refusal,
                            struct dms_error *err);

/* IN-15, IN-16: the call that fixes a flexible booking (type appointment_confirm), due a
 * week before target; closed (done) once the time is fixed. (tasks.c) */
int tasks_create_confirm(struct db *db, const struct actor *a, const struct appointment *ap,
                         dms_day target, struct dms_error *err);
int tasks_close_confirm(struct db *db, const struct actor *a, int64_t appointment_id,
                        struct dms_error *err);

/* Dispatch (IN-11): gives the job to another technician, who must have the skills, work
 * that day and be free then (slot_taken / slot_unavailable otherwise). */
int appointments_dispatch(struct db *db, const struct actor *a, int64_t id, int64_t technician_id,
                          struct appointment *out, struct booking_refusal *refusal,
                          struct dms_error *err);

/* IN-16: queues the reminders now due for the store's confirmed bookings: the day before
 * (from the morning run's time, generate_at) and 30 minutes before the start, each once (a
 * moved booking is reminded again), by SMS or e-mail as the customer consents (suppressed
 * otherwise), with the operations and the estimate. *queued counts them. (reminders.c) */
int appointments_remind(struct db *db, const struct actor *a, int *queued, struct dms_error *err);

/* ---- purchase orders, parts shelves and shortages (purchasing.c) ---- */

struct po_line {
    int64_t id, part_id, appointment_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
};

struct purchase_order {
    int64_t id;
    char status[12]; /* open, received */
    char expected_date[DATE_STR];
    char received_at[TIMESTAMP_STR], created_at[TIMESTAMP_STR];
    struct po_line *lines; /* malloc'ed; purchase_orders_free */
    size_t n_lines;
};
void purchase_orders_free(struct purchase_order *o, size_t n);
/* status "" for any; by expected date, newest last; at most 500. */
int purchase_orders_list(struct db *db, const struct actor *a, const char *status,
                         struct purchase_order **out, size_t *n, struct dms_error *err);
int purchase_orders_get(struct db *db, const struct actor *a, int64_t id,
                        struct purchase_order *out, struct dms_error *err);
/* IN-5: the parts arrive: stock goes up, and the lines of bookings move from the "waiting
 * for parts" shelf to the "appointment" shelf (reserved). conflict when received already. */
int purchase_orders_receive(struct db *db, const struct actor *a, int64_t id,
                            struct purchase_order *out, struct dms_error *err);

/* IN-12: what sits on a shelf for the live bookings: reserved parts (the "appointment"
 * shelf) or parts on order (the "waiting for parts" shelf), by booking day. */
struct shelf_item {
    int64_t appointment_id;
    char day[DATE_STR];
    int start_min; /* -1: no time yet */
    char plate[PLATE_MAX_BYTES];
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
    char expected_date[DATE_STR]; /* on order */
};
int shelves_list(struct db *db, const struct actor *a, enum appt_part_state state,
                 struct shelf_item **out, size_t *n, struct dms_error *err);

#define SHORTAGE_CAUSE_CHARS 200
struct shortage {
    int64_t id, part_id, appointment_id;
    char part_no[33];
    char name[64 * 4 + 1];
    int64_t qty;
    char cause[SHORTAGE_CAUSE_CHARS * 4 + 1];
    bool complaint_risk;
    char escalated_at[TIMESTAMP_STR];
    int escalated_to; /* messages queued */
    char created_at[TIMESTAMP_STR];
};
/* IN-18: records a shortage and its cause (a case-D booking records its own, cause "not in
 * stock when booked"); one flagged as a complaint risk is escalated at
 * once: an e-mail to each of the store's escalation addresses (store_settings
 * escalation_emails: the brand's parts manager, the regional manager), through the outbox.
 * not_found (field part_no / appointment_id) for another store's. */
int shortages_create(struct db *db, const struct actor *a, struct shortage *s,
                     struct dms_error *err);
int shortages_list(struct db *db, const struct actor *a, struct shortage **out, size_t *n,
                   struct dms_error *err);
int shortages_get(struct db *db, const struct actor *a, int64_t id, struct shortage *out,
                  struct dms_error *err);
/* The parts manager's analysis: the cause and whether it risks a complaint; turning the risk
 * on escalates it (once). */
int shortages_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                     struct shortage *out, struct dms_error *err);

/* ---- the board's confirmations, failed booking calls, booking report (board.c) ---- */

struct confirmation {
    enum department department;
    int64_t user_id;
    char username[USERNAME_MAX + 1];
    char confirmed_at[TIMESTAMP_STR];
};
/* IN-11: a department confirms a day's board (again: the latest confirmation counts). */
int board_confirm(struct db *db, const struct actor *a, dms_day day, enum department d,
                  struct dms_error *err);
/* The day's confirmations, one per department at most. */
int board_confirmations(struct db *db, const struct actor *a, dms_day day,
                        struct confirmation out[DEPT_COUNT], size_t *n, struct dms_error *err);

struct booking_failure_in {
    int64_t vehicle_id, customer_id; /* 0: none (a caller not in the archive) */
    enum booking_failure reason;
    enum booking_source source;
    char note[500 * 4 + 1];
};
/* A booking call that ended without a booking. not_found for another store's. */
int booking_failures_add(struct db *db, const struct actor *a, const struct booking_failure_in *f,
                         int64_t *id, struct dms_error *err);

/* Booking conversion for [from, to]: bookings made by source and case, failed calls by
 * reason, no-shows among the days' bookings. */
struct booking_report {
    int64_t booked[SOURCE_COUNT];
    int64_t by_case[4];
    int64_t failed[FAIL_COUNT];
    int64_t failed_by_source[SOURCE_COUNT];
    int64_t no_shows, cancelled;
};
int reports_bookings(struct db *db, const struct actor *a, dms_day from, dms_day to,
                     struct booking_report *out, struct dms_error *err);

/* ---- maintenance plans and the vehicles' schedule (plans.c, schedule.c) ---- */

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

/* ---- tasks: the call lists (tasks.c) ---- */

struct generate_counts {
    int64_t created[TASK_TYPE_COUNT];
    int64_t messages; /* queued (or suppressed) reminder messages */
    int64_t expired;  /* open tasks past their deadline */
};
/* Generates day `day`'s tasks and messages for a->store_id (idempotent: a second run for
 * the same day adds nothing) and expires open tasks whose deadline has passed. */
int tasks_generate(struct db *db, const struct actor *a, dms_day day, struct generate_counts *out,
                   struct dms_error *err);
/* Whether day's run of tasks_generate has happened for a->store_id: 1 yes, 0 no, -1 err. */
int tasks_generated(struct db *db, const struct actor *a, dms_day day, struct dms_error *err);

struct task {
    int64_t id, vehicle_id, customer_id, campaign_id, service_record_id, parent_id;
    enum task_type type;
    char reason[512];
    char service_due_date[DATE_STR], due_date[DATE_STR], deadline[DATE_STR];
    char deadline_at[TIMESTAMP_STR];
    char contact_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char contact_phone[PHONE_MAX];
    int64_t assignee_id;
    enum task_status status;
    int attempts;
    char last_outcome[24], last_attempt_at[TIMESTAMP_STR];
    bool reached, booked;
    int64_t message_id;
    char created_at[TIMESTAMP_STR], closed_at[TIMESTAMP_STR];
    /* What the call needs (MR-4), joined in by get/list. */
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char phone[PHONE_MAX];
    unsigned needs;
    char needs_note[500 * 4 + 1];
    char plate[PLATE_MAX_BYTES];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    int64_t mileage_km;
    char next_due_date[DATE_STR];
    int64_t next_due_km;
    char last_service_date[DATE_STR];
    char package_name[257];
    bool has_package;
    int64_t package_fen;
    char campaign_name[257];
};

struct task_filter {
    dms_day date;        /* 0: any; else tasks on that day's list (due_date <= date <= deadline) */
    int type;            /* -1: any */
    int status;          /* -1: any */
    int64_t assignee_id; /* 0: any; -1: unassigned */
    int64_t vehicle_id;  /* 0: any */
    int64_t customer_id; /* 0: any */
};
/* Oldest deadline first; offset paging (offset, limit; *more). */
int tasks_list(struct db *db, const struct actor *a, const struct task_filter *f, int64_t offset,
               int limit, struct task **out, size_t *n, bool *more, struct dms_error *err);
int tasks_get(struct db *db, const struct actor *a, int64_t id, struct task *out,
              struct dms_error *err);

struct attempt {
    int64_t id, user_id;
    char username[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    enum call_outcome outcome;
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    int64_t mileage_km; /* -1: none given */
    char special_needs[500 * 4 + 1];
};
int tasks_attempts(struct db *db, const struct actor *a, int64_t task_id, struct attempt **out,
                   size_t *n, struct dms_error *err);

struct attempt_in {
    enum call_outcome outcome;
    const char *notes;         /* may be "" */
    int64_t mileage_km;        /* -1: not asked */
    const char *special_needs; /* may be "" */
};
/* Records a call (MR-4): the outcome moves the task (core/tasks.h), a mileage given becomes
 * a reading (and moves the due date), special needs go onto the customer's profile (CRM-6),
 * an undecided first reminder call makes the second call (MR-6). conflict (task_closed)
 * when the task is no longer open. */
int tasks_record_attempt(struct db *db, const struct actor *a, int64_t task_id,
                         const struct attempt_in *in, struct task *out, struct dms_error *err);

enum callback_reason {
    CALLBACK_BUSY,
    CALLBACK_OUT_OF_HOURS,
    CALLBACK_PARTS,
    CALLBACK_REASON_COUNT
};
extern const char *const CALLBACK_REASON_NAMES[CALLBACK_REASON_COUNT];
struct callback_in {
    int64_t customer_id, vehicle_id; /* 0: none */
    const char *name, *phone;        /* a caller not in the archive; phone normalised */
    enum callback_reason reason;
    const char *notes;
    int64_t assignee_id; /* 0: none */
};
/* IN-1 (busy / out of hours: 5 minutes), IN-5 (parts check: 15 minutes). */
int tasks_create_callback(struct db *db, const struct actor *a, const struct callback_in *in,
                          struct task *out, struct dms_error *err);

struct task_patch {
    int64_t assignee_id; /* -1: unchanged, 0: unassign */
    bool cancel;
};
int tasks_update(struct db *db, const struct actor *a, int64_t id, const struct task_patch *p,
                 struct task *out, struct dms_error *err);

/* ---- campaigns (campaigns.c) ---- */

enum campaign_kind {
    CAMPAIGN_RECALL,
    CAMPAIGN_TECH_UPGRADE,
    CAMPAIGN_PROMOTION,
    CAMPAIGN_HOLIDAY,
    CAMPAIGN_KIND_COUNT
};
extern const char *const CAMPAIGN_KIND_NAMES[CAMPAIGN_KIND_COUNT];
enum campaign_channel { CHANNEL_CALL, CHANNEL_SMS, CHANNEL_EMAIL, CHANNEL_COUNT };
extern const char *const CHANNEL_NAMES[CHANNEL_COUNT];

#define CAMPAIGN_MAX_VINS 10000

struct campaign_selection {
    char **vins; /* NULL or n_vins VINs */
    size_t n_vins;
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1]; /* "": any */
    int year_from, year_to;                                                    /* 0: open */
    int classification;                                                        /* -1: any */
};

struct campaign {
    int64_t id;
    enum campaign_kind kind;
    enum campaign_channel channel;
    char name[257];
    char template_text[4001];
    char subject[257];
    char *selection; /* JSON text as given, malloc'ed by get; free with campaign_clear */
    char deadline[DATE_STR];
    int64_t created_by;
    char created_at[TIMESTAMP_STR];
    /* Per-vehicle status counts. */
    int64_t vehicles, tasks, messages, no_consent, done, completed;
};
void campaign_clear(struct campaign *c);

/* CS-5, CS-7: selects the vehicles, and makes one task (call) or message (sms, email) per
 * vehicle. Recalls reach every owner (safety); the other kinds need the channel's consent,
 * and promotions and greetings also the marketing consent. *unmatched lists the VINs of the
 * selection that are not in the store (malloc'ed array of malloc'ed strings). */
int campaigns_create(struct db *db, const struct actor *a, struct campaign *c,
                     const struct campaign_selection *sel, const char *selection_json,
                     char ***unmatched, size_t *n_unmatched, struct dms_error *err);
int campaigns_get(struct db *db, const struct actor *a, int64_t id, struct campaign *out,
                  struct dms_error *err);
int campaigns_list(struct db *db, const struct actor *a, int64_t after, int limit,
                   struct campaign **out, size_t *n, bool *more, struct dms_error *err);
void campaigns_free(struct campaign *c, size_t n);

struct campaign_vehicle {
    int64_t vehicle_id, customer_id, task_id, message_id, service_record_id;
    char vin[VIN_LEN + 1], plate[PLATE_MAX_BYTES];
    char status[24]; /* completed, or the task's / message's status, or no_consent */
    char last_outcome[24];
    char completed_at[TIMESTAMP_STR];
};
int campaigns_vehicles(struct db *db, const struct actor *a, int64_t id, int64_t after, int limit,
                       struct campaign_vehicle **out, size_t *n, bool *more, struct dms_error *err);
/* A recall service record for the campaign completes the vehicle's entry (and its task).
 * invalid_field when the vehicle is not in the campaign. */
int campaigns_complete(struct db *db, const struct actor *a, int64_t campaign_id,
                       int64_t vehicle_id, int64_t service_record_id, struct dms_error *err);

/* ---- messages: the outbox (messages.c) ---- */

/* cancelled: withdrawn before it was sent, e.g. the reminder of a booking that was cancelled
 * or moved (status_reason says which). */
enum message_status {
    MSG_QUEUED,
    MSG_SENT,
    MSG_FAILED,
    MSG_SUPPRESSED,
    MSG_CANCELLED,
    MSG_STATUS_COUNT
};
extern const char *const MESSAGE_STATUS_NAMES[MSG_STATUS_COUNT];

struct message {
    int64_t id, store_id, customer_id, vehicle_id, task_id, campaign_id;
    int64_t appointment_id; /* the booking an appointment reminder is for, else 0 */
    char store_code[33];
    char kind[32];
    char channel[8]; /* sms, email */
    char recipient[EMAIL_MAX];
    char subject[512];
    char *body; /* malloc'ed; message_clear frees */
    enum message_status status;
    char status_reason[256];
    int attempts;
    char next_attempt_at[TIMESTAMP_STR];
    char last_error[512];
    bool duplicate_risk;
    char created_at[TIMESTAMP_STR], sent_at[TIMESTAMP_STR];
    /* For the dispatcher: the customer's consent now, and the store's clock. */
    bool consent_now;
    char store_timezone[65];
    int quiet_from, quiet_until;
};
void message_clear(struct message *m);
void messages_free(struct message *m, size_t n);

/* Writes a message in the caller's transaction: queued, or suppressed with a reason
 * (status_reason) when m->status is MSG_SUPPRESSED. Fills m->id. No audit row of its own:
 * its cause (the morning run, a campaign) audits the batch with its counts, and each send
 * is audited by outbox_result. */
int messages_queue(struct db *db, const struct actor *a, struct message *m, struct dms_error *err);
/* messages_queue of a reminder whose subject and body are the template tpl filled in with v
 * (core/template.h); a suppressed one (m->status) says why: no consent or no address. */
struct template_values;
struct message_template;
int messages_queue_templated(struct db *db, const struct actor *a, struct message *m,
                             const struct message_template *tpl, const struct template_values *v,
                             struct dms_error *err);

struct message_filter {
    int status;          /* -1: any */
    const char *kind;    /* NULL: any */
    int64_t customer_id; /* 0: any */
    int64_t vehicle_id;  /* 0: any */
    int64_t campaign_id; /* 0: any */
};
/* Newest first (ids below before; 0 from the newest). */
int messages_list(struct db *db, const struct actor *a, const struct message_filter *f,
                  int64_t before, int limit, struct message **out, size_t *n, bool *more,
                  struct dms_error *err);
int messages_get(struct db *db, const struct actor *a, int64_t id, struct message *out,
                 struct dms_error *err);

/* The dispatcher's side (any store), one message at a time (issue 11, defect 2): claim it
 * just before sending it, send, record the result. The claim is the last look: in its own
 * transaction it takes the next message still queued and due at `now` on the channels given
 * ("sms", "email"; NULL = skip that channel), reads the customer's consent as it is then
 * (m->consent_now), leases it for lease_s seconds and counts the attempt (m->attempts is the
 * claim's token for outbox_result). 1 with *out filled (message_clear it), 0 when nothing is
 * due, -1 on error. A message whose earlier lease ran out without a result was perhaps sent
 * already: it is marked duplicate_risk and logged, and sent again (a duplicate is the lesser
 * harm than a lost reminder). */
int outbox_claim(struct db *db, int64_t now, int lease_s, const char *sms, const char *email,
                 struct message *out, struct dms_error *err);
/* Records the result of the claim of message id whose token was `attempt`: MSG_SENT,
 * MSG_FAILED, MSG_SUPPRESSED (reason), or MSG_QUEUED again with retry_at (UTC seconds; a
 * retry, or an SMS held for quiet hours when counts_attempt is false). Updates the message's
 * task and audits as user "outbox". In its own transaction. It never overwrites what another
 * hand did meanwhile: when the message is no longer queued under this claim (an opt-out
 * suppressed it, a cancelled booking withdrew it, another dispatcher took over a lapsed lease)
 * it returns 1 and changes nothing, except that a message that did go out gets its sent_at
 * (its status stays, an audit row says it went out). 0 when recorded. */
int outbox_result(struct db *db, int64_t id, int attempt, enum message_status status,
                  const char *reason, int64_t retry_at, bool counts_attempt, int64_t now,
                  struct dms_error *err);
/* The last look right before the send of a claimed message, and what makes it last until the
 * text is out: 1 the message is still queued under this claim (`attempt`) and the customer's
 * consent allows it: send it, then call outbox_send_end(); 0 someone else set its status
 * meanwhile: skip it; 2 the consent is gone: record it suppressed; -1 error. On PostgreSQL a
 * 1 keeps the message's row locked in a transaction of its own until outbox_send_end(): an
 * opt-out or withdrawal that comes while the text is on its way waits for it (at most the
 * send's time-out), so no text is posted after an opt-out was committed; the dispatcher takes
 * no other lock meanwhile, so it waits for nobody in turn (no deadlock).
 * (On SQLite that would hold every writer: a plain read; an opt-out committed between it and
 * the post does not stop that post, and outbox_result keeps its status.) */
int outbox_send_begin(struct db *db, int64_t id, int attempt, struct dms_error *err);
void outbox_send_end(struct db *db);
/* Withdraws the queued messages of a booking (its reminders) in the caller's transaction:
 * status cancelled with `reason`, one audit row each (action "withdraw"). Messages already
 * sent, failed or suppressed stay as they are. *n (may be NULL) gets how many. */
int messages_withdraw_for_appointment(struct db *db, const struct actor *a, int64_t appointment_id,
                                      const char *reason, int *n, struct dms_error *err);

/* An SMS reply of TD/退订 (core/outbox.h): opts the customers with that mobile number out of
 * SMS, in store_code's store or in every store when store_code is NULL. *n gets how many. */
int customers_sms_opt_out(struct db *db, const char *phone, const char *store_code, int64_t now,
                          int64_t *n, struct dms_error *err);

/* Message templates per store, kind and channel; the built-in ones (core/template.h) where
 * the store keeps none. */
struct message_template {
    char kind[32], channel[8];
    char subject[257];
    char body[4001];
    bool builtin;
    char updated_at[TIMESTAMP_STR];
};
int templates_get(struct db *db, int64_t store_id, const char *kind, const char *channel,
                  struct message_template *out, struct dms_error *err);
int templates_list(struct db *db, const struct actor *a, struct message_template **out, size_t *n,
                   struct dms_error *err);
int templates_put(struct db *db, const struct actor *a, const struct message_template *t,
                  struct dms_error *err);

/* ---- reports (reports.c) ---- */

struct call_counts {
    int64_t created, done, reached, booked, expired, open, cancelled;
};
struct call_report {
    struct call_counts by_type[TASK_TYPE_COUNT];
    struct call_counts total;
    /* Daily counts across the period (RPT-2), by_day[i] for from + i. */
    struct call_counts *by_day;
    int n_days;
};
/* RPT-2: tasks whose list day (due_date) falls in [from, to]. Free with call_report_clear. */
int reports_calls(struct db *db, const struct actor *a, dms_day from, dms_day to,
                  struct call_report *out, struct dms_error *err);
void call_report_clear(struct call_report *r);

/* Bay utilisation (the dashboard, RPT-2) for [from, to], by core/utilisation.c: each day's
 * open minutes (calendar and exceptions, the break left out) and the bay-minutes offered and
 * booked (bookings with a bay and a time, not cancelled or no-show), each bay's figures for
 * the period and the total. The bays are those in service and the retired ones with bookings
 * in the period (offering nothing), by code. Free with utilisation_report_clear. */
struct utilisation_report {
    int n_days;
    int *open_min;               /* open_min[i] for from + i */
    struct util_figures *by_day; /* by_day[i] for from + i */
    struct bay *bays;
    struct util_figures *by_bay; /* by_bay[k] for bays[k] */
    size_t n_bays;
    struct util_figures total;
};
int reports_utilisation(struct db *db, const struct actor *a, dms_day from, dms_day to,
                        struct utilisation_report *out, struct dms_error *err);
void utilisation_report_clear(struct utilisation_report *r);

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

/* ---- a customer's personal data: export, erasure, phone reveals (privacy.c; PIPL) ---- */

/* Everything the store keeps about the customer, as one JSON document (profile, phones,
 * drivers, vehicles, repair orders with their lines, readings, tasks and call attempts,
 * messages, bookings, failed booking calls, contact history, the audit rows of the customer);
 * writes the audit row `export`. *out is the caller's (json_decref). */
int customers_export(struct db *db, const struct actor *a, int64_t id, json_t **out,
                     struct dms_error *err);

/* The customer (c) with their full phone numbers and the drivers (malloc'ed, free *drivers)
 * with theirs, for a reveal in a masked view; writes the audit row `reveal` (who, when, which
 * customer, the optional reason; no number). customer_erased when erased. */
int customers_reveal_phones(struct db *db, const struct actor *a, int64_t id, const char *reason,
                            struct customer *c, struct driver **drivers, size_t *n_drivers,
                            struct dms_error *err);

struct erase_report {
    bool already;                  /* erased before: nothing done */
    char erased_at[TIMESTAMP_STR]; /* when it was erased */
    int messages_stopped, tasks_cancelled;
    size_t audit_rows_scrubbed;
};
/* Erases the customer's personal data on request (reason: why, 1-200 characters, checked by
 * the caller), keeping what the store's figures count (privacy.c says what goes and what
 * stays); stops their queued messages and open tasks, withdraws every consent, scrubs the
 * earlier audit rows and writes the audit row `erase`. Idempotent. */
int customers_erase(struct db *db, const struct actor *a, int64_t id, const char *reason,
                    struct erase_report *out, struct dms_error *err);

/* ---- backup and restore of a SQLite database (backup.c; issue 11) ---- */

struct backup_report {
    int pages;      /* copied */
    int64_t bytes;  /* of the file written */
    int schema;     /* the copy's schema version */
    char kept[600]; /* restore: where the replaced database was kept ("" when none) */
};

/* dms backup: a consistent copy of the SQLite database of db_url, taken while dms serve
 * writes it (the online backup API, step_pages pages per step), written to FILE.tmp,
 * checked (quick_check), synced and renamed to file: file is either the previous backup or
 * a complete new one, never half written. PostgreSQL: use_pg_dump. */
int store_backup(const char *db_url, const char *file, int step_pages, struct backup_report *out,
                 struct dms_error *err);
/* dms restore: checks that file is a dms database this program knows (integrity_check, a
 * schema version from 1 to store_latest_version()), refuses while a server has db_url's
 * database open (in_use), keeps the current database as DB.before-restore, and copies file
 * over it in one transaction. PostgreSQL: use_pg_restore. */
int store_restore(const char *db_url, const char *file, struct backup_report *out,
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
