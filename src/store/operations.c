/* The catalogue of labour operations (IN-6, IN-7): what a job's duration, bay, technician
 * and labour price are computed from. */
#include <stdlib.h>

#include "core/text.h"
#include "core/workshop.h"
#include "store/internal.h"
#include "store/operations.h"

#define OP_COLS                                                                                    \
    "id, code, name, hours_x100, bay_kind, skill, rate_fen, active, created_at, updated_at, kind"

static int row(struct db_res *res, void *out)
{
    struct operation *o = out;
    memset(o, 0, sizeof *o);
    o->id = db_int(res, 0);
    col_copy(o->code, sizeof o->code, res, 1);
    col_copy(o->name, sizeof o->name, res, 2);
    o->hours_x100 = db_int(res, 3);
    int k = enum_index(BAY_KIND_NAMES, BAY_KIND_COUNT, db_text(res, 4));
    o->bay_kind = k < 0 ? BAY_GENERAL : (enum bay_kind)k;
    int s = enum_index(SKILL_NAMES, SKILL_COUNT, db_text(res, 5));
    o->skill = s < 0 ? SKILL_MECHANICAL : (enum skill)s;
    o->rate_fen = db_int(res, 6);
    o->active = db_int(res, 7) != 0;
    col_copy(o->created_at, sizeof o->created_at, res, 8);
    col_copy(o->updated_at, sizeof o->updated_at, res, 9);
    int kind = enum_index(OP_KIND_NAMES, OP_KIND_COUNT, db_text(res, 10));
    o->kind = kind < 0 ? OP_REPAIR : (enum op_kind)kind;
    struct dms_error ignore;
    if (operation_labour_fen(o->hours_x100, o->rate_fen, &o->labour_fen, &ignore) < 0)
        o->labour_fen = 0;
    return 0;
}

static json_t *diff(const struct operation *p, const struct operation *n)
{
    json_t *ch = json_object();
    audit_text(ch, "code", p ? p->code : NULL, n->code);
    audit_text(ch, "name", p ? p->name : NULL, n->name);
    audit_text(ch, "kind", p ? OP_KIND_NAMES[p->kind] : NULL, OP_KIND_NAMES[n->kind]);
    audit_int(ch, "hours_x100", p ? p->hours_x100 : 0, n->hours_x100);
    audit_text(ch, "bay_kind", p ? BAY_KIND_NAMES[p->bay_kind] : NULL, BAY_KIND_NAMES[n->bay_kind]);
    audit_text(ch, "skill", p ? SKILL_NAMES[p->skill] : NULL, SKILL_NAMES[n->skill]);
    audit_int(ch, "rate_fen", p ? p->rate_fen : 0, n->rate_fen);
    audit_bool(ch, "active", p ? p->active : false, n->active);
    return ch;
}

int operations_get(struct db *db, const struct actor *a, int64_t id, struct operation *out,
                   struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " OP_COLS " FROM labour_operations WHERE id = ? AND store_id = ?",
                       "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no operation %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int operations_get_by_code(struct db *db, const struct actor *a, const char *code,
                           struct operation *out, struct dms_error *err)
{
    int rc = store_one(db, row, out, err,
                       "SELECT " OP_COLS " FROM labour_operations WHERE code = ? AND store_id = ? "
                       "AND active = 1",
                       "si", code, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no operation %s", code);
    return rc < 0 ? -1 : 0;
}

int operations_create(struct db *db, const struct actor *a, struct operation *o,
                      struct dms_error *err)
{
    if (operation_labour_fen(o->hours_x100, o->rate_fen, &o->labour_fen, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &o->id,
                          "INSERT INTO labour_operations (store_id, code, name, kind, hours_x100, "
                          "bay_kind, skill, rate_fen, active, created_at, updated_at) VALUES (?, "
                          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "isssissibss", a->store_id, o->code, o->name, OP_KIND_NAMES[o->kind],
                          o->hours_x100, BAY_KIND_NAMES[o->bay_kind], SKILL_NAMES[o->skill],
                          o->rate_fen, o->active, now, now);
    if (rc == DB_CONFLICT)
        return dms_fail(err, "conflict", "code", "the store has operation %s already", o->code);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = diff(NULL, o);
    rc = audit_write(db, a, "create", "operation", o->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : operations_get(db, a, o->id, o, err);
}

int operations_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                      struct operation *next, struct dms_error *err)
{
    struct operation was, *prev = &was;
    if (store_lock_row(db, "labour_operations", "id", id, a->store_id, err) < 0 ||
        operations_get(db, a, id, prev, err) < 0)
        return -1;
    *next = was;
    if (edit(ctx, next, err) < 0)
        return -1;
    if (operation_labour_fen(next->hours_x100, next->rate_fen, &next->labour_fen, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc =
        db_exec(db,
                "UPDATE labour_operations SET name = ?, kind = ?, hours_x100 = ?, bay_kind = ?, "
                "skill = ?, rate_fen = ?, active = ?, updated_at = ? WHERE id = ? AND "
                "store_id = ?",
                "ssissibsii", next->name, OP_KIND_NAMES[next->kind], next->hours_x100,
                BAY_KIND_NAMES[next->bay_kind], SKILL_NAMES[next->skill], next->rate_fen,
                next->active, now, prev->id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = diff(prev, next);
    rc = audit_write(db, a, "update", "operation", prev->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : operations_get(db, a, prev->id, next, err);
}

int operations_list(struct db *db, const struct actor *a, bool all, struct operation **out,
                    size_t *n, struct dms_error *err)
{
    return store_rows(db, row, NULL, sizeof **out, 10000, (void **)out, n, err,
                      "SELECT " OP_COLS " FROM labour_operations WHERE store_id = ? AND "
                      "(? = 1 OR active = 1) ORDER BY code",
                      "ib", a->store_id, all);
}
