/* PostgreSQL backend (libpq). Statements are prepared once per connection under generated
 * names; '?' placeholders are rewritten to $1..$n outside quoted text. Parameters travel
 * as text and results come back as text, so both backends share one set of column
 * accessors' semantics. A connection the server dropped (a restart, a terminated backend) is
 * reported by db_lost() and opened again by db_reconnect() or at the next transaction. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_impl.h"

#define CACHE_SLOTS 512

struct pg_cached {
    char *sql;
    char name[16];
    int nparams;
};

struct pg_db {
    struct db base;
    PGconn *conn;
    bool lost; /* the last failure was the connection's, not the statement's */
    struct pg_cached cache[CACHE_SLOTS];
    unsigned next_name;
};

struct pg_res {
    struct db_res base;
    PGresult *r;
    int row, nrows, changes;
};

static struct pg_db *P(struct db *db)
{
    return (struct pg_db *)db;
}

/* Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot
 * connect now): the server ended the session, whatever the statement was. */
static bool connection_state(const char *state)
{
    return state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
                     strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

static int map_result(struct pg_db *p, PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    db_set_error(&p->base, "postgres: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(p->conn));
    if (PQstatus(p->conn) == CONNECTION_BAD || connection_state(state))
        p->lost = true;
    if (!state)
        return DB_ERROR;
    if (strcmp(state, "23505") == 0)
        return DB_CONFLICT;
    if (strcmp(state, "23503") == 0)
        return DB_FOREIGN;
    if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 || strcmp(state, "23P01") == 0)
        return strcmp(state, "23P01") == 0 ? DB_CONFLICT : DB_CHECK;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return DB_BUSY;
    return DB_ERROR;
}

static void clear_cache(struct pg_db *p)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        free(p->cache[i].sql);
        p->cache[i].sql = NULL;
    }
}

/* '?' -> $n, skipping '...' literals and "..." identifiers. */
static char *rewrite(const char *sql, int *nparams)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int n = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            out[o++] = c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out[o++] = c;
        } else if (c == '?') {
            o += (size_t)snprintf(out + o, 8, "$%d", ++n);
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    *nparams = n;
    return out;
}

static size_t hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 ^ (unsigned char)*s++;
    return h;
}

/* Integers are declared bigint: left to inference, "? = 0 OR t.customer_id = ?" made the
 * parameter an integer (int4) and an id of 2^31 or more failed with 500. */
#define INT8_OID 20

static int prepare(struct pg_db *p, const char *sql, const struct db_param *params, int given,
                   const char **name, int *nparams)
{
    size_t h = hash(sql);
    struct pg_cached *slot = NULL;
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct pg_cached *c = &p->cache[(h + probe) & (CACHE_SLOTS - 1)];
        if (c->sql == NULL) {
            slot = c;
            break;
        }
        if (strcmp(c->sql, sql) == 0) {
            *name = c->name;
            *nparams = c->nparams;
            return 0;
        }
    }
    if (!slot) {
        db_set_error(&p->base, "statement cache full");
        return DB_ERROR;
    }
    int n;
    char *text = rewrite(sql, &n);
    if (!text) {
        db_set_error(&p->base, "out of memory");
        return DB_ERROR;
    }
    snprintf(slot->name, sizeof slot->name, "d%u", p->next_name++);
    Oid types[DB_MAX_PARAMS];
    int declared = n == given && n <= DB_MAX_PARAMS ? n : 0;
    for (int i = 0; i < declared; i++)
        types[i] = params[i].integer ? INT8_OID : 0;
    PGresult *r = PQprepare(p->conn, slot->name, text, declared, declared ? types : NULL);
    free(text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = map_result(p, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    slot->sql = strdup(sql);
    if (!slot->sql) {
        db_set_error(&p->base, "out of memory");
        return DB_ERROR;
    }
    slot->nparams = n;
    *name = slot->name;
    *nparams = n;
    return 0;
}

static int pg_query(struct db *db, struct db_res **out, const char *sql,
                    const struct db_param *params, int n)
{
    struct pg_db *p = P(db);
    *out = NULL;
    const char *name = NULL;
    int expected = 0;
    int rc = prepare(p, sql, params, n, &name, &expected);
    if (rc < 0)
        return rc;
    if (expected != n) {
        db_set_error(db, "statement expects %d parameters, got %d", expected, n);
        return DB_ERROR;
    }
    char ints[DB_MAX_PARAMS][24];
    const char *values[DB_MAX_PARAMS];
    for (int i = 0; i < n; i++) {
        switch (params[i].type) {
        case P_NULL:
            values[i] = NULL;
            break;
        case P_INT:
            snprintf(ints[i], sizeof ints[i], "%lld", (long long)params[i].i);
            values[i] = ints[i];
            break;
        case P_TEXT:
            values[i] = params[i].s;
            break;
        }
    }
    PGresult *r = PQexecPrepared(p->conn, name, n, values, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        rc = map_result(p, r);
        PQclear(r);
        return rc;
    }
    struct pg_res *res = calloc(1, sizeof *res);
    if (!res) {
        PQclear(r);
        db_set_error(db, "out of memory");
        return DB_ERROR;
    }
    res->base.db = db;
    res->r = r;
    res->row = -1;
    res->nrows = PQntuples(r);
    res->changes = atoi(PQcmdTuples(r));
    *out = &res->base;
    return 0;
}

static int pg_step(struct db_res *res)
{
    struct pg_res *r = (struct pg_res *)res;
    if (r->row + 1 >= r->nrows) {
        r->row = r->nrows;
        return 0;
    }
    r->row++;
    return 1;
}

static int64_t pg_int(struct db_res *res, int col)
{
    struct pg_res *r = (struct pg_res *)res;
    if (r->row < 0 || r->row >= r->nrows || PQgetisnull(r->r, r->row, col))
        return 0;
    return strtoll(PQgetvalue(r->r, r->row, col), NULL, 10);
}

static const char *pg_text(struct db_res *res, int col)
{
    struct pg_res *r = (struct pg_res *)res;
    if (r->row < 0 || r->row >= r->nrows)
        return "";
    return PQgetvalue(r->r, r->row, col);
}

static bool pg_null(struct db_res *res, int col)
{
    struct pg_res *r = (struct pg_res *)res;
    return r->row < 0 || r->row >= r->nrows || PQgetisnull(r->r, r->row, col);
}

static void pg_done(struct db_res *res)
{
    struct pg_res *r = (struct pg_res *)res;
    PQclear(r->r);
    free(r);
}

static int pg_changes(struct db_res *res)
{
    return ((struct pg_res *)res)->changes;
}

static int command(struct pg_db *p, const char *sql)
{
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = map_result(p, r);
    PQclear(r);
    return rc;
}

static int pg_exec_script(struct db *db, const char *script)
{
    return command(P(db), script);
}

/* What every session starts with, on the first connection and after each reconnect (a
 * reset connection starts from the server's defaults). */
static int setup_session(struct pg_db *p)
{
    if (PQsetClientEncoding(p->conn, "UTF8") != 0) {
        db_set_error(&p->base, "postgres: %s", PQerrorMessage(p->conn));
        return DB_ERROR;
    }
    return command(p, "SET TIME ZONE 'UTC'; SET statement_timeout = '30s'");
}

static int pg_reconnect(struct db *db)
{
    struct pg_db *p = P(db);
    PQreset(p->conn);
    clear_cache(p); /* prepared statements die with the session */
    if (PQstatus(p->conn) != CONNECTION_OK) {
        db_set_error(db, "postgres: %s", PQerrorMessage(p->conn));
        p->lost = true;
        return DB_BUSY;
    }
    p->lost = false;
    return setup_session(p);
}

static bool pg_lost(struct db *db)
{
    struct pg_db *p = P(db);
    return p->lost || PQstatus(p->conn) == CONNECTION_BAD;
}

static int pg_begin(struct db *db, bool write)
{
    struct pg_db *p = P(db);
    (void)write;
    if (PQstatus(p->conn) != CONNECTION_OK) {
        int rc = pg_reconnect(db);
        if (rc < 0)
            return rc;
    }
    return command(p, "BEGIN");
}

static int pg_commit(struct db *db)
{
    struct pg_db *p = P(db);
    PGresult *r = PQexec(p->conn, "COMMIT");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = map_result(p, r);
    else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction that had failed rolls back instead. */
        db_set_error(db, "postgres: transaction was rolled back");
        rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

static void pg_rollback(struct db *db)
{
    command(P(db), "ROLLBACK");
}

static int pg_migration_lock(struct db *db)
{
    /* Transaction-scoped advisory lock: released at COMMIT/ROLLBACK. */
    return command(P(db), "SELECT pg_advisory_xact_lock(7343000001)");
}

static void pg_close(struct db *db)
{
    struct pg_db *p = P(db);
    clear_cache(p);
    PQfinish(p->conn);
    free(p);
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const struct db_ops PG_OPS = {
    .close = pg_close,
    .query = pg_query,
    .step = pg_step,
    .col_int = pg_int,
    .col_text = pg_text,
    .col_null = pg_null,
    .done = pg_done,
    .changes = pg_changes,
    .exec_script = pg_exec_script,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .migration_lock = pg_migration_lock,
    .lost = pg_lost,
    .reconnect = pg_reconnect,
};

int db_pg_open(const char *conninfo, struct db **out, struct dms_error *err)
{
    struct pg_db *p = calloc(1, sizeof *p);
    if (!p)
        return dms_fail(err, "db_open", "db", "out of memory");
    p->base.ops = &PG_OPS;
    p->base.kind = DB_POSTGRES;
    p->conn = PQconnectdb(conninfo);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        dms_fail(err, "db_open", "db", "cannot connect to PostgreSQL: %s",
                 p->conn ? PQerrorMessage(p->conn) : "out of memory");
        PQfinish(p->conn);
        free(p);
        return -1;
    }
    PQsetNoticeProcessor(p->conn, quiet_notices, NULL);
    if (setup_session(p) != 0) {
        dms_fail(err, "db_open", "db", "cannot set up the PostgreSQL session: %s", p->base.errmsg);
        PQfinish(p->conn);
        free(p);
        return -1;
    }
    *out = &p->base;
    return 0;
}
