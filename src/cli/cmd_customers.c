/* dms customers classify: the classification pass (CRM-2) for one store or all, on a day
 * (default each store's today). --nightly runs it as the night's pass, once per store and
 * day (a store whose night has run already is skipped); without it the pass always runs. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/classify.h"
#include "store/stores.h"

struct classify_ctx {
    dms_day day; /* 0: each store's today */
    bool nightly;
};

static int classify(void *ctx, struct db *db, const struct store_info *s)
{
    struct classify_ctx *g = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "classify";
    dms_day day = g->day ? g->day : a.today;
    struct classify_result res;
    struct dms_error err = {0};
    int rc = -1;
    if (db_begin(db, true) < 0 ||
        (rc = classify_store(db, &a, day, g->nightly ? CLASSIFY_NIGHTLY : CLASSIFY_CLI, &res,
                             &err)) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        return cli_fail(s->code, &err);
    }
    char d[DATE_STR];
    date_format(day, d);
    if (rc == 0) {
        printf("%s %s: already classified tonight\n", s->code, d);
        return 0;
    }
    printf("%s %s: %d customers, %d changed (", s->code, d, res.examined, res.changed);
    for (int i = 0; i < CLASS_COUNT; i++)
        printf("%s%s %d", i ? ", " : "", CUSTOMER_CLASS_NAMES[i], res.into[i]);
    printf("), %d locked left alone\n", res.locked);
    return 0;
}

int cmd_customers(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *date = NULL, *store = NULL;
    bool nightly = false;
    struct cli_opt opts[] = {{"date", &date, NULL},
                             {"store", &store, NULL},
                             {"nightly", NULL, &nightly},
                             {NULL, NULL, NULL}};
    if (strcmp(sub, "classify") != 0) {
        fprintf(stderr,
                "usage: dms customers classify [--date YYYY-MM-DD] [--store CODE] [--nightly]\n");
        return 2;
    }
    if (cli_parse(c, 2, opts, NULL, 0) < 0)
        return 2;
    struct classify_ctx g = {0, nightly};
    struct dms_error err = {0};
    if (date && date_parse(date, &g.day, "date", &err) < 0)
        return cli_fail("--date", &err) + 1;
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, classify, &g);
    db_close(db);
    return rc;
}
