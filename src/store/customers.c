/* The customer archive (CRM-1, CRM-2, CRM-6), the people who bring the car in (CRM-5) and
 * the contact history with the customer's consent (CRM-4). */
#include <stdlib.h>

#include "core/customer.h"
#include "core/text.h"
#include "store/customers.h"
#include "store/internal.h"
#include "store/search.h"

#define CUSTOMER_COLS                                                                              \
    "c.id, c.store_id, c.name, c.title, c.type, c.classification, c.email, c.address, "            \
    "c.consent_sms, c.consent_email, c.consent_phone, c.consent_marketing, c.needs, "              \
    "c.needs_note, c.notes, c.contact_confirmed_at, c.created_at, c.updated_at, "                  \
    "(SELECT COUNT(*) FROM vehicles v WHERE v.customer_id = c.id), c.preferred_channel, "          \
    "c.sms_opted_out_at, c.erased_at, c.classification_locked, c.classification_source, "          \
    "c.classification_at, c.classification_reason"

static int row(struct db_res *res, void *out)
{
    struct customer *c = out;
    memset(c, 0, sizeof *c);
    c->id = db_int(res, 0);
    c->store_id = db_int(res, 1);
    col_copy(c->name, sizeof c->name, res, 2);
    col_copy(c->title, sizeof c->title, res, 3);
    int t = enum_index(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, db_text(res, 4));
    c->type = t < 0 ? CUSTOMER_INDIVIDUAL : (enum customer_type)t;
    int k = enum_index(CUSTOMER_CLASS_NAMES, CLASS_COUNT, db_text(res, 5));
    c->classification = k < 0 ? CLASS_REGULAR : (enum customer_class)k;
    col_copy(c->email, sizeof c->email, res, 6);
    col_copy(c->address, sizeof c->address, res, 7);
    for (int i = 0; i < CONSENT_COUNT; i++)
        c->consent[i] = db_int(res, 8 + i) != 0;
    c->needs = (unsigned)db_int(res, 12);
    col_copy(c->needs_note, sizeof c->needs_note, res, 13);
    col_copy(c->notes, sizeof c->notes, res, 14);
    col_copy(c->contact_confirmed_at, sizeof c->contact_confirmed_at, res, 15);
    col_copy(c->created_at, sizeof c->created_at, res, 16);
    col_copy(c->updated_at, sizeof c->updated_at, res, 17);
    c->vehicle_count = (int)db_int(res, 18);
    c->prefers_email = strcmp(db_text(res, 19), "email") == 0;
    col_copy(c->sms_opted_out_at, sizeof c->sms_opted_out_at, res, 20);
    col_copy(c->erased_at, sizeof c->erased_at, res, 21);
    c->classification_locked = db_int(res, 22) != 0;
    c->classification_by_rules = strcmp(db_text(res, 23), "rules") == 0;
    col_copy(c->classification_at, sizeof c->classification_at, res, 24);
    col_copy(c->classification_reason, sizeof c->classification_reason, res, 25);
    return 0;
}

/* Phones of customers with ids in [first, last], attached to the matching entries of list. */
static int load_phones(struct db *db, int64_t store_id, struct customer *list, size_t n,
                       struct dms_error *err)
{
    if (n == 0)
        return 0;
    struct db_res *res;
    int rc = db_query(db, &res,
                      "SELECT customer_id, number, label FROM customer_phones "
                      "WHERE store_id = ? AND customer_id >= ? AND customer_id <= ? "
                      "ORDER BY customer_id, position",
                      "iii", store_id, list[0].id, list[n - 1].id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    size_t j = 0;
    while ((rc = db_step(res)) > 0) {
        int64_t cid = db_int(res, 0);
        while (j < n && list[j].id < cid)
            j++;
        if (j == n)
            break;
        struct customer *c = &list[j];
        if (c->id != cid || c->n_phones == CUSTOMER_MAX_PHONES)
            continue;
        struct customer_phone *p = &c->phones[c->n_phones++];
        col_copy(p->number, sizeof p->number, res, 1);
        int l = enum_index(PHONE_LABEL_NAMES, PHONE_LABEL_COUNT, db_text(res, 2));
        p->label = l < 0 ? PHONE_LABEL_OTHER : (enum phone_label)l;
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int write_phones(struct db *db, const struct customer *c, bool replace,
                        struct dms_error *err)
{
    int rc = 0;
    if (replace)
        rc = db_exec(db, "DELETE FROM customer_phones WHERE customer_id = ? AND store_id = ?", "ii",
                     c->id, c->store_id);
    for (int i = 0; rc >= 0 && i < c->n_phones; i++)
        rc = db_exec(db,
                     "INSERT INTO customer_phones (store_id, customer_id, position, number, "
                     "label) VALUES (?, ?, ?, ?, ?)",
                     "iiiss", c->store_id, c->id, (int64_t)i, c->phones[i].number,
                     PHONE_LABEL_NAMES[c->phones[i].label]);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* "13812345678 (mobile), 075512345678 (work)": how phones read in the audit and history. */
static void phones_text(const struct customer *c, char *out, size_t cap)
{
    out[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < c->n_phones && used < cap; i++) {
        int w = snprintf(out + used, cap - used, "%s%s (%s)", i ? ", " : "", c->phones[i].number,
                         PHONE_LABEL_NAMES[c->phones[i].label]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static void needs_text(unsigned needs, char *out, size_t cap)
{
    out[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < NEED_COUNT && used < cap; i++) {
        if (needs & (1u << i)) {
            int w =
                snprintf(out + used, cap - used, "%s%s", used ? "," : "", CUSTOMER_NEED_NAMES[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
    }
}

/* The audit change set between two versions of a customer (prev may be a zeroed struct for
 * a creation). */
static json_t *diff(const struct customer *prev, const struct customer *next)
{
    json_t *ch = json_object();
    char a[512], b[512];
    audit_text(ch, "name", prev->name, next->name);
    audit_text(ch, "title", prev->title, next->title);
    audit_text(ch, "type", prev->id ? CUSTOMER_TYPE_NAMES[prev->type] : NULL,
               CUSTOMER_TYPE_NAMES[next->type]);
    audit_text(ch, "classification", prev->id ? CUSTOMER_CLASS_NAMES[prev->classification] : NULL,
               CUSTOMER_CLASS_NAMES[next->classification]);
    phones_text(prev, a, sizeof a);
    phones_text(next, b, sizeof b);
    audit_text(ch, "phones", a, b);
    audit_text(ch, "email", prev->email, next->email);
    audit_text(ch, "address", prev->address, next->address);
    static const char *const consent_fields[CONSENT_COUNT] = {"consent.sms", "consent.email",
                                                              "consent.phone", "consent.marketing"};
    for (int i = 0; i < CONSENT_COUNT; i++) {
        if (!prev->id || prev->consent[i] != next->consent[i])
            json_object_set_new(ch, consent_fields[i],
                                json_pack("[ob]",
                                          prev->id ? json_boolean(prev->consent[i]) : json_null(),
                                          next->consent[i]));
    }
    needs_text(prev->needs, a, sizeof a);
    needs_text(next->needs, b, sizeof b);
    audit_text(ch, "needs", a, b);
    audit_text(ch, "needs_note", prev->needs_note, next->needs_note);
    audit_text(ch, "notes", prev->notes, next->notes);
    audit_text(ch, "preferred_channel", prev->id ? (prev->prefers_email ? "email" : "sms") : NULL,
               next->prefers_email ? "email" : "sms");
    audit_text(ch, "sms_opted_out_at", prev->sms_opted_out_at, next->sms_opted_out_at);
    /* CRM-2: a class set by hand, and its lock. */
    audit_bool(ch, "classification_locked", prev->classification_locked,
               next->classification_locked);
    if (prev->id && prev->classification_by_rules != next->classification_by_rules)
        audit_text(ch, "classification_source", prev->classification_by_rules ? "rules" : "hand",
                   next->classification_by_rules ? "rules" : "hand");
    return ch;
}

static int fetch(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                 struct dms_error *err)
{
    int rc =
        store_one(db, row, out, err,
                  "SELECT " CUSTOMER_COLS " FROM customers c WHERE c.id = ? AND c.store_id = ?",
                  "ii", id, a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such customer");
    return load_phones(db, a->store_id, out, 1, err);
}

int customers_get(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                  struct dms_error *err)
{
    return fetch(db, a, id, out, err);
}

int customers_get_for_update(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                             struct dms_error *err)
{
    /* Two concurrent edits cannot lose one another. */
    int rc = store_lock_row(db, "customers", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no such customer");
    if (fetch(db, a, id, out, err) < 0)
        return -1;
    /* PIPL: an erased customer gets no personal data again (privacy.c). */
    if (out->erased_at[0])
        return dms_fail(err, "customer_erased", NULL,
                        "this customer's personal data was erased on request; nothing about them "
                        "can be recorded again");
    return 0;
}

static int write_row(struct db *db, const struct actor *a, struct customer *c, bool insert,
                     struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc;
    if (insert) {
        rc = db_query_int(
            db, &c->id,
            "INSERT INTO customers (store_id, name, title, type, classification, email, "
            "address, consent_sms, consent_email, consent_phone, consent_marketing, needs, "
            "needs_note, notes, created_at, updated_at, preferred_channel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            "isttsttbbbbittsss", a->store_id, c->name, c->title, CUSTOMER_TYPE_NAMES[c->type],
            CUSTOMER_CLASS_NAMES[c->classification], c->email, c->address, c->consent[CONSENT_SMS],
            c->consent[CONSENT_EMAIL], c->consent[CONSENT_PHONE], c->consent[CONSENT_MARKETING],
            (int64_t)c->needs, c->needs_note, c->notes, now, now,
            c->prefers_email ? "email" : "sms");
        c->store_id = a->store_id;
    } else {
        rc = db_exec(db,
                     "UPDATE customers SET name = ?, title = ?, type = ?, classification = ?, "
                     "email = ?, address = ?, consent_sms = ?, consent_email = ?, "
                     "consent_phone = ?, consent_marketing = ?, needs = ?, needs_note = ?, "
                     "notes = ?, updated_at = ?, preferred_channel = ?, "
                     "sms_opted_out_at = CASE WHEN ? = 1 THEN NULL ELSE sms_opted_out_at END "
                     "WHERE id = ? AND store_id = ?",
                     "sttsttbbbbittssbii", c->name, c->title, CUSTOMER_TYPE_NAMES[c->type],
                     CUSTOMER_CLASS_NAMES[c->classification], c->email, c->address,
                     c->consent[CONSENT_SMS], c->consent[CONSENT_EMAIL], c->consent[CONSENT_PHONE],
                     c->consent[CONSENT_MARKETING], (int64_t)c->needs, c->needs_note, c->notes, now,
                     c->prefers_email ? "email" : "sms", !c->sms_opted_out_at[0], c->id,
                     a->store_id);
    }
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int customers_create(struct db *db, const struct actor *a, struct customer *c,
                     struct dms_error *err)
{
    if (write_row(db, a, c, true, err) < 0 || write_phones(db, c, false, err) < 0 ||
        search_index_customer(db, a->store_id, c, err) < 0)
        return -1;
    struct customer none;
    memset(&none, 0, sizeof none);
    json_t *ch = diff(&none, c);
    int rc = audit_write(db, a, "create", "customer", c->id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return fetch(db, a, c->id, c, err);
}

static bool same_phones(const struct customer *x, const struct customer *y)
{
    if (x->n_phones != y->n_phones)
        return false;
    for (int i = 0; i < x->n_phones; i++) {
        if (strcmp(x->phones[i].number, y->phones[i].number) != 0 ||
            x->phones[i].label != y->phones[i].label)
            return false;
    }
    return true;
}

bool customers_contact_differs(const struct customer *prev, const struct customer *next)
{
    return !same_phones(prev, next) || strcmp(prev->email, next->email) != 0 ||
           strcmp(prev->address, next->address) != 0;
}

static int history(struct db *db, const struct actor *a, int64_t customer_id, const char *event,
                   const char *field, const char *old_value, const char *new_value, bool consented,
                   const char *note, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "INSERT INTO contact_history (store_id, customer_id, at, user_id, event, "
                     "field, old_value, new_value, consented, note) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iisIsttsbt", a->store_id, customer_id, now, a->user_id, event, field,
                     old_value, new_value, consented, note);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int customers_update(struct db *db, const struct actor *a, const struct customer *prev,
                     struct customer *next, bool contact_consent, int *contact_changed,
                     struct dms_error *err)
{
    char before[512], after[512];
    bool phones_differ = !same_phones(prev, next);
    bool email_differs = strcmp(prev->email, next->email) != 0;
    bool address_differs = strcmp(prev->address, next->address) != 0;
    *contact_changed = 0;
    if (phones_differ || email_differs || address_differs) {
        /* CRM-4: a contact change is recorded only with the customer's consent; without it
         * the old details stay and the refusal is noted, with no new value kept. */
        *contact_changed = contact_consent ? 1 : -1;
        const char *event = contact_consent ? "changed" : "declined";
        int rc = 0;
        if (phones_differ) {
            phones_text(prev, before, sizeof before);
            phones_text(next, after, sizeof after);
            rc = history(db, a, prev->id, event, "phones", before, contact_consent ? after : NULL,
                         contact_consent, NULL, err);
        }
        if (rc == 0 && email_differs)
            rc = history(db, a, prev->id, event, "email", prev->email,
                         contact_consent ? next->email : NULL, contact_consent, NULL, err);
        if (rc == 0 && address_differs)
            rc = history(db, a, prev->id, event, "address", prev->address,
                         contact_consent ? next->address : NULL, contact_consent, NULL, err);
        if (rc < 0)
            return -1;
        if (!contact_consent) {
            memcpy(next->phones, prev->phones, sizeof next->phones);
            next->n_phones = prev->n_phones;
            memcpy(next->email, prev->email, sizeof next->email);
            memcpy(next->address, prev->address, sizeof next->address);
            phones_differ = false;
        }
    }
    next->id = prev->id;
    next->store_id = prev->store_id;
    /* An edit that leaves every field as it was (a declined contact change and nothing
     * else) does not touch the row: updated_at stays. */
    json_t *ch = diff(prev, next);
    if (json_object_size(ch) == 0) {
        json_decref(ch);
        return fetch(db, a, prev->id, next, err);
    }
    int rc = write_row(db, a, next, false, err);
    if (rc == 0 && (prev->classification != next->classification ||
                    prev->classification_by_rules != next->classification_by_rules ||
                    prev->classification_locked != next->classification_locked)) {
        /* CRM-2: the class as set by hand (the rules write theirs in classify.c). */
        char now[TIMESTAMP_STR];
        timestamp_format_utc(a->now, now);
        bool hand = !next->classification_by_rules;
        /* Stamped when a hand-set class is new (a new class, or the rules' class taken over). */
        bool stamp =
            hand && (prev->classification_by_rules || prev->classification != next->classification);
        rc = db_exec(db,
                     "UPDATE customers SET classification_locked = ?, classification_source = ?, "
                     "classification_at = CASE WHEN ? = 1 THEN ? ELSE classification_at END, "
                     "classification_reason = CASE WHEN ? = 1 THEN 'hand' ELSE "
                     "classification_reason END WHERE id = ? AND store_id = ?",
                     "bsbsbii", next->classification_locked, hand ? "hand" : "rules", stamp, now,
                     stamp, prev->id, a->store_id);
        rc = rc < 0 ? store_db_fail(db, rc, err) : 0;
    }
    if (rc == 0 && phones_differ)
        rc = write_phones(db, next, true, err);
    if (rc == 0 && (phones_differ || strcmp(prev->name, next->name) != 0))
        rc = search_index_customer(db, a->store_id, next, err);
    if (rc == 0)
        rc = audit_write(db, a, "update", "customer", prev->id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return fetch(db, a, prev->id, next, err);
}

int customers_confirm_contact(struct db *db, const struct actor *a, int64_t id, bool confirmed,
                              const char *note, struct dms_error *err)
{
    struct customer c;
    if (customers_get_for_update(db, a, id, &c, err) < 0)
        return -1;
    if (history(db, a, id, confirmed ? "confirmed" : "declined", NULL, NULL, NULL, confirmed, note,
                err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    if (confirmed) {
        int rc = db_exec(db,
                         "UPDATE customers SET contact_confirmed_at = ? WHERE id = ? AND "
                         "store_id = ?",
                         "sii", now, id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    json_t *ch = json_object();
    audit_text(ch, "contact_confirmed_at", c.contact_confirmed_at,
               confirmed ? now : c.contact_confirmed_at);
    json_object_set_new(ch, "outcome", json_pack("[ns]", confirmed ? "confirmed" : "declined"));
    int rc = audit_write(db, a, "confirm_contact", "customer", id, ch, err);
    json_decref(ch);
    return rc;
}

int customers_list(struct db *db, const struct actor *a, const struct customer_filter *f,
                   int64_t after, int limit, struct customer **out, size_t *n, bool *more,
                   struct dms_error *err)
{
    const char *cls = f->classification >= 0 ? CUSTOMER_CLASS_NAMES[f->classification] : "";
    const char *type = f->type >= 0 ? CUSTOMER_TYPE_NAMES[f->type] : "";
    if (store_rows(db, row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " CUSTOMER_COLS " FROM customers c WHERE c.store_id = ? "
                   "AND c.id > ? AND (? = '' OR c.classification = ?) "
                   "AND (? = '' OR c.type = ?) ORDER BY c.id LIMIT ?",
                   "iissssi", a->store_id, after, cls, cls, type, type, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    if (load_phones(db, a->store_id, *out, *n, err) < 0) {
        free(*out);
        *out = NULL, *n = 0;
        return -1;
    }
    return 0;
}

static int read_event(struct db_res *res, void *out)
{
    struct contact_event *e = out;
    e->id = db_int(res, 0);
    e->user_id = db_int(res, 1);
    col_copy(e->username, sizeof e->username, res, 2);
    col_copy(e->at, sizeof e->at, res, 3);
    col_copy(e->event, sizeof e->event, res, 4);
    col_copy(e->field, sizeof e->field, res, 5);
    col_copy(e->old_value, sizeof e->old_value, res, 6);
    col_copy(e->new_value, sizeof e->new_value, res, 7);
    e->consented = db_int(res, 8) != 0;
    col_copy(e->note, sizeof e->note, res, 9);
    return 0;
}

int customers_contact_history(struct db *db, const struct actor *a, int64_t customer_id,
                              int64_t before, int limit, struct contact_event **out, size_t *n,
                              bool *more, struct dms_error *err)
{
    struct customer c;
    *out = NULL, *n = 0, *more = false;
    if (fetch(db, a, customer_id, &c, err) < 0)
        return -1;
    if (store_rows(db, read_event, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT h.id, h.user_id, COALESCE(u.username, 'cli'), h.at, h.event, "
                   "h.field, h.old_value, h.new_value, h.consented, h.note "
                   "FROM contact_history h LEFT JOIN users u ON u.id = h.user_id "
                   "WHERE h.customer_id = ? AND h.store_id = ? "
                   "AND (CAST(? AS BIGINT) = 0 OR h.id < ?) ORDER BY h.id DESC LIMIT ?",
                   "iiiii", customer_id, a->store_id, before, before, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}

int drivers_add(struct db *db, const struct actor *a, struct driver *d, struct dms_error *err)
{
    struct customer c;
    if (customers_get_for_update(db, a, d->customer_id, &c, err) < 0)
        return -1;
    int64_t count = 0;
    int rc = db_query_int(db, &count,
                          "SELECT COUNT(*) FROM customer_drivers WHERE customer_id = ? AND "
                          "store_id = ?",
                          "ii", d->customer_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (count >= CUSTOMER_MAX_DRIVERS)
        return dms_fail(err, "invalid_field", "drivers", "at most %d drivers per customer",
                        CUSTOMER_MAX_DRIVERS);
    timestamp_format_utc(a->now, d->created_at);
    rc = db_query_int(db, &d->id,
                      "INSERT INTO customer_drivers (store_id, customer_id, name, phone, "
                      "relation, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                      "iisttt", a->store_id, d->customer_id, d->name, d->phone, d->relation,
                      d->created_at);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (search_index_customer(db, a->store_id, &c, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_int(ch, "customer_id", 0, d->customer_id);
    audit_text(ch, "name", NULL, d->name);
    audit_text(ch, "phone", NULL, d->phone);
    audit_text(ch, "relation", NULL, d->relation);
    rc = audit_write(db, a, "create", "driver", d->id, ch, err);
    json_decref(ch);
    return rc;
}

static int read_driver(struct db_res *res, void *out)
{
    struct driver *d = out;
    d->id = db_int(res, 0);
    d->customer_id = db_int(res, 1);
    col_copy(d->name, sizeof d->name, res, 2);
    col_copy(d->phone, sizeof d->phone, res, 3);
    col_copy(d->relation, sizeof d->relation, res, 4);
    col_copy(d->created_at, sizeof d->created_at, res, 5);
    return 0;
}

int drivers_list(struct db *db, const struct actor *a, int64_t customer_id, struct driver **out,
                 size_t *n, struct dms_error *err)
{
    return store_rows(db, read_driver, NULL, sizeof **out, CUSTOMER_MAX_DRIVERS, (void **)out, n,
                      err,
                      "SELECT id, customer_id, name, phone, relation, created_at "
                      "FROM customer_drivers WHERE customer_id = ? AND store_id = ? ORDER BY id",
                      "ii", customer_id, a->store_id);
}

int drivers_delete(struct db *db, const struct actor *a, int64_t customer_id, int64_t driver_id,
                   struct dms_error *err)
{
    struct customer c;
    if (customers_get_for_update(db, a, customer_id, &c, err) < 0)
        return -1;
    struct db_res *res;
    int rc = db_query(db, &res,
                      "DELETE FROM customer_drivers WHERE id = ? AND customer_id = ? AND "
                      "store_id = ? RETURNING name, phone, relation",
                      "iii", driver_id, customer_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    rc = db_step(res);
    if (rc > 0) {
        audit_text(ch, "name", db_text(res, 0), NULL);
        audit_text(ch, "phone", db_text(res, 1), NULL);
        audit_text(ch, "relation", db_text(res, 2), NULL);
    }
    db_done(res);
    if (rc <= 0) {
        json_decref(ch);
        return rc < 0 ? store_db_fail(db, rc, err)
                      : dms_fail(err, "not_found", NULL, "no such driver");
    }
    if (search_index_customer(db, a->store_id, &c, err) < 0) {
        json_decref(ch);
        return -1;
    }
    rc = audit_write(db, a, "delete", "driver", driver_id, ch, err);
    json_decref(ch);
    return rc;
}
