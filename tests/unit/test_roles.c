/* Unit tests for core/roles: role names (and that the users table allows exactly them), the
 * permission matrix against the intent stated in REQUIREMENTS "Roles", CRM-4 and MR-4, and
 * who sees customers' contact details. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/roles.h"

#include "migration_names.h"

/* ---- helpers ---- */

/* The intended matrix, role by role: R read archive, C customers, V vehicles, M mileage,
 * S service records, U users, A audit, T work call lists, P plans/settings, K campaigns,
 * X reports, W workshop setup (operations, bays, technicians), G parts master, O repair orders
 * (reception, settlement, delivery: RO-1..RO-7), Q the 9-point call check (IN-21), H complaints
 * (CS-6: those who talk to customers). */
static const struct {
    enum role role;
    const char *perms;
} INTENT[] = {
    /* takes booking calls, receives cars, writes repair orders */
    {ROLE_ADVISOR, "RCVMSTBOH"},
    /* confirms contact details (CRM-4), asks for the mileage (MR-4), works the call lists */
    {ROLE_CALLER, "RCMTXBFH"},
    /* appointment board and reports; reads the audit log; sets the reminder rules */
    {ROLE_SERVICE_MANAGER, "RCVMSATPKXWGBDFOQH"},
    /* stock, reservations: reads only */
    {ROLE_PARTS_MANAGER, "RGF"},
    /* reads the odometer when the car is in; keeps the operations catalogue */
    {ROLE_WORKSHOP, "RMWDF"},
    /* warranty and recall repair orders */
    {ROLE_WARRANTY, "RSKF"},
    /* stores, users, settings: no customer data entry */
    {ROLE_ADMIN, "RUAPXQ"},
};

static bool intended(enum role role, enum perm perm)
{
    static const char letters[PERM_COUNT] = {
        [PERM_ARCHIVE_READ] = 'R',  [PERM_CUSTOMER_WRITE] = 'C', [PERM_VEHICLE_WRITE] = 'V',
        [PERM_MILEAGE_WRITE] = 'M', [PERM_SERVICE_WRITE] = 'S',  [PERM_USER_MANAGE] = 'U',
        [PERM_AUDIT_READ] = 'A',    [PERM_TASK_WORK] = 'T',      [PERM_PLAN_MANAGE] = 'P',
        [PERM_CAMPAIGN] = 'K',      [PERM_REPORT_READ] = 'X',    [PERM_WORKSHOP_SETUP] = 'W',
        [PERM_PARTS_MANAGE] = 'G',  [PERM_BOOK] = 'B',           [PERM_DISPATCH] = 'D',
        [PERM_BOARD_CONFIRM] = 'F', [PERM_REPAIR_ORDER] = 'O',   [PERM_CALL_REVIEW] = 'Q',
        [PERM_COMPLAINT] = 'H',
    };
    for (size_t i = 0; i < sizeof INTENT / sizeof INTENT[0]; i++) {
        if (INTENT[i].role == role)
            return strchr(INTENT[i].perms, letters[perm]) != NULL;
    }
    fail_msg("role %d has no intended permissions", (int)role);
    return false;
}

static int roles_with(enum perm perm, enum role *out)
{
    int n = 0;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (role_can((enum role)r, perm))
            out[n++] = (enum role)r;
    }
    return n;
}

/* ---- names ---- */

static void test_roles_names_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *name = role_name((enum role)r);
        assert_non_null(name);
        assert_int_equal(role_parse(name), r);
        assert_ptr_equal(name, ROLE_NAMES[r]);
    }
}

static void test_roles_api_names(void **state)
{
    (void)state;
    assert_int_equal(role_parse("advisor"), ROLE_ADVISOR);
    assert_int_equal(role_parse("caller"), ROLE_CALLER);
    assert_int_equal(role_parse("service_manager"), ROLE_SERVICE_MANAGER);
    assert_int_equal(role_parse("parts_manager"), ROLE_PARTS_MANAGER);
    assert_int_equal(role_parse("workshop"), ROLE_WORKSHOP);
    assert_int_equal(role_parse("warranty"), ROLE_WARRANTY);
    assert_int_equal(role_parse("admin"), ROLE_ADMIN);
}

static void test_roles_users_table_allows_exactly_the_roles(void **state)
{
    (void)state;
    assert_names_match_migration("users", "role", ROLE_NAMES, ROLE_COUNT);
}

static void test_roles_unknown_name_is_minus_one(void **state)
{
    (void)state;
    static const char *const bad[] = {"",       "Advisor",  "ADMIN",   "advisor ",        " admin",
                                      "admin2", "adm",      "unknown", "service-manager", "manager",
                                      "root",   "advisor\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (role_parse(bad[i]) != -1)
            fail_msg("\"%s\" parsed as a role", bad[i]);
    }
}

static void test_roles_name_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(role_name(ROLE_COUNT), "unknown");
    assert_string_equal(role_name((enum role) - 1), "unknown");
    assert_string_equal(role_name((enum role)1000), "unknown");
}

/* ---- the permission matrix ---- */

static void test_roles_matrix_matches_intent(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int p = 0; p < PERM_COUNT; p++) {
            bool want = intended((enum role)r, (enum perm)p);
            if (role_can((enum role)r, (enum perm)p) != want)
                fail_msg("%s %s %s", ROLE_NAMES[r], want ? "should have" : "must not have",
                         perm_name((enum perm)p));
        }
    }
}

/* GET /me lists the permissions by these names: each has one, and no two share it. */
static void test_roles_every_permission_has_its_own_name(void **state)
{
    (void)state;
    for (int p = 0; p < PERM_COUNT; p++) {
        assert_string_not_equal(perm_name((enum perm)p), "unknown");
        for (int q = 0; q < p; q++)
            assert_string_not_equal(perm_name((enum perm)p), perm_name((enum perm)q));
    }
    assert_string_equal(perm_name(PERM_BOOK), "book");
    assert_string_equal(perm_name(PERM_COUNT), "unknown");
}

static void test_roles_every_role_reads_the_archive(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++)
        assert_true(role_can((enum role)r, PERM_ARCHIVE_READ));
}

static void test_roles_only_admin_manages_users(void **state)
{
    (void)state;
    enum role who[ROLE_COUNT];
    assert_int_equal(roles_with(PERM_USER_MANAGE, who), 1);
    assert_int_equal(who[0], ROLE_ADMIN);
}

static void test_roles_audit_read_by_manager_and_admin_only(void **state)
{
    (void)state;
    enum role who[ROLE_COUNT];
    assert_int_equal(roles_with(PERM_AUDIT_READ, who), 2);
    assert_int_equal(who[0], ROLE_SERVICE_MANAGER);
    assert_int_equal(who[1], ROLE_ADMIN);
}

static void test_roles_caller_writes_customers_and_mileage_only(void **state)
{
    (void)state;
    assert_true(role_can(ROLE_CALLER, PERM_CUSTOMER_WRITE));
    assert_true(role_can(ROLE_CALLER, PERM_MILEAGE_WRITE));
    assert_false(role_can(ROLE_CALLER, PERM_VEHICLE_WRITE));
    assert_false(role_can(ROLE_CALLER, PERM_SERVICE_WRITE));
    assert_false(role_can(ROLE_CALLER, PERM_USER_MANAGE));
    assert_false(role_can(ROLE_CALLER, PERM_AUDIT_READ));
}

static void test_roles_admin_cannot_write_customer_data(void **state)
{
    (void)state;
    assert_true(role_can(ROLE_ADMIN, PERM_USER_MANAGE));
    assert_true(role_can(ROLE_ADMIN, PERM_AUDIT_READ));
    assert_false(role_can(ROLE_ADMIN, PERM_CUSTOMER_WRITE));
    assert_false(role_can(ROLE_ADMIN, PERM_VEHICLE_WRITE));
    assert_false(role_can(ROLE_ADMIN, PERM_MILEAGE_WRITE));
    assert_false(role_can(ROLE_ADMIN, PERM_SERVICE_WRITE));
}

/* ... and each of them confirms tomorrow's board for their department (IN-11). */
static void test_roles_parts_manager_keeps_only_the_parts_master(void **state)
{
    (void)state;
    for (int p = 0; p < PERM_COUNT; p++)
        assert_int_equal(role_can(ROLE_PARTS_MANAGER, (enum perm)p), p == PERM_ARCHIVE_READ ||
                                                                         p == PERM_PARTS_MANAGE ||
                                                                         p == PERM_BOARD_CONFIRM);
}

static void test_roles_workshop_writes_mileage_and_the_catalogue(void **state)
{
    (void)state;
    for (int p = 0; p < PERM_COUNT; p++)
        assert_int_equal(role_can(ROLE_WORKSHOP, (enum perm)p),
                         p == PERM_ARCHIVE_READ || p == PERM_MILEAGE_WRITE ||
                             p == PERM_WORKSHOP_SETUP || p == PERM_DISPATCH ||
                             p == PERM_BOARD_CONFIRM);
}

/* Warranty clerks write warranty and recall repair orders, and announce recalls (CS-5). */
static void test_roles_warranty_writes_service_records_only(void **state)
{
    (void)state;
    for (int p = 0; p < PERM_COUNT; p++)
        assert_int_equal(role_can(ROLE_WARRANTY, (enum perm)p),
                         p == PERM_ARCHIVE_READ || p == PERM_SERVICE_WRITE || p == PERM_CAMPAIGN ||
                             p == PERM_BOARD_CONFIRM);
}

/* IN-11: each department confirms the board for itself; the service manager for any. */
static void test_roles_departments_confirm_for_themselves(void **state)
{
    (void)state;
    static const struct {
        enum role role;
        int department; /* -1: none; 4: every one */
    } want[] = {
        {ROLE_ADVISOR, -1}, {ROLE_CALLER, 3},   {ROLE_SERVICE_MANAGER, 4}, {ROLE_PARTS_MANAGER, 1},
        {ROLE_WORKSHOP, 0}, {ROLE_WARRANTY, 2}, {ROLE_ADMIN, -1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        for (int d = 0; d < 4; d++)
            if (role_confirms(want[i].role, d) !=
                (want[i].department == d || want[i].department == 4))
                fail_msg("%s confirming department %d", role_name(want[i].role), d);
    assert_false(role_confirms(ROLE_COUNT, 0));
}

static void test_roles_out_of_range_has_no_permission(void **state)
{
    (void)state;
    for (int p = 0; p < PERM_COUNT; p++) {
        assert_false(role_can(ROLE_COUNT, (enum perm)p));
        assert_false(role_can((enum role) - 1, (enum perm)p));
        assert_false(role_can((enum role)64, (enum perm)p));
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_false(role_can((enum role)r, PERM_COUNT));
        assert_false(role_can((enum role)r, (enum perm) - 1));
        assert_false(role_can((enum role)r, (enum perm)31));
        assert_false(role_can((enum role)r, (enum perm)32));
    }
}

/* ---- contact details ---- */

static void test_roles_contact_details_for_advisor_caller_manager(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        bool want = r == ROLE_ADVISOR || r == ROLE_CALLER || r == ROLE_SERVICE_MANAGER;
        if (role_sees_contact_details((enum role)r) != want)
            fail_msg("%s %s contact details", ROLE_NAMES[r], want ? "should see" : "must not see");
    }
    assert_false(role_sees_contact_details(ROLE_COUNT));
    assert_false(role_sees_contact_details((enum role) - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_names_round_trip),
        cmocka_unit_test(test_roles_api_names),
        cmocka_unit_test(test_roles_users_table_allows_exactly_the_roles),
        cmocka_unit_test(test_roles_unknown_name_is_minus_one),
        cmocka_unit_test(test_roles_name_out_of_range),
        cmocka_unit_test(test_roles_matrix_matches_intent),
        cmocka_unit_test(test_roles_every_permission_has_its_own_name),
        cmocka_unit_test(test_roles_every_role_reads_the_archive),
        cmocka_unit_test(test_roles_only_admin_manages_users),
        cmocka_unit_test(test_roles_audit_read_by_manager_and_admin_only),
        cmocka_unit_test(test_roles_caller_writes_customers_and_mileage_only),
        cmocka_unit_test(test_roles_admin_cannot_write_customer_data),
        cmocka_unit_test(test_roles_parts_manager_keeps_only_the_parts_master),
        cmocka_unit_test(test_roles_workshop_writes_mileage_and_the_catalogue),
        cmocka_unit_test(test_roles_warranty_writes_service_records_only),
        cmocka_unit_test(test_roles_departments_confirm_for_themselves),
        cmocka_unit_test(test_roles_out_of_range_has_no_permission),
        cmocka_unit_test(test_roles_contact_details_for_advisor_caller_manager),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
