/* Error mapping shared by the storage layer. */
#include <stdlib.h>

#include "store/internal.h"

int store_db_fail(struct db *db, int status, struct dms_error *err)
{
    switch (status) {
    case DB_CONFLICT:
        return dms_fail(err, "conflict", NULL, "that record already exists");
    case DB_BUSY:
        return dms_fail(err, "busy", NULL, "the database is busy; try again");
    case DB_FOREIGN:
        return dms_fail(err, "not_found", NULL, "a referenced record does not exist");
    default:
        return dms_fail(err, "db_error", NULL, "%s", db_errmsg(db));
    }
}

int store_lock_row(struct db *db, const char *table, const char *key, int64_t id, int64_t store_id,
                   struct dms_error *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = ? AND store_id = ?%s", table, key,
             db_kind(db) == DB_POSTGRES ? " FOR UPDATE" : "");
    int64_t one = 0;
    int rc = db_query_int(db, &one, sql, "ii", id, store_id);
    return rc < 0 ? store_db_fail(db, rc, err) : rc;
}

int store_day_number(struct db *db, const struct actor *a, const char *table,
                     void (*format)(dms_day day, int seq, char out[16]), const char *what,
                     char out[16], struct dms_error *err)
{
    char lo[16], hi[16], sql[160];
    format(a->today, 0, lo);
    format(a->today, 9999, hi);
    snprintf(sql, sizeof sql,
             "SELECT MAX(number) FROM %s WHERE store_id = ? AND number >= ? AND number <= ?",
             table);
    struct db_res *res;
    int rc = db_query(db, &res, sql, "iss", a->store_id, lo, hi);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    int seq = 1;
    rc = db_step(res);
    /* The sequence follows the one-letter prefix and the yymmdd. */
    if (rc > 0 && !db_is_null(res, 0))
        seq = atoi(db_text(res, 0) + 7) + 1;
    db_done(res);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (seq > 9999)
        return dms_fail(err, "conflict", "number", "今天已有 9999 张%s / 9,999 today already",
                        what);
    format(a->today, seq, out);
    return 0;
}

int store_lock_store(struct db *db, int64_t store_id, struct dms_error *err)
{
    if (db_kind(db) != DB_POSTGRES)
        return 0;
    int64_t id;
    int rc = db_query_int(db, &id, "SELECT id FROM stores WHERE id = ? FOR UPDATE", "i", store_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int store_one(struct db *db, row_reader read, void *out, struct dms_error *err, const char *sql,
              const char *types, ...)
{
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_step(res);
    bool oom = rc > 0 && read(res, out) < 0;
    db_done(res);
    if (oom)
        return dms_fail(err, "db_error", NULL, "out of memory");
    return rc < 0 ? store_db_fail(db, rc, err) : rc;
}

int store_rows(struct db *db, row_reader read, void (*clear)(void *item), size_t elem, size_t max,
               void **out, size_t *n, struct dms_error *err, const char *sql, const char *types,
               ...)
{
    *out = NULL, *n = 0;
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    size_t cap = 0, count = 0;
    char *items = NULL;
    bool oom = false;
    while (count < max && (rc = db_step(res)) > 0) {
        if (count == cap) {
            size_t grown_cap = cap ? cap * 2 : 16;
            if (grown_cap > max)
                grown_cap = max;
            char *grown = realloc(items, grown_cap * elem);
            if (!grown) {
                oom = true;
                break;
            }
            items = grown, cap = grown_cap;
        }
        memset(items + count * elem, 0, elem);
        if (read(res, items + count * elem) < 0) {
            oom = true;
            break;
        }
        count++;
    }
    db_done(res);
    if (oom || rc < 0) {
        for (size_t i = 0; clear && i < count; i++)
            clear(items + i * elem);
        free(items);
        return oom ? dms_fail(err, "db_error", NULL, "out of memory") : store_db_fail(db, rc, err);
    }
    *out = items, *n = count;
    return 0;
}
