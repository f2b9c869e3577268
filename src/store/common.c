/* Error mapping shared by the storage layer. */
#include "store/internal.h"

int store_db_fail(struct db *db, int status, struct dms_error *err)
{
    switch (status) {
    case DB_CONFLICT:
        return dms_fail(err, "conflict", NULL, "that record already exists");
    case DB_BUSY:
        return dms_fail(err, "busy", NULL, "the database is busy; try again");
    case DB_FOREIGN:
        return dms_fail(err, "not_found", NULL, "a referenced record does not exist");
    default:
        return dms_fail(err, "db_error", NULL, "%s", db_errmsg(db));
    }
}
