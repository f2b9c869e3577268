/* Stores (dealerships). Several share one database in a dealer group; every other table
 * hangs off a store. */
#include <ctype.h>

#include "core/utf8.h"
#include "store/internal.h"
#include "store/stores.h"
#include "store/zones.h"

#define STORE_COLS "id, code, name, timezone, created_at"

static int row(struct db_res *res, void *out)
{
    struct store_info *s = out;
    s->id = db_int(res, 0);
    col_copy(s->code, sizeof s->code, res, 1);
    col_copy(s->name, sizeof s->name, res, 2);
    col_copy(s->timezone, sizeof s->timezone, res, 3);
    col_copy(s->created_at, sizeof s->created_at, res, 4);
    return 0;
}

static int valid_code(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)code[i]) && code[i] != '_' && code[i] != '-')
            return 0;
    }
    return 1;
}

int stores_add(struct db *db, const struct actor *a, const char *code, const char *name,
               const char *timezone, struct store_info *out, struct dms_error *err)
{
    if (!valid_code(code))
        return dms_fail(err, "invalid_field", "code",
                        "a store code is 1-32 letters, digits, _ or -");
    long chars = utf8_length(name);
    if (chars < 1 || chars > 64 || !utf8_is_clean_text(name, false))
        return dms_fail(err, "invalid_field", "name", "a store name is 1-64 characters");
    if (!timezone || !*timezone)
        timezone = STORE_DEFAULT_TIMEZONE;
    if (!zones_known(timezone))
        return dms_fail(err, "invalid_field", "timezone",
                        "not a time zone of the tz database (e.g. Asia/Shanghai)");
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = store_one(db, row, out, err,
                       "INSERT INTO stores (code, name, timezone, created_at) VALUES (?, ?, ?, ?) "
                       "RETURNING " STORE_COLS,
                       "ssss", code, name, timezone, now);
    if (rc < 0 && dms_error_is(err, "conflict"))
        return dms_fail(err, "conflict", "code", "store code %s is taken", code);
    if (rc < 0)
        return -1;
    /* The rules' defaults (13 days, 40 km a day ...) live in the settings row's defaults. */
    rc = db_exec(db, "INSERT INTO store_settings (store_id) VALUES (?)", "i", out->id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    struct actor as_store = *a;
    as_store.store_id = out->id;
    json_t *ch = json_object();
    audit_text(ch, "code", NULL, code);
    audit_text(ch, "name", NULL, name);
    audit_text(ch, "timezone", NULL, timezone);
    rc = audit_write(db, &as_store, "create", "store", out->id, ch, err);
    json_decref(ch);
    return rc;
}

int stores_find_code(struct db *db, const char *code, struct store_info *out, struct dms_error *err)
{
    return store_one(db, row, out, err, "SELECT " STORE_COLS " FROM stores WHERE code = ?", "s",
                     code);
}

int stores_get(struct db *db, int64_t id, struct store_info *out, struct dms_error *err)
{
    int rc =
        store_one(db, row, out, err, "SELECT " STORE_COLS " FROM stores WHERE id = ?", "i", id);
    if (rc < 0)
        return -1;
    return rc ? 0 : dms_fail(err, "not_found", NULL, "no such store");
}

int stores_each(struct db *db, int (*cb)(void *ctx, const struct store_info *s), void *ctx,
                struct dms_error *err)
{
    struct db_res *res;
    int rc = db_query(db, &res, "SELECT " STORE_COLS " FROM stores ORDER BY code", "");
    if (rc < 0)
        return store_db_fail(db, rc, err);
    struct store_info s;
    while ((rc = db_step(res)) > 0) {
        row(res, &s);
        if (cb(ctx, &s) != 0)
            break;
    }
    db_done(res);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int stores_count(struct db *db, int64_t *count, struct dms_error *err)
{
    int rc = db_query_int(db, count, "SELECT COUNT(*) FROM stores", "");
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}
