/* IN-3: the booking-call search. Each searchable value is stored as all of its suffixes
 * (core/searchkey.h), so a query is a range scan on (store_id, term): "…5678" finds phones
 * and plates ending or containing 5678, "小明" finds 王小明, a VIN's last six find the car. */
#include <stdlib.h>

#include "core/searchkey.h"
#include "store/customers.h"
#include "store/internal.h"
#include "store/search.h"
#include "store/vehicles.h"

struct index_ctx {
    struct db *db;
    int64_t store_id, entity_id;
    const char *kind, *field;
    int rc;
};

static int emit(void *p, const char *suffix, size_t offset)
{
    struct index_ctx *c = p;
    c->rc =
        db_exec(c->db,
                "INSERT INTO search_terms (store_id, term, kind, entity_id, field, pos) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                "issisi", c->store_id, suffix, c->kind, c->entity_id, c->field, (int64_t)offset);
    return c->rc < 0 ? 1 : 0;
}

static int index_value(struct index_ctx *c, const char *field, const char *value, size_t min_chars)
{
    char key[SEARCH_KEY_MAX];
    search_normalize(value, key, sizeof key);
    if (!*key)
        return 0;
    c->field = field;
    search_suffixes(key, min_chars, emit, c);
    return c->rc;
}

static int clear(struct db *db, const char *kind, int64_t id)
{
    return db_exec(db, "DELETE FROM search_terms WHERE kind = ? AND entity_id = ?", "si", kind, id);
}

/* Names match from one character (a surname); numbers from three, shorter digit runs would
 * match half the archive. */
#define NAME_MIN   1
#define NUMBER_MIN 3

int search_index_customer(struct db *db, int64_t store_id, const struct customer *c,
                          struct dms_error *err)
{
    struct index_ctx ctx = {db, store_id, c->id, "customer", NULL, 0};
    int rc = clear(db, "customer", c->id);
    if (rc >= 0)
        rc = index_value(&ctx, "name", c->name, NAME_MIN);
    for (int i = 0; rc >= 0 && i < c->n_phones; i++)
        rc = index_value(&ctx, "phone", c->phones[i].number, NUMBER_MIN);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    /* CRM-5: the drivers who bring the car in find the customer too. */
    struct actor owner = {.store_id = store_id};
    struct driver *drivers;
    size_t n;
    if (drivers_list(db, &owner, c->id, &drivers, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        rc = index_value(&ctx, "driver", drivers[i].name, NAME_MIN);
        if (rc >= 0 && drivers[i].phone[0])
            rc = index_value(&ctx, "driver_phone", drivers[i].phone, NUMBER_MIN);
    }
    free(drivers);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int search_index_vehicle(struct db *db, int64_t store_id, const struct vehicle *v,
                         struct dms_error *err)
{
    struct index_ctx ctx = {db, store_id, v->id, "vehicle", NULL, 0};
    int rc = clear(db, "vehicle", v->id);
    if (rc >= 0 && v->plate[0])
        rc = index_value(&ctx, "plate", v->plate, 2);
    if (rc >= 0)
        rc = index_value(&ctx, "vin", v->vin, 4);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static void add_hit(struct search_hit *hits, size_t *n, enum search_kind kind, int64_t id,
                    const char *field, int rank)
{
    for (size_t i = 0; i < *n; i++) {
        if (hits[i].kind == kind && hits[i].id == id) {
            if (rank < hits[i].rank) {
                hits[i].rank = rank;
                snprintf(hits[i].field, sizeof hits[i].field, "%s", field);
            }
            return;
        }
    }
    if (*n == SEARCH_MAX_HITS)
        return;
    hits[*n] = (struct search_hit){.kind = kind, .id = id, .rank = rank};
    snprintf(hits[*n].field, sizeof hits[*n].field, "%s", field);
    (*n)++;
}

/* Two index probes: exact suffix equality first (the value ends with the query, or is it),
 * then the prefix range (the value contains it). Both are bounded. */
int search_run(struct db *db, const struct actor *a, const char *query, struct search_hit *hits,
               size_t *n, struct dms_error *err)
{
    char key[SEARCH_KEY_MAX], bound[SEARCH_KEY_MAX + 8];
    *n = 0;
    search_normalize(query, key, sizeof key);
    if (!search_query_ok(key))
        return dms_fail(err, "invalid_field", "q",
                        "type at least two characters (or one Chinese character)");
    search_prefix_bound(key, bound, sizeof bound);
    static const char *const sql[2] = {
        "SELECT kind, entity_id, field, pos FROM search_terms "
        "WHERE store_id = ? AND term = ? LIMIT 200",
        "SELECT kind, entity_id, field, pos FROM search_terms "
        "WHERE store_id = ? AND term >= ? AND term < ? LIMIT 200",
    };
    for (int pass = 0; pass < 2 && *n < SEARCH_MAX_HITS; pass++) {
        struct db_res *res;
        int rc = pass == 0 ? db_query(db, &res, sql[0], "is", a->store_id, key)
                           : db_query(db, &res, sql[1], "iss", a->store_id, key, bound);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        while ((rc = db_step(res)) > 0) {
            enum search_kind kind =
                strcmp(db_text(res, 0), "vehicle") == 0 ? SEARCH_VEHICLE : SEARCH_CUSTOMER;
            int rank = pass == 0 ? (db_int(res, 3) == 0 ? 0 : 1) : 2;
            add_hit(hits, n, kind, db_int(res, 1), db_text(res, 2), rank);
        }
        db_done(res);
        if (rc < 0)
            return store_db_fail(db, rc, err);
    }
    /* Best rank first; stable for equal ranks (insertion sort, at most 20). */
    for (size_t i = 1; i < *n; i++) {
        struct search_hit h = hits[i];
        size_t j = i;
        while (j > 0 && hits[j - 1].rank > h.rank) {
            hits[j] = hits[j - 1];
            j--;
        }
        hits[j] = h;
    }
    return 0;
}
