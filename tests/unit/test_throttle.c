/* Unit tests for core/throttle (issue 11, defect 3): the wait after n failed sign-ins (none
 * below the free count, doubling from the first wait, capped), failures forgotten after a
 * quiet period, and which lock an attempt is judged by (a trusted device is not held by the
 * account's lock; the address's lock holds everyone). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/throttle.h"

static const struct throttle_rule RULE = {5, 60, 3600, 86400};

static void test_throttle_wait_none_below_the_free_count(void **state)
{
    (void)state;
    assert_int_equal(throttle_wait(&RULE, 0), 0);
    assert_int_equal(throttle_wait(&RULE, 4), 0);
    /* The fifth failure in a row is the first that makes the client wait. */
    assert_int_equal(throttle_wait(&RULE, 5), 60);
}

static void test_throttle_wait_doubles_then_stops_at_the_cap(void **state)
{
    (void)state;
    assert_int_equal(throttle_wait(&RULE, 6), 120);
    assert_int_equal(throttle_wait(&RULE, 7), 240);
    assert_int_equal(throttle_wait(&RULE, 10), 1920);
    /* 3840 would pass the cap. */
    assert_int_equal(throttle_wait(&RULE, 11), 3600);
    assert_int_equal(throttle_wait(&RULE, 12), 3600);
    /* However many failures: no overflow, still the cap. */
    assert_int_equal(throttle_wait(&RULE, INT64_MAX), 3600);
}

static void test_throttle_wait_first_equal_to_cap(void **state)
{
    (void)state;
    struct throttle_rule flat = {1, 300, 300, 301};
    assert_int_equal(throttle_wait(&flat, 0), 0);
    assert_int_equal(throttle_wait(&flat, 1), 300);
    assert_int_equal(throttle_wait(&flat, 9), 300);
}

static void test_throttle_failures_forgotten_after_the_quiet_period(void **state)
{
    (void)state;
    int64_t last = 1000000;
    /* One second before the period ends they still count; at its end they are gone. */
    assert_int_equal(throttle_failures(&RULE, 7, last, last + 86399), 7);
    assert_int_equal(throttle_failures(&RULE, 7, last, last + 86400), 0);
    assert_int_equal(throttle_forget_before(&RULE, last + 86400), last);
}

static void test_throttle_rule_ok_needs_forget_past_the_cap(void **state)
{
    (void)state;
    assert_true(throttle_rule_ok(&RULE));
    struct login_limits d;
    throttle_defaults(&d);
    assert_true(throttle_rule_ok(&d.account));
    assert_true(throttle_rule_ok(&d.address));
    /* The address allows more than an account: an office shares one. */
    assert_true(d.address.free > d.account.free);
    /* Forgetting before the longest wait ends would hand out free attempts again. */
    assert_false(throttle_rule_ok(&(struct throttle_rule){5, 60, 3600, 3600}));
    assert_false(throttle_rule_ok(&(struct throttle_rule){5, 60, 30, 86400}));
    assert_false(throttle_rule_ok(&(struct throttle_rule){0, 60, 3600, 86400}));
    assert_false(throttle_rule_ok(&(struct throttle_rule){5, 0, 3600, 86400}));
}

static void test_throttle_login_wait_untrusted_client_held_by_account(void **state)
{
    (void)state;
    int64_t now = 5000;
    struct login_locks l = {.account_until = now + 90, .device_until = 0, .address_until = 0};
    assert_int_equal(throttle_login_wait(&l, now), 90);
    /* Ends at its second: half-open. */
    assert_int_equal(throttle_login_wait(&l, now + 90), 0);
}

static void test_throttle_login_wait_trusted_device_not_held_by_account(void **state)
{
    (void)state;
    int64_t now = 5000;
    /* A stranger's flood locked the account; the owner's browser still gets in ... */
    struct login_locks l = {true, now + 3600, 0, 0};
    assert_int_equal(throttle_login_wait(&l, now), 0);
    /* ... unless that device's own failures locked it. */
    l.device_until = now + 60;
    assert_int_equal(throttle_login_wait(&l, now), 60);
}

static void test_throttle_login_wait_address_holds_everyone(void **state)
{
    (void)state;
    int64_t now = 5000;
    struct login_locks l = {true, 0, now + 10, now + 600};
    assert_int_equal(throttle_login_wait(&l, now), 600);
    l.trusted_device = false;
    assert_int_equal(throttle_login_wait(&l, now), 600);
    l.account_until = now + 900;
    assert_int_equal(throttle_login_wait(&l, now), 900);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_throttle_wait_none_below_the_free_count),
        cmocka_unit_test(test_throttle_wait_doubles_then_stops_at_the_cap),
        cmocka_unit_test(test_throttle_wait_first_equal_to_cap),
        cmocka_unit_test(test_throttle_failures_forgotten_after_the_quiet_period),
        cmocka_unit_test(test_throttle_rule_ok_needs_forget_past_the_cap),
        cmocka_unit_test(test_throttle_login_wait_untrusted_client_held_by_account),
        cmocka_unit_test(test_throttle_login_wait_trusted_device_not_held_by_account),
        cmocka_unit_test(test_throttle_login_wait_address_holds_everyone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
