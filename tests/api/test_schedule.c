/* The maintenance schedule over HTTP (MR-1): a vehicle's next_service as GET
 * /api/v1/vehicles/{id} shows it, recomputed in the request that changes one of its inputs
 * (a reading, a repair order, a vehicle edit, a plan, the store's default_daily_km); the
 * maintenance plans per brand/model with their one quoted price (IN-7) and parts lead time
 * (MR-6); and the store settings that hold the numbers of the rules. Histories are built in
 * the past relative to the store's today (readings and repair orders cannot be in the
 * future), and every expected date is worked out here from the rule, not read back. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* ---- helpers ---- */

/* A copy of s that outlives fmt()'s and day_offset()'s rotating buffers (kept until the
 * program ends). */
/* d plus k calendar months, the day clamped to the end of a shorter month (worked out here
 * on its own, not with the server's date_add_months). */
static dms_day plus_months(dms_day d, int k)
{
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    int idx = y * 12 + (m - 1) + k;
    y = idx / 12;
    m = idx % 12 + 1;
    int dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, day > dim ? dim : day);
}

/* ceil(a / b) for positive integers. */
static int ceil_div(int a, int b)
{
    return (a + b - 1) / b;
}

/* A customer and a vehicle of brand/model (NULL: none) bought on purchase (0: no purchase
 * date); returns the vehicle. */
static int64_t car(const char *brand, const char *model, dms_day purchase)
{
    int64_t cid = new_customer(tok(U_ADVISOR), "保养客户");
    char vin[18], plate[32], extra[256] = "";
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    size_t used = 0;
    if (brand)
        used += (size_t)snprintf(extra + used, sizeof extra - used, ",\"brand\":\"%s\"", brand);
    if (model)
        used += (size_t)snprintf(extra + used, sizeof extra - used, ",\"model\":\"%s\"", model);
    if (purchase)
        snprintf(extra + used, sizeof extra - used, ",\"purchase_date\":\"%s\"", ds(purchase));
    json_t *v = call("POST", "/api/v1/vehicles", tok(U_ADVISOR),
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"%s}", (long long)cid,
                         vin, plate, extra),
                     201);
    int64_t id = jint(v, "id");
    json_decref(v);
    assert_true(id > 0);
    return id;
}

/* Posts an odometer reading; returns the response (caller json_decref()s). */
static json_t *reading(int64_t vid, dms_day date, long km)
{
    return call("POST", fmt("/api/v1/vehicles/%lld/mileage", (long long)vid), tok(U_ADVISOR),
                fmt("{\"date\":\"%s\",\"km\":%ld}", ds(date), km), 201);
}

/* Posts a repair order of kind on date at km. */
static void record(int64_t vid, dms_day date, long km, const char *kind)
{
    json_decref(call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                     fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":%ld,\"kind\":\"%s\"}",
                         (long long)vid, ds(date), km, kind),
                     201));
}

/* Asserts a next_service object says due on date at km by basis. */
static void same_due(const json_t *ns, const char *what, dms_day date, long km, const char *basis)
{
    if (!json_is_object(ns))
        fail_msg("%s: no next_service", what);
    const char *got_date = jstr(ns, "due_date"), *got_basis = jstr(ns, "basis");
    long got_km = (long)jint(ns, "due_km");
    if (!got_date || strcmp(got_date, ds(date)) != 0 || got_km != km || !got_basis ||
        strcmp(got_basis, basis) != 0)
        fail_msg("%s: expected due %s at %ld km by %s, got %s at %ld km by %s", what, ds(date), km,
                 basis, got_date ? got_date : "(null)", got_km, got_basis ? got_basis : "(null)");
}

/* GET /vehicles/{id} and asserts its next_service. */
static void due_is(int64_t vid, dms_day date, long km, const char *basis)
{
    json_t *v =
        call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR), NULL, 200);
    same_due(json_object_get(v, "next_service"), fmt("vehicle %lld", (long long)vid), date, km,
             basis);
    json_decref(v);
}

/* POSTs a plan as the service manager; returns it (caller json_decref()s). */
static json_t *plan(const char *body, long status)
{
    return call("POST", "/api/v1/maintenance-plans", tok(U_MANAGER), body, status);
}

static void plan_delete(int64_t id)
{
    struct resp r =
        http("DELETE", fmt("/api/v1/maintenance-plans/%lld", (long long)id), tok(U_MANAGER), NULL);
    if (r.status != 204)
        print_error("DELETE plan %lld: %ld %s\n", (long long)id, r.status, r.body);
    assert_int_equal(r.status, 204);
    resp_free(&r);
}

static void set_daily_km(int km)
{
    json_t *s = call("PATCH", "/api/v1/store/settings", tok(U_MANAGER),
                     fmt("{\"default_daily_km\":%d}", km), 200);
    assert_int_equal(jint(s, "default_daily_km"), km);
    json_decref(s);
}

/* ---- MR-1: the next service of one vehicle ---- */

static void test_schedule_new_car_projects_the_default_daily_km(void **state)
{
    (void)state;
    /* MR-1: no reading but the sale: the store's 40 km a day from the purchase date reach the
     * first 3,000 km on day 75, before the first 3 months (89-92 days) are up. */
    dms_day t = test_today(), p = t - 10;
    int64_t vid = car("大众", "速腾", p);
    due_is(vid, p + 75, 3000, "mileage");
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_CALLER), NULL, 200);
    assert_true(json_is_null(json_object_get(v, "last_service_date")));
    assert_true(json_is_null(json_object_get(v, "last_visit_date")));
    json_decref(v);
    /* A car known only since today (no purchase date, no reading) projects from today. */
    int64_t bare = car(NULL, NULL, 0);
    due_is(bare, t + 75, 3000, "mileage");

    /* The built-in default plan is what applies without one of the store's. */
    json_t *l = call("GET", "/api/v1/maintenance-plans", tok(U_ADVISOR), NULL, 200);
    json_t *b = json_object_get(l, "builtin_default");
    assert_int_equal(jint(b, "interval_km"), 5000);
    assert_int_equal(jint(b, "interval_months"), 6);
    assert_int_equal(jint(b, "first_km"), 3000);
    assert_int_equal(jint(b, "first_months"), 3);
    json_decref(l);
}

static void test_schedule_first_service_by_time_when_driven_little(void **state)
{
    (void)state;
    /* MR-1: 1,000 km in 190 days: the 3,000 km are far off, the 3 months since the sale are
     * past: due by time on purchase + 3 months. */
    dms_day t = test_today(), p = t - 200;
    int64_t vid = car("大众", "速腾", p);
    json_decref(reading(vid, t - 10, 1000));
    due_is(vid, plus_months(p, 3), 3000, "time");
}

static void test_schedule_short_history_uses_the_default_daily_km(void **state)
{
    (void)state;
    dms_day t = test_today();
    /* MR-1: readings 20 days apart are too few: the store's 40 km a day from the latest
     * reading: 2,500 km left take 62.5 days, rounded up to 63. */
    int64_t vid = car("大众", "速腾", t - 20);
    json_decref(reading(vid, t, 500));
    due_is(vid, t + 63, 3000, "mileage");

    /* The boundary: 29 days of readings still use the default (1,550 km left at 40 a day
     * = 38.75, so 39 days) ... */
    int64_t v29 = car("大众", "速腾", t - 29);
    json_decref(reading(v29, t, 1450));
    due_is(v29, t + ceil_div(1550, 40), 3000, "mileage");
    /* ... 30 days use the car's own 50 km a day (1,500 km left: 30 days). */
    int64_t v30 = car("大众", "速腾", t - 30);
    json_decref(reading(v30, t, 1500));
    due_is(v30, t + 30, 3000, "mileage");
}

static void test_schedule_heavy_driving_is_due_by_mileage_rounded_up(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 60;
    int64_t vid = car("大众", "速腾", p);
    due_is(vid, p + 75, 3000, "mileage");
    /* MR-1: 2,600 km in 60 days; the 400 km left take 400 * 60 / 2600 = 9.23 days: due on
     * day 10 (not 9), well before purchase + 3 months. The reading's own response already
     * shows it: recomputed in the same request. */
    json_t *r = reading(vid, t, 2600);
    json_t *v = json_object_get(r, "vehicle");
    assert_non_null(v);
    same_due(json_object_get(v, "next_service"), "POST mileage response", t + 10, 3000, "mileage");
    json_decref(r);
    due_is(vid, t + 10, 3000, "mileage");
}

static void test_schedule_maintenance_record_restarts_the_intervals(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 360, s = t - 20;
    int64_t vid = car("大众", "速腾", p);
    /* MR-1: after a periodic maintenance at 4,000 km: the next at 9,000 km or 6 months
     * later; at about 12 km a day the 6 months come first. */
    record(vid, s, 4000, "maintenance");
    due_is(vid, plus_months(s, 6), 9000, "time");
    /* A repair is a visit, not a maintenance: the schedule stays where it was (a repair
     * counted as maintenance would say 9,200 km and 6 months from its date). */
    record(vid, t - 5, 4200, "repair");
    due_is(vid, plus_months(s, 6), 9000, "time");
    json_t *v =
        call("GET", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR), NULL, 200);
    assert_string_equal(jstr(v, "last_service_date"), ds(s));
    assert_string_equal(jstr(v, "last_visit_date"), ds(t - 5));
    json_decref(v);
}

static void test_schedule_past_due_km_is_due_on_the_latest_reading(void **state)
{
    (void)state;
    /* MR-1: 3,500 km read 50 days ago is past the first 3,000 km: due on that reading's date
     * (which comes before purchase + 3 months). */
    dms_day t = test_today(), p = t - 100;
    int64_t vid = car("大众", "速腾", p);
    json_decref(reading(vid, t - 50, 3500));
    due_is(vid, t - 50, 3000, "mileage");
}

static void test_schedule_average_uses_the_last_365_days(void **state)
{
    (void)state;
    /* A plan with long months so that the distance decides. */
    json_t *pl = plan("{\"brand\":\"窗口牌\",\"interval_km\":10000,\"interval_months\":60,"
                      "\"first_km\":5000,\"first_months\":60}",
                      201);
    int64_t plan_id = jint(pl, "id");
    json_decref(pl);
    dms_day t = test_today(), p = t - 700;
    int64_t vid = car("窗口牌", "X1", p);
    record(vid, t - 400, 3000, "maintenance");
    json_decref(reading(vid, t - 60, 4000));
    json_decref(reading(vid, t, 7000));
    /* MR-1: the average is over the readings of the 365 days up to the latest one: 3,000 km
     * in the last 60 days = 50 a day; 6,000 km left: 120 days. (Over the whole history it
     * would be 10 a day and 600 days.) */
    due_is(vid, t + 120, 13000, "mileage");
    plan_delete(plan_id);
}

static void test_schedule_tie_goes_to_time(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 200;
    dms_day days = plus_months(p, 3) - p; /* 89 to 92 */
    /* First km that 40 km a day reach exactly on purchase + 3 months: a tie is time. */
    json_t *pl = plan(fmt("{\"brand\":\"平局牌\",\"interval_km\":5000,\"interval_months\":6,"
                          "\"first_km\":%ld,\"first_months\":3}",
                          40L * days),
                      201);
    int64_t plan_id = jint(pl, "id");
    json_decref(pl);
    int64_t vid = car("平局牌", "T1", p);
    due_is(vid, p + days, 40L * days, "time");
    /* One day's driving less: the mileage comes a day earlier. The same brand replaces the
     * plan (200) and moves the car in the same request. */
    pl = plan(fmt("{\"brand\":\"平局牌\",\"interval_km\":5000,\"interval_months\":6,"
                  "\"first_km\":%ld,\"first_months\":3}",
                  40L * (days - 1)),
              200);
    assert_int_equal(jint(pl, "id"), plan_id);
    json_decref(pl);
    due_is(vid, p + days - 1, 40L * (days - 1), "mileage");
    plan_delete(plan_id);
}

/* ---- MR-1: the plan of a vehicle ---- */

static void test_schedule_plans_most_specific_wins_and_delete_falls_back(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 60;
    /* Three cars, each 2,600 km in 60 days; built-in plan: 3,000 km on day 10. */
    int64_t a1 = car("甲牌", "A1", p), a2 = car("甲牌", "A2", p), w = car("乙牌", "W1", p);
    int64_t cars[] = {a1, a2, w};
    for (size_t i = 0; i < 3; i++) {
        json_decref(reading(cars[i], t, 2600));
        due_is(cars[i], t + 10, 3000, "mileage");
    }
    /* The brand's plan: first at 5,000 km: 2,400 km left, 2400 * 60 / 2600 = 55.4: day 56. */
    json_t *pb = plan("{\"brand\":\"甲牌\",\"interval_km\":10000,\"interval_months\":12,"
                      "\"first_km\":5000,\"first_months\":6}",
                      201);
    int64_t brand_id = jint(pb, "id");
    assert_true(json_is_null(json_object_get(pb, "model")));
    json_decref(pb);
    due_is(a1, t + 56, 5000, "mileage");
    due_is(a2, t + 56, 5000, "mileage");
    due_is(w, t + 10, 3000, "mileage");

    /* A model's plan beats its brand's: first after 1 month (already past) or 4,000 km. */
    json_t *pm = plan("{\"brand\":\"甲牌\",\"model\":\"A1\",\"interval_km\":10000,"
                      "\"interval_months\":12,\"first_km\":4000,\"first_months\":1}",
                      201);
    int64_t model_id = jint(pm, "id");
    assert_string_equal(jstr(pm, "model"), "A1");
    json_decref(pm);
    due_is(a1, plus_months(p, 1), 4000, "time");
    due_is(a2, t + 56, 5000, "mileage");

    /* The store's default (no brand) covers the brand without a plan: 2,000 km are already
     * passed: due on the latest reading. */
    json_t *pd = plan("{\"interval_km\":8000,\"interval_months\":12,\"first_km\":2000,"
                      "\"first_months\":12}",
                      201);
    int64_t default_id = jint(pd, "id");
    assert_true(json_is_null(json_object_get(pd, "brand")));
    json_decref(pd);
    due_is(w, t, 2000, "mileage");
    due_is(a1, plus_months(p, 1), 4000, "time");
    due_is(a2, t + 56, 5000, "mileage");

    /* Replacing the brand's plan (same brand, no model) answers 200 and moves its cars:
     * 3,400 km left: 78.5 days, so 79. */
    pb = plan("{\"brand\":\"甲牌\",\"interval_km\":10000,\"interval_months\":12,"
              "\"first_km\":6000,\"first_months\":6}",
              200);
    assert_int_equal(jint(pb, "id"), brand_id);
    json_decref(pb);
    due_is(a2, t + 79, 6000, "mileage");
    due_is(a1, plus_months(p, 1), 4000, "time");

    /* A vehicle edit that changes the brand moves the car onto that brand's plan. */
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)w), tok(U_ADVISOR),
                     "{\"brand\":\"甲牌\",\"model\":\"W1\"}", 200));
    due_is(w, t + 79, 6000, "mileage");
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)w), tok(U_ADVISOR),
                     "{\"brand\":\"乙牌\"}", 200));
    due_is(w, t, 2000, "mileage");

    /* Deleting falls back to the next most specific plan: model -> brand -> store default
     * -> built-in. */
    plan_delete(model_id);
    due_is(a1, t + 79, 6000, "mileage");
    plan_delete(brand_id);
    due_is(a1, t, 2000, "mileage");
    due_is(a2, t, 2000, "mileage");
    plan_delete(default_id);
    for (size_t i = 0; i < 3; i++)
        due_is(cars[i], t + 10, 3000, "mileage");
    struct resp r = http("GET", fmt("/api/v1/maintenance-plans/%lld", (long long)brand_id),
                         tok(U_MANAGER), NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
}

static void test_schedule_plan_change_moves_cars_whatever_the_brand_case(void **state)
{
    (void)state;
    /* A plan is picked for a car without regard to the brand's case ("SKODA" covers
     * "Skoda"), so a plan change must move those cars at once too, not at their next
     * write. */
    dms_day t = test_today(), p = t - 60;
    int64_t vid = car("Skoda", "Octavia", p);
    json_decref(reading(vid, t, 2600));
    due_is(vid, t + 10, 3000, "mileage");
    json_t *pl = plan("{\"brand\":\"SKODA\",\"interval_km\":10000,\"interval_months\":12,"
                      "\"first_km\":5000,\"first_months\":6}",
                      201);
    int64_t plan_id = jint(pl, "id");
    json_decref(pl);
    due_is(vid, t + 56, 5000, "mileage");
    plan_delete(plan_id);
    due_is(vid, t + 10, 3000, "mileage");
}

static void test_schedule_default_daily_km_setting_moves_projections(void **state)
{
    (void)state;
    dms_day t = test_today(), p = t - 10;
    int64_t vid = car("大众", "速腾", p);
    due_is(vid, p + 75, 3000, "mileage");
    /* MR-1: at 30 km a day the 3,000 km take 100 days, past purchase + 3 months. */
    set_daily_km(30);
    due_is(vid, plus_months(p, 3), 3000, "time");
    /* 41 a day: 73.2 -> 74 days. */
    set_daily_km(41);
    due_is(vid, p + 74, 3000, "mileage");
    set_daily_km(40);
    due_is(vid, p + 75, 3000, "mileage");
}

/* ---- plans (MR-1, IN-7, MR-6) ---- */

static void test_plans_create_prices_the_package(void **state)
{
    (void)state;
    int64_t head = audit_head();
    json_t *p = plan("{\"brand\":\"价格牌\",\"model\":\"P1\",\"interval_km\":7500,"
                     "\"interval_months\":12,\"first_km\":5000,\"first_months\":6,"
                     "\"package_name\":\"常规保养\","
                     "\"ops\":[{\"code\":\"OIL\",\"name\":\"更换机油机滤\",\"hours\":0.5,"
                     "\"labour_fen\":15000},{\"name\":\"检查底盘\",\"labour_fen\":5000}],"
                     "\"parts\":[{\"part_no\":\"06L115562\",\"name\":\"机油滤清器\",\"qty\":1,"
                     "\"unit_price_fen\":8500,\"lead_days\":7},{\"part_no\":\"G052195M4\","
                     "\"qty\":4,\"unit_price_fen\":1250,\"lead_days\":3},{\"part_no\":\"N0138\","
                     "\"qty\":2,\"unit_price_fen\":300}]}",
                     201);
    int64_t id = jint(p, "id");
    assert_true(id > 0);
    assert_string_equal(jstr(p, "brand"), "价格牌");
    assert_string_equal(jstr(p, "model"), "P1");
    assert_int_equal(jint(p, "interval_km"), 7500);
    assert_int_equal(jint(p, "interval_months"), 12);
    assert_int_equal(jint(p, "first_km"), 5000);
    assert_int_equal(jint(p, "first_months"), 6);
    assert_string_equal(jstr(p, "package_name"), "常规保养");
    assert_int_equal(json_array_size(json_object_get(p, "ops")), 2);
    assert_int_equal(json_array_size(json_object_get(p, "parts")), 3);
    /* IN-7: one price, labour plus parts x qty: 150.00 + 50.00 and 85.00 + 4 x 12.50 +
     * 2 x 3.00. MR-6: the longest lead time; a part without one needs none. */
    assert_int_equal(jint(p, "labour_fen"), 20000);
    assert_int_equal(jint(p, "parts_fen"), 14100);
    assert_int_equal(jint(p, "price_fen"), 34100);
    assert_int_equal(jint(p, "lead_days"), 7);
    assert_int_equal(jint(json_array_get(json_object_get(p, "parts"), 2), "lead_days"), 0);
    char *created = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(p);
    /* Read back as created, by any role that reads the archive. */
    assert_unchanged(fmt("/api/v1/maintenance-plans/%lld", (long long)id), tok(U_ADVISOR), created);
    json_t *l = call("GET", "/api/v1/maintenance-plans", tok(U_CALLER), NULL, 200);
    bool listed = false;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it) listed |= jint(it, "id") == id;
    assert_true(listed);
    json_decref(l);
    /* Audited. */
    assert_true(audit_head() > head);
    json_t *e = last_audit("maintenance_plan", id);
    assert_string_equal(jstr(e, "action"), "create");
    json_t *ch = json_object_get(json_object_get(e, "changes"), "interval_km");
    assert_int_equal(json_integer_value(json_array_get(ch, 1)), 7500);
    json_decref(e);
    plan_delete(id);
    e = last_audit("maintenance_plan", id);
    assert_string_equal(jstr(e, "action"), "delete");
    json_decref(e);
}

static void test_plans_reject_bad_input_and_change_nothing(void **state)
{
    (void)state;
    static const char *const base = "\"interval_km\":5000,\"interval_months\":6,\"first_km\":3000,"
                                    "\"first_months\":3";
    char *before = snapshot("/api/v1/maintenance-plans", tok(U_MANAGER));
    int64_t head = audit_head();
    struct {
        const char *body;
        long status;
        const char *code, *field;
    } bad[] = {
        {"{\"brand\":\"坏牌\",\"interval_months\":6,\"first_km\":3000,\"first_months\":3}", 400,
         "missing_field", "interval_km"},
        {"{\"brand\":\"坏牌\",\"interval_km\":5000,\"interval_months\":6,\"first_months\":3}", 400,
         "missing_field", "first_km"},
        {keep(fmt("{\"model\":\"M\",%s}", base)), 400, "invalid_field", "model"},
        {"{\"brand\":\"坏牌\",\"interval_km\":499,\"interval_months\":6,\"first_km\":3000,"
         "\"first_months\":3}",
         400, "invalid_field", "interval_km"},
        {"{\"brand\":\"坏牌\",\"interval_km\":100001,\"interval_months\":6,\"first_km\":3000,"
         "\"first_months\":3}",
         400, "invalid_field", "interval_km"},
        {"{\"brand\":\"坏牌\",\"interval_km\":5000,\"interval_months\":0,\"first_km\":3000,"
         "\"first_months\":3}",
         400, "invalid_field", "interval_months"},
        {"{\"brand\":\"坏牌\",\"interval_km\":5000,\"interval_months\":61,\"first_km\":3000,"
         "\"first_months\":3}",
         400, "invalid_field", "interval_months"},
        {"{\"brand\":\"坏牌\",\"interval_km\":5000.5,\"interval_months\":6,\"first_km\":3000,"
         "\"first_months\":3}",
         400, "invalid_field", "interval_km"},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"colour\":\"red\"}", base)), 400, "invalid_field",
         "colour"},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"ops\":[{\"name\":\"x\",\"labour_fen\":-1}]}", base)),
         400, "invalid_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"ops\":[{\"name\":\"x\",\"labour_fen\":1.5}]}", base)),
         400, "invalid_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"ops\":[{\"labour_fen\":100}]}", base)), 400,
         "missing_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"ops\":{\"name\":\"x\"}}", base)), 400, "invalid_field",
         "ops"},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"parts\":[{\"part_no\":\"A\",\"qty\":0,"
                  "\"unit_price_fen\":100}]}",
                  base)),
         400, "invalid_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"parts\":[{\"part_no\":\"A\",\"qty\":1,"
                  "\"unit_price_fen\":-5}]}",
                  base)),
         400, "invalid_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"parts\":[{\"part_no\":\"A\",\"qty\":1,"
                  "\"unit_price_fen\":100,\"lead_days\":-1}]}",
                  base)),
         400, "invalid_field", NULL},
        {keep(fmt("{\"brand\":\"坏牌\",%s,\"parts\":[{\"part_no\":\"A\",\"qty\":1,"
                  "\"unit_price_fen\":100,\"supplier\":\"x\"}]}",
                  base)),
         400, "invalid_field", NULL},
        {"[1]", 400, "invalid_json", NULL},
        {"{\"brand\":", 400, "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("POST", "/api/v1/maintenance-plans", tok(U_MANAGER), bad[i].body, bad[i].status,
                 bad[i].code, bad[i].field);

    /* Too many lines: at most 30 operations and 30 parts. */
    char ops[8192] = "", parts[8192] = "";
    size_t uo = 0, up = 0;
    for (int i = 0; i < 31; i++) {
        uo += (size_t)snprintf(ops + uo, sizeof ops - uo, "%s{\"name\":\"op%d\",\"labour_fen\":1}",
                               i ? "," : "", i);
        up += (size_t)snprintf(parts + up, sizeof parts - up,
                               "%s{\"part_no\":\"P%d\",\"qty\":1,\"unit_price_fen\":1}",
                               i ? "," : "", i);
    }
    rejected("POST", "/api/v1/maintenance-plans", tok(U_MANAGER),
             fmt("{\"brand\":\"坏牌\",%s,\"ops\":[%s]}", base, ops), 400, "invalid_field", "ops");
    rejected("POST", "/api/v1/maintenance-plans", tok(U_MANAGER),
             fmt("{\"brand\":\"坏牌\",%s,\"parts\":[%s]}", base, parts), 400, "invalid_field",
             "parts");
    assert_unchanged("/api/v1/maintenance-plans", tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);

    /* 30 are fine. */
    char *last = strrchr(ops, '{');
    last[-1] = '\0';
    json_t *p = plan(fmt("{\"brand\":\"坏牌\",%s,\"ops\":[%s]}", base, ops), 201);
    assert_int_equal(json_array_size(json_object_get(p, "ops")), 30);
    assert_int_equal(jint(p, "labour_fen"), 30);
    plan_delete(jint(p, "id"));
    json_decref(p);
}

static void test_plans_rights_by_role_and_store(void **state)
{
    (void)state;
    static const char *const body = "{\"brand\":\"权限牌\",\"interval_km\":5000,"
                                    "\"interval_months\":6,\"first_km\":3000,\"first_months\":3}";
    int64_t head = audit_head();
    static const char *const no[] = {U_CALLER, U_ADVISOR, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++)
        rejected("POST", "/api/v1/maintenance-plans", tok(no[i]), body, 403, "forbidden", NULL);
    assert_int_equal(audit_head(), head);
    /* The admin sets the rules too. */
    json_t *p = call("POST", "/api/v1/maintenance-plans", tok(U_ADMIN), body, 201);
    int64_t id = jint(p, "id");
    json_decref(p);
    const char *path = keep(fmt("/api/v1/maintenance-plans/%lld", (long long)id));
    /* Every role reads them. */
    static const char *const readers[] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++) {
        json_decref(call("GET", path, tok(readers[i]), NULL, 200));
        json_decref(call("GET", "/api/v1/maintenance-plans", tok(readers[i]), NULL, 200));
    }
    for (size_t i = 0; i < 5; i++)
        rejected("DELETE", path, tok(no[i]), NULL, 403, "forbidden", NULL);
    /* Another store's plan is not there. */
    rejected("GET", path, tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    rejected("DELETE", path, tok(U_ADMIN2), NULL, 404, "not_found", NULL);
    json_t *l = call("GET", "/api/v1/maintenance-plans", tok(U_ADVISOR2), NULL, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(l, "items"), i, it) assert_true(jint(it, "id") != id);
    json_decref(l);
    json_decref(call("GET", path, tok(U_MANAGER), NULL, 200));
    plan_delete(id);
    rejected("DELETE", path, tok(U_MANAGER), NULL, 404, "not_found", NULL);
    rejected("GET", "/api/v1/maintenance-plans/999999999", tok(U_MANAGER), NULL, 404, "not_found",
             NULL);
}

/* ---- store settings ---- */

static void test_settings_readable_by_every_role_with_the_defaults(void **state)
{
    (void)state;
    static const char *const all[] = {U_ADVISOR,  U_CALLER,   U_MANAGER, U_PARTS,
                                      U_WORKSHOP, U_WARRANTY, U_ADMIN,   U_ADVISOR2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        json_t *s = call("GET", "/api/v1/store/settings", tok(all[i]), NULL, 200);
        /* The numbers of REQUIREMENTS (MR-1..MR-6, CS-1..CS-8, IN-1, IN-5). */
        assert_int_equal(jint(s, "default_daily_km"), 40);
        assert_int_equal(jint(s, "message_days"), 13);
        assert_int_equal(jint(s, "call_days"), 11);
        assert_int_equal(jint(s, "call_window_days"), 3);
        assert_int_equal(jint(s, "followup_days"), 3);
        assert_int_equal(jint(s, "followup_window_days"), 5);
        assert_int_equal(jint(s, "month_deadline_day"), 15);
        assert_int_equal(jint(s, "lost_months"), 3);
        assert_string_equal(jstr(s, "lost_basis"), "due_date");
        assert_int_equal(jint(s, "renewal_days"), 30);
        assert_int_equal(jint(s, "max_attempts"), 3);
        assert_int_equal(jint(s, "callback_busy_minutes"), 5);
        assert_int_equal(jint(s, "callback_parts_minutes"), 15);
        assert_string_equal(jstr(s, "generate_at"), "07:00");
        assert_string_equal(jstr(s, "quiet_from"), "21:00");
        assert_string_equal(jstr(s, "quiet_until"), "08:00");
        json_decref(s);
    }
    rejected("GET", "/api/v1/store/settings", NULL, NULL, 401, "unauthorized", NULL);
}

static void test_settings_update_rights_ranges_and_audit(void **state)
{
    (void)state;
    const char *path = "/api/v1/store/settings";
    char *before = snapshot(path, tok(U_MANAGER));
    int64_t head = audit_head();
    static const char *const no[] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++)
        rejected("PATCH", path, tok(no[i]), "{\"message_days\":12}", 403, "forbidden", NULL);
    struct {
        const char *body, *code, *field;
    } bad[] = {
        {"{\"message_days\":0}", "invalid_field", "message_days"},
        {"{\"message_days\":91}", "invalid_field", "message_days"},
        {"{\"default_daily_km\":0}", "invalid_field", "default_daily_km"},
        {"{\"max_attempts\":0}", "invalid_field", "max_attempts"},
        {"{\"month_deadline_day\":29}", "invalid_field", "month_deadline_day"},
        {"{\"generate_at\":\"25:00\"}", "invalid_field", "generate_at"},
        {"{\"generate_at\":\"7:00\"}", "invalid_field", "generate_at"},
        {"{\"quiet_from\":\"21:60\"}", "invalid_field", "quiet_from"},
        {"{\"lost_basis\":\"never\"}", "invalid_field", "lost_basis"},
        {"{\"call_days\":\"11\"}", "invalid_field", "call_days"},
        {"{\"opening_hours\":\"9-5\"}", "invalid_field", "opening_hours"},
        /* All or nothing: a good field beside a bad one is not kept. */
        {"{\"call_days\":10,\"renewal_days\":0}", "invalid_field", "renewal_days"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected("PATCH", path, tok(U_MANAGER), bad[i].body, 400, bad[i].code, bad[i].field);
    rejected("PATCH", path, tok(U_MANAGER), "{\"store_phone\":\"12\"}", 422, "invalid_phone",
             "store_phone");
    assert_unchanged(path, tok(U_CALLER), before);
    assert_int_equal(audit_head(), head);

    /* The service manager changes numbers; the rest stay. */
    json_t *s = call("PATCH", path, tok(U_MANAGER),
                     "{\"message_days\":14,\"generate_at\":\"06:30\",\"lost_basis\":"
                     "\"last_visit\",\"store_phone\":\"0755-12345678\"}",
                     200);
    assert_int_equal(jint(s, "message_days"), 14);
    assert_string_equal(jstr(s, "generate_at"), "06:30");
    assert_string_equal(jstr(s, "lost_basis"), "last_visit");
    assert_string_equal(jstr(s, "store_phone"), "075512345678");
    assert_int_equal(jint(s, "call_days"), 11);
    json_decref(s);
    s = call("GET", path, tok(U_PARTS), NULL, 200);
    assert_int_equal(jint(s, "message_days"), 14);
    json_decref(s);
    /* Only this store's. */
    s = call("GET", path, tok(U_ADVISOR2), NULL, 200);
    assert_int_equal(jint(s, "message_days"), 13);
    assert_string_equal(jstr(s, "generate_at"), "07:00");
    json_decref(s);
    /* Audited with before and after. */
    json_t *j =
        call("GET", "/api/v1/audit?entity=store_settings&limit=1", tok(U_MANAGER), NULL, 200);
    json_t *e = json_array_get(json_object_get(j, "items"), 0);
    assert_non_null(e);
    assert_true(jint(e, "id") > head);
    assert_string_equal(jstr(e, "action"), "update");
    assert_string_equal(jstr(e, "actor"), U_MANAGER);
    json_t *ch = json_object_get(e, "changes");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "message_days"), 0)),
                     13);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "message_days"), 1)),
                     14);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "generate_at"), 1)),
                        "06:30");
    assert_null(json_object_get(ch, "call_days"));
    json_decref(j);

    /* The admin may too; back to the defaults. */
    s = call("PATCH", path, tok(U_ADMIN),
             "{\"message_days\":13,\"generate_at\":\"07:00\",\"lost_basis\":\"due_date\","
             "\"store_phone\":null}",
             200);
    assert_int_equal(jint(s, "message_days"), 13);
    assert_true(json_is_null(json_object_get(s, "store_phone")));
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First, while every setting is still the default. */
        cmocka_unit_test(test_settings_readable_by_every_role_with_the_defaults),
        cmocka_unit_test(test_schedule_new_car_projects_the_default_daily_km),
        cmocka_unit_test(test_schedule_first_service_by_time_when_driven_little),
        cmocka_unit_test(test_schedule_short_history_uses_the_default_daily_km),
        cmocka_unit_test(test_schedule_heavy_driving_is_due_by_mileage_rounded_up),
        cmocka_unit_test(test_schedule_maintenance_record_restarts_the_intervals),
        cmocka_unit_test(test_schedule_past_due_km_is_due_on_the_latest_reading),
        cmocka_unit_test(test_schedule_average_uses_the_last_365_days),
        cmocka_unit_test(test_schedule_tie_goes_to_time),
        cmocka_unit_test(test_schedule_plans_most_specific_wins_and_delete_falls_back),
        cmocka_unit_test(test_schedule_plan_change_moves_cars_whatever_the_brand_case),
        cmocka_unit_test(test_schedule_default_daily_km_setting_moves_projections),
        cmocka_unit_test(test_plans_create_prices_the_package),
        cmocka_unit_test(test_plans_reject_bad_input_and_change_nothing),
        cmocka_unit_test(test_plans_rights_by_role_and_store),
        cmocka_unit_test(test_settings_update_rights_ranges_and_audit),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
