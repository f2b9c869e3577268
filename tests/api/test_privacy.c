/* A customer's personal data under PIPL (issue 11): the card masks phone numbers for every
 * role and each reveal of the full numbers is recorded (who, when, which customer); a copy of
 * everything the store keeps about a customer, for the service manager and the admin, itself
 * recorded; and erasure on request: who the customer is and how to reach them goes, from the
 * archive, the messages, the calls and the earlier audit rows, while the store's figures keep
 * their repair orders, amounts and dates; nothing reaches the customer afterwards, and a
 * second erasure changes nothing. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a customer with something of everything ---- */

struct person {
    int64_t id, vehicle, driver, record, task, queued, sent;
    char name[64], phone[16], phone2[16], driver_phone[16], email[64], address[64], notes[64];
    char plate[32], vin[18], new_phone[16], needs_note[64];
};

static void make_person(struct person *p)
{
    unsigned n = uniq();
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "欧阳%u", n);
    make_mobile(p->phone, uniq());
    make_mobile(p->phone2, uniq());
    make_mobile(p->driver_phone, uniq());
    make_mobile(p->new_phone, uniq());
    snprintf(p->email, sizeof p->email, "oy%u@example.com", n);
    snprintf(p->address, sizeof p->address, "深圳市福田区隐私路%u号", n);
    snprintf(p->notes, sizeof p->notes, "喜欢周末来店%u", n);
    snprintf(p->needs_note, sizeof p->needs_note, "要代步车%u", n);
    const char *adv = tok(U_ADVISOR);
    json_t *c =
        call("POST", "/api/v1/customers", adv,
             fmt("{\"name\":\"%s\",\"title\":\"女士\",\"phones\":[\"%s\",{\"number\":\"%s\","
                 "\"label\":\"work\"}],\"email\":\"%s\",\"address\":\"%s\",\"notes\":\"%s\","
                 "\"needs_note\":\"%s\",\"consent\":{\"sms\":true,\"email\":true,\"phone\":true,"
                 "\"marketing\":true}}",
                 p->name, p->phone, p->phone2, p->email, p->address, p->notes, p->needs_note),
             201);
    p->id = jint(c, "id");
    json_decref(c);
    json_t *d = call("POST", fmt("/api/v1/customers/%lld/drivers", (long long)p->id), adv,
                     fmt("{\"name\":\"司机%u\",\"phone\":\"%s\"}", n, p->driver_phone), 201);
    p->driver = jint(d, "id");
    json_decref(d);
    make_vin(p->vin, n);
    make_plate(p->plate, n);
    json_t *v = call("POST", "/api/v1/vehicles", adv,
                     fmt("{\"customer_id\":%lld,\"vin\":\"%s\",\"plate\":\"%s\",\"brand\":\"大众\","
                         "\"purchase_date\":\"2022-03-15\"}",
                         (long long)p->id, p->vin, p->plate),
                     201);
    p->vehicle = jint(v, "id");
    json_decref(v);
    json_t *r = call("POST", "/api/v1/service-records", adv,
                     fmt("{\"vehicle_id\":%lld,\"date\":\"2023-03-01\",\"mileage_km\":9000,"
                         "\"kind\":\"maintenance\",\"notes\":\"%s 说刹车异响\","
                         "\"labour\":[{\"operation\":\"保养\",\"amount_fen\":30000}]}",
                         (long long)p->vehicle, p->name),
                     201);
    p->record = jint(r, "id");
    json_decref(r);
    /* CRM-4: a change of phones with consent leaves the old and new values in the history. */
    json_decref(call("PATCH", fmt("/api/v1/customers/%lld", (long long)p->id), adv,
                     fmt("{\"phones\":[\"%s\",{\"number\":\"%s\",\"label\":\"work\"}],"
                         "\"contact_consent\":true}",
                         p->new_phone, p->phone2),
                     200));
    json_t *t = call("POST", "/api/v1/tasks", adv,
                     fmt("{\"type\":\"callback\",\"reason\":\"busy\",\"customer_id\":%lld,"
                         "\"notes\":\"%s 想问保养价格\"}",
                         (long long)p->id, p->name),
                     201);
    p->task = jint(t, "id");
    json_decref(t);
    /* A booking call that ended without a booking, with the caller's words (its audit row
     * holds them too). */
    json_decref(call("POST", "/api/v1/booking-failures", adv,
                     fmt("{\"customer_id\":%lld,\"reason\":\"price\",\"note\":\"%s 嫌贵\"}",
                         (long long)p->id, p->name),
                     201));
    /* Messages as the outbox writes them: one queued, one sent. */
    char out[64];
    const char *cols = "store_id, kind, channel, customer_id, vehicle_id, recipient, body, "
                       "status, next_attempt_at, created_at";
    assert_int_equal(
        db_sql(fmt("INSERT INTO messages (%s) SELECT store_id, 'maintenance_reminder', 'sms', id, "
                   "%lld, '%s', '%s您好，您的车该保养了', 'queued', '2030-01-01T00:00:00Z', "
                   "'2026-01-01T00:00:00Z' FROM customers WHERE id = %lld RETURNING id",
                   cols, (long long)p->vehicle, p->new_phone, p->name, (long long)p->id),
               out, sizeof out),
        0);
    p->queued = atoll(out);
    assert_int_equal(
        db_sql(fmt("INSERT INTO messages (%s) SELECT store_id, 'maintenance_reminder', 'sms', id, "
                   "%lld, '%s', '%s您好，欢迎回店', 'sent', '2026-01-01T00:00:00Z', "
                   "'2026-01-01T00:00:00Z' FROM customers WHERE id = %lld RETURNING id",
                   cols, (long long)p->vehicle, p->phone, p->name, (long long)p->id),
               out, sizeof out),
        0);
    p->sent = atoll(out);
    assert_true(p->queued > 0 && p->sent > 0);
}

/* Fails when text contains any of the person's identifying values. */
static void assert_no_trace(const char *what, const char *text, const struct person *p)
{
    const char *values[] = {p->name,  p->phone,   p->phone2, p->driver_phone, p->new_phone,
                            p->email, p->address, p->notes,  p->plate,        p->needs_note};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strstr(text, values[i]))
            fail_msg("%s still holds \"%s\": %.600s", what, values[i], text);
}

static char *body_of(const char *method, const char *path, const char *token, long status)
{
    struct resp r = http(method, path, token, NULL);
    expect(&r, status);
    char *copy = strdup(r.body);
    resp_free(&r);
    return copy;
}

/* The store's whole audit log as the manager reads it (every page), as text. */
static char *audit_text_all(void)
{
    json_t *all = fetch_pages("/api/v1/audit", tok(U_MANAGER), 200, NULL);
    char *text = json_dumps(all, JSON_COMPACT);
    json_decref(all);
    return text;
}

/* ---- reveals ---- */

static void test_privacy_card_masks_phones_and_each_reveal_is_recorded(void **state)
{
    (void)state;
    struct person p;
    make_person(&p);
    const char *path = keep(fmt("/api/v1/customers/%lld", (long long)p.id));
    /* The card masks every number for every role, the advisor's too. */
    static const char *const all[] = {U_ADVISOR,  U_CALLER,   U_MANAGER, U_PARTS,
                                      U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        char *card = body_of("GET", path, tok(all[i]), 200);
        if (strstr(card, p.new_phone) || strstr(card, p.phone2) || strstr(card, p.driver_phone))
            fail_msg("%s's card shows a full number: %s", all[i], card);
        free(card);
    }
    /* The roles that call reveal them; each reveal is one audit row: who, when, which
     * customer, and no number. */
    static const char *const front[] = {U_ADVISOR, U_CALLER, U_MANAGER};
    for (size_t i = 0; i < 3; i++) {
        size_t before = audit_count("customer", p.id);
        json_t *rv = call("POST", fmt("%s/phone-reveals", path), tok(front[i]),
                          i == 2 ? "{\"reason\":\"客户来电核对号码\"}" : NULL, 201);
        assert_int_equal(jint(rv, "customer_id"), p.id);
        assert_string_equal(jstr(rv, "phone"), p.new_phone);
        json_t *phones = json_object_get(rv, "phones");
        assert_int_equal(json_array_size(phones), 2);
        assert_string_equal(jstr(json_array_get(phones, 1), "number"), p.phone2);
        assert_string_equal(jstr(json_array_get(phones, 1), "label"), "work");
        json_t *d = json_array_get(json_object_get(rv, "drivers"), 0);
        assert_int_equal(jint(d, "id"), p.driver);
        assert_string_equal(jstr(d, "phone"), p.driver_phone);
        json_decref(rv);
        assert_int_equal(audit_count("customer", p.id), before + 1);
        json_t *e = last_audit("customer", p.id);
        assert_string_equal(jstr(e, "action"), "reveal");
        assert_string_equal(jstr(e, "actor"), front[i]);
        assert_true(jstr(e, "at") != NULL);
        char *text = json_dumps(e, JSON_COMPACT);
        assert_null(strstr(text, p.new_phone));
        assert_null(strstr(text, p.phone2));
        assert_null(strstr(text, p.driver_phone));
        if (i == 2)
            assert_non_null(strstr(text, "客户来电核对号码"));
        free(text);
        json_decref(e);
    }
    /* The other roles may not, and nothing is recorded for them. */
    static const char *const back[] = {U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    size_t n = audit_count("customer", p.id);
    for (size_t i = 0; i < 4; i++)
        rejected("POST", fmt("%s/phone-reveals", path), tok(back[i]), NULL, 403, "forbidden", NULL);
    assert_int_equal(audit_count("customer", p.id), n);
    /* Another store's customer does not exist; bad input is refused. */
    rejected("POST", fmt("%s/phone-reveals", path), tok(U_ADVISOR2), NULL, 404, "not_found", NULL);
    rejected("POST", fmt("%s/phone-reveals", path), tok(U_ADVISOR), "{\"why\":\"x\"}", 400,
             "invalid_field", "why");
    rejected("POST", fmt("%s/phone-reveals", path), tok(U_ADVISOR), "{\"reason\":7}", 400,
             "invalid_field", "reason");
    rejected("POST", "/api/v1/customers/999999999/phone-reveals", tok(U_ADVISOR), NULL, 404,
             "not_found", NULL);
    assert_int_equal(audit_count("customer", p.id), n);
}

/* ---- export ---- */

static void test_privacy_export_holds_everything_and_is_recorded(void **state)
{
    (void)state;
    struct person p;
    make_person(&p);
    const char *path = keep(fmt("/api/v1/customers/%lld/export", (long long)p.id));
    static const char *const may[] = {U_MANAGER, U_ADMIN};
    for (size_t k = 0; k < 2; k++) {
        size_t before = audit_count("customer", p.id);
        json_t *doc = call("GET", path, tok(may[k]), NULL, 200);
        json_t *c = json_object_get(doc, "customer");
        assert_int_equal(jint(c, "id"), p.id);
        assert_string_equal(jstr(c, "name"), p.name);
        assert_string_equal(jstr(c, "email"), p.email);
        assert_string_equal(jstr(c, "address"), p.address);
        assert_string_equal(jstr(c, "notes"), p.notes);
        assert_true(json_is_true(json_object_get(c, "consent_marketing")));
        assert_string_equal(jstr(json_array_get(json_object_get(doc, "phones"), 0), "number"),
                            p.new_phone);
        assert_string_equal(jstr(json_array_get(json_object_get(doc, "drivers"), 0), "phone"),
                            p.driver_phone);
        json_t *v = json_array_get(json_object_get(doc, "vehicles"), 0);
        assert_string_equal(jstr(v, "vin"), p.vin);
        assert_string_equal(jstr(v, "plate"), p.plate);
        json_t *r = json_array_get(json_object_get(doc, "service_records"), 0);
        assert_int_equal(jint(r, "id"), p.record);
        assert_int_equal(jint(r, "total_fen"), 30000);
        assert_int_equal(json_array_size(json_object_get(doc, "service_labour")), 1);
        assert_true(json_array_size(json_object_get(doc, "mileage_readings")) >= 2);
        assert_int_equal(jint(json_array_get(json_object_get(doc, "tasks"), 0), "id"), p.task);
        assert_int_equal(json_array_size(json_object_get(doc, "messages")), 2);
        assert_true(json_is_array(json_object_get(doc, "call_attempts")));
        assert_true(json_is_array(json_object_get(doc, "appointments")));
        assert_true(json_is_array(json_object_get(doc, "booking_failures")));
        json_t *h = json_array_get(json_object_get(doc, "contact_history"), 0);
        assert_string_equal(jstr(h, "event"), "changed");
        assert_non_null(strstr(jstr(h, "new_value"), p.new_phone));
        assert_true(json_array_size(json_object_get(doc, "audit")) >= 2);
        json_decref(doc);
        /* Recorded: who exported whose data, when. */
        assert_int_equal(audit_count("customer", p.id), before + 1);
        json_t *e = last_audit("customer", p.id);
        assert_string_equal(jstr(e, "action"), "export");
        assert_string_equal(jstr(e, "actor"), may[k]);
        json_decref(e);
    }
    /* The other roles may not; another store's customer is not there. */
    static const char *const not [] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    size_t n = audit_count("customer", p.id);
    for (size_t i = 0; i < 5; i++)
        rejected("GET", path, tok(not [i]), NULL, 403, "forbidden", NULL);
    rejected("GET", path, tok(U_ADMIN2), NULL, 404, "not_found", NULL);
    assert_int_equal(audit_count("customer", p.id), n);
}

/* ---- erasure ---- */

static void test_privacy_erase_anonymises_and_keeps_the_figures(void **state)
{
    (void)state;
    struct person p;
    make_person(&p);
    struct person other;
    make_person(&other);
    const char *path = keep(fmt("/api/v1/customers/%lld", (long long)p.id));
    const char *mgr = tok(U_MANAGER);

    /* Who may, and what it needs. */
    static const char *const not [] = {U_ADVISOR, U_CALLER, U_PARTS, U_WORKSHOP, U_WARRANTY};
    for (size_t i = 0; i < 5; i++)
        rejected("POST", fmt("%s/erase", path), tok(not [i]), "{\"reason\":\"客户要求\"}", 403,
                 "forbidden", NULL);
    rejected("POST", fmt("%s/erase", path), mgr, "{}", 400, "missing_field", "reason");
    rejected("POST", fmt("%s/erase", path), mgr, "{\"reason\":\"\"}", 400, "missing_field",
             "reason");
    rejected("POST", fmt("%s/erase", path), mgr, "{\"reason\":\"x\",\"all\":true}", 400,
             "invalid_field", "all");
    rejected("POST", fmt("%s/erase", path), tok(U_ADMIN2), "{\"reason\":\"x\"}", 404, "not_found",
             NULL);

    json_t *res =
        call("POST", fmt("%s/erase", path), mgr, "{\"reason\":\"客户书面申请删除个人信息\"}", 200);
    assert_false(json_is_true(json_object_get(res, "already_erased")));
    assert_int_equal(jint(res, "messages_stopped"), 1);
    assert_int_equal(jint(res, "tasks_cancelled"), 1);
    assert_true(jint(res, "audit_rows_scrubbed") > 0);
    const char *erased_at = keep(jstr(res, "erased_at"));
    json_decref(res);

    /* The card: nobody in particular, unreachable. */
    json_t *c = call("GET", path, mgr, NULL, 200);
    assert_string_equal(jstr(c, "erased_at"), erased_at);
    assert_int_equal(json_array_size(json_object_get(c, "phones")), 0);
    assert_int_equal(json_array_size(json_object_get(c, "drivers")), 0);
    assert_true(json_is_null(json_object_get(c, "email")));
    assert_true(json_is_null(json_object_get(c, "address")));
    assert_true(json_is_null(json_object_get(c, "notes")));
    json_t *consent = json_object_get(c, "consent");
    assert_true(json_is_false(json_object_get(consent, "sms")) &&
                json_is_false(json_object_get(consent, "phone")) &&
                json_is_false(json_object_get(consent, "email")) &&
                json_is_false(json_object_get(consent, "marketing")));
    assert_true(json_is_false(json_object_get(c, "can_reveal_phones")));
    json_decref(c);
    /* The figures keep the car, its repair order and its amount; the VIN stays (recalls), the
     * plate goes. */
    json_t *v = call("GET", fmt("/api/v1/vehicles/%lld", (long long)p.vehicle), mgr, NULL, 200);
    assert_string_equal(jstr(v, "vin"), p.vin);
    assert_true(json_is_null(json_object_get(v, "plate")));
    json_decref(v);
    json_t *r =
        call("GET", fmt("/api/v1/service-records/%lld", (long long)p.record), mgr, NULL, 200);
    assert_int_equal(jint(r, "total_fen"), 30000);
    assert_string_equal(jstr(r, "date"), "2023-03-01");
    assert_true(json_is_null(json_object_get(r, "notes")));
    json_decref(r);
    /* Nothing more reaches the customer: the queued message stopped, the call cancelled. */
    json_t *m = call("GET", fmt("/api/v1/messages/%lld", (long long)p.queued), mgr, NULL, 200);
    assert_string_equal(jstr(m, "status"), "suppressed");
    assert_string_equal(jstr(m, "status_reason"), "erased");
    json_decref(m);
    m = call("GET", fmt("/api/v1/messages/%lld", (long long)p.sent), mgr, NULL, 200);
    assert_string_equal(jstr(m, "status"), "sent");
    json_decref(m);
    json_t *t = call("GET", fmt("/api/v1/tasks/%lld", (long long)p.task), mgr, NULL, 200);
    assert_string_equal(jstr(t, "status"), "cancelled");
    json_decref(t);

    /* No trace left: the card, the car, the messages, the history, the search, the export, and
     * the audit log, whose earlier rows held the values in their change sets. */
    const char *paths[] = {
        path,
        keep(fmt("%s/contact-history", path)),
        keep(fmt("/api/v1/vehicles/%lld", (long long)p.vehicle)),
        keep(fmt("/api/v1/vehicles/%lld/service-records", (long long)p.vehicle)),
        keep(fmt("/api/v1/messages?customer_id=%lld", (long long)p.id)),
        keep(fmt("/api/v1/messages/%lld", (long long)p.queued)),
        keep(fmt("/api/v1/messages/%lld", (long long)p.sent)),
        keep(fmt("/api/v1/tasks/%lld", (long long)p.task)),
        keep(fmt("%s/export", path)),
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *body = body_of("GET", paths[i], mgr, 200);
        assert_no_trace(paths[i], body, &p);
        free(body);
    }
    char *audit = audit_text_all();
    assert_no_trace("the audit log", audit, &p);
    /* The erasure's own row says who, when and why, and holds none of the values. */
    json_t *e = last_audit("customer", p.id);
    assert_string_equal(jstr(e, "action"), "export"); /* the export just above */
    json_decref(e);
    assert_non_null(strstr(audit, "\"action\":\"erase\""));
    assert_non_null(strstr(audit, "客户书面申请删除个人信息"));
    /* The other customer is untouched. */
    assert_non_null(strstr(audit, other.name));
    free(audit);
    const char *queries[] = {p.name, p.new_phone + 7, p.plate + 4, p.driver_phone + 7};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char enc[256];
        size_t w = 0;
        for (const unsigned char *q = (const unsigned char *)queries[i]; *q && w < 250; q++)
            w += (size_t)snprintf(enc + w, sizeof enc - w, "%%%02X", *q);
        json_t *s = call("GET", fmt("/api/v1/search?q=%s", enc), tok(U_ADVISOR), NULL, 200);
        json_t *hits = json_object_get(s, "results");
        for (size_t k = 0; k < json_array_size(hits); k++) {
            json_t *h = json_array_get(hits, k);
            bool customer = strcmp(jstr(h, "type"), "customer") == 0;
            /* The car is still found by its VIN (kept), never by its plate. */
            if (customer ? jint(h, "id") == p.id
                         : jint(h, "id") == p.vehicle && strcmp(jstr(h, "matched"), "vin") != 0)
                fail_msg("search for %s still finds the erased customer", queries[i]);
        }
        json_decref(s);
    }
    json_t *o = call("GET", fmt("/api/v1/customers/%lld", (long long)other.id), mgr, NULL, 200);
    assert_string_equal(jstr(o, "name"), other.name);
    json_decref(o);

    /* Nobody records anything about them again. */
    rejected("PATCH", path, tok(U_ADVISOR), fmt("{\"name\":\"%s\"}", p.name), 409,
             "customer_erased", NULL);
    rejected("POST", fmt("%s/drivers", path), tok(U_ADVISOR), "{\"name\":\"新司机\"}", 409,
             "customer_erased", NULL);
    rejected("POST", fmt("%s/contact-confirmations", path), tok(U_CALLER),
             "{\"outcome\":\"confirmed\"}", 409, "customer_erased", NULL);
    rejected("POST", fmt("%s/phone-reveals", path), tok(U_ADVISOR), NULL, 409, "customer_erased",
             NULL);

    /* Idempotent: a second erasure answers the same and writes nothing. */
    int64_t head = audit_head();
    res = call("POST", fmt("%s/erase", path), tok(U_ADMIN), "{\"reason\":\"再次申请\"}", 200);
    assert_true(json_is_true(json_object_get(res, "already_erased")));
    assert_string_equal(jstr(res, "erased_at"), erased_at);
    json_decref(res);
    assert_int_equal(audit_head(), head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_privacy_card_masks_phones_and_each_reveal_is_recorded),
        cmocka_unit_test(test_privacy_export_holds_everything_and_is_recorded),
        cmocka_unit_test(test_privacy_erase_anonymises_and_keeps_the_figures),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
