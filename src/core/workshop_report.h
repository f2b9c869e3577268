/* The workshop report's arithmetic (RO-8, RPT-1's raw material): the counts of a day or a
 * month, added up, and the figures worked out from them: booking share, average waits by
 * source, efficiency (standard hours sold out of hours clocked), on-time delivery, and whether
 * an order is a comeback. Pure; the counts come from store/workshop_report.c. Nothing to
 * divide by gives no figure (-1 here, null in the API), which is not 0. */
#ifndef DMS_CORE_WORKSHOP_REPORT_H
#define DMS_CORE_WORKSHOP_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/repair_order.h"
#include "core/service_record.h"

/* RO-8: an order is a comeback when the same car had one of its labour operations on an
 * order delivered at most this many days (x 24 h) before it arrived. */
#define WORKSHOP_COMEBACK_DAYS 30

/* What one day (or the whole period) counts. Orders count on their arrival day (store-local),
 * cancelled ones only in `cancelled`; deliveries on their delivery day. */
struct workshop_counts {
    /* the orders that arrived, not cancelled */
    int64_t orders;
    int64_t by_source[RO_SOURCE_COUNT]; /* appointment = booked, walk_in */
    int64_t by_kind[SERVICE_KIND_COUNT];
    int64_t cancelled;
    /* arrival to the first start of work, minutes, over the orders started so far */
    int64_t wait_sum_min[RO_SOURCE_COUNT], waited[RO_SOURCE_COUNT];
    int64_t sold_x100;   /* standard hours x 100 of the counting labour lines */
    int64_t clocked_min; /* technicians' clocked minutes on the labour lines */
    int64_t comebacks;
    /* the orders delivered */
    int64_t delivered;
    int64_t on_time, late;                                /* of those with a promised time */
    int64_t revenue_fen[RO_LINE_TYPE_COUNT][PAYER_COUNT]; /* counting lines, before discount */
    int64_t discount_fen;
};

void workshop_counts_add(struct workshop_counts *to, const struct workshop_counts *c);

/* Percentages and averages as tenths (42.9 % is 429, 12.5 min is 125), rounded half up; -1
 * when there is no figure. */
struct workshop_figures {
    int64_t booking_share_tenths;               /* booked out of orders */
    int64_t avg_wait_tenths[RO_SOURCE_COUNT];   /* minutes, over the orders started */
    int64_t efficiency_tenths;                  /* hours sold out of hours clocked */
    int64_t on_time_tenths;                     /* on time out of delivered with a promise */
    int64_t comeback_tenths;                    /* comebacks out of orders */
    int64_t hours_clocked_x100;                 /* clocked_min in hours, two decimals */
    int64_t labour_fen, parts_fen, revenue_fen; /* all payers */
};
void workshop_figures_of(const struct workshop_counts *c, struct workshop_figures *out);

/* An average of n values summing to sum, in tenths, rounded half up; -1 when n is 0. */
int64_t workshop_avg_tenths(int64_t sum, int64_t n);

/* Hours sold out of hours clocked, in tenths of a percent (1.50 h sold in 80 min: 1125 =
 * 112.5 %); -1 when nothing was clocked. */
int64_t workshop_efficiency_tenths(int64_t sold_x100, int64_t clocked_min);

/* Minutes as hours x 100, rounded half up (80 min: 133 = 1.33 h). */
int64_t workshop_hours_x100(int64_t minutes);

/* RO-8: whether an order that arrived at arrived_utc comes back on the work of an order
 * delivered at delivered_utc (UTC seconds): delivered before it arrived and at most
 * WORKSHOP_COMEBACK_DAYS x 24 h before. */
bool workshop_is_comeback(int64_t arrived_utc, int64_t delivered_utc);

#endif
