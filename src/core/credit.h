/* CRM-3: a customer's credit (of a person or of a company: the same figures for both):
 * payment behaviour, visits and spend, and a grade with the reasons that made it. Pure: the
 * figures come from store/credit.c.
 *
 * Statements are the on-account receivables (RO-7). A statement is "paid on time" when it
 * was paid in full on or before its due date; it counts as judged once it is paid or its
 * due date has passed (an open statement not yet due says nothing yet).
 *
 * Grade, first match wins (each reason that applies is listed, worst first):
 *   D  a statement overdue by more than CREDIT_D_OVERDUE_DAYS days;
 *   C  any amount overdue, or fewer than half the judged statements paid on time;
 *   B  fewer than 90% paid on time, an open complaint, or no visit in the 12 months;
 *   A  otherwise. */
#ifndef DMS_CORE_CREDIT_H
#define DMS_CORE_CREDIT_H

#include <stdint.h>

#include "core/date.h"

#define CREDIT_D_OVERDUE_DAYS 60
#define CREDIT_MAX_REASONS    6

enum credit_grade { CREDIT_A, CREDIT_B, CREDIT_C, CREDIT_D, CREDIT_GRADE_COUNT };
extern const char *const CREDIT_GRADE_NAMES[CREDIT_GRADE_COUNT];

enum credit_reason {
    CREDIT_REASON_LONG_OVERDUE, /* overdue by more than CREDIT_D_OVERDUE_DAYS */
    CREDIT_REASON_OVERDUE,      /* some amount overdue */
    CREDIT_REASON_LATE_PAYER,   /* under 50% on time */
    CREDIT_REASON_SOME_LATE,    /* under 90% on time */
    CREDIT_REASON_COMPLAINTS,   /* an open complaint */
    CREDIT_REASON_NO_VISITS,    /* no visit in 12 months */
    CREDIT_REASON_GOOD,         /* nothing against (grade A) */
    CREDIT_REASON_COUNT
};
extern const char *const CREDIT_REASON_NAMES[CREDIT_REASON_COUNT];

struct credit_figures {
    int visits;              /* visit days in the 12 months (core/classify.h's definition) */
    int64_t spend_fen;       /* in the 12 months */
    int avg_days_between;    /* -1 with fewer than two visits in the 12 months */
    int statements;          /* judged statements (paid, or open past due) */
    int paid_on_time;        /* of them */
    int64_t outstanding_fen; /* open statements, unpaid part */
    int64_t overdue_fen;     /* of that, past due */
    dms_day oldest_overdue;  /* due date of the oldest overdue statement, -1: none */
    int open_complaints;     /* CS-6; 0 until complaints exist */
};

/* The average days between visits of n visit days from first to last (-1 when n < 2). */
int credit_avg_days_between(dms_day first, dms_day last, int visits);

/* Share of judged statements paid on time in percent, -1 with none. */
int credit_on_time_pct(const struct credit_figures *f);

/* The grade and its reasons (at most CREDIT_MAX_REASONS, worst first; GOOD alone for A). */
enum credit_grade credit_grade(const struct credit_figures *f, dms_day today,
                               enum credit_reason reasons[CREDIT_MAX_REASONS], int *n_reasons);

#endif
