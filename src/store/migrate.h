/* Schema (migrate.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_MIGRATE_H
#define DMS_STORE_MIGRATE_H

#include "store/store.h"

/* Applies the pending numbered migrations, each in its own transaction. *applied gets the
 * number applied (may be NULL). Fails if the database is newer than this program. */
int store_migrate(struct db *db, int *applied, struct dms_error *err);
int store_schema_version(struct db *db, int *version, struct dms_error *err);
int store_latest_version(void);

#endif
