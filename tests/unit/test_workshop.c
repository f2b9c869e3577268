/* Unit tests for core/workshop (IN-6, IN-7): the bay kinds, skills and operation kinds match
 * the CHECK lists of labour_operations, the labour of an operation (hours × rate, rounded half up
 * to the fen, bounded by MONEY_MAX_FEN) and the operation code check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/money.h"
#include "core/workshop.h"

#include "migration_names.h"

/* ---- helpers ---- */

/* operation_labour_fen must succeed with want. */
static void labour_is(int64_t hours_x100, int64_t rate_fen, int64_t want)
{
    struct dms_error err = {0};
    int64_t got = -1;
    if (operation_labour_fen(hours_x100, rate_fen, &got, &err) != 0)
        fail_msg("%lld/100 h x %lld fen/h refused: %s", (long long)hours_x100, (long long)rate_fen,
                 err.message);
    if (got != want)
        fail_msg("%lld/100 h x %lld fen/h = %lld fen, want %lld", (long long)hours_x100,
                 (long long)rate_fen, (long long)got, (long long)want);
}

/* operation_labour_fen must fail with invalid_field and leave *out alone. */
static void labour_refused(int64_t hours_x100, int64_t rate_fen)
{
    struct dms_error err = {0};
    int64_t got = 12345;
    if (operation_labour_fen(hours_x100, rate_fen, &got, &err) >= 0)
        fail_msg("%lld/100 h x %lld fen/h accepted as %lld fen", (long long)hours_x100,
                 (long long)rate_fen, (long long)got);
    assert_string_equal(err.code, "invalid_field");
    assert_int_equal(got, 12345);
}

static void code_ok(const char *code)
{
    struct dms_error err = {0};
    if (operation_check_code(code, &err) != 0)
        fail_msg("code \"%s\" refused: %s", code, err.message);
}

static void code_refused(const char *code)
{
    struct dms_error err = {0};
    if (operation_check_code(code, &err) >= 0)
        fail_msg("code \"%s\" accepted", code);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "code");
}

/* ---- value sets ---- */

static void test_workshop_bay_kinds_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("labour_operations", "bay_kind", BAY_KIND_NAMES, BAY_KIND_COUNT);
}

static void test_workshop_skills_match_the_migration(void **state)
{
    (void)state;
    assert_names_match_migration("labour_operations", "skill", SKILL_NAMES, SKILL_COUNT);
}

/* The operation kinds against the CHECK of the column migration 009 adds to
 * labour_operations (assert_names_match_migration reads CREATE TABLE statements only). */
static void test_workshop_op_kinds_match_the_migration(void **state)
{
    (void)state;
    char *text = migration_text();
    const char *add = strstr(text, "ALTER TABLE labour_operations ADD COLUMN kind ");
    if (!add)
        fail_msg("no ALTER TABLE labour_operations ADD COLUMN kind in the migrations");
    const char *end = strchr(add, ';');
    assert_non_null(end);
    const char *check = strstr(add, "CHECK (kind IN (");
    if (!check || check > end)
        fail_msg("labour_operations.kind has no CHECK (kind IN (...))");
    int found = 0;
    for (const char *p = check + strlen("CHECK (kind IN ("); *p && *p != ')'; p++) {
        if (*p != '\'')
            continue;
        const char *q = strchr(p + 1, '\'');
        assert_non_null(q);
        size_t len = (size_t)(q - p - 1);
        bool known = false;
        for (int i = 0; i < OP_KIND_COUNT; i++)
            known = known ||
                    (strlen(OP_KIND_NAMES[i]) == len && !strncmp(OP_KIND_NAMES[i], p + 1, len));
        if (!known)
            fail_msg("labour_operations.kind allows '%.*s', which OP_KIND_NAMES lacks", (int)len,
                     p + 1);
        found++;
        p = q;
    }
    free(text);
    /* Every SQL value is a C name; as many of each, and the C names distinct: the same set. */
    assert_int_equal(found, OP_KIND_COUNT);
    assert_string_not_equal(OP_KIND_NAMES[OP_MAINTENANCE], OP_KIND_NAMES[OP_REPAIR]);
    assert_string_equal(OP_KIND_NAMES[OP_MAINTENANCE], "maintenance");
    assert_string_equal(OP_KIND_NAMES[OP_REPAIR], "repair");
}

static void test_workshop_names_are_set_and_lower_case(void **state)
{
    (void)state;
    for (int i = 0; i < BAY_KIND_COUNT; i++) {
        assert_non_null(BAY_KIND_NAMES[i]);
        assert_true(strspn(BAY_KIND_NAMES[i], "abcdefghijklmnopqrstuvwxyz_") ==
                    strlen(BAY_KIND_NAMES[i]));
    }
    for (int i = 0; i < SKILL_COUNT; i++) {
        assert_non_null(SKILL_NAMES[i]);
        assert_true(strspn(SKILL_NAMES[i], "abcdefghijklmnopqrstuvwxyz_") ==
                    strlen(SKILL_NAMES[i]));
    }
    assert_string_equal(BAY_KIND_NAMES[BAY_QUICK_SERVICE], "quick_service");
    assert_string_equal(SKILL_NAMES[SKILL_DIAGNOSTICS], "diagnostics");
}

/* ---- labour (IN-7) ---- */

static void test_workshop_labour_rounding(void **state)
{
    (void)state;
    labour_is(60, 18000, 10800); /* 0.6 h at 180 yuan/h */
    labour_is(33, 100, 33);      /* 0.33 h at 1 yuan/h */
    labour_is(100, 18000, 18000);
    labour_is(150, 1, 2); /* 1.5 fen: half up */
    labour_is(149, 1, 1);
    labour_is(1, 50, 1); /* 0.5 fen rounds up */
    labour_is(1, 49, 0); /* 0.49 fen rounds down */
    labour_is(1, 51, 1);
    labour_is(1, 149, 1);
    labour_is(1, 150, 2);
    labour_is(0, 18000, 0);
    labour_is(60, 0, 0);
    labour_is(OPERATION_MAX_HOURS, 18000, 1800000); /* 100 h */
}

/* The header promises a refusal only when the labour would exceed MONEY_MAX_FEN: the
 * boundary is on the labour in fen, not on hours_x100 × rate (a hundred times larger). */
static void test_workshop_labour_up_to_money_max_is_allowed(void **state)
{
    (void)state;
    labour_is(1, MONEY_MAX_FEN, MONEY_MAX_FEN / 100);
    labour_is(100, MONEY_MAX_FEN, MONEY_MAX_FEN); /* 1 h at the largest rate */
    labour_is(OPERATION_MAX_HOURS, MONEY_MAX_FEN / 100, MONEY_MAX_FEN);
}

static void test_workshop_labour_overflow_and_negative_refused(void **state)
{
    (void)state;
    labour_refused(100, MONEY_MAX_FEN + 1);
    labour_refused(OPERATION_MAX_HOURS, MONEY_MAX_FEN / 100 + 1);
    labour_refused(OPERATION_MAX_HOURS, MONEY_MAX_FEN);
    labour_refused(INT64_MAX, INT64_MAX);
    labour_refused(INT64_MAX, 2);
    /* Negative operands are refused. */
    labour_refused(-1, 100);
    labour_refused(100, -1);
    labour_refused(-100, -100);
    labour_refused(INT64_MIN, 1);
}

/* ---- codes ---- */

static void test_workshop_code_accepted(void **state)
{
    (void)state;
    code_ok("M01");
    code_ok("A-1_B.2");
    code_ok("X");
    code_ok("0");
    code_ok("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.789"); /* 32 characters, every class */
    assert_int_equal(strlen("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.789"), OPERATION_CODE_MAX);
}

static void test_workshop_code_refused(void **state)
{
    (void)state;
    code_refused("");
    code_refused("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.7890"); /* 33 characters */
    code_refused("m01");                               /* upper-casing is the caller's job */
    code_refused("M01a");
    code_refused("M 01");
    code_refused(" M01");
    code_refused("M01\n");
    code_refused("M01\t");
    code_refused("M01中");
    code_refused("中");
    code_refused("M/01");
    code_refused("M+01");
    code_refused("M01'");
    code_refused("M01\"");
    code_refused("M01%");
    code_refused("\xc3\x89"); /* É */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workshop_bay_kinds_match_the_migration),
        cmocka_unit_test(test_workshop_skills_match_the_migration),
        cmocka_unit_test(test_workshop_op_kinds_match_the_migration),
        cmocka_unit_test(test_workshop_names_are_set_and_lower_case),
        cmocka_unit_test(test_workshop_labour_rounding),
        cmocka_unit_test(test_workshop_labour_up_to_money_max_is_allowed),
        cmocka_unit_test(test_workshop_labour_overflow_and_negative_refused),
        cmocka_unit_test(test_workshop_code_accepted),
        cmocka_unit_test(test_workshop_code_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
