/* The audit log shows a customer's personal data no more than the customer's card does
 * (issue 11, defect 5: an admin read full names, phones, e-mails and addresses in change sets
 * that every other view masks for that role). Phone numbers are masked for every reader (the
 * full ones come only through a recorded reveal); the administrator, who does not work with
 * contact details, sees names, e-mails and addresses masked; the service manager sees them as
 * the card shows them. */
#include "harness.h"

#include <string.h>

/* The newest audit entry of entity id as token reads it (caller json_decref()s). */
static json_t *newest(const char *token, const char *entity, int64_t id, const char *action)
{
    json_t *j = call("GET", fmt("/api/v1/audit?entity=%s&entity_id=%lld", entity, (long long)id),
                     token, NULL, 200);
    size_t i;
    json_t *e, *found = NULL;
    json_array_foreach(json_object_get(j, "items"), i, e)
    {
        if (!found && strcmp(jstr(e, "action"), action) == 0)
            found = json_incref(e);
    }
    json_decref(j);
    assert_non_null(found);
    return found;
}

/* change[k] of field in an entry ("" for null). */
static const char *change(const json_t *e, const char *field, size_t k)
{
    json_t *pair = json_object_get(json_object_get(e, "changes"), field);
    assert_non_null(pair);
    const char *s = json_string_value(json_array_get(pair, k));
    return s ? s : "";
}

static void test_audit_masks_personal_data_as_the_card_does(void **state)
{
    (void)state;
    const char *adv = tok(U_ADVISOR), *mgr = tok(U_MANAGER), *admin = tok(U_ADMIN);
    char phone[16], phone2[16], driver_phone[16];
    make_mobile(phone, uniq());
    make_mobile(phone2, uniq());
    make_mobile(driver_phone, uniq());
    json_t *c =
        call("POST", "/api/v1/customers", adv,
             fmt("{\"name\":\"欧阳明\",\"title\":\"先生\",\"phone\":\"%s\","
                 "\"email\":\"ouyang.ming@example.com\",\"address\":\"深圳市宝安区新安街道1号\","
                 "\"consent\":{\"sms\":true}}",
                 phone),
             201);
    int64_t id = jint(c, "id");
    json_decref(c);
    json_decref(
        call("PATCH", fmt("/api/v1/customers/%lld", (long long)id), adv,
             fmt("{\"name\":\"欧阳明明\",\"phones\":[{\"number\":\"%s\"},{\"number\":\"%s\"}],"
                 "\"email\":\"ming@example.com\",\"address\":\"深圳市南山区1号\","
                 "\"contact_consent\":true}",
                 phone, phone2),
             200));
    json_t *d = call(
        "POST", fmt("/api/v1/customers/%lld/drivers", (long long)id), adv,
        fmt("{\"name\":\"李司机\",\"phone\":\"%s\",\"relation\":\"司机\"}", driver_phone), 201);
    int64_t driver = jint(d, "id");
    json_decref(d);

    char masked[16], masked2[16], masked_driver[16];
    snprintf(masked, sizeof masked, "%.3s****%s", phone, phone + 7);
    snprintf(masked2, sizeof masked2, "%.3s****%s", phone2, phone2 + 7);
    snprintf(masked_driver, sizeof masked_driver, "%.3s****%s", driver_phone, driver_phone + 7);

    /* The administrator: nothing in full. */
    json_t *e = newest(admin, "customer", id, "update");
    assert_string_equal(change(e, "name", 0), "欧**");
    assert_string_equal(change(e, "name", 1), "欧***");
    assert_string_equal(change(e, "phones", 0), fmt("%s (mobile)", masked));
    assert_string_equal(change(e, "phones", 1), fmt("%s (mobile), %s (mobile)", masked, masked2));
    assert_null(strstr(change(e, "email", 1), "ming@"));
    assert_non_null(strstr(change(e, "email", 1), "@example.com"));
    assert_string_equal(change(e, "address", 0), "***");
    assert_string_equal(change(e, "address", 1), "***");
    json_decref(e);
    e = newest(admin, "customer", id, "create");
    assert_string_equal(change(e, "name", 1), "欧**");
    assert_string_equal(change(e, "phones", 1), fmt("%s (mobile)", masked));
    assert_string_equal(change(e, "address", 1), "***");
    json_decref(e);
    e = newest(admin, "driver", driver, "create");
    assert_string_equal(change(e, "name", 1), "李**");
    assert_string_equal(change(e, "phone", 1), masked_driver);
    json_decref(e);
    /* Not anywhere in the page either. */
    struct resp r = http("GET", "/api/v1/audit?limit=200", admin, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, phone));
    assert_null(strstr(r.body, phone2));
    assert_null(strstr(r.body, driver_phone));
    assert_null(strstr(r.body, "ouyang.ming@"));
    assert_null(strstr(r.body, "宝安区新安街道"));
    resp_free(&r);
    /* What the card shows the administrator: the same masks. */
    c = call("GET", fmt("/api/v1/customers/%lld", (long long)id), admin, NULL, 200);
    assert_string_equal(jstr(c, "name"), "欧***");
    assert_string_equal(jstr(c, "phone"), masked);
    json_decref(c);

    /* The service manager: names, e-mail and address as on the card; phones masked. */
    e = newest(mgr, "customer", id, "update");
    assert_string_equal(change(e, "name", 0), "欧阳明");
    assert_string_equal(change(e, "name", 1), "欧阳明明");
    assert_string_equal(change(e, "email", 1), "ming@example.com");
    assert_string_equal(change(e, "address", 1), "深圳市南山区1号");
    assert_string_equal(change(e, "phones", 1), fmt("%s (mobile), %s (mobile)", masked, masked2));
    json_decref(e);
    e = newest(mgr, "driver", driver, "create");
    assert_string_equal(change(e, "name", 1), "李司机");
    assert_string_equal(change(e, "phone", 1), masked_driver);
    json_decref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_masks_personal_data_as_the_card_does),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
