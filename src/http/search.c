/* /api/v1/search: the booking call's one search box (IN-3). */
#include <stdlib.h>

#include "http/http.h"
#include "store/customers.h"
#include "store/search.h"
#include "store/vehicles.h"

int h_search(struct req *r)
{
    const char *q = req_query(r, "q");
    if (!q || !*q)
        return req_fail(r, "missing_field", "q", "q is required");
    struct search_hit hits[SEARCH_MAX_HITS];
    size_t n;
    if (search_run(r->db, &r->actor, q, hits, &n, &r->err) < 0)
        return -1;
    json_t *results = json_array();
    struct customer *c = malloc(sizeof *c);
    if (!c) {
        json_decref(results);
        return req_fail(r, "internal", NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        json_t *item = NULL;
        if (hits[i].kind == SEARCH_VEHICLE) {
            struct vehicle v;
            if (vehicles_get(r->db, &r->actor, hits[i].id, &v, &r->err) < 0)
                goto fail;
            item = view_vehicle(r, &v);
            json_object_set_new(item, "type", json_string("vehicle"));
        } else {
            if (customers_get(r->db, &r->actor, hits[i].id, c, &r->err) < 0)
                goto fail;
            item = view_customer(r, c, false);
            /* "type" names the kind of result here; the customer's own type moves aside. */
            json_object_set(item, "customer_type", json_object_get(item, "type"));
            json_object_set_new(item, "type", json_string("customer"));
        }
        json_object_set_new(item, "matched", json_string(hits[i].field));
        json_array_append_new(results, item);
    }
    free(c);
    return reply(r, 200, json_pack("{s:o}", "results", results));
fail:
    free(c);
    json_decref(results);
    return -1;
}
