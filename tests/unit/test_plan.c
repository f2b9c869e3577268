/* Unit tests for core/plan (MR-1): which of the store's maintenance plans a car follows: the
 * exact model before the whole brand before the store default, names matched regardless of
 * ASCII case, none when nothing applies (the built-in default then). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/plan.h"

/* ---- helpers ---- */

static struct plan_key key(int64_t id, const char *brand, const char *model)
{
    struct plan_key k = {
        .id = id,
        .iv = {.interval_km = 10000, .first_km = 5000, .interval_months = 12, .first_months = 6}};
    snprintf(k.brand, sizeof k.brand, "%s", brand);
    snprintf(k.model, sizeof k.model, "%s", model);
    return k;
}

/* The id of the plan picked, 0 for none. */
static int64_t picked(const struct plan_key *keys, size_t n, const char *brand, const char *model)
{
    const struct plan_key *p = plan_pick(keys, n, brand, model);
    if (p && (p < keys || p >= keys + n))
        fail_msg("plan_pick answered a key outside the list");
    return p ? p->id : 0;
}

/* ---- tests ---- */

static void test_plan_pick_none_without_plans(void **state)
{
    (void)state;
    assert_int_equal(picked(NULL, 0, "大众", "朗逸"), 0);
    /* Plans of other brands only: none applies. */
    struct plan_key keys[] = {key(1, "丰田", "卡罗拉"), key(2, "丰田", "")};
    assert_int_equal(picked(keys, 2, "大众", "朗逸"), 0);
}

static void test_plan_pick_exact_model_before_brand_before_default(void **state)
{
    (void)state;
    /* In every order: the most specific wins, not the first or the last. */
    struct plan_key a[] = {key(1, "", ""), key(2, "大众", ""), key(3, "大众", "朗逸")};
    struct plan_key b[] = {key(3, "大众", "朗逸"), key(2, "大众", ""), key(1, "", "")};
    struct plan_key c[] = {key(2, "大众", ""), key(3, "大众", "朗逸"), key(1, "", "")};
    assert_int_equal(picked(a, 3, "大众", "朗逸"), 3);
    assert_int_equal(picked(b, 3, "大众", "朗逸"), 3);
    assert_int_equal(picked(c, 3, "大众", "朗逸"), 3);
    /* Another model of the brand: the brand's plan. */
    assert_int_equal(picked(a, 3, "大众", "帕萨特"), 2);
    assert_int_equal(picked(b, 3, "大众", "帕萨特"), 2);
    /* Another brand: the store default. */
    assert_int_equal(picked(a, 3, "丰田", "卡罗拉"), 1);
    assert_int_equal(picked(c, 3, "丰田", "卡罗拉"), 1);
}

/* A model plan is for its brand: the same model name under another brand is not it. */
static void test_plan_pick_model_belongs_to_its_brand(void **state)
{
    (void)state;
    struct plan_key keys[] = {key(1, "", ""), key(3, "Skoda", "Octavia")};
    assert_int_equal(picked(keys, 2, "Volkswagen", "Octavia"), 1);
    /* No default and no brand plan: a model plan of the brand alone covers only its model. */
    assert_int_equal(picked(&keys[1], 1, "Skoda", "Kodiaq"), 0);
}

static void test_plan_pick_ignores_ascii_case(void **state)
{
    (void)state;
    struct plan_key keys[] = {key(2, "Volkswagen", ""), key(3, "Volkswagen", "Lavida")};
    assert_int_equal(picked(keys, 2, "VOLKSWAGEN", "lavida"), 3);
    assert_int_equal(picked(keys, 2, "volkswagen", "Passat"), 2);
    /* Case only: "Lavida Plus" is another model. */
    assert_int_equal(picked(keys, 2, "Volkswagen", "Lavida Plus"), 2);
}

/* A car without a brand on file follows the store default, never a brand's plan. */
static void test_plan_pick_car_without_brand(void **state)
{
    (void)state;
    struct plan_key keys[] = {key(2, "大众", ""), key(1, "", "")};
    assert_int_equal(picked(keys, 2, "", ""), 1);
    assert_int_equal(picked(keys, 1, "", ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_pick_none_without_plans),
        cmocka_unit_test(test_plan_pick_exact_model_before_brand_before_default),
        cmocka_unit_test(test_plan_pick_model_belongs_to_its_brand),
        cmocka_unit_test(test_plan_pick_ignores_ascii_case),
        cmocka_unit_test(test_plan_pick_car_without_brand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
