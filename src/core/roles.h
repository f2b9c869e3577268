/* Staff roles (REQUIREMENTS "Roles") and what each may do. One table decides every
 * permission check in the API, so a reader finds the whole policy here. */
#ifndef DMS_CORE_ROLES_H
#define DMS_CORE_ROLES_H

#include <stdbool.h>

enum role {
    ROLE_ADVISOR,
    ROLE_CALLER,
    ROLE_SERVICE_MANAGER,
    ROLE_PARTS_MANAGER,
    ROLE_WORKSHOP,
    ROLE_WARRANTY,
    ROLE_ADMIN,
    ROLE_COUNT
};

enum perm {
    PERM_ARCHIVE_READ,   /* customers, vehicles, service records, search */
    PERM_CUSTOMER_WRITE, /* create/edit customers, drivers, contact confirmations */
    PERM_VEHICLE_WRITE,  /* create/edit vehicles */
    PERM_MILEAGE_WRITE,  /* record an odometer reading */
    PERM_SERVICE_WRITE,  /* write repair orders */
    PERM_USER_MANAGE,    /* staff accounts of the own store */
    PERM_AUDIT_READ,     /* the audit log */
    PERM_TASK_WORK,      /* work the call lists, record calls, make call-backs, read messages */
    PERM_PLAN_MANAGE,    /* maintenance plans, store settings, templates, generate a day's lists */
    PERM_CAMPAIGN,       /* recalls, upgrades, promotions, greetings (CS-5, CS-7) */
    PERM_REPORT_READ,    /* call reports (RPT-2) */
    PERM_WORKSHOP_SETUP, /* the workshop's resources: operations, bays, technicians (IN-6) */
    PERM_PARTS_MANAGE,   /* the parts master: stock, prices, shelves, lead times (IN-12) */
    PERM_BOOK,           /* book, move and cancel appointments; record failed booking calls */
    PERM_DISPATCH,       /* give jobs to technicians; start and finish them (IN-11) */
    PERM_BOARD_CONFIRM,  /* confirm the next day's board for one's department (IN-11) */
    PERM_REPAIR_ORDER,   /* receive cars, write and settle repair orders, deliver (RO-1..RO-7) */
    PERM_CALL_REVIEW,    /* score booking calls, correct the scores, read every advisor's (IN-21) */
    PERM_COMPLAINT,      /* take, read and work complaints and enquiries (CS-6, IN-20) */
    PERM_COUNT
};

extern const char *const ROLE_NAMES[ROLE_COUNT];

/* "advisor" -> ROLE_ADVISOR; -1 when unknown. */
int role_parse(const char *name);
const char *role_name(enum role role);

bool role_can(enum role role, enum perm perm);

/* "archive_read" for PERM_ARCHIVE_READ: the name GET /me lists (the web console shows the
 * screens a role's permissions allow); "unknown" out of range. */
const char *perm_name(enum perm perm);

/* Whether the role works with customers' contact details and so sees full names, phones,
 * e-mail and address in detail views. Others see masked names and phones and no e-mail or
 * address. List views mask phones for everyone. */
/* Whether the role confirms the board for a department (core/booking.h enum department:
 * 0 workshop, 1 parts, 2 warranty, 3 customer service). */
bool role_confirms(enum role role, int department);

bool role_sees_contact_details(enum role role);

#endif
