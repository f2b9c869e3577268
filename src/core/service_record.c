/* Repair order totals: labour plus parts, in integer fen. */
#include "core/service_record.h"

#include "core/money.h"

const char *const SERVICE_KIND_NAMES[SERVICE_KIND_COUNT] = {"maintenance", "repair",   "warranty",
                                                            "recall",      "accident", "other"};

int service_record_totals(const struct labour_line *labour, size_t n_labour,
                          struct parts_line *parts, size_t n_parts, struct service_totals *out,
                          struct dms_error *err)
{
    struct service_totals t = {0, 0, 0};
    for (size_t i = 0; i < n_labour; i++) {
        if (money_add(&t.labour_fen, labour[i].amount_fen) < 0)
            return dms_fail(err, "invalid_field", "labour", "labour total is too large");
    }
    for (size_t i = 0; i < n_parts; i++) {
        if (money_mul(parts[i].qty, parts[i].unit_price_fen, &parts[i].amount_fen) < 0 ||
            money_add(&t.parts_fen, parts[i].amount_fen) < 0)
            return dms_fail(err, "invalid_field", "parts", "parts total is too large");
    }
    t.total_fen = t.labour_fen;
    if (money_add(&t.total_fen, t.parts_fen) < 0)
        return dms_fail(err, "invalid_field", "parts", "total is too large");
    *out = t;
    return 0;
}
