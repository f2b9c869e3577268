/* The parts master over HTTP (IN-5, IN-12): POST/PATCH /api/v1/parts by the parts manager and
 * the service manager only, part numbers upper-cased and unique per store, a part addressed by
 * its number (/api/v1/parts/{part_no}, any case), available = on_hand - reserved, on_order
 * from the open purchase orders, lead_time_days, on hand never below what is reserved (422
 * stock_reserved), retired parts leave the default list, another store's part is 404, audit
 * rows, refused writes change nothing. Part numbers carry uniq() so tests do not collide. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTS     "/api/v1/parts"
#define PARTS_ALL "/api/v1/parts?all=true"

static json_t *good_body(const char *part_no)
{
    json_t *b = json_pack("{s:s, s:s, s:I, s:i}", "part_no", part_no, "name", "机油滤清器",
                          "price_fen", (json_int_t)4500, "lead_time_days", 3);
    assert_non_null(b);
    return b;
}

static const char *text_of(json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    assert_non_null(s);
    const char *k = keep(s);
    free(s);
    json_decref(body);
    return k;
}

/* The good body with key set to the JSON value text (or removed when NULL). */
static const char *with(const char *key, const char *value)
{
    json_t *b = good_body(uniq_code("V"));
    if (value) {
        json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        json_object_set_new(b, key, v);
    } else {
        json_object_del(b, key);
    }
    return text_of(b);
}

/* Creates a part (as the parts manager) with on_hand; returns its id. */
static int64_t create_part(const char *part_no, int on_hand)
{
    json_t *b = good_body(part_no);
    json_object_set_new(b, "on_hand", json_integer(on_hand));
    json_t *j = call("POST", PARTS, tok(U_PARTS), text_of(b), 201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

/* A part's path: its number, as given (the server upper-cases it). */
static const char *part_path(const char *part_no)
{
    return keep(fmt(PARTS "/%s", part_no));
}

static bool listed(const char *path, int64_t id)
{
    json_t *j = call("GET", path, tok(U_MANAGER), NULL, 200);
    size_t i;
    json_t *o;
    bool found = false;
    json_array_foreach(json_object_get(j, "items"), i, o)
    {
        if (jint(o, "id") == id)
            found = true;
    }
    json_decref(j);
    return found;
}

/* A write that must be refused with status and field (code when not NULL), leaving the
 * parts list and the audit log as they were. */
static void refused(const char *method, const char *path, const char *body, long status,
                    const char *code, const char *field)
{
    int64_t head = audit_head();
    char *before = snapshot(PARTS_ALL, tok(U_MANAGER));
    struct resp r = http(method, path, tok(U_PARTS), body);
    if (r.status != status) {
        print_error("%s %s %s: status %ld, want %ld: %s\n", method, path, body, r.status, status,
                    r.body);
        resp_free(&r);
        fail();
    }
    json_t *e = json_object_get(r.json, "error");
    char got_code[64], got_field[64];
    snprintf(got_code, sizeof got_code, "%s", jstr(e, "code") ? jstr(e, "code") : "");
    snprintf(got_field, sizeof got_field, "%s", jstr(e, "field") ? jstr(e, "field") : "");
    if ((code && strcmp(got_code, code) != 0) || strcmp(got_field, field) != 0)
        print_error("%s %s %s: %s\n", method, path, body, r.body);
    resp_free(&r);
    if (code)
        assert_string_equal(got_code, code);
    assert_string_equal(got_field, field);
    assert_unchanged(PARTS_ALL, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
}

/* ---- tests ---- */

static void test_parts_create_as_parts_manager(void **state)
{
    (void)state;
    const char *no = uniq_code("oil-f.a_b");
    json_t *j = call("POST", PARTS, tok(U_PARTS),
                     text_of(json_pack("{s:s, s:s, s:I, s:i, s:i, s:s}", "part_no", no, "name",
                                       "机油滤清器", "price_fen", (json_int_t)4500,
                                       "lead_time_days", 3, "on_hand", 12, "shelf", "A-01")),
                     201);
    assert_string_equal(jstr(j, "part_no"), upper_copy(no));
    assert_string_equal(jstr(j, "name"), "机油滤清器");
    assert_int_equal(jint(j, "price_fen"), 4500);
    assert_int_equal(jint(j, "on_hand"), 12);
    assert_int_equal(jint(j, "reserved"), 0);
    assert_int_equal(jint(j, "available"), 12);
    assert_string_equal(jstr(j, "shelf"), "A-01");
    assert_int_equal(jint(j, "lead_time_days"), 3);
    assert_null(json_object_get(j, "lead_days"));
    assert_int_equal(jint(j, "on_order"), 0);
    assert_true(json_is_true(json_object_get(j, "active")));
    assert_non_null(jstr(j, "created_at"));
    int64_t id = jint(j, "id");
    json_decref(j);

    /* The advisor reads it, by its number in either case. */
    json_t *g = call("GET", part_path(no), tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(g, "part_no"), upper_copy(no));
    assert_int_equal(jint(g, "id"), id);
    assert_int_equal(jint(g, "available"), 12);
    assert_int_equal(jint(g, "lead_time_days"), 3);
    json_decref(g);
    g = call("GET", part_path(upper_copy(no)), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(g, "id"), id);
    json_decref(g);
    json_t *l = call("GET", PARTS, tok(U_ADVISOR), NULL, 200);
    assert_true(json_is_array(json_object_get(l, "items")));
    json_decref(l);
    assert_true(listed(PARTS, id));

    json_t *a = last_audit("part", id);
    assert_string_equal(jstr(a, "action"), "create");
    assert_string_equal(jstr(a, "actor"), U_PARTS);
    json_decref(a);

    /* Without on_hand and shelf: 0 on hand, no shelf. */
    j = call("POST", PARTS, tok(U_PARTS), text_of(good_body(uniq_code("P"))), 201);
    assert_int_equal(jint(j, "on_hand"), 0);
    assert_int_equal(jint(j, "available"), 0);
    assert_true(json_is_null(json_object_get(j, "shelf")));
    const char *plain = keep(jstr(j, "part_no"));
    json_decref(j);
    g = call("GET", part_path(plain), tok(U_PARTS), NULL, 200);
    assert_true(json_is_null(json_object_get(g, "shelf")));
    json_decref(g);
}

static void test_parts_create_as_service_manager(void **state)
{
    (void)state;
    const char *no = uniq_code("MGR");
    json_t *j = call("POST", PARTS, tok(U_MANAGER), text_of(good_body(no)), 201);
    assert_string_equal(jstr(j, "part_no"), no);
    int64_t id = jint(j, "id");
    json_decref(j);
    json_t *a = last_audit("part", id);
    assert_string_equal(jstr(a, "actor"), U_MANAGER);
    json_decref(a);
}

static void test_parts_writes_refused_for_other_roles(void **state)
{
    (void)state;
    const char *ro = uniq_code("RO");
    create_part(ro, 3);
    const char *path = part_path(ro);
    const char *const roles[] = {U_ADVISOR, U_CALLER, U_WORKSHOP};
    const char *no = uniq_code("NOPE");
    int64_t head = audit_head();
    char *before = snapshot(PARTS_ALL, tok(U_MANAGER));
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        rejected("POST", PARTS, tok(roles[i]), text_of(good_body(no)), 403, "forbidden", NULL);
        rejected("PATCH", path, tok(roles[i]), "{\"on_hand\":9}", 403, "forbidden", NULL);
    }
    assert_unchanged(PARTS_ALL, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
    /* The number is still free. */
    create_part(no, 0);
}

static void test_parts_duplicate_part_no_is_a_conflict(void **state)
{
    (void)state;
    const char *no = uniq_code("DUP");
    create_part(no, 1);
    char lower[64];
    snprintf(lower, sizeof lower, "%s", no);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    refused("POST", PARTS, text_of(good_body(no)), 409, "conflict", "part_no");
    refused("POST", PARTS, text_of(good_body(lower)), 409, "conflict", "part_no");
    /* Still well after the conflict (PostgreSQL: rolled back, not left aborted). */
    create_part(uniq_code("DUP"), 1);
}

static void test_parts_create_validation(void **state)
{
    (void)state;
    refused("POST", PARTS, with("name", NULL), 400, NULL, "name");
    refused("POST", PARTS, with("price_fen", NULL), 400, NULL, "price_fen");
    refused("POST", PARTS, with("lead_time_days", NULL), 400, NULL, "lead_time_days");
    refused("POST", PARTS, with("part_no", NULL), 400, NULL, "part_no");
    refused("POST", PARTS, with("lead_time_days", "366"), 400, "invalid_field", "lead_time_days");
    refused("POST", PARTS, with("lead_time_days", "-1"), 400, "invalid_field", "lead_time_days");
    refused("POST", PARTS, with("lead_time_days", "1.5"), 400, "invalid_field", "lead_time_days");
    /* The old name is gone, and on_order is derived. */
    refused("POST", PARTS, with("lead_days", "3"), 400, "invalid_field", "lead_days");
    refused("POST", PARTS, with("on_order", "3"), 400, "invalid_field", "on_order");
    refused("POST", PARTS, with("price_fen", "-1"), 400, "invalid_field", "price_fen");
    refused("POST", PARTS, with("on_hand", "-1"), 400, "invalid_field", "on_hand");
    refused("POST", PARTS, with("on_hand", "1000001"), 400, "invalid_field", "on_hand");
    refused("POST", PARTS, with("reserved", "0"), 400, "invalid_field", "reserved");
    refused("POST", PARTS, with("colour", "\"red\""), 400, "invalid_field", "colour");
    /* The bounds themselves are fine. */
    json_t *b = good_body(uniq_code("MAX"));
    json_object_set_new(b, "on_hand", json_integer(1000000));
    json_object_set_new(b, "lead_time_days", json_integer(365));
    json_t *j = call("POST", PARTS, tok(U_PARTS), text_of(b), 201);
    assert_int_equal(jint(j, "on_hand"), 1000000);
    assert_int_equal(jint(j, "lead_time_days"), 365);
    json_decref(j);
}

/* A bad part number is reported against part_no (not the operations' "code"). */
static void test_parts_bad_part_no_names_the_field(void **state)
{
    (void)state;
    refused("POST", PARTS, with("part_no", "\"a b\""), 400, "invalid_field", "part_no");
    refused("POST", PARTS, with("part_no", "\"A/1\""), 400, "invalid_field", "part_no");
}

static void test_parts_patch_validation(void **state)
{
    (void)state;
    const char *no = uniq_code("PV");
    create_part(no, 2);
    const char *path = part_path(no);
    refused("PATCH", path, fmt("{\"part_no\":\"%s\"}", uniq_code("X")), 400, "invalid_field",
            "part_no");
    refused("PATCH", path, "{\"name\":\"\"}", 400, NULL, "name");
    refused("PATCH", path, "{\"name\":null}", 400, NULL, "name");
    refused("PATCH", path, "{\"on_hand\":-1}", 400, "invalid_field", "on_hand");
    refused("PATCH", path, "{\"lead_time_days\":366}", 400, "invalid_field", "lead_time_days");
    refused("PATCH", path, "{\"lead_time_days\":null}", 400, "invalid_field", "lead_time_days");
    refused("PATCH", path, "{\"lead_days\":5}", 400, "invalid_field", "lead_days");
    refused("PATCH", path, "{\"on_order\":5}", 400, "invalid_field", "on_order");
    refused("PATCH", path, "{\"reserved\":1}", 400, "invalid_field", "reserved");
}

static void test_parts_patch_stock_and_shelf(void **state)
{
    (void)state;
    const char *no = uniq_code("PS");
    int64_t id = create_part(no, 2);
    const char *path = part_path(no);
    json_t *j = call("PATCH", path, tok(U_PARTS), "{\"on_hand\":7,\"shelf\":\"B-02\"}", 200);
    assert_int_equal(jint(j, "on_hand"), 7);
    assert_int_equal(jint(j, "available"), 7);
    assert_string_equal(jstr(j, "shelf"), "B-02");
    json_decref(j);
    json_t *a = last_audit("part", id);
    assert_string_equal(jstr(a, "action"), "update");
    json_t *ch = json_object_get(a, "changes");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "on_hand"), 0)), 2);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "on_hand"), 1)), 7);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "shelf"), 1)), "B-02");
    assert_null(json_object_get(ch, "name"));
    json_decref(a);

    /* shelf null clears it. */
    j = call("PATCH", path, tok(U_MANAGER), "{\"shelf\":null}", 200);
    assert_true(json_is_null(json_object_get(j, "shelf")));
    assert_int_equal(jint(j, "on_hand"), 7);
    json_decref(j);
    j = call("GET", path, tok(U_PARTS), NULL, 200);
    assert_true(json_is_null(json_object_get(j, "shelf")));
    json_decref(j);
    a = last_audit("part", id);
    assert_string_equal(jstr(a, "actor"), U_MANAGER);
    ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "shelf"), 0)), "B-02");
    assert_true(json_is_null(json_array_get(json_object_get(ch, "shelf"), 1)));
    json_decref(a);
    assert_int_equal(audit_count("part", id), 3);
}

static void test_parts_on_hand_not_below_reserved(void **state)
{
    (void)state;
    const char *no = uniq_code("RSV");
    int64_t id = create_part(no, 8);
    const char *path = part_path(no);
    char out[64];
    assert_int_equal(db_sql(fmt("UPDATE parts SET reserved = 5 WHERE id = %lld", (long long)id),
                            out, sizeof out),
                     0);
    json_t *j = call("GET", path, tok(U_PARTS), NULL, 200);
    assert_int_equal(jint(j, "reserved"), 5);
    assert_int_equal(jint(j, "available"), 3);
    json_decref(j);

    int64_t head = audit_head();
    char *before = snapshot(path, tok(U_PARTS));
    rejected("PATCH", path, tok(U_PARTS), "{\"on_hand\":4}", 422, "stock_reserved", "on_hand");
    assert_unchanged(path, tok(U_PARTS), before);
    assert_int_equal(audit_head(), head);

    j = call("PATCH", path, tok(U_PARTS), "{\"on_hand\":5}", 200);
    assert_int_equal(jint(j, "on_hand"), 5);
    assert_int_equal(jint(j, "reserved"), 5);
    assert_int_equal(jint(j, "available"), 0);
    json_decref(j);
}

static void test_parts_retired_leave_the_default_list(void **state)
{
    (void)state;
    const char *no = uniq_code("RET");
    int64_t id = create_part(no, 1);
    assert_true(listed(PARTS, id));
    json_t *j = call("PATCH", part_path(no), tok(U_PARTS), "{\"active\":false}", 200);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    assert_false(listed(PARTS, id));
    assert_true(listed(PARTS_ALL, id));
    j = call("GET", part_path(no), tok(U_ADVISOR), NULL, 200);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
}

static void test_parts_other_store_is_not_found(void **state)
{
    (void)state;
    const char *no = uniq_code("S2P");
    char out[64];
    assert_int_equal(db_sql(fmt("INSERT INTO parts (store_id, part_no, name, price_fen, on_hand, "
                                "lead_days, active, created_at, updated_at) SELECT id, '%s', "
                                "'S2 part', 100, 4, 2, 1, '2026-01-01T00:00:00Z', "
                                "'2026-01-01T00:00:00Z' FROM stores WHERE code = 'S2'",
                                no),
                            out, sizeof out),
                     0);
    assert_int_equal(db_sql(fmt("SELECT id FROM parts WHERE part_no = '%s'", no), out, sizeof out),
                     0);
    int64_t id = strtoll(out, NULL, 10);
    assert_true(id > 0);
    const char *path = part_path(no);

    json_t *j = call("GET", path, tok(U_ADVISOR2), NULL, 200);
    assert_string_equal(jstr(j, "part_no"), no);
    json_decref(j);

    rejected("GET", path, tok(U_PARTS), NULL, 404, "not_found", NULL);
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    int64_t head = audit_head();
    rejected("PATCH", path, tok(U_PARTS), "{\"on_hand\":9}", 404, "not_found", NULL);
    assert_int_equal(audit_head(), head);
    assert_false(listed(PARTS_ALL, id));
    j = call("GET", path, tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(jint(j, "on_hand"), 4);
    json_decref(j);
    /* The same number is free in S1. */
    create_part(no, 0);
}

/* The path names the part number, not the id: a number that is some part's id is no part's
 * number. The new PATCH path writes like the old one did. */
static void test_parts_addressed_by_number(void **state)
{
    (void)state;
    const char *no = uniq_code("by-no");
    int64_t id = create_part(no, 4);
    int64_t head = audit_head();
    rejected("GET", fmt(PARTS "/%lld", (long long)id), tok(U_ADVISOR), NULL, 404, "not_found",
             NULL);
    rejected("PATCH", fmt(PARTS "/%lld", (long long)id), tok(U_PARTS), "{\"on_hand\":1}", 404,
             "not_found", NULL);
    rejected("GET", PARTS "/NO-SUCH-PART-0", tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("GET", PARTS "/A%2F1", tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    assert_int_equal(audit_head(), head);

    /* A number made of digits is a number like any other. */
    char digits[32];
    snprintf(digits, sizeof digits, "9%08u", uniq());
    int64_t d = create_part(digits, 1);
    json_t *j = call("GET", part_path(digits), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(j, "id"), d);
    json_decref(j);

    /* PATCH by the number in lower case. */
    char lower[64];
    snprintf(lower, sizeof lower, "%s", no);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    j = call("PATCH", part_path(lower), tok(U_PARTS), "{\"on_hand\":6,\"lead_time_days\":9}", 200);
    assert_int_equal(jint(j, "id"), id);
    assert_int_equal(jint(j, "on_hand"), 6);
    assert_int_equal(jint(j, "lead_time_days"), 9);
    json_decref(j);
    json_t *a = last_audit("part", id);
    assert_string_equal(jstr(a, "action"), "update");
    json_t *ch = json_object_get(a, "changes");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "lead_days"), 1)), 9);
    json_decref(a);
}

/* Runs SQL that must succeed; returns the first column of its first row as a number. */
static int64_t sql_int(const char *sql)
{
    char out[64] = "";
    assert_int_equal(db_sql(sql, out, sizeof out), 0);
    return strtoll(out, NULL, 10);
}

/* An open (or received) purchase order of S1; returns its id. */
static int64_t new_order(const char *status)
{
    return sql_int(fmt("INSERT INTO purchase_orders (store_id, status, expected_date, created_at, "
                       "updated_at) SELECT id, '%s', '2031-01-05', '2031-01-01T00:00:00Z', "
                       "'2031-01-01T00:00:00Z' FROM stores WHERE code = 'S1' RETURNING id",
                       status));
}

static void order_line(int64_t order, int64_t part, int qty)
{
    sql_int(fmt("INSERT INTO purchase_order_lines (order_id, part_id, qty) VALUES (%lld, %lld, %d)",
                (long long)order, (long long)part, qty));
}

/* on_order of the part numbered no in the list of all parts (-1: not listed); every item
 * has one. */
static int64_t listed_on_order(const char *no)
{
    json_t *j = call("GET", PARTS_ALL, tok(U_MANAGER), NULL, 200);
    size_t i;
    json_t *o;
    int64_t got = -1;
    json_array_foreach(json_object_get(j, "items"), i, o)
    {
        assert_non_null(json_object_get(o, "on_order"));
        if (strcmp(jstr(o, "part_no"), no) == 0)
            got = jint(o, "on_order");
    }
    json_decref(j);
    return got;
}

/* IN-5: on_order sums the lines of the open purchase orders, in the detail, the list and the
 * answer to a PATCH; received orders and other parts' lines do not count. */
static void test_parts_on_order_from_open_purchase_orders(void **state)
{
    (void)state;
    const char *no = uniq_code("ORD"), *other = uniq_code("ORD");
    int64_t id = create_part(no, 2), other_id = create_part(other, 0);
    assert_int_equal(listed_on_order(no), 0);

    int64_t open1 = new_order("open"), open2 = new_order("open"), done = new_order("received");
    order_line(open1, id, 3);
    order_line(open1, id, 4);
    order_line(open2, id, 2);
    order_line(done, id, 50);
    order_line(open1, other_id, 7);

    json_t *j = call("GET", part_path(no), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(j, "on_order"), 9);
    assert_int_equal(jint(j, "on_hand"), 2);
    assert_int_equal(jint(j, "available"), 2);
    json_decref(j);
    assert_int_equal(listed_on_order(no), 9);
    assert_int_equal(listed_on_order(other), 7);
    j = call("PATCH", part_path(no), tok(U_PARTS), "{\"on_hand\":3}", 200);
    assert_int_equal(jint(j, "on_order"), 9);
    json_decref(j);

    /* An order received no longer counts. */
    sql_int(
        fmt("UPDATE purchase_orders SET status = 'received' WHERE id = %lld", (long long)open2));
    assert_int_equal(listed_on_order(no), 7);
    j = call("GET", part_path(other), tok(U_PARTS), NULL, 200);
    assert_int_equal(jint(j, "on_order"), 7);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_create_as_parts_manager),
        cmocka_unit_test(test_parts_create_as_service_manager),
        cmocka_unit_test(test_parts_writes_refused_for_other_roles),
        cmocka_unit_test(test_parts_duplicate_part_no_is_a_conflict),
        cmocka_unit_test(test_parts_create_validation),
        cmocka_unit_test(test_parts_bad_part_no_names_the_field),
        cmocka_unit_test(test_parts_patch_validation),
        cmocka_unit_test(test_parts_patch_stock_and_shelf),
        cmocka_unit_test(test_parts_on_hand_not_below_reserved),
        cmocka_unit_test(test_parts_retired_leave_the_default_list),
        cmocka_unit_test(test_parts_other_store_is_not_found),
        cmocka_unit_test(test_parts_addressed_by_number),
        cmocka_unit_test(test_parts_on_order_from_open_purchase_orders),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
