/* The workshop report's arithmetic (RO-8): see workshop_report.h. */
#include "core/workshop_report.h"

void workshop_counts_add(struct workshop_counts *to, const struct workshop_counts *c)
{
    to->orders += c->orders;
    for (int s = 0; s < RO_SOURCE_COUNT; s++) {
        to->by_source[s] += c->by_source[s];
        to->wait_sum_min[s] += c->wait_sum_min[s];
        to->waited[s] += c->waited[s];
    }
    for (int k = 0; k < SERVICE_KIND_COUNT; k++)
        to->by_kind[k] += c->by_kind[k];
    to->cancelled += c->cancelled;
    to->sold_x100 += c->sold_x100;
    to->clocked_min += c->clocked_min;
    to->comebacks += c->comebacks;
    to->delivered += c->delivered;
    to->on_time += c->on_time;
    to->late += c->late;
    for (int t = 0; t < RO_LINE_TYPE_COUNT; t++)
        for (int p = 0; p < PAYER_COUNT; p++)
            to->revenue_fen[t][p] += c->revenue_fen[t][p];
    to->discount_fen += c->discount_fen;
}

int64_t workshop_avg_tenths(int64_t sum, int64_t n)
{
    if (n <= 0)
        return -1;
    return (sum * 20 / n + 1) / 2;
}

int64_t workshop_efficiency_tenths(int64_t sold_x100, int64_t clocked_min)
{
    /* sold minutes = sold_x100 * 60 / 100; kept in integers by scaling both sides by 100 */
    return ro_pct_tenths(sold_x100 * 60, clocked_min * 100);
}

int64_t workshop_hours_x100(int64_t minutes)
{
    return (minutes * 200 / 60 + 1) / 2;
}

bool workshop_is_comeback(int64_t arrived_utc, int64_t delivered_utc)
{
    return delivered_utc < arrived_utc &&
           arrived_utc - delivered_utc <= (int64_t)WORKSHOP_COMEBACK_DAYS * 86400;
}

void workshop_figures_of(const struct workshop_counts *c, struct workshop_figures *out)
{
    *out = (struct workshop_figures){0};
    out->booking_share_tenths = ro_pct_tenths(c->by_source[RO_SOURCE_APPOINTMENT], c->orders);
    for (int s = 0; s < RO_SOURCE_COUNT; s++)
        out->avg_wait_tenths[s] = workshop_avg_tenths(c->wait_sum_min[s], c->waited[s]);
    out->efficiency_tenths = workshop_efficiency_tenths(c->sold_x100, c->clocked_min);
    out->on_time_tenths = ro_pct_tenths(c->on_time, c->on_time + c->late);
    out->comeback_tenths = ro_pct_tenths(c->comebacks, c->orders);
    out->hours_clocked_x100 = workshop_hours_x100(c->clocked_min);
    for (int p = 0; p < PAYER_COUNT; p++) {
        out->labour_fen += c->revenue_fen[RO_LINE_LABOUR][p];
        out->parts_fen += c->revenue_fen[RO_LINE_PART][p];
    }
    out->revenue_fen = out->labour_fen + out->parts_fen;
}
