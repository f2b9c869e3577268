/* CRM-3: credit grades (see credit.h for the rules). */
#include "core/credit.h"

const char *const CREDIT_GRADE_NAMES[CREDIT_GRADE_COUNT] = {"A", "B", "C", "D"};
const char *const CREDIT_REASON_NAMES[CREDIT_REASON_COUNT] = {
    "long_overdue", "overdue", "late_payer", "some_late", "open_complaints", "no_visits", "good"};

int credit_avg_days_between(dms_day first, dms_day last, int visits)
{
    if (visits < 2)
        return -1;
    return (int)((last - first) / (visits - 1));
}

int credit_on_time_pct(const struct credit_figures *f)
{
    if (f->statements <= 0)
        return -1;
    return (int)((int64_t)f->paid_on_time * 100 / f->statements);
}

enum credit_grade credit_grade(const struct credit_figures *f, dms_day today,
                               enum credit_reason reasons[CREDIT_MAX_REASONS], int *n_reasons)
{
    enum credit_grade g = CREDIT_A;
    int n = 0;
    int pct = credit_on_time_pct(f);
    if (f->overdue_fen > 0 && f->oldest_overdue >= 0 &&
        today - f->oldest_overdue > CREDIT_D_OVERDUE_DAYS) {
        reasons[n++] = CREDIT_REASON_LONG_OVERDUE;
        g = CREDIT_D;
    } else if (f->overdue_fen > 0) {
        reasons[n++] = CREDIT_REASON_OVERDUE;
        g = CREDIT_C;
    }
    /* on time < 50%: C; < 90%: B (in integer percent of the whole statements, so 9 of 10 is
     * 90% and no reason). */
    if (pct >= 0 && (int64_t)f->paid_on_time * 2 < f->statements) {
        reasons[n++] = CREDIT_REASON_LATE_PAYER;
        if (g < CREDIT_C)
            g = CREDIT_C;
    } else if (pct >= 0 && (int64_t)f->paid_on_time * 10 < (int64_t)f->statements * 9) {
        reasons[n++] = CREDIT_REASON_SOME_LATE;
        if (g < CREDIT_B)
            g = CREDIT_B;
    }
    if (f->open_complaints > 0) {
        reasons[n++] = CREDIT_REASON_COMPLAINTS;
        if (g < CREDIT_B)
            g = CREDIT_B;
    }
    if (f->visits == 0) {
        reasons[n++] = CREDIT_REASON_NO_VISITS;
        if (g < CREDIT_B)
            g = CREDIT_B;
    }
    if (n == 0)
        reasons[n++] = CREDIT_REASON_GOOD;
    *n_reasons = n;
    return g;
}
