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

#endif
