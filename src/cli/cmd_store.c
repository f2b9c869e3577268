/* dms store add|list */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/stores.h"

void cli_random_password(char out[32])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = '\0';
}

static int print_store(void *ctx, const struct store_info *s)
{
    (void)ctx;
    printf("%-12s %-32s %s\n", s->code, s->name, s->timezone);
    return 0;
}

int cmd_store(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *code = NULL, *name = NULL, *tz = NULL;
    struct cli_opt opts[] = {
        {"code", &code, NULL}, {"name", &name, NULL}, {"timezone", &tz, NULL}, {NULL, NULL, NULL}};
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0) {
        fprintf(stderr, "usage: dms store add --code CODE --name NAME [--timezone ZONE]\n"
                        "       dms store list\n");
        return 2;
    }
    if (cli_parse(c, 2, opts, NULL, 0) < 0)
        return 2;
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    struct dms_error err = {0};
    int rc = 0;
    if (strcmp(sub, "list") == 0) {
        rc = stores_each(db, print_store, NULL, &err) < 0 ? cli_fail("store list", &err) : 0;
    } else if (!code || !name) {
        fprintf(stderr, "dms: store add needs --code and --name\n");
        rc = 2;
    } else {
        struct actor a;
        struct store_info s;
        cli_actor(&a, 0);
        if (db_begin(db, true) < 0 || stores_add(db, &a, code, name, tz, &s, &err) < 0 ||
            db_commit(db) < 0) {
            db_rollback(db);
            rc = cli_fail("store add", &err);
        } else {
            printf("store %s added (id %lld)\n", s.code, (long long)s.id);
        }
    }
    db_close(db);
    return rc;
}
