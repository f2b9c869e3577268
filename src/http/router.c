/* The route table and the pipeline every request goes through. */
#include <ctype.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/router.h"

#define A AUTH_ANY
static const struct route ROUTES[] = {
    {"GET", "/healthz", h_healthz, AUTH_NONE, 0},
    {"POST", "/api/v1/session", h_session_create, AUTH_NONE, R_OWN_TXN},
    {"DELETE", "/api/v1/session", h_session_delete, A, R_PASSWORD_CHANGE_OK},
    {"GET", "/api/v1/me", h_me, A, R_PASSWORD_CHANGE_OK},
    {"POST", "/api/v1/me/password", h_me_password, A, R_PASSWORD_CHANGE_OK | R_OWN_TXN},
    {"GET", "/api/v1/store", h_store_get, A, 0},
    {"GET", "/api/v1/users", h_users_list, PERM_USER_MANAGE, 0},
    {"POST", "/api/v1/users", h_users_create, PERM_USER_MANAGE, R_OWN_TXN},
    {"GET", "/api/v1/users/{id}", h_users_get, PERM_USER_MANAGE, 0},
    {"PATCH", "/api/v1/users/{id}", h_users_update, PERM_USER_MANAGE, R_OWN_TXN},
    {"GET", "/api/v1/customers", h_customers_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/customers", h_customers_create, PERM_CUSTOMER_WRITE, 0},
    {"GET", "/api/v1/customers/{id}", h_customers_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/customers/{id}", h_customers_update, PERM_CUSTOMER_WRITE, 0},
    {"GET", "/api/v1/customers/{id}/vehicles", h_customers_vehicles, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/customers/{id}/contact-history", h_customers_contact_history,
     PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/customers/{id}/contact-confirmations", h_customers_confirm_contact,
     PERM_CUSTOMER_WRITE, 0},
    {"POST", "/api/v1/customers/{id}/drivers", h_drivers_create, PERM_CUSTOMER_WRITE, 0},
    {"DELETE", "/api/v1/customers/{id}/drivers/{id}", h_drivers_delete, PERM_CUSTOMER_WRITE, 0},
    /* PIPL: core/mask.h says which roles (the handlers check). */
    {"POST", "/api/v1/customers/{id}/phone-reveals", h_customers_phone_reveals, PERM_ARCHIVE_READ,
     0},
    {"GET", "/api/v1/customers/{id}/export", h_customers_export, PERM_ARCHIVE_READ, R_WRITES},
    {"POST", "/api/v1/customers/{id}/erase", h_customers_erase, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/vehicles", h_vehicles_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/vehicles", h_vehicles_create, PERM_VEHICLE_WRITE, 0},
    {"GET", "/api/v1/vehicles/{id}", h_vehicles_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/vehicles/{id}", h_vehicles_update, PERM_VEHICLE_WRITE, 0},
    {"GET", "/api/v1/vehicles/{id}/mileage", h_mileage_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/vehicles/{id}/mileage", h_mileage_create, PERM_MILEAGE_WRITE, 0},
    {"GET", "/api/v1/vehicles/{id}/service-records", h_vehicle_service_records, PERM_ARCHIVE_READ,
     0},
    {"POST", "/api/v1/service-records", h_service_records_create, PERM_SERVICE_WRITE, 0},
    {"GET", "/api/v1/service-records/{id}", h_service_records_get, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/search", h_search, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/audit", h_audit_list, PERM_AUDIT_READ, 0},
    {"GET", "/api/v1/store/settings", h_settings_get, A, 0},
    {"PATCH", "/api/v1/store/settings", h_settings_update, PERM_PLAN_MANAGE, 0},
    {"GET", "/api/v1/settings", h_settings_get, A, 0},
    {"PATCH", "/api/v1/settings", h_settings_update, PERM_PLAN_MANAGE, 0},
    {"GET", "/api/v1/maintenance-plans", h_plans_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/maintenance-plans", h_plans_put, PERM_PLAN_MANAGE, 0},
    {"GET", "/api/v1/maintenance-plans/{id}", h_plans_get, PERM_ARCHIVE_READ, 0},
    {"DELETE", "/api/v1/maintenance-plans/{id}", h_plans_delete, PERM_PLAN_MANAGE, 0},
    {"POST", "/api/v1/tasks/generate", h_tasks_generate, PERM_PLAN_MANAGE, 0},
    {"GET", "/api/v1/tasks", h_tasks_list, PERM_TASK_WORK, 0},
    {"POST", "/api/v1/tasks", h_tasks_create, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/tasks/{id}", h_tasks_get, PERM_TASK_WORK, 0},
    {"PATCH", "/api/v1/tasks/{id}", h_tasks_update, PERM_TASK_WORK, 0},
    {"POST", "/api/v1/tasks/{id}/attempts", h_tasks_attempt, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/campaigns", h_campaigns_list, PERM_TASK_WORK, 0},
    {"POST", "/api/v1/campaigns", h_campaigns_create, PERM_CAMPAIGN, 0},
    {"GET", "/api/v1/campaigns/{id}", h_campaigns_get, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/campaigns/{id}/vehicles", h_campaigns_vehicles, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/messages", h_messages_list, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/messages/{id}", h_messages_get, PERM_TASK_WORK, 0},
    {"GET", "/api/v1/templates", h_templates_list, PERM_TASK_WORK, 0},
    {"PUT", "/api/v1/templates", h_templates_put, PERM_PLAN_MANAGE, 0},
    {"POST", "/api/v1/sms/inbound", h_sms_inbound, AUTH_NONE, 0},
    {"GET", "/api/v1/reports/calls", h_reports_calls, PERM_REPORT_READ, 0},
    {"GET", "/api/v1/calendar", h_calendar_get, A, 0},
    {"PUT", "/api/v1/calendar", h_calendar_put, PERM_PLAN_MANAGE, 0},
    {"POST", "/api/v1/calendar/exceptions", h_calendar_exceptions_create, PERM_PLAN_MANAGE, 0},
    {"DELETE", "/api/v1/calendar/exceptions/{key}", h_calendar_exceptions_delete, PERM_PLAN_MANAGE,
     0},
    {"GET", "/api/v1/operations", h_operations_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/operations", h_operations_create, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/operations/{id}", h_operations_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/operations/{id}", h_operations_update, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/bays", h_bays_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/bays", h_bays_create, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/bays/{id}", h_bays_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/bays/{id}", h_bays_update, PERM_WORKSHOP_SETUP, 0},
    {"POST", "/api/v1/bays/{id}/downtime", h_bays_downtime, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/technicians", h_technicians_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/technicians", h_technicians_create, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/technicians/{id}", h_technicians_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/technicians/{id}", h_technicians_update, PERM_WORKSHOP_SETUP, 0},
    {"POST", "/api/v1/technicians/{id}/downtime", h_technicians_downtime, PERM_WORKSHOP_SETUP, 0},
    {"GET", "/api/v1/parts", h_parts_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/parts", h_parts_create, PERM_PARTS_MANAGE, 0},
    {"GET", "/api/v1/parts/{key}", h_parts_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/parts/{key}", h_parts_update, PERM_PARTS_MANAGE, 0},
    {"GET", "/api/v1/slots", h_slots, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/quote", h_quote, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/appointments", h_appointments_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/appointments", h_appointments_create, PERM_BOOK, 0},
    {"GET", "/api/v1/appointments/{id}", h_appointments_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/appointments/{id}", h_appointments_update, PERM_BOOK, 0},
    {"POST", "/api/v1/appointments/{id}/status", h_appointments_status, A, 0},
    {"POST", "/api/v1/appointments/{id}/dispatch", h_appointments_dispatch, PERM_DISPATCH, 0},
    {"POST", "/api/v1/booking-failures", h_booking_failures_create, PERM_BOOK, 0},
    {"GET", "/api/v1/board", h_board_get, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/board/welcome", h_board_welcome, A, 0},
    {"POST", "/api/v1/board/{key}/confirmations", h_board_confirm, PERM_BOARD_CONFIRM, 0},
    {"GET", "/api/v1/shelves", h_parts_shelves, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/purchase-orders", h_purchase_orders_list, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/purchase-orders/{id}", h_purchase_orders_get, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/purchase-orders/{id}/receive", h_purchase_orders_receive, PERM_PARTS_MANAGE,
     0},
    {"GET", "/api/v1/shortages", h_shortages_list, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/shortages", h_shortages_create, PERM_PARTS_MANAGE, 0},
    {"PATCH", "/api/v1/shortages/{id}", h_shortages_update, PERM_PARTS_MANAGE, 0},
    {"GET", "/api/v1/reports/bookings", h_reports_bookings, PERM_REPORT_READ, 0},
    {"GET", "/api/v1/reports/utilisation", h_reports_utilisation, PERM_REPORT_READ, 0},
    {"GET", "/api/v1/reports/workshop", h_reports_workshop, A, 0},
    {"GET", "/api/v1/reports/reminder-coverage", h_reports_reminder_coverage, PERM_REPORT_READ, 0},
    /* CS-6, IN-20: complaints and enquiries (closing and reopening: the store checks the owner
     * or a service manager). */
    {"POST", "/api/v1/complaints", h_complaints_create, PERM_COMPLAINT, 0},
    {"GET", "/api/v1/complaints", h_complaints_list, PERM_COMPLAINT, 0},
    {"GET", "/api/v1/complaints/{id}", h_complaints_get, PERM_COMPLAINT, 0},
    {"POST", "/api/v1/complaints/{id}/actions", h_complaints_action, PERM_COMPLAINT, 0},
    {"POST", "/api/v1/complaints/{id}/status", h_complaints_status, PERM_COMPLAINT, 0},
    {"POST", "/api/v1/customers/classify", h_customers_classify, PERM_PLAN_MANAGE, 0},
    {"GET", "/api/v1/reports/credit", h_reports_credit, A, 0},
    {"POST", "/api/v1/repair-orders", h_repair_orders_create, PERM_REPAIR_ORDER, 0},
    {"GET", "/api/v1/repair-orders", h_repair_orders_list, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/repair-orders/{id}", h_repair_orders_get, PERM_ARCHIVE_READ, 0},
    {"PATCH", "/api/v1/repair-orders/{id}", h_repair_orders_update, PERM_REPAIR_ORDER, 0},
    {"POST", "/api/v1/repair-orders/{id}/lines", h_repair_orders_add_line, A, 0},
    {"POST", "/api/v1/repair-orders/{id}/lines/{id}/decision", h_repair_orders_decide,
     PERM_REPAIR_ORDER, 0},
    {"POST", "/api/v1/repair-orders/{id}/lines/{id}/clock", h_repair_orders_clock, PERM_DISPATCH,
     0},
    {"POST", "/api/v1/repair-orders/{id}/status", h_repair_orders_status, A, 0},
    {"POST", "/api/v1/repair-orders/{id}/settle", h_repair_orders_settle, PERM_REPAIR_ORDER, 0},
    {"GET", "/api/v1/receivables", h_receivables_list, PERM_REPAIR_ORDER, 0},
    {"POST", "/api/v1/receivables/{id}/payments", h_receivables_pay, PERM_REPAIR_ORDER, 0},
    {"GET", "/api/v1/reception", h_reception, PERM_ARCHIVE_READ, 0},
    {"GET", "/api/v1/jobs", h_jobs, PERM_ARCHIVE_READ, 0},
    {"POST", "/api/v1/vehicles/{id}/declined-work/{id}/dismiss", h_declined_work_dismiss,
     PERM_TASK_WORK, 0},
    /* IN-21: the service manager (and the administrator) score; an advisor reads their own
     * (the handlers check). */
    {"POST", "/api/v1/call-reviews", h_call_reviews_create, PERM_CALL_REVIEW, 0},
    {"GET", "/api/v1/call-reviews", h_call_reviews_list, A, 0},
    {"GET", "/api/v1/call-reviews/{id}", h_call_reviews_get, A, 0},
    {"PATCH", "/api/v1/call-reviews/{id}", h_call_reviews_update, PERM_CALL_REVIEW, 0},
    {"DELETE", "/api/v1/call-reviews/{id}", h_call_reviews_delete, PERM_CALL_REVIEW, 0},
    {"GET", "/api/v1/reports/call-quality", h_reports_call_quality, PERM_CALL_REVIEW, 0},
};
#undef A

const struct route *router_routes(size_t *n)
{
    *n = sizeof ROUTES / sizeof ROUTES[0];
    return ROUTES;
}

/* Matches path against pattern, collecting {id} segments. Ids are positive integers; any
 * other text in an {id} position does not match (so the request answers 404). A {key}
 * segment is text (A-Z a-z 0-9 - _ ., at most REQ_KEY_MAX bytes: a part number, a date),
 * copied to key. */
static bool match(const char *pattern, const char *path, int64_t ids[ID_MAX], int *n_ids,
                  char key[REQ_KEY_MAX + 1])
{
    *n_ids = 0;
    key[0] = '\0';
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (strncmp(p, "{key}", 5) == 0) {
            size_t len = 0;
            while (isalnum((unsigned char)s[len]) || s[len] == '-' || s[len] == '_' ||
                   s[len] == '.')
                len++;
            if (len == 0 || len > REQ_KEY_MAX)
                return false;
            memcpy(key, s, len);
            key[len] = '\0';
            s += len;
            p += 5;
            continue;
        }
        if (strncmp(p, "{id}", 4) == 0) {
            int64_t v = 0;
            int digits = 0;
            while (*s >= '0' && *s <= '9') {
                if (++digits > 15)
                    return false;
                v = v * 10 + (*s++ - '0');
            }
            if (digits == 0 || v == 0 || *n_ids == ID_MAX)
                return false;
            ids[(*n_ids)++] = v;
            p += 4;
            continue;
        }
        if (*p != *s)
            return false;
        p++, s++;
    }
    /* A trailing slash is tolerated. */
    return *p == '\0' && (*s == '\0' || (s[0] == '/' && s[1] == '\0'));
}

static int run(struct req *r, const struct route *rt)
{
    req_set_clock(r);
    if (rt->flags & R_OWN_TXN) {
        /* Who asks is known before the handler starts, in a short read transaction. */
        if (rt->perm != AUTH_NONE) {
            if (req_begin(r, false) < 0) {
                req_finish(r, false, true);
                return -1;
            }
            req_set_today(r);
            if (req_commit(r) < 0)
                return -1;
        }
        int ok = rt->fn(r);
        if (req_finish(r, ok == 0, true) < 0 || ok < 0)
            return -1;
        return 0;
    }
    int rc = db_begin(r->db, req_is_write(r->method) || (rt->flags & R_WRITES));
    if (rc < 0)
        return store_db_fail(r->db, rc, &r->err);
    r->in_txn = true;
    if (rt->perm != AUTH_NONE) {
        if (req_authenticate(r, rt) < 0) {
            req_finish(r, false, false);
            return -1;
        }
        req_set_today(r);
    }
    if (rt->fn(r) < 0) {
        req_finish(r, false, false);
        return -1;
    }
    return req_finish(r, true, false);
}

static json_t *error_body(const struct dms_error *e)
{
    return json_pack("{s:{s:s, s:s, s:o}}", "error", "code", e->code, "message", e->message,
                     "field", e->field[0] ? json_string(e->field) : json_null());
}

static void finish_error(struct req *r)
{
    r->status = errors_status(r->err.code);
    /* (Not each sign-in a flood gets refused for want of a hashing slot: that is a flood.) */
    if (r->status >= 500 && !dms_error_is(&r->err, "overloaded"))
        fprintf(stderr, "dms: %s %s: %s: %s\n", r->method, r->path, r->err.code, r->err.message);
    if (r->status == 500) {
        /* Internal details stay in the log. */
        dms_fail(&r->err, "internal", NULL, "internal error; see the server log");
    }
    json_decref(r->resp);
    r->resp = error_body(&r->err);
    /* What a refusal carries besides the error (a booking's fresh options). */
    if (r->err_extra && r->status < 500)
        json_object_update(r->resp, r->err_extra);
    json_decref(r->err_extra);
    r->err_extra = NULL;
}

bool router_has_path(const char *path)
{
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        int64_t ids[ID_MAX];
        int n;
        char key[REQ_KEY_MAX + 1];
        if (match(ROUTES[i].pattern, path, ids, &n, key))
            return true;
    }
    return false;
}

void router_dispatch(struct req *r, struct pool *pool, const char *body, size_t len, bool too_large)
{
    const struct route *rt = NULL;
    bool path_known = false;
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        int64_t ids[ID_MAX];
        int n;
        char key[REQ_KEY_MAX + 1];
        if (!match(ROUTES[i].pattern, r->path, ids, &n, key))
            continue;
        path_known = true;
        if (strcmp(ROUTES[i].method, r->method) == 0) {
            rt = &ROUTES[i];
            memcpy(r->key, key, sizeof key);
            memcpy(r->ids, ids, sizeof ids);
            r->n_ids = n;
            break;
        }
    }
    if (!rt) {
        if (path_known)
            req_fail(r, "method_not_allowed", NULL, "%s is not allowed here", r->method);
        else
            req_fail(r, "not_found", NULL, "no such resource");
        finish_error(r);
        return;
    }
    if (too_large) {
        req_fail(r, "payload_too_large", NULL, "request bodies are limited to 1 MiB");
        finish_error(r);
        return;
    }
    r->raw_body = body;
    r->raw_len = len;
    if (body && len > 0) {
        json_error_t jerr;
        r->body = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!r->body) {
            req_fail(r, "invalid_json", NULL, "malformed JSON at line %d column %d: %s", jerr.line,
                     jerr.column, jerr.text);
            finish_error(r);
            return;
        }
    }
    r->pool = pool;
    r->route = rt;
    /* An R_OWN_TXN handler takes a connection when it needs one (req_begin). */
    if (!(rt->flags & R_OWN_TXN)) {
        r->db = pool_acquire(pool, 10000, &r->err);
        if (!r->db) {
            finish_error(r);
            return;
        }
    }
    /* A serialization failure or lock timeout is retried a few times before the client
     * hears about it. So is, once, a request whose connection the database dropped (a
     * restart) before a COMMIT went out: the server rolled it back (issue 11, defect 5). */
    int rc = -1;
    bool reconnected = false;
    for (int attempt = 0; attempt < 3; attempt++) {
        dms_error_clear(&r->err);
        json_decref(r->resp);
        r->resp = NULL;
        json_decref(r->err_extra);
        r->err_extra = NULL;
        r->n_cookies = 0;
        r->retry_after = 0;
        /* (An R_OWN_TXN route holds no connection here: it took and gave back its own.) */
        unsigned commits = r->db ? db_commits(r->db) : 0;
        rc = run(r, rt);
        if (rc < 0 && r->db && db_lost(r->db)) {
            if (db_commits(r->db) != commits)
                break; /* the COMMIT's outcome is unknown: never run twice */
            if (!reconnected && db_reconnect(r->db) == 0) {
                reconnected = true;
                continue;
            }
            dms_fail(&r->err, "busy", NULL, "the database is unavailable; try again");
            break;
        }
        /* An R_OWN_TXN handler retries its own writes; run again it would hash again (a
         * sign-in flood would cost three hashes a request). */
        if (rc == 0 || !dms_error_is(&r->err, "busy") || (rt->flags & R_OWN_TXN))
            break;
        struct timespec pause = {0, 20000000L * (attempt + 1)};
        nanosleep(&pause, NULL);
    }
    if (r->db)
        pool_release(pool, r->db);
    r->db = NULL;
    if (rc < 0) {
        finish_error(r);
        return;
    }
    if (!r->resp)
        r->resp = json_object();
}
