/* /api/v1/parts: the parts master (IN-5, IN-12), kept by the parts manager. */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/money.h"
#include "core/part.h"
#include "http/http.h"
#include "store/parts.h"

static json_t *view_part(const struct part *p)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:i, s:b, s:s, s:s}", "id",
                     (json_int_t)p->id, "part_no", p->part_no, "name", p->name, "price_fen",
                     (json_int_t)p->price_fen, "on_hand", (json_int_t)p->on_hand, "reserved",
                     (json_int_t)p->reserved, "available", (json_int_t)(p->on_hand - p->reserved),
                     "on_order", (json_int_t)p->on_order, "shelf", jstr_or_null(p->shelf),
                     "lead_time_days", p->lead_days, "active", p->active, "created_at",
                     p->created_at, "updated_at", p->updated_at);
}

/* The part of the path's part number, in its normal form as the parts master keeps it
 * (core/part.h). */
static int get_by_path(struct req *r, struct part *out)
{
    char no[REQ_KEY_MAX + 1];
    part_no_normalise(r->key, no, sizeof no); /* the key fits: at most REQ_KEY_MAX bytes */
    return parts_get_by_no(r->db, &r->actor, no, out, &r->err);
}

static int parse(struct req *r, struct part *p, bool create)
{
    static const char *const keys[] = {"name",           "price_fen", "on_hand",
                                       "lead_time_days", "active",    NULL};
    int64_t lead = p->lead_days;
    int rc;
    if (jin_text(r->body, "name", create, 64, false, p->name, sizeof p->name, &r->err) < 0 ||
        jin_int(r->body, "price_fen", create, 0, MONEY_MAX_FEN, &p->price_fen, &r->err) < 0 ||
        jin_int(r->body, "on_hand", false, 0, PART_MAX_QTY, &p->on_hand, &r->err) < 0 ||
        jin_int(r->body, "lead_time_days", create, 0, 365, &lead, &r->err) < 0 ||
        jin_bool(r->body, "active", false, &p->active, &r->err) < 0 ||
        (rc = jin_text(r->body, "shelf", false, 32, false, p->shelf, sizeof p->shelf, &r->err)) <
            0 ||
        jin_no_nulls(r, keys) < 0)
        return -1;
    if (rc == JIN_NULL)
        p->shelf[0] = '\0';
    if (json_object_get(r->body, "name") && !p->name[0])
        return req_fail(r, "invalid_field", "name", "name cannot be empty");
    p->lead_days = (int)lead;
    return 0;
}

int h_parts_create(struct req *r)
{
    static const char *const fields[] = {"part_no", "name",           "price_fen", "on_hand",
                                         "shelf",   "lead_time_days", "active",    NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct part p = {.active = true};
    if (jin_code(r, "part_no", p.part_no) < 0 || parse(r, &p, true) < 0 ||
        parts_create(r->db, &r->actor, &p, &r->err) < 0)
        return -1;
    return reply(r, 201, view_part(&p));
}

int h_parts_list(struct req *r)
{
    const char *all = req_query(r, "all");
    struct part *p;
    size_t n;
    if (parts_list(r->db, &r->actor, all && strcmp(all, "true") == 0, &p, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, view_part(&p[i]));
    free(p);
    return reply(r, 200, json_pack("{s:o}", "items", items));
}

int h_parts_get(struct req *r)
{
    struct part p;
    if (get_by_path(r, &p) < 0)
        return -1;
    return reply(r, 200, view_part(&p));
}

/* The PATCH's fields over the part as it is (store_edit). */
static int edit(void *r, void *p, struct dms_error *err)
{
    (void)err; /* parse fills the request's */
    return parse(r, p, false);
}

int h_parts_update(struct req *r)
{
    static const char *const fields[] = {"name",           "price_fen", "on_hand", "shelf",
                                         "lead_time_days", "active",    NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    struct part found, next;
    if (get_by_path(r, &found) < 0 ||
        parts_update(r->db, &r->actor, found.id, edit, r, &next, &r->err) < 0)
        return -1;
    return reply(r, 200, view_part(&next));
}
