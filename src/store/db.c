/* The backend-neutral half of the SQL interface: URL dispatch, parameter decoding and the
 * convenience calls built on query/step/done. */
#include "store/db_impl.h"

#include <stdio.h>
#include <string.h>

void db_set_error(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
    va_end(ap);
}

int db_open(const char *url, struct db **out, struct dms_error *err)
{
    *out = NULL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        const char *path = url + 7;
        if (strncmp(path, "//", 2) == 0)
            path += 2;
        if (*path == '\0')
            return dms_fail(err, "db_open", "db", "sqlite: needs a file path");
        return db_sqlite_open(path, out, err);
    }
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return db_pg_open(url, out, err);
    return dms_fail(err, "db_open", "db",
                    "database URL must start with sqlite: or postgres:// (got \"%.40s\")", url);
}

void db_close(struct db *db)
{
    if (db)
        db->ops->close(db);
}

enum db_kind db_kind(const struct db *db)
{
    return db->kind;
}

const char *db_errmsg(const struct db *db)
{
    return db->errmsg;
}

int db_begin(struct db *db, bool write)
{
    int rc = db->ops->begin(db, write);
    /* A connection the server dropped while it sat idle (a restart) is found out here, before
     * anything ran: it is opened again and the transaction begun once more. (One dropped in
     * the middle of a transaction is for the caller: router_dispatch runs the request again
     * when no COMMIT had gone out.) */
    if (rc < 0 && db_lost(db) && db_reconnect(db) == 0)
        rc = db->ops->begin(db, write);
    if (rc == 0)
        db->in_tx = true;
    return rc;
}

int db_commit(struct db *db)
{
    db->commits++;
    int rc = db->ops->commit(db);
    if (rc == 0)
        db->in_tx = false;
    return rc;
}

void db_rollback(struct db *db)
{
    if (db->in_tx)
        db->ops->rollback(db);
    db->in_tx = false;
}

static int decode_params(struct db *db, const char *types, va_list ap, struct db_param *p)
{
    int n = 0;
    for (const char *t = types ? types : ""; *t; t++, n++) {
        if (n == DB_MAX_PARAMS) {
            db_set_error(db, "too many parameters");
            return DB_ERROR;
        }
        switch (*t) {
        case 'i':
            p[n] = (struct db_param){.type = P_INT, .integer = true, .i = va_arg(ap, int64_t)};
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            p[n] = (struct db_param){.type = v ? P_INT : P_NULL, .integer = true, .i = v};
            break;
        }
        case 'b':
            p[n] = (struct db_param){.type = P_INT, .integer = true, .i = va_arg(ap, int) ? 1 : 0};
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            p[n] = (struct db_param){.type = s ? P_TEXT : P_NULL, .s = s};
            break;
        }
        case 't': {
            const char *s = va_arg(ap, const char *);
            p[n] = (struct db_param){.type = s && *s ? P_TEXT : P_NULL, .s = s};
            break;
        }
        default:
            db_set_error(db, "unknown parameter type '%c'", *t);
            return DB_ERROR;
        }
    }
    return n;
}

int db_vquery(struct db *db, struct db_res **res, const char *sql, const char *types, va_list ap)
{
    struct db_param params[DB_MAX_PARAMS];
    int n = decode_params(db, types, ap, params);
    if (n < 0)
        return n;
    return db->ops->query(db, res, sql, params, n);
}

int db_query(struct db *db, struct db_res **res, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, res, sql, types, ap);
    va_end(ap);
    return rc;
}

int db_step(struct db_res *res)
{
    return res->db->ops->step(res);
}

int64_t db_int(struct db_res *res, int col)
{
    return res->db->ops->col_int(res, col);
}

const char *db_text(struct db_res *res, int col)
{
    return res->db->ops->col_text(res, col);
}

bool db_is_null(struct db_res *res, int col)
{
    return res->db->ops->col_null(res, col);
}

void db_done(struct db_res *res)
{
    if (res)
        res->db->ops->done(res);
}

int db_exec(struct db *db, const char *sql, const char *types, ...)
{
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return rc;
    while ((rc = db_step(res)) > 0)
        ;
    if (rc == 0)
        rc = db->ops->changes(res);
    db_done(res);
    return rc;
}

int db_query_int(struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
    struct db_res *res;
    va_list ap;
    va_start(ap, types);
    int rc = db_vquery(db, &res, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return rc;
    rc = db_step(res);
    if (rc > 0)
        *out = db_int(res, 0);
    db_done(res);
    return rc;
}

int db_exec_script(struct db *db, const char *script)
{
    return db->ops->exec_script(db, script);
}

int db_migration_lock(struct db *db)
{
    return db->ops->migration_lock(db);
}

bool db_lost(struct db *db)
{
    return db->ops->lost && db->ops->lost(db);
}

int db_reconnect(struct db *db)
{
    db->in_tx = false;
    return db->ops->reconnect ? db->ops->reconnect(db) : 0;
}

unsigned db_commits(const struct db *db)
{
    return db->commits;
}
