/* dms tasks generate: the morning run of the call lists (MR-2..MR-4, CS-1, CS-3, CS-4, CS-8)
 * for one day, for one store or all. Idempotent, like the run dms serve makes itself. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tasks.h"
#include "store/stores.h"
#include "store/tasks.h"

struct gen_ctx {
    dms_day day; /* 0: each store's today */
    int64_t total;
};

static int generate(void *ctx, struct db *db, const struct store_info *s)
{
    struct gen_ctx *g = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    dms_day day = g->day ? g->day : a.today;
    struct generate_counts c;
    struct dms_error err = {0};
    if (db_begin(db, true) < 0 || tasks_generate(db, &a, day, &c, &err) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        return cli_fail(s->code, &err);
    }
    char d[DATE_STR];
    date_format(day, d);
    printf("%s %s:", s->code, d);
    for (int i = 0; i < TASK_TYPE_COUNT; i++) {
        if (i == TASK_CALLBACK || i == TASK_CAMPAIGN || i == TASK_SECOND_CALL)
            continue;
        printf(" %s %lld", TASK_TYPE_NAMES[i], (long long)c.created[i]);
        g->total += c.created[i];
    }
    printf(", messages %lld, expired %lld\n", (long long)c.messages, (long long)c.expired);
    return 0;
}

int cmd_tasks(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *date = NULL, *store = NULL;
    struct cli_opt opts[] = {{"date", &date, NULL}, {"store", &store, NULL}, {NULL, NULL, NULL}};
    if (strcmp(sub, "generate") != 0) {
        fprintf(stderr, "usage: dms tasks generate [--date YYYY-MM-DD] [--store CODE]\n");
        return 2;
    }
    if (cli_parse(c, 2, opts, NULL, 0) < 0)
        return 2;
    struct gen_ctx g = {0};
    struct dms_error err = {0};
    if (date && date_parse(date, &g.day, "date", &err) < 0)
        return cli_fail("--date", &err) + 1;
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, generate, &g);
    db_close(db);
    return rc;
}
