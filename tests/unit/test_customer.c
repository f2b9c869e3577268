/* Unit tests for core/customer: the value sets of the customer archive (CRM-1, CRM-2, CRM-4,
 * CRM-6) are the names the API speaks, each distinct, and the same sets the database's CHECK
 * constraints (and consent columns) allow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/customer.h"
#include "core/text.h"

#include "migration_names.h"

/* ---- helpers ---- */

/* Every name is non-empty lower-case snake_case, distinct, and found at its own index. */
static void assert_name_table(const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        const char *n = names[i];
        assert_non_null(n);
        assert_true(n[0] >= 'a' && n[0] <= 'z');
        for (const char *p = n; *p; p++) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
                fail_msg("\"%s\" is not snake_case", n);
        }
        assert_int_equal(enum_index(names, count, n), i);
    }
    assert_int_equal(enum_index(names, count, "unknown"), -1);
}

static void assert_names(const char *const *names, int count, const char *const *want,
                         int want_count)
{
    assert_int_equal(count, want_count);
    for (int i = 0; i < count; i++)
        assert_string_equal(names[i], want[i]);
}

/* ---- value sets ---- */

static void test_customer_type_names(void **state)
{
    (void)state;
    static const char *const want[] = {"individual", "company"};
    assert_names(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, want, 2);
    assert_int_equal(enum_index(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT, "company"),
                     CUSTOMER_COMPANY);
    assert_name_table(CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT);
    assert_names_match_migration("customers", "type", CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT);
}

static void test_customer_class_names(void **state)
{
    (void)state;
    /* CRM-2: VIP / regular / at risk / lost. */
    static const char *const want[] = {"regular", "vip", "at_risk", "lost"};
    assert_names(CUSTOMER_CLASS_NAMES, CLASS_COUNT, want, 4);
    assert_int_equal(enum_index(CUSTOMER_CLASS_NAMES, CLASS_COUNT, "at_risk"), CLASS_AT_RISK);
    assert_int_equal(enum_index(CUSTOMER_CLASS_NAMES, CLASS_COUNT, "lost"), CLASS_LOST);
    assert_name_table(CUSTOMER_CLASS_NAMES, CLASS_COUNT);
    assert_names_match_migration("customers", "classification", CUSTOMER_CLASS_NAMES, CLASS_COUNT);
}

static void test_customer_need_names(void **state)
{
    (void)state;
    /* CRM-6: pickup/delivery, accessories, insurance renewal, claims, car wash. */
    static const char *const want[] = {"pickup", "delivery", "accessories", "insurance_renewal",
                                       "claim",  "wash"};
    assert_names(CUSTOMER_NEED_NAMES, NEED_COUNT, want, 6);
    assert_int_equal(enum_index(CUSTOMER_NEED_NAMES, NEED_COUNT, "wash"), NEED_WASH);
    assert_name_table(CUSTOMER_NEED_NAMES, NEED_COUNT);
}

static void test_customer_phone_label_names(void **state)
{
    (void)state;
    static const char *const want[] = {"mobile", "home", "work", "other"};
    assert_names(PHONE_LABEL_NAMES, PHONE_LABEL_COUNT, want, 4);
    assert_name_table(PHONE_LABEL_NAMES, PHONE_LABEL_COUNT);
    assert_names_match_migration("customer_phones", "label", PHONE_LABEL_NAMES, PHONE_LABEL_COUNT);
}

static void test_customer_consent_channel_names(void **state)
{
    (void)state;
    /* CRM-4: consent per channel; the customers table has one consent_<name> column each. */
    static const char *const want[] = {"sms", "email", "phone", "marketing"};
    assert_names(CONSENT_CHANNEL_NAMES, CONSENT_COUNT, want, 4);
    assert_name_table(CONSENT_CHANNEL_NAMES, CONSENT_COUNT);
    for (int i = 0; i < CONSENT_COUNT; i++) {
        char column[64];
        snprintf(column, sizeof column, "consent_%s INTEGER", CONSENT_CHANNEL_NAMES[i]);
        assert_table_has("customers", column);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_customer_type_names),
        cmocka_unit_test(test_customer_class_names),
        cmocka_unit_test(test_customer_need_names),
        cmocka_unit_test(test_customer_phone_label_names),
        cmocka_unit_test(test_customer_consent_channel_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
