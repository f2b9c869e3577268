/* Fixtures of the call-list tests (see call_list_fixtures.h). */
#include "call_list_fixtures.h"

#include <stdio.h>

/* ---- days ---- */

/* The day number of a "YYYY-MM-DD" the API answered (asserts that it is one). */
static dms_day day_of(const char *s)
{
    dms_day d = 0;
    struct dms_error e;
    assert_non_null(s);
    assert_int_equal(date_parse(s, &d, "date", &e), 0);
    return d;
}

/* ---- customers, cars and their due dates ---- */

int64_t customer(const char *token, bool with_phone, const char *consent, const char *extra,
                 char phone[16])
{
    char mobile[16], phone_member[40] = "";
    make_mobile(mobile, uniq());
    if (with_phone)
        snprintf(phone_member, sizeof phone_member, ",\"phone\":\"%s\"", mobile);
    if (phone)
        snprintf(phone, 16, "%s", with_phone ? mobile : "");
    json_t *c = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"张三丰\",\"title\":\"先生\",\"consent\":%s%s%s}", consent,
                         phone_member, extra ? extra : ""),
                     201);
    int64_t id = jint(c, "id");
    json_decref(c);
    assert_true(id > 0);
    return id;
}

int64_t vehicle(const char *token, int64_t cid, const char *brand, dms_day purchase)
{
    char vin[18], plate[32];
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    json_t *v = call("POST", "/api/v1/vehicles", token,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"%s\","
                         "\"model\":\"速腾\",\"purchase_date\":\"%s\"}",
                         (long long)cid, vin, plate, brand, ds(purchase)),
                     201);
    int64_t id = jint(v, "id");
    json_decref(v);
    assert_true(id > 0);
    return id;
}

int64_t reachable_car(dms_day purchase, int64_t *cid)
{
    int64_t c = customer(tok(U_ADVISOR), true, ALL_CONSENT, NULL, NULL);
    if (cid)
        *cid = c;
    return vehicle(tok(U_ADVISOR), c, "大众", purchase);
}

dms_day due_of_as(const char *token, int64_t vid)
{
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), token, NULL, 200);
    json_t *ns = json_object_get(v, "next_service");
    assert_true(json_is_object(ns));
    dms_day d = day_of(jstr(ns, "due_date"));
    json_decref(v);
    return d;
}

dms_day due_of(int64_t vid)
{
    return due_of_as(tok(U_ADVISOR), vid);
}

/* ---- generation ---- */

json_t *generate_as(const char *token, dms_day d)
{
    json_t *g = call("POST", "/api/v1/tasks/generate", token, fmt("{\"date\":\"%s\"}", ds(d)), 200);
    assert_string_equal(jstr(g, "date"), ds(d));
    return g;
}

json_t *generate(dms_day d)
{
    return generate_as(tok(U_MANAGER), d);
}

int64_t created(const json_t *g, const char *type)
{
    json_t *n = json_object_get(json_object_get(g, "created"), type);
    if (!json_is_integer(n))
        fail_msg("generation counts have no %s", type);
    return json_integer_value(n);
}

void nothing_created(const json_t *g)
{
    const char *key;
    json_t *n;
    json_object_foreach(json_object_get(g, "created"), key, n)
    {
        if (json_integer_value(n) != 0)
            fail_msg("re-run created %lld %s", (long long)json_integer_value(n), key);
    }
    assert_int_equal(jint(g, "messages"), 0);
    assert_int_equal(jint(g, "expired"), 0);
}

/* ---- the lists and the calls ---- */

json_t *list_as(const char *token, const char *query)
{
    json_t *j = call("GET", fmt("/api/v1/tasks?limit=200&%s", query), token, NULL, 200);
    json_t *items = json_incref(json_object_get(j, "items"));
    assert_true(json_is_array(items));
    json_decref(j);
    return items;
}

size_t n_tasks(int64_t vid, const char *type)
{
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&type=%s", (long long)vid, type));
    size_t n = json_array_size(l);
    json_decref(l);
    return n;
}

json_t *one_task(int64_t vid, const char *type)
{
    json_t *l = list_as(tok(U_CALLER), fmt("vehicle_id=%lld&type=%s", (long long)vid, type));
    if (json_array_size(l) != 1)
        fail_msg("vehicle %lld has %zu %s tasks", (long long)vid, json_array_size(l), type);
    json_t *t = json_incref(json_array_get(l, 0));
    json_decref(l);
    return t;
}

json_t *task_get(int64_t id, const char *token)
{
    return call("GET", fmt("/api/v1/tasks/%lld", (long long)id), token, NULL, 200);
}

json_t *attempt(int64_t id, const char *body, long status)
{
    return call("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)id), tok(U_CALLER), body,
                status);
}

json_t *outcome(int64_t id, const char *what)
{
    return attempt(id, fmt("{\"outcome\":\"%s\"}", what), 201);
}
