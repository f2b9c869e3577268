/* SQLite backend: WAL journal, foreign keys on, a busy timeout, and a per-connection cache
 * of prepared statements keyed by SQL text. A connection is used by one thread at a time
 * (the server's pool hands it out), so the connection is opened without SQLite's mutex. */
#include <errno.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/db_impl.h"

#define CACHE_SLOTS     512 /* power of two; the application has a few hundred statements */
#define BUSY_TIMEOUT_MS 5000

struct cached {
    char *sql;
    sqlite3_stmt *stmt;
    bool busy; /* handed out and not yet finished */
};

struct sqlite_db {
    struct db base;
    sqlite3 *h;
    struct cached cache[CACHE_SLOTS];
};

struct sqlite_res {
    struct db_res base;
    sqlite3_stmt *stmt;
    struct cached *slot; /* NULL for an uncached statement, finalised when done */
    int changes;
};

static struct sqlite_db *S(struct db *db)
{
    return (struct sqlite_db *)db;
}

static int map_error(struct sqlite_db *s, int rc)
{
    int ext = sqlite3_extended_errcode(s->h);
    db_set_error(&s->base, "sqlite: %s", sqlite3_errmsg(s->h));
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DB_CONFLICT;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DB_FOREIGN;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        return DB_CHECK;
    default:
        break;
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return DB_BUSY;
    return DB_ERROR;
}

static size_t hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 ^ (unsigned char)*s++;
    return h;
}

static int prepare(struct sqlite_db *s, const char *sql, sqlite3_stmt **stmt, struct cached **slot)
{
    *slot = NULL;
    size_t h = hash(sql);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct cached *c = &s->cache[(h + probe) & (CACHE_SLOTS - 1)];
        if (c->sql == NULL) {
            int rc = sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
            if (rc != SQLITE_OK)
                return map_error(s, rc);
            c->sql = strdup(sql);
            if (!c->sql) {
                sqlite3_finalize(*stmt);
                db_set_error(&s->base, "out of memory");
                return DB_ERROR;
            }
            c->stmt = *stmt;
            c->busy = true;
            *slot = c;
            return 0;
        }
        if (strcmp(c->sql, sql) == 0) {
            if (c->busy)
                break; /* the same statement is active (nested use): prepare a fresh one */
            c->busy = true;
            *stmt = c->stmt;
            *slot = c;
            return 0;
        }
    }
    int rc = sqlite3_prepare_v2(s->h, sql, -1, stmt, NULL);
    return rc == SQLITE_OK ? 0 : map_error(s, rc);
}

static void release(struct sqlite_res *r)
{
    if (r->slot) {
        sqlite3_reset(r->stmt);
        sqlite3_clear_bindings(r->stmt);
        r->slot->busy = false;
    } else {
        sqlite3_finalize(r->stmt);
    }
}

static int sq_query(struct db *db, struct db_res **out, const char *sql,
                    const struct db_param *params, int n)
{
    struct sqlite_db *s = S(db);
    *out = NULL;
    struct sqlite_res *r = calloc(1, sizeof *r);
    if (!r) {
        db_set_error(db, "out of memory");
        return DB_ERROR;
    }
    r->base.db = db;
    int rc = prepare(s, sql, &r->stmt, &r->slot);
    if (rc < 0) {
        free(r);
        return rc;
    }
    if (sqlite3_bind_parameter_count(r->stmt) != n) {
        db_set_error(db, "statement expects %d parameters, got %d",
                     sqlite3_bind_parameter_count(r->stmt), n);
        release(r);
        free(r);
        return DB_ERROR;
    }
    for (int i = 0; i < n; i++) {
        switch (params[i].type) {
        case P_NULL:
            rc = sqlite3_bind_null(r->stmt, i + 1);
            break;
        case P_INT:
            rc = sqlite3_bind_int64(r->stmt, i + 1, params[i].i);
            break;
        case P_TEXT:
            rc = sqlite3_bind_text(r->stmt, i + 1, params[i].s, -1, SQLITE_TRANSIENT);
            break;
        }
        if (rc != SQLITE_OK) {
            rc = map_error(s, rc);
            release(r);
            free(r);
            return rc;
        }
    }
    *out = &r->base;
    return 0;
}

static int sq_step(struct db_res *res)
{
    struct sqlite_res *r = (struct sqlite_res *)res;
    int rc = sqlite3_step(r->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        r->changes = sqlite3_changes(S(res->db)->h);
        return 0;
    }
    return map_error(S(res->db), rc);
}

static int64_t sq_int(struct db_res *res, int col)
{
    return sqlite3_column_int64(((struct sqlite_res *)res)->stmt, col);
}

static const char *sq_text(struct db_res *res, int col)
{
    const unsigned char *t = sqlite3_column_text(((struct sqlite_res *)res)->stmt, col);
    return t ? (const char *)t : "";
}

static bool sq_null(struct db_res *res, int col)
{
    return sqlite3_column_type(((struct sqlite_res *)res)->stmt, col) == SQLITE_NULL;
}

static void sq_done(struct db_res *res)
{
    struct sqlite_res *r = (struct sqlite_res *)res;
    release(r);
    free(r);
}

static int sq_changes(struct db_res *res)
{
    return ((struct sqlite_res *)res)->changes;
}

static int sq_exec_script(struct db *db, const char *script)
{
    char *msg = NULL;
    int rc = sqlite3_exec(S(db)->h, script, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        rc = map_error(S(db), rc);
        if (msg)
            db_set_error(db, "sqlite: %s", msg);
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int simple(struct db *db, const char *sql)
{
    int rc = sqlite3_exec(S(db)->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : map_error(S(db), rc);
}

static int sq_begin(struct db *db, bool write)
{
    return simple(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sq_commit(struct db *db)
{
    int rc = simple(db, "COMMIT");
    if (rc < 0)
        simple(db, "ROLLBACK");
    return rc;
}

static void sq_rollback(struct db *db)
{
    simple(db, "ROLLBACK");
}

static int sq_migration_lock(struct db *db)
{
    (void)db; /* BEGIN IMMEDIATE around each migration already excludes other writers */
    return 0;
}

static void sq_close(struct db *db)
{
    struct sqlite_db *s = S(db);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (s->cache[i].sql) {
            sqlite3_finalize(s->cache[i].stmt);
            free(s->cache[i].sql);
        }
    }
    sqlite3_close(s->h);
    free(s);
}

static const struct db_ops SQLITE_OPS = {
    .close = sq_close,
    .query = sq_query,
    .step = sq_step,
    .col_int = sq_int,
    .col_text = sq_text,
    .col_null = sq_null,
    .done = sq_done,
    .changes = sq_changes,
    .exec_script = sq_exec_script,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .migration_lock = sq_migration_lock,
};

/* Creates the database's folder (one level, e.g. var/) so that `make run` works on a fresh
 * clone. */
static void ensure_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    char *dir = dirname(copy);
    if (strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0)
        (void)mkdir(dir, 0750);
    free(copy);
}

int db_sqlite_open(const char *path, struct db **out, struct dms_error *err)
{
    struct sqlite_db *s = calloc(1, sizeof *s);
    if (!s)
        return dms_fail(err, "db_open", "db", "out of memory");
    s->base.ops = &SQLITE_OPS;
    s->base.kind = DB_SQLITE;
    ensure_parent(path);
    int rc = sqlite3_open_v2(
        path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        dms_fail(err, "db_open", "db", "cannot open %s: %s", path,
                 s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
        sqlite3_close(s->h);
        free(s);
        return -1;
    }
    sqlite3_busy_timeout(s->h, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->h, 1);
    static const char *const pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;"
        /* 32 MiB of page cache (the default is 2): a store-wide schedule recompute or a
         * month-start generation otherwise spills to the WAL and back (bench_reminders). */
        "PRAGMA cache_size=-32768;";
    char *msg = NULL;
    if (sqlite3_exec(s->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        dms_fail(err, "db_open", "db", "cannot set up %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(s->h);
        free(s);
        return -1;
    }
    *out = &s->base;
    return 0;
}

/* ---- whole files: the online backup API (db.h: db_sqlite_copy, db_sqlite_verify) ---- */

static int copy_status(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? DB_BUSY : DB_ERROR;
}

static int copy_fail(sqlite3 *h, int rc, const char *what, char *msg, size_t cap)
{
    snprintf(msg, cap, "%s: %s", what,
             h && sqlite3_errcode(h) != SQLITE_OK ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    return copy_status(rc);
}

static int copy_exec(sqlite3 *h, const char *sql, char *msg, size_t cap)
{
    int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : copy_fail(h, rc, sql, msg, cap);
}

static int copy_open(const char *path, int flags, sqlite3 **h, char *msg, size_t cap)
{
    int rc = sqlite3_open_v2(path, h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(msg, cap, "cannot open %s: %s", path,
                 *h ? sqlite3_errmsg(*h) : sqlite3_errstr(rc));
        return DB_ERROR;
    }
    sqlite3_extended_result_codes(*h, 1);
    return 0;
}

/* Every page of src's main database into dst's, step_pages at a time (-1: all at once). A
 * busy step is retried for about five seconds. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, int step_pages, db_copy_progress progress,
                      void *ctx, char *msg, size_t cap)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return copy_fail(dst, sqlite3_errcode(dst), "backup", msg, cap);
    int rc, busy = 0;
    for (;;) {
        rc = sqlite3_backup_step(b, step_pages);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            if (++busy > 500)
                break;
            sqlite3_sleep(10);
            continue;
        }
        busy = 0;
        if (rc != SQLITE_OK && rc != SQLITE_DONE)
            break;
        if (progress)
            progress(ctx, sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
        if (rc == SQLITE_DONE)
            break;
    }
    int fin = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(msg, cap, "backup: %s", sqlite3_errstr(rc));
        return copy_status(rc);
    }
    return fin == SQLITE_OK ? 0 : copy_fail(dst, fin, "backup", msg, cap);
}

int db_sqlite_copy(const char *from, const char *to, int step_pages, bool exclusive,
                   const char *keep, bool wal, db_copy_progress progress, void *ctx, char *msg,
                   size_t cap)
{
    sqlite3 *src = NULL, *dst = NULL, *kept = NULL;
    msg[0] = '\0';
    /* The source exists (no CREATE). A restore reads a backup file, which it leaves as it is. */
    int rc =
        copy_open(from, exclusive ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, &src, msg, cap);
    if (rc < 0)
        goto out;
    sqlite3_busy_timeout(src, BUSY_TIMEOUT_MS);
    /* One read transaction around every step: one snapshot, and no restart when a writer
     * commits between two steps (db.h). Fails here when `from` is not a database. */
    if ((rc = copy_exec(src, "BEGIN", msg, cap)) < 0 ||
        (rc = copy_exec(src, "SELECT COUNT(*) FROM sqlite_master", msg, cap)) < 0)
        goto out;
    rc = copy_open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, msg, cap);
    if (rc < 0)
        goto out;
    if (exclusive) {
        /* A running dms serve keeps a shared lock on its database file for as long as its
         * connections are open (WAL mode): taking the exclusive lock fails while it runs, and
         * once taken, no server can open the database until the restore is done. */
        sqlite3_busy_timeout(dst, 200);
        if ((rc = copy_exec(dst, "PRAGMA locking_mode=EXCLUSIVE", msg, cap)) < 0)
            goto out;
        int b = sqlite3_exec(dst, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
        if ((b & 0xff) == SQLITE_BUSY || (b & 0xff) == SQLITE_LOCKED) {
            snprintf(msg, cap, "%s is in use (is dms serve running on it?)", to);
            rc = DB_BUSY;
            goto out;
        }
        if (b != SQLITE_OK) {
            rc = copy_fail(dst, b, "BEGIN EXCLUSIVE", msg, cap);
            goto out;
        }
        if ((rc = copy_exec(dst, "COMMIT", msg, cap)) < 0)
            goto out;
        if (keep) {
            if ((rc = copy_open(keep, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &kept, msg,
                                cap)) < 0 ||
                (rc = copy_pages(kept, dst, -1, NULL, NULL, msg, cap)) < 0 ||
                (rc = copy_exec(kept, "PRAGMA journal_mode=DELETE", msg, cap)) < 0)
                goto out;
        }
    } else {
        sqlite3_busy_timeout(dst, BUSY_TIMEOUT_MS);
        /* The copy is durable when the last step commits. */
        if ((rc = copy_exec(dst, "PRAGMA synchronous=FULL", msg, cap)) < 0)
            goto out;
    }
    if ((rc = copy_pages(dst, src, step_pages, progress, ctx, msg, cap)) < 0)
        goto out;
    /* The pages carry the source's journal mode in their header: set the one wanted. */
    rc = copy_exec(dst,
                   wal ? "PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(TRUNCATE)"
                       : "PRAGMA journal_mode=DELETE",
                   msg, cap);
out:
    if (src)
        sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
    if (kept)
        sqlite3_close(kept);
    if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
        rc = copy_fail(dst, SQLITE_ERROR, "close", msg, cap);
    if (src)
        sqlite3_close(src);
    return rc;
}

int db_sqlite_verify(const char *path, bool quick, int *schema, char *msg, size_t cap)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    *schema = -1;
    msg[0] = '\0';
    int rc = copy_open(path, SQLITE_OPEN_READONLY, &h, msg, cap);
    if (rc < 0)
        goto out;
    int s = sqlite3_prepare_v2(h, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", -1, &st,
                               NULL);
    if (s == SQLITE_OK)
        s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        snprintf(msg, cap, "%s: %s", path, sqlite3_errmsg(h));
        rc = DB_ERROR;
        goto out;
    }
    const char *first = (const char *)sqlite3_column_text(st, 0);
    if (!first || strcmp(first, "ok") != 0) {
        snprintf(msg, cap, "%s: %s", path, first ? first : "integrity check failed");
        rc = DB_CHECK;
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* No schema_migrations table: not a dms database (*schema stays -1). */
    if (sqlite3_prepare_v2(h, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *schema = sqlite3_column_int(st, 0);
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}
