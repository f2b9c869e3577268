/* Fixtures of the booking tests (see booking_fixtures.h). */
#include "booking_fixtures.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

/* ---- days and times ---- */

const char *day_str(int days)
{
    return ds(test_today() + days);
}

const char *day_at(int days, const char *hhmm)
{
    return keep(fmt("%sT%s", day_str(days), hhmm));
}

const char *weekday_name(int32_t day)
{
    static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return names[date_weekday(day)];
}

int local_minute_now(void)
{
    int64_t t = (int64_t)time(NULL) + 8 * 3600;
    return (int)(((t % 86400) + 86400) % 86400 / 60);
}

const char *clock_hhmm(int minute)
{
    return keep(fmt("%02d:%02d", minute / 60, minute % 60));
}

/* ---- the store's settings ---- */

void set_settings(const char *token, const char *body)
{
    json_decref(call("PATCH", "/api/v1/settings", token, body, 200));
}

void open_all_day(const char *token)
{
    json_decref(call("PUT", "/api/v1/calendar", token,
                     "{\"hours\":{\"mon\":[[\"00:00\",\"23:59\"]],\"tue\":[[\"00:00\",\"23:59\"]],"
                     "\"wed\":[[\"00:00\",\"23:59\"]],\"thu\":[[\"00:00\",\"23:59\"]],"
                     "\"fri\":[[\"00:00\",\"23:59\"]],\"sat\":[[\"00:00\",\"23:59\"]],"
                     "\"sun\":[[\"00:00\",\"23:59\"]]}}",
                     200));
}

/* ---- the workshop ---- */

int64_t bay_named(const char *token, const char *name, const char *kind)
{
    json_t *j = call("POST", "/api/v1/bays", token,
                     fmt("{\"name\":\"%s\",\"kind\":\"%s\"}", name, kind), 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

int64_t bay_new(const char *token, const char *kind)
{
    return bay_named(token, fmt("工位%u", uniq()), kind);
}

int64_t tech_new(const char *token, const char *skills, const char *days)
{
    json_t *j =
        call("POST", "/api/v1/technicians", token,
             days ? fmt("{\"name\":\"师傅%u\",\"skills\":%s,\"days\":%s}", uniq(), skills, days)
                  : fmt("{\"name\":\"师傅%u\",\"skills\":%s}", uniq(), skills),
             201);
    int64_t id = jint(j, "id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

const char *op_named(const char *token, const char *name, const char *kind, const char *hours,
                     const char *bay_kind, const char *skill, long long rate_fen)
{
    const char *code = upper_copy(uniq_code("op"));
    const char *label = name ? name : keep(fmt("作业%s", code));
    const char *kind_member = kind ? keep(fmt(",\"kind\":\"%s\"", kind)) : "";
    json_t *j = call("POST", "/api/v1/operations", token,
                     fmt("{\"code\":\"%s\",\"name\":\"%s\"%s,\"hours\":%s,\"bay_kind\":\"%s\","
                         "\"skill\":\"%s\",\"rate_fen\":%lld}",
                         code, label, kind_member, hours, bay_kind, skill, rate_fen),
                     201);
    assert_string_equal(jstr(j, "code"), code);
    json_decref(j);
    return code;
}

const char *op_new(const char *token, const char *kind, const char *hours, const char *bay_kind,
                   const char *skill, long long rate_fen)
{
    return op_named(token, NULL, kind, hours, bay_kind, skill, rate_fen);
}

const char *part_named(const char *token, const char *name, long long price_fen, int on_hand,
                       int lead_days)
{
    const char *no = upper_copy(uniq_code("pt"));
    const char *label = name ? name : keep(fmt("配件%s", no));
    json_decref(call("POST", "/api/v1/parts", token,
                     fmt("{\"part_no\":\"%s\",\"name\":\"%s\",\"price_fen\":%lld,"
                         "\"lead_time_days\":%d,\"on_hand\":%d,\"shelf\":\"A-1\"}",
                         no, label, price_fen, lead_days, on_hand),
                     201));
    return no;
}

const char *part_new(const char *token, long long price_fen, int on_hand, int lead_days)
{
    return part_named(token, NULL, price_fen, on_hand, lead_days);
}

void workshop_new(struct workshop *w, int bays, int techs)
{
    assert_true(bays <= WORKSHOP_MAX && techs <= WORKSHOP_MAX);
    memset(w, 0, sizeof *w);
    store_new(&w->st);
    w->m = w->st.manager;
    for (int i = 0; i < bays; i++) {
        w->bay_name[i] = keep(fmt("工位%u", uniq()));
        w->bay[i] = bay_named(w->m, w->bay_name[i], "general");
    }
    for (int i = 0; i < techs; i++)
        w->tech[i] = tech_new(w->m, "[\"mechanical\"]", NULL);
    w->op = op_new(w->m, "repair", "1", "general", "mechanical", 20000);
}

/* ---- customers, cars and bookings ---- */

int64_t car_new(const char *token, const char **plate)
{
    int64_t id = new_vehicle(token, new_customer(token, "王小明"));
    if (plate) {
        json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)id), token, NULL, 200);
        *plate = keep(jstr(v, "plate"));
        json_decref(v);
    }
    return id;
}

int64_t car(const char *token)
{
    return car_new(token, NULL);
}

const char *booking(int64_t vehicle, const char *op, const char *start, const char *extra)
{
    return keep(fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"start\":\"%s\"%s}", (long long)vehicle,
                    op, start, extra ? extra : ""));
}

const char *booking_for_day(int64_t vehicle, const char *op, const char *date, const char *extra)
{
    return keep(
        fmt("{\"vehicle_id\":%lld,\"ops\":[\"%s\"],\"flexibility\":\"date\",\"date\":\"%s\"%s}",
            (long long)vehicle, op, date, extra ? extra : ""));
}

json_t *book(const char *token, int64_t vehicle, const char *op, const char *start,
             const char *extra)
{
    return call("POST", APPTS, token, booking(vehicle, op, start, extra), 201);
}

int64_t book_confirmed(const char *token, int64_t vehicle, const char *op, const char *start,
                       const char *extra)
{
    json_t *a = book(token, vehicle, op, start, extra);
    int64_t id = jint(a, "id");
    assert_string_equal(jstr(a, "status"), "confirmed");
    json_decref(a);
    return id;
}

void status_ok(const char *token, int64_t id, const char *status)
{
    json_t *j = call("POST", fmt(APPTS "/%lld/status", (long long)id), token,
                     fmt("{\"status\":\"%s\"}", status), 200);
    assert_string_equal(jstr(j, "status"), status);
    json_decref(j);
}

/* ---- reception and repair orders (RO-1..RO-7) ---- */

void clock_local(const char *local)
{
    dms_day d;
    int m;
    struct dms_error e;
    assert_int_equal(local_time_parse(local, &d, &m, "time", &e), 0);
    srv_clock_set(SRV, (int64_t)d * 86400 + (int64_t)m * 60 - 8 * 3600);
}

const char *appt_status(const char *token, int64_t appt)
{
    json_t *a = call("GET", fmt(APPTS "/%lld", (long long)appt), token, NULL, 200);
    const char *s = keep(jstr(a, "status"));
    json_decref(a);
    return s;
}

int64_t appt_vehicle(const char *token, int64_t appt)
{
    json_t *a = call("GET", fmt(APPTS "/%lld", (long long)appt), token, NULL, 200);
    int64_t v = jint(json_object_get(a, "vehicle"), "id");
    json_decref(a);
    return v;
}

json_t *check_in_order(const char *token, int64_t appt)
{
    int64_t v = appt_vehicle(token, appt);
    json_t *car = call("GET", fmt("/api/v1/vehicles/%lld", (long long)v), token, NULL, 200);
    int64_t km = jint(car, "mileage_km") + 100;
    json_decref(car);
    json_t *o = call("POST", ORDERS, token,
                     fmt("{\"appointment_id\":%lld,\"vehicle_id\":%lld,\"mileage_km\":%lld}",
                         (long long)appt, (long long)v, (long long)km),
                     201);
    assert_string_equal(jstr(o, "status"), "open");
    return o;
}

int64_t check_in(const char *token, int64_t appt)
{
    json_t *o = check_in_order(token, appt);
    int64_t id = jint(o, "id");
    json_decref(o);
    return id;
}

void order_status_ok(const char *token, int64_t order, const char *status, const char *extra)
{
    json_t *j = call("POST", fmt(ORDERS "/%lld/status", (long long)order), token,
                     fmt("{\"status\":\"%s\"%s}", status, extra ? extra : ""), 200);
    assert_string_equal(jstr(j, "status"), status);
    json_decref(j);
}

void order_deliver(const char *token, int64_t order)
{
    json_t *o = call("GET", fmt(ORDERS "/%lld", (long long)order), token, NULL, 200);
    if (strcmp(jstr(o, "status"), "open") == 0)
        order_status_ok(token, order, "in_progress", NULL);
    json_decref(o);
    order_status_ok(token, order, "qc", NULL);
    order_status_ok(token, order, "ready", NULL);
    o = call("GET", fmt(ORDERS "/%lld", (long long)order), token, NULL, 200);
    int64_t due = jint(o, "amount_due_fen");
    json_decref(o);
    const char *pay =
        due ? fmt("{\"payments\":[{\"method\":\"cash\",\"amount_fen\":%lld}]}", (long long)due)
            : "{\"payments\":[]}";
    json_decref(call("POST", fmt(ORDERS "/%lld/settle", (long long)order), token, pay, 200));
    order_status_ok(token, order, "delivered", NULL);
}

/* ---- lists ---- */

size_t items_count(const char *path, const char *token)
{
    json_t *j = call("GET", path, token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_true(json_is_array(items));
    size_t n = json_array_size(items);
    json_decref(j);
    return n;
}

json_t *item_with(json_t *list, const char *key, const char *value)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *v = jstr(x, key);
        if (v && strcmp(v, value) == 0)
            return x;
    }
    return NULL;
}

json_t *item_with_id(json_t *list, int64_t id)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        if (jint(json_array_get(list, i), "id") == id)
            return json_array_get(list, i);
    }
    return NULL;
}

/* ---- refusals ---- */

json_t *refusal(const char *method, const char *path, const char *token, const char *body,
                long status, const char *code)
{
    struct resp r = http(method, path, token, body);
    expect_error(&r, status, code, NULL);
    json_t *j = json_incref(r.json);
    resp_free(&r);
    return j;
}

void refused_4xx(const char *method, const char *path, const char *token, const char *body)
{
    struct resp r = http(method, path, token, body);
    if (r.status < 400 || r.status > 499 || !json_object_get(r.json, "error"))
        print_error("%s %s %s: want a 4xx, got %ld: %s\n", method, path, body ? body : "", r.status,
                    r.body);
    assert_true(r.status >= 400 && r.status <= 499);
    assert_non_null(jstr(json_object_get(r.json, "error"), "code"));
    resp_free(&r);
}
