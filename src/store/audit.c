/* The audit log: who changed what, when, with the before and after of every changed field.
 * Written in the same transaction as the change it describes. */
#include <stdlib.h>

#include "store/audit.h"
#include "store/internal.h"

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

void audit_text(json_t *changes, const char *field, const char *before, const char *after)
{
    const char *b = before ? before : "", *a = after ? after : "";
    if (strcmp(b, a) != 0)
        json_object_set_new(changes, field, json_pack("[oo]", text_or_null(b), text_or_null(a)));
}

void audit_int(json_t *changes, const char *field, int64_t before, int64_t after)
{
    if (before != after)
        json_object_set_new(changes, field,
                            json_pack("[II]", (json_int_t)before, (json_int_t)after));
}

void audit_bool(json_t *changes, const char *field, bool before, bool after)
{
    if (before != after)
        json_object_set_new(changes, field, json_pack("[bb]", before, after));
}

int audit_write(struct db *db, const struct actor *a, const char *action, const char *entity,
                int64_t entity_id, json_t *changes, struct dms_error *err)
{
    if (strcmp(action, "update") == 0 && json_object_size(changes) == 0)
        return 0;
    char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return dms_fail(err, "db_error", NULL, "out of memory");
    char at[TIMESTAMP_STR];
    timestamp_format_utc(a->now, at);
    int rc = db_exec(db,
                     "INSERT INTO audit_log (store_id, user_id, actor, at, action, entity, "
                     "entity_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "IIssssIs", a->store_id, a->user_id, a->username ? a->username : "cli", at,
                     action, entity, entity_id, text);
    free(text);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int read_entry(struct db_res *res, void *out)
{
    struct audit_entry *e = out;
    e->id = db_int(res, 0);
    e->user_id = db_int(res, 1);
    col_copy(e->actor, sizeof e->actor, res, 2);
    col_copy(e->at, sizeof e->at, res, 3);
    col_copy(e->action, sizeof e->action, res, 4);
    col_copy(e->entity, sizeof e->entity, res, 5);
    e->entity_id = db_int(res, 6);
    e->changes = strdup(db_text(res, 7));
    return e->changes ? 0 : -1;
}

static void clear_entry(void *item)
{
    free(((struct audit_entry *)item)->changes);
}

int audit_list(struct db *db, const struct actor *a, const struct audit_filter *f, int64_t before,
               int limit, struct audit_entry **out, size_t *n, bool *more, struct dms_error *err)
{
    const char *entity = f->entity ? f->entity : "";
    if (store_rows(db, read_entry, clear_entry, sizeof **out, (size_t)limit + 1, (void **)out, n,
                   err,
                   "SELECT id, user_id, actor, at, action, entity, entity_id, changes "
                   "FROM audit_log WHERE store_id = ? AND (? = '' OR entity = ?) "
                   "AND (CAST(? AS BIGINT) = 0 OR entity_id = ?) "
                   "AND (CAST(? AS BIGINT) = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                   "issiiiii", a->store_id, entity, entity, f->entity_id, f->entity_id, before,
                   before, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more) {
        clear_entry(&(*out)[limit]);
        *n = (size_t)limit;
    }
    return 0;
}

void audit_entries_free(struct audit_entry *e, size_t n)
{
    if (!e)
        return;
    for (size_t i = 0; i < n; i++)
        free(e[i].changes);
    free(e);
}

int audit_record(struct db *db, const struct actor *a, const char *action, const char *entity,
                 int64_t entity_id, json_t *changes, struct dms_error *err)
{
    int rc = audit_write(db, a, action, entity, entity_id, changes, err);
    json_decref(changes);
    return rc;
}
