/* dms complaints escalate [--store CODE]: CS-6's escalation of the complaints late to
 * acknowledge or to resolve, the pass dms serve's worker runs; safe to run at once from
 * several processes (each escalation is claimed once, store/complaints.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/complaints.h"

int cli_escalate_complaints(struct db *db, const struct store_info *s, int *escalated,
                            struct dms_error *err)
{
    struct actor a;
    cli_store_actor(&a, s);
    a.username = "scheduler";
    if (db_begin(db, true) < 0 || complaints_escalate_overdue(db, &a, escalated, err) < 0 ||
        db_commit(db) < 0) {
        if (!err->message[0])
            dms_fail(err, "db_error", NULL, "%s", db_errmsg(db));
        db_rollback(db);
        return -1;
    }
    return 0;
}

static int escalate(void *ctx, struct db *db, const struct store_info *s)
{
    (void)ctx;
    struct dms_error err = {0};
    int n = 0;
    if (cli_escalate_complaints(db, s, &n, &err) < 0)
        return cli_fail(s->code, &err);
    printf("%s: %d complaint escalation(s)\n", s->code, n);
    return 0;
}

int cmd_complaints(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *store = NULL;
    struct cli_opt opts[] = {{"store", &store, NULL}, {NULL, NULL, NULL}};
    if (strcmp(sub, "escalate") != 0 || cli_parse(c, 2, opts, NULL, 0) < 0) {
        fprintf(stderr, "usage: dms complaints escalate [--store CODE]\n");
        return 2;
    }
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = cli_each_store(db, store, escalate, NULL);
    db_close(db);
    return rc;
}
