/* dms backup FILE and dms restore FILE: a copy of a live SQLite database, and bringing it back
 * (store/backup.c; README, Operations). Exit status: 0 done, 1 failed (the message says why:
 * a server still running on the database, a file that is not a dms backup …), 2 usage, and 2
 * for a PostgreSQL database, which has its own tools (pg_dump, pg_restore). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/backup.h"
#include "store/migrate.h"

static int fail(const char *what, const struct dms_error *err)
{
    int rc = cli_fail(what, err);
    if (dms_error_is(err, "use_pg_dump") || dms_error_is(err, "use_pg_restore"))
        return 2;
    return rc;
}

int cmd_backup(struct cli *c)
{
    const char *steps = NULL, *file[1] = {NULL};
    struct cli_opt opts[] = {{"step-pages", &steps, NULL}, {NULL, NULL, NULL}};
    long step_pages = 256;
    char *end = NULL;
    if (cli_parse(c, 1, opts, file, 1) != 1 ||
        (steps && ((step_pages = strtol(steps, &end, 10)) < 1 || *end || step_pages > 1000000))) {
        fprintf(stderr, "usage: dms backup FILE [--step-pages N]\n");
        return 2;
    }
    struct backup_report rep;
    struct dms_error err = {0};
    if (store_backup(c->db_url, file[0], (int)step_pages, &rep, &err) < 0)
        return fail("backup", &err);
    printf("backup %s: %d pages, %lld bytes, schema version %d, quick_check ok\n", file[0],
           rep.pages, (long long)rep.bytes, rep.schema);
    return 0;
}

int cmd_restore(struct cli *c)
{
    const char *file[1] = {NULL};
    if (cli_parse(c, 1, (struct cli_opt[]){{NULL, NULL, NULL}}, file, 1) != 1) {
        fprintf(stderr, "usage: dms restore FILE   (with dms serve stopped)\n");
        return 2;
    }
    struct backup_report rep;
    struct dms_error err = {0};
    if (store_restore(c->db_url, file[0], &rep, &err) < 0)
        return fail("restore", &err);
    printf("restored %s (schema version %d, integrity_check ok) into %s%s%s%s\n", file[0],
           rep.schema, c->db_url, rep.kept[0] ? "; the database it replaced is kept as " : "",
           rep.kept, rep.schema < store_latest_version() ? "; dms serve upgrades its schema" : "");
    return 0;
}
