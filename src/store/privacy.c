/* A customer's rights over their personal data (PIPL; issue 11): a copy of everything the
 * store keeps about them, erasure on request, and a record of every time a member of staff
 * saw their full phone numbers.
 *
 * Erasure anonymises rather than deletes: the customer's row, vehicles, repair orders,
 * readings, bookings, calls and messages stay, so that the store's figures (revenue, visits,
 * call and booking rates) keep adding up, but every value that tells who the customer is or
 * how to reach them is removed: name, title, phones, e-mail, address, notes and needs, the
 * drivers (names and phones), the plates of their cars, the words of their bookings, the notes
 * of their calls and repair orders, the recipients and texts of their messages, the values in
 * the contact history, and those values in the earlier audit rows of all these. The VIN is
 * kept: it names the car, not its owner, and the store must still find the car for a recall
 * or warranty campaign (a legal duty of the maker and its dealers). Queued messages and open
 * tasks stop, every consent is withdrawn, and the customer cannot be edited or contacted
 * again (customer_erased). */
#include <stdarg.h>
#include <stdlib.h>

#include "core/text.h"
#include "store/customers.h"
#include "store/internal.h"
#include "store/parts.h"
#include "store/privacy.h"

/* ---- reading rows into JSON ---- */

/* One column of a dump: its JSON name and type: 'i' integer, 'b' 0/1 as a boolean, 't' text,
 * 'j' JSON text (parsed). NULL is null whatever the type. */
struct col {
    const char *name;
    char type;
};

static json_t *col_json(struct db_res *res, int i, char type)
{
    if (db_is_null(res, i))
        return json_null();
    switch (type) {
    case 'i':
        return json_integer(db_int(res, i));
    case 'b':
        return json_boolean(db_int(res, i) != 0);
    case 'j': {
        json_t *v = json_loads(db_text(res, i), 0, NULL);
        return v ? v : json_string(db_text(res, i));
    }
    default:
        return json_string(db_text(res, i));
    }
}

/* Appends one object per row of sql to array. */
static int dump(struct db *db, json_t *array, const struct col *cols, struct dms_error *err,
                const char *sql, const char *types, ...)
{
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    while ((rc = db_step(res)) > 0) {
        json_t *o = json_object();
        for (int i = 0; cols[i].name; i++)
            json_object_set_new(o, cols[i].name, col_json(res, i, cols[i].type));
        json_array_append_new(array, o);
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* The ids sql returns, into a malloc'ed array. */
static int ids_of(struct db *db, int64_t **out, size_t *n, struct dms_error *err, const char *sql,
                  const char *types, ...)
{
    *out = NULL, *n = 0;
    size_t cap = 0;
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    bool oom = false;
    while ((rc = db_step(res)) > 0) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                oom = true;
                break;
            }
            *out = grown;
        }
        (*out)[(*n)++] = db_int(res, 0);
    }
    db_done(res);
    if (oom || rc < 0) {
        free(*out);
        *out = NULL, *n = 0;
        return oom ? dms_fail(err, "internal", NULL, "out of memory") : store_db_fail(db, rc, err);
    }
    return 0;
}

/* ---- export (PIPL: a copy of the customer's personal data) ---- */

static const struct col CUSTOMER[] = {{"id", 'i'},
                                      {"name", 't'},
                                      {"title", 't'},
                                      {"type", 't'},
                                      {"classification", 't'},
                                      {"email", 't'},
                                      {"address", 't'},
                                      {"consent_sms", 'b'},
                                      {"consent_email", 'b'},
                                      {"consent_phone", 'b'},
                                      {"consent_marketing", 'b'},
                                      {"needs", 'i'},
                                      {"needs_note", 't'},
                                      {"notes", 't'},
                                      {"contact_confirmed_at", 't'},
                                      {"preferred_channel", 't'},
                                      {"sms_opted_out_at", 't'},
                                      {"erased_at", 't'},
                                      {"created_at", 't'},
                                      {"updated_at", 't'},
                                      {NULL, 0}};
static const struct col PHONES[] = {{"position", 'i'}, {"number", 't'}, {"label", 't'}, {NULL, 0}};
static const struct col DRIVERS[] = {{"id", 'i'},       {"name", 't'},       {"phone", 't'},
                                     {"relation", 't'}, {"created_at", 't'}, {NULL, 0}};
static const struct col VEHICLES[] = {{"id", 'i'},
                                      {"vin", 't'},
                                      {"vin_verified", 'b'},
                                      {"plate", 't'},
                                      {"brand", 't'},
                                      {"model", 't'},
                                      {"model_year", 'i'},
                                      {"purchase_date", 't'},
                                      {"mileage_km", 'i'},
                                      {"mileage_date", 't'},
                                      {"insurance_expiry", 't'},
                                      {"inspection_expiry", 't'},
                                      {"next_due_date", 't'},
                                      {"next_due_km", 'i'},
                                      {"created_at", 't'},
                                      {"updated_at", 't'},
                                      {NULL, 0}};
static const struct col RECORDS[] = {{"id", 'i'},
                                     {"vehicle_id", 'i'},
                                     {"date", 't'},
                                     {"date_out", 't'},
                                     {"mileage_km", 'i'},
                                     {"kind", 't'},
                                     {"technician", 't'},
                                     {"notes", 't'},
                                     {"labour_fen", 'i'},
                                     {"parts_fen", 'i'},
                                     {"total_fen", 'i'},
                                     {"created_at", 't'},
                                     {NULL, 0}};
static const struct col LABOUR[] = {{"service_record_id", 'i'}, {"code", 't'},
                                    {"operation", 't'},         {"hours_x100", 'i'},
                                    {"amount_fen", 'i'},        {NULL, 0}};
static const struct col PARTS[] = {
    {"service_record_id", 'i'}, {"part_no", 't'},    {"name", 't'}, {"qty", 'i'},
    {"unit_price_fen", 'i'},    {"amount_fen", 'i'}, {NULL, 0}};
static const struct col READINGS[] = {{"id", 'i'}, {"vehicle_id", 'i'}, {"date", 't'},
                                      {"km", 'i'}, {"source", 't'},     {"created_at", 't'},
                                      {NULL, 0}};
static const struct col TASKS[] = {{"id", 'i'},
                                   {"type", 't'},
                                   {"vehicle_id", 'i'},
                                   {"reason", 't'},
                                   {"due_date", 't'},
                                   {"deadline", 't'},
                                   {"status", 't'},
                                   {"attempts", 'i'},
                                   {"last_outcome", 't'},
                                   {"reached", 'b'},
                                   {"booked", 'b'},
                                   {"contact_name", 't'},
                                   {"contact_phone", 't'},
                                   {"created_at", 't'},
                                   {"closed_at", 't'},
                                   {NULL, 0}};
static const struct col ATTEMPTS[] = {
    {"id", 'i'},         {"task_id", 'i'},       {"at", 't'}, {"outcome", 't'}, {"notes", 't'},
    {"mileage_km", 'i'}, {"special_needs", 't'}, {NULL, 0}};
static const struct col MESSAGES[] = {
    {"id", 'i'},      {"kind", 't'}, {"channel", 't'}, {"vehicle_id", 'i'},    {"recipient", 't'},
    {"subject", 't'}, {"body", 't'}, {"status", 't'},  {"status_reason", 't'}, {"created_at", 't'},
    {"sent_at", 't'}, {NULL, 0}};
static const struct col APPOINTMENTS[] = {
    {"id", 'i'},          {"vehicle_id", 'i'}, {"case", 't'},           {"status", 't'},
    {"flexibility", 't'}, {"day", 't'},        {"start_min", 'i'},      {"end_min", 'i'},
    {"period_from", 't'}, {"period_to", 't'},  {"customer_words", 't'}, {"services", 'i'},
    {"source", 't'},      {"total_fen", 'i'},  {"created_at", 't'},     {NULL, 0}};
static const struct col FAILURES[] = {{"id", 'i'},   {"vehicle_id", 'i'}, {"reason", 't'},
                                      {"note", 't'}, {"source", 't'},     {"day", 't'},
                                      {NULL, 0}};
static const struct col HISTORY[] = {
    {"id", 'i'},        {"at", 't'},        {"by", 't'},        {"event", 't'}, {"field", 't'},
    {"old_value", 't'}, {"new_value", 't'}, {"consented", 'b'}, {"note", 't'},  {NULL, 0}};
static const struct col AUDIT[] = {{"id", 'i'},     {"at", 't'},      {"actor", 't'},
                                   {"action", 't'}, {"changes", 'j'}, {NULL, 0}};

int customers_export(struct db *db, const struct actor *a, int64_t id, json_t **out,
                     struct dms_error *err)
{
    *out = NULL;
    int64_t s = a->store_id;
    json_t *doc = json_object(), *customer = json_array();
    int rc = dump(db, customer, CUSTOMER, err,
                  "SELECT id, name, title, type, classification, email, address, consent_sms, "
                  "consent_email, consent_phone, consent_marketing, needs, needs_note, notes, "
                  "contact_confirmed_at, preferred_channel, sms_opted_out_at, erased_at, "
                  "created_at, updated_at FROM customers WHERE id = ? AND store_id = ?",
                  "ii", id, s);
    if (rc == 0 && json_array_size(customer) == 0)
        rc = dms_fail(err, "not_found", NULL, "no such customer");
    if (rc < 0) {
        json_decref(customer); /* not in doc yet */
        goto fail;
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    json_object_set_new(doc, "format", json_string("dms customer export 1"));
    json_object_set_new(doc, "exported_at", json_string(now));
    json_object_set_new(doc, "exported_by", json_string(a->username ? a->username : "cli"));
    json_object_set(doc, "customer", json_array_get(customer, 0));
    json_decref(customer);
    struct part {
        const char *key;
        const struct col *cols;
        const char *sql;
    } parts[] = {
        {"phones", PHONES,
         "SELECT position, number, label FROM customer_phones WHERE customer_id = ? AND "
         "store_id = ? ORDER BY position"},
        {"drivers", DRIVERS,
         "SELECT id, name, phone, relation, created_at FROM customer_drivers WHERE "
         "customer_id = ? AND store_id = ? ORDER BY id"},
        {"vehicles", VEHICLES,
         "SELECT id, vin, vin_verified, plate, brand, model, model_year, purchase_date, "
         "mileage_km, mileage_date, insurance_expiry, inspection_expiry, next_due_date, "
         "next_due_km, created_at, updated_at FROM vehicles WHERE customer_id = ? AND "
         "store_id = ? ORDER BY id"},
        {"service_records", RECORDS,
         "SELECT id, vehicle_id, date_in, date_out, mileage_km, kind, technician, notes, "
         "labour_fen, parts_fen, total_fen, created_at FROM service_records WHERE "
         "customer_id = ? AND store_id = ? ORDER BY date_in, id"},
        {"service_labour", LABOUR,
         "SELECT l.record_id, l.code, l.operation, l.hours_x100, l.amount_fen FROM "
         "service_labour l JOIN service_records r ON r.id = l.record_id WHERE "
         "r.customer_id = ? AND r.store_id = ? ORDER BY l.record_id, l.position"},
        {"service_parts", PARTS,
         "SELECT p.record_id, p.part_no, p.name, p.qty, p.unit_price_fen, p.amount_fen FROM "
         "service_parts p JOIN service_records r ON r.id = p.record_id WHERE "
         "r.customer_id = ? AND r.store_id = ? ORDER BY p.record_id, p.position"},
        {"mileage_readings", READINGS,
         "SELECT m.id, m.vehicle_id, m.date, m.km, m.source, m.created_at FROM "
         "mileage_readings m JOIN vehicles v ON v.id = m.vehicle_id WHERE v.customer_id = ? "
         "AND m.store_id = ? ORDER BY m.vehicle_id, m.date, m.id"},
        {"tasks", TASKS,
         "SELECT id, type, vehicle_id, reason, due_date, deadline, status, attempts, "
         "last_outcome, reached, booked, contact_name, contact_phone, created_at, closed_at "
         "FROM tasks WHERE customer_id = ? AND store_id = ? ORDER BY id"},
        {"call_attempts", ATTEMPTS,
         "SELECT t2.id, t2.task_id, t2.at, t2.outcome, t2.notes, t2.mileage_km, "
         "t2.special_needs FROM task_attempts t2 JOIN tasks t ON t.id = t2.task_id WHERE "
         "t.customer_id = ? AND t.store_id = ? ORDER BY t2.id"},
        {"messages", MESSAGES,
         "SELECT id, kind, channel, vehicle_id, recipient, subject, body, status, "
         "status_reason, created_at, sent_at FROM messages WHERE customer_id = ? AND "
         "store_id = ? ORDER BY id"},
        {"appointments", APPOINTMENTS,
         "SELECT id, vehicle_id, case_code, status, flexibility, day, start_min, end_min, "
         "period_from, period_to, customer_words, services, source, total_fen, created_at FROM "
         "appointments WHERE customer_id = ? AND store_id = ? ORDER BY id"},
        {"booking_failures", FAILURES,
         "SELECT id, vehicle_id, reason, note, source, day FROM booking_failures WHERE "
         "customer_id = ? AND store_id = ? ORDER BY id"},
        {"contact_history", HISTORY,
         "SELECT h.id, h.at, COALESCE(u.username, 'cli'), h.event, h.field, h.old_value, "
         "h.new_value, h.consented, h.note FROM contact_history h LEFT JOIN users u ON "
         "u.id = h.user_id WHERE h.customer_id = ? AND h.store_id = ? ORDER BY h.id"},
        /* Who did what with the customer's record: edits, reveals of the phone numbers,
         * exports. */
        {"audit", AUDIT,
         "SELECT id, at, actor, action, changes FROM audit_log WHERE entity = 'customer' AND "
         "entity_id = ? AND store_id = ? ORDER BY id"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        json_t *arr = json_array();
        json_object_set_new(doc, parts[i].key, arr);
        if (dump(db, arr, parts[i].cols, err, parts[i].sql, "ii", id, s) < 0)
            goto fail;
    }
    json_t *ch = json_object();
    json_object_set_new(ch, "exported", json_pack("[nb]", 1));
    if (audit_write(db, a, "export", "customer", id, ch, err) < 0) {
        json_decref(ch);
        goto fail;
    }
    json_decref(ch);
    *out = doc;
    return 0;
fail:
    json_decref(doc);
    return -1;
}

/* ---- phone reveals ---- */

int customers_reveal_phones(struct db *db, const struct actor *a, int64_t id, const char *reason,
                            struct customer *c, struct driver **drivers, size_t *n_drivers,
                            struct dms_error *err)
{
    *drivers = NULL, *n_drivers = 0;
    if (customers_get(db, a, id, c, err) < 0)
        return -1;
    if (c->erased_at[0])
        return dms_fail(err, "customer_erased", NULL,
                        "this customer's personal data was erased on request");
    if (drivers_list(db, a, id, drivers, n_drivers, err) < 0)
        return -1;
    /* Who saw the numbers and when is the audit row itself; it holds no number. */
    json_t *ch = json_object();
    json_object_set_new(ch, "phones_revealed", json_pack("[nI]", (json_int_t)c->n_phones));
    size_t with_phone = 0;
    for (size_t i = 0; i < *n_drivers; i++)
        with_phone += (*drivers)[i].phone[0] != '\0';
    if (with_phone)
        json_object_set_new(ch, "driver_phones_revealed",
                            json_pack("[nI]", (json_int_t)with_phone));
    audit_text(ch, "reason", NULL, reason);
    int rc = audit_write(db, a, "reveal", "customer", id, ch, err);
    json_decref(ch);
    if (rc < 0) {
        free(*drivers);
        *drivers = NULL, *n_drivers = 0;
    }
    return rc;
}

/* ---- erasure ---- */

#define ERASED_NAME  "已删除客户"
#define ERASED_VALUE "[erased]"

/* The change-set fields that can hold personal data, in the audit rows of a customer and of
 * their drivers, vehicles, tasks, bookings and messages. */
static const char *const PERSONAL_FIELDS[] = {"name",
                                              "title",
                                              "phones",
                                              "phone",
                                              "email",
                                              "address",
                                              "notes",
                                              "note",
                                              "needs_note",
                                              "plate",
                                              "relation",
                                              "recipient",
                                              "subject",
                                              "body",
                                              "customer_words",
                                              "words",
                                              "contact_name",
                                              "contact_phone",
                                              "special_needs",
                                              "old_value",
                                              "new_value",
                                              "reason",
                                              NULL};

/* Replaces every non-null value of a personal field in one audit row's change set. */
static json_t *scrub_changes(const char *text, bool *changed)
{
    *changed = false;
    json_t *ch = json_loads(text, 0, NULL);
    if (!json_is_object(ch)) {
        json_decref(ch);
        return NULL;
    }
    for (size_t f = 0; PERSONAL_FIELDS[f]; f++) {
        json_t *v = json_object_get(ch, PERSONAL_FIELDS[f]);
        if (!v)
            continue;
        if (json_is_array(v)) {
            for (size_t i = 0; i < json_array_size(v); i++) {
                json_t *x = json_array_get(v, i);
                if (json_is_string(x) && strcmp(json_string_value(x), ERASED_VALUE) != 0) {
                    json_array_set_new(v, i, json_string(ERASED_VALUE));
                    *changed = true;
                }
            }
        } else if (json_is_string(v) && strcmp(json_string_value(v), ERASED_VALUE) != 0) {
            json_object_set_new(ch, PERSONAL_FIELDS[f], json_string(ERASED_VALUE));
            *changed = true;
        }
    }
    return ch;
}

/* Scrubs the audit rows of one entity. */
static int scrub_audit(struct db *db, int64_t store_id, const char *entity, int64_t entity_id,
                       size_t *scrubbed, struct dms_error *err)
{
    struct row {
        int64_t id;
        char *changes;
    } *rows = NULL;
    size_t n = 0, cap = 0;
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT id, changes FROM audit_log WHERE store_id = ? AND entity = ? AND "
                      "entity_id = ? ORDER BY id",
                      "isi", store_id, entity, entity_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    bool oom = false;
    while ((rc = db_step(res)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct row *grown = realloc(rows, cap * sizeof *rows);
            if (!grown) {
                oom = true;
                break;
            }
            rows = grown;
        }
        rows[n].id = db_int(res, 0);
        rows[n].changes = strdup(db_text(res, 1));
        if (!rows[n++].changes) {
            oom = true;
            break;
        }
    }
    db_done(res);
    if (oom)
        rc = dms_fail(err, "internal", NULL, "out of memory");
    else if (rc < 0)
        rc = store_db_fail(db, rc, err);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        bool changed;
        json_t *ch = scrub_changes(rows[i].changes, &changed);
        if (ch && changed) {
            char *text = json_dumps(ch, JSON_COMPACT | JSON_SORT_KEYS);
            if (!text) {
                rc = dms_fail(err, "internal", NULL, "out of memory");
            } else {
                int w = db_exec(db, "UPDATE audit_log SET changes = ? WHERE id = ?", "si", text,
                                rows[i].id);
                if (w < 0)
                    rc = store_db_fail(db, w, err);
                else
                    (*scrubbed)++;
            }
            free(text);
        }
        json_decref(ch);
    }
    for (size_t i = 0; i < n; i++)
        free(rows[i].changes);
    free(rows);
    return rc < 0 ? -1 : 0;
}

/* The drivers the customer ever had, also those deleted since: their audit rows hold their
 * names and phones (the creation row names the customer). */
static int driver_ids(struct db *db, int64_t store_id, int64_t customer_id, int64_t **out,
                      size_t *n, struct dms_error *err)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%%\"customer_id\":[0,%lld]%%", (long long)customer_id);
    int64_t *cand;
    size_t nc;
    if (ids_of(db, &cand, &nc, err,
               "SELECT DISTINCT entity_id FROM audit_log WHERE store_id = ? AND entity = 'driver' "
               "AND action = 'create' AND changes LIKE ?",
               "is", store_id, pattern) < 0)
        return -1;
    int64_t *now;
    size_t nn;
    if (ids_of(db, &now, &nn, err,
               "SELECT id FROM customer_drivers WHERE customer_id = ? AND store_id = ?", "ii",
               customer_id, store_id) < 0) {
        free(cand);
        return -1;
    }
    int64_t *all = realloc(cand, (nc + nn + 1) * sizeof *all);
    if (!all) {
        free(cand);
        free(now);
        return dms_fail(err, "internal", NULL, "out of memory");
    }
    if (nn) /* now is NULL when there is none (memcpy's source must not be) */
        memcpy(all + nc, now, nn * sizeof *now);
    free(now);
    *out = all, *n = nc + nn;
    return 0;
}

int customers_erase(struct db *db, const struct actor *a, int64_t id, const char *reason,
                    struct erase_report *out, struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    int64_t s = a->store_id;
    int rc = store_lock_row(db, "customers", "id", id, s, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such customer");
    struct customer c;
    if (customers_get(db, a, id, &c, err) < 0)
        return -1;
    if (c.erased_at[0]) {
        /* Idempotent: erased once, nothing more to do (and nothing to record). */
        out->already = true;
        snprintf(out->erased_at, sizeof out->erased_at, "%s", c.erased_at);
        return 0;
    }
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int64_t *drivers = NULL, *vehicles = NULL, *tasks = NULL, *appts = NULL, *messages = NULL,
            *failures = NULL;
    size_t nd = 0, nv = 0, nt = 0, na = 0, nm = 0, nf = 0;
    rc = -1;
    if (driver_ids(db, s, id, &drivers, &nd, err) < 0 ||
        ids_of(db, &vehicles, &nv, err,
               "SELECT id FROM vehicles WHERE customer_id = ? AND store_id = ?", "ii", id, s) < 0 ||
        ids_of(db, &tasks, &nt, err, "SELECT id FROM tasks WHERE customer_id = ? AND store_id = ?",
               "ii", id, s) < 0 ||
        ids_of(db, &appts, &na, err,
               "SELECT id FROM appointments WHERE customer_id = ? AND store_id = ?", "ii", id,
               s) < 0 ||
        ids_of(db, &messages, &nm, err,
               "SELECT id FROM messages WHERE customer_id = ? AND store_id = ?", "ii", id, s) < 0 ||
        ids_of(db, &failures, &nf, err,
               "SELECT id FROM booking_failures WHERE customer_id = ? AND store_id = ?", "ii", id,
               s) < 0)
        goto out;

    /* Stop what would still reach the customer. */
    int n = db_exec(db,
                    "UPDATE messages SET status = 'suppressed', status_reason = 'erased', "
                    "lease_until = NULL WHERE customer_id = ? AND store_id = ? AND "
                    "status = 'queued'",
                    "ii", id, s);
    if (n < 0)
        goto db_fail;
    out->messages_stopped = n;
    n = db_exec(db,
                "UPDATE tasks SET status = 'cancelled', closed_at = ? WHERE customer_id = ? AND "
                "store_id = ? AND status = 'open'",
                "sii", now, id, s);
    if (n < 0)
        goto db_fail;
    out->tasks_cancelled = n;

    /* Remove who they are and how to reach them; keep what the figures count. */
    static const char *const wipes[] = {
        "DELETE FROM customer_phones WHERE customer_id = ? AND store_id = ?",
        "DELETE FROM customer_drivers WHERE customer_id = ? AND store_id = ?",
        "UPDATE messages SET recipient = '', subject = NULL, body = '', last_error = NULL "
        "WHERE customer_id = ? AND store_id = ?",
        "UPDATE tasks SET contact_name = NULL, contact_phone = NULL WHERE customer_id = ? AND "
        "store_id = ?",
        /* A call-back's reason carries the caller's own words. */
        "UPDATE tasks SET reason = '" ERASED_VALUE "' WHERE customer_id = ? AND store_id = ? AND "
        "type = 'callback'",
        "UPDATE task_attempts SET notes = NULL, special_needs = NULL WHERE task_id IN (SELECT "
        "id FROM tasks WHERE customer_id = ? AND store_id = ?)",
        "UPDATE appointments SET customer_words = NULL WHERE customer_id = ? AND store_id = ?",
        "UPDATE booking_failures SET note = NULL WHERE customer_id = ? AND store_id = ?",
        "UPDATE service_records SET notes = NULL WHERE customer_id = ? AND store_id = ?",
        "UPDATE contact_history SET old_value = NULL, new_value = NULL, note = NULL WHERE "
        "customer_id = ? AND store_id = ?",
        /* CS-6: what they said in complaints, and what was noted in handling them. */
        "UPDATE complaints SET text = '" ERASED_VALUE "', resolution = NULL WHERE customer_id = ? "
        "AND store_id = ?",
        "UPDATE complaint_actions SET note = '' WHERE complaint_id IN (SELECT id FROM complaints "
        "WHERE customer_id = ? AND store_id = ?)",
        /* A plate tells who drives the car to anyone who can look it up: it goes. */
        "UPDATE vehicles SET plate = NULL WHERE customer_id = ? AND store_id = ?",
        "DELETE FROM search_terms WHERE kind = 'vehicle' AND entity_id IN (SELECT id FROM "
        "vehicles WHERE customer_id = ? AND store_id = ?) AND field = 'plate'",
    };
    for (size_t i = 0; i < sizeof wipes / sizeof wipes[0]; i++)
        if ((n = db_exec(db, wipes[i], "ii", id, s)) < 0)
            goto db_fail;
    n = db_exec(db,
                "UPDATE customers SET name = ?, title = NULL, email = NULL, address = NULL, "
                "notes = NULL, needs = 0, needs_note = NULL, consent_sms = 0, consent_email = 0, "
                "consent_phone = 0, consent_marketing = 0, contact_confirmed_at = NULL, "
                "preferred_channel = 'sms', erased_at = ?, updated_at = ? WHERE id = ? AND "
                "store_id = ?",
                "sssii", ERASED_NAME, now, now, id, s);
    if (n < 0)
        goto db_fail;
    /* Nobody finds the customer by search any more. */
    if ((n = db_exec(db, "DELETE FROM search_terms WHERE kind = 'customer' AND entity_id = ?", "i",
                     id)) < 0)
        goto db_fail;

    /* The earlier audit rows hold the values too. */
    if (scrub_audit(db, s, "customer", id, &out->audit_rows_scrubbed, err) < 0)
        goto out;
    struct {
        const char *entity;
        int64_t *ids;
        size_t n;
    } related[] = {{"driver", drivers, nd},
                   {"vehicle", vehicles, nv},
                   {"task", tasks, nt},
                   {"appointment", appts, na},
                   {"message", messages, nm},
                   /* a failed booking call's row holds the caller's words (note) */
                   {"booking_failure", failures, nf}};
    for (size_t r = 0; r < sizeof related / sizeof related[0]; r++)
        for (size_t i = 0; i < related[r].n; i++)
            if (scrub_audit(db, s, related[r].entity, related[r].ids[i], &out->audit_rows_scrubbed,
                            err) < 0)
                goto out;

    /* The erasure's own row: who, when, why, how much; none of the erased values. */
    json_t *ch = json_object();
    audit_text(ch, "erased_at", NULL, now);
    audit_text(ch, "reason", NULL, reason);
    json_object_set_new(ch, "messages_stopped",
                        json_pack("[nI]", (json_int_t)out->messages_stopped));
    json_object_set_new(ch, "tasks_cancelled", json_pack("[nI]", (json_int_t)out->tasks_cancelled));
    json_object_set_new(ch, "audit_rows_scrubbed",
                        json_pack("[nI]", (json_int_t)out->audit_rows_scrubbed));
    rc = audit_write(db, a, "erase", "customer", id, ch, err);
    json_decref(ch);
    if (rc == 0)
        snprintf(out->erased_at, sizeof out->erased_at, "%s", now);
    goto out;
db_fail:
    store_db_fail(db, n, err);
    rc = -1;
out:
    free(drivers);
    free(vehicles);
    free(tasks);
    free(appts);
    free(messages);
    free(failures);
    return rc < 0 ? -1 : 0;
}
