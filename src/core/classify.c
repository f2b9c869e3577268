/* CRM-2: the class rules (see classify.h for the rules and their precedence). */
#include "core/classify.h"

const char *const CLASS_REASON_NAMES[CLASS_REASON_COUNT] = {"lost", "vip_spend", "vip_visits",
                                                            "overdue", "regular"};

void classify_cutoffs(dms_day today, const struct class_thresholds *t, struct class_cutoffs *out)
{
    out->year_from = date_add_months(today, -12) + 1;
    out->seen_from = date_add_months(today, -t->lost_months);
    out->overdue_before = today - t->at_risk_days;
}

enum customer_class classify_decide(const struct class_figures *f, const struct class_thresholds *t,
                                    const struct class_cutoffs *c, enum class_reason *reason)
{
    dms_day seen = f->last_visit >= 0 ? f->last_visit : f->known_since;
    if (seen < c->seen_from) {
        *reason = CLASS_REASON_LOST;
        return CLASS_LOST;
    }
    if (t->vip_spend_fen > 0 && f->spend_fen >= t->vip_spend_fen) {
        *reason = CLASS_REASON_VIP_SPEND;
        return CLASS_VIP;
    }
    if (f->visits >= t->vip_visits) {
        *reason = CLASS_REASON_VIP_VISITS;
        return CLASS_VIP;
    }
    if (f->earliest_due >= 0 && f->earliest_due < c->overdue_before) {
        *reason = CLASS_REASON_OVERDUE;
        return CLASS_AT_RISK;
    }
    *reason = CLASS_REASON_REGULAR;
    return CLASS_REGULAR;
}
