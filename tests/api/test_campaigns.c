/* Campaigns (CS-5 recalls and technical upgrades, CS-7 promotions and holiday greetings):
 * which vehicles a selection reaches, who is left out for want of consent, the call task or
 * message each vehicle gets, the per-vehicle status that follows them, the repair order that
 * completes a recall, and the requests that are refused. The server has no channel set up, so
 * campaign messages stay queued where the tests can read them. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALL_CONSENT  "{\"sms\": true, \"phone\": true, \"email\": true, \"marketing\": true}"
#define NO_MARKETING "{\"sms\": true, \"phone\": true, \"email\": true, \"marketing\": false}"
#define NO_CONTACT   "{\"sms\": false, \"phone\": false, \"email\": false, \"marketing\": false}"

struct car {
    int64_t id;
    char vin[18];
    char plate[32];
};

/* A customer (as advisor) with a mobile, the consent given, and a classification. */
static int64_t customer(const char *name, const char *consent, const char *classification,
                        char mobile[16])
{
    char phone[16];
    make_mobile(phone, uniq());
    if (mobile)
        snprintf(mobile, 16, "%s", phone);
    json_t *j = call("POST", "/api/v1/customers", tok(U_ADVISOR),
                     fmt("{\"name\":\"%s\",\"title\":\"女士\",\"phone\":\"%s\",\"consent\":%s,"
                         "\"classification\":\"%s\"}",
                         name, phone, consent, classification),
                     201);
    int64_t id = jint(j, "id");
    assert_true(id > 0);
    json_decref(j);
    return id;
}

static void car_of(const char *token, int64_t customer_id, const char *brand, const char *model,
                   int year, struct car *car)
{
    unsigned n = uniq();
    make_vin(car->vin, n);
    make_plate(car->plate, n);
    json_t *j = call("POST", "/api/v1/vehicles", token,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"%s\","
                         "\"model\":\"%s\",\"model_year\":%d,\"purchase_date\":\"2022-03-15\"}",
                         (long long)customer_id, car->vin, car->plate, brand, model, year),
                     201);
    car->id = jint(j, "id");
    json_decref(j);
}

static void car(int64_t customer_id, const char *brand, const char *model, int year,
                struct car *out)
{
    car_of(tok(U_ADVISOR), customer_id, brand, model, year, out);
}

/* A brand no other test uses, so that a selection by brand reaches this test's cars only. */
static const char *fresh_brand(char out[32], const char *prefix)
{
    snprintf(out, 32, "%s%u", prefix, uniq());
    return out;
}

static json_t *create(const char *token, const char *body)
{
    return call("POST", "/api/v1/campaigns", token, body, 201);
}

static int64_t count_of(const json_t *campaign, const char *what)
{
    return jint(json_object_get(campaign, "counts"), what);
}

/* The campaign's row for the vehicle (NULL when the vehicle is not in it); caller decrefs. */
static json_t *row_of(int64_t campaign, int64_t vehicle)
{
    json_t *j = call("GET", fmt("/api/v1/campaigns/%lld/vehicles?limit=200", (long long)campaign),
                     tok(U_MANAGER), NULL, 200);
    size_t i;
    json_t *it, *found = NULL;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        if (jint(it, "vehicle_id") == vehicle)
            found = json_incref(it);
    }
    json_decref(j);
    return found;
}

static size_t rows(int64_t campaign)
{
    json_t *j = call("GET", fmt("/api/v1/campaigns/%lld/vehicles?limit=200", (long long)campaign),
                     tok(U_MANAGER), NULL, 200);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

static void assert_status(int64_t campaign, int64_t vehicle, const char *status)
{
    json_t *r = row_of(campaign, vehicle);
    if (!r)
        fail_msg("vehicle %lld is not in campaign %lld", (long long)vehicle, (long long)campaign);
    if (strcmp(jstr(r, "status"), status) != 0)
        fail_msg("vehicle %lld: %s, want %s", (long long)vehicle, json_dumps(r, JSON_COMPACT),
                 status);
    json_decref(r);
}

/* The campaign tasks of a vehicle. */
static json_t *tasks_of(int64_t vehicle)
{
    return call("GET", fmt("/api/v1/tasks?type=campaign&vehicle_id=%lld", (long long)vehicle),
                tok(U_MANAGER), NULL, 200);
}

static int64_t task_of(int64_t campaign, int64_t vehicle)
{
    json_t *t = tasks_of(vehicle);
    json_t *items = json_object_get(t, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *task = json_array_get(items, 0);
    assert_int_equal(jint(task, "campaign_id"), campaign);
    assert_string_equal(jstr(task, "type"), "campaign");
    int64_t id = jint(task, "id");
    json_decref(t);
    return id;
}

static bool same_ids(json_t *items, const int64_t *want, size_t n)
{
    if (json_array_size(items) != n)
        return false;
    for (size_t k = 0; k < n; k++) {
        bool seen = false;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) seen = seen || jint(it, "vehicle_id") == want[k];
        if (!seen)
            return false;
    }
    return true;
}

static void assert_selects(int64_t campaign, const int64_t *want, size_t n)
{
    json_t *j = call("GET", fmt("/api/v1/campaigns/%lld/vehicles?limit=200", (long long)campaign),
                     tok(U_MANAGER), NULL, 200);
    if (!same_ids(json_object_get(j, "items"), want, n))
        fail_msg("campaign %lld selected %s", (long long)campaign, json_dumps(j, JSON_COMPACT));
    json_decref(j);
}

/* ---- CS-5: recalls ---- */

static void test_campaign_recall_by_vins_reaches_every_owner(void **state)
{
    (void)state;
    char brand[32];
    fresh_brand(brand, "召回");
    int64_t willing = customer("张三", ALL_CONSENT, "regular", NULL);
    int64_t no_phone = customer("李四", NO_CONTACT, "regular", NULL);
    struct car a, b;
    car(willing, brand, "A", 2021, &a);
    car(no_phone, brand, "A", 2021, &b);
    char u1[18], u2[18];
    make_vin(u1, uniq());
    make_vin(u2, uniq());

    /* A manufacturer's list: two of ours (one twice), two the store never saw. */
    json_t *k = create(tok(U_MANAGER),
                       fmt("{\"kind\":\"recall\",\"name\":\"刹车软管召回\",\"channel\":\"call\","
                           "\"template\":\"{name}{title}您好，您的爱车{plate}需免费更换刹车软管\","
                           "\"selection\":{\"vins\":[\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"]}}",
                           a.vin, u1, b.vin, u2, a.vin));
    int64_t id = jint(k, "id");
    assert_true(id > 0);
    assert_string_equal(jstr(k, "kind"), "recall");
    assert_string_equal(jstr(k, "channel"), "call");
    assert_string_equal(jstr(k, "deadline"), day_offset(30));
    json_t *um = json_object_get(k, "unmatched_vins");
    assert_int_equal(json_array_size(um), 2);
    assert_string_equal(json_string_value(json_array_get(um, 0)), u1);
    assert_string_equal(json_string_value(json_array_get(um, 1)), u2);
    assert_int_equal(count_of(k, "vehicles"), 2);
    assert_int_equal(count_of(k, "tasks"), 2);
    assert_int_equal(count_of(k, "messages"), 0);
    assert_int_equal(count_of(k, "no_consent"), 0);
    json_decref(k);

    /* A safety notice: the owner without phone consent gets a call task too. */
    int64_t ta = task_of(id, a.id), tb = task_of(id, b.id);
    assert_true(ta != tb);
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)tb), tok(U_MANAGER), NULL, 200);
    assert_string_equal(jstr(t, "status"), "open");
    assert_int_equal(jint(t, "customer_id"), no_phone);
    assert_non_null(strstr(jstr(t, "reason"), "刹车软管召回"));
    json_decref(t);
    assert_int_equal(rows(id), 2);
    assert_status(id, a.id, "open");
    assert_status(id, b.id, "open");

    /* The detail view is the same campaign; the list has it first. */
    k = call("GET", fmt("/api/v1/campaigns/%lld", (long long)id), tok(U_CALLER), NULL, 200);
    assert_int_equal(count_of(k, "vehicles"), 2);
    json_decref(k);
    k = call("GET", "/api/v1/campaigns?limit=1", tok(U_CALLER), NULL, 200);
    assert_int_equal(jint(json_array_get(json_object_get(k, "items"), 0), "id"), id);
    json_decref(k);
}

/* ---- CS-7: promotions need the marketing consent ---- */

static void test_campaign_promotion_skips_customers_without_marketing_consent(void **state)
{
    (void)state;
    char brand[32];
    fresh_brand(brand, "促销");
    int64_t yes = customer("王五", ALL_CONSENT, "regular", NULL);
    int64_t no = customer("赵六", NO_MARKETING, "regular", NULL);
    struct car a, b;
    car(yes, brand, "A", 2020, &a);
    car(no, brand, "A", 2020, &b);
    json_t *k = create(tok(U_MANAGER),
                       fmt("{\"kind\":\"promotion\",\"name\":\"冬季检测\",\"channel\":\"call\","
                           "\"template\":\"冬季免费检测\",\"selection\":{\"brand\":\"%s\"}}",
                           brand));
    int64_t id = jint(k, "id");
    assert_int_equal(count_of(k, "vehicles"), 2);
    assert_int_equal(count_of(k, "tasks"), 1);
    assert_int_equal(count_of(k, "no_consent"), 1);
    json_decref(k);
    task_of(id, a.id);
    json_t *t = tasks_of(b.id);
    assert_int_equal(json_array_size(json_object_get(t, "items")), 0);
    json_decref(t);
    assert_status(id, a.id, "open");
    json_t *r = row_of(id, b.id);
    assert_non_null(r);
    assert_string_equal(jstr(r, "status"), "no_consent");
    assert_true(json_is_null(json_object_get(r, "task_id")));
    assert_true(json_is_null(json_object_get(r, "message_id")));
    json_decref(r);
}

/* ---- selections ---- */

static void test_campaign_selection_by_brand_model_years_and_classification(void **state)
{
    (void)state;
    char brand[32];
    fresh_brand(brand, "选车");
    int64_t vip = customer("钱七", ALL_CONSENT, "vip", NULL);
    int64_t regular = customer("孙八", ALL_CONSENT, "regular", NULL);
    struct car a18, a20, a22, b20;
    car(vip, brand, "A", 2018, &a18);
    car(regular, brand, "A", 2020, &a20);
    car(vip, brand, "A", 2022, &a22);
    car(regular, brand, "B", 2020, &b20);

    json_t *k = create(tok(U_MANAGER),
                       fmt("{\"kind\":\"tech_upgrade\",\"name\":\"软件升级1\",\"channel\":\"call\","
                           "\"template\":\"升级\",\"selection\":{\"brand\":\"%s\",\"model\":\"A\","
                           "\"year_from\":2019,\"year_to\":2021}}",
                           brand));
    int64_t want1[] = {a20.id};
    assert_int_equal(count_of(k, "vehicles"), 1);
    assert_selects(jint(k, "id"), want1, 1);
    json_decref(k);

    /* Year bounds are inclusive; no model means every model. */
    k = create(tok(U_MANAGER),
               fmt("{\"kind\":\"tech_upgrade\",\"name\":\"软件升级2\",\"channel\":\"call\","
                   "\"template\":\"升级\",\"selection\":{\"brand\":\"%s\",\"year_from\":2020}}",
                   brand));
    int64_t want2[] = {a20.id, a22.id, b20.id};
    assert_selects(jint(k, "id"), want2, 3);
    json_decref(k);
    k = create(tok(U_MANAGER),
               fmt("{\"kind\":\"tech_upgrade\",\"name\":\"软件升级3\",\"channel\":\"call\","
                   "\"template\":\"升级\",\"selection\":{\"brand\":\"%s\",\"year_to\":2020}}",
                   brand));
    int64_t want3[] = {a18.id, a20.id, b20.id};
    assert_selects(jint(k, "id"), want3, 3);
    json_decref(k);

    /* By the owner's classification (CRM-2). */
    k = create(tok(U_MANAGER),
               fmt("{\"kind\":\"holiday\",\"name\":\"春节问候\",\"channel\":\"call\","
                   "\"template\":\"新春快乐\",\"selection\":{\"brand\":\"%s\","
                   "\"classification\":\"vip\"}}",
                   brand));
    int64_t want4[] = {a18.id, a22.id};
    assert_selects(jint(k, "id"), want4, 2);
    json_decref(k);

    /* A selection that matches nothing is a campaign of no vehicles, not an error. */
    k = create(tok(U_MANAGER),
               fmt("{\"kind\":\"tech_upgrade\",\"name\":\"软件升级4\",\"channel\":\"call\","
                   "\"template\":\"升级\",\"selection\":{\"brand\":\"%s\",\"model\":\"Z\"}}",
                   brand));
    assert_int_equal(count_of(k, "vehicles"), 0);
    json_decref(k);
}

/* ---- messages from the template ---- */

static void test_campaign_sms_renders_the_template_per_vehicle(void **state)
{
    (void)state;
    char brand[32], mobile[16];
    fresh_brand(brand, "短信");
    int64_t yes = customer("周九", ALL_CONSENT, "regular", mobile);
    int64_t no_sms =
        customer("吴十", "{\"sms\": false, \"phone\": true, \"marketing\": true}", "regular", NULL);
    struct car a, b;
    car(yes, brand, "A", 2021, &a);
    car(no_sms, brand, "A", 2021, &b);
    json_t *k = create(tok(U_MANAGER),
                       fmt("{\"kind\":\"holiday\",\"name\":\"中秋问候\",\"channel\":\"sms\","
                           "\"template\":\"【{store}】{name}{title}您好！{{中秋}}快乐，"
                           "爱车{plate}可免费检测。回复TD退订\",\"selection\":{\"brand\":\"%s\"}}",
                           brand));
    int64_t id = jint(k, "id");
    assert_int_equal(count_of(k, "vehicles"), 2);
    assert_int_equal(count_of(k, "tasks"), 0);
    json_decref(k);

    json_t *r = row_of(id, a.id);
    assert_non_null(r);
    int64_t mid = jint(r, "message_id");
    assert_true(mid > 0);
    assert_true(json_is_null(json_object_get(r, "task_id")));
    json_decref(r);
    json_t *m =
        call("GET", fmt("/api/v1/messages/%lld", (long long)mid), tok(U_MANAGER), NULL, 200);
    assert_string_equal(jstr(m, "kind"), "campaign_holiday");
    assert_string_equal(jstr(m, "channel"), "sms");
    assert_string_equal(jstr(m, "status"), "queued");
    assert_string_equal(jstr(m, "recipient"), mobile);
    assert_int_equal(jint(m, "campaign_id"), id);
    assert_int_equal(jint(m, "vehicle_id"), a.id);
    const char *want =
        fmt("【深圳一店】周九女士您好！{中秋}快乐，爱车%s可免费检测。回复TD退订", a.plate);
    assert_string_equal(jstr(m, "body"), want);
    json_decref(m);
    assert_status(id, a.id, "queued");
    /* No SMS consent: the message is written suppressed, and the vehicle shows it. */
    assert_status(id, b.id, "suppressed");
    m = call("GET", fmt("/api/v1/messages?campaign_id=%lld", (long long)id), tok(U_MANAGER), NULL,
             200);
    assert_int_equal(json_array_size(json_object_get(m, "items")), 2);
    json_decref(m);
}

/* ---- the per-vehicle status, and the repair order that completes a recall ---- */

static void test_campaign_vehicle_status_follows_tasks_and_repair_orders(void **state)
{
    (void)state;
    char brand[32];
    fresh_brand(brand, "跟踪");
    int64_t c = customer("郑一", ALL_CONSENT, "regular", NULL);
    struct car reached, unanswered, repaired, outside;
    car(c, brand, "A", 2021, &reached);
    car(c, brand, "A", 2021, &unanswered);
    car(c, brand, "A", 2021, &repaired);
    car(c, "别的品牌", "A", 2021, &outside);
    json_t *k = create(tok(U_MANAGER),
                       fmt("{\"kind\":\"recall\",\"name\":\"气囊召回\",\"channel\":\"call\","
                           "\"template\":\"气囊召回\",\"selection\":{\"brand\":\"%s\"}}",
                           brand));
    int64_t id = jint(k, "id");
    assert_int_equal(count_of(k, "vehicles"), 3);
    json_decref(k);

    /* Calls: one reached (the task closes), one not answered (it stays open). */
    int64_t t1 = task_of(id, reached.id), t2 = task_of(id, unanswered.id),
            t3 = task_of(id, repaired.id);
    json_decref(call("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)t1), tok(U_CALLER),
                     "{\"outcome\":\"reached\"}", 201));
    json_decref(call("POST", fmt("/api/v1/tasks/%lld/attempts", (long long)t2), tok(U_CALLER),
                     "{\"outcome\":\"no_answer\"}", 201));
    json_t *r = row_of(id, reached.id);
    assert_string_equal(jstr(r, "status"), "done");
    assert_string_equal(jstr(r, "last_outcome"), "reached");
    json_decref(r);
    r = row_of(id, unanswered.id);
    assert_string_equal(jstr(r, "status"), "open");
    assert_string_equal(jstr(r, "last_outcome"), "no_answer");
    json_decref(r);

    /* The recall's work, recorded on a repair order of kind recall, completes the vehicle. */
    json_t *rec = call("POST", "/api/v1/service-records", tok(U_ADVISOR),
                       fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":12000,"
                           "\"kind\":\"recall\",\"campaign_id\":%lld}",
                           (long long)repaired.id, day_offset(0), (long long)id),
                       201);
    int64_t record = jint(rec, "id");
    json_decref(rec);
    r = row_of(id, repaired.id);
    assert_string_equal(jstr(r, "status"), "completed");
    assert_int_equal(jint(r, "service_record_id"), record);
    assert_non_null(jstr(r, "completed_at"));
    json_decref(r);
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)t3), tok(U_MANAGER), NULL, 200);
    assert_string_equal(jstr(t, "status"), "done");
    json_decref(t);
    k = call("GET", fmt("/api/v1/campaigns/%lld", (long long)id), tok(U_MANAGER), NULL, 200);
    assert_int_equal(count_of(k, "completed"), 1);
    assert_int_equal(count_of(k, "done"), 2); /* the reached call and the repaired car's task */
    json_decref(k);
    json_t *audit = last_audit("campaign", id);
    assert_string_equal(jstr(audit, "action"), "complete");
    json_decref(audit);

    /* Refused, and nothing written: the recall's work under another kind, a car outside the
     * campaign, the same work twice. */
    int64_t head = audit_head();
    char *before = snapshot(fmt("/api/v1/campaigns/%lld/vehicles", (long long)id), tok(U_MANAGER));
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":12000,\"kind\":\"repair\","
                 "\"campaign_id\":%lld}",
                 (long long)unanswered.id, day_offset(0), (long long)id),
             400, "invalid_field", "kind");
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":12000,\"kind\":\"recall\","
                 "\"campaign_id\":%lld}",
                 (long long)outside.id, day_offset(0), (long long)id),
             400, "invalid_field", "campaign_id");
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":12500,\"kind\":\"recall\","
                 "\"campaign_id\":%lld}",
                 (long long)repaired.id, day_offset(0), (long long)id),
             400, "invalid_field", "campaign_id");
    assert_unchanged(fmt("/api/v1/campaigns/%lld/vehicles", (long long)id), tok(U_MANAGER), before);
    assert_int_equal(audit_head(), head);
    json_t *recs = call("GET", fmt("/api/v1/vehicles/%lld/service-records", (long long)outside.id),
                        tok(U_MANAGER), NULL, 200);
    assert_int_equal(json_array_size(json_object_get(recs, "items")), 0);
    json_decref(recs);
    t = call("GET", fmt("/api/v1/tasks/%lld", (long long)t2), tok(U_MANAGER), NULL, 200);
    assert_string_equal(jstr(t, "status"), "open");
    json_decref(t);
}

static void test_campaign_of_another_store_is_not_found(void **state)
{
    (void)state;
    /* Store S2 gets a service manager of its own (through its admin) and a campaign. */
    char username[32];
    snprintf(username, sizeof username, "mgr2c%u", uniq());
    json_decref(call("POST", "/api/v1/users", tok(U_ADMIN2),
                     fmt("{\"username\":\"%s\",\"password\":\"%s\",\"role\":\"service_manager\","
                         "\"must_change_password\":false}",
                         username, TEST_PASSWORD),
                     201));
    char *mgr2 = login(username);
    char brand[32];
    fresh_brand(brand, "二店");
    char phone[16];
    make_mobile(phone, uniq());
    json_t *j =
        call("POST", "/api/v1/customers", mgr2,
             fmt("{\"name\":\"冯二\",\"phone\":\"%s\",\"consent\":%s}", phone, ALL_CONSENT), 201);
    int64_t c2 = jint(j, "id");
    json_decref(j);
    struct car theirs;
    car_of(mgr2, c2, brand, "A", 2021, &theirs);
    json_t *k = create(mgr2, fmt("{\"kind\":\"recall\",\"name\":\"二店召回\",\"channel\":\"call\","
                                 "\"template\":\"召回\",\"selection\":{\"brand\":\"%s\"}}",
                                 brand));
    int64_t other = jint(k, "id");
    assert_int_equal(count_of(k, "vehicles"), 1);
    json_decref(k);

    rejected("GET", fmt("/api/v1/campaigns/%lld", (long long)other), tok(U_MANAGER), NULL, 404,
             "not_found", NULL);
    rejected("GET", fmt("/api/v1/campaigns/%lld/vehicles", (long long)other), tok(U_MANAGER), NULL,
             404, "not_found", NULL);
    /* S1's repair order cannot name S2's campaign. */
    int64_t c1 = customer("陈三", ALL_CONSENT, "regular", NULL);
    struct car ours;
    car(c1, brand, "A", 2021, &ours);
    int64_t head = audit_head();
    rejected("POST", "/api/v1/service-records", tok(U_ADVISOR),
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":8000,\"kind\":\"recall\","
                 "\"campaign_id\":%lld}",
                 (long long)ours.id, day_offset(0), (long long)other),
             404, "not_found", NULL);
    assert_int_equal(audit_head(), head);
    /* And S2's list does not show S1's campaigns (nor S1's its). */
    j = call("GET", "/api/v1/campaigns?limit=200", tok(U_MANAGER), NULL, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) assert_true(jint(it, "id") != other);
    json_decref(j);
    free(mgr2);
}

/* ---- refused requests ---- */

static void test_campaign_bad_requests_and_roles(void **state)
{
    (void)state;
    char brand[32];
    fresh_brand(brand, "校验");
    int64_t c = customer("褚四", ALL_CONSENT, "regular", NULL);
    struct car a;
    car(c, brand, "A", 2021, &a);
    const char *mgr = tok(U_MANAGER);
    int64_t head = audit_head();
#define BODY(kind, template, selection, extra)                                                     \
    fmt("{\"kind\":\"%s\",\"name\":\"测试\",\"channel\":\"call\",\"template\":\"%s\","           \
        "\"selection\":%s%s}",                                                                     \
        kind, template, selection, extra)
    const char *sel = fmt("{\"brand\":\"%s\"}", brand);
    char sel_copy[128];
    snprintf(sel_copy, sizeof sel_copy, "%s", sel);

    rejected("POST", "/api/v1/campaigns", mgr, BODY("lottery", "x", sel_copy, ""), 400,
             "invalid_field", "kind");
    rejected("POST", "/api/v1/campaigns", mgr, BODY("recall", "x", "{}", ""), 400, "missing_field",
             "selection");
    rejected("POST", "/api/v1/campaigns", mgr, BODY("recall", "x", "{\"vins\":[]}", ""), 400,
             "invalid_field", "selection.vins");
    rejected("POST", "/api/v1/campaigns", mgr,
             BODY("recall", "x", fmt("{\"vins\":[\"%s\"],\"brand\":\"%s\"}", a.vin, brand), ""),
             400, "invalid_field", "selection");
    rejected("POST", "/api/v1/campaigns", mgr,
             fmt("{\"kind\":\"recall\",\"name\":\"测试\",\"channel\":\"call\",\"template\":\"x\"}"),
             400, "missing_field", "selection");
    rejected("POST", "/api/v1/campaigns", mgr,
             BODY("recall", "x", "{\"vins\":[\"NOT-A-VIN\"]}", ""), 422, "invalid_vin", NULL);
    rejected("POST", "/api/v1/campaigns", mgr,
             BODY("recall", "x",
                  fmt("{\"brand\":\"%s\",\"year_from\":2022,\"year_to\":2020}", brand), ""),
             400, "invalid_field", "selection.year_to");
    rejected("POST", "/api/v1/campaigns", mgr, BODY("recall", "您好{unknown}", sel_copy, ""), 422,
             "invalid_template", NULL);
    rejected("POST", "/api/v1/campaigns", mgr,
             BODY("recall", "x", sel_copy, fmt(",\"deadline\":\"%s\"", day_offset(-1))), 422,
             "invalid_date", "deadline");
    rejected("POST", "/api/v1/campaigns", mgr,
             fmt("{\"kind\":\"recall\",\"name\":\"测试\",\"channel\":\"fax\",\"template\":\"x\","
                 "\"selection\":%s}",
                 sel_copy),
             400, "invalid_field", "channel");
    rejected("POST", "/api/v1/campaigns", mgr, BODY("recall", "x", sel_copy, ",\"color\":\"red\""),
             400, "invalid_field", NULL);
    /* Roles: callers and advisors work the tasks but do not start campaigns. */
    rejected("POST", "/api/v1/campaigns", tok(U_CALLER), BODY("recall", "x", sel_copy, ""), 403,
             "forbidden", NULL);
    rejected("POST", "/api/v1/campaigns", tok(U_ADVISOR), BODY("recall", "x", sel_copy, ""), 403,
             "forbidden", NULL);
    assert_int_equal(audit_head(), head);
    json_t *t = call("GET", fmt("/api/v1/tasks?type=campaign&vehicle_id=%lld", (long long)a.id),
                     mgr, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(t, "items")), 0);
    json_decref(t);

    /* The warranty role may; today is a valid deadline; the creation is audited. */
    json_t *k = create(tok(U_WARRANTY), BODY("tech_upgrade", "{name}{title}，{plate}升级", sel_copy,
                                             fmt(",\"deadline\":\"%s\"", day_offset(0))));
    int64_t id = jint(k, "id");
    assert_string_equal(jstr(k, "deadline"), day_offset(0));
    assert_int_equal(count_of(k, "vehicles"), 1);
    json_decref(k);
#undef BODY
    json_t *audit = last_audit("campaign", id);
    assert_string_equal(jstr(audit, "action"), "create");
    assert_string_equal(jstr(audit, "actor"), U_WARRANTY);
    json_t *ch = json_object_get(audit, "changes");
    assert_non_null(json_object_get(ch, "kind"));
    assert_non_null(json_object_get(ch, "selection"));
    json_decref(audit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_campaign_recall_by_vins_reaches_every_owner),
        cmocka_unit_test(test_campaign_promotion_skips_customers_without_marketing_consent),
        cmocka_unit_test(test_campaign_selection_by_brand_model_years_and_classification),
        cmocka_unit_test(test_campaign_sms_renders_the_template_per_vehicle),
        cmocka_unit_test(test_campaign_vehicle_status_follows_tasks_and_repair_orders),
        cmocka_unit_test(test_campaign_of_another_store_is_not_found),
        cmocka_unit_test(test_campaign_bad_requests_and_roles),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
