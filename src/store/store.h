/* The storage interface: every read and write of the application's data goes through
 * these functions, over either backend (db.h). Each function runs inside the caller's
 * transaction (one per request) and scopes every query to the acting store: an id of
 * another store behaves exactly like an id that does not exist.
 *
 * Conventions: functions return 0 on success and -1 on failure with err filled (not_found,
 * conflict, validation codes, or db_error / busy for the database itself); lookups that may
 * legitimately find nothing say so in their comment. Every write also writes the audit log
 * (audit.c) in the same transaction. */
#ifndef DMS_STORE_STORE_H
#define DMS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "core/roles.h"
#include "store/db.h"

/* One header per entity, beside its .c file; a file includes the ones it uses:
 *   stores.h users.h sessions.h logins.h settings.h calendar.h     the store and its staff
 *   customers.h vehicles.h service_records.h privacy.h search.h    the archive (CRM)
 *   operations.h workshop.h parts.h slots.h appointments.h board.h
 *   purchasing.h                                                   booking and the workshop
 *   plans.h tasks.h campaigns.h messages.h reports.h               calls, outreach, figures
 *   audit.h migrate.h backup.h                                     the log, schema, backups
 * internal.h has the helpers the files of this floor share (row readers, row locks). */

/* Who acts, for which store, and when: set once per request (or CLI command). */
struct actor {
    int64_t user_id;  /* 0 for the command line */
    int64_t store_id; /* 0 when acting for no particular store (CLI store add) */
    enum role role;
    const char *username; /* recorded in the audit log; "cli" for the command line */
    int64_t now;          /* UTC seconds since the epoch */
    dms_day today;        /* the store's local calendar day */
    int now_min;          /* and the minutes after its local midnight */
};

/* An edit of one row, the shape every read-modify-write takes (lost updates otherwise): the
 * store function (X_update) locks the row, reads it, hands a copy to edit — the caller's
 * parser, applying the request's fields — and then checks and writes the result with its
 * audit row, all in the caller's transaction. row points to the entity's struct (struct part
 * for parts_update …). edit returns 0, or -1 with err filled (nothing is written). */
typedef int (*store_edit)(void *ctx, void *row, struct dms_error *err);

/* Maps a database status to err (conflict, busy, db_error) and returns -1. */
int store_db_fail(struct db *db, int status, struct dms_error *err);

#endif
