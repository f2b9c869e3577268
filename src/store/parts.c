/* The parts master (IN-5, IN-12): stock, price, shelf and the supplier's lead time of each
 * part number. Reservations for appointments (case C) and orders (case D) build on it. */
#include <stdlib.h>

#include "store/internal.h"
#include "store/parts.h"

/* on_order: what the open purchase orders bring (IN-5 case D), summed in the same query. */
#define PART_SELECT                                                                                \
    "SELECT p.id, p.part_no, p.name, p.price_fen, p.on_hand, p.reserved, p.shelf, p.lead_days, "   \
    "p.active, p.created_at, p.updated_at, (SELECT COALESCE(SUM(l.qty), 0) FROM "                  \
    "purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id WHERE l.part_id = p.id "   \
    "AND o.store_id = p.store_id AND o.status = 'open') FROM parts p "

static int row(struct db_res *res, void *out)
{
    struct part *p = out;
    memset(p, 0, sizeof *p);
    p->id = db_int(res, 0);
    col_copy(p->part_no, sizeof p->part_no, res, 1);
    col_copy(p->name, sizeof p->name, res, 2);
    p->price_fen = db_int(res, 3);
    p->on_hand = db_int(res, 4);
    p->reserved = db_int(res, 5);
    col_copy(p->shelf, sizeof p->shelf, res, 6);
    p->lead_days = (int)db_int(res, 7);
    p->active = db_int(res, 8) != 0;
    col_copy(p->created_at, sizeof p->created_at, res, 9);
    col_copy(p->updated_at, sizeof p->updated_at, res, 10);
    p->on_order = db_int(res, 11);
    return 0;
}

static json_t *diff(const struct part *p, const struct part *n)
{
    json_t *ch = json_object();
    audit_text(ch, "part_no", p ? p->part_no : NULL, n->part_no);
    audit_text(ch, "name", p ? p->name : NULL, n->name);
    audit_int(ch, "price_fen", p ? p->price_fen : 0, n->price_fen);
    audit_int(ch, "on_hand", p ? p->on_hand : 0, n->on_hand);
    audit_text(ch, "shelf", p ? p->shelf : NULL, n->shelf);
    audit_int(ch, "lead_days", p ? p->lead_days : 0, n->lead_days);
    audit_bool(ch, "active", p ? p->active : false, n->active);
    return ch;
}

int parts_get(struct db *db, const struct actor *a, int64_t id, struct part *out,
              struct dms_error *err)
{
    int rc = store_one(db, row, out, err, PART_SELECT "WHERE p.id = ? AND p.store_id = ?", "ii", id,
                       a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no part %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int parts_get_by_no(struct db *db, const struct actor *a, const char *part_no, struct part *out,
                    struct dms_error *err)
{
    int rc = store_one(db, row, out, err, PART_SELECT "WHERE p.part_no = ? AND p.store_id = ?",
                       "si", part_no, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no part %s", part_no);
    return rc < 0 ? -1 : 0;
}

int parts_create(struct db *db, const struct actor *a, struct part *p, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(db, &p->id,
                          "INSERT INTO parts (store_id, part_no, name, price_fen, on_hand, shelf, "
                          "lead_days, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
                          "?, ?, ?, ?) RETURNING id",
                          "issiitibss", a->store_id, p->part_no, p->name, p->price_fen, p->on_hand,
                          p->shelf, (int64_t)p->lead_days, p->active, now, now);
    if (rc == DB_CONFLICT)
        return dms_fail(err, "conflict", "part_no", "the store has part %s already", p->part_no);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = diff(NULL, p);
    rc = audit_write(db, a, "create", "part", p->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : parts_get(db, a, p->id, p, err);
}

int parts_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                 struct part *next, struct dms_error *err)
{
    struct part was, *prev = &was;
    if (store_lock_row(db, "parts", "id", id, a->store_id, err) < 0 ||
        parts_get(db, a, id, prev, err) < 0)
        return -1;
    *next = was;
    if (edit(ctx, next, err) < 0)
        return -1;
    /* Reservations change only through bookings; counting stock may not undercut them. */
    if (next->on_hand < prev->reserved)
        return dms_fail(err, "stock_reserved", "on_hand",
                        "%lld are reserved for appointments; on hand cannot go below that",
                        (long long)prev->reserved);
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc =
        db_exec(db,
                "UPDATE parts SET name = ?, price_fen = ?, on_hand = on_hand + ?, shelf = ?, "
                "lead_days = ?, active = ?, updated_at = ? WHERE id = ? AND store_id = ?",
                "siitibsii", next->name, next->price_fen, next->on_hand - prev->on_hand,
                next->shelf, (int64_t)next->lead_days, next->active, now, prev->id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = diff(prev, next);
    rc = audit_write(db, a, "update", "part", prev->id, ch, err);
    json_decref(ch);
    return rc < 0 ? -1 : parts_get(db, a, prev->id, next, err);
}

int parts_list(struct db *db, const struct actor *a, bool all, struct part **out, size_t *n,
               struct dms_error *err)
{
    return store_rows(db, row, NULL, sizeof **out, 100000, (void **)out, n, err,
                      PART_SELECT "WHERE p.store_id = ? AND (? = 1 OR p.active = 1) "
                                  "ORDER BY p.part_no",
                      "ib", a->store_id, all);
}
