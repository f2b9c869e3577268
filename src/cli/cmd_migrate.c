/* dms migrate: create or upgrade the schema. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/migrate.h"

int cmd_migrate(struct cli *c)
{
    if (cli_parse(c, 1, (struct cli_opt[]){{NULL, NULL, NULL}}, NULL, 0) < 0)
        return 2;
    struct db *db;
    struct dms_error err = {0};
    if (db_open(c->db_url, &db, &err) < 0)
        return cli_fail("database", &err);
    int applied = 0, version = 0;
    int rc = store_migrate(db, &applied, &err);
    if (rc == 0)
        rc = store_schema_version(db, &version, &err);
    if (rc < 0) {
        db_close(db);
        return cli_fail("migrate", &err);
    }
    printf("schema version %d (%d migration%s applied)\n", version, applied,
           applied == 1 ? "" : "s");
    db_close(db);
    return 0;
}
