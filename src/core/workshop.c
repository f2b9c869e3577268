/* The workshop's value sets and the labour of an operation. See workshop.h. */
#include "core/workshop.h"

#include "core/money.h"

const char *const BAY_KIND_NAMES[BAY_KIND_COUNT] = {
    [BAY_QUICK_SERVICE] = "quick_service",
    [BAY_GENERAL] = "general",
    [BAY_BODY] = "body",
    [BAY_PAINT] = "paint",
    [BAY_ALIGNMENT] = "alignment",
    [BAY_EV] = "ev",
};

const char *const OP_KIND_NAMES[OP_KIND_COUNT] = {
    [OP_MAINTENANCE] = "maintenance",
    [OP_REPAIR] = "repair",
};

const char *const SKILL_NAMES[SKILL_COUNT] = {
    [SKILL_MAINTENANCE] = "maintenance",
    [SKILL_MECHANICAL] = "mechanical",
    [SKILL_ELECTRICAL] = "electrical",
    [SKILL_BODY] = "body",
    [SKILL_PAINT] = "paint",
    [SKILL_ALIGNMENT] = "alignment",
    [SKILL_EV] = "ev",
    [SKILL_DIAGNOSTICS] = "diagnostics",
};

int operation_labour_fen(int64_t hours_x100, int64_t rate_fen, int64_t *out, struct dms_error *err)
{
    if (hours_x100 < 0 || hours_x100 > OPERATION_MAX_HOURS)
        return dms_fail(err, "invalid_field", "hours", "hours are 0 to %d",
                        OPERATION_MAX_HOURS / 100);
    if (rate_fen < 0 || rate_fen > MONEY_MAX_FEN)
        return dms_fail(err, "invalid_field", "rate_fen", "the rate is out of range");
    /* At most 1e4 x 1e10: no int64 overflow before the division. */
    int64_t labour = (hours_x100 * rate_fen + 50) / 100;
    if (labour > MONEY_MAX_FEN)
        return dms_fail(err, "invalid_field", "rate_fen", "the labour is too large");
    *out = labour;
    return 0;
}

int operation_check_code(const char *code, struct dms_error *err)
{
    int n = 0;
    for (const char *p = code; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return dms_fail(err, "invalid_field", "code",
                            "an operation code is letters, digits, '-', '_' or '.'");
    }
    if (n == 0 || n > OPERATION_CODE_MAX)
        return dms_fail(err, "invalid_field", "code", "an operation code has 1-32 characters");
    return 0;
}
