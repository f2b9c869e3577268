/* dms demo: load the demo data set into a new store. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int cmd_demo(struct cli *c)
{
    const char *code = "DEMO", *customers = "200", *seed = "20261125";
    struct cli_opt opts[] = {{"store", &code, NULL},
                             {"customers", &customers, NULL},
                             {"seed", &seed, NULL},
                             {NULL, NULL, NULL}};
    if (cli_parse(c, 1, opts, NULL, 0) < 0)
        return 2;
    char *end;
    long n = strtol(customers, &end, 10);
    if (*end || n < 1 || n > 100000) {
        fprintf(stderr, "dms: --customers must be 1-100000\n");
        return 2;
    }
    unsigned long s = strtoul(seed, &end, 10);
    if (*end) {
        fprintf(stderr, "dms: --seed must be a number\n");
        return 2;
    }
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = demo_load(db, code, (int)n, (unsigned)s, true);
    db_close(db);
    return rc;
}
