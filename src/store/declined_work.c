/* Declined work (RO-4): a line the customer declined is kept on the vehicle and offered again
 * at the next booking call and reminder call until a later order does it or the customer asks
 * not to hear of it again ("dealers lose most of their recommended work here"). */
#include <stdlib.h>

#include "store/internal.h"
#include "store/repair_orders.h"

static int item_row(struct db_res *res, void *out)
{
    struct declined_item *d = out;
    memset(d, 0, sizeof *d);
    d->id = db_int(res, 0);
    d->vehicle_id = db_int(res, 1);
    d->order_id = db_int(res, 2);
    d->line_id = db_int(res, 3);
    col_copy(d->number, sizeof d->number, res, 4);
    d->type = strcmp(db_text(res, 5), "part") == 0 ? RO_LINE_PART : RO_LINE_LABOUR;
    col_copy(d->code, sizeof d->code, res, 6);
    col_copy(d->name, sizeof d->name, res, 7);
    d->amount_fen = db_int(res, 8);
    col_copy(d->declined_on, sizeof d->declined_on, res, 9);
    return 0;
}

int declined_work_list(struct db *db, const struct actor *a, int64_t vehicle_id,
                       struct declined_item **out, size_t *n, struct dms_error *err)
{
    return store_rows(db, item_row, NULL, sizeof **out, 100, (void **)out, n, err,
                      "SELECT w.id, w.vehicle_id, w.order_id, w.line_id, o.number, w.type, "
                      "w.code, w.name, w.amount_fen, w.declined_on FROM declined_work w JOIN "
                      "repair_orders o ON o.id = w.order_id WHERE w.vehicle_id = ? AND "
                      "w.store_id = ? AND w.status = 'open' ORDER BY w.id DESC",
                      "ii", vehicle_id, a->store_id);
}

int declined_work_record(struct db *db, const struct actor *a, const struct repair_order *o,
                         const struct ro_line *l, struct dms_error *err)
{
    char today[DATE_STR];
    date_format(a->today, today);
    int64_t id = 0;
    int rc = db_query_int(db, &id,
                          "INSERT INTO declined_work (store_id, vehicle_id, order_id, line_id, "
                          "type, code, name, amount_fen, declined_on, status) VALUES (?, ?, ?, "
                          "?, ?, ?, ?, ?, ?, 'open') RETURNING id",
                          "iiiisssis", a->store_id, o->vehicle_id, o->id, l->id,
                          RO_LINE_TYPE_NAMES[l->type], l->code, l->name, l->amount_fen, today);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_int(ch, "vehicle_id", 0, o->vehicle_id);
    audit_int(ch, "line_id", 0, l->id);
    audit_text(ch, "code", NULL, l->code);
    return audit_record(db, a, "create", "declined_work", id, ch, err);
}

int declined_work_done(struct db *db, const struct actor *a, const struct repair_order *o,
                       struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    for (size_t i = 0; i < o->n_lines; i++) {
        const struct ro_line *l = &o->lines[i];
        if (!ro_line_counts(l->decision))
            continue;
        int rc = db_exec(db,
                         "UPDATE declined_work SET status = 'done', closed_at = ?, "
                         "closed_by_order = ? WHERE vehicle_id = ? AND store_id = ? AND status = "
                         "'open' AND type = ? AND code = ? AND order_id <> ?",
                         "siiissi", now, o->id, o->vehicle_id, a->store_id,
                         RO_LINE_TYPE_NAMES[l->type], l->code, o->id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc > 0) {
            json_t *ch = json_object();
            audit_text(ch, "code", NULL, l->code);
            audit_text(ch, "status", "open", "done");
            audit_int(ch, "order_id", 0, o->id);
            if (audit_record(db, a, "done", "declined_work", o->vehicle_id, ch, err) < 0)
                return -1;
        }
    }
    return 0;
}

int declined_work_dismiss(struct db *db, const struct actor *a, int64_t vehicle_id, int64_t id,
                          struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE declined_work SET status = 'dismissed', closed_at = ? WHERE id = ? "
                     "AND vehicle_id = ? AND store_id = ? AND status = 'open'",
                     "siii", now, id, vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no open declined work %lld on this car",
                        (long long)id);
    json_t *ch = json_object();
    audit_text(ch, "status", "open", "dismissed");
    audit_int(ch, "vehicle_id", 0, vehicle_id);
    return audit_record(db, a, "dismiss", "declined_work", id, ch, err);
}
