/* Bad input never crashes the server, never answers 500 and never writes anything: malformed
 * and hostile JSON, wrong types, unknown and over-long fields, invalid UTF-8, NULs, deep
 * nesting, huge numbers, odd ids in paths, unknown routes and methods, bad query parameters,
 * bodies over 1 MiB (Content-Length and chunked) and garbage on the socket. After each, the
 * server still answers /healthz and the audit log has not moved. */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

static char *TOKEN; /* adv1 */

static const char *token(void)
{
    if (!TOKEN)
        TOKEN = login(U_ADVISOR);
    return TOKEN;
}

static void still_healthy(int64_t head)
{
    json_t *j = call("GET", "/healthz", NULL, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    json_decref(j);
    assert_int_equal(audit_head(), head);
}

/* A raw body (may hold NULs) to a route; expects a 4xx error with one of the codes. */
static void expect_refused(const char *method, const char *path, const char *body, size_t len,
                           long status, const char *code, const char *field)
{
    struct req_opts o = {.token = token(), .raw_body = body, .raw_len = len};
    struct resp r = http_opts(method, path, &o);
    if (r.status != status)
        print_error("%s %s with %.200s\n", method, path, body ? body : "(no body)");
    expect_error(&r, status, code, field);
    resp_free(&r);
}

/* A 400 with invalid_json, invalid_field or missing_field (and the field when given). */
static void expect_400(struct resp *r, const char *field)
{
    const char *code =
        json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
    bool known = code && (strcmp(code, "invalid_json") == 0 || strcmp(code, "invalid_field") == 0 ||
                          strcmp(code, "missing_field") == 0);
    expect_error(r, 400, known ? code : "invalid_field", field);
}

#define BAD(path, body, status, code, field)                                                       \
    expect_refused("POST", path, body, 0, status, code, field)

static const char *phone(void)
{
    static char p[16];
    make_mobile(p, uniq());
    return p;
}

static char *repeat(const char *unit, size_t times, const char *prefix, const char *suffix)
{
    size_t u = strlen(unit), p = strlen(prefix), s = strlen(suffix);
    char *out = malloc(p + u * times + s + 1);
    assert_non_null(out);
    memcpy(out, prefix, p);
    for (size_t i = 0; i < times; i++)
        memcpy(out + p + i * u, unit, u);
    memcpy(out + p + u * times, suffix, s + 1);
    return out;
}

/* Copies tmpl into out with each of keys[i] replaced by values[i]. */
static void expand(const char *tmpl, const char *const *keys, const char *const *values, size_t n,
                   char *out, size_t cap)
{
    size_t used = 0;
    for (const char *p = tmpl; *p && used + 1 < cap;) {
        size_t k = 0;
        while (k < n && strncmp(p, keys[k], strlen(keys[k])) != 0)
            k++;
        if (k < n) {
            used += (size_t)snprintf(out + used, cap - used, "%s", values[k]);
            if (used >= cap)
                used = cap - 1;
            p += strlen(keys[k]);
        } else {
            out[used++] = *p++;
        }
    }
    out[used] = '\0';
}

/* A valid customer body of exactly len bytes (padded with spaces). */
static char *customer_of_size(size_t len)
{
    char head[128];
    int n = snprintf(head, sizeof head, "{\"name\":\"大包\",\"phone\":\"%s\"}", phone());
    assert_true((size_t)n <= len);
    char *b = malloc(len + 1);
    assert_non_null(b);
    memcpy(b, head, (size_t)n);
    memset(b + n, ' ', len - (size_t)n);
    b[len] = '\0';
    return b;
}

/* ---- JSON shape ---- */

static void test_bad_input_malformed_json(void **state)
{
    (void)state;
    int64_t head = audit_head();
    const char *bodies[] = {
        "{",
        "}",
        "{\"name\":}",
        "{\"name\":\"张三\",}",
        "{\"name\":\"张三\"",
        "{\"name\" \"张三\"}",
        "{'name':'张三'}",
        "{name:\"张三\"}",
        "{\"name\":\"张三\"}}",
        "{\"name\":\"张三\"} {\"name\":\"李四\"}",
        "{\"name\":\"unterminated}",
        "{\"name\":\"\\x41\"}",
        "{\"name\":\"\\u12\"}",
        "{\"name\":NaN}",
        "{\"name\":Infinity}",
        "{\"name\":01}",
        "{\"name\":tru}",
        "\xef\xbb\xbf{\"name\":\"张三\"}",
        "/* comment */ {\"name\":\"张三\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        BAD("/api/v1/customers", bodies[i], 400, "invalid_json", NULL);
    still_healthy(head);
}

static void test_bad_input_json_that_is_not_an_object(void **state)
{
    (void)state;
    int64_t head = audit_head();
    const char *bodies[] = {"[]",       "[{\"name\":\"张三\"}]",
                            "\"张三\"", "42",
                            "-1",       "3.5",
                            "null",     "true",
                            "false",    " ",
                            "\n\t "};
    const char *routes[] = {"/api/v1/customers", "/api/v1/vehicles", "/api/v1/service-records",
                            "/api/v1/session"};
    for (size_t k = 0; k < sizeof routes / sizeof routes[0]; k++) {
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
            BAD(routes[k], bodies[i], 400, "invalid_json", NULL);
        /* No body at all. */
        expect_refused("POST", routes[k], NULL, 0, 400, "invalid_json", NULL);
    }
    json_t *c = call("POST", "/api/v1/customers", token(),
                     fmt("{\"name\":\"形状\",\"phone\":\"%s\"}", phone()), 201);
    long long id = json_integer_value(json_object_get(c, "id"));
    json_decref(c);
    head = audit_head();
    expect_refused("PATCH", fmt("/api/v1/customers/%lld", id), "[]", 0, 400, "invalid_json", NULL);
    expect_refused("PATCH", fmt("/api/v1/customers/%lld", id), "null", 0, 400, "invalid_json",
                   NULL);
    expect_refused("PATCH", fmt("/api/v1/customers/%lld", id), NULL, 0, 400, "invalid_json", NULL);
    still_healthy(head);
}

static void test_bad_input_wrong_types_missing_and_unknown_fields(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "类型");
    long long v = (long long)new_vehicle(token(), c);
    int64_t head = audit_head();
    char vin[18];
    make_vin(vin, uniq());
    /* {c}, {v}, {vin} and {today} in paths and bodies stand for the records made above. */
    static const struct {
        const char *method, *path, *body;
        const char *code, *field;
    } cases[] = {
        {"POST", "/api/v1/customers", "{}", "missing_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":null}", "missing_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":123}", "invalid_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":[\"张三\"]}", "invalid_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":{\"x\":1}}", "invalid_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":true}", "invalid_field", "name"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"phone\":13912345678}", "invalid_field",
         "phone"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"type\":\"alien\"}", "invalid_field",
         "type"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"consent\":{\"sms\":1}}",
         "invalid_field", "consent.sms"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"consent\":{\"fax\":true}}",
         "invalid_field", "consent.fax"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"needs\":\"wash\"}", "invalid_field",
         "needs"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"id\":5}", "invalid_field", "id"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"store_id\":2}", "invalid_field",
         "store_id"},
        {"POST", "/api/v1/customers", "{\"name\":\"张三\",\"\":1}", "invalid_field", NULL},
        {"POST", "/api/v1/vehicles", "{\"vin\":\"LFV2A21K8A3000001\"}", "missing_field",
         "customer_id"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":{c}}", "missing_field", "vin"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":\"{c}\",\"vin\":\"{vin}\"}", "invalid_field",
         "customer_id"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":{c}.0,\"vin\":\"{vin}\"}", "invalid_field",
         "customer_id"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":-{c},\"vin\":\"{vin}\"}", "invalid_field",
         "customer_id"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":0,\"vin\":\"{vin}\"}", "invalid_field",
         "customer_id"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":{c},\"vin\":17}", "invalid_field", "vin"},
        {"POST", "/api/v1/vehicles",
         "{\"customer_id\":{c},\"vin\":\"{vin}\",\"model_year\":\"2020\"}", "invalid_field",
         "model_year"},
        {"POST", "/api/v1/vehicles", "{\"customer_id\":{c},\"vin\":\"{vin}\",\"colour\":\"red\"}",
         "invalid_field", "colour"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{}", "missing_field", "km"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{\"km\":\"100\"}", "invalid_field", "km"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{\"km\":-1}", "invalid_field", "km"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{\"km\":100.5}", "invalid_field", "km"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{\"km\":100,\"source\":\"guess\"}",
         "invalid_field", "source"},
        {"POST", "/api/v1/vehicles/{v}/mileage", "{\"km\":100,\"date\":20240101}", "invalid_field",
         "date"},
        {"POST", "/api/v1/service-records", "{}", "missing_field", "vehicle_id"},
        {"POST", "/api/v1/service-records",
         "{\"vehicle_id\":{v},\"date\":\"{today}\",\"mileage_km\":10,\"kind\":\"magic\"}",
         "invalid_field", "kind"},
        {"POST", "/api/v1/service-records",
         "{\"vehicle_id\":{v},\"date\":\"{today}\",\"mileage_km\":10,\"kind\":\"repair\","
         "\"labour\":{}}",
         "invalid_field", "labour"},
        {"POST", "/api/v1/service-records",
         "{\"vehicle_id\":{v},\"date\":\"{today}\",\"mileage_km\":10,\"kind\":\"repair\","
         "\"parts\":[{\"part_no\":\"A1\",\"qty\":0,\"unit_price_fen\":1}]}",
         "invalid_field", "parts[0].qty"},
        {"POST", "/api/v1/service-records",
         "{\"vehicle_id\":{v},\"date\":\"{today}\",\"mileage_km\":10,\"kind\":\"repair\","
         "\"labour\":[{\"operation\":\"x\",\"amount_fen\":\"5\"}]}",
         "invalid_field", "labour[0].amount_fen"},
        {"POST", "/api/v1/customers/{c}/drivers", "{}", "missing_field", "name"},
        {"POST", "/api/v1/customers/{c}/drivers", "{\"name\":\"x\",\"age\":3}", "invalid_field",
         "age"},
        {"POST", "/api/v1/customers/{c}/contact-confirmations", "{\"outcome\":\"maybe\"}",
         "invalid_field", "outcome"},
        {"PATCH", "/api/v1/customers/{c}", "{\"name\":null}", "missing_field", "name"},
        {"PATCH", "/api/v1/customers/{c}", "{\"name\":5}", "invalid_field", "name"},
        {"PATCH", "/api/v1/customers/{c}", "{\"vip\":true}", "invalid_field", "vip"},
        {"PATCH", "/api/v1/vehicles/{v}", "{\"vin\":null}", "missing_field", "vin"},
        {"PATCH", "/api/v1/vehicles/{v}", "{\"customer_id\":\"x\"}", "invalid_field",
         "customer_id"},
        {"PATCH", "/api/v1/vehicles/{v}", "{\"mileage_km\":5}", "invalid_field", "mileage_km"},
    };
    const char *const keys[] = {"{c}", "{v}", "{vin}", "{today}"};
    char cs[32], vs[32];
    snprintf(cs, sizeof cs, "%lld", c);
    snprintf(vs, sizeof vs, "%lld", v);
    const char *const values[] = {cs, vs, vin, day_offset(0)};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], body[1024];
        expand(cases[i].path, keys, values, 4, path, sizeof path);
        expand(cases[i].body, keys, values, 4, body, sizeof body);
        expect_refused(cases[i].method, path, body, 0, 400, cases[i].code, cases[i].field);
    }
    still_healthy(head);
}

static void test_bad_input_over_long_strings(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "长度");
    int64_t head = audit_head();
    struct {
        char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {repeat("王", 65, "{\"name\":\"", "\"}"), 400, "invalid_field", "name"},
        {repeat("a", 100000, "{\"name\":\"", "\"}"), 400, "invalid_field", "name"},
        {repeat("注", 2001, "{\"name\":\"张三\",\"notes\":\"", "\"}"), 400, "invalid_field",
         "notes"},
        {repeat("路", 1000, "{\"name\":\"张三\",\"address\":\"", "\"}"), 400, "invalid_field",
         "address"},
        {repeat("先", 500, "{\"name\":\"张三\",\"title\":\"", "\"}"), 400, "invalid_field",
         "title"},
        {repeat("1", 5000, "{\"name\":\"张三\",\"phone\":\"", "\"}"), 422, "invalid_phone",
         "phone"},
        {repeat("a", 5000, "{\"name\":\"张三\",\"email\":\"", "@example.com\"}"), 422,
         "invalid_email", "email"},
        {repeat("A", 10000, fmt("{\"customer_id\":%lld,\"vin\":\"", c), "\"}"), 422, "invalid_vin",
         "vin"},
        {repeat("B", 10000,
                fmt("{\"customer_id\":%lld,\"vin\":\"LFV2A21K8A3000001\",\"plate\":\"", c), "\"}"),
         422, "invalid_plate", "plate"},
        {repeat("车", 1000,
                fmt("{\"customer_id\":%lld,\"vin\":\"LFV2A21K8A3000001\",\"brand\":\"", c), "\"}"),
         400, "invalid_field", "brand"},
        /* A key of 100 000 characters. */
        {repeat("k", 100000, "{\"name\":\"张三\",\"", "\":1}"), 400, "invalid_field", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path =
            strstr(cases[i].body, "customer_id") ? "/api/v1/vehicles" : "/api/v1/customers";
        BAD(path, cases[i].body, cases[i].status, cases[i].code, cases[i].field);
        free(cases[i].body);
    }
    /* Over-long values in a PATCH are refused the same way and change nothing. */
    char *patch = repeat("名", 65, "{\"name\":\"", "\"}");
    expect_refused("PATCH", fmt("/api/v1/customers/%lld", c), patch, 0, 400, "invalid_field",
                   "name");
    free(patch);
    still_healthy(head);
    json_t *j = call("GET", fmt("/api/v1/customers/%lld", c), token(), NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "长度");
    json_decref(j);
}

static void test_bad_input_duplicate_keys_and_nul_characters(void **state)
{
    (void)state;
    int64_t head = audit_head();
    BAD("/api/v1/customers", "{\"name\":\"张三\",\"name\":\"李四\"}", 400, "invalid_json", NULL);
    BAD("/api/v1/customers", "{\"name\":\"张三\",\"consent\":{\"sms\":true,\"sms\":false}}", 400,
        "invalid_json", NULL);
    BAD("/api/v1/session",
        "{\"username\":\"x\",\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\"}",
        400, "invalid_json", NULL);
    /* An escaped NUL inside a string, and a raw NUL byte inside and outside strings. */
    struct resp r = http("POST", "/api/v1/customers", token(),
                         "{\"name\":\"张\\u0000三\",\"phone\":\"13900000001\"}");
    expect_400(&r, NULL);
    resp_free(&r);
    static const char raw1[] = "{\"name\":\"张\0三\",\"phone\":\"13900000001\"}";
    static const char raw2[] = "{\"name\":\"张三\"}\0{\"name\":\"李四\"}";
    static const char raw3[] = "\0{\"name\":\"张三\"}";
    expect_refused("POST", "/api/v1/customers", raw1, sizeof raw1 - 1, 400, "invalid_json", NULL);
    expect_refused("POST", "/api/v1/customers", raw2, sizeof raw2 - 1, 400, "invalid_json", NULL);
    expect_refused("POST", "/api/v1/customers", raw3, sizeof raw3 - 1, 400, "invalid_json", NULL);
    /* A NUL in a password does not cut it short. */
    r = http("POST", "/api/v1/session", NULL,
             "{\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\\u0000junk\"}");
    assert_true(r.status == 400 || r.status == 401);
    assert_null(strstr(r.headers, "dms_session="));
    resp_free(&r);
    still_healthy(head);
}

static void test_bad_input_invalid_utf8(void **state)
{
    (void)state;
    int64_t head = audit_head();
    const char *bodies[] = {
        "{\"name\":\"\xff\xfe\"}",         /* bytes that never occur */
        "{\"name\":\"\xc0\xaf\"}",         /* over-long '/' */
        "{\"name\":\"\xe0\x80\xaf\"}",     /* over-long, three bytes */
        "{\"name\":\"\xed\xa0\x80\"}",     /* encoded surrogate */
        "{\"name\":\"\xe4\xb8\"}",         /* truncated sequence */
        "{\"name\":\"\x80\x80\"}",         /* lone continuation bytes */
        "{\"name\":\"\xf4\x90\x80\x80\"}", /* beyond U+10FFFF */
        "{\"name\":\"\\ud800\"}",          /* escaped lone surrogate */
        "{\"name\":\"\\udc00\\ud800\"}",   /* escaped reversed pair */
        "{\"na\xffme\":\"张三\"}",         /* in a key */
        "{\"name\":\"张三\",\"phone\":\"139\xff\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        BAD("/api/v1/customers", bodies[i], 400, "invalid_json", NULL);
    /* In the query string and the path. */
    const char *paths[] = {"/api/v1/search?q=%FF%FE%FD",
                           "/api/v1/search?q=%C0%AF%C0%AF",
                           "/api/v1/search?q=%ED%A0%80%E4%B8",
                           "/api/v1/customers?cursor=%FF",
                           "/api/v1/customers/%FF",
                           "/api/v1/%C0%AF/customers"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct resp r = http("GET", paths[i], token(), NULL);
        if (r.status >= 500 || r.status < 200)
            print_error("GET %s: %ld %s\n", paths[i], r.status, r.body);
        assert_true(r.status >= 200 && r.status < 500);
        assert_non_null(r.json);
        resp_free(&r);
    }
    still_healthy(head);
}

static void test_bad_input_deep_nesting(void **state)
{
    (void)state;
    int64_t head = audit_head();
    char *arrays = repeat("[", 100000, "", "");
    char *objects = repeat("{\"a\":", 100000, "", "");
    char *inner = repeat("[", 100000, "{\"name\":\"张三\",\"notes\":", "");
    char *closed = repeat("[", 5000, "{\"name\":\"张三\",\"needs\":", "");
    char *tail = repeat("]", 5000, closed, "}");
    const char *bodies[] = {arrays, objects, inner, tail};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        BAD("/api/v1/customers", bodies[i], 400, "invalid_json", NULL);
        BAD("/api/v1/session", bodies[i], 400, "invalid_json", NULL);
    }
    free(arrays);
    free(objects);
    free(inner);
    free(closed);
    free(tail);
    still_healthy(head);
}

static void test_bad_input_huge_numbers(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "数字");
    long long v = (long long)new_vehicle(token(), c);
    int64_t head = audit_head();
    char vin[18];
    make_vin(vin, uniq());
    const char *json_errors[] = {
        "{\"name\":\"张三\",\"notes\":1e400}",
        "{\"name\":\"张三\",\"notes\":-1e400}",
        "{\"name\":\"张三\",\"notes\":99999999999999999999}",
        "{\"name\":\"张三\",\"notes\":-99999999999999999999}",
        "{\"name\":\"张三\",\"notes\":1" /* 400 digits */
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000}",
    };
    for (size_t i = 0; i < sizeof json_errors / sizeof json_errors[0]; i++)
        BAD("/api/v1/customers", json_errors[i], 400, "invalid_json", NULL);
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":9223372036854775808,\"vin\":\"%s\"}", vin), 400,
        "invalid_json", NULL);
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":99999999999999999999,\"vin\":\"%s\"}", vin), 400,
        "invalid_json", NULL);
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":1e400,\"vin\":\"%s\"}", vin), 400, "invalid_json",
        NULL);
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":1e18,\"vin\":\"%s\"}", vin), 400, "invalid_field",
        "customer_id");
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":-9223372036854775808,\"vin\":\"%s\"}", vin), 400,
        "invalid_field", "customer_id");
    /* The largest id is well-formed; there is no such customer. */
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":9223372036854775807,\"vin\":\"%s\"}", vin), 404,
        "not_found", NULL);
    BAD(fmt("/api/v1/vehicles/%lld/mileage", v), "{\"km\":9223372036854775807}", 400,
        "invalid_field", "km");
    BAD(fmt("/api/v1/vehicles/%lld/mileage", v), "{\"km\":1e308}", 400, "invalid_field", "km");
    BAD(fmt("/api/v1/vehicles/%lld/mileage", v), "{\"km\":99999999999999999999}", 400,
        "invalid_json", NULL);
    BAD("/api/v1/service-records",
        fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":10,\"kind\":\"repair\","
            "\"labour\":[{\"operation\":\"x\",\"hours\":1e308,\"amount_fen\":1}]}",
            v, day_offset(0)),
        400, "invalid_field", "labour[0].hours");
    BAD("/api/v1/service-records",
        fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":10,\"kind\":\"repair\","
            "\"parts\":[{\"part_no\":\"A\",\"qty\":9223372036854775807,\"unit_price_fen\":"
            "9223372036854775807}]}",
            v, day_offset(0)),
        400, "invalid_field", "parts[0].qty");
    BAD("/api/v1/service-records",
        fmt("{\"vehicle_id\":9223372036854775807,\"date\":\"%s\",\"mileage_km\":10,\"kind\":"
            "\"repair\"}",
            day_offset(0)),
        404, "not_found", NULL);
    still_healthy(head);
}

/* model_year beyond any car is a rule (422) or a shape (400) error; either is fine. */
static void test_bad_input_model_year_out_of_range_is_4xx(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "年份");
    int64_t head = audit_head();
    const char *years[] = {"9223372036854775807", "-9223372036854775807", "0", "1", "99999"};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        char vin[18];
        make_vin(vin, uniq());
        struct resp r =
            http("POST", "/api/v1/vehicles", token(),
                 fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"model_year\":%s}", c, vin, years[i]));
        if (r.status != 400 && r.status != 422)
            print_error("model_year %s: %ld %s\n", years[i], r.status, r.body);
        assert_true(r.status == 400 || r.status == 422);
        const char *field =
            json_string_value(json_object_get(json_object_get(r.json, "error"), "field"));
        assert_non_null(field);
        assert_string_equal(field, "model_year");
        resp_free(&r);
    }
    still_healthy(head);
}

/* ---- the 422 rule errors the contract names ---- */

static void test_bad_input_rule_errors_name_code_and_field(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "规则");
    int64_t head = audit_head();
    char vin[18];
    make_vin(vin, uniq());
    char wrong[18];
    memcpy(wrong, vin, 18);
    wrong[8] = vin[8] == '0' ? '1' : '0';
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":%lld,\"vin\":\"ABC\"}", c), 422, "invalid_vin",
        "vin");
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":%lld,\"vin\":\"LFV2A21KOA3000001\"}", c), 422,
        "invalid_vin", "vin");
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":%lld,\"vin\":\"%s\"}", c, wrong), 422,
        "vin_check_digit", "vin");
    BAD("/api/v1/vehicles", fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"XX\"}", c, vin),
        422, "invalid_plate", "plate");
    BAD("/api/v1/customers", "{\"name\":\"张三\",\"phone\":\"12\"}", 422, "invalid_phone", "phone");
    BAD("/api/v1/customers", "{\"name\":\"张三\",\"phones\":[\"13900000000\",\"x\"]}", 422,
        "invalid_phone", "phones[1]");
    still_healthy(head);
}

/* ---- paths, methods, query strings ---- */

static void test_bad_input_odd_ids_in_paths_are_404(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "路径");
    char *admin = login(U_ADMIN);
    const char *ids[] = {"abc",
                         "-1",
                         "0",
                         "1.5",
                         "1e3",
                         "0x10",
                         "1abc",
                         "99999999999999999999",
                         "9223372036854775807",
                         "9223372036854775808",
                         "18446744073709551617",
                         "%20",
                         "+1",
                         "1,2",
                         "%E4%B8%80"};
    const char *patterns[] = {"/api/v1/customers/{id}",
                              "/api/v1/customers/{id}/vehicles",
                              "/api/v1/customers/{id}/contact-history",
                              "/api/v1/vehicles/{id}",
                              "/api/v1/vehicles/{id}/mileage",
                              "/api/v1/vehicles/{id}/service-records",
                              "/api/v1/service-records/{id}"};
    int64_t head = audit_head();
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        for (size_t k = 0; k < sizeof patterns / sizeof patterns[0]; k++) {
            char path[256];
            const char *key[] = {"{id}"};
            expand(patterns[k], key, &ids[i], 1, path, sizeof path);
            struct resp r = http("GET", path, token(), NULL);
            if (r.status != 404)
                print_error("GET %s\n", path);
            expect_error(&r, 404, "not_found", NULL);
            resp_free(&r);
        }
        expect_refused("PATCH", fmt("/api/v1/customers/%s", ids[i]), "{\"notes\":\"x\"}", 0, 404,
                       "not_found", NULL);
        expect_refused("POST", fmt("/api/v1/vehicles/%s/mileage", ids[i]), "{\"km\":1}", 0, 404,
                       "not_found", NULL);
        expect_refused("DELETE", fmt("/api/v1/customers/%lld/drivers/%s", c, ids[i]), NULL, 0, 404,
                       "not_found", NULL);
        struct resp r = http("GET", fmt("/api/v1/users/%s", ids[i]), admin, NULL);
        expect_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
    still_healthy(head);
    free(admin);
}

/* A NUL (%00) after a real id is not that id: the path does not name the record. */
static void test_bad_input_nul_in_path_is_404(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "零字节");
    int64_t head = audit_head();
    const char *suffixes[] = {"%00", "%00x", "%00/vehicles"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        struct resp r = http("GET", fmt("/api/v1/customers/%lld%s", c, suffixes[i]), token(), NULL);
        if (r.status != 404)
            print_error("GET /api/v1/customers/%lld%s: %ld %.100s\n", c, suffixes[i], r.status,
                        r.body);
        expect_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
    expect_refused("PATCH", fmt("/api/v1/customers/%lld%%00", c), "{\"notes\":\"nul\"}", 0, 404,
                   "not_found", NULL);
    still_healthy(head);
}

static void test_bad_input_unknown_routes_and_wrong_methods(void **state)
{
    (void)state;
    int64_t head = audit_head();
    /* ("/" is the web console: tests/api/test_web.c) */
    const char *unknown[] = {"/api",
                             "/api/v1",
                             "/api/v1/",
                             "/api/v1/nope",
                             "/api/v2/customers",
                             "/API/V1/CUSTOMERS",
                             "/api/v1/customers/1/nope",
                             "/api/v1/customers//1",
                             "/healthz/x",
                             "/api/v1/customers/1/drivers/2/x"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        struct resp r = http("GET", unknown[i], token(), NULL);
        if (r.status != 404)
            print_error("GET %s\n", unknown[i]);
        expect_error(&r, 404, "not_found", NULL);
        resp_free(&r);
        r = http("POST", unknown[i], token(), "{}");
        assert_true(r.status == 404 || r.status == 405);
        assert_non_null(r.json);
        resp_free(&r);
    }
    const struct {
        const char *method, *path;
    } wrong[] = {
        {"DELETE", "/api/v1/customers"},   {"PUT", "/api/v1/customers"},
        {"PUT", "/api/v1/customers/1"},    {"POST", "/api/v1/customers/1"},
        {"DELETE", "/api/v1/customers/1"}, {"GET", "/api/v1/session"},
        {"PATCH", "/api/v1/session"},      {"POST", "/healthz"},
        {"DELETE", "/api/v1/users/1"},     {"POST", "/api/v1/audit"},
        {"PATCH", "/api/v1/me"},           {"GET", "/api/v1/me/password"},
        {"POST", "/api/v1/search"},        {"GET", "/api/v1/customers/1/drivers/1"},
        {"OPTIONS", "/api/v1/customers"},  {"TRACE", "/api/v1/customers"},
        {"BREW", "/api/v1/customers"},     {"GET", "/api/v1/customers/1/drivers"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        struct resp r = http(wrong[i].method, wrong[i].path, token(), "{\"name\":\"方法\"}");
        if (r.status != 405)
            print_error("%s %s\n", wrong[i].method, wrong[i].path);
        expect_error(&r, 405, "method_not_allowed", NULL);
        resp_free(&r);
    }
    still_healthy(head);
}

static void test_bad_input_query_parameters(void **state)
{
    (void)state;
    char *manager = login(U_MANAGER), *admin = login(U_ADMIN);
    const struct {
        const char *path, *tok;
    } lists[] = {{"/api/v1/customers", token()},
                 {"/api/v1/vehicles", token()},
                 {"/api/v1/audit", manager},
                 {"/api/v1/users", admin}};
    const struct {
        const char *query, *field;
    } bad[] = {
        {"limit=0", "limit"},     {"limit=201", "limit"},
        {"limit=abc", "limit"},   {"limit=-1", "limit"},
        {"limit=1.5", "limit"},   {"limit=", "limit"},
        {"limit=1e2", "limit"},   {"limit=99999999999999999999", "limit"},
        {"limit=%2050", "limit"}, {"cursor=xyz", "cursor"},
        {"cursor=-5", "cursor"},  {"cursor=1e3", "cursor"},
        {"cursor=%FF", "cursor"}, {"cursor=99999999999999999999999", "cursor"},
    };
    int64_t head = audit_head();
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            struct resp r =
                http("GET", fmt("%s?%s", lists[k].path, bad[i].query), lists[k].tok, NULL);
            if (r.status != 400)
                print_error("GET %s?%s\n", lists[k].path, bad[i].query);
            expect_error(&r, 400, "invalid_field", bad[i].field);
            resp_free(&r);
        }
        /* The bounds themselves are fine. */
        json_decref(call("GET", fmt("%s?limit=1", lists[k].path), lists[k].tok, NULL, 200));
        json_decref(call("GET", fmt("%s?limit=200", lists[k].path), lists[k].tok, NULL, 200));
    }
    const struct {
        const char *path, *field;
    } filters[] = {
        {"/api/v1/vehicles?customer_id=abc", "customer_id"},
        {"/api/v1/vehicles?customer_id=-1", "customer_id"},
        {"/api/v1/customers?classification=platinum", "classification"},
        {"/api/v1/customers?type=robot", "type"},
        {"/api/v1/search", "q"},
        {"/api/v1/search?q=", "q"},
    };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        struct resp r = http("GET", filters[i].path, token(), NULL);
        expect_400(&r, filters[i].field);
        resp_free(&r);
    }
    struct resp r = http("GET", "/api/v1/audit?entity_id=abc", manager, NULL);
    expect_error(&r, 400, "invalid_field", "entity_id");
    resp_free(&r);
    /* Odd but harmless search text: no 500, a JSON answer. */
    const char *queries[] = {"%27%20OR%201%3D1%20--",   "%25%25%25", "___", "%5C%5C", "%00%00",
                             "%F0%9F%9A%97%F0%9F%9A%97"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        r = http("GET", fmt("/api/v1/search?q=%s", queries[i]), token(), NULL);
        assert_true(r.status == 200 || r.status == 400);
        assert_non_null(r.json);
        resp_free(&r);
    }
    char *longq = repeat("9", 5000, "/api/v1/search?q=", "");
    r = http("GET", longq, token(), NULL);
    assert_true(r.status == 200 || r.status == 400 || r.status == 414);
    resp_free(&r);
    free(longq);
    still_healthy(head);
    free(manager);
    free(admin);
}

/* Ids beyond 32 bits in a list's filters are ids like any other: no such record, so an empty
 * page (PostgreSQL answered 500: "? = 0" made the parameter an int4); beyond 18 digits, 400. */
static void test_bad_input_filter_ids_beyond_32_bits(void **state)
{
    (void)state;
    char *manager = login(U_MANAGER);
    static const char *const lists[] = {
        "/api/v1/tasks?customer_id=",
        "/api/v1/tasks?vehicle_id=",
        "/api/v1/tasks?assignee=",
        "/api/v1/messages?customer_id=",
        "/api/v1/messages?vehicle_id=",
        "/api/v1/messages?campaign_id=",
        "/api/v1/appointments?vehicle_id=",
        "/api/v1/vehicles?customer_id=",
        "/api/v1/audit?entity=customer&entity_id=",
    };
    static const char *const ids[] = {"2147483648", "4294967296", "9007199254740993",
                                      "999999999999999999"};
    int64_t head = audit_head();
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            const char *path = fmt("%s%s", lists[k], ids[i]);
            struct resp r = http("GET", path, manager, NULL);
            if (r.status != 200)
                print_error("GET %s: %ld %.200s\n", path, r.status, r.body);
            json_t *j = expect(&r, 200);
            assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
            resp_free(&r);
        }
        struct resp r = http("GET", fmt("%s9223372036854775808", lists[k]), manager, NULL);
        if (r.status != 400)
            print_error("GET %s9223372036854775808: %ld\n", lists[k], r.status);
        assert_int_equal(r.status, 400);
        resp_free(&r);
    }
    still_healthy(head);
    free(manager);
}

/* ---- body size ---- */

struct source {
    const char *data;
    size_t len, pos;
};

static size_t feed(char *buf, size_t size, size_t n, void *p)
{
    struct source *s = p;
    size_t room = size * n, left = s->len - s->pos;
    size_t k = left < room ? left : room;
    if (k > 7000)
        k = 7000; /* many chunks */
    memcpy(buf, s->data + s->pos, k);
    s->pos += k;
    return k;
}

struct sink {
    char *data;
    size_t len;
};

static size_t gather(char *ptr, size_t size, size_t n, void *p)
{
    struct sink *s = p;
    size_t add = size * n;
    char *grown = realloc(s->data, s->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + s->len, ptr, add);
    s->data = grown;
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

/* POSTs body with Transfer-Encoding: chunked (no Content-Length). */
static struct resp post_chunked(const char *path, const char *body, size_t len)
{
    struct resp r = {0};
    CURL *h = curl_easy_init();
    assert_non_null(h);
    char url[512], auth[200];
    snprintf(url, sizeof url, "%s%s", SRV->base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token());
    struct curl_slist *hdrs = curl_slist_append(NULL, auth);
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    hdrs = curl_slist_append(hdrs, "Expect:");
    struct source src = {body, len, 0};
    struct sink out = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(h, CURLOPT_READDATA, &src);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, gather);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
        print_error("chunked POST %s: %s\n", path, curl_easy_strerror(rc));
    assert_int_equal(rc, CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    r.body = out.data ? out.data : strdup("");
    r.headers = strdup("");
    r.json = json_loads(r.body, 0, NULL);
    return r;
}

#define MIB (1024 * 1024)

static void test_bad_input_body_over_one_mib_is_413(void **state)
{
    (void)state;
    int64_t head = audit_head();
    /* With Content-Length: one byte over, and far over. */
    size_t sizes[] = {MIB + 1, MIB + 4096, 8 * MIB};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *b = customer_of_size(sizes[i]);
        expect_refused("POST", "/api/v1/customers", b, sizes[i], 413, "payload_too_large", NULL);
        free(b);
    }
    /* Also where the body would not even be JSON, and on a public route. */
    char *junk = repeat("x", 2 * MIB, "", "");
    expect_refused("POST", "/api/v1/customers", junk, 0, 413, "payload_too_large", NULL);
    struct req_opts o = {.raw_body = junk};
    struct resp r = http_opts("POST", "/api/v1/session", &o);
    expect_error(&r, 413, "payload_too_large", NULL);
    resp_free(&r);
    /* Chunked, without a Content-Length. */
    char *b = customer_of_size(MIB + 1);
    r = post_chunked("/api/v1/customers", b, MIB + 1);
    expect_error(&r, 413, "payload_too_large", NULL);
    resp_free(&r);
    free(b);
    r = post_chunked("/api/v1/customers", junk, 2 * MIB);
    expect_error(&r, 413, "payload_too_large", NULL);
    resp_free(&r);
    free(junk);
    still_healthy(head);
    /* Exactly 1 MiB is allowed, both ways: the limit is not off by one. */
    b = customer_of_size(MIB);
    struct req_opts ok = {.token = token(), .raw_body = b, .raw_len = MIB};
    r = http_opts("POST", "/api/v1/customers", &ok);
    expect(&r, 201);
    resp_free(&r);
    free(b);
    b = customer_of_size(MIB);
    r = post_chunked("/api/v1/customers", b, MIB);
    expect(&r, 201);
    resp_free(&r);
    free(b);
    r = post_chunked("/api/v1/customers", "{\"name\":\"分块\"}", strlen("{\"name\":\"分块\"}"));
    expect(&r, 201);
    resp_free(&r);
}

/* ---- garbage on the socket ---- */

/* Sends bytes on a fresh connection, half-closes, and reads the answer (bounded). */
static size_t raw_exchange(const char *data, size_t len, char *out, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)SRV->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    size_t used = 0;
    time_t deadline = time(NULL) + 20;
    while (used + 1 < cap && time(NULL) < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t n = recv(fd, out + used, cap - used - 1, 0);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    out[used] = '\0';
    close(fd);
    return used;
}

static void test_bad_input_garbage_on_the_socket(void **state)
{
    (void)state;
    int64_t head = audit_head();
    char *huge_header =
        repeat("a", 200000, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ", "\r\n\r\n");
    const char *requests[] = {
        "GARBAGE\r\n\r\n",
        "\r\n\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "GET /healthz\r\n\r\n",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n"
        "\r\n{}",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\":",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\nhello\r\n0\r\n\r\n",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "FFFFFFFFFFFFFFFFFF\r\nx\r\n",
        "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: "
        "chunked\r\n\r\n0\r\n\r\n",
        "GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n\r\n",
        "GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nCookie: dms_session\r\n\r\n",
        "GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nCookie: ;;;=;dms_session=;\r\n\r\n",
        "GET /api/v1/customers?limit=1&limit=2&cursor HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nX-CSRF-Token: \xff\xfe\r\n\r\n",
        huge_header,
    };
    char out[8192];
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        raw_exchange(requests[i], strlen(requests[i]), out, sizeof out);
        if (strncmp(out, "HTTP/1.", 7) == 0 && strncmp(out + 9, "500", 3) == 0)
            print_error("request %zu answered %.40s\n", i, out);
        assert_false(strncmp(out, "HTTP/1.", 7) == 0 && strncmp(out + 9, "500", 3) == 0);
        json_t *j = call("GET", "/healthz", NULL, NULL, 200);
        json_decref(j);
    }
    free(huge_header);
    /* Bytes with NULs in the request line. */
    static const char nul_line[] = "GET /api/v1/cust\0omers HTTP/1.1\r\nHost: x\r\n\r\n";
    raw_exchange(nul_line, sizeof nul_line - 1, out, sizeof out);
    assert_false(strncmp(out, "HTTP/1.", 7) == 0 && strncmp(out + 9, "500", 3) == 0);
    still_healthy(head);
}

/* ---- service record lines ---- */

static void test_bad_input_too_many_lines_names_the_array(void **state)
{
    (void)state;
    long long c = (long long)new_customer(token(), "行数");
    long long v = (long long)new_vehicle(token(), c);
    int64_t head = audit_head();
    const char *arrays[] = {"labour", "parts"};
    const char *lines[] = {"{\"operation\":\"x\",\"amount_fen\":1},",
                           "{\"part_no\":\"A\",\"qty\":1,\"unit_price_fen\":1},"};
    for (int k = 0; k < 2; k++) {
        char *prefix = strdup(fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":10,"
                                  "\"kind\":\"repair\",\"%s\":[",
                                  v, day_offset(0), arrays[k]));
        char *all = repeat(lines[k], 101, prefix, "");
        size_t n = strlen(all);
        all[n - 1] = ']'; /* the last comma closes the array */
        char *body = malloc(n + 2);
        assert_non_null(body);
        snprintf(body, n + 2, "%s}", all);
        BAD("/api/v1/service-records", body, 400, "invalid_field", arrays[k]);
        free(body);
        free(all);
        free(prefix);
    }
    still_healthy(head);
}

/* ---- every field of every write, with every odd value ---- */

/* Values that are wrong for most fields and right for a few. */
static const char *const ODD[] = {
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e308",
    "-1e308",
    "9223372036854775807",
    "-9223372036854775808",
    "\"\"",
    "\" \"",
    "\"\\u00e9\\u0301\"",
    "\"\\ud83d\\ude97\"",
    "\"2024-02-30\"",
    "\"9999-12-31\"",
    "\"0000-00-00\"",
    "\"'; DROP TABLE customers; --\"",
    "\"%s%n%x\"",
    "\"\\t\\r\\n\"",
    "\"１３９１２３４５６７８\"",
    "[]",
    "[null]",
    "[[[]]]",
    "{}",
    "{\"a\":{\"b\":[1,{\"c\":null}]}}",
    "[\"wash\",\"wash\"]",
    "-0",
    "1e-300",
    "0.000001",
};

static size_t sweep_failures;

/* Sends body; anything but a 2xx or a well-formed 4xx error counts as a failure. */
static void sweep_send(const char *method, const char *path, const char *tok, const char *body,
                       const char *what)
{
    struct req_opts o = {.token = tok, .raw_body = body};
    struct resp r = http_opts(method, path, &o);
    bool ok = r.status >= 200 && r.status < 300;
    if (r.status >= 400 && r.status < 500) {
        json_t *e = json_object_get(r.json, "error");
        ok = json_is_string(json_object_get(e, "code")) &&
             json_is_string(json_object_get(e, "message")) && json_object_get(e, "field");
    }
    if (!ok) {
        sweep_failures++;
        print_error("%s %s [%s]: %ld %.200s\n", method, path, what, r.status, r.body);
    }
    resp_free(&r);
}

/* Replaces the value at obj[key] (or obj[key][0][sub] / obj[key][sub]) with each odd value,
 * removes it, and sends each variant. */
static void sweep_route(const char *method, const char *path, const char *tok, const char *base)
{
    json_t *root = json_loads(base, 0, NULL);
    assert_non_null(root);
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        /* Nested objects (consent) and arrays of objects (lines, phones) get swept inside. */
        json_t *inner = json_is_object(value) ? value
                        : json_is_array(value) && json_is_object(json_array_get(value, 0))
                            ? json_array_get(value, 0)
                            : NULL;
        const char *sub;
        json_t *sv;
        if (inner) {
            json_object_foreach(inner, sub, sv)
            {
                for (size_t i = 0; i < sizeof ODD / sizeof ODD[0]; i++) {
                    json_t *copy = json_deep_copy(root);
                    json_t *target = json_object_get(copy, key);
                    if (json_is_array(target))
                        target = json_array_get(target, 0);
                    json_t *odd = json_loads(ODD[i], JSON_DECODE_ANY, NULL);
                    assert_non_null(odd);
                    json_object_set_new(target, sub, odd);
                    char *text = json_dumps(copy, JSON_COMPACT);
                    sweep_send(method, path, tok, text, fmt("%s.%s=%s", key, sub, ODD[i]));
                    free(text);
                    json_decref(copy);
                }
            }
        }
        for (size_t i = 0; i <= sizeof ODD / sizeof ODD[0]; i++) {
            json_t *copy = json_deep_copy(root);
            if (i < sizeof ODD / sizeof ODD[0]) {
                json_t *odd = json_loads(ODD[i], JSON_DECODE_ANY, NULL);
                assert_non_null(odd);
                json_object_set_new(copy, key, odd);
            } else {
                json_object_del(copy, key);
            }
            char *text = json_dumps(copy, JSON_COMPACT);
            sweep_send(method, path, tok, text,
                       fmt("%s=%s", key, i < sizeof ODD / sizeof ODD[0] ? ODD[i] : "(absent)"));
            free(text);
            json_decref(copy);
        }
    }
    /* An unknown key, and the body cut short at every tenth byte. */
    json_object_set_new(root, "unexpected", json_true());
    char *text = json_dumps(root, JSON_COMPACT);
    sweep_send(method, path, tok, text, "unknown key");
    size_t n = strlen(text);
    for (size_t cut = 1; cut < n; cut += 10) {
        char saved = text[cut];
        text[cut] = '\0';
        sweep_send(method, path, tok, text, fmt("cut at %zu", cut));
        text[cut] = saved;
    }
    free(text);
    json_decref(root);
}

static void test_bad_input_field_sweep_never_answers_5xx(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    long long c = (long long)new_customer(token(), "扫描");
    long long v = (long long)new_vehicle(token(), c);
    char user[32], vin[18], plate[32], ph[16];
    snprintf(user, sizeof user, "sweep%u", uniq());
    json_t *u = call("POST", "/api/v1/users", admin,
                     fmt("{\"username\":\"%s\",\"role\":\"advisor\",\"password\":\"%s\","
                         "\"must_change_password\":false}",
                         user, TEST_PASSWORD),
                     201);
    long long uid = json_integer_value(json_object_get(u, "id"));
    json_decref(u);
    char *utok = login(user);
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    make_mobile(ph, n);
    const char *today = day_offset(0);
    struct {
        const char *method;
        char path[128];
        const char *tok;
        char body[1024];
    } routes[12];
    size_t k = 0;
#define ROUTE(m, t, ...)                                                                           \
    do {                                                                                           \
        routes[k].method = m;                                                                      \
        routes[k].tok = t;                                                                         \
        snprintf(routes[k].path, sizeof routes[k].path, "%s", sweep_path);                         \
        snprintf(routes[k].body, sizeof routes[k].body, __VA_ARGS__);                              \
        k++;                                                                                       \
    } while (0)
    const char *sweep_path;
    sweep_path = "/api/v1/customers";
    ROUTE("POST", token(),
          "{\"name\":\"张三\",\"title\":\"先生\",\"type\":\"individual\",\"classification\":"
          "\"regular\",\"phone\":\"%s\",\"email\":\"a@example.com\",\"address\":\"路1号\","
          "\"consent\":{\"sms\":true,\"email\":false,\"phone\":true,\"marketing\":false},"
          "\"needs\":[\"wash\"],\"needs_note\":\"n\",\"notes\":\"n\"}",
          ph);
    sweep_path = fmt("/api/v1/customers/%lld", c);
    ROUTE("PATCH", token(),
          "{\"name\":\"张三\",\"phones\":[{\"number\":\"%s\",\"label\":\"home\"}],"
          "\"email\":\"b@example.com\",\"contact_consent\":true,\"classification\":\"vip\"}",
          ph);
    sweep_path = "/api/v1/vehicles";
    ROUTE("POST", token(),
          "{\"customer_id\":%lld,\"vin\":\"%s\",\"vin_check\":\"verify\",\"plate\":\"%s\","
          "\"brand\":\"大众\",\"model\":\"速腾\",\"model_year\":2020,\"purchase_date\":"
          "\"2020-01-01\",\"mileage_km\":100}",
          c, vin, plate);
    sweep_path = fmt("/api/v1/vehicles/%lld", v);
    ROUTE("PATCH", token(),
          "{\"customer_id\":%lld,\"brand\":\"丰田\",\"model\":\"卡罗拉\",\"model_year\":2021,"
          "\"purchase_date\":\"2021-01-01\"}",
          c);
    sweep_path = fmt("/api/v1/vehicles/%lld/mileage", v);
    ROUTE("POST", token(), "{\"date\":\"%s\",\"km\":1000000,\"source\":\"call\"}", today);
    sweep_path = "/api/v1/service-records";
    ROUTE("POST", token(),
          "{\"vehicle_id\":%lld,\"date\":\"%s\",\"date_out\":\"%s\",\"mileage_km\":1000001,"
          "\"kind\":\"repair\",\"labour\":[{\"code\":\"L1\",\"operation\":\"换油\",\"hours\":1.5,"
          "\"amount_fen\":100}],\"parts\":[{\"part_no\":\"P1\",\"name\":\"滤芯\",\"qty\":1,"
          "\"unit_price_fen\":100}],\"notes\":\"n\",\"technician\":\"师傅\"}",
          v, today, today);
    sweep_path = fmt("/api/v1/customers/%lld/drivers", c);
    ROUTE("POST", token(), "{\"name\":\"李四\",\"phone\":\"%s\",\"relation\":\"配偶\"}", ph);
    sweep_path = fmt("/api/v1/customers/%lld/contact-confirmations", c);
    ROUTE("POST", token(), "{\"outcome\":\"confirmed\",\"note\":\"n\"}");
    sweep_path = "/api/v1/users";
    ROUTE("POST", admin,
          "{\"username\":\"sw%u\",\"display_name\":\"扫\",\"role\":\"advisor\",\"password\":"
          "\"%s\",\"must_change_password\":true}",
          n, TEST_PASSWORD);
    sweep_path = fmt("/api/v1/users/%lld", uid);
    ROUTE(
        "PATCH", admin,
        "{\"display_name\":\"扫\",\"role\":\"caller\",\"disabled\":false,\"must_change_password\":"
        "false}");
    sweep_path = "/api/v1/me/password";
    ROUTE("POST", utok, "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", TEST_PASSWORD,
          TEST_PASSWORD);
    sweep_path = "/api/v1/session";
    ROUTE("POST", (const char *)NULL, "{\"username\":\"%s\",\"password\":\"wrong-password\"}",
          user);
#undef ROUTE
    sweep_failures = 0;
    for (size_t i = 0; i < k; i++)
        sweep_route(routes[i].method, routes[i].path, routes[i].tok, routes[i].body);
    json_decref(call("GET", "/healthz", NULL, NULL, 200));
    assert_int_equal(sweep_failures, 0);
    free(utok);
    free(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input_malformed_json),
        cmocka_unit_test(test_bad_input_json_that_is_not_an_object),
        cmocka_unit_test(test_bad_input_wrong_types_missing_and_unknown_fields),
        cmocka_unit_test(test_bad_input_over_long_strings),
        cmocka_unit_test(test_bad_input_duplicate_keys_and_nul_characters),
        cmocka_unit_test(test_bad_input_invalid_utf8),
        cmocka_unit_test(test_bad_input_deep_nesting),
        cmocka_unit_test(test_bad_input_huge_numbers),
        cmocka_unit_test(test_bad_input_model_year_out_of_range_is_4xx),
        cmocka_unit_test(test_bad_input_rule_errors_name_code_and_field),
        cmocka_unit_test(test_bad_input_odd_ids_in_paths_are_404),
        cmocka_unit_test(test_bad_input_nul_in_path_is_404),
        cmocka_unit_test(test_bad_input_unknown_routes_and_wrong_methods),
        cmocka_unit_test(test_bad_input_query_parameters),
        cmocka_unit_test(test_bad_input_filter_ids_beyond_32_bits),
        cmocka_unit_test(test_bad_input_body_over_one_mib_is_413),
        cmocka_unit_test(test_bad_input_garbage_on_the_socket),
        cmocka_unit_test(test_bad_input_too_many_lines_names_the_array),
        cmocka_unit_test(test_bad_input_field_sweep_never_answers_5xx),
    };
    int rc = cmocka_run_group_tests(tests, srv_setup, srv_teardown);
    free(TOKEN);
    return rc;
}
