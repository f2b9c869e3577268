/* Service records (repair orders) over HTTP: labour and parts lines, totals computed by the
 * server in integer fen (IN-7: labour plus parts), the odometer reading each record adds,
 * strict input (no floats for money, no unknown fields, errors that name the line), all or
 * nothing on failure, role rights, store isolation and the audit log. The history a caller
 * sees before a reminder call (MR-4) is GET /vehicles/{id}/service-records. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* A copy of s that outlives fmt()'s and day_offset()'s rotating buffers (kept until the
 * program ends). */
/* A fresh customer and vehicle (sold 2021-06-01 at 0 km) as token; returns the vehicle. */
static int64_t fresh_vehicle(const char *token)
{
    return new_vehicle(token, new_customer(token, "维修客户"));
}

/* A record body for vehicle vid: date, km, then the extra members (",\"kind\":..." etc.)
 * spliced in as given. */
static const char *record(int64_t vid, const char *date, long km, const char *extra)
{
    return fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":%ld%s}", (long long)vid, date,
               km, extra);
}

/* Everything a failed POST could have touched: the vehicle, its readings, its records and
 * the audit log. */
struct trace {
    char *vehicle, *mileage, *records;
    int64_t audit;
    int64_t vid;
};

static struct trace trace_take(int64_t vid)
{
    struct trace t;
    t.vid = vid;
    t.vehicle = snapshot(fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR));
    t.mileage = snapshot(fmt("/api/v1/vehicles/%lld/mileage", (long long)vid), tok(U_ADVISOR));
    t.records =
        snapshot(fmt("/api/v1/vehicles/%lld/service-records", (long long)vid), tok(U_ADVISOR));
    t.audit = audit_head();
    return t;
}

/* Asserts nothing of t changed (and frees it). */
static void trace_same(struct trace *t)
{
    assert_unchanged(fmt("/api/v1/vehicles/%lld", (long long)t->vid), tok(U_ADVISOR), t->vehicle);
    assert_unchanged(fmt("/api/v1/vehicles/%lld/mileage", (long long)t->vid), tok(U_ADVISOR),
                     t->mileage);
    assert_unchanged(fmt("/api/v1/vehicles/%lld/service-records", (long long)t->vid),
                     tok(U_ADVISOR), t->records);
    assert_int_equal(audit_head(), t->audit);
}

/* POSTs body and expects it refused with nothing written. */
static void refused(int64_t vid, const char *body, long status, const char *code, const char *field)
{
    char copy[8192];
    snprintf(copy, sizeof copy, "%s", body);
    struct trace t = trace_take(vid);
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR), copy, status, code, field);
    trace_same(&t);
}

/* ---- success ---- */

static void test_service_records_create_computes_totals_in_fen(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* IN-7: labour 125.00 + 50.00; parts 4 x 45.50 + 1 x 38.00. */
    struct resp r =
        http("POST", "/api/v1/service-records", tok(U_ADVISOR),
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"date_out\":\"%s\",\"mileage_km\":23456,"
                 "\"kind\":\"maintenance\",\"technician\":\"张师傅\",\"notes\":\"更换机油机滤\","
                 "\"labour\":[{\"code\":\"A01\",\"operation\":\"更换机油\",\"hours\":1.25,"
                 "\"amount_fen\":12500},{\"operation\":\"检查底盘\",\"hours\":0.5,"
                 "\"amount_fen\":5000}],"
                 "\"parts\":[{\"part_no\":\"06L115562\",\"name\":\"机油滤清器\",\"qty\":4,"
                 "\"unit_price_fen\":4550},{\"part_no\":\"G052195M4\",\"qty\":1,"
                 "\"unit_price_fen\":3800}]}",
                 (long long)vid, day_offset(-4), day_offset(-3)));
    json_t *s = expect(&r, 201);
    int64_t id = jint(s, "id");
    assert_true(id > 0);
    assert_int_equal(jint(s, "vehicle_id"), vid);
    assert_true(jint(s, "customer_id") > 0);
    assert_string_equal(jstr(s, "date"), day_offset(-4));
    assert_string_equal(jstr(s, "date_out"), day_offset(-3));
    assert_int_equal(jint(s, "mileage_km"), 23456);
    assert_string_equal(jstr(s, "kind"), "maintenance");
    assert_string_equal(jstr(s, "technician"), "张师傅");
    /* The advisor who writes it is the advisor of the record. */
    json_t *me = call("GET", "/api/v1/me", tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(s, "advisor_id"), jint(json_object_get(me, "user"), "id"));
    assert_string_equal(jstr(s, "advisor_name"), jstr(json_object_get(me, "user"), "display_name"));
    json_decref(me);
    json_t *labour = json_object_get(s, "labour"), *parts = json_object_get(s, "parts");
    assert_int_equal(json_array_size(labour), 2);
    assert_string_equal(jstr(json_array_get(labour, 0), "code"), "A01");
    assert_true(
        fabs(json_number_value(json_object_get(json_array_get(labour, 0), "hours")) - 1.25) < 1e-9);
    assert_true(json_is_null(json_object_get(json_array_get(labour, 1), "code")));
    assert_int_equal(json_array_size(parts), 2);
    assert_int_equal(jint(json_array_get(parts, 0), "amount_fen"), 18200);
    assert_int_equal(jint(json_array_get(parts, 1), "amount_fen"), 3800);
    assert_int_equal(jint(s, "labour_fen"), 17500);
    assert_int_equal(jint(s, "parts_fen"), 22000);
    assert_int_equal(jint(s, "total_fen"), 39500);
    char *created = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
    resp_free(&r);

    char path[64];
    snprintf(path, sizeof path, "/api/v1/service-records/%lld", (long long)id);
    assert_unchanged(path, tok(U_ADVISOR), created);

    /* MR-4: the vehicle's history shows it with its lines. */
    json_t *h = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)vid),
                     tok(U_CALLER), NULL, 200);
    json_t *items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(jint(json_array_get(items, 0), "id"), id);
    assert_int_equal(jint(json_array_get(items, 0), "total_fen"), 39500);
    assert_int_equal(json_array_size(json_object_get(json_array_get(items, 0), "parts")), 2);
    json_decref(h);

    /* The record's odometer reading, dated the day the car came in. */
    json_t *v =
        call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR), NULL, 200);
    assert_int_equal(jint(v, "mileage_km"), 23456);
    assert_string_equal(jstr(v, "mileage_date"), day_offset(-4));
    json_decref(v);
    json_t *m = call("GET", fmt("/api/v1/vehicles/%lld/mileage", (long long)vid), tok(U_ADVISOR),
                     NULL, 200);
    json_t *first = json_array_get(json_object_get(m, "items"), 0);
    assert_string_equal(jstr(first, "source"), "service");
    assert_int_equal(jint(first, "service_record_id"), id);
    assert_int_equal(jint(first, "km"), 23456);
    json_decref(m);

    /* Audited. */
    assert_int_equal(audit_count("service_record", id), 1);
}

static void test_service_records_without_lines_total_zero(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(0), 100, ",\"kind\":\"other\""), 201);
    assert_int_equal(jint(s, "total_fen"), 0);
    assert_int_equal(json_array_size(json_object_get(s, "labour")), 0);
    assert_true(json_is_null(json_object_get(s, "date_out")));
    json_decref(s);
    /* Empty arrays and null are no lines either. */
    s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
             record(vid, day_offset(0), 100,
                    ",\"kind\":\"repair\",\"labour\":[],\"parts\":null,\"date_out\":null"),
             201);
    assert_int_equal(jint(s, "total_fen"), 0);
    json_decref(s);
}

static void test_service_records_accept_every_kind(void **state)
{
    (void)state;
    static const char *const kinds[] = {"maintenance", "repair",   "warranty",
                                        "recall",      "accident", "other"};
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    for (size_t i = 0; i < 6; i++) {
        json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                         record(vid, day_offset(-10 + (int)i), 1000 * (long)(i + 1),
                                fmt(",\"kind\":\"%s\"", kinds[i])),
                         201);
        assert_string_equal(jstr(s, "kind"), kinds[i]);
        json_decref(s);
    }
    /* Newest first. */
    json_t *h = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)vid),
                     tok(U_ADVISOR), NULL, 200);
    json_t *items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 6);
    assert_string_equal(jstr(json_array_get(items, 0), "kind"), "other");
    assert_string_equal(jstr(json_array_get(items, 5), "kind"), "maintenance");
    json_decref(h);
}

static void test_service_records_hours_boundaries(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* Two decimals at most; whole hours come back as integers. */
    static const struct {
        const char *hours;
        double want;
    } ok[] = {{"1.25", 1.25}, {"0", 0},     {"0.01", 0.01}, {"2", 2},
              {"1000", 1000}, {"0.1", 0.1}, {"0.29", 0.29}, {"4.35", 4.35},
              {"1.13", 1.13}, {"8.2", 8.2}, {"2.50", 2.5}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                         record(vid, day_offset(0), 500,
                                fmt(",\"kind\":\"repair\",\"labour\":[{\"operation\":\"工时\","
                                    "\"hours\":%s,\"amount_fen\":100}]",
                                    ok[i].hours)),
                         201);
        double got = json_number_value(
            json_object_get(json_array_get(json_object_get(s, "labour"), 0), "hours"));
        assert_true(fabs(got - ok[i].want) < 1e-9);
        json_decref(s);
    }
    static const char *const bad[] = {"1.255", "0.001", "-1", "1000.01", "\"1.5\"", "true", "1e10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(vid,
                record(vid, day_offset(0), 500,
                       fmt(",\"kind\":\"repair\",\"labour\":[{\"operation\":\"工时\","
                           "\"hours\":%s,\"amount_fen\":100}]",
                           bad[i])),
                400, "invalid_field", "labour[0].hours");
}

static void test_service_records_parts_qty_and_prices(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(0), 500,
                            ",\"kind\":\"repair\",\"parts\":[{\"part_no\":\"P1\",\"qty\":1,"
                            "\"unit_price_fen\":0},{\"part_no\":\"P2\",\"qty\":10000,"
                            "\"unit_price_fen\":999}]"),
                     201);
    assert_int_equal(jint(s, "parts_fen"), 9990000);
    assert_int_equal(jint(s, "total_fen"), 9990000);
    json_decref(s);
    static const struct {
        const char *line, *code, *field;
    } bad[] = {
        {"{\"part_no\":\"P\",\"qty\":0,\"unit_price_fen\":100}", "invalid_field", "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":-1,\"unit_price_fen\":100}", "invalid_field", "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":1.5,\"unit_price_fen\":100}", "invalid_field", "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":2.0,\"unit_price_fen\":100}", "invalid_field", "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":\"2\",\"unit_price_fen\":100}", "invalid_field",
         "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":10001,\"unit_price_fen\":100}", "invalid_field",
         "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":12.5}", "invalid_field",
         "parts[0].unit_price_fen"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":-100}", "invalid_field",
         "parts[0].unit_price_fen"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":\"100\"}", "invalid_field",
         "parts[0].unit_price_fen"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":10000000001}", "invalid_field",
         "parts[0].unit_price_fen"},
        {"{\"part_no\":\"P\",\"unit_price_fen\":100}", "missing_field", "parts[0].qty"},
        {"{\"part_no\":\"P\",\"qty\":1}", "missing_field", "parts[0].unit_price_fen"},
        {"{\"qty\":1,\"unit_price_fen\":100}", "missing_field", "parts[0].part_no"},
        {"{\"part_no\":\"\",\"qty\":1,\"unit_price_fen\":100}", "missing_field",
         "parts[0].part_no"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":100,\"discount\":5}", "invalid_field",
         "parts[0].discount"},
        {"{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":100,\"amount_fen\":100}", "invalid_field",
         "parts[0].amount_fen"},
        {"{\"part_no\":\"123456789012345678901234567890123\",\"qty\":1,\"unit_price_fen\":1}",
         "invalid_field", "parts[0].part_no"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(vid,
                record(vid, day_offset(0), 500,
                       fmt(",\"kind\":\"repair\",\"parts\":[%s]", bad[i].line)),
                400, bad[i].code, bad[i].field);
}

static void test_service_records_money_must_be_integer_fen(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    static const char *const bad[] = {"12.5", "100.0", "\"100\"",    "-1",
                                      "null", "true",  "10000000001"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(vid,
                record(vid, day_offset(0), 500,
                       fmt(",\"kind\":\"repair\",\"labour\":[{\"operation\":\"换刹车片\","
                           "\"hours\":1,\"amount_fen\":%s}]",
                           bad[i])),
                400, strcmp(bad[i], "null") == 0 ? "missing_field" : "invalid_field",
                "labour[0].amount_fen");
    refused(vid,
            record(vid, day_offset(0), 500,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"换刹车片\",\"hours\":1}]"),
            400, "missing_field", "labour[0].amount_fen");
}

/* ---- errors name the line; nothing half-written ---- */

static void test_service_records_bad_second_line_writes_nothing(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    refused(vid,
            record(vid, day_offset(0), 8000,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100}],"
                   "\"parts\":[{\"part_no\":\"P1\",\"qty\":1,\"unit_price_fen\":100},"
                   "{\"part_no\":\"P2\",\"qty\":0,\"unit_price_fen\":100}]"),
            400, "invalid_field", "parts[1].qty");
    refused(vid,
            record(vid, day_offset(0), 8000,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100},"
                   "{\"operation\":\"喷漆\",\"amount_fen\":12.5}]"),
            400, "invalid_field", "labour[1].amount_fen");
    refused(vid,
            record(vid, day_offset(0), 8000,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100},"
                   "{\"operation\":\"喷漆\",\"amount_fen\":100,\"discount\":1}]"),
            400, "invalid_field", "labour[1].discount");
    refused(vid,
            record(vid, day_offset(0), 8000,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100},"
                   "{\"amount_fen\":100}]"),
            400, "missing_field", "labour[1].operation");
}

static void test_service_records_labour_line_rules(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* A catalogue code alone names the operation. */
    json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(0), 500,
                            ",\"kind\":\"repair\",\"labour\":[{\"code\":\"B12\","
                            "\"amount_fen\":100}]"),
                     201);
    assert_string_equal(jstr(json_array_get(json_object_get(s, "labour"), 0), "operation"), "B12");
    json_decref(s);
    char op65[200];
    memset(op65, 'o', 65);
    op65[65] = '\0';
    refused(vid,
            record(vid, day_offset(0), 500,
                   fmt(",\"kind\":\"repair\",\"labour\":[{\"operation\":\"%s\","
                       "\"amount_fen\":100}]",
                       op65)),
            400, "invalid_field", "labour[0].operation");
    refused(vid,
            record(vid, day_offset(0), 500,
                   ",\"kind\":\"repair\",\"labour\":[{\"code\":"
                   "\"123456789012345678901234567890123\",\"amount_fen\":100}]"),
            400, "invalid_field", "labour[0].code");
    refused(vid,
            record(vid, day_offset(0), 500,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":5,\"amount_fen\":100}]"),
            400, "invalid_field", "labour[0].operation");
}

static void test_service_records_lines_must_be_arrays_of_objects(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    refused(vid, record(vid, day_offset(0), 500, ",\"kind\":\"repair\",\"labour\":{}"), 400,
            "invalid_field", "labour");
    refused(vid, record(vid, day_offset(0), 500, ",\"kind\":\"repair\",\"parts\":\"P1\""), 400,
            "invalid_field", "parts");
    /* A line that is not an object is named by its index. */
    refused(vid,
            record(vid, day_offset(0), 500,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100},"
                   "\"喷漆\"]"),
            400, "invalid_field", "labour[1]");
    refused(vid, record(vid, day_offset(0), 500, ",\"kind\":\"repair\",\"parts\":[42]"), 400,
            "invalid_field", "parts[0]");
}

static void test_service_records_line_count_is_bounded(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* 100 lines are fine, 101 are not; the error names the array that is too long. */
    static const char line_p[] = "{\"part_no\":\"P\",\"qty\":1,\"unit_price_fen\":1}";
    static const char line_l[] = "{\"operation\":\"L\",\"amount_fen\":1}";
    size_t parts_cap = 101 * (sizeof line_p + 1) + 8, labour_cap = 101 * (sizeof line_l + 1) + 8;
    char *parts = malloc(parts_cap), *labour = malloc(labour_cap);
    assert_non_null(parts);
    assert_non_null(labour);
    char *body = malloc(200000);
    assert_non_null(body);
    for (int n = 100; n <= 101; n++) {
        size_t pp = 0, ll = 0;
        for (int i = 0; i < n; i++) {
            pp += (size_t)snprintf(parts + pp, parts_cap - pp, "%s%s", i ? "," : "", line_p);
            ll += (size_t)snprintf(labour + ll, labour_cap - ll, "%s%s", i ? "," : "", line_l);
        }
        if (n == 100) {
            snprintf(body, 200000,
                     "{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":500,\"kind\":\"repair\","
                     "\"labour\":[%s],\"parts\":[%s]}",
                     (long long)vid, day_offset(0), labour, parts);
            json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR), body, 201);
            assert_int_equal(jint(s, "total_fen"), 200);
            assert_int_equal(json_array_size(json_object_get(s, "parts")), 100);
            json_decref(s);
            continue;
        }
        struct trace t = trace_take(vid);
        snprintf(body, 200000,
                 "{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":500,\"kind\":\"repair\","
                 "\"parts\":[%s]}",
                 (long long)vid, day_offset(0), parts);
        rejected("POST", "/api/v1/service-records", tok(U_ADVISOR), body, 400, "invalid_field",
                 "parts");
        snprintf(body, 200000,
                 "{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":500,\"kind\":\"repair\","
                 "\"labour\":[%s]}",
                 (long long)vid, day_offset(0), labour);
        rejected("POST", "/api/v1/service-records", tok(U_ADVISOR), body, 400, "invalid_field",
                 "labour");
        trace_same(&t);
    }
    free(parts);
    free(labour);
    free(body);
}

static void test_service_records_reject_overflowing_totals(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* 10,000 x 100,000,000.00 yuan is beyond any repair order. */
    struct trace t = trace_take(vid);
    struct resp r = http("POST", "/api/v1/service-records", tok(U_ADVISOR),
                         record(vid, day_offset(0), 500,
                                ",\"kind\":\"repair\",\"parts\":[{\"part_no\":\"P\","
                                "\"qty\":10000,\"unit_price_fen\":10000000000}]"));
    expect_error(&r, 400, "invalid_field", NULL);
    resp_free(&r);
    trace_same(&t);
}

/* ---- top-level fields ---- */

static void test_service_records_reject_missing_wrong_and_unknown_fields(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    const char *d = keep(day_offset(0));
    struct {
        const char *body;
        const char *code, *field;
    } cases[] = {
        {keep(fmt("{\"date\":\"%s\",\"mileage_km\":1,\"kind\":\"repair\"}", d)), "missing_field",
         "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":%lld,\"mileage_km\":1,\"kind\":\"repair\"}", (long long)vid)),
         "missing_field", "date"},
        {keep(fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"kind\":\"repair\"}", (long long)vid, d)),
         "missing_field", "mileage_km"},
        {keep(record(vid, d, 1, "")), "missing_field", "kind"},
        {keep(record(vid, d, 1, ",\"kind\":\"tuning\"")), "invalid_field", "kind"},
        {keep(record(vid, d, 1, ",\"kind\":\"Repair\"")), "invalid_field", "kind"},
        {keep(record(vid, d, 1, ",\"kind\":3")), "invalid_field", "kind"},
        {keep(fmt("{\"vehicle_id\":\"%lld\",\"date\":\"%s\",\"mileage_km\":1,\"kind\":\"repair\"}",
                  (long long)vid, d)),
         "invalid_field", "vehicle_id"},
        {keep(fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":1.5,\"kind\":\"repair\"}",
                  (long long)vid, d)),
         "invalid_field", "mileage_km"},
        {keep(fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":\"1\",\"kind\":\"repair\"}",
                  (long long)vid, d)),
         "invalid_field", "mileage_km"},
        {keep(record(vid, d, 2000001, ",\"kind\":\"repair\"")), "invalid_field", "mileage_km"},
        {keep(record(vid, d, -1, ",\"kind\":\"repair\"")), "invalid_field", "mileage_km"},
        {keep(record(vid, d, 1, ",\"kind\":\"repair\",\"total_fen\":100")), "invalid_field",
         "total_fen"},
        {keep(record(vid, d, 1, ",\"kind\":\"repair\",\"customer_id\":1")), "invalid_field",
         "customer_id"},
        {keep(record(vid, d, 1, ",\"kind\":\"repair\",\"technician\":7")), "invalid_field",
         "technician"},
        {keep(record(vid, d, 1, ",\"kind\":\"repair\",\"advisor_id\":\"me\"")), "invalid_field",
         "advisor_id"},
        {"{\"vehicle_id\":", "invalid_json", NULL},
        {"[]", "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(vid, cases[i].body, 400, cases[i].code, cases[i].field);
    struct trace t = trace_take(vid);
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR), NULL, 400, "invalid_json", NULL);
    trace_same(&t);
}

static void test_service_records_date_rules(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    /* date_out on the day in is fine; Feb 29 of a leap year is a date. */
    json_t *s = call(
        "POST", "/api/v1/service-records", tok(U_ADVISOR),
        record(vid, "2024-02-29", 30000, ",\"kind\":\"repair\",\"date_out\":\"2024-02-29\""), 201);
    assert_string_equal(jstr(s, "date"), "2024-02-29");
    assert_string_equal(jstr(s, "date_out"), "2024-02-29");
    json_decref(s);
    const char *today = keep(day_offset(0));
    struct {
        const char *body;
        const char *field;
    } cases[] = {
        {keep(record(vid, day_offset(1), 40000, ",\"kind\":\"repair\"")), "date"},
        {keep(record(vid, "2023-02-29", 40000, ",\"kind\":\"repair\"")), "date"},
        {keep(record(vid, "2024-04-31", 40000, ",\"kind\":\"repair\"")), "date"},
        {keep(record(vid, "2024/03/01", 40000, ",\"kind\":\"repair\"")), "date"},
        {keep(record(vid, today, 40000, ",\"kind\":\"repair\",\"date_out\":\"2024-03-01\"")),
         "date_out"},
        {keep(record(vid, today, 40000,
                     fmt(",\"kind\":\"repair\",\"date_out\":\"%s\"", day_offset(1)))),
         "date_out"},
        {keep(record(vid, "2024-03-01", 40000, ",\"kind\":\"repair\",\"date_out\":\"2023-02-29\"")),
         "date_out"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(vid, cases[i].body, 422, "invalid_date", cases[i].field);
    refused(vid, record(vid, today, 40000, ",\"kind\":\"repair\",\"date_out\":20240301"), 400,
            "invalid_field", "date_out");
}

static void test_service_records_mileage_must_not_go_back(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(-10), 50000, ",\"kind\":\"maintenance\""), 201));
    /* A later record with a lower odometer: nothing is written, the field is mileage_km. */
    refused(vid,
            record(vid, day_offset(-5), 49999,
                   ",\"kind\":\"repair\",\"labour\":[{\"operation\":\"拆装\",\"amount_fen\":100}],"
                   "\"parts\":[{\"part_no\":\"P1\",\"qty\":2,\"unit_price_fen\":100}]"),
            422, "mileage_inconsistent", "mileage_km");
    /* An earlier record with a higher odometer. */
    refused(vid, record(vid, day_offset(-20), 60000, ",\"kind\":\"repair\""), 422,
            "mileage_inconsistent", "mileage_km");
    /* Boundaries of the odometer. */
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(0), 2000000, ",\"kind\":\"repair\""), 201));
}

static void test_service_records_same_day_lower_mileage_is_refused(void **state)
{
    (void)state;
    /* Two orders on one day: the second cannot show fewer kilometres than the first. */
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     record(vid, day_offset(-1), 50000, ",\"kind\":\"maintenance\""), 201));
    refused(vid, record(vid, day_offset(-1), 40000, ",\"kind\":\"repair\""), 422,
            "mileage_inconsistent", "mileage_km");
}

/* ---- stores, rights ---- */

static void test_service_records_of_another_store_are_404(void **state)
{
    (void)state;
    int64_t v2 = fresh_vehicle(tok(U_ADVISOR2));
    json_t *s = call("POST", "/api/v1/service-records", tok(U_ADVISOR2),
                     record(v2, day_offset(0), 1000, ",\"kind\":\"repair\""), 201);
    int64_t rec = jint(s, "id");
    json_decref(s);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/service-records/%lld", (long long)rec);
    char *before = snapshot(path, tok(U_ADVISOR2));
    int64_t audit = audit_head();
    /* Reading, and writing against the other store's car. */
    rejected("GET", path, tok(U_ADVISOR), NULL, 404, "not_found", NULL);
    rejected("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)v2), tok(U_ADVISOR),
             NULL, 404, "not_found", NULL);
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             record(v2, day_offset(0), 2000, ",\"kind\":\"repair\""), 404, "not_found",
             "vehicle_id");
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             record(999999999, day_offset(0), 2000, ",\"kind\":\"repair\""), 404, "not_found",
             "vehicle_id");
    rejected("GET", "/api/v1/service-records/999999999", tok(U_ADVISOR), NULL, 404, "not_found",
             NULL);
    assert_int_equal(audit_head(), audit);
    assert_unchanged(path, tok(U_ADVISOR2), before);
    json_t *h = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)v2),
                     tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(h, "items")), 1);
    json_decref(h);

    /* An advisor of another store cannot be named on the record. */
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    json_t *me = call("GET", "/api/v1/me", tok(U_ADVISOR2), NULL, 200);
    int64_t adv2 = jint(json_object_get(me, "user"), "id");
    json_decref(me);
    assert_true(adv2 > 0);
    refused(vid,
            record(vid, day_offset(0), 1000,
                   fmt(",\"kind\":\"repair\",\"advisor_id\":%lld", (long long)adv2)),
            404, "not_found", "advisor_id");
}

static void test_service_records_write_rights_by_role(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    static const char *const no[] = {U_CALLER, U_PARTS, U_WORKSHOP, U_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        struct trace t = trace_take(vid);
        rejected("POST", "/api/v1/service-records", tok(no[i]),
                 record(vid, day_offset(0), 1000, ",\"kind\":\"repair\""), 403, "forbidden", NULL);
        trace_same(&t);
    }
    /* Warranty clerks write warranty and recall orders; managers any. */
    json_t *s = call("POST", "/api/v1/service-records", tok(U_WARRANTY),
                     record(vid, day_offset(-2), 1000, ",\"kind\":\"warranty\""), 201);
    assert_true(json_is_null(json_object_get(s, "advisor_id")));
    json_decref(s);
    json_decref(call("POST", "/api/v1/service-records", tok(U_MANAGER),
                     record(vid, day_offset(-1), 1100, ",\"kind\":\"recall\""), 201));
    /* Every role of the store reads the history. */
    static const char *const readers[] = {U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 5; i++) {
        json_t *h = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)vid),
                         tok(readers[i]), NULL, 200);
        assert_int_equal(json_array_size(json_object_get(h, "items")), 2);
        json_decref(h);
    }
    rejected("POST", "/api/v1/service-records", NULL,
             record(vid, day_offset(0), 1200, ",\"kind\":\"repair\""), 401, "unauthorized", NULL);
}

/* ---- paging (issue 11: the history was cut at 200 rows without a word) ---- */

/* n records for vehicle vid written straight into the database, on 28 dates of January 2022
 * (about n/28 on each date, so pages end between records of one day). */
static void insert_records(int64_t vid, int n)
{
    char out[64];
    assert_int_equal(
        db_sql(fmt("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) "
                   "INSERT INTO service_records (store_id, vehicle_id, customer_id, date_in, "
                   "mileage_km, kind, labour_fen, parts_fen, total_fen, created_at) "
                   "SELECT v.store_id, v.id, v.customer_id, CASE WHEN n %% 28 + 1 < 10 THEN "
                   "'2022-01-0' ELSE '2022-01-' END || (n %% 28 + 1), n * 10, 'repair', 0, 0, 0, "
                   "'2022-02-01T00:00:00Z' FROM s, vehicles v WHERE v.id = %lld",
                   n, (long long)vid),
               out, sizeof out),
        0);
}

/* Asserts items run newest first (date, then id, descending) with no id twice. */
static void assert_newest_first(const json_t *items)
{
    for (size_t i = 1; i < json_array_size(items); i++) {
        const json_t *a = json_array_get(items, i - 1), *b = json_array_get(items, i);
        int c = strcmp(jstr(a, "date"), jstr(b, "date"));
        if (c < 0 || (c == 0 && jint(a, "id") <= jint(b, "id")))
            fail_msg("record %lld (%s) before %lld (%s)", (long long)jint(a, "id"), jstr(a, "date"),
                     (long long)jint(b, "id"), jstr(b, "date"));
    }
}

static void test_service_records_history_is_paged_not_cut(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR));
    insert_records(vid, 205);
    const char *path = keep(fmt("/api/v1/vehicles/%lld/service-records", (long long)vid));
    /* Without a limit: the 200 rows the list always gave, and now a cursor to the rest. */
    json_t *first = call("GET", path, tok(U_CALLER), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(first, "items")), 200);
    assert_true(json_is_string(json_object_get(first, "next_cursor")));
    json_t *second = call("GET", fmt("%s?cursor=%s", path, jstr(first, "next_cursor")),
                          tok(U_CALLER), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(second, "items")), 5);
    assert_true(json_is_null(json_object_get(second, "next_cursor")));
    json_decref(first);
    json_decref(second);
    /* Small pages end inside a day's records: every record once, newest first. */
    int pages;
    json_t *all = fetch_pages(path, tok(U_CALLER), 7, &pages);
    assert_int_equal(json_array_size(all), 205);
    assert_int_equal(pages, 30);
    assert_newest_first(all);
    json_decref(all);
    all = fetch_pages(path, tok(U_CALLER), 200, &pages);
    assert_int_equal(json_array_size(all), 205);
    assert_newest_first(all);
    json_decref(all);
}

static void test_service_records_paging_rejects_bad_limits_and_cursors(void **state)
{
    (void)state;
    int64_t vid = fresh_vehicle(tok(U_ADVISOR)), other = fresh_vehicle(tok(U_ADVISOR));
    insert_records(vid, 3);
    insert_records(other, 1);
    const char *path = keep(fmt("/api/v1/vehicles/%lld/service-records", (long long)vid));
    rejected("GET", fmt("%s?limit=0", path), tok(U_ADVISOR), NULL, 400, "invalid_field", "limit");
    rejected("GET", fmt("%s?limit=201", path), tok(U_ADVISOR), NULL, 400, "invalid_field", "limit");
    rejected("GET", fmt("%s?cursor=x", path), tok(U_ADVISOR), NULL, 400, "invalid_field", "cursor");
    /* A cursor is a record of this vehicle: another car's record is not one. */
    json_t *o = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)other),
                     tok(U_ADVISOR), NULL, 200);
    int64_t foreign = jint(json_array_get(json_object_get(o, "items"), 0), "id");
    json_decref(o);
    rejected("GET", fmt("%s?cursor=%lld", path, (long long)foreign), tok(U_ADVISOR), NULL, 400,
             "invalid_field", "cursor");
    /* Another store's vehicle stays 404, with or without a cursor. */
    rejected("GET", fmt("%s?limit=1", path), tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_records_create_computes_totals_in_fen),
        cmocka_unit_test(test_service_records_without_lines_total_zero),
        cmocka_unit_test(test_service_records_accept_every_kind),
        cmocka_unit_test(test_service_records_hours_boundaries),
        cmocka_unit_test(test_service_records_parts_qty_and_prices),
        cmocka_unit_test(test_service_records_money_must_be_integer_fen),
        cmocka_unit_test(test_service_records_bad_second_line_writes_nothing),
        cmocka_unit_test(test_service_records_labour_line_rules),
        cmocka_unit_test(test_service_records_lines_must_be_arrays_of_objects),
        cmocka_unit_test(test_service_records_line_count_is_bounded),
        cmocka_unit_test(test_service_records_reject_overflowing_totals),
        cmocka_unit_test(test_service_records_reject_missing_wrong_and_unknown_fields),
        cmocka_unit_test(test_service_records_date_rules),
        cmocka_unit_test(test_service_records_mileage_must_not_go_back),
        cmocka_unit_test(test_service_records_same_day_lower_mileage_is_refused),
        cmocka_unit_test(test_service_records_of_another_store_are_404),
        cmocka_unit_test(test_service_records_write_rights_by_role),
        cmocka_unit_test(test_service_records_history_is_paged_not_cut),
        cmocka_unit_test(test_service_records_paging_rejects_bad_limits_and_cursors),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
