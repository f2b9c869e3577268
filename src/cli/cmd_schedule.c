/* dms schedule recompute: every vehicle's next service again (MR-1), e.g. after an import
 * that wrote the database directly. Writes only what moved. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "store/plans.h"
#include "store/stores.h"

static int recompute(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t changed = 0;
    struct dms_error err = {0};
    if (db_begin(db, true) < 0 || schedule_recompute(db, &a, 1, INT64_MAX, &changed, &err) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        return cli_fail(s->code, &err);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%s: %lld vehicles' schedules changed in %.2f s\n", s->code, (long long)changed,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}

int cmd_schedule(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *store = NULL;
    struct cli_opt opts[] = {{"store", &store, NULL}, {NULL, NULL, NULL}};
    if (strcmp(sub, "recompute") != 0) {
        fprintf(stderr, "usage: dms schedule recompute [--store CODE]\n");
        return 2;
    }
    if (cli_parse(c, 2, opts, NULL, 0) < 0)
        return 2;
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, recompute, NULL);
    db_close(db);
    return rc;
}
