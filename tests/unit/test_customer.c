/* Unit tests for core/customer: the value sets of the customer archive (CRM-1, CRM-2, CRM-4,
 * CRM-6) are the names the API speaks, each distinct, and the same sets the database's CHECK
 * constraints (and consent columns) allow; a customer's phone list (CRM-1, CRM-4): the label
 * of a number given without one, each number once, and a new primary number merged with the
 * numbers on file. */
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

/* ---- the phone list (CRM-1, CRM-4) ---- */

static struct customer_phone entry(const char *number, enum phone_label label)
{
    struct customer_phone e = {.label = label};
    snprintf(e.number, sizeof e.number, "%s", number);
    return e;
}

/* The list is these numbers with these labels, in this order. */
#define assert_list(list, n, ...)                                                                  \
    assert_list_at((list), (n), (const struct customer_phone[]){__VA_ARGS__},                      \
                   sizeof((const struct customer_phone[]){__VA_ARGS__}) /                          \
                       sizeof(struct customer_phone),                                              \
                   __LINE__)

static void assert_list_at(const struct customer_phone *list, int n,
                           const struct customer_phone *want, size_t n_want, int line)
{
    if (n != (int)n_want)
        fail_msg("line %d: %d numbers, want %zu", line, n, n_want);
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].number, want[i].number) != 0 || list[i].label != want[i].label)
            fail_msg("line %d: [%d] %s (%s), want %s (%s)", line, i, list[i].number,
                     PHONE_LABEL_NAMES[list[i].label], want[i].number,
                     PHONE_LABEL_NAMES[want[i].label]);
}

static void test_customer_phone_label_without_one(void **state)
{
    (void)state;
    assert_int_equal(customer_phone_label_of(PHONE_MOBILE), PHONE_LABEL_MOBILE);
    assert_int_equal(customer_phone_label_of(PHONE_LANDLINE), PHONE_LABEL_OTHER);
    assert_int_equal(customer_phone_label_of(PHONE_SERVICE), PHONE_LABEL_OTHER);
}

static void test_customer_phones_each_number_once(void **state)
{
    (void)state;
    struct customer_phone l[CUSTOMER_MAX_PHONES] = {
        entry("13812345678", PHONE_LABEL_MOBILE), entry("075512345678", PHONE_LABEL_WORK),
        entry("13812345678", PHONE_LABEL_HOME), entry("075512345678", PHONE_LABEL_OTHER)};
    assert_int_equal(customer_phones_repeated(l, 0), -1);
    assert_int_equal(customer_phones_repeated(l, 1), -1);
    assert_int_equal(customer_phones_repeated(l, 2), -1);
    /* The first entry that repeats an earlier one, whatever the labels. */
    assert_int_equal(customer_phones_repeated(l, 3), 2);
    assert_int_equal(customer_phones_repeated(l, 4), 2);
    assert_int_equal(customer_phones_repeated(&l[1], 3), 2);
    /* The second entry already. */
    struct customer_phone twice[2] = {entry("13812345678", PHONE_LABEL_MOBILE),
                                      entry("13812345678", PHONE_LABEL_MOBILE)};
    assert_int_equal(customer_phones_repeated(twice, 2), 1);
}

/* A first number for a customer without any. */
static void test_customer_phones_first_number(void **state)
{
    (void)state;
    struct customer_phone l[CUSTOMER_MAX_PHONES];
    memset(l, 0, sizeof l);
    struct customer_phone first = entry("13812345678", PHONE_LABEL_MOBILE);
    int n = customer_phones_put_first(l, 0, &first);
    assert_list(l, n, entry("13812345678", PHONE_LABEL_MOBILE));
}

/* The new primary number replaces the first; the others stay, in order. */
static void test_customer_phones_replace_the_primary(void **state)
{
    (void)state;
    struct customer_phone l[CUSTOMER_MAX_PHONES] = {entry("13812345678", PHONE_LABEL_MOBILE),
                                                    entry("075512345678", PHONE_LABEL_WORK),
                                                    entry("02012345678", PHONE_LABEL_HOME)};
    struct customer_phone first = entry("13900001111", PHONE_LABEL_MOBILE);
    int n = customer_phones_put_first(l, 3, &first);
    assert_list(l, n, entry("13900001111", PHONE_LABEL_MOBILE),
                entry("075512345678", PHONE_LABEL_WORK), entry("02012345678", PHONE_LABEL_HOME));
    /* The same number again, labelled anew: one entry still. */
    first = entry("13900001111", PHONE_LABEL_OTHER);
    n = customer_phones_put_first(l, n, &first);
    assert_list(l, n, entry("13900001111", PHONE_LABEL_OTHER),
                entry("075512345678", PHONE_LABEL_WORK), entry("02012345678", PHONE_LABEL_HOME));
}

/* A number further down the list becomes the primary: it is not listed twice; the old
 * primary goes, the rest keep their order. */
static void test_customer_phones_promote_a_listed_number(void **state)
{
    (void)state;
    struct customer_phone l[CUSTOMER_MAX_PHONES] = {
        entry("13812345678", PHONE_LABEL_MOBILE), entry("075512345678", PHONE_LABEL_WORK),
        entry("02012345678", PHONE_LABEL_HOME), entry("13900001111", PHONE_LABEL_MOBILE)};
    struct customer_phone first = entry("02012345678", PHONE_LABEL_OTHER);
    int n = customer_phones_put_first(l, CUSTOMER_MAX_PHONES, &first);
    assert_list(l, n, entry("02012345678", PHONE_LABEL_OTHER),
                entry("075512345678", PHONE_LABEL_WORK), entry("13900001111", PHONE_LABEL_MOBILE));
    assert_int_equal(customer_phones_repeated(l, n), -1);
    /* The last of the list. */
    first = entry("13900001111", PHONE_LABEL_MOBILE);
    n = customer_phones_put_first(l, n, &first);
    assert_list(l, n, entry("13900001111", PHONE_LABEL_MOBILE),
                entry("075512345678", PHONE_LABEL_WORK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_customer_type_names),
        cmocka_unit_test(test_customer_class_names),
        cmocka_unit_test(test_customer_need_names),
        cmocka_unit_test(test_customer_phone_label_names),
        cmocka_unit_test(test_customer_consent_channel_names),
        cmocka_unit_test(test_customer_phone_label_without_one),
        cmocka_unit_test(test_customer_phones_each_number_once),
        cmocka_unit_test(test_customer_phones_first_number),
        cmocka_unit_test(test_customer_phones_replace_the_primary),
        cmocka_unit_test(test_customer_phones_promote_a_listed_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
