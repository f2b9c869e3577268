/* What a backend implements (db_sqlite.c, db_pg.c); only db.c and the backends include it. */
#ifndef DMS_STORE_DB_IMPL_H
#define DMS_STORE_DB_IMPL_H

#include <stdarg.h>
#include <stddef.h>

#include "store/db.h"

#define DB_MAX_PARAMS 48

struct db_param {
    enum { P_NULL, P_INT, P_TEXT } type;
    bool integer; /* bound from i, I or b (even as NULL): PostgreSQL declares it bigint */
    int64_t i;
    const char *s;
};

struct db_ops {
    void (*close)(struct db *db);
    int (*query)(struct db *db, struct db_res **res, const char *sql, const struct db_param *params,
                 int n);
    int (*step)(struct db_res *res);
    int64_t (*col_int)(struct db_res *res, int col);
    const char *(*col_text)(struct db_res *res, int col);
    bool (*col_null)(struct db_res *res, int col);
    void (*done)(struct db_res *res);
    int (*changes)(struct db_res *res);
    int (*exec_script)(struct db *db, const char *script);
    int (*begin)(struct db *db, bool write);
    int (*commit)(struct db *db);
    void (*rollback)(struct db *db);
    int (*migration_lock)(struct db *db);
    /* The server dropped the connection (NULL: a backend without one, SQLite). */
    bool (*lost)(struct db *db);
    int (*reconnect)(struct db *db);
};

struct db {
    const struct db_ops *ops;
    enum db_kind kind;
    bool in_tx;
    unsigned commits; /* COMMITs sent on this connection (db_commits) */
    char errmsg[512];
};

struct db_res {
    struct db *db;
};

int db_sqlite_open(const char *path, struct db **out, struct dms_error *err);
int db_pg_open(const char *conninfo, struct db **out, struct dms_error *err);

void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
