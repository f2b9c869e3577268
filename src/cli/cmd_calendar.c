/* dms calendar import --store CODE FILE: public holidays and make-up working days from a
 * file in the format of data/cn-public-holidays-2026.tsv (DATE<TAB>closed|open<TAB>name), in
 * one transaction: a file with a bad line changes nothing. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "store/calendar.h"
#include "store/stores.h"

struct import {
    const char *path;
    FILE *f;
};

static int import_file(void *ctx, struct db *db, const struct store_info *s)
{
    struct import *im = ctx;
    struct actor a;
    cli_store_actor(&a, s);
    struct dms_error err = {0};
    if (db_begin(db, true) < 0)
        return cli_fail("database", &err);
    char line[2048];
    int lineno = 0, added = 0, same = 0;
    while (fgets(line, sizeof line, im->f)) {
        lineno++;
        struct calendar_day d = {0};
        dms_day day;
        int rc = calendar_parse_line(line, &day, &d.kind, d.name, sizeof d.name, &err);
        if (rc == 0)
            continue;
        bool changed = false;
        if (rc > 0) {
            date_format(day, d.date);
            rc = calendar_day_set(db, &a, &d, &changed, &err);
        }
        if (rc < 0) {
            db_rollback(db);
            fprintf(stderr, "dms: %s line %d: %s\n", im->path, lineno, err.message);
            return 1;
        }
        changed ? added++ : same++;
    }
    if (db_commit(db) < 0) {
        db_rollback(db);
        fprintf(stderr, "dms: calendar import: %s\n", db_errmsg(db));
        return 1;
    }
    printf("%s: %d days set, %d already so\n", s->code, added, same);
    return 0;
}

int cmd_calendar(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    const char *store = NULL, *file[1] = {NULL};
    struct cli_opt opts[] = {{"store", &store, NULL}, {NULL, NULL, NULL}};
    if (strcmp(sub, "import") != 0 || cli_parse(c, 2, opts, file, 1) != 1 || !store) {
        fprintf(stderr, "usage: dms calendar import --store CODE FILE\n");
        return 2;
    }
    struct import im = {.path = file[0], .f = fopen(file[0], "r")};
    if (!im.f) {
        fprintf(stderr, "dms: cannot read %s\n", file[0]);
        return 1;
    }
    struct db *db = cli_open_db(c);
    int rc = db ? cli_each_store(db, store, import_file, &im) : 1;
    db_close(db);
    fclose(im.f);
    return rc;
}
