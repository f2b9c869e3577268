/* The workshop's value sets (IN-6, IN-8): the kinds of bays (工位) and the skills of
 * technicians. A labour operation names the bay kind and the skill it needs, so a slot is a
 * free bay of that kind with a free technician who has that skill. */
#ifndef DMS_CORE_WORKSHOP_H
#define DMS_CORE_WORKSHOP_H

#include <stdint.h>

#include "core/error.h"

enum bay_kind {
    BAY_QUICK_SERVICE, /* 快修: oil changes, periodic maintenance */
    BAY_GENERAL,       /* 机修: general repair */
    BAY_BODY,          /* 钣金 */
    BAY_PAINT,         /* 喷漆 */
    BAY_ALIGNMENT,     /* 四轮定位 */
    BAY_EV,            /* high-voltage work */
    BAY_KIND_COUNT
};
extern const char *const BAY_KIND_NAMES[BAY_KIND_COUNT];

enum skill {
    SKILL_MAINTENANCE,
    SKILL_MECHANICAL,
    SKILL_ELECTRICAL,
    SKILL_BODY,
    SKILL_PAINT,
    SKILL_ALIGNMENT,
    SKILL_EV,
    SKILL_DIAGNOSTICS,
    SKILL_COUNT
};
extern const char *const SKILL_NAMES[SKILL_COUNT];

/* IN-6: maintenance operations make a booking case A; any repair makes it B, C or D. */
enum op_kind { OP_MAINTENANCE, OP_REPAIR, OP_KIND_COUNT };
extern const char *const OP_KIND_NAMES[OP_KIND_COUNT];

#define OPERATION_CODE_MAX  32
#define OPERATION_MAX_HOURS 10000 /* hundredths: 100 hours */

/* The labour of an operation: hours (hundredths) × rate (fen per hour), rounded half up to
 * the fen. Error invalid_field when it would exceed MONEY_MAX_FEN. */
int operation_labour_fen(int64_t hours_x100, int64_t rate_fen, int64_t *out, struct dms_error *err);

/* Operation codes: 1-32 of A-Z 0-9 - _ . (upper-cased by the caller). Error invalid_field. */
int operation_check_code(const char *code, struct dms_error *err);

#endif
