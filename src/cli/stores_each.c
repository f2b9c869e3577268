/* Commands that work store by store (tasks generate, report calls, schedule recompute): the
 * --store CODE one, or every store. Each store acts in its own time zone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/clock.h"
#include "store/stores.h"

struct collect {
    struct store_info *s;
    size_t n, cap;
};

static int collect(void *ctx, const struct store_info *s)
{
    struct collect *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        struct store_info *g = realloc(c->s, cap * sizeof *g);
        if (!g)
            return -1;
        c->s = g, c->cap = cap;
    }
    c->s[c->n++] = *s;
    return 0;
}

void cli_store_actor(struct actor *a, const struct store_info *s)
{
    cli_actor(a, s->id);
    actor_set_clock(a, a->now, s->timezone);
}

int cli_each_store(struct db *db, const char *code,
                   int (*fn)(void *ctx, struct db *db, const struct store_info *s), void *ctx)
{
    struct dms_error err = {0};
    if (code) {
        struct store_info s;
        int rc = stores_find_code(db, code, &s, &err);
        if (rc < 0)
            return cli_fail("database", &err);
        if (rc == 0) {
            fprintf(stderr, "dms: no store %s\n", code);
            return 1;
        }
        return fn(ctx, db, &s);
    }
    struct collect all = {0};
    if (stores_each(db, collect, &all, &err) < 0) {
        free(all.s);
        return cli_fail("database", &err);
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < all.n; i++)
        rc = fn(ctx, db, &all.s[i]);
    free(all.s);
    return rc;
}
