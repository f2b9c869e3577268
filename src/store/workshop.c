/* The workshop's resources (IN-6, IN-8, IN-13): bays, technicians, and the periods they are
 * out of service. Slots (a later step of the booking issue) read them. */
#include <stdlib.h>

#include "core/text.h"
#include "core/workshop.h"
#include "store/internal.h"
#include "store/workshop.h"

/* ---- bays ---- */

#define BAY_COLS "id, code, name, kind, active, created_at, updated_at"

static int bay_row(struct db_res *res, void *out)
{
    struct bay *b = out;
    memset(b, 0, sizeof *b);
    b->id = db_int(res, 0);
    col_copy(b->code, sizeof b->code, res, 1);
    col_copy(b->name, sizeof b->name, res, 2);
    int k = enum_index(BAY_KIND_NAMES, BAY_KIND_COUNT, db_text(res, 3));
    b->kind = k < 0 ? BAY_GENERAL : (enum bay_kind)k;
    b->active = db_int(res, 4) != 0;
    col_copy(b->created_at, sizeof b->created_at, res, 5);
    col_copy(b->updated_at, sizeof b->updated_at, res, 6);
    return 0;
}

static json_t *bay_diff(const struct bay *p, const struct bay *n)
{
    json_t *ch = json_object();
    audit_text(ch, "code", p ? p->code : NULL, n->code);
    audit_text(ch, "name", p ? p->name : NULL, n->name);
    audit_text(ch, "kind", p ? BAY_KIND_NAMES[p->kind] : NULL, BAY_KIND_NAMES[n->kind]);
    audit_bool(ch, "active", p ? p->active : false, n->active);
    return ch;
}

int bays_get(struct db *db, const struct actor *a, int64_t id, struct bay *out,
             struct dms_error *err)
{
    int rc = store_one(db, bay_row, out, err,
                       "SELECT " BAY_COLS " FROM bays WHERE id = ? AND store_id = ?", "ii", id,
                       a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no bay %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

static int code_row(struct db_res *res, void *out)
{
    col_copy(out, OPERATION_CODE_MAX + 1, res, 0);
    return 0;
}

/* The first of B01, B02 ... B99, B100 ... that the store has not used (retired bays keep
 * theirs). */
static int next_bay_code(struct db *db, const struct actor *a, char out[OPERATION_CODE_MAX + 1],
                         struct dms_error *err)
{
    char(*taken)[OPERATION_CODE_MAX + 1];
    size_t n;
    if (store_rows(db, code_row, NULL, sizeof *taken, 100000, (void **)&taken, &n, err,
                   "SELECT code FROM bays WHERE store_id = ? AND code LIKE 'B%'", "i",
                   a->store_id) < 0)
        return -1;
    /* n codes taken: one of the first n + 1 numbers is free. */
    for (size_t k = 1; k <= n + 1; k++) {
        snprintf(out, OPERATION_CODE_MAX + 1, "B%02zu", k);
        bool used = false;
        for (size_t i = 0; i < n && !used; i++)
            used = strcmp(taken[i], out) == 0;
        if (!used)
            break;
    }
    free(taken);
    return 0;
}

int bays_create(struct db *db, const struct actor *a, struct bay *b, struct dms_error *err)
{
    bool numbered = !b->code[0];
    if (numbered && next_bay_code(db, a, b->code, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &b->id,
                          "INSERT INTO bays (store_id, code, name, kind, active, created_at, "
                          "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "isssbss", a->store_id, b->code, b->name, BAY_KIND_NAMES[b->kind],
                          b->active, now, now);
    /* A concurrent request took the number: the request runs again and numbers anew. */
    if (rc == DB_CONFLICT && numbered)
        return dms_fail(err, "busy", NULL, "bay %s was taken meanwhile; try again", b->code);
    if (rc == DB_CONFLICT)
        return dms_fail(err, "conflict", "code", "the store has bay %s already", b->code);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = bay_diff(NULL, b);
    rc = audit_write(db, a, "create", "bay", b->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : bays_get(db, a, b->id, b, err);
}

int bays_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                struct bay *next, struct dms_error *err)
{
    struct bay was, *prev = &was;
    if (store_lock_row(db, "bays", "id", id, a->store_id, err) < 0 ||
        bays_get(db, a, id, prev, err) < 0)
        return -1;
    *next = was;
    if (edit(ctx, next, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE bays SET name = ?, kind = ?, active = ?, updated_at = ? WHERE id = ? "
                     "AND store_id = ?",
                     "ssbsii", next->name, BAY_KIND_NAMES[next->kind], next->active, now, prev->id,
                     a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = bay_diff(prev, next);
    rc = audit_write(db, a, "update", "bay", prev->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : bays_get(db, a, prev->id, next, err);
}

int bays_list(struct db *db, const struct actor *a, bool all, struct bay **out, size_t *n,
              struct dms_error *err)
{
    return store_rows(db, bay_row, NULL, sizeof **out, 10000, (void **)out, n, err,
                      "SELECT " BAY_COLS " FROM bays WHERE store_id = ? AND (? = 1 OR active = 1) "
                      "ORDER BY code",
                      "ib", a->store_id, all);
}

/* ---- technicians ---- */

#define TECH_COLS "id, name, skills, work_days, active, created_at, updated_at"

static int tech_row(struct db_res *res, void *out)
{
    struct technician *t = out;
    memset(t, 0, sizeof *t);
    t->id = db_int(res, 0);
    col_copy(t->name, sizeof t->name, res, 1);
    t->skills = (unsigned)db_int(res, 2);
    t->work_days = (unsigned)db_int(res, 3);
    t->active = db_int(res, 4) != 0;
    col_copy(t->created_at, sizeof t->created_at, res, 5);
    col_copy(t->updated_at, sizeof t->updated_at, res, 6);
    return 0;
}

static json_t *tech_diff(const struct technician *p, const struct technician *n)
{
    json_t *ch = json_object();
    audit_text(ch, "name", p ? p->name : NULL, n->name);
    audit_int(ch, "skills", p ? p->skills : 0, n->skills);
    audit_int(ch, "work_days", p ? p->work_days : 0, n->work_days);
    audit_bool(ch, "active", p ? p->active : false, n->active);
    return ch;
}

int technicians_get(struct db *db, const struct actor *a, int64_t id, struct technician *out,
                    struct dms_error *err)
{
    int rc = store_one(db, tech_row, out, err,
                       "SELECT " TECH_COLS " FROM technicians WHERE id = ? AND store_id = ?", "ii",
                       id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no technician %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int technicians_create(struct db *db, const struct actor *a, struct technician *t,
                       struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &t->id,
                          "INSERT INTO technicians (store_id, name, skills, work_days, active, "
                          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "isiibss", a->store_id, t->name, (int64_t)t->skills,
                          (int64_t)t->work_days, t->active, now, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = tech_diff(NULL, t);
    rc = audit_write(db, a, "create", "technician", t->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : technicians_get(db, a, t->id, t, err);
}

int technicians_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                       struct technician *next, struct dms_error *err)
{
    struct technician was, *prev = &was;
    if (store_lock_row(db, "technicians", "id", id, a->store_id, err) < 0 ||
        technicians_get(db, a, id, prev, err) < 0)
        return -1;
    *next = was;
    if (edit(ctx, next, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE technicians SET name = ?, skills = ?, work_days = ?, active = ?, "
                     "updated_at = ? WHERE id = ? AND store_id = ?",
                     "siibsii", next->name, (int64_t)next->skills, (int64_t)next->work_days,
                     next->active, now, prev->id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = tech_diff(prev, next);
    rc = audit_write(db, a, "update", "technician", prev->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : technicians_get(db, a, prev->id, next, err);
}

int technicians_list(struct db *db, const struct actor *a, bool all, struct technician **out,
                     size_t *n, struct dms_error *err)
{
    return store_rows(db, tech_row, NULL, sizeof **out, 10000, (void **)out, n, err,
                      "SELECT " TECH_COLS " FROM technicians WHERE store_id = ? AND (? = 1 OR "
                      "active = 1) ORDER BY name, id",
                      "ib", a->store_id, all);
}

/* ---- downtime ---- */

static int downtime_row(struct db_res *res, void *out)
{
    struct downtime *d = out;
    memset(d, 0, sizeof *d);
    d->id = db_int(res, 0);
    col_copy(d->starts, sizeof d->starts, res, 1);
    col_copy(d->ends, sizeof d->ends, res, 2);
    col_copy(d->reason, sizeof d->reason, res, 3);
    return 0;
}

static int check_resource(struct db *db, const struct actor *a, const char *resource, int64_t id,
                          struct dms_error *err)
{
    if (strcmp(resource, "bay") == 0) {
        struct bay b;
        return bays_get(db, a, id, &b, err);
    }
    struct technician t;
    return technicians_get(db, a, id, &t, err);
}

int downtime_add(struct db *db, const struct actor *a, const char *resource, int64_t id,
                 struct downtime *d, struct dms_error *err)
{
    if (check_resource(db, a, resource, id, err) < 0)
        return -1;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &d->id,
                          "INSERT INTO downtime (store_id, resource, resource_id, starts, ends, "
                          "reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          "isissts", a->store_id, resource, id, d->starts, d->ends, d->reason, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "resource", NULL, resource);
    audit_int(ch, "resource_id", 0, id);
    audit_text(ch, "starts", NULL, d->starts);
    audit_text(ch, "ends", NULL, d->ends);
    audit_text(ch, "reason", NULL, d->reason);
    rc = audit_write(db, a, "create", "downtime", d->id, ch, err);
    json_decref(ch);
    return rc;
}

int downtime_list(struct db *db, const struct actor *a, const char *resource, int64_t id,
                  const char *after, struct downtime **out, size_t *n, struct dms_error *err)
{
    return store_rows(db, downtime_row, NULL, sizeof **out, 1000, (void **)out, n, err,
                      "SELECT id, starts, ends, reason FROM downtime WHERE store_id = ? AND "
                      "resource = ? AND resource_id = ? AND ends > ? ORDER BY starts, id",
                      "isis", a->store_id, resource, id, after);
}
