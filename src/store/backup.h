/* Backup and restore of a SQLite database (backup.c; issue 11):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_BACKUP_H
#define DMS_STORE_BACKUP_H

#include <stdint.h>

#include "store/store.h"

struct backup_report {
    int pages;      /* copied */
    int64_t bytes;  /* of the file written */
    int schema;     /* the copy's schema version */
    char kept[600]; /* restore: where the replaced database was kept ("" when none) */
};

/* dms backup: a consistent copy of the SQLite database of db_url, taken while dms serve
 * writes it (the online backup API, step_pages pages per step), written to FILE.tmp,
 * checked (quick_check), synced and renamed to file: file is either the previous backup or
 * a complete new one, never half written. PostgreSQL: use_pg_dump. */
int store_backup(const char *db_url, const char *file, int step_pages, struct backup_report *out,
                 struct dms_error *err);
/* dms restore: checks that file is a dms database this program knows (integrity_check, a
 * schema version from 1 to store_latest_version()), refuses while a server has db_url's
 * database open (in_use), keeps the current database as DB.before-restore, and copies file
 * over it in one transaction. PostgreSQL: use_pg_restore. */
int store_restore(const char *db_url, const char *file, struct backup_report *out,
                  struct dms_error *err);

#endif
