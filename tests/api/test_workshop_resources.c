/* The workshop's resources over HTTP (IN-6, IN-8, IN-13): bays with upper-cased codes unique
 * per store (numbered B01, B02 ... when none is given) and a kind, technicians with skills and
 * working days ("days": "mon" ... "sun"), and the periods either is out of service. Writes by the
 * service manager and the workshop only, reads by any archive reader; another store's resource is
 * 404; audit rows; a refused request changes nothing. Codes and names carry uniq() so tests do not
 * collide. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAYS      "/api/v1/bays"
#define BAYS_ALL  "/api/v1/bays?all=true"
#define TECHS     "/api/v1/technicians"
#define TECHS_ALL "/api/v1/technicians?all=true"

/* ---- helpers ---- */

static int64_t new_bay(const char *token, const char *code)
{
    json_t *j =
        call("POST", BAYS, token,
             fmt("{\"code\":\"%s\",\"name\":\"快修一号\",\"kind\":\"quick_service\"}", code), 201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

static int64_t new_tech(const char *token)
{
    json_t *j = call("POST", TECHS, token,
                     fmt("{\"name\":\"张师傅%u\",\"skills\":[\"maintenance\"]}", uniq()), 201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

/* Whether the list at path holds this id. */
static bool listed(const char *path, int64_t id)
{
    json_t *j = call("GET", path, tok(U_ADVISOR), NULL, 200);
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

/* A write that must be refused with status/code/field, leaving the resource at `check`
 * (as the manager sees it) and the audit log as they were. */
static void refused(const char *method, const char *path, const char *token, const char *body,
                    const char *check, long status, const char *code, const char *field)
{
    int64_t head = audit_head();
    char *before = snapshot(check, tok(U_MANAGER));
    rejected(method, path, token, body, status, code, field);
    assert_unchanged(check, tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
}

/* Asserts a JSON value as compact text, e.g. ["mon","wed"]. */
static void json_is_text(const json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%s, want %s", got, want);
    free(got);
}

static int64_t count_rows(const char *sql)
{
    char out[64] = "";
    assert_int_equal(db_sql(sql, out, sizeof out), 0);
    return atoll(out);
}

/* ---- bays ---- */

static void test_workshop_bay_create_get_list(void **state)
{
    (void)state;
    const char *code = uniq_code("q.b_x");
    json_t *j =
        call("POST", BAYS, tok(U_MANAGER),
             fmt("{\"code\":\"%s\",\"name\":\"快修一号\",\"kind\":\"quick_service\"}", code), 201);
    int64_t id = jint(j, "id");
    assert_string_equal(jstr(j, "code"), upper_copy(code));
    assert_string_equal(jstr(j, "name"), "快修一号");
    assert_string_equal(jstr(j, "kind"), "quick_service");
    assert_true(json_is_true(json_object_get(j, "active")));
    assert_non_null(jstr(j, "created_at"));
    json_decref(j);

    /* Any archive reader reads it; the detail has its (empty) downtime. */
    json_t *g = call("GET", fmt(BAYS "/%lld", (long long)id), tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(g, "code"), upper_copy(code));
    assert_true(json_is_array(json_object_get(g, "downtime")));
    assert_int_equal(json_array_size(json_object_get(g, "downtime")), 0);
    json_decref(g);
    assert_true(listed(BAYS, id));

    json_t *a = last_audit("bay", id);
    assert_string_equal(jstr(a, "action"), "create");
    assert_string_equal(jstr(a, "actor"), U_MANAGER);
    json_t *ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "code"), 1)),
                        upper_copy(code));
    json_decref(a);

    /* The workshop may create too. */
    int64_t w = new_bay(tok(U_WORKSHOP), uniq_code("w"));
    json_t *aw = last_audit("bay", w);
    assert_string_equal(jstr(aw, "actor"), U_WORKSHOP);
    json_decref(aw);
}

static void test_workshop_bay_duplicate_code_any_case(void **state)
{
    (void)state;
    const char *code = uniq_code("dup");
    new_bay(tok(U_MANAGER), upper_copy(code));
    refused("POST", BAYS, tok(U_MANAGER),
            fmt("{\"code\":\"%s\",\"name\":\"x\",\"kind\":\"general\"}", code), BAYS_ALL, 409,
            "conflict", "code");
    refused("POST", BAYS, tok(U_WORKSHOP),
            fmt("{\"code\":\"%s\",\"name\":\"x\",\"kind\":\"general\"}", upper_copy(code)),
            BAYS_ALL, 409, "conflict", "code");
}

static void test_workshop_bay_create_bad_input(void **state)
{
    (void)state;
    const char *c = uniq_code("bad");
    refused("POST", BAYS, tok(U_MANAGER),
            fmt("{\"code\":\"%s\",\"name\":\"x\",\"kind\":\"car_wash\"}", c), BAYS_ALL, 400,
            "invalid_field", "kind");
    refused("POST", BAYS, tok(U_MANAGER), fmt("{\"code\":\"%s\",\"kind\":\"general\"}", c),
            BAYS_ALL, 400, "missing_field", "name");
    refused("POST", BAYS, tok(U_MANAGER),
            fmt("{\"code\":\"%s\",\"name\":\"\",\"kind\":\"general\"}", c), BAYS_ALL, 400,
            "missing_field", "name");
    refused("POST", BAYS, tok(U_MANAGER), fmt("{\"code\":\"%s\",\"name\":\"x\"}", c), BAYS_ALL, 400,
            "missing_field", "kind");
    refused("POST", BAYS, tok(U_MANAGER), "{\"code\":\"\",\"name\":\"x\",\"kind\":\"general\"}",
            BAYS_ALL, 400, "missing_field", "code");
    refused("POST", BAYS, tok(U_MANAGER), "{\"code\":7,\"name\":\"x\",\"kind\":\"general\"}",
            BAYS_ALL, 400, "invalid_field", "code");
    /* Without a code, the other fields are checked all the same. */
    refused("POST", BAYS, tok(U_MANAGER), "{\"name\":\"x\",\"kind\":\"lift\"}", BAYS_ALL, 400,
            "invalid_field", "kind");
    refused("POST", BAYS, tok(U_MANAGER), "{\"kind\":\"general\"}", BAYS_ALL, 400, "missing_field",
            "name");
    refused("POST", BAYS, tok(U_MANAGER), "{\"code\":\"a b\",\"name\":\"x\",\"kind\":\"general\"}",
            BAYS_ALL, 400, "invalid_field", "code");
    refused("POST", BAYS, tok(U_MANAGER),
            fmt("{\"code\":\"%s\",\"name\":\"x\",\"kind\":\"general\",\"colour\":1}", c), BAYS_ALL,
            400, "invalid_field", "colour");
}

/* The store numbers a bay without a code: "B" and the first free number, two digits at
 * least, skipping codes taken (retired bays included, and those given by hand) but not
 * another store's. No other test makes codes of the form B<digits>. */
static void test_workshop_bay_code_generated(void **state)
{
    (void)state;
    const char *t = tok(U_MANAGER);
    char out[64], sql[300];
    json_t *j = call("POST", BAYS, t, "{\"name\":\"一号\",\"kind\":\"general\"}", 201);
    assert_string_equal(jstr(j, "code"), "B01");
    int64_t b01 = jint(j, "id");
    json_decref(j);
    json_t *a = last_audit("bay", b01);
    json_t *ch = json_object_get(a, "changes");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "code"), 1)), "B01");
    json_decref(a);
    j = call("POST", BAYS, tok(U_WORKSHOP), "{\"code\":null,\"name\":\"二号\",\"kind\":\"ev\"}",
             201);
    assert_string_equal(jstr(j, "code"), "B02");
    json_decref(j);
    /* B03 by hand, B04 retired: both taken; "B5" is another code than B05. */
    json_decref(call("POST", BAYS, t, "{\"code\":\"b03\",\"name\":\"x\",\"kind\":\"ev\"}", 201));
    j = call("POST", BAYS, t, "{\"name\":\"四号\",\"kind\":\"paint\"}", 201);
    assert_string_equal(jstr(j, "code"), "B04");
    json_decref(
        call("PATCH", fmt(BAYS "/%lld", (long long)jint(j, "id")), t, "{\"active\":false}", 200));
    json_decref(j);
    json_decref(call("POST", BAYS, t, "{\"code\":\"b5\",\"name\":\"x\",\"kind\":\"ev\"}", 201));
    j = call("POST", BAYS, t, "{\"name\":\"五号\",\"kind\":\"body\"}", 201);
    assert_string_equal(jstr(j, "code"), "B05");
    json_decref(j);
    /* S2's B06 is S2's. */
    assert_int_equal(db_sql("INSERT INTO bays (store_id, code, name, kind, active, created_at, "
                            "updated_at) SELECT id, 'B06', 'x', 'general', 1, 'T', 'T' FROM "
                            "stores WHERE code = 'S2'",
                            out, sizeof out),
                     0);
    j = call("POST", BAYS, t, "{\"name\":\"六号\",\"kind\":\"body\"}", 201);
    assert_string_equal(jstr(j, "code"), "B06");
    json_decref(j);
    /* A gap is filled first. */
    snprintf(sql, sizeof sql, "UPDATE bays SET code = 'X-B01' WHERE id = %lld", (long long)b01);
    assert_int_equal(db_sql(sql, out, sizeof out), 0);
    j = call("POST", BAYS, t, "{\"name\":\"补号\",\"kind\":\"general\"}", 201);
    assert_string_equal(jstr(j, "code"), "B01");
    json_decref(j);
    /* After B99, B100. */
    for (int i = 7; i <= 99; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO bays (store_id, code, name, kind, active, created_at, updated_at) "
                 "SELECT id, 'B%02d', 'x', 'general', 0, 'T', 'T' FROM stores WHERE code = 'S1'",
                 i);
        assert_int_equal(db_sql(sql, out, sizeof out), 0);
    }
    j = call("POST", BAYS, t, "{\"name\":\"百号\",\"kind\":\"general\"}", 201);
    assert_string_equal(jstr(j, "code"), "B100");
    json_decref(j);
}

static void test_workshop_bay_patch(void **state)
{
    (void)state;
    int64_t id = new_bay(tok(U_MANAGER), uniq_code("p"));
    const char *path = keep(fmt(BAYS "/%lld", (long long)id));
    json_t *j =
        call("PATCH", path, tok(U_WORKSHOP), "{\"name\":\"机修二号\",\"kind\":\"general\"}", 200);
    assert_string_equal(jstr(j, "name"), "机修二号");
    assert_string_equal(jstr(j, "kind"), "general");
    json_decref(j);
    json_t *a = last_audit("bay", id);
    assert_string_equal(jstr(a, "action"), "update");
    json_t *ch = json_object_get(json_object_get(a, "changes"), "kind");
    assert_string_equal(json_string_value(json_array_get(ch, 0)), "quick_service");
    assert_string_equal(json_string_value(json_array_get(ch, 1)), "general");
    json_decref(a);

    refused("PATCH", path, tok(U_MANAGER), "{\"name\":\"\"}", path, 400, "invalid_field", "name");
    refused("PATCH", path, tok(U_MANAGER), "{\"name\":null}", path, 400, "invalid_field", "name");
    refused("PATCH", path, tok(U_MANAGER), "{\"kind\":null}", path, 400, "invalid_field", "kind");
    refused("PATCH", path, tok(U_MANAGER), "{\"kind\":\"spa\"}", path, 400, "invalid_field",
            "kind");
    refused("PATCH", path, tok(U_MANAGER), "{\"code\":\"NEW\"}", path, 400, "invalid_field",
            "code");
    refused("PATCH", BAYS "/999999999", tok(U_MANAGER), "{\"name\":\"x\"}", path, 404, "not_found",
            NULL);
}

static void test_workshop_bay_inactive_leaves_the_list(void **state)
{
    (void)state;
    int64_t id = new_bay(tok(U_MANAGER), uniq_code("off"));
    json_t *j =
        call("PATCH", fmt(BAYS "/%lld", (long long)id), tok(U_MANAGER), "{\"active\":false}", 200);
    assert_true(json_is_false(json_object_get(j, "active")));
    json_decref(j);
    assert_false(listed(BAYS, id));
    assert_true(listed(BAYS_ALL, id));
    json_t *a = last_audit("bay", id);
    json_t *ch = json_object_get(json_object_get(a, "changes"), "active");
    assert_true(json_is_true(json_array_get(ch, 0)));
    assert_true(json_is_false(json_array_get(ch, 1)));
    json_decref(a);
}

/* ---- technicians ---- */

static void test_workshop_technician_create_and_patch(void **state)
{
    (void)state;
    json_t *j =
        call("POST", TECHS, tok(U_MANAGER),
             "{\"name\":\"李师傅\",\"skills\":[\"ev\",\"diagnostics\",\"maintenance\"]}", 201);
    int64_t id = jint(j, "id");
    json_t *sk = json_object_get(j, "skills");
    assert_int_equal(json_array_size(sk), 3);
    /* In SKILL_NAMES order. */
    assert_string_equal(json_string_value(json_array_get(sk, 0)), "maintenance");
    assert_string_equal(json_string_value(json_array_get(sk, 1)), "ev");
    assert_string_equal(json_string_value(json_array_get(sk, 2)), "diagnostics");
    /* Every day unless said otherwise, Monday first. */
    json_is_text(json_object_get(j, "days"),
                 "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]");
    assert_null(json_object_get(j, "work_days"));
    assert_true(json_is_true(json_object_get(j, "active")));
    json_decref(j);

    const char *path = keep(fmt(TECHS "/%lld", (long long)id));
    json_t *g = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(g, "name"), "李师傅");
    assert_int_equal(json_array_size(json_object_get(g, "days")), 7);
    assert_int_equal(json_array_size(json_object_get(g, "skills")), 3);
    assert_true(json_is_array(json_object_get(g, "downtime")));
    json_decref(g);
    assert_true(listed(TECHS, id));
    json_t *a = last_audit("technician", id);
    assert_string_equal(jstr(a, "action"), "create");
    json_decref(a);

    j = call("PATCH", path, tok(U_WORKSHOP),
             "{\"skills\":[\"paint\",\"body\"],\"days\":[\"sat\",\"mon\",\"wed\"]}", 200);
    sk = json_object_get(j, "skills");
    assert_int_equal(json_array_size(sk), 2);
    assert_string_equal(json_string_value(json_array_get(sk, 0)), "body");
    assert_string_equal(json_string_value(json_array_get(sk, 1)), "paint");
    /* Monday first, whatever the order given. */
    json_is_text(json_object_get(j, "days"), "[\"mon\",\"wed\",\"sat\"]");
    json_decref(j);
    g = call("GET", path, tok(U_ADVISOR), NULL, 200);
    json_is_text(json_object_get(g, "days"), "[\"mon\",\"wed\",\"sat\"]");
    json_decref(g);
    a = last_audit("technician", id);
    assert_string_equal(jstr(a, "action"), "update");
    assert_string_equal(jstr(a, "actor"), U_WORKSHOP);
    json_decref(a);

    /* Deactivated: out of the default list, still in ?all=true. */
    json_decref(call("PATCH", path, tok(U_MANAGER), "{\"active\":false}", 200));
    assert_false(listed(TECHS, id));
    assert_true(listed(TECHS_ALL, id));
}

static void test_workshop_technician_bad_input(void **state)
{
    (void)state;
    refused("POST", TECHS, tok(U_MANAGER), "{\"name\":\"x\",\"skills\":[\"juggling\"]}", TECHS_ALL,
            400, "invalid_field", "skills");
    refused("POST", TECHS, tok(U_MANAGER), "{\"name\":\"x\",\"skills\":[]}", TECHS_ALL, 400,
            "invalid_field", "skills");
    refused("POST", TECHS, tok(U_MANAGER), "{\"name\":\"x\"}", TECHS_ALL, 400, "missing_field",
            "skills");
    refused("POST", TECHS, tok(U_MANAGER), "{\"skills\":[\"ev\"]}", TECHS_ALL, 400, "missing_field",
            "name");
    static const char *const bad_days[] = {"[]",
                                           "[\"mon\",\"mon\"]",
                                           "[\"tue\",\"wed\",\"tue\"]",
                                           "[\"Mon\"]",
                                           "[\"monday\"]",
                                           "[1]",
                                           "[\"mon\",null]",
                                           "\"mon\"",
                                           "null",
                                           "{}",
                                           "[\"\"]"};
    for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++)
        refused("POST", TECHS, tok(U_MANAGER),
                fmt("{\"name\":\"x\",\"skills\":[\"ev\"],\"days\":%s}", bad_days[i]), TECHS_ALL,
                400, "invalid_field", "days");
    /* The old field is gone. */
    refused("POST", TECHS, tok(U_MANAGER), "{\"name\":\"x\",\"skills\":[\"ev\"],\"work_days\":[1]}",
            TECHS_ALL, 400, "invalid_field", "work_days");

    int64_t id = new_tech(tok(U_MANAGER));
    const char *path = keep(fmt(TECHS "/%lld", (long long)id));
    refused("PATCH", path, tok(U_MANAGER), "{\"skills\":[]}", path, 400, "invalid_field", "skills");
    refused("PATCH", path, tok(U_MANAGER), "{\"skills\":[\"ev\",\"nope\"]}", path, 400,
            "invalid_field", "skills");
    refused("PATCH", path, tok(U_MANAGER), "{\"skills\":null}", path, 400, "invalid_field",
            "skills");
    refused("PATCH", path, tok(U_MANAGER), "{\"days\":[]}", path, 400, "invalid_field", "days");
    refused("PATCH", path, tok(U_MANAGER), "{\"days\":[\"fri\",\"fri\"]}", path, 400,
            "invalid_field", "days");
    refused("PATCH", path, tok(U_MANAGER), "{\"days\":[\"sun\",\"xyz\"]}", path, 400,
            "invalid_field", "days");
    refused("PATCH", path, tok(U_MANAGER), "{\"days\":null}", path, 400, "invalid_field", "days");
    refused("PATCH", path, tok(U_MANAGER), "{\"work_days\":[1]}", path, 400, "invalid_field",
            "work_days");
    refused("PATCH", path, tok(U_MANAGER), "{\"name\":\"\"}", path, 400, "invalid_field", "name");
    refused("PATCH", path, tok(U_MANAGER), "{\"name\":null}", path, 400, "invalid_field", "name");
}

/* ---- downtime ---- */

static void test_workshop_downtime_shows_until_it_ends(void **state)
{
    (void)state;
    int64_t bay = new_bay(tok(U_MANAGER), uniq_code("dt"));
    const char *bpath = keep(fmt(BAYS "/%lld", (long long)bay));
    const char *from = keep(fmt("%sT09:00", day_offset(1)));
    const char *to = keep(fmt("%sT12:30", day_offset(1)));
    json_t *d =
        call("POST", fmt("%s/downtime", bpath), tok(U_WORKSHOP),
             fmt("{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"举升机检修\"}", from, to), 201);
    int64_t did = jint(d, "id");
    assert_true(did > 0);
    assert_string_equal(jstr(d, "from"), from);
    assert_string_equal(jstr(d, "to"), to);
    assert_string_equal(jstr(d, "reason"), "举升机检修");
    json_decref(d);
    json_t *a = last_audit("downtime", did);
    assert_string_equal(jstr(a, "action"), "create");
    assert_string_equal(jstr(a, "actor"), U_WORKSHOP);
    json_decref(a);

    /* One that ended yesterday does not show; one that runs through now does. */
    json_decref(call(
        "POST", fmt("%s/downtime", bpath), tok(U_MANAGER),
        fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT10:00\"}", day_offset(-2), day_offset(-1)), 201));
    json_decref(call(
        "POST", fmt("%s/downtime", bpath), tok(U_MANAGER),
        fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT10:00\"}", day_offset(-1), day_offset(2)), 201));
    json_t *g = call("GET", bpath, tok(U_ADVISOR), NULL, 200);
    json_t *dt = json_object_get(g, "downtime");
    assert_int_equal(json_array_size(dt), 2);
    assert_string_equal(jstr(json_array_get(dt, 0), "to"), keep(fmt("%sT10:00", day_offset(2))));
    assert_int_equal(jint(json_array_get(dt, 1), "id"), did);
    assert_true(json_is_null(json_object_get(json_array_get(dt, 0), "reason")));
    json_decref(g);

    /* Technicians too. */
    int64_t tech = new_tech(tok(U_MANAGER));
    const char *tpath = keep(fmt(TECHS "/%lld", (long long)tech));
    d = call("POST", fmt("%s/downtime", tpath), tok(U_MANAGER),
             fmt("{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"年假\"}", from, to), 201);
    did = jint(d, "id");
    json_decref(d);
    g = call("GET", tpath, tok(U_ADVISOR), NULL, 200);
    dt = json_object_get(g, "downtime");
    assert_int_equal(json_array_size(dt), 1);
    assert_int_equal(jint(json_array_get(dt, 0), "id"), did);
    json_decref(g);
    a = last_audit("downtime", did);
    assert_string_equal(jstr(a, "action"), "create");
    json_decref(a);
    /* The bay's periods are not the technician's. */
    g = call("GET", bpath, tok(U_ADVISOR), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(g, "downtime")), 2);
    json_decref(g);
}

static void test_workshop_downtime_bad_times(void **state)
{
    (void)state;
    int64_t bay = new_bay(tok(U_MANAGER), uniq_code("dtb"));
    int64_t tech = new_tech(tok(U_MANAGER));
    const char *paths[] = {keep(fmt(BAYS "/%lld", (long long)bay)),
                           keep(fmt(TECHS "/%lld", (long long)tech))};
    const char *day = keep(day_offset(3));
    for (size_t i = 0; i < 2; i++) {
        const char *post = keep(fmt("%s/downtime", paths[i]));
        /* to == from and to before from */
        refused("POST", post, tok(U_MANAGER),
                fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT09:00\"}", day, day), paths[i], 422,
                "invalid_date", "to");
        refused("POST", post, tok(U_MANAGER),
                fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT08:59\"}", day, day), paths[i], 422,
                "invalid_date", "to");
        refused("POST", post, tok(U_MANAGER),
                fmt("{\"from\":\"%s 09:00\",\"to\":\"%sT10:00\"}", day, day), paths[i], 422,
                "invalid_date", "from");
        refused("POST", post, tok(U_MANAGER),
                fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT25:00\"}", day, day), paths[i], 422,
                "invalid_date", "to");
        refused("POST", post, tok(U_MANAGER),
                "{\"from\":\"2030-02-30T09:00\",\"to\":\"2030-03-01T09:00\"}", paths[i], 422,
                "invalid_date", "from");
        refused("POST", post, tok(U_MANAGER), fmt("{\"from\":\"%sT09:00\"}", day), paths[i], 400,
                "missing_field", "to");
    }
}

static void test_workshop_other_store_is_not_found(void **state)
{
    (void)state;
    /* No S2 account may set up a workshop, so S2's resources are written directly. */
    char s2[32];
    assert_int_equal(db_sql("SELECT id FROM stores WHERE code = 'S2'", s2, sizeof s2), 0);
    const char *code = upper_copy(uniq_code("s2"));
    char out[32];
    assert_int_equal(
        db_sql(fmt("INSERT INTO bays (store_id, code, name, kind, active, created_at, updated_at) "
                   "VALUES (%s, '%s', 'S2 bay', 'general', 1, '2025-01-01T00:00:00Z', "
                   "'2025-01-01T00:00:00Z') RETURNING id",
                   s2, code),
               out, sizeof out),
        0);
    int64_t bay = atoll(out);
    assert_int_equal(
        db_sql(fmt("INSERT INTO technicians (store_id, name, skills, work_days, active, "
                   "created_at, updated_at) VALUES (%s, 'S2 tech', 1, 127, 1, "
                   "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z') RETURNING id",
                   s2),
               out, sizeof out),
        0);
    int64_t tech = atoll(out);
    assert_true(bay > 0 && tech > 0);

    /* S2's advisor reads them; S1 does not see them and cannot write to them. */
    json_decref(call("GET", fmt(BAYS "/%lld", (long long)bay), tok(U_ADVISOR2), NULL, 200));
    assert_false(listed(BAYS_ALL, bay));
    assert_false(listed(TECHS_ALL, tech));
    const char *body =
        keep(fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT10:00\"}", day_offset(1), day_offset(1)));
    const char *paths[] = {keep(fmt(BAYS "/%lld", (long long)bay)),
                           keep(fmt(TECHS "/%lld", (long long)tech))};
    int64_t head = audit_head();
    for (size_t i = 0; i < 2; i++) {
        char *before = snapshot(paths[i], tok(U_ADVISOR2));
        rejected("GET", paths[i], tok(U_MANAGER), NULL, 404, "not_found", NULL);
        rejected("PATCH", paths[i], tok(U_MANAGER), "{\"name\":\"mine\",\"active\":false}", 404,
                 "not_found", NULL);
        rejected("POST", fmt("%s/downtime", paths[i]), tok(U_WORKSHOP), body, 404, "not_found",
                 NULL);
        assert_unchanged(paths[i], tok(U_ADVISOR2), before);
    }
    assert_int_equal(audit_head(), head);
    assert_int_equal(count_rows(fmt("SELECT count(*) FROM downtime WHERE resource_id IN (%lld, "
                                    "%lld)",
                                    (long long)bay, (long long)tech)),
                     0);
    /* A code S2 holds is free in S1. */
    new_bay(tok(U_MANAGER), code);
}

/* ---- roles ---- */

static void test_workshop_writes_refused_for_other_roles(void **state)
{
    (void)state;
    int64_t bay = new_bay(tok(U_MANAGER), uniq_code("r"));
    int64_t tech = new_tech(tok(U_MANAGER));
    const char *bpath = keep(fmt(BAYS "/%lld", (long long)bay));
    const char *tpath = keep(fmt(TECHS "/%lld", (long long)tech));
    const char *dt =
        keep(fmt("{\"from\":\"%sT09:00\",\"to\":\"%sT10:00\"}", day_offset(1), day_offset(1)));
    const char *roles[] = {U_CALLER, U_ADVISOR, U_PARTS, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        const char *t = tok(roles[i]);
        refused("POST", BAYS, t,
                fmt("{\"code\":\"%s\",\"name\":\"x\",\"kind\":\"general\"}", uniq_code("rr")),
                BAYS_ALL, 403, "forbidden", NULL);
        refused("PATCH", bpath, t, "{\"name\":\"x\"}", bpath, 403, "forbidden", NULL);
        refused("POST", fmt("%s/downtime", bpath), t, dt, bpath, 403, "forbidden", NULL);
        refused("POST", TECHS, t, "{\"name\":\"x\",\"skills\":[\"ev\"]}", TECHS_ALL, 403,
                "forbidden", NULL);
        refused("PATCH", tpath, t, "{\"name\":\"x\"}", tpath, 403, "forbidden", NULL);
        refused("POST", fmt("%s/downtime", tpath), t, dt, tpath, 403, "forbidden", NULL);
        /* ... but they read. */
        json_decref(call("GET", bpath, t, NULL, 200));
        json_decref(call("GET", tpath, t, NULL, 200));
        json_decref(call("GET", BAYS, t, NULL, 200));
        json_decref(call("GET", TECHS, t, NULL, 200));
    }
    rejected("GET", BAYS, NULL, NULL, 401, "unauthorized", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workshop_bay_create_get_list),
        cmocka_unit_test(test_workshop_bay_duplicate_code_any_case),
        cmocka_unit_test(test_workshop_bay_create_bad_input),
        cmocka_unit_test(test_workshop_bay_code_generated),
        cmocka_unit_test(test_workshop_bay_patch),
        cmocka_unit_test(test_workshop_bay_inactive_leaves_the_list),
        cmocka_unit_test(test_workshop_technician_create_and_patch),
        cmocka_unit_test(test_workshop_technician_bad_input),
        cmocka_unit_test(test_workshop_downtime_shows_until_it_ends),
        cmocka_unit_test(test_workshop_downtime_bad_times),
        cmocka_unit_test(test_workshop_other_store_is_not_found),
        cmocka_unit_test(test_workshop_writes_refused_for_other_roles),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
