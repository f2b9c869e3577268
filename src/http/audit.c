/* /api/v1/audit: the store's audit log, newest first. */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int h_audit_list(struct req *r)
{
    int limit;
    int64_t cursor;
    if (req_page(r, &limit, &cursor) < 0)
        return -1;
    struct audit_filter f = {req_query(r, "entity"), 0};
    if (f.entity && (strlen(f.entity) == 0 || strlen(f.entity) > 31))
        return req_fail(r, "invalid_field", "entity", "unknown entity");
    if (req_query_id(r, "entity_id", &f.entity_id) < 0)
        return -1;
    struct audit_entry *list;
    size_t n;
    bool more;
    if (audit_list(r->db, &r->actor, &f, cursor, limit, &list, &n, &more, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct audit_entry *e = &list[i];
        json_t *changes = json_loads(e->changes, 0, NULL);
        json_array_append_new(
            items,
            json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)e->id,
                      "user_id", e->user_id ? json_integer(e->user_id) : json_null(), "actor",
                      e->actor, "at", e->at, "action", e->action, "entity", e->entity, "entity_id",
                      e->entity_id ? json_integer(e->entity_id) : json_null(), "changes",
                      changes ? changes : json_object()));
    }
    int64_t last = n ? list[n - 1].id : 0;
    audit_entries_free(list, n);
    return reply_page(r, items, more, last);
}
