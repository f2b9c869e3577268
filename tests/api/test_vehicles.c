/* Vehicles over HTTP: VIN (ISO 3779 check digit) and plate rules, one VIN and one plate per
 * store, the owner from the same store, model year and purchase date bounds, dated odometer
 * readings that only count up (MR-4 asks for the mileage in the reminder call), role rights,
 * store isolation, paging and the audit log. Every rejected write is followed by a check
 * that it changed nothing. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* n copies of s. */
static char *repeat(const char *s, size_t n)
{
    size_t l = strlen(s);
    char *out = malloc(l * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * l, s, l);
    out[l * n] = '\0';
    return out;
}

/* A copy of s that outlives fmt()'s and day_offset()'s rotating buffers (kept until the
 * program ends). */
/* The store's current year. */
static int this_year(void)
{
    return atoi(day_offset(0));
}

/* A fresh VIN whose check digit (position 9) is wrong. */
static void bad_check_vin(char vin[18])
{
    make_vin(vin, uniq());
    vin[8] = vin[8] == '1' ? '2' : '1';
}

/* Creates a vehicle for customer cid as token with a fresh VIN and plate (copied out when
 * not NULL); returns its id. */
static int64_t vehicle_for(const char *token, int64_t cid, char *vin_out, char *plate_out)
{
    char vin[18], plate[32];
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    json_t *v =
        call("POST", "/api/v1/vehicles", token,
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"丰田\","
                 "\"model\":\"卡罗拉\",\"model_year\":2021,\"purchase_date\":\"2021-06-01\"}",
                 (long long)cid, vin, plate),
             201);
    int64_t id = jint(v, "id");
    json_decref(v);
    assert_true(id > 0);
    if (vin_out)
        memcpy(vin_out, vin, 18);
    if (plate_out)
        snprintf(plate_out, 32, "%s", plate);
    return id;
}

/* Posts an odometer reading; returns the response body (caller json_decref()s). */
static json_t *reading(int64_t vid, const char *date, long km, long status)
{
    return call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)vid), tok(U_ADVISOR),
                fmt("{\"date\":\"%s\",\"km\":%ld}", date, km), status);
}

/* Walks a list route page by page (path ends with "?" or has its own arguments), checking
 * each page's size; returns the ids in order. */
static size_t walk_ids(const char *path_, int limit, int64_t *ids, size_t cap)
{
    char path[256]; /* fmt()'s buffers rotate: keep a copy */
    snprintf(path, sizeof path, "%s", path_);
    const char *sep = path[strlen(path) - 1] == '?' ? "" : "&";
    size_t n = 0;
    char cursor[32] = "";
    for (int pages = 0; pages < 2000; pages++) {
        json_t *j = call(
            "GET", fmt("%s%slimit=%d%s%s", path, sep, limit, cursor[0] ? "&cursor=" : "", cursor),
            tok(U_ADVISOR), NULL, 200);
        json_t *items = json_object_get(j, "items"), *next = json_object_get(j, "next_cursor");
        assert_true(json_array_size(items) <= (size_t)limit);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            assert_true(n < cap);
            ids[n++] = jint(it, "id");
        }
        if (json_is_null(next)) {
            json_decref(j);
            return n;
        }
        assert_int_equal(json_array_size(items), (size_t)limit);
        snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(j);
    }
    fail_msg("paging did not end");
    return n;
}

static bool ids_contain(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

/* ---- create ---- */

static void test_vehicles_create_returns_201_with_fields(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "王小明");
    char vin[18], lower[18];
    unsigned n = uniq();
    make_vin(vin, n);
    for (int i = 0; i < 18; i++)
        lower[i] = (char)(vin[i] >= 'A' && vin[i] <= 'Z' ? vin[i] - 'A' + 'a' : vin[i]);
    /* VIN in lower case, plate with the dot people write: both normalised. */
    struct resp r =
        http("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"粤B·%05u\",\"brand\":\"大众\","
                 "\"model\":\"速腾\",\"model_year\":2022,\"purchase_date\":\"2022-03-15\"}",
                 (long long)cid, lower, n % 100000));
    json_t *v = expect(&r, 201);
    int64_t id = jint(v, "id");
    assert_true(id > 0);
    assert_int_equal(jint(v, "customer_id"), cid);
    assert_string_equal(jstr(v, "vin"), vin);
    assert_true(json_is_true(json_object_get(v, "vin_verified")));
    assert_string_equal(jstr(v, "plate"), fmt("粤B%05u", n % 100000));
    assert_string_equal(jstr(v, "brand"), "大众");
    assert_string_equal(jstr(v, "model"), "速腾");
    assert_int_equal(jint(v, "model_year"), 2022);
    assert_string_equal(jstr(v, "purchase_date"), "2022-03-15");
    /* The sale is the first reading. */
    assert_int_equal(jint(v, "mileage_km"), 0);
    assert_string_equal(jstr(v, "mileage_date"), "2022-03-15");
    json_t *owner = json_object_get(v, "owner");
    assert_int_equal(jint(owner, "id"), cid);
    assert_string_equal(jstr(owner, "name"), "王小明");
    char *created = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    resp_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    assert_unchanged(path, tok(U_ADVISOR), created);

    /* The owner counts and lists it. */
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 1);
    json_decref(c);
    c = call("GET", fmt("/api/v1/customers/%lld/vehicles", (long long)cid), tok(U_ADVISOR), NULL,
             200);
    assert_int_equal(json_array_size(json_object_get(c, "items")), 1);
    assert_int_equal(jint(json_array_get(json_object_get(c, "items"), 0), "id"), id);
    json_decref(c);

    /* Audited with the new values. */
    assert_int_equal(audit_count("vehicle", id), 1);
    json_t *e = last_audit("vehicle", id);
    assert_string_equal(jstr(e, "action"), "create");
    json_t *ch = json_object_get(json_object_get(e, "changes"), "vin");
    assert_true(json_is_null(json_array_get(ch, 0)));
    assert_string_equal(json_string_value(json_array_get(ch, 1)), vin);
    json_decref(e);
}

static void test_vehicles_create_minimal(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "李四");
    char vin[18];
    make_vin(vin, uniq());
    json_t *v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)cid, vin), 201);
    assert_true(json_is_null(json_object_get(v, "plate")));
    assert_true(json_is_null(json_object_get(v, "brand")));
    assert_true(json_is_null(json_object_get(v, "model_year")));
    assert_true(json_is_null(json_object_get(v, "purchase_date")));
    assert_int_equal(jint(v, "mileage_km"), 0);
    assert_true(json_is_null(json_object_get(v, "mileage_date")));
    json_decref(v);
    /* Two cars without plates do not collide. */
    make_vin(vin, uniq());
    json_decref(call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"\"}", (long long)cid, vin), 201));
}

static void test_vehicles_create_with_initial_mileage(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "周五");
    char vin[18];
    make_vin(vin, uniq());
    json_t *v =
        call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"mileage_km\":12345}", (long long)cid, vin),
             201);
    int64_t id = jint(v, "id");
    assert_int_equal(jint(v, "mileage_km"), 12345);
    assert_string_equal(jstr(v, "mileage_date"), day_offset(0));
    json_decref(v);
    json_t *m =
        call("GET", fmt("/api/v1/vehicles/%lld/mileage", (long long)id), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(m, "items")), 1);
    json_decref(m);
    /* Bounds of the initial reading. */
    make_vin(vin, uniq());
    json_decref(call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"mileage_km\":2000000}", (long long)cid, vin),
        201));
    make_vin(vin, uniq());
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"mileage_km\":2000001}", (long long)cid, vin),
        400, "invalid_field", "mileage_km");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"mileage_km\":-1}", (long long)cid, vin),
             400, "invalid_field", "mileage_km");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"mileage_km\":10.5}", (long long)cid, vin),
             400, "invalid_field", "mileage_km");
}

/* ---- VIN (ISO 3779) ---- */

static void test_vehicles_vin_check_digit_is_verified(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "赵六");
    /* The textbook example: check digit X. */
    json_t *v =
        call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"1M8GDM9AXKP042788\"}", (long long)cid), 201);
    assert_true(json_is_true(json_object_get(v, "vin_verified")));
    json_decref(v);
    /* Dashes and spaces are dropped. */
    char vin[18];
    make_vin(vin, uniq());
    v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%.6s-%.5s %s\"}", (long long)cid, vin, vin + 6,
                 vin + 11),
             201);
    assert_string_equal(jstr(v, "vin"), vin);
    json_decref(v);

    char bad[18];
    bad_check_vin(bad);
    int64_t audit = audit_head();
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)cid, bad), 422,
             "vin_check_digit", "vin");
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":\"verify\"}", (long long)cid, bad),
        422, "vin_check_digit", "vin");
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":\"maybe\"}", (long long)cid, bad),
        400, "invalid_field", "vin_check");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":false}", (long long)cid, bad),
             400, "invalid_field", "vin_check");
    assert_int_equal(audit_head(), audit);
    /* An imported or old car: the check is skipped on request and the VIN marked. */
    v = call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":\"skip\"}", (long long)cid, bad),
        201);
    assert_string_equal(jstr(v, "vin"), bad);
    assert_true(json_is_false(json_object_get(v, "vin_verified")));
    json_decref(v);
}

static void test_vehicles_invalid_vin_is_422(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "钱七");
    char vin[18];
    make_vin(vin, uniq());
    char with_i[18], with_o[18], with_q[18];
    memcpy(with_i, vin, 18);
    memcpy(with_o, vin, 18);
    memcpy(with_q, vin, 18);
    with_i[3] = 'I', with_o[3] = 'O', with_q[3] = 'Q';
    const char *bad[] = {keep(fmt("%.16s", vin)), keep(fmt("%s1", vin)), with_i, with_o, with_q,
                         "LFV2A21K0A3_12345",     "LFV2A21K0A3中2345",   "x"};
    int64_t audit = audit_head();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* Not a VIN at all, whether or not the check digit is verified. */
        rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)cid, bad[i]), 422,
                 "invalid_vin", "vin");
        rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":\"skip\"}", (long long)cid,
                     bad[i]),
                 422, "invalid_vin", "vin");
    }
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"\"}", (long long)cid), 422, "invalid_vin", "vin");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":12345678901234567}", (long long)cid), 400,
             "invalid_field", "vin");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld}", (long long)cid), 400, "missing_field", "vin");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":null}", (long long)cid), 400, "missing_field",
             "vin");
    assert_int_equal(audit_head(), audit);
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 0);
    json_decref(c);
}

/* ---- plates ---- */

static void test_vehicles_plate_formats_are_normalised(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "孙八");
    /* Each plate is head + five fresh digits + tail; so is the expected form. */
    static const struct {
        const char *in_head, *in_tail, *out_head, *out_tail;
    } cases[] = {
        {"粤B", "", "粤B", ""},   /* regular */
        {"粤B·", "", "粤B", ""},  /* with the middle dot */
        {"粤b ", "", "粤B", ""},  /* lower case and a space */
        {"粤B-", "", "粤B", ""},  /* a dash */
        {"粤BD", "", "粤BD", ""}, /* new energy, small car: 8 characters */
        {"粤B", "F", "粤B", "F"}, /* new energy, large vehicle */
        {"京A", "", "京A", ""},   /* another province */
        {"粤Ｂ", "", "粤B", ""},  /* full-width letter */
        {"沪A", "", "沪A", ""},   /* Shanghai */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned n = uniq();
        char vin[18], in[48], out[48];
        make_vin(vin, n);
        snprintf(in, sizeof in, "%s%05u%s", cases[i].in_head, n % 100000, cases[i].in_tail);
        snprintf(out, sizeof out, "%s%05u%s", cases[i].out_head, n % 100000, cases[i].out_tail);
        json_t *v = call(
            "POST", "/api/v1/vehicles", tok(U_ADVISOR),
            fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)cid, vin, in),
            201);
        assert_string_equal(jstr(v, "plate"), out);
        json_decref(v);
    }
}

static void test_vehicles_special_plates(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "孙特");
    unsigned n = uniq();
    char vin[18];
    /* The documented example: 粤b·123 45 -> 粤B12345. */
    make_vin(vin, n);
    json_t *v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"粤b·%03u %02u\"}",
                         (long long)cid, vin, n % 1000, n / 1000 % 100),
                     201);
    assert_string_equal(jstr(v, "plate"), fmt("粤B%03u%02u", n % 1000, n / 1000 % 100));
    json_decref(v);
    /* Trailers, coaching cars, police and embassy plates. */
    static const char *const tails[] = {"挂", "学", "警"};
    for (size_t i = 0; i < 3; i++) {
        unsigned m = uniq();
        make_vin(vin, m);
        v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"粤B%04u%s\"}",
                     (long long)cid, vin, m % 10000, tails[i]),
                 201);
        assert_string_equal(jstr(v, "plate"), fmt("粤B%04u%s", m % 10000, tails[i]));
        json_decref(v);
    }
    unsigned m = uniq();
    make_vin(vin, m);
    v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"使%06u\"}", (long long)cid, vin,
                 m % 1000000),
             201);
    assert_string_equal(jstr(v, "plate"), fmt("使%06u", m % 1000000));
    json_decref(v);
}

static void test_vehicles_invalid_plate_is_422(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "吴九");
    static const char *const bad[] = {
        "粤B1234",    /* too short */
        "粤B1234567", /* too long */
        "XB12345",    /* no province */
        "美B12345",   /* not a province */
        "粤112345",   /* no authority letter */
        "粤B12I45",   /* I reads as 1 */
        "粤B12O45",   /* O reads as 0 */
        "粤B123456",  /* 8 characters but not new energy */
        "粤BZ12345",  /* new energy letter out of A-K */
        "粤B!2345",   "12345",
    };
    char vin[18];
    make_vin(vin, uniq());
    int64_t audit = audit_head();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)cid, vin,
                     bad[i]),
                 422, "invalid_plate", "plate");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":12345}", (long long)cid, vin), 400,
             "invalid_field", "plate");
    assert_int_equal(audit_head(), audit);
}

static void test_vehicles_duplicate_vin_or_plate_is_409(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "郑十");
    int64_t other = new_customer(tok(U_ADVISOR), "王十一");
    char vin[18], plate[32], vin2[18];
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, vin, plate);
    make_vin(vin2, uniq());
    int64_t audit = audit_head();
    /* Same VIN, another plate; same VIN in lower case; for another owner. */
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)other, vin), 409, "conflict",
             "vin");
    /* Same plate written differently. */
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"粤B·%s\"}", (long long)other,
                 vin2, plate + strlen("粤B")),
             409, "conflict", "plate");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)other, vin2,
                 plate),
             409, "conflict", "plate");
    assert_int_equal(audit_head(), audit);
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)other), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 0);
    json_decref(c);
    (void)id;

    /* Another store may have the same car. */
    int64_t c2 = new_customer(tok(U_ADVISOR2), "二店王");
    json_decref(call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR2),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)c2, vin, plate),
        201));
}

/* ---- owner, model year, purchase date, texts ---- */

static void test_vehicles_owner_must_exist_in_the_store(void **state)
{
    (void)state;
    int64_t foreign = new_customer(tok(U_ADVISOR2), "二店客户");
    char vin[18];
    make_vin(vin, uniq());
    int64_t audit = audit_head();
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)foreign, vin), 404,
             "not_found", NULL);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":999999999,\"vin\":\"%s\"}", vin), 404, "not_found", NULL);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR), fmt("{\"vin\":\"%s\"}", vin), 400,
             "missing_field", "customer_id");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":null,\"vin\":\"%s\"}", vin), 400, "missing_field",
             "customer_id");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":\"%lld\",\"vin\":\"%s\"}", (long long)foreign, vin), 400,
             "invalid_field", "customer_id");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":0,\"vin\":\"%s\"}", vin), 400, "invalid_field", "customer_id");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":1.5,\"vin\":\"%s\"}", vin), 400, "invalid_field", "customer_id");
    assert_int_equal(audit_head(), audit);
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)foreign), tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 0);
    json_decref(c);
}

static void test_vehicles_model_year_boundaries(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "冯一");
    int year = this_year();
    const int ok[] = {1950, year, year + 1};
    for (size_t i = 0; i < 3; i++) {
        char vin[18];
        make_vin(vin, uniq());
        json_t *v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                         fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"model_year\":%d}",
                             (long long)cid, vin, ok[i]),
                         201);
        assert_int_equal(jint(v, "model_year"), ok[i]);
        json_decref(v);
    }
    char vin[18];
    make_vin(vin, uniq());
    const char *bad[] = {
        "1949", keep(fmt("%d", year + 2)), "0", "-2020", "\"2020\"", "2020.5", "99999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"model_year\":%s}", (long long)cid, vin,
                     bad[i]),
                 400, "invalid_field", "model_year");
}

static void test_vehicles_purchase_date_rules(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "陈二");
    const char *ok[] = {day_offset(0), "2024-02-29", "2000-02-29", "1990-12-31"};
    for (size_t i = 0; i < 4; i++) {
        char vin[18];
        make_vin(vin, uniq());
        json_t *v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                         fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"purchase_date\":\"%s\"}",
                             (long long)cid, vin, ok[i]),
                         201);
        assert_string_equal(jstr(v, "purchase_date"), ok[i]);
        json_decref(v);
    }
    char vin[18];
    make_vin(vin, uniq());
    int64_t audit = audit_head();
    const char *bad[] = {day_offset(1), "2023-02-29", "1900-02-29",          "2024-02-30",
                         "2024-13-01",  "2024-00-10", "2024-2-29",           "2024/02/29",
                         "29.02.2024",  "",           "2024-02-29T00:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"purchase_date\":\"%s\"}",
                     (long long)cid, vin, bad[i]),
                 422, "invalid_date", "purchase_date");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"purchase_date\":20240229}", (long long)cid,
                 vin),
             400, "invalid_field", "purchase_date");
    assert_int_equal(audit_head(), audit);
}

static void test_vehicles_text_fields_are_bounded(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "褚三");
    char *b64 = repeat("奔", 64), *b65 = repeat("奔", 65);
    char vin[18];
    make_vin(vin, uniq());
    json_decref(call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"brand\":\"%s\",\"model\":\"%s\"}",
                         (long long)cid, vin, b64, b64),
                     201));
    make_vin(vin, uniq());
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"brand\":\"%s\"}", (long long)cid, vin, b65),
        400, "invalid_field", "brand");
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"model\":\"%s\"}", (long long)cid, vin, b65),
        400, "invalid_field", "model");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"brand\":7}", (long long)cid, vin), 400,
             "invalid_field", "brand");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"model\":\"A\\nB\"}", (long long)cid, vin),
             400, "invalid_field", "model");
    free(b64), free(b65);
}

static void test_vehicles_create_rejects_malformed_and_unknown(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "卫四");
    char vin[18];
    make_vin(vin, uniq());
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR), "{\"customer_id\":", 400, "invalid_json",
             NULL);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR), "[]", 400, "invalid_json", NULL);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR), NULL, 400, "invalid_json", NULL);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"colour\":\"red\"}", (long long)cid, vin),
             400, "invalid_field", "colour");
    rejected(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_verified\":true}", (long long)cid, vin),
        400, "invalid_field", "vin_verified");
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"id\":5}", (long long)cid, vin), 400,
             "invalid_field", "id");
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 0);
    json_decref(c);
}

/* ---- rights and stores ---- */

static void test_vehicles_write_rights_by_role(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "蒋五");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t audit = audit_head();
    /* Callers confirm contacts and mileage but do not register cars; nor do the others. */
    static const char *const no[] = {U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 5; i++) {
        char vin[18];
        make_vin(vin, uniq());
        rejected("POST", "/api/v1/vehicles", tok(no[i]),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", (long long)cid, vin), 403,
                 "forbidden", NULL);
        rejected("PATCH", path, tok(no[i]), "{\"brand\":\"宝马\"}", 403, "forbidden", NULL);
        json_decref(call("GET", path, tok(no[i]), NULL, 200));
    }
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), audit);
    /* The service manager may. */
    vehicle_for(tok(U_MANAGER), cid, NULL, NULL);
    json_decref(call("PATCH", path, tok(U_MANAGER), "{\"brand\":\"宝马\"}", 200));
    rejected("GET", path, NULL, NULL, 401, "unauthorized", NULL);
}

static void test_vehicles_of_another_store_are_404(void **state)
{
    (void)state;
    int64_t c2 = new_customer(tok(U_ADVISOR2), "二店赵");
    int64_t id = vehicle_for(tok(U_ADVISOR2), c2, NULL, NULL);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    char *before = snapshot(path, tok(U_ADVISOR2));
    int64_t audit = audit_head();
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("PATCH", path, tok(U_ADVISOR), "{\"brand\":\"宝马\"}", 404, "not_found", NULL);
    rejected("GET", fmt("%s/mileage", path), tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("POST", fmt("%s/mileage", path), tok(U_ADVISOR),
             fmt("{\"date\":\"%s\",\"km\":50000}", day_offset(0)), 404, "not_found", NULL);
    rejected("GET", fmt("%s/service-records", path), tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("GET", "/api/v1/vehicles/999999999", tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("GET", "/api/v1/vehicles/abc", tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    /* S1's lists do not show it. */
    int64_t ids[4000];
    size_t n = walk_ids("/api/v1/vehicles?", 200, ids, 4000);
    assert_false(ids_contain(ids, n, id));
    json_t *l = call("GET", fmt("/api/v1/vehicles?customer_id=%lld", (long long)c2), tok(U_ADVISOR),
                     NULL, 200);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
    json_decref(l);
    assert_int_equal(audit_head(), audit);
    assert_unchanged(path, tok(U_ADVISOR2), before);
}

static void test_vehicles_owner_name_is_masked_for_other_roles(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "王大锤");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)id), tok(U_PARTS), NULL, 200);
    assert_string_equal(jstr(json_object_get(v, "owner"), "name"), "王**");
    json_decref(v);
    v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)id), tok(U_CALLER), NULL, 200);
    assert_string_equal(jstr(json_object_get(v, "owner"), "name"), "王大锤");
    json_decref(v);
}

/* ---- updates ---- */

static void test_vehicles_patch_updates_and_audits_before_after(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "韩六");
    int64_t buyer = new_customer(tok(U_ADVISOR), "杨七");
    char plate[32];
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, plate);
    unsigned n = uniq();
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    json_t *v = call("PATCH", path, tok(U_ADVISOR),
                     fmt("{\"plate\":\"粤BD%05u\",\"brand\":\"比亚迪\",\"customer_id\":%lld}",
                         n % 100000, (long long)buyer),
                     200);
    assert_string_equal(jstr(v, "plate"), fmt("粤BD%05u", n % 100000));
    assert_string_equal(jstr(v, "brand"), "比亚迪");
    assert_string_equal(jstr(v, "model"), "卡罗拉"); /* untouched */
    assert_int_equal(jint(v, "customer_id"), buyer);
    assert_string_equal(jstr(json_object_get(v, "owner"), "name"), "杨七");
    json_decref(v);
    assert_int_equal(audit_count("vehicle", id), 2);
    json_t *e = last_audit("vehicle", id);
    assert_string_equal(jstr(e, "action"), "update");
    json_t *ch = json_object_get(e, "changes");
    json_t *p = json_object_get(ch, "plate");
    assert_string_equal(json_string_value(json_array_get(p, 0)), plate);
    assert_string_equal(json_string_value(json_array_get(p, 1)), fmt("粤BD%05u", n % 100000));
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "customer_id"), 0)),
                     cid);
    assert_null(json_object_get(ch, "model"));
    assert_null(json_object_get(ch, "vin"));
    json_decref(e);
    /* The old owner no longer counts it. */
    json_t *c =
        call("GET", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(c, "vehicle_count"), 0);
    json_decref(c);
    /* The old plate is free again. */
    char vin[18];
    make_vin(vin, uniq());
    json_decref(call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)cid, vin, plate),
        201));
    /* null clears the optional fields. */
    v = call("PATCH", path, tok(U_ADVISOR),
             "{\"plate\":null,\"brand\":null,\"model_year\":null,\"purchase_date\":null}", 200);
    assert_true(json_is_null(json_object_get(v, "plate")));
    assert_true(json_is_null(json_object_get(v, "brand")));
    assert_true(json_is_null(json_object_get(v, "model_year")));
    assert_true(json_is_null(json_object_get(v, "purchase_date")));
    assert_string_equal(jstr(v, "model"), "卡罗拉");
    json_decref(v);
    /* A new VIN whose check digit is wrong only with vin_check skip; then unverified. */
    char bad[18];
    bad_check_vin(bad);
    rejected("PATCH", path, tok(U_ADVISOR), fmt("{\"vin\":\"%s\"}", bad), 422, "vin_check_digit",
             "vin");
    v = call("PATCH", path, tok(U_ADVISOR), fmt("{\"vin\":\"%s\",\"vin_check\":\"skip\"}", bad),
             200);
    assert_string_equal(jstr(v, "vin"), bad);
    assert_true(json_is_false(json_object_get(v, "vin_verified")));
    json_decref(v);
    /* Other edits keep it as it is. */
    v = call("PATCH", path, tok(U_ADVISOR), "{\"brand\":\"丰田\"}", 200);
    assert_string_equal(jstr(v, "vin"), bad);
    assert_true(json_is_false(json_object_get(v, "vin_verified")));
    json_decref(v);
    json_t *a = last_audit("vehicle", id);
    assert_null(json_object_get(json_object_get(a, "changes"), "vin"));
    json_decref(a);
}

static void test_vehicles_patch_rejections_change_nothing(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "朱八");
    int64_t foreign = new_customer(tok(U_ADVISOR2), "二店朱");
    char vin_a[18], plate_a[32], bad[18];
    vehicle_for(tok(U_ADVISOR), cid, vin_a, plate_a);
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    bad_check_vin(bad);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    char *before = snapshot(path, tok(U_ADVISOR));
    int64_t audit = audit_head();
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {keep(fmt("{\"plate\":\"%s\"}", plate_a)), 409, "conflict", "plate"},
        {keep(fmt("{\"vin\":\"%s\"}", vin_a)), 409, "conflict", "vin"},
        {keep(fmt("{\"customer_id\":%lld}", (long long)foreign)), 404, "not_found", NULL},
        {"{\"customer_id\":999999999}", 404, "not_found", NULL},
        {keep(fmt("{\"vin\":\"%s\"}", bad)), 422, "vin_check_digit", "vin"},
        {"{\"vin\":\"SHORT\"}", 422, "invalid_vin", "vin"},
        {"{\"plate\":\"粤B1234\"}", 422, "invalid_plate", "plate"},
        {"{\"purchase_date\":\"2023-02-29\"}", 422, "invalid_date", "purchase_date"},
        {keep(fmt("{\"purchase_date\":\"%s\"}", day_offset(1))), 422, "invalid_date",
         "purchase_date"},
        {"{\"model_year\":1949}", 400, "invalid_field", "model_year"},
        {"{\"customer_id\":null}", 400, "missing_field", "customer_id"},
        {"{\"vin\":null}", 400, "missing_field", "vin"},
        {"{\"vin_check\":\"skip\"}", 400, "invalid_field", "vin_check"},
        {"{\"mileage_km\":5000}", 400, "invalid_field", "mileage_km"},
        {"{\"brand\":\"宝马\",\"owner\":\"x\"}", 400, "invalid_field", "owner"},
        {"{\"brand\":", 400, "invalid_json", NULL},
        {"42", 400, "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        rejected("PATCH", path, tok(U_ADVISOR), cases[i].body, cases[i].status, cases[i].code,
                 cases[i].field);
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_int_equal(audit_head(), audit);
}

/* ---- lists ---- */

static void test_vehicles_list_pages_without_duplicates_or_gaps(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "车队");
    int64_t mine[5];
    for (int i = 0; i < 5; i++)
        mine[i] = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    static int64_t small[4000], large[4000];
    size_t n_small = walk_ids("/api/v1/vehicles?", 2, small, 4000);
    size_t n_large = walk_ids("/api/v1/vehicles?", 200, large, 4000);
    assert_int_equal(n_small, n_large);
    for (size_t i = 0; i < n_small; i++) {
        assert_int_equal(small[i], large[i]);
        if (i > 0)
            assert_true(small[i] > small[i - 1]);
    }
    /* The owner filter: exactly the five, paged two by two. */
    int64_t own[10];
    size_t n_own = walk_ids(fmt("/api/v1/vehicles?customer_id=%lld", (long long)cid), 2, own, 10);
    assert_int_equal(n_own, 5);
    assert_memory_equal(own, mine, sizeof mine);

    static const char *const bad[][2] = {
        {"limit=0", "limit"},
        {"limit=201", "limit"},
        {"cursor=abc", "cursor"},
        {"customer_id=abc", "customer_id"},
        {"customer_id=0", "customer_id"},
        {"customer_id=-3", "customer_id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("GET", fmt("/api/v1/vehicles?%s", bad[i][0]), tok(U_ADVISOR), NULL, 400,
                 "invalid_field", bad[i][1]);
}

/* ---- odometer readings ---- */

static void test_vehicles_mileage_only_counts_up(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "秦九");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    json_t *m = reading(id, day_offset(-30), 10000, 201);
    assert_int_equal(jint(m, "km"), 10000);
    assert_string_equal(jstr(m, "date"), day_offset(-30));
    assert_string_equal(jstr(m, "source"), "manual");
    assert_int_equal(jint(json_object_get(m, "vehicle"), "mileage_km"), 10000);
    int64_t rid = jint(m, "id");
    json_decref(m);
    assert_int_equal(audit_count("mileage_reading", rid), 1);
    json_decref(reading(id, day_offset(-10), 15000, 201));

    /* The vehicle shows the latest reading. */
    json_t *v = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(v, "mileage_km"), 15000);
    assert_string_equal(jstr(v, "mileage_date"), day_offset(-10));
    json_decref(v);

    char *before = snapshot(path, tok(U_ADVISOR));
    char *readings = snapshot(fmt("%s/mileage", path), tok(U_ADVISOR));
    int64_t audit = audit_head();
    /* Lower after higher. */
    rejected("POST", fmt("%s/mileage", path), tok(U_ADVISOR),
             fmt("{\"date\":\"%s\",\"km\":14999}", day_offset(-5)), 422, "mileage_inconsistent",
             "km");
    /* Higher before lower (back-dated). */
    rejected("POST", fmt("%s/mileage", path), tok(U_ADVISOR),
             fmt("{\"date\":\"%s\",\"km\":16000}", day_offset(-20)), 422, "mileage_inconsistent",
             "km");
    rejected("POST", fmt("%s/mileage", path), tok(U_ADVISOR),
             fmt("{\"date\":\"%s\",\"km\":9000}", day_offset(-20)), 422, "mileage_inconsistent",
             "km");
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_unchanged(fmt("%s/mileage", path), tok(U_ADVISOR), readings);
    assert_int_equal(audit_head(), audit);

    /* A back-dated reading in between is fine and does not move the latest. */
    json_decref(reading(id, day_offset(-20), 12000, 201));
    /* Equal is fine (the car stood still). */
    json_decref(reading(id, day_offset(-2), 15000, 201));
    v = call("GET", path, tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(v, "mileage_km"), 15000);
    assert_string_equal(jstr(v, "mileage_date"), day_offset(-2));
    json_decref(v);
    m = call("GET", fmt("%s/mileage", path), tok(U_ADVISOR), NULL, 200);
    json_t *items = json_object_get(m, "items");
    /* sale + four readings, newest first */
    assert_int_equal(json_array_size(items), 5);
    assert_string_equal(jstr(json_array_get(items, 0), "date"), day_offset(-2));
    assert_string_equal(jstr(json_array_get(items, 4), "source"), "sale");
    json_decref(m);
}

static void test_vehicles_mileage_same_day_lower_reading_is_refused(void **state)
{
    (void)state;
    /* The odometer only counts up within a day too: 50,000 km and then 40,000 km on the same
     * date cannot both be true. */
    int64_t cid = new_customer(tok(U_ADVISOR), "尤十");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    json_decref(reading(id, day_offset(-3), 50000, 201));
    char path[64];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld/mileage", (long long)id);
    char *before = snapshot(path, tok(U_ADVISOR));
    rejected("POST", path, tok(U_ADVISOR), fmt("{\"date\":\"%s\",\"km\":40000}", day_offset(-3)),
             422, "mileage_inconsistent", "km");
    assert_unchanged(path, tok(U_ADVISOR), before);
}

static void test_vehicles_mileage_rejects_bad_input(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "许一");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    char path[64], post[80];
    snprintf(path, sizeof path, "/api/v1/vehicles/%lld", (long long)id);
    snprintf(post, sizeof post, "%s/mileage", path);
    char *before = snapshot(path, tok(U_ADVISOR));
    char *readings = snapshot(post, tok(U_ADVISOR));
    int64_t audit = audit_head();
    const char *today = keep(day_offset(0));
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {keep(fmt("{\"date\":\"%s\",\"km\":1000}", day_offset(1))), 422, "invalid_date", "date"},
        {"{\"date\":\"2023-02-29\",\"km\":1000}", 422, "invalid_date", "date"},
        {"{\"date\":\"2024-02-30\",\"km\":1000}", 422, "invalid_date", "date"},
        {"{\"date\":\"yesterday\",\"km\":1000}", 422, "invalid_date", "date"},
        {"{\"date\":20240229,\"km\":1000}", 400, "invalid_field", "date"},
        {keep(fmt("{\"date\":\"%s\",\"km\":2000001}", today)), 400, "invalid_field", "km"},
        {keep(fmt("{\"date\":\"%s\",\"km\":-1}", today)), 400, "invalid_field", "km"},
        {keep(fmt("{\"date\":\"%s\",\"km\":1.5}", today)), 400, "invalid_field", "km"},
        {keep(fmt("{\"date\":\"%s\",\"km\":\"1000\"}", today)), 400, "invalid_field", "km"},
        {keep(fmt("{\"date\":\"%s\"}", today)), 400, "missing_field", "km"},
        {keep(fmt("{\"date\":\"%s\",\"km\":null}", today)), 400, "missing_field", "km"},
        {keep(fmt("{\"date\":\"%s\",\"km\":1000,\"source\":\"sale\"}", today)), 400,
         "invalid_field", "source"},
        {keep(fmt("{\"date\":\"%s\",\"km\":1000,\"source\":\"service\"}", today)), 400,
         "invalid_field", "source"},
        {keep(fmt("{\"date\":\"%s\",\"km\":1000,\"note\":\"x\"}", today)), 400, "invalid_field",
         "note"},
        {"{\"km\":", 400, "invalid_json", NULL},
        {"[1000]", 400, "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        rejected("POST", post, tok(U_ADVISOR), cases[i].body, cases[i].status, cases[i].code,
                 cases[i].field);
    rejected("POST", "/api/v1/vehicles/999999999/mileage", tok(U_ADVISOR), "{\"km\":1000}", 404,
             "not_found", NULL);
    assert_unchanged(path, tok(U_ADVISOR), before);
    assert_unchanged(post, tok(U_ADVISOR), readings);
    assert_int_equal(audit_head(), audit);
}

static void test_vehicles_mileage_boundaries_and_defaults(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "何二");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    /* Feb 29 of a leap year is a date. */
    json_decref(reading(id, "2024-02-29", 30000, 201));
    /* Without a date: today. From a call: source call. */
    json_t *m = call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)id), tok(U_CALLER),
                     "{\"km\":2000000,\"source\":\"call\"}", 201);
    assert_string_equal(jstr(m, "date"), day_offset(0));
    assert_string_equal(jstr(m, "source"), "call");
    assert_int_equal(jint(json_object_get(m, "vehicle"), "mileage_km"), 2000000);
    json_decref(m);
}

static void test_vehicles_mileage_rights_by_role(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "吕三");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    char post[80];
    snprintf(post, sizeof post, "/api/v1/vehicles/%lld/mileage", (long long)id);
    /* MR-4: the caller enters the mileage asked in the call; the workshop reads it. */
    json_decref(call("POST", post, tok(U_CALLER),
                     fmt("{\"date\":\"%s\",\"km\":1000}", day_offset(-3)), 201));
    json_decref(call("POST", post, tok(U_WORKSHOP),
                     fmt("{\"date\":\"%s\",\"km\":1100}", day_offset(-2)), 201));
    json_decref(call("POST", post, tok(U_MANAGER),
                     fmt("{\"date\":\"%s\",\"km\":1200}", day_offset(-1)), 201));
    char *before = snapshot(post, tok(U_ADVISOR));
    static const char *const no[] = {U_PARTS, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 3; i++) {
        rejected("POST", post, tok(no[i]), fmt("{\"date\":\"%s\",\"km\":1300}", day_offset(0)), 403,
                 "forbidden", NULL);
        json_decref(call("GET", post, tok(no[i]), NULL, 200));
    }
    assert_unchanged(post, tok(U_ADVISOR), before);
}

/* ---- paging the readings (issue 11: cut at 500 rows without a word) ---- */

/* Asserts readings run newest first (date, then km, then id, descending), no id twice. */
static void assert_readings_newest_first(const json_t *items)
{
    for (size_t i = 1; i < json_array_size(items); i++) {
        const json_t *a = json_array_get(items, i - 1), *b = json_array_get(items, i);
        int c = strcmp(jstr(a, "date"), jstr(b, "date"));
        if (c == 0)
            c = jint(a, "km") < jint(b, "km") ? -1 : jint(a, "km") > jint(b, "km");
        if (c < 0 || (c == 0 && jint(a, "id") <= jint(b, "id")))
            fail_msg("reading %lld (%s, %lld km) before %lld (%s, %lld km)",
                     (long long)jint(a, "id"), jstr(a, "date"), (long long)jint(a, "km"),
                     (long long)jint(b, "id"), jstr(b, "date"), (long long)jint(b, "km"));
    }
}

static void test_vehicles_mileage_readings_are_paged_not_cut(void **state)
{
    (void)state;
    int64_t cid = new_customer(tok(U_ADVISOR), "钱五");
    int64_t id = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    /* 505 readings straight into the database, on 28 dates with 2 km figures a date, so
     * pages end between readings of the same date and the same km. */
    char out[64];
    assert_int_equal(
        db_sql(fmt("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 505) "
                   "INSERT INTO mileage_readings (store_id, vehicle_id, date, km, source, "
                   "created_at) SELECT v.store_id, v.id, CASE WHEN n %% 28 + 1 < 10 THEN "
                   "'2022-03-0' ELSE '2022-03-' END || (n %% 28 + 1), (n %% 28) * 100 + n %% 2, "
                   "'manual', '2022-04-01T00:00:00Z' FROM s, vehicles v WHERE v.id = %lld",
                   (long long)id),
               out, sizeof out),
        0);
    const char *path = keep(fmt("/api/v1/vehicles/%lld/mileage", (long long)id));
    json_t *all = fetch_pages(path, tok(U_ADVISOR), 0, NULL);
    size_t total = json_array_size(all);
    assert_true(total >= 505);
    json_decref(all);
    /* Without a limit: the 500 rows the list always gave, and now a cursor to the rest. */
    json_t *first = call("GET", path, tok(U_WORKSHOP), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(first, "items")), 500);
    assert_true(json_is_string(json_object_get(first, "next_cursor")));
    json_t *second = call("GET", fmt("%s?cursor=%s", path, jstr(first, "next_cursor")),
                          tok(U_WORKSHOP), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(second, "items")), total - 500);
    assert_true(json_is_null(json_object_get(second, "next_cursor")));
    json_decref(first);
    json_decref(second);
    all = fetch_pages(path, tok(U_WORKSHOP), 9, NULL);
    assert_int_equal(json_array_size(all), total);
    assert_readings_newest_first(all);
    json_decref(all);
    /* limit 1-500; a cursor is a reading of this vehicle. */
    rejected("GET", fmt("%s?limit=501", path), tok(U_ADVISOR), NULL, 400, "invalid_field", "limit");
    rejected("GET", fmt("%s?limit=0", path), tok(U_ADVISOR), NULL, 400, "invalid_field", "limit");
    int64_t other = vehicle_for(tok(U_ADVISOR), cid, NULL, NULL);
    json_t *m = call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)other), tok(U_ADVISOR),
                     "{\"km\":10}", 201);
    rejected("GET", fmt("%s?cursor=%lld", path, (long long)jint(m, "id")), tok(U_ADVISOR), NULL,
             400, "invalid_field", "cursor");
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vehicles_create_returns_201_with_fields),
        cmocka_unit_test(test_vehicles_create_minimal),
        cmocka_unit_test(test_vehicles_create_with_initial_mileage),
        cmocka_unit_test(test_vehicles_vin_check_digit_is_verified),
        cmocka_unit_test(test_vehicles_invalid_vin_is_422),
        cmocka_unit_test(test_vehicles_plate_formats_are_normalised),
        cmocka_unit_test(test_vehicles_special_plates),
        cmocka_unit_test(test_vehicles_invalid_plate_is_422),
        cmocka_unit_test(test_vehicles_duplicate_vin_or_plate_is_409),
        cmocka_unit_test(test_vehicles_owner_must_exist_in_the_store),
        cmocka_unit_test(test_vehicles_model_year_boundaries),
        cmocka_unit_test(test_vehicles_purchase_date_rules),
        cmocka_unit_test(test_vehicles_text_fields_are_bounded),
        cmocka_unit_test(test_vehicles_create_rejects_malformed_and_unknown),
        cmocka_unit_test(test_vehicles_write_rights_by_role),
        cmocka_unit_test(test_vehicles_of_another_store_are_404),
        cmocka_unit_test(test_vehicles_owner_name_is_masked_for_other_roles),
        cmocka_unit_test(test_vehicles_patch_updates_and_audits_before_after),
        cmocka_unit_test(test_vehicles_patch_rejections_change_nothing),
        cmocka_unit_test(test_vehicles_list_pages_without_duplicates_or_gaps),
        cmocka_unit_test(test_vehicles_mileage_only_counts_up),
        cmocka_unit_test(test_vehicles_mileage_same_day_lower_reading_is_refused),
        cmocka_unit_test(test_vehicles_mileage_rejects_bad_input),
        cmocka_unit_test(test_vehicles_mileage_boundaries_and_defaults),
        cmocka_unit_test(test_vehicles_mileage_rights_by_role),
        cmocka_unit_test(test_vehicles_mileage_readings_are_paged_not_cut),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
