/* The booking call's one search box (IN-3): customers and vehicles found by plate (whole,
 * last four or five characters, with separators or in lower case), phone (whole or last
 * four digits), name (Chinese, partial, the surname alone), VIN suffix, and by the drivers
 * who bring the car in (CRM-5); only the user's own store; the index follows every change;
 * results are masked like lists. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* A three-character given name unique to n after the surname; none of the characters is
 * used by the fixed names below, so a query for a part of it finds only this customer. */
static void cn_name(char *out, size_t cap, const char *surname, unsigned n)
{
    static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                        "勇", "艳", "杰", "娟", "涛", "超", "秀", "霞", "平", "刚",
                                        "桂", "英", "华", "玉", "兰", "萍", "红", "鹏", "飞", "宇"};
    snprintf(out, cap, "%s%s%s%s", surname, given[n % 30], given[n / 30 % 30], given[n / 900 % 30]);
}

/* "?q=" with q percent-encoded. */
static const char *search_path(const char *q)
{
    char enc[512];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)q; *p && n + 4 < sizeof enc; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            enc[n++] = (char)*p;
        else
            n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
    }
    enc[n] = '\0';
    return fmt("/api/v1/search?q=%s", enc);
}

/* Runs the search as token; returns the body (caller json_decref()s). */
static json_t *search(const char *token, const char *q)
{
    json_t *j = call("GET", search_path(q), token, NULL, 200);
    assert_true(json_is_array(json_object_get(j, "results")));
    return j;
}

/* The result of the given type and id in a search body, or NULL. */
static json_t *hit(json_t *body, const char *type, int64_t id)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(body, "results"), i, r)
    {
        if (strcmp(jstr(r, "type"), type) == 0 && jint(r, "id") == id)
            return r;
    }
    return NULL;
}

/* Asserts that q finds (or does not find) the entity as token; returns how it matched. */
static void finds(const char *token, const char *q, const char *type, int64_t id,
                  const char *matched)
{
    json_t *j = search(token, q);
    json_t *r = hit(j, type, id);
    if (!r)
        print_error("q=%s did not find %s %lld\n", q, type, (long long)id);
    assert_non_null(r);
    if (matched)
        assert_string_equal(jstr(r, "matched"), matched);
    json_decref(j);
}

static void misses(const char *token, const char *q, const char *type, int64_t id)
{
    json_t *j = search(token, q);
    if (hit(j, type, id))
        print_error("q=%s found %s %lld\n", q, type, (long long)id);
    assert_null(hit(j, type, id));
    json_decref(j);
}

/* A customer with a fresh name (surname given) and mobile, as token. */
static int64_t customer(const char *token, const char *surname, char name[64], char phone[16])
{
    cn_name(name, 64, surname, uniq());
    make_mobile(phone, uniq());
    json_t *c = call("POST", "/api/v1/customers", token,
                     fmt("{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone), 201);
    int64_t id = jint(c, "id");
    json_decref(c);
    return id;
}

/* A vehicle with a fresh VIN and plate for customer cid, as token. */
static int64_t vehicle(const char *token, int64_t cid, char vin[18], char plate[32])
{
    unsigned n = uniq();
    make_vin(vin, n);
    make_plate(plate, n);
    json_t *v = call(
        "POST", "/api/v1/vehicles", token,
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)cid, vin, plate),
        201);
    int64_t id = jint(v, "id");
    json_decref(v);
    return id;
}

/* ---- plates ---- */

static void test_search_finds_vehicle_by_plate_in_any_writing(void **state)
{
    (void)state;
    /* IN-3 */
    char name[64], phone[16], vin[18], plate[32];
    int64_t cid = customer(tok(U_ADVISOR), "张", name, phone);
    int64_t vid = vehicle(tok(U_ADVISOR), cid, vin, plate);
    const char *digits = plate + strlen("粤B"); /* five digits */
    char q[64];
    finds(tok(U_ADVISOR), plate, "vehicle", vid, "plate");
    snprintf(q, sizeof q, "粤b%s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    snprintf(q, sizeof q, "粤B·%s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    snprintf(q, sizeof q, "粤B %s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    snprintf(q, sizeof q, "粤B-%s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    snprintf(q, sizeof q, "b%s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    /* The last five and the last four characters; a part from the middle. */
    finds(tok(U_ADVISOR), digits, "vehicle", vid, NULL);
    finds(tok(U_ADVISOR), digits + 1, "vehicle", vid, NULL);
    snprintf(q, sizeof q, "B%.3s", digits);
    finds(tok(U_ADVISOR), q, "vehicle", vid, "plate");
    /* The whole plate ranks first. */
    json_t *j = search(tok(U_ADVISOR), plate);
    json_t *first = json_array_get(json_object_get(j, "results"), 0);
    assert_string_equal(jstr(first, "type"), "vehicle");
    assert_int_equal(jint(first, "id"), vid);
    assert_string_equal(jstr(first, "plate"), plate);
    assert_string_equal(jstr(first, "vin"), vin);
    assert_int_equal(jint(first, "customer_id"), cid);
    json_decref(j);
}

static void test_search_finds_new_energy_plate_by_its_end(void **state)
{
    (void)state;
    char name[64], phone[16], vin[18];
    int64_t cid = customer(tok(U_ADVISOR), "李", name, phone);
    unsigned n = uniq();
    make_vin(vin, n);
    /* Letters make the end of this plate unlike any other. */
    static const char letters[] = "ABCDEFGHJK";
    char plate[32], tail[8];
    snprintf(tail, sizeof tail, "%c%04u", letters[n % 10], n % 10000);
    snprintf(plate, sizeof plate, "粤BD%s", tail);
    json_t *v = call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)cid, vin, plate),
        201);
    int64_t vid = jint(v, "id");
    json_decref(v);
    char lower[8];
    snprintf(lower, sizeof lower, "%c%04u", letters[n % 10] - 'A' + 'a', n % 10000);
    finds(tok(U_ADVISOR), tail, "vehicle", vid, "plate");
    finds(tok(U_ADVISOR), lower, "vehicle", vid, "plate");
    finds(tok(U_ADVISOR), fmt("D%s", tail), "vehicle", vid, "plate");
    finds(tok(U_ADVISOR), fmt("粤bd%s", lower), "vehicle", vid, "plate");
}

/* ---- phones and names ---- */

static void test_search_finds_customer_by_phone_and_last_four(void **state)
{
    (void)state;
    char name[64], phone[16];
    int64_t cid = customer(tok(U_ADVISOR), "赵", name, phone);
    finds(tok(U_ADVISOR), phone, "customer", cid, "phone");
    finds(tok(U_ADVISOR), fmt("%.3s-%.4s-%s", phone, phone + 3, phone + 7), "customer", cid,
          "phone");
    finds(tok(U_ADVISOR), fmt("%.3s %.4s %s", phone, phone + 3, phone + 7), "customer", cid,
          "phone");
    finds(tok(U_ADVISOR), phone + 7, "customer", cid, "phone"); /* the last four digits */
    finds(tok(U_ADVISOR), phone + 5, "customer", cid, "phone"); /* the last six */
    /* Results are list views: the number masked even for the advisor. */
    json_t *j = search(tok(U_ADVISOR), phone);
    json_t *r = hit(j, "customer", cid);
    assert_string_equal(jstr(r, "phone"), fmt("%.3s****%s", phone, phone + 7));
    assert_string_equal(jstr(r, "name"), name);
    assert_string_equal(jstr(r, "customer_type"), "individual");
    json_decref(j);
}

static void test_search_finds_landline_by_last_four(void **state)
{
    (void)state;
    unsigned n = uniq();
    char number[16];
    snprintf(number, sizeof number, "07558%07u", n % 10000000);
    json_t *c = call("POST", "/api/v1/customers", tok(U_ADVISOR),
                     fmt("{\"name\":\"座机客户\",\"phones\":[{\"number\":\"0755-8%07u\","
                         "\"label\":\"work\"}]}",
                         n % 10000000),
                     201);
    int64_t cid = jint(c, "id");
    json_decref(c);
    finds(tok(U_ADVISOR), number, "customer", cid, "phone");
    finds(tok(U_ADVISOR), fmt("0755-8%07u", n % 10000000), "customer", cid, "phone");
    finds(tok(U_ADVISOR), number + strlen(number) - 4, "customer", cid, "phone");
}

static void test_search_finds_customer_by_chinese_name_parts(void **state)
{
    (void)state;
    /* IN-2/IN-3: the advisor asks the surname; a given name alone also works. */
    json_t *c = call("POST", "/api/v1/customers", tok(U_ADVISOR), "{\"name\":\"王小明\"}", 201);
    int64_t wang = jint(c, "id");
    json_decref(c);
    finds(tok(U_ADVISOR), "王小明", "customer", wang, "name");
    finds(tok(U_ADVISOR), "小明", "customer", wang, "name");
    finds(tok(U_ADVISOR), "王小", "customer", wang, "name");
    finds(tok(U_ADVISOR), "明", "customer", wang, "name");
    /* A rare surname alone, one character. */
    char name[64], phone[16];
    int64_t min = customer(tok(U_ADVISOR), "闵", name, phone);
    finds(tok(U_ADVISOR), "闵", "customer", min, "name");
    finds(tok(U_ADVISOR), name, "customer", min, "name");
    /* Its given name without the surname, and the middle of it. */
    finds(tok(U_ADVISOR), name + strlen("闵"), "customer", min, "name");
    char middle[16];
    snprintf(middle, sizeof middle, "%.6s", name + strlen("闵"));
    finds(tok(U_ADVISOR), middle, "customer", min, "name");
    /* Spaces typed inside a name do not matter. */
    finds(tok(U_ADVISOR), "王 小明", "customer", wang, "name");
    /* A name that is not there finds nothing of these. */
    misses(tok(U_ADVISOR), "小红", "customer", wang);
    misses(tok(U_ADVISOR), "闵", "customer", wang);
}

static void test_search_finds_vehicle_by_vin_suffix(void **state)
{
    (void)state;
    char name[64], phone[16], vin[18], plate[32], lower[18];
    int64_t cid = customer(tok(U_ADVISOR), "钱", name, phone);
    int64_t vid = vehicle(tok(U_ADVISOR), cid, vin, plate);
    finds(tok(U_ADVISOR), vin, "vehicle", vid, "vin");
    finds(tok(U_ADVISOR), vin + 11, "vehicle", vid, NULL); /* last six */
    finds(tok(U_ADVISOR), vin + 9, "vehicle", vid, NULL);  /* last eight */
    finds(tok(U_ADVISOR), vin + 13, "vehicle", vid, NULL); /* last four */
    for (int i = 0; i < 18; i++)
        lower[i] = (char)(vin[i] >= 'A' && vin[i] <= 'Z' ? vin[i] - 'A' + 'a' : vin[i]);
    finds(tok(U_ADVISOR), lower + 8, "vehicle", vid, "vin");
    finds(tok(U_ADVISOR), lower, "vehicle", vid, "vin");
}

static void test_search_ranks_whole_then_ends_with_then_contains(void **state)
{
    (void)state;
    /* Numbers outside the 139... range of the other tests: "8nnn" is unique to this test. */
    unsigned n = uniq();
    char d[8], inside[16], ends[16];
    snprintf(d, sizeof d, "8%03u", n % 1000);
    snprintf(inside, sizeof inside, "137%s0000", d); /* contains d */
    snprintf(ends, sizeof ends, "1370000%s", d);     /* ends with d */
    json_t *c = call("POST", "/api/v1/customers", tok(U_ADVISOR),
                     fmt("{\"name\":\"包含\",\"phone\":\"%s\"}", inside), 201);
    int64_t a = jint(c, "id");
    json_decref(c);
    c = call("POST", "/api/v1/customers", tok(U_ADVISOR),
             fmt("{\"name\":\"结尾\",\"phone\":\"%s\"}", ends), 201);
    int64_t b = jint(c, "id");
    json_decref(c);
    json_t *j = search(tok(U_ADVISOR), d);
    json_t *results = json_object_get(j, "results");
    assert_true(json_array_size(results) >= 2);
    assert_int_equal(jint(json_array_get(results, 0), "id"), b);
    assert_int_equal(jint(json_array_get(results, 1), "id"), a);
    json_decref(j);
    /* The whole number first. */
    j = search(tok(U_ADVISOR), inside);
    assert_int_equal(jint(json_array_get(json_object_get(j, "results"), 0), "id"), a);
    json_decref(j);
}

/* ---- drivers (CRM-5) ---- */

static void test_search_finds_customer_by_driver(void **state)
{
    (void)state;
    /* CRM-5: the person who brings the car in is not the owner. */
    char name[64], phone[16], driver[64], dphone[16];
    int64_t cid = customer(tok(U_ADVISOR), "孙", name, phone);
    cn_name(driver, sizeof driver, "郝", uniq());
    make_mobile(dphone, uniq());
    json_t *d =
        call("POST", fmt("/api/v1/customers/%lld/drivers", (long long)cid), tok(U_ADVISOR),
             fmt("{\"name\":\"%s\",\"phone\":\"%s\",\"relation\":\"司机\"}", driver, dphone), 201);
    int64_t did = jint(d, "id");
    json_decref(d);
    finds(tok(U_ADVISOR), driver, "customer", cid, "driver");
    finds(tok(U_ADVISOR), driver + strlen("郝"), "customer", cid, "driver");
    finds(tok(U_ADVISOR), dphone, "customer", cid, "driver_phone");
    finds(tok(U_ADVISOR), dphone + 7, "customer", cid, "driver_phone");
    /* The owner is still found by their own name and phone. */
    finds(tok(U_ADVISOR), name, "customer", cid, "name");
    finds(tok(U_ADVISOR), phone + 7, "customer", cid, "phone");
    /* Removed driver, no more hits. */
    json_decref(call("DELETE",
                     fmt("/api/v1/customers/%lld/drivers/%lld", (long long)cid, (long long)did),
                     tok(U_ADVISOR), NULL, 200));
    misses(tok(U_ADVISOR), driver, "customer", cid);
    misses(tok(U_ADVISOR), dphone, "customer", cid);
    finds(tok(U_ADVISOR), name, "customer", cid, "name");
}

static void test_search_finds_driver_added_after_a_rename(void **state)
{
    (void)state;
    /* Drivers stay findable when the owner's own entry is re-indexed. */
    char name[64], phone[16], driver[64], renamed[64];
    int64_t cid = customer(tok(U_ADVISOR), "蒋", name, phone);
    cn_name(driver, sizeof driver, "郁", uniq());
    json_decref(call("POST", fmt("/api/v1/customers/%lld/drivers", (long long)cid), tok(U_ADVISOR),
                     fmt("{\"name\":\"%s\"}", driver), 201));
    cn_name(renamed, sizeof renamed, "蒋", uniq());
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_ADVISOR),
                     fmt("{\"name\":\"%s\"}", renamed), 200));
    finds(tok(U_ADVISOR), driver, "customer", cid, "driver");
    finds(tok(U_ADVISOR), renamed, "customer", cid, "name");
}

/* ---- the index follows changes ---- */

static void test_search_follows_customer_changes(void **state)
{
    (void)state;
    char name[64], phone[16], renamed[64], other[16], declined[16];
    int64_t cid = customer(tok(U_CALLER), "韩", name, phone);
    cn_name(renamed, sizeof renamed, "韩", uniq());
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER),
                     fmt("{\"name\":\"%s\"}", renamed), 200));
    misses(tok(U_CALLER), name, "customer", cid);
    finds(tok(U_CALLER), renamed, "customer", cid, "name");
    /* CRM-4: a change with consent moves the phone in the index... */
    make_mobile(other, uniq());
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER),
                     fmt("{\"phone\":\"%s\",\"contact_consent\":true}", other), 200));
    finds(tok(U_CALLER), other, "customer", cid, "phone");
    misses(tok(U_CALLER), phone, "customer", cid);
    /* ...a declined one does not. */
    make_mobile(declined, uniq());
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER),
                     fmt("{\"phone\":\"%s\",\"contact_consent\":false}", declined), 200));
    misses(tok(U_CALLER), declined, "customer", cid);
    finds(tok(U_CALLER), other, "customer", cid, "phone");
    /* A rejected change leaves the index as it was. */
    struct resp r =
        http("PATCH", fmt("/api/v1/customers/%lld", (long long)cid), tok(U_CALLER),
             fmt("{\"name\":\"%s\",\"email\":\"broken\",\"contact_consent\":true}", "新名字"));
    expect_error(&r, 422, "invalid_email", "email");
    resp_free(&r);
    misses(tok(U_CALLER), "新名字", "customer", cid);
    finds(tok(U_CALLER), renamed, "customer", cid, "name");
}

static void test_search_follows_vehicle_changes(void **state)
{
    (void)state;
    char name[64], phone[16], vin[18], plate[32], vin2[18];
    int64_t cid = customer(tok(U_ADVISOR), "杨", name, phone);
    int64_t vid = vehicle(tok(U_ADVISOR), cid, vin, plate);
    unsigned n = uniq();
    char plate2[32];
    make_plate(plate2, n);
    make_vin(vin2, n);
    json_decref(call("PATCH", fmt("/api/v1/vehicles/%lld", (long long)vid), tok(U_ADVISOR),
                     fmt("{\"plate\":\"%s\",\"vin\":\"%s\"}", plate2, vin2), 200));
    finds(tok(U_ADVISOR), plate2, "vehicle", vid, "plate");
    finds(tok(U_ADVISOR), vin2 + 11, "vehicle", vid, NULL);
    misses(tok(U_ADVISOR), plate, "vehicle", vid);
    misses(tok(U_ADVISOR), vin, "vehicle", vid);
    /* A rejected create is not indexed. */
    char vin3[18], plate3[32];
    unsigned m = uniq();
    make_vin(vin3, m);
    make_plate(plate3, m);
    rejected("POST", "/api/v1/vehicles", tok(U_ADVISOR),
             fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"model_year\":1949}",
                 (long long)cid, vin3, plate3),
             400, "invalid_field", "model_year");
    json_t *j = search(tok(U_ADVISOR), plate3);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(j, "results"), i, r)
    {
        assert_false(strcmp(jstr(r, "type"), "vehicle") == 0 && jstr(r, "plate") &&
                     strcmp(jstr(r, "plate"), plate3) == 0);
    }
    json_decref(j);
}

/* ---- stores, roles, bad queries ---- */

static void test_search_returns_only_own_store(void **state)
{
    (void)state;
    char name[64], phone[16], vin[18], plate[32];
    int64_t c2 = customer(tok(U_ADVISOR2), "欧", name, phone);
    int64_t v2 = vehicle(tok(U_ADVISOR2), c2, vin, plate);
    finds(tok(U_ADVISOR2), name, "customer", c2, "name");
    finds(tok(U_ADVISOR2), plate, "vehicle", v2, "plate");
    static const char *const s1[] = {U_ADVISOR, U_CALLER, U_MANAGER, U_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        const char *qs[] = {name, phone, phone + 7, plate, vin, vin + 11};
        for (size_t k = 0; k < 6; k++) {
            json_t *j = search(tok(s1[i]), qs[k]);
            assert_null(hit(j, "customer", c2));
            assert_null(hit(j, "vehicle", v2));
            json_decref(j);
        }
    }
    /* The same plate in both stores: each finds its own. */
    char n1[64], p1[16];
    int64_t c1 = customer(tok(U_ADVISOR), "欧", n1, p1);
    json_t *v = call(
        "POST", "/api/v1/vehicles", tok(U_ADVISOR),
        fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\"}", (long long)c1, vin, plate),
        201);
    int64_t v1 = jint(v, "id");
    json_decref(v);
    json_t *j = search(tok(U_ADVISOR), plate);
    assert_non_null(hit(j, "vehicle", v1));
    assert_null(hit(j, "vehicle", v2));
    json_decref(j);
    j = search(tok(U_ADVISOR2), plate);
    assert_non_null(hit(j, "vehicle", v2));
    assert_null(hit(j, "vehicle", v1));
    json_decref(j);
}

static void test_search_masks_results_for_other_roles(void **state)
{
    (void)state;
    char name[64], phone[16];
    int64_t cid = customer(tok(U_ADVISOR), "朱", name, phone);
    static const char *const users[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        json_t *j = search(tok(users[i]), phone);
        json_t *r = hit(j, "customer", cid);
        assert_non_null(r);
        assert_string_equal(jstr(r, "name"), "朱***");
        assert_string_equal(jstr(r, "phone"), fmt("%.3s****%s", phone, phone + 7));
        assert_true(json_is_null(json_object_get(r, "address")));
        char *text = json_dumps(j, JSON_COMPACT);
        assert_null(strstr(text, phone));
        free(text);
        json_decref(j);
    }
    /* A vehicle hit shows the owner's name masked as well. */
    char vin[18], plate[32];
    int64_t vid = vehicle(tok(U_ADVISOR), cid, vin, plate);
    json_t *j = search(tok(U_PARTS), plate);
    json_t *r = hit(j, "vehicle", vid);
    assert_non_null(r);
    assert_string_equal(jstr(json_object_get(r, "owner"), "name"), "朱***");
    json_decref(j);
}

static void test_search_rejects_short_or_missing_query(void **state)
{
    (void)state;
    /* One ASCII character would match half the archive. */
    static const char *const short_q[] = {"a", "1", "B", " a ", "-", "·"};
    for (size_t i = 0; i < sizeof short_q / sizeof short_q[0]; i++)
        rejected("GET", search_path(short_q[i]), tok(U_ADVISOR), NULL, 400, "invalid_field", "q");
    rejected("GET", "/api/v1/search", tok(U_ADVISOR), NULL, 400, "missing_field", "q");
    rejected("GET", "/api/v1/search?q=", tok(U_ADVISOR), NULL, 400, "missing_field", "q");
    rejected("GET", "/api/v1/search?q=1234", NULL, NULL, 401, "unauthorized", NULL);
    /* Two characters, or one Chinese character, are enough. */
    json_decref(search(tok(U_ADVISOR), "ab"));
    json_decref(search(tok(U_ADVISOR), "王"));
    /* Nothing found is an empty list, not an error. */
    json_t *j = search(tok(U_ADVISOR), "ZZZZZZZZ");
    assert_int_equal(json_array_size(json_object_get(j, "results")), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_finds_vehicle_by_plate_in_any_writing),
        cmocka_unit_test(test_search_finds_new_energy_plate_by_its_end),
        cmocka_unit_test(test_search_finds_customer_by_phone_and_last_four),
        cmocka_unit_test(test_search_finds_landline_by_last_four),
        cmocka_unit_test(test_search_finds_customer_by_chinese_name_parts),
        cmocka_unit_test(test_search_finds_vehicle_by_vin_suffix),
        cmocka_unit_test(test_search_ranks_whole_then_ends_with_then_contains),
        cmocka_unit_test(test_search_finds_customer_by_driver),
        cmocka_unit_test(test_search_finds_driver_added_after_a_rename),
        cmocka_unit_test(test_search_follows_customer_changes),
        cmocka_unit_test(test_search_follows_vehicle_changes),
        cmocka_unit_test(test_search_returns_only_own_store),
        cmocka_unit_test(test_search_masks_results_for_other_roles),
        cmocka_unit_test(test_search_rejects_short_or_missing_query),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
