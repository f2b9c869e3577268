/* The HTTP layer's shared types: the server, one request as handlers see it, and the
 * helpers handlers use to read JSON and write responses. Handlers only translate between
 * HTTP/JSON and the storage interface; rules live in core/, data access in store/. */
#ifndef DMS_HTTP_HTTP_H
#define DMS_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/ipaddr.h"
#include "core/throttle.h"
#include "core/workshop.h"
#include "store/customers.h"
#include "store/service_records.h"
#include "store/sessions.h"
#include "store/store.h"
#include "store/users.h"
#include "store/vehicles.h"
#include "store/zones.h"

#define BODY_MAX (1024 * 1024) /* 1 MiB; larger bodies answer 413 */

/* cookie_secure: Secure on every cookie, on none, or (auto) when a trusted proxy says the
 * client came over https (X-Forwarded-Proto). */
enum cookie_secure { COOKIE_SECURE_AUTO, COOKIE_SECURE_ON, COOKIE_SECURE_OFF };

struct server_config {
    const char *db_url;
    const char *listen; /* "HOST:PORT"; port 0 picks a free one */
    int db_pool;        /* connections to the database */
    int64_t session_ttl;
    bool access_log;
    const char *port_file;  /* where to write the port actually bound (tests); may be NULL */
    const char *sms_secret; /* HMAC key of the SMS gateway (inbound webhook); NULL: disabled */
    const char *web_dir;    /* serve the web console from this folder; NULL: the built-in files */
    /* Connection limits and deadlines (conns.c; issue 11, defect 4); 0 takes the default,
     * except max_connections_per_address, where 0 is no limit and a negative value the
     * default. */
    int max_connections;             /* served at once; beyond: 503 server_busy */
    int max_connections_per_address; /* served at once for one client address */
    int header_timeout_s;            /* request headers complete within this of connecting */
    int body_timeout_s;              /* a body arrives, and a response leaves, within this */
    int idle_timeout_s;              /* a kept-alive connection's next request within this */
    /* Sign-in (session.c, client.c; issue 11, defect 3): the proxies whose X-Forwarded-For
     * and X-Forwarded-Proto are believed, when cookies are marked Secure, and the limits on
     * failed sign-ins. */
    struct ip_ranges trusted_proxies;
    enum cookie_secure cookie_secure;
    struct login_limits login;
};

struct server;
struct tz;

/* Starts listening; returns NULL with err filled on failure. */
struct server *server_start(const struct server_config *cfg, struct dms_error *err);
/* The port actually bound. */
int server_port(const struct server *s);
/* Stops accepting, lets in-flight requests finish (bounded), then stops. */
void server_stop(struct server *s);
/* File descriptors the server may need with cfg's connection limits (dms serve raises its
 * limit to it). */
int server_fds_needed(const struct server_config *cfg);

/* Pool of database connections shared by the server's threads (pool.c). */
struct pool;
struct pool *pool_new(const char *url, int size);
void pool_free(struct pool *p);
/* Waits up to timeout_ms for a connection; NULL with err (busy / db_open) otherwise. */
struct db *pool_acquire(struct pool *p, int timeout_ms, struct dms_error *err);
void pool_release(struct pool *p, struct db *db);

enum { ID_MAX = 4, REQ_KEY_MAX = 64 };

struct route;

struct req {
    const struct server_config *cfg;
    void *conn; /* struct MHD_Connection */
    const char *method, *path;
    json_t *body;      /* parsed request body (an object) or NULL */
    json_t *err_extra; /* members added to an error body (owned; set by a handler) */
    int64_t ids[ID_MAX];
    int n_ids;
    char key[REQ_KEY_MAX + 1]; /* a {key} segment of the route, "" when none */
    struct db *db;
    struct pool *pool;         /* where db comes from (req_begin) */
    const struct route *route; /* the matched route */
    bool in_txn;               /* a transaction is open on db */
    bool authed, via_cookie;
    struct session session;
    struct actor actor;
    const char *token;
    const char *raw_body; /* the body as received (signed webhooks), raw_len bytes */
    size_t raw_len;

    /* Response. */
    int status;
    json_t *resp;
    struct dms_error err;
    char cookies[3][320];
    int n_cookies;
    int64_t retry_after; /* > 0: a Retry-After header of that many seconds (429) */
};

/* ---- routes and resources (router.c and one file per resource) ---- */

typedef int (*handler_fn)(struct req *r);

/* Statuses for error codes (errors.c). */
int errors_status(const char *code);
/* Whether the table has code (an unknown one answers 500; tests/unit/test_error_codes.c). */
bool errors_known(const char *code);

/* ---- reading requests (json_in.c) ---- */

enum jin { JIN_ABSENT = 0, JIN_VALUE = 1, JIN_NULL = 2 };

/* Fails with invalid_field naming the first key of obj not in allowed (NULL-terminated). */
int jin_only(const json_t *obj, const char *const *allowed, const char *prefix,
             struct dms_error *err);
/* Prepends prefix ("phones[0].") to err->field; returns -1. */
int jin_prefix_field(struct dms_error *err, const char *prefix);
/* A JSON object body is required: missing or non-object bodies fail with invalid_json. */
int jin_body(struct req *r);
/* String field: JIN_VALUE with *out, JIN_ABSENT / JIN_NULL, or -1 (wrong type; missing and
 * required: missing_field). */
int jin_string(const json_t *obj, const char *key, bool required, const char **out,
               struct dms_error *err);
/* String field cleaned into a buffer (core/text.h rules). */
int jin_text(const json_t *obj, const char *key, bool required, long max_chars, bool multiline,
             char *out, size_t cap, struct dms_error *err);
/* Integer field in [min, max]; reals and strings are refused. */
int jin_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
            int64_t *out, struct dms_error *err);
int jin_bool(const json_t *obj, const char *key, bool required, bool *out, struct dms_error *err);
/* Enum given as a string from names[0..count). */
int jin_enum(const json_t *obj, const char *key, bool required, const char *const *names, int count,
             int *out, struct dms_error *err);
/* Date "YYYY-MM-DD" into out (DATE_STR) and *day. */
int jin_date(const json_t *obj, const char *key, bool required, char *out, dms_day *day,
             struct dms_error *err);
/* A query-string parameter (NULL when absent). */
const char *req_query(struct req *r, const char *name);
/* An id in the query string: 0 and *out = 0 when absent, -1 (invalid_field) when not a
 * positive integer. */
int req_query_id(struct req *r, const char *name, int64_t *out);
/* A date in the query string: 0 and *out = 0 when absent; -1 (invalid_date) when malformed. */
int req_query_date(struct req *r, const char *name, dms_day *out);
/* An enum in the query string: -1 in *out when absent; -1 (invalid_field) when unknown. */
int req_query_enum(struct req *r, const char *name, const char *const *names, int count, int *out);
/* A catalogue code (operations, bays) from the body's `key`: required, upper-cased, checked
 * (core/workshop.h). */
int jin_code(struct req *r, const char *key, char out[OPERATION_CODE_MAX + 1]);
/* Fails with invalid_field for the first of keys (NULL-terminated) that the body sets to null:
 * fields that have a value always and cannot be removed by a PATCH. */
int jin_no_nulls(struct req *r, const char *const *keys);
/* A request header (NULL when absent). */
const char *req_header(struct req *r, const char *name);

/* ---- transactions of R_OWN_TXN routes (router.c) ----
 * Such a handler runs with no database connection and no transaction, so that it can hash a
 * password first; req_begin then takes a connection and opens a transaction (BEGIN IMMEDIATE
 * on SQLite when write), checking the session again when the route needs one. The router
 * commits what is still open when the handler returns 0, and rolls it back otherwise. */
int req_begin(struct req *r, bool write);
/* Commits (or rolls back) and gives the connection back. */
int req_commit(struct req *r);
void req_rollback(struct req *r);

/* ---- the client (client.c) ---- */
/* The address failed sign-ins are counted for (core/ipaddr.h ipaddr_throttle_key): the peer,
 * or X-Forwarded-For's client when the peer is a trusted proxy. */
void req_client_key(struct req *r, char out[IPADDR_STR]);
/* Whether the request's cookies are marked Secure (cookie_secure; auto: a trusted proxy's
 * X-Forwarded-Proto says https). */
bool req_cookie_secure(struct req *r);
/* A report's period (reports.c): ?date=YYYY-MM-DD (one day) or ?month=YYYY-MM (*month); both
 * or neither fail the request (invalid_field / missing_field), a bad value invalid_date. */
int report_period(struct req *r, dms_day *from, dms_day *to, bool *month);
/* limit (1-200, default 50) and cursor (opaque, from next_cursor) of a list request. */
int req_page(struct req *r, int *limit, int64_t *cursor);
/* The same for a list whose page was once a fixed cap (a vehicle's service records: 200,
 * mileage readings: 500): limit 1-max, default def, so a client that sends no limit gets the
 * rows it always got, and next_cursor says when there are more. */
int req_page_sized(struct req *r, int def, int max, int *limit, int64_t *cursor);

/* ---- writing responses ---- */

/* Sets status and body (steals the reference). Returns 0 for handlers to return. */
int reply(struct req *r, int status, json_t *body);
/* A list page: {"items": [...], "next_cursor": "..." | null}. Steals items. */
int reply_page(struct req *r, json_t *items, bool more, int64_t last_id);
/* Fails the request with code/field/message (the status comes from errors_status). */
int req_fail(struct req *r, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* JSON string, or null for "" (optional text). */
json_t *jstr_or_null(const char *s);
/* Cursor strings are opaque to clients. */
void cursor_encode(int64_t id, char out[32]);

/* ---- representations shared between resources (views.c) ---- */
/* CRM-6: the needs of a bit set, by name. */
json_t *view_needs(unsigned needs);
/* The name, masked for roles that do not work with contact details. */
json_t *masked_name(const struct req *r, const char *name);
/* A phone number in full or masked; null for none. */
json_t *phone_value(const char *number, bool full);
/* Hours from hundredths: 1.5, or 2 for whole hours. */
json_t *hours_value(int64_t hours_x100);
json_t *view_customer(const struct req *r, const struct customer *c, bool detail);
json_t *view_vehicle(const struct req *r, const struct vehicle *v);
json_t *view_next_service(const struct vehicle_schedule *ns);
json_t *view_user(const struct user *u);
json_t *view_service_record(const struct service_record *s);
json_t *view_driver(const struct req *r, const struct driver *d);
/* "YYYY-MM-DDTHH:MM", or null when there is no time. */
json_t *view_local(dms_day day, int min);
json_t *view_estimate(int64_t labour, int64_t parts, int64_t total);
json_t *view_services(unsigned services);

/* ---- handlers, by resource ---- */
/* complaints.c (CS-6, IN-20) */
int h_complaints_create(struct req *r);
int h_complaints_list(struct req *r);
int h_complaints_get(struct req *r);
int h_complaints_action(struct req *r);
int h_complaints_status(struct req *r);
/* IN-20: the customer's complaints not closed, for GET /customers/{id}. */
json_t *view_open_complaints(struct req *r, int64_t customer_id);
/* repair_orders.c (RO-1..RO-7) */
int h_repair_orders_create(struct req *r);
int h_repair_orders_list(struct req *r);
int h_repair_orders_get(struct req *r);
int h_repair_orders_update(struct req *r);
int h_repair_orders_add_line(struct req *r);
int h_repair_orders_decide(struct req *r);
int h_repair_orders_clock(struct req *r);
int h_repair_orders_status(struct req *r);
int h_repair_orders_settle(struct req *r);
int h_receivables_list(struct req *r);
int h_receivables_pay(struct req *r);
int h_reception(struct req *r);
int h_jobs(struct req *r);
int h_declined_work_dismiss(struct req *r);
int h_healthz(struct req *r);
int h_session_create(struct req *r);
int h_session_delete(struct req *r);
int h_me(struct req *r);
int h_me_password(struct req *r);
int h_store_get(struct req *r);
int h_users_list(struct req *r);
int h_users_create(struct req *r);
int h_users_get(struct req *r);
int h_users_update(struct req *r);
int h_customers_list(struct req *r);
int h_customers_create(struct req *r);
int h_customers_get(struct req *r);
int h_customers_update(struct req *r);
int h_customers_vehicles(struct req *r);
int h_customers_contact_history(struct req *r);
int h_customers_confirm_contact(struct req *r);
int h_drivers_create(struct req *r);
int h_drivers_delete(struct req *r);
int h_customers_phone_reveals(struct req *r);
int h_customers_export(struct req *r);
int h_customers_erase(struct req *r);
int h_vehicles_list(struct req *r);
int h_vehicles_create(struct req *r);
int h_vehicles_get(struct req *r);
int h_vehicles_update(struct req *r);
int h_mileage_create(struct req *r);
int h_mileage_list(struct req *r);
int h_vehicle_service_records(struct req *r);
int h_service_records_create(struct req *r);
int h_service_records_get(struct req *r);
int h_search(struct req *r);
int h_audit_list(struct req *r);
int h_settings_get(struct req *r);
int h_settings_update(struct req *r);
int h_plans_list(struct req *r);
int h_plans_put(struct req *r);
int h_plans_get(struct req *r);
int h_plans_delete(struct req *r);
int h_tasks_generate(struct req *r);
int h_tasks_list(struct req *r);
int h_tasks_create(struct req *r);
int h_tasks_get(struct req *r);
int h_tasks_update(struct req *r);
int h_tasks_attempt(struct req *r);
int h_campaigns_list(struct req *r);
int h_campaigns_create(struct req *r);
int h_campaigns_get(struct req *r);
int h_campaigns_vehicles(struct req *r);
int h_messages_list(struct req *r);
int h_messages_get(struct req *r);
int h_templates_list(struct req *r);
int h_templates_put(struct req *r);
int h_sms_inbound(struct req *r);
int h_reports_calls(struct req *r);
int h_reports_utilisation(struct req *r);
int h_calendar_get(struct req *r);
int h_calendar_put(struct req *r);
int h_calendar_exceptions_create(struct req *r);
int h_calendar_exceptions_delete(struct req *r);
int h_operations_list(struct req *r);
int h_operations_create(struct req *r);
int h_operations_get(struct req *r);
int h_operations_update(struct req *r);
int h_bays_list(struct req *r);
int h_bays_create(struct req *r);
int h_bays_get(struct req *r);
int h_bays_update(struct req *r);
int h_bays_downtime(struct req *r);
int h_technicians_list(struct req *r);
int h_technicians_create(struct req *r);
int h_technicians_get(struct req *r);
int h_technicians_update(struct req *r);
int h_technicians_downtime(struct req *r);
int h_parts_list(struct req *r);
int h_parts_create(struct req *r);
int h_parts_get(struct req *r);
int h_parts_update(struct req *r);
int h_slots(struct req *r);
int h_quote(struct req *r);
int h_appointments_list(struct req *r);
int h_appointments_create(struct req *r);
int h_appointments_get(struct req *r);
int h_appointments_update(struct req *r);
int h_appointments_status(struct req *r);
int h_appointments_dispatch(struct req *r);
int h_booking_failures_create(struct req *r);
int h_board_get(struct req *r);
int h_board_welcome(struct req *r);
int h_board_confirm(struct req *r);
int h_parts_shelves(struct req *r);
int h_purchase_orders_list(struct req *r);
int h_purchase_orders_get(struct req *r);
int h_purchase_orders_receive(struct req *r);
int h_shortages_list(struct req *r);
int h_shortages_create(struct req *r);
int h_shortages_update(struct req *r);
int h_reports_bookings(struct req *r);
/* RO-8 (workshop_report.c). */
int h_reports_workshop(struct req *r);
int h_reports_reminder_coverage(struct req *r);
/* IN-21: the 9-point call check (call_reviews.c). */
int h_call_reviews_create(struct req *r);
int h_call_reviews_list(struct req *r);
int h_call_reviews_get(struct req *r);
int h_call_reviews_update(struct req *r);
int h_call_reviews_delete(struct req *r);
int h_reports_call_quality(struct req *r);
/* CRM-2, CRM-3 (credit.c). */
struct credit;
json_t *view_credit(const struct credit *c);
int h_customers_classify(struct req *r);
int h_reports_credit(struct req *r);

#endif
