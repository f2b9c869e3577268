/* dms user add|list|passwd|disable|enable */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/clock.h"
#include "store/stores.h"
#include "store/users.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: dms user add --username U --role ROLE --store CODE [--display-name NAME]\n"
            "       dms user list [--store CODE]\n"
            "       dms user passwd USERNAME\n"
            "       dms user disable USERNAME\n"
            "       dms user enable USERNAME\n"
            "The password comes from DMS_PASSWORD; without it one is generated and printed.\n");
    return 2;
}

/* The password to set: DMS_PASSWORD, or a generated one that is printed once. */
static const char *password(char buf[32], bool *generated)
{
    const char *pw = getenv("DMS_PASSWORD");
    *generated = !pw || !*pw;
    if (*generated) {
        cli_random_password(buf);
        return buf;
    }
    return pw;
}

static int find_store(struct db *db, const char *code, struct store_info *s)
{
    struct dms_error err = {0};
    int rc = stores_find_code(db, code, s, &err);
    if (rc < 0)
        return cli_fail("store", &err);
    if (rc == 0) {
        fprintf(stderr, "dms: no store with code %s (dms store list)\n", code);
        return 1;
    }
    return 0;
}

static int add(struct db *db, const char *username, const char *role, const char *store,
               const char *display)
{
    if (!username || !role || !store) {
        fprintf(stderr, "dms: user add needs --username, --role and --store\n");
        return 2;
    }
    int r = role_parse(role);
    if (r < 0) {
        fprintf(stderr,
                "dms: unknown role %s (advisor caller service_manager parts_manager "
                "workshop warranty admin)\n",
                role);
        return 2;
    }
    struct store_info s;
    if (find_store(db, store, &s) != 0)
        return 1;
    char buf[32];
    bool generated;
    struct user_new u = {username, display, password(buf, &generated), (enum role)r, generated};
    struct actor a;
    cli_store_actor(&a, &s);
    struct user out;
    struct dms_error err = {0};
    if (db_begin(db, true) < 0 || users_add(db, &a, &u, &out, &err) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        return cli_fail("user add", &err);
    }
    printf("user %s (%s) added to store %s\n", out.username, role_name(out.role), s.code);
    if (generated)
        printf("one-time password: %s (must be changed at first sign-in)\n", buf);
    return 0;
}

struct list_ctx {
    struct db *db;
    const char *only;
    int rc;
};

static int list_store(void *p, const struct store_info *s)
{
    struct list_ctx *ctx = p;
    if (ctx->only && strcmp(ctx->only, s->code) != 0)
        return 0;
    struct actor a;
    cli_store_actor(&a, s);
    int64_t after = 0;
    bool more = true;
    while (more) {
        struct user *list;
        size_t n;
        struct dms_error err = {0};
        if (users_list(ctx->db, &a, after, 200, &list, &n, &more, &err) < 0) {
            ctx->rc = cli_fail("user list", &err);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            printf("%-8s %-20s %-16s %-24s %s\n", s->code, list[i].username,
                   role_name(list[i].role), list[i].display_name,
                   list[i].disabled ? "disabled" : "active");
        after = n ? list[n - 1].id : after;
        free(list);
    }
    return 0;
}

static int change(struct db *db, const char *username, const char *what)
{
    if (!username)
        return usage();
    struct dms_error err = {0};
    struct user u;
    int rc = users_find_name(db, username, &u, &err);
    if (rc < 0)
        return cli_fail("user", &err);
    if (rc == 0) {
        fprintf(stderr, "dms: no user %s\n", username);
        return 1;
    }
    struct actor a;
    cli_actor(&a, u.store_id);
    actor_set_clock(&a, a.now, u.store_timezone);
    struct user_patch p = {.role = -1, .disabled = -1, .must_change_password = -1};
    char buf[32];
    bool generated = false;
    if (strcmp(what, "passwd") == 0) {
        p.password = password(buf, &generated);
        p.must_change_password = generated;
    } else {
        p.disabled = strcmp(what, "disable") == 0;
    }
    struct user out;
    if (db_begin(db, true) < 0 || users_update(db, &a, u.id, &p, &out, &err) < 0 ||
        db_commit(db) < 0) {
        db_rollback(db);
        return cli_fail(what, &err);
    }
    if (p.password) {
        printf("password of %s changed; their sessions have ended\n", out.username);
        if (generated)
            printf("one-time password: %s (must be changed at first sign-in)\n", buf);
    } else {
        printf("user %s %s\n", out.username, out.disabled ? "disabled" : "enabled");
    }
    return 0;
}

int cmd_user(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *username = NULL, *role = NULL, *store = NULL, *display = NULL;
    struct cli_opt opts[] = {{"username", &username, NULL},
                             {"role", &role, NULL},
                             {"store", &store, NULL},
                             {"display-name", &display, NULL},
                             {NULL, NULL, NULL}};
    const char *pos[1] = {NULL};
    bool takes_name =
        strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0;
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && !takes_name)
        return usage();
    int n = cli_parse(c, 2, opts, pos, takes_name ? 1 : 0);
    if (n < 0)
        return 2;
    if (takes_name && !pos[0] && username)
        pos[0] = username;
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc;
    if (strcmp(sub, "add") == 0) {
        rc = add(db, username, role, store, display);
    } else if (strcmp(sub, "list") == 0) {
        struct list_ctx ctx = {db, store, 0};
        struct dms_error err = {0};
        rc = stores_each(db, list_store, &ctx, &err) < 0 ? cli_fail("user list", &err) : ctx.rc;
    } else {
        rc = change(db, pos[0], sub);
    }
    db_close(db);
    return rc;
}
