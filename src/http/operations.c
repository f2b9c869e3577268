/* /api/v1/operations: the catalogue of labour operations (IN-6, IN-7). */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/workshop.h"
#include "http/http.h"
#include "store/operations.h"

static json_t *view_operation(const struct operation *o)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:b, s:s, s:s}", "id",
                     (json_int_t)o->id, "code", o->code, "name", o->name, "kind",
                     OP_KIND_NAMES[o->kind], "hours", hours_value(o->hours_x100), "bay_kind",
                     BAY_KIND_NAMES[o->bay_kind], "skill", SKILL_NAMES[o->skill], "rate_fen",
                     (json_int_t)o->rate_fen, "labour_fen", (json_int_t)o->labour_fen, "active",
                     o->active, "created_at", o->created_at, "updated_at", o->updated_at);
}

/* The fields both create and PATCH take; required only on create. */
static int parse(struct req *r, struct operation *o, bool create)
{
    int op_kind = (int)o->kind, kind = (int)o->bay_kind, skill = (int)o->skill, rc;
    json_t *h = json_object_get(r->body, "hours");
    if (jin_text(r->body, "name", create, 64, false, o->name, sizeof o->name, &r->err) < 0 ||
        jin_enum(r->body, "kind", false, OP_KIND_NAMES, OP_KIND_COUNT, &op_kind, &r->err) < 0 ||
        jin_enum(r->body, "bay_kind", create, BAY_KIND_NAMES, BAY_KIND_COUNT, &kind, &r->err) < 0 ||
        jin_enum(r->body, "skill", create, SKILL_NAMES, SKILL_COUNT, &skill, &r->err) < 0 ||
        jin_int(r->body, "rate_fen", create, 0, MONEY_MAX_FEN, &o->rate_fen, &r->err) < 0 ||
        (rc = jin_bool(r->body, "active", false, &o->active, &r->err)) < 0)
        return -1;
    if (create && !h)
        return req_fail(r, "missing_field", "hours", "hours is required");
    if (h &&
        (!json_is_number(h) ||
         hundredths_from_double(json_number_value(h), OPERATION_MAX_HOURS, &o->hours_x100) < 0 ||
         o->hours_x100 == 0))
        return req_fail(r, "invalid_field", "hours",
                        "hours is a number above 0, at most 100, with at most two decimals");
    /* Every field of an operation has a value: none may be emptied by a PATCH. */
    static const char *const keys[] = {"name",  "kind",     "hours",  "bay_kind",
                                       "skill", "rate_fen", "active", NULL};
    if (jin_no_nulls(r, keys) < 0)
        return -1;
    if (json_object_get(r->body, "name") && !o->name[0])
        return req_fail(r, "invalid_field", "name", "name cannot be empty");
    o->kind = (enum op_kind)op_kind;
    o->bay_kind = (enum bay_kind)kind;
    o->skill = (enum skill)skill;
    return 0;
}

int h_operations_create(struct req *r)
{
    static const char *const fields[] = {"code",  "name",     "kind",   "hours", "bay_kind",
                                         "skill", "rate_fen", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct operation o = {.kind = OP_REPAIR, .active = true};
    if (jin_code(r, "code", o.code) < 0 || parse(r, &o, true) < 0)
        return -1;
    if (operations_create(r->db, &r->actor, &o, &r->err) < 0)
        return -1;
    return reply(r, 201, view_operation(&o));
}

int h_operations_list(struct req *r)
{
    const char *all = req_query(r, "all");
    struct operation *o;
    size_t n;
    if (operations_list(r->db, &r->actor, all && strcmp(all, "true") == 0, &o, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_operation(&o[i]));
    free(o);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_operations_get(struct req *r)
{
    struct operation o;
    if (operations_get(r->db, &r->actor, r->ids[0], &o, &r->err) < 0)
        return -1;
    return reply(r, 200, view_operation(&o));
}

/* The PATCH's fields over the operation as it is (store_edit). */
static int edit(void *r, void *o, struct dms_error *err)
{
    (void)err; /* parse fills the request's */
    return parse(r, o, false);
}

int h_operations_update(struct req *r)
{
    static const char *const fields[] = {"name",  "kind",     "hours",  "bay_kind",
                                         "skill", "rate_fen", "active", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct operation next;
    if (operations_update(r->db, &r->actor, r->ids[0], edit, r, &next, &r->err) < 0)
        return -1;
    return reply(r, 200, view_operation(&next));
}
