/* The catalogue of labour operations over HTTP (IN-6, IN-7): POST /api/v1/operations by the
 * service manager and the workshop only, codes upper-cased and unique per store, hours with
 * at most two decimals, labour_fen = hours × rate_fen, kind maintenance or repair (default); PATCH
 * recomputes the labour and keeps the code; retired operations leave the default list; another
 * store's operation is 404; audit rows; a refused request changes nothing. Codes carry uniq() so
 * tests do not collide. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

/* ---- helpers ---- */

#define OPS     "/api/v1/operations"
#define OPS_ALL "/api/v1/operations?all=true"

/* A valid create body for code, as a JSON object (caller json_decref()s). */
static json_t *good_body(const char *code)
{
    json_t *b = json_pack("{s:s, s:s, s:f, s:s, s:s, s:I}", "code", code, "name", "更换机油机滤",
                          "hours", 0.6, "bay_kind", "quick_service", "skill", "maintenance",
                          "rate_fen", (json_int_t)18000);
    assert_non_null(b);
    return b;
}

/* body as text (kept). Consumes body. */
static const char *text_of(json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    assert_non_null(s);
    const char *k = keep(s);
    free(s);
    json_decref(body);
    return k;
}

/* Creates an operation from the good body with code as token; returns the answer. */
static json_t *create_op(const char *token, const char *code)
{
    return call("POST", OPS, token, text_of(good_body(code)), 201);
}

static int64_t create_op_id(const char *code)
{
    json_t *j = create_op(tok(U_MANAGER), code);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

static double jnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("%s is not a number", key);
    return json_number_value(v);
}

/* Whether the list at path (as token) holds an operation with this id. */
static bool listed(const char *path, const char *token, int64_t id)
{
    json_t *j = call("GET", path, token, NULL, 200);
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

/* A create that must be refused with 400 and code/field, leaving the catalogue and the audit
 * log as they were. */
static void create_refused(const char *body, const char *code, const char *field)
{
    int64_t head = audit_head();
    char *before = snapshot(OPS_ALL, tok(U_MANAGER));
    rejected("POST", OPS, tok(U_MANAGER), body, 400, code, field);
    assert_unchanged(OPS_ALL, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
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

/* ---- create ---- */

static void test_operations_create_as_service_manager(void **state)
{
    (void)state;
    const char *code = uniq_code("m-oil.a_b");
    struct resp r = http("POST", OPS, tok(U_MANAGER), text_of(good_body(code)));
    json_t *j = expect(&r, 201);
    char upper[64];
    snprintf(upper, sizeof upper, "%s", code);
    for (char *p = upper; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    assert_string_equal(jstr(j, "code"), upper);
    assert_string_equal(jstr(j, "name"), "更换机油机滤");
    assert_string_equal(jstr(j, "bay_kind"), "quick_service");
    assert_string_equal(jstr(j, "skill"), "maintenance");
    assert_string_equal(jstr(j, "kind"), "repair"); /* IN-6: unless said otherwise */
    assert_int_equal(jint(j, "rate_fen"), 18000);
    assert_int_equal(jint(j, "labour_fen"), 10800); /* 0.6 h × 180 yuan/h */
    assert_true(json_is_true(json_object_get(j, "active")));
    assert_non_null(jstr(j, "created_at"));
    assert_non_null(jstr(j, "updated_at"));
    /* The hours print as written, not as the nearest double's long expansion. */
    bool printed = strstr(r.body, "\"hours\":0.6,") && !strstr(r.body, "0.5999");
    if (!printed)
        print_error("hours not printed as 0.6: %s\n", r.body);
    int64_t id = jint(j, "id");
    resp_free(&r);
    assert_true(printed);

    /* It reads back the same, for any role that reads the archive. */
    json_t *g = call("GET", fmt(OPS "/%lld", (long long)id), tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(g, "code"), upper);
    assert_true(jnum(g, "hours") == 0.6);
    assert_int_equal(jint(g, "labour_fen"), 10800);
    json_decref(g);
    assert_true(listed(OPS, tok(U_CALLER), id));

    /* One audit row, with the code and the hours. */
    assert_int_equal(audit_count("operation", id), 1);
    json_t *a = last_audit("operation", id);
    assert_string_equal(jstr(a, "action"), "create");
    assert_string_equal(jstr(a, "entity"), "operation");
    assert_string_equal(jstr(a, "actor"), U_MANAGER);
    json_t *ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "code"), 1)), upper);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "hours_x100"), 1)), 60);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "rate_fen"), 1)), 18000);
    json_decref(a);
}

static void test_operations_create_as_workshop(void **state)
{
    (void)state;
    const char *code = uniq_code("W");
    json_t *b = good_body(code);
    json_object_set_new(b, "hours", json_real(0.33));
    json_object_set_new(b, "rate_fen", json_integer(100));
    json_object_set_new(b, "bay_kind", json_string("ev"));
    json_object_set_new(b, "skill", json_string("ev"));
    json_t *j = call("POST", OPS, tok(U_WORKSHOP), text_of(b), 201);
    assert_string_equal(jstr(j, "code"), code);
    assert_true(jnum(j, "hours") == 0.33);
    assert_int_equal(jint(j, "labour_fen"), 33);
    assert_string_equal(jstr(j, "bay_kind"), "ev");
    assert_string_equal(jstr(j, "skill"), "ev");
    int64_t id = jint(j, "id");
    json_decref(j);
    json_t *a = last_audit("operation", id);
    assert_string_equal(jstr(a, "actor"), U_WORKSHOP);
    json_decref(a);

    /* Whole hours print as integers; 100 h is the upper bound; half a fen rounds up. */
    b = good_body(uniq_code("W"));
    json_object_set_new(b, "hours", json_integer(100));
    json_object_set_new(b, "rate_fen", json_integer(18000));
    j = call("POST", OPS, tok(U_WORKSHOP), text_of(b), 201);
    assert_true(json_is_integer(json_object_get(j, "hours")));
    assert_int_equal(jint(j, "hours"), 100);
    assert_int_equal(jint(j, "labour_fen"), 1800000);
    json_decref(j);
    b = good_body(uniq_code("W"));
    json_object_set_new(b, "hours", json_real(0.01));
    json_object_set_new(b, "rate_fen", json_integer(50));
    j = call("POST", OPS, tok(U_WORKSHOP), text_of(b), 201);
    assert_int_equal(jint(j, "labour_fen"), 1);
    json_decref(j);
}

static void test_operations_create_refused_for_other_roles(void **state)
{
    (void)state;
    const char *const roles[] = {U_CALLER, U_ADVISOR,  U_PARTS, U_WARRANTY,
                                 U_ADMIN,  U_ADVISOR2, U_ADMIN2};
    const char *code = uniq_code("NOPE");
    int64_t head = audit_head();
    char *before = snapshot(OPS_ALL, tok(U_MANAGER));
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        rejected("POST", OPS, tok(roles[i]), text_of(good_body(code)), 403, "forbidden", NULL);
    struct resp r = http("POST", OPS, NULL, text_of(good_body(code)));
    assert_int_equal(r.status, 401);
    resp_free(&r);
    assert_unchanged(OPS_ALL, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
    /* The code is still free. */
    json_decref(create_op(tok(U_MANAGER), code));
}

static void test_operations_duplicate_code_is_a_conflict(void **state)
{
    (void)state;
    const char *code = uniq_code("DUP");
    json_decref(create_op(tok(U_MANAGER), code));
    char lower[64];
    snprintf(lower, sizeof lower, "%s", code);
    for (char *p = lower; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    const char *const dups[] = {code, lower, keep(fmt(" %s ", lower))};
    for (size_t i = 0; i < sizeof dups / sizeof dups[0]; i++) {
        int64_t head = audit_head();
        char *before = snapshot(OPS_ALL, tok(U_MANAGER));
        rejected("POST", OPS, i == 1 ? tok(U_WORKSHOP) : tok(U_MANAGER),
                 text_of(good_body(dups[i])), 409, "conflict", "code");
        assert_unchanged(OPS_ALL, tok(U_MANAGER), before);
        assert_int_equal(audit_head(), head);
    }
    /* The server is still well after the conflict (PostgreSQL: the transaction was rolled
     * back, not left aborted). */
    json_decref(create_op(tok(U_MANAGER), uniq_code("DUP")));
}

static void test_operations_create_missing_fields(void **state)
{
    (void)state;
    const char *const keys[] = {"code", "name", "hours", "bay_kind", "skill", "rate_fen"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        create_refused(with(keys[i], NULL), "missing_field", keys[i]);
        if (strcmp(keys[i], "hours") != 0)
            create_refused(with(keys[i], "null"), "missing_field", keys[i]);
    }
    create_refused(with("name", "\"\""), "missing_field", "name");
    create_refused(with("name", "\"   \""), "missing_field", "name");
    create_refused("[]", "invalid_json", NULL);
    create_refused("{", "invalid_json", NULL);
}

static void test_operations_create_bad_hours(void **state)
{
    (void)state;
    const char *const bad[] = {"0",  "0.0",  "100.01", "101",  "0.123", "0.001",
                               "-1", "-0.5", "\"1\"",  "true", "null",  "1e9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        create_refused(with("hours", bad[i]), "invalid_field", "hours");
}

static void test_operations_create_bad_fields(void **state)
{
    (void)state;
    create_refused(with("bay_kind", "\"lift\""), "invalid_field", "bay_kind");
    create_refused(with("bay_kind", "\"General\""), "invalid_field", "bay_kind");
    create_refused(with("bay_kind", "1"), "invalid_field", "bay_kind");
    create_refused(with("skill", "\"welding\""), "invalid_field", "skill");
    create_refused(with("skill", "\"\""), "invalid_field", "skill");
    create_refused(with("rate_fen", "-1"), "invalid_field", "rate_fen");
    create_refused(with("rate_fen", "1.5"), "invalid_field", "rate_fen");
    create_refused(with("rate_fen", "\"18000\""), "invalid_field", "rate_fen");
    create_refused(with("rate_fen", "10000000001"), "invalid_field", "rate_fen");
    create_refused(with("active", "\"yes\""), "invalid_field", "active");
    create_refused(with("labour_fen", "10800"), "invalid_field", "labour_fen");
    create_refused(with("id", "1"), "invalid_field", "id");
    char name[65 * 3 + 3] = "\"";
    for (int i = 0; i < 65; i++)
        strcat(name, "工");
    strcat(name, "\"");
    create_refused(with("name", name), "invalid_field", "name"); /* 65 characters */
    name[64 * 3 + 1] = '\0';
    strcat(name, "\"");
    json_t *ok = call("POST", OPS, tok(U_MANAGER), with("name", name), 201); /* 64 */
    assert_int_equal(strlen(jstr(ok, "name")), 64 * 3);
    json_decref(ok);
    create_refused(with("name", "\"a\\nb\""), "invalid_field", "name");
    /* 100 h at the largest rate: the labour exceeds the money bound. */
    json_t *b = good_body(uniq_code("BIG"));
    json_object_set_new(b, "hours", json_integer(100));
    json_object_set_new(b, "rate_fen", json_integer(MONEY_MAX_FEN));
    create_refused(text_of(b), "invalid_field", "rate_fen");
}

static void test_operations_create_bad_codes(void **state)
{
    (void)state;
    const char *const bad[] = {"\"M 01\"",
                               "\"M01中\"",
                               "\"M/01\"",
                               "\"\"",
                               "\"  \"",
                               "1",
                               "\"ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.7890\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = good_body("X");
        json_object_set_new(b, "code", json_loads(bad[i], JSON_DECODE_ANY, NULL));
        int64_t head = audit_head();
        char *before = snapshot(OPS_ALL, tok(U_MANAGER));
        struct resp r = http("POST", OPS, tok(U_MANAGER), text_of(b));
        if (r.status != 400) {
            print_error("code %s: status %ld, want 400: %s\n", bad[i], r.status, r.body);
            resp_free(&r);
            fail();
        }
        char field[64];
        snprintf(field, sizeof field, "%s", jstr(json_object_get(r.json, "error"), "field"));
        resp_free(&r);
        assert_string_equal(field, "code");
        assert_unchanged(OPS_ALL, tok(U_MANAGER), before);
        assert_int_equal(audit_head(), head);
    }
    /* 32 characters are fine. */
    char code[40];
    snprintf(code, sizeof code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ%06u", uniq());
    assert_int_equal(strlen(code), 32);
    json_t *j = create_op(tok(U_MANAGER), code);
    assert_string_equal(jstr(j, "code"), code);
    json_decref(j);
}

/* IN-6: an operation is maintenance (a booking of case A) or repair; shown in every view,
 * stored, PATCHable, audited. */
static void test_operations_kind(void **state)
{
    (void)state;
    json_t *b = good_body(uniq_code("K"));
    json_object_set_new(b, "kind", json_string("maintenance"));
    json_t *j = call("POST", OPS, tok(U_MANAGER), text_of(b), 201);
    assert_string_equal(jstr(j, "kind"), "maintenance");
    int64_t id = jint(j, "id");
    json_decref(j);
    const char *path = keep(fmt(OPS "/%lld", (long long)id));
    j = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(j, "kind"), "maintenance");
    json_decref(j);
    char out[64];
    assert_int_equal(
        db_sql(fmt("SELECT kind FROM labour_operations WHERE id = %lld", (long long)id), out,
               sizeof out),
        0);
    assert_string_equal(out, "maintenance");
    json_t *a = last_audit("operation", id);
    json_t *ch = json_object_get(json_object_get(a, "changes"), "kind");
    assert_string_equal(json_string_value(json_array_get(ch, 1)), "maintenance");
    json_decref(a);

    /* The list shows it. */
    j = call("GET", OPS, tok(U_CALLER), NULL, 200);
    size_t i;
    json_t *o;
    bool seen = false;
    json_array_foreach(json_object_get(j, "items"), i, o)
    {
        assert_non_null(jstr(o, "kind"));
        if (jint(o, "id") == id) {
            assert_string_equal(jstr(o, "kind"), "maintenance");
            seen = true;
        }
    }
    assert_true(seen);
    json_decref(j);

    /* PATCH: to repair and back, each an audit row with before and after. */
    j = call("PATCH", path, tok(U_WORKSHOP), "{\"kind\":\"repair\"}", 200);
    assert_string_equal(jstr(j, "kind"), "repair");
    assert_string_equal(jstr(j, "bay_kind"), "quick_service");
    json_decref(j);
    a = last_audit("operation", id);
    ch = json_object_get(a, "changes");
    assert_int_equal(json_object_size(ch), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "kind"), 0)),
                        "maintenance");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "kind"), 1)),
                        "repair");
    json_decref(a);
    j = call("PATCH", path, tok(U_MANAGER), "{\"kind\":\"maintenance\",\"rate_fen\":100}", 200);
    assert_string_equal(jstr(j, "kind"), "maintenance");
    json_decref(j);
    assert_int_equal(audit_count("operation", id), 3);

    /* Refused kinds, on create and on PATCH, change nothing. */
    static const char *const bad[] = {"\"Maintenance\"", "\"service\"", "\"\"", "1", "null",
                                      "[\"repair\"]"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        create_refused(with("kind", bad[k]), "invalid_field", "kind");
    int64_t head = audit_head();
    char *before = snapshot(path, tok(U_MANAGER));
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        rejected("PATCH", path, tok(U_MANAGER), fmt("{\"kind\":%s}", bad[k]), 400, "invalid_field",
                 "kind");
    assert_unchanged(path, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
}

/* ---- PATCH ---- */

static void test_operations_patch_recomputes_the_labour(void **state)
{
    (void)state;
    const char *code = uniq_code("P");
    int64_t id = create_op_id(code);
    const char *path = keep(fmt(OPS "/%lld", (long long)id));
    json_t *j = call("PATCH", path, tok(U_MANAGER), "{\"hours\":1.25,\"rate_fen\":20000}", 200);
    assert_true(jnum(j, "hours") == 1.25);
    assert_int_equal(jint(j, "rate_fen"), 20000);
    assert_int_equal(jint(j, "labour_fen"), 25000);
    assert_string_equal(jstr(j, "code"), code);
    assert_string_equal(jstr(j, "name"), "更换机油机滤");
    json_decref(j);
    j = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_true(jnum(j, "hours") == 1.25);
    assert_int_equal(jint(j, "labour_fen"), 25000);
    json_decref(j);

    /* hours alone: the labour follows with the kept rate (0.5 h × 200 yuan/h). */
    j = call("PATCH", path, tok(U_WORKSHOP), "{\"hours\":0.5,\"bay_kind\":\"general\"}", 200);
    assert_int_equal(jint(j, "labour_fen"), 10000);
    assert_string_equal(jstr(j, "bay_kind"), "general");
    assert_string_equal(jstr(j, "skill"), "maintenance");
    json_decref(j);
    /* rate alone. */
    j = call("PATCH", path, tok(U_MANAGER), "{\"rate_fen\":333}", 200);
    assert_int_equal(jint(j, "labour_fen"), 167); /* 166.5 rounds up */
    json_decref(j);

    /* Audit: create plus three updates, the first with before and after. */
    assert_int_equal(audit_count("operation", id), 4);
    json_t *items = call("GET", fmt("/api/v1/audit?entity=operation&entity_id=%lld", (long long)id),
                         tok(U_MANAGER), NULL, 200);
    size_t n = json_array_size(json_object_get(items, "items"));
    assert_int_equal(n, 4);
    json_t *first_update = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(items, "items"), i, e)
    {
        json_t *ch = json_object_get(e, "changes");
        if (strcmp(jstr(e, "action"), "update") == 0 && json_object_get(ch, "hours_x100") &&
            json_object_get(ch, "rate_fen"))
            first_update = e;
    }
    assert_non_null(first_update);
    json_t *ch = json_object_get(first_update, "changes");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "hours_x100"), 0)), 60);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "hours_x100"), 1)), 125);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "rate_fen"), 0)), 18000);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "rate_fen"), 1)), 20000);
    assert_null(json_object_get(ch, "code"));
    json_decref(items);
}

static void test_operations_patch_refused_changes_nothing(void **state)
{
    (void)state;
    int64_t id = create_op_id(uniq_code("PR"));
    const char *path = keep(fmt(OPS "/%lld", (long long)id));
    static const struct {
        const char *body;
        const char *field;
    } bad[] = {
        {"{\"code\":\"OTHER\"}", "code"},
        {"{\"name\":null}", "name"},
        {"{\"hours\":0}", "hours"},
        {"{\"hours\":100.01}", "hours"},
        {"{\"hours\":0.123}", "hours"},
        {"{\"hours\":null}", "hours"},
        {"{\"bay_kind\":\"lift\"}", "bay_kind"},
        {"{\"rate_fen\":-1}", "rate_fen"},
        {"{\"active\":\"no\"}", "active"},
        {"{\"labour_fen\":1}", "labour_fen"},
        {"{\"hours\":100,\"rate_fen\":10000000000}", "rate_fen"},
    };
    int64_t head = audit_head();
    char *before = snapshot(path, tok(U_MANAGER));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r = http("PATCH", path, tok(U_MANAGER), bad[i].body);
        if (r.status != 400) {
            print_error("%s: status %ld, want 400: %s\n", bad[i].body, r.status, r.body);
            resp_free(&r);
            fail();
        }
        char field[64];
        snprintf(field, sizeof field, "%s", jstr(json_object_get(r.json, "error"), "field"));
        resp_free(&r);
        assert_string_equal(field, bad[i].field);
    }
    rejected("PATCH", path, tok(U_MANAGER), "[]", 400, "invalid_json", NULL);
    const char *const roles[] = {U_CALLER, U_ADVISOR, U_PARTS, U_ADMIN};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        rejected("PATCH", path, tok(roles[i]), "{\"rate_fen\":1}", 403, "forbidden", NULL);
    rejected("PATCH", OPS "/999999999", tok(U_MANAGER), "{\"rate_fen\":1}", 404, "not_found", NULL);
    rejected("GET", OPS "/999999999", tok(U_MANAGER), NULL, 404, "not_found", NULL);
    assert_unchanged(path, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
}

/* "name cannot be removed": an empty name is as much a removal as null. */
static void test_operations_patch_empty_name_refused(void **state)
{
    (void)state;
    int64_t id = create_op_id(uniq_code("PN"));
    const char *path = keep(fmt(OPS "/%lld", (long long)id));
    int64_t head = audit_head();
    char *before = snapshot(path, tok(U_MANAGER));
    struct resp r = http("PATCH", path, tok(U_MANAGER), "{\"name\":\"  \"}");
    if (r.status != 400) {
        print_error("PATCH name \"  \": status %ld, want 400: %s\n", r.status, r.body);
        resp_free(&r);
        free(before);
        fail();
    }
    resp_free(&r);
    assert_unchanged(path, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
}

/* ---- retiring ---- */

static void test_operations_retired_leave_the_default_list(void **state)
{
    (void)state;
    int64_t id = create_op_id(uniq_code("R"));
    const char *path = keep(fmt(OPS "/%lld", (long long)id));
    assert_true(listed(OPS, tok(U_ADVISOR), id));
    json_t *j = call("PATCH", path, tok(U_WORKSHOP), "{\"active\":false}", 200);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    assert_false(listed(OPS, tok(U_ADVISOR), id));
    assert_false(listed(OPS "?all=false", tok(U_ADVISOR), id));
    assert_true(listed(OPS_ALL, tok(U_ADVISOR), id));
    j = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    json_t *a = last_audit("operation", id);
    assert_string_equal(jstr(a, "action"), "update");
    json_t *ch = json_object_get(json_object_get(a, "changes"), "active");
    assert_true(json_is_true(json_array_get(ch, 0)));
    assert_true(json_is_false(json_array_get(ch, 1)));
    json_decref(a);
    /* Back again. */
    json_decref(call("PATCH", path, tok(U_MANAGER), "{\"active\":true}", 200));
    assert_true(listed(OPS, tok(U_ADVISOR), id));

    /* Created retired. */
    json_t *b = good_body(uniq_code("R"));
    json_object_set_new(b, "active", json_false());
    j = call("POST", OPS, tok(U_MANAGER), text_of(b), 201);
    int64_t retired = jint(j, "id");
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    assert_false(listed(OPS, tok(U_MANAGER), retired));
    assert_true(listed(OPS_ALL, tok(U_MANAGER), retired));
}

static void test_operations_list_is_by_code(void **state)
{
    (void)state;
    unsigned n = uniq();
    json_decref(create_op(tok(U_MANAGER), keep(fmt("ZZ-%u-B", n))));
    json_decref(create_op(tok(U_MANAGER), keep(fmt("ZZ-%u-A", n))));
    json_t *j = call("GET", OPS_ALL, tok(U_MANAGER), NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_true(json_array_size(items) >= 2);
    for (size_t i = 1; i < json_array_size(items); i++) {
        const char *a = jstr(json_array_get(items, i - 1), "code");
        const char *b = jstr(json_array_get(items, i), "code");
        if (strcmp(a, b) >= 0)
            fail_msg("list not by code: %s before %s", a, b);
    }
    json_decref(j);
}

/* ---- stores ---- */

static void test_operations_other_store_is_not_found(void **state)
{
    (void)state;
    /* No S2 user may set up the workshop (S2 has an advisor and an admin), so S2's operation
     * is written directly. */
    const char *code = uniq_code("S2OP");
    char out[64];
    assert_int_equal(
        db_sql(fmt("INSERT INTO labour_operations (store_id, code, name, hours_x100, bay_kind, "
                   "skill, rate_fen, active, created_at, updated_at) SELECT id, '%s', 'S2 job', "
                   "100, 'general', 'mechanical', 15000, 1, '2026-01-01T00:00:00Z', "
                   "'2026-01-01T00:00:00Z' FROM stores WHERE code = 'S2'",
                   code),
               out, sizeof out),
        0);
    assert_int_equal(
        db_sql(fmt("SELECT id FROM labour_operations WHERE code = '%s'", code), out, sizeof out),
        0);
    int64_t id = strtoll(out, NULL, 10);
    assert_true(id > 0);
    const char *path = keep(fmt(OPS "/%lld", (long long)id));

    /* S2 sees it. */
    json_t *j = call("GET", path, tok(U_ADVISOR2), NULL, 200);
    assert_string_equal(jstr(j, "code"), code);
    assert_int_equal(jint(j, "labour_fen"), 15000);
    assert_string_equal(jstr(j, "kind"), "repair"); /* the column's default */
    json_decref(j);
    assert_true(listed(OPS, tok(U_ADVISOR2), id));

    /* S1 does not, and cannot change it. */
    assert_false(listed(OPS_ALL, tok(U_MANAGER), id));
    int64_t head = audit_head();
    rejected("GET", path, tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("PATCH", path, tok(U_MANAGER), "{\"rate_fen\":1,\"active\":false}", 404, "not_found",
             NULL);
    rejected("PATCH", path, tok(U_WORKSHOP), "{\"name\":\"mine\"}", 404, "not_found", NULL);
    assert_int_equal(audit_head(), head);
    assert_int_equal(
        db_sql(fmt("SELECT name || '/' || rate_fen || '/' || active FROM labour_operations "
                   "WHERE id = %lld",
                   (long long)id),
               out, sizeof out),
        0);
    assert_string_equal(out, "S2 job/15000/1");

    /* Codes are unique per store: S1 may use S2's. */
    json_t *mine = create_op(tok(U_MANAGER), code);
    assert_true(jint(mine, "id") != id);
    json_decref(mine);
    /* S1's operations are not S2's. */
    int64_t s1 = create_op_id(uniq_code("S1OP"));
    rejected("GET", fmt(OPS "/%lld", (long long)s1), tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    assert_false(listed(OPS_ALL, tok(U_ADVISOR2), s1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operations_create_as_service_manager),
        cmocka_unit_test(test_operations_create_as_workshop),
        cmocka_unit_test(test_operations_create_refused_for_other_roles),
        cmocka_unit_test(test_operations_duplicate_code_is_a_conflict),
        cmocka_unit_test(test_operations_create_missing_fields),
        cmocka_unit_test(test_operations_create_bad_hours),
        cmocka_unit_test(test_operations_create_bad_fields),
        cmocka_unit_test(test_operations_create_bad_codes),
        cmocka_unit_test(test_operations_kind),
        cmocka_unit_test(test_operations_patch_recomputes_the_labour),
        cmocka_unit_test(test_operations_patch_refused_changes_nothing),
        cmocka_unit_test(test_operations_patch_empty_name_refused),
        cmocka_unit_test(test_operations_retired_leave_the_default_list),
        cmocka_unit_test(test_operations_list_is_by_code),
        cmocka_unit_test(test_operations_other_store_is_not_found),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
