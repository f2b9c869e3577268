/* /api/v1/audit: the store's audit log, newest first. A change set shows a customer's or a
 * driver's personal data the way their card shows it to the reader's role (views.c,
 * core/mask.h): phone numbers masked for every role (the full ones only through a recorded
 * reveal), name, e-mail and address masked for roles that do not work with contact details. */
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "http/http.h"
#include "store/audit.h"

enum personal { P_NAME, P_PHONES, P_EMAIL, P_ADDRESS };

/* The personal fields of the change sets of the entities that have them. */
static const struct {
    const char *entity, *field;
    enum personal kind;
} PERSONAL[] = {
    {"customer", "name", P_NAME},   {"customer", "phones", P_PHONES},
    {"customer", "email", P_EMAIL}, {"customer", "address", P_ADDRESS},
    {"driver", "name", P_NAME},     {"driver", "phone", P_PHONES},
    {"task", "name", P_NAME},       {"task", "phone", P_PHONES},
};

/* One value of a change ([before, after]) as the role may see it. */
static json_t *mask_value(const char *text, enum personal kind, enum role role)
{
    char out[1024];
    switch (kind) {
    case P_NAME:
        if (role_sees_contact_details(role))
            return json_string(text);
        mask_name(text, out, sizeof out);
        return json_string(out);
    case P_PHONES:
        if (mask_phone_in_full(role, PHONE_VIEW_CARD))
            return json_string(text);
        mask_phones_text(text, out, sizeof out);
        return json_string(out);
    case P_EMAIL:
        if (role_sees_contact_details(role))
            return json_string(text);
        mask_email(text, out, sizeof out);
        return json_string(out);
    case P_ADDRESS:
        return json_string(role_sees_contact_details(role) ? text : "***");
    }
    return json_null();
}

static void mask_changes(json_t *changes, const char *entity, enum role role)
{
    for (size_t k = 0; k < sizeof PERSONAL / sizeof PERSONAL[0]; k++) {
        if (strcmp(PERSONAL[k].entity, entity) != 0)
            continue;
        json_t *pair = json_object_get(changes, PERSONAL[k].field);
        for (size_t i = 0; json_is_array(pair) && i < json_array_size(pair); i++) {
            const char *text = json_string_value(json_array_get(pair, i));
            if (text && *text)
                json_array_set_new(pair, i, mask_value(text, PERSONAL[k].kind, role));
        }
    }
}

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
        if (changes)
            mask_changes(changes, e->entity, r->actor.role);
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
