/* One small SQL interface over SQLite and PostgreSQL, so that every query in store/ is
 * written once, in the portable subset both accept, with '?' placeholders (rewritten to $n
 * for PostgreSQL). Statements are prepared once per connection and cached by their text;
 * parameters are always bound, never spliced into the SQL.
 *
 * Parameter types, one letter per parameter:
 *   i  int64_t
 *   I  int64_t, 0 binds NULL (optional ids)
 *   s  const char *, NULL binds NULL
 *   t  const char *, NULL or "" binds NULL (optional text)
 *   b  int (bool), bound as 0 or 1 */
#ifndef DMS_STORE_DB_H
#define DMS_STORE_DB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

enum db_kind { DB_SQLITE, DB_POSTGRES };

/* Negative statuses; 0 and positive values mean success. */
enum db_status {
    DB_ERROR = -1,
    DB_CONFLICT = -2, /* unique constraint */
    DB_BUSY = -3,     /* lock timeout, serialization failure, deadlock: retryable */
    DB_FOREIGN = -4,  /* foreign key */
    DB_CHECK = -5,    /* check constraint */
};

struct db;
struct db_res;

/* url: "sqlite:PATH" or "postgres://..." / "postgresql://...". Error: db_open. */
int db_open(const char *url, struct db **out, struct dms_error *err);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
const char *db_errmsg(const struct db *db);

/* write=true takes the write lock up front on SQLite (BEGIN IMMEDIATE) so that a read
 * followed by a write in one request cannot deadlock. */
int db_begin(struct db *db, bool write);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs SQL that returns rows; *res must be finished with db_done(). */
int db_query(struct db *db, struct db_res **res, const char *sql, const char *types, ...);
/* The same with the parameters as a va_list (for helpers that forward them). */
int db_vquery(struct db *db, struct db_res **res, const char *sql, const char *types, va_list ap);
/* 1: a row is available; 0: no more rows; negative: error. */
int db_step(struct db_res *res);
int64_t db_int(struct db_res *res, int col);
/* Never NULL: "" for SQL NULL (use db_is_null to tell them apart). Valid until the next
 * db_step or db_done. */
const char *db_text(struct db_res *res, int col);
bool db_is_null(struct db_res *res, int col);
void db_done(struct db_res *res);

/* Runs SQL that returns no rows. Returns the number of rows changed, or a negative status. */
int db_exec(struct db *db, const char *sql, const char *types, ...);

/* First column of the first row as an integer: 1 found, 0 no row, negative error. */
int db_query_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

/* Runs several statements without parameters (migrations). */
int db_exec_script(struct db *db, const char *script);

/* Serialises schema migrations between processes sharing one database. */
int db_migration_lock(struct db *db);

/* ---- SQLite files as a whole: backup and restore (store/backup.c) ----
 * These work on files, not on an open struct db: a backup reads a database that a running
 * `dms serve` keeps writing, a restore writes one that nothing else may have open. */

/* After each step of a copy: the pages still to copy and the total. */
typedef void (*db_copy_progress)(void *ctx, int remaining, int total);

/* Copies the SQLite database at `from` over the one at `to` (created when missing) with
 * SQLite's online backup API, step_pages pages per step. Every step reads the same snapshot
 * of `from` (one read transaction for the whole copy): in WAL mode that blocks no writer, and
 * writes committed meanwhile neither restart the copy nor get into it. exclusive: `to` is
 * opened in exclusive locking mode first, and when another connection has it open (a running
 * dms serve) the copy fails with DB_BUSY before anything is written; the copy is one write
 * transaction on `to`, so an interrupted copy leaves `to` as it was. keep (may be NULL): with
 * exclusive, `to` is first copied to this new file. wal: leave `to` in WAL mode (a live
 * database) rather than in rollback mode (a single self-contained backup file). Returns 0, or
 * a negative status with msg filled. */
int db_sqlite_copy(const char *from, const char *to, int step_pages, bool exclusive,
                   const char *keep, bool wal, db_copy_progress progress, void *ctx, char *msg,
                   size_t cap);

/* Opens the SQLite file read-only and checks it: PRAGMA integrity_check (quick_check when
 * quick). *schema gets the dms schema version (MAX(version) of schema_migrations), -1 when
 * the file has no such table. Returns 0 when the check said ok, DB_CHECK with the first
 * problem in msg, DB_ERROR when the file cannot be read as a database. */
int db_sqlite_verify(const char *path, bool quick, int *schema, char *msg, size_t cap);

/* After a statement failed: true when the database server dropped the connection (a
 * restart, a terminated backend), so the failure says nothing about the request; never on
 * SQLite. A transaction cut off this way was rolled back by the server, unless its COMMIT
 * had gone out (compare db_commits before and after). */
bool db_lost(struct db *db);
/* Opens the connection again (PostgreSQL), with the session set up as at db_open; 0 or a
 * negative status. */
int db_reconnect(struct db *db);
/* How many COMMITs were sent on this connection: a request that failed on a lost connection
 * is safe to run again only when this did not change, since a COMMIT's outcome is unknown
 * when the connection drops under it. */
unsigned db_commits(const struct db *db);

#endif
