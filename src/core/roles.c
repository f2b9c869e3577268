/* The role/permission matrix. */
#include "core/roles.h"

#include <string.h>

const char *const ROLE_NAMES[ROLE_COUNT] = {
    [ROLE_ADVISOR] = "advisor",
    [ROLE_CALLER] = "caller",
    [ROLE_SERVICE_MANAGER] = "service_manager",
    [ROLE_PARTS_MANAGER] = "parts_manager",
    [ROLE_WORKSHOP] = "workshop",
    [ROLE_WARRANTY] = "warranty",
    [ROLE_ADMIN] = "admin",
};

#define R  (1u << PERM_ARCHIVE_READ)
#define CW (1u << PERM_CUSTOMER_WRITE)
#define VW (1u << PERM_VEHICLE_WRITE)
#define MW (1u << PERM_MILEAGE_WRITE)
#define SW (1u << PERM_SERVICE_WRITE)
#define UM (1u << PERM_USER_MANAGE)
#define AR (1u << PERM_AUDIT_READ)
#define TW (1u << PERM_TASK_WORK)
#define PM (1u << PERM_PLAN_MANAGE)
#define CP (1u << PERM_CAMPAIGN)
#define RP (1u << PERM_REPORT_READ)
#define WS (1u << PERM_WORKSHOP_SETUP)
#define PA (1u << PERM_PARTS_MANAGE)
#define BK (1u << PERM_BOOK)
#define DP (1u << PERM_DISPATCH)
#define BC (1u << PERM_BOARD_CONFIRM)
#define RO (1u << PERM_REPAIR_ORDER)
#define CR (1u << PERM_CALL_REVIEW)
#define CO (1u << PERM_COMPLAINT)

static const unsigned MATRIX[ROLE_COUNT] = {
    /* Advisors take the booking call, receive the car and write the repair order. */
    [ROLE_ADVISOR] = R | CW | VW | MW | SW | TW | BK | RO | CO,
    /* Callers confirm contact details and ask for the mileage in their calls (CRM-4, MR-4),
     * work the call lists and follow their own figures (RPT-2), book from their calls and
     * confirm the board for customer service (IN-11). */
    [ROLE_CALLER] = R | CW | MW | TW | RP | BK | BC | CO,
    /* The service manager sets the rules, runs campaigns and reads every report. */
    [ROLE_SERVICE_MANAGER] =
        R | CW | VW | MW | SW | AR | TW | PM | CP | RP | WS | PA | BK | DP | BC | RO | CR | CO,
    /* The parts manager keeps the parts master (stock, shelves, orders). */
    [ROLE_PARTS_MANAGER] = R | PA | BC,
    /* The workshop reads the odometer when the car is in, dispatches its jobs and confirms
     * tomorrow's board. */
    [ROLE_WORKSHOP] = R | MW | WS | DP | BC,
    /* Warranty clerks write warranty and recall repair orders. */
    [ROLE_WARRANTY] = R | SW | CP | BC,
    /* Stores, users and settings; the call checks with the service manager (IN-21). */
    [ROLE_ADMIN] = R | UM | AR | PM | RP | CR,
};

int role_parse(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (strcmp(ROLE_NAMES[i], name) == 0)
            return i;
    }
    return -1;
}

static const char *const PERM_NAMES[PERM_COUNT] = {
    [PERM_ARCHIVE_READ] = "archive_read",   [PERM_CUSTOMER_WRITE] = "customer_write",
    [PERM_VEHICLE_WRITE] = "vehicle_write", [PERM_MILEAGE_WRITE] = "mileage_write",
    [PERM_SERVICE_WRITE] = "service_write", [PERM_USER_MANAGE] = "user_manage",
    [PERM_AUDIT_READ] = "audit_read",       [PERM_TASK_WORK] = "task_work",
    [PERM_PLAN_MANAGE] = "plan_manage",     [PERM_CAMPAIGN] = "campaign",
    [PERM_REPORT_READ] = "report_read",     [PERM_WORKSHOP_SETUP] = "workshop_setup",
    [PERM_PARTS_MANAGE] = "parts_manage",   [PERM_BOOK] = "book",
    [PERM_DISPATCH] = "dispatch",           [PERM_BOARD_CONFIRM] = "board_confirm",
    [PERM_REPAIR_ORDER] = "repair_order",   [PERM_CALL_REVIEW] = "call_review",
    [PERM_COMPLAINT] = "complaint"};

const char *perm_name(enum perm perm)
{
    return (unsigned)perm < PERM_COUNT && PERM_NAMES[perm] ? PERM_NAMES[perm] : "unknown";
}

const char *role_name(enum role role)
{
    return (unsigned)role < ROLE_COUNT ? ROLE_NAMES[role] : "unknown";
}

bool role_can(enum role role, enum perm perm)
{
    if ((unsigned)role >= ROLE_COUNT || (unsigned)perm >= PERM_COUNT)
        return false;
    return (MATRIX[role] >> perm) & 1u;
}

bool role_confirms(enum role role, int department)
{
    /* IN-11: each department confirms for itself; the service manager for any. */
    static const int OWN[ROLE_COUNT] = {
        [ROLE_ADVISOR] = -1,      [ROLE_CALLER] = 3,   [ROLE_SERVICE_MANAGER] = -2,
        [ROLE_PARTS_MANAGER] = 1, [ROLE_WORKSHOP] = 0, [ROLE_WARRANTY] = 2,
        [ROLE_ADMIN] = -1,
    };
    if ((unsigned)role >= ROLE_COUNT || !role_can(role, PERM_BOARD_CONFIRM))
        return false;
    return OWN[role] == -2 || OWN[role] == department;
}

bool role_sees_contact_details(enum role role)
{
    return role == ROLE_ADVISOR || role == ROLE_CALLER || role == ROLE_SERVICE_MANAGER;
}
