/* CRM-2: the rules that set a customer's class (VIP / regular / at risk / lost) from their
 * visits, spend and overdue maintenance, with the store's thresholds. Pure: the figures come
 * from store/classify.c, today is passed in.
 *
 * A visit is one store-local day on which the customer had a service record not written by
 * a repair order (the history imported before repair orders existed, or typed by hand) or a
 * repair order settled or delivered (its record is not counted again). Spend is the sum of
 * those records' totals and of the orders' amounts due (fen), in the last 12 months.
 *
 * Precedence, first match wins:
 *   1. lost     no visit on or after today - class_lost_months (a customer never seen is
 *               judged from the day they were entered in the archive);
 *   2. vip      spend in the 12 months (today - 12 months, today] >= class_vip_spend_fen
 *               (0 turns the spend rule off), or
 *               visits in them >= class_vip_visits;
 *   3. at_risk  a car's periodic maintenance was due before today - class_at_risk_days;
 *   4. regular  otherwise.
 * Lost before VIP: a customer who stopped coming is the one to call, whatever they spent.
 * VIP before at risk: the class rewards recent custom; an overdue car of a VIP is still
 * called by the maintenance lists (MR-2), so the class need not say it. */
#ifndef DMS_CORE_CLASSIFY_H
#define DMS_CORE_CLASSIFY_H

#include <stdint.h>

#include "core/customer.h"
#include "core/date.h"

/* Why the rules chose the class; stored with it (customers.classification_reason). */
enum class_reason {
    CLASS_REASON_LOST,       /* no visit for class_lost_months */
    CLASS_REASON_VIP_SPEND,  /* spend in 12 months at or above the threshold */
    CLASS_REASON_VIP_VISITS, /* visits in 12 months at or above the threshold */
    CLASS_REASON_OVERDUE,    /* maintenance overdue by more than class_at_risk_days */
    CLASS_REASON_REGULAR,    /* none of the above */
    CLASS_REASON_COUNT
};
extern const char *const CLASS_REASON_NAMES[CLASS_REASON_COUNT];

struct class_thresholds {
    int64_t vip_spend_fen; /* fen, 0..1e11 */
    int vip_visits;        /* 1..100 */
    int at_risk_days;      /* 0..365 */
    int lost_months;       /* 1..60 */
};

/* The day limits the rules compare with, from today and the thresholds. */
struct class_cutoffs {
    dms_day year_from;      /* first day of the 12 months: today - 12 months + 1 day */
    dms_day seen_from;      /* a visit on or after this day keeps a customer from lost */
    dms_day overdue_before; /* a due date before this day makes the car overdue */
};
void classify_cutoffs(dms_day today, const struct class_thresholds *t, struct class_cutoffs *out);

struct class_figures {
    int64_t spend_fen;    /* in the 12 months */
    int visits;           /* visit days in the 12 months */
    dms_day last_visit;   /* -1: never */
    dms_day known_since;  /* the day the customer entered the archive */
    dms_day earliest_due; /* the earliest next_due_date of their cars, -1: none */
};

/* The class and the reason for it. */
enum customer_class classify_decide(const struct class_figures *f, const struct class_thresholds *t,
                                    const struct class_cutoffs *c, enum class_reason *reason);

#endif
