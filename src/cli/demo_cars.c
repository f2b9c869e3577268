/* The demo's cars (demo.c draws the customers who own them): for each car a model, a VIN, a
 * plate and a sale date, then its service history from the sale to the owner's last visit,
 * written as repair orders (service_records_create) and as odometer readings from calls
 * (mileage_add), with the parts and labour a workshop would charge on each day.
 *
 * Each car's odometer is one increasing function of the date (struct odometer), and every
 * reading is sampled from it in date order, so mileage_add and service_records_create never
 * see a reading that goes backwards. Every draw comes from the owner's stream (r), in the
 * order the car is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "cli/demo_catalogue.h"
#include "cli/people.h"
#include "core/plate.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/service_records.h"
#include "store/vehicles.h"

/* ---- cars ---- */

/* CS-8: the insurance renews on the anniversary of the purchase; cars older than six years
 * (the inspection-free period for private cars) are inspected every year, on that day too. */
static void renewal_dates(dms_day sold, dms_day today, struct vehicle *v)
{
    int y, m, day, ty, tm, td;
    date_to_ymd(sold, &y, &m, &day);
    date_to_ymd(today, &ty, &tm, &td);
    dms_day next = date_add_months(sold, (ty - y) * 12);
    if (next < today)
        next = date_add_months(sold, (ty - y + 1) * 12);
    date_format(next, v->insurance_expiry);
    if (next >= date_add_months(sold, 6 * 12))
        date_format(next, v->inspection_expiry);
}

/* A model by its share among those on sale by day `latest` (the newest sale allowed). */
static const struct model *model_pick(struct rng *r, dms_day latest)
{
    int total = 0;
    for (size_t i = 0; i < LEN(MODELS); i++)
        total += date_from_ymd(MODELS[i].first, 1, 1) <= latest ? MODELS[i].weight : 0;
    if (total == 0)
        return &MODELS[0];
    int x = rng_int(r, 0, total - 1);
    for (size_t i = 0; i < LEN(MODELS); i++) {
        if (date_from_ymd(MODELS[i].first, 1, 1) > latest)
            continue;
        x -= MODELS[i].weight;
        if (x < 0)
            return &MODELS[i];
    }
    return &MODELS[0];
}

/* ---- parts and maintenance ---- */

/* Maintenance intervals: the first at 3 months or 3,000 km, then every 6 months or
 * 5,000-7,500 km (electric cars: 12 months or 15,000 km), whichever comes first (MR-1). */
#define FIRST_SERVICE_DAYS 90    /* days after the sale */
#define FIRST_SERVICE_KM   3000  /* km */
#define SERVICE_DAYS       182   /* days */
#define SERVICE_KM_MIN     5000  /* km */
#define SERVICE_KM_MAX     7500  /* km, what the repair order tells the customer */
#define EV_SERVICE_DAYS    365   /* days */
#define EV_SERVICE_KM      15000 /* km */
#define AIR_FILTER_KM      15000 /* km */
#define CABIN_FILTER_KM    10000 /* km */
#define CABIN_FILTER_DAYS  365   /* days */
#define BRAKE_FLUID_DAYS   730   /* days */
#define SPARK_PLUG_KM      40000 /* km */
#define DSG_OIL_KM         60000 /* km, wet dual-clutch gearboxes (EA888 cars) */
#define WARRANTY_DAYS      (3 * 365)
#define WARRANTY_KM        100000

/* The car's odometer over its life: a piecewise-linear function of the date with a new
 * daily distance every few months (holidays, a new job, a long trip). Readings sampled
 * from it in date order only count up. */
#define ODO_SEGMENTS 48

struct odometer {
    dms_day start[ODO_SEGMENTS];
    int64_t km_x100[ODO_SEGMENTS];   /* hundredths of a km at start */
    int64_t rate_x100[ODO_SEGMENTS]; /* hundredths of a km per day */
    int n;
};

static void odometer_init(struct odometer *o, struct rng *r, dms_day from, dms_day to, int64_t km0,
                          int km_per_day)
{
    int span = to - from + 1;
    int seg = span / ODO_SEGMENTS + 1;
    if (seg < 75)
        seg = 75;
    int64_t km = km0 * 100;
    o->n = 0;
    for (dms_day d = from; o->n == 0 || (d <= to && o->n < ODO_SEGMENTS); d += seg) {
        int64_t rate = (int64_t)km_per_day * rng_int(r, 60, 140); /* 60-140 % of usual */
        o->start[o->n] = d;
        o->km_x100[o->n] = km;
        o->rate_x100[o->n] = rate;
        o->n++;
        km += rate * seg;
    }
}

/* km on day d (d >= the sale). */
static int64_t odometer_at(const struct odometer *o, dms_day d)
{
    int i = o->n - 1;
    while (i > 0 && o->start[i] > d)
        i--;
    return (o->km_x100[i] + o->rate_x100[i] * (d - o->start[i])) / 100;
}

/* The first day in [lo, hi] on which the odometer shows at least km; hi when none. */
static dms_day odometer_reaches(const struct odometer *o, dms_day lo, dms_day hi, int64_t km)
{
    while (lo < hi) {
        dms_day mid = lo + (hi - lo) / 2;
        if (odometer_at(o, mid) >= km)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* What happens to a car, in date order. */
enum event_kind {
    EV_FIRST_SERVICE,
    EV_SERVICE,
    EV_REPAIR,
    EV_WARRANTY,
    EV_RECALL,
    EV_ACCIDENT,
    EV_CALL
};

struct event {
    dms_day day;
    enum event_kind kind;
    int job; /* index into the job table of the kind */
};

#define MAX_EVENTS 96

struct history {
    struct event ev[MAX_EVENTS];
    int n;
};

static void history_add(struct history *h, dms_day day, enum event_kind kind, int job)
{
    if (h->n < MAX_EVENTS)
        h->ev[h->n++] = (struct event){day, kind, job};
}

static int event_cmp(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* The car being written: what it is and when its parts were last renewed, so that the
 * maintenance items come at sensible distances. */
struct car {
    const struct model *model;
    int64_t id;
    dms_day sold, end; /* the sale; the last day the owner still comes to the store */
    struct odometer odo;
    int64_t air_km, cabin_km, plug_km, dsg_km; /* km at the last replacement */
    dms_day cabin_day, fluid_day;
};

/* ---- repair orders ---- */

#define ORDER_LINES 16

struct order {
    struct labour_line labour[ORDER_LINES];
    struct parts_line parts[ORDER_LINES];
    size_t n_labour, n_parts;
    int64_t rate_fen; /* labour rate, fen per hour */
};

static void order_labour(struct order *o, const char *code, const char *operation, int hours_x100,
                         bool charged)
{
    if (o->n_labour == ORDER_LINES)
        return;
    struct labour_line *l = &o->labour[o->n_labour++];
    copy(l->code, sizeof l->code, code);
    copy(l->operation, sizeof l->operation, operation);
    l->hours_x100 = hours_x100;
    l->amount_fen = charged ? (int64_t)hours_x100 * o->rate_fen / 100 : 0;
}

static void order_part(struct order *o, const struct kit_part *p, int qty)
{
    if (!p->part_no || !p->part_no[0] || qty < 1 || o->n_parts == ORDER_LINES)
        return;
    struct parts_line *l = &o->parts[o->n_parts++];
    copy(l->part_no, sizeof l->part_no, p->part_no);
    copy(l->name, sizeof l->name, p->name);
    l->qty = qty;
    l->unit_price_fen = p->price_fen;
}

static void order_job(struct order *o, const struct job *j)
{
    for (size_t i = 0; i < LEN(j->labour) && j->labour[i].code; i++)
        order_labour(o, j->labour[i].code, j->labour[i].operation, j->labour[i].hours_x100, true);
    for (size_t i = 0; i < LEN(j->parts); i++)
        order_part(o, &j->parts[i].part, j->parts[i].qty);
}

/* Periodic maintenance: oil and filter every time, the other items when due. */
static void order_maintenance(struct order *o, struct car *c, struct rng *r, dms_day day,
                              int64_t km, bool first, char *notes, size_t cap)
{
    const struct kit *k = &KITS[c->model->engine];
    bool ev = c->model->engine == ENGINE_EV;
    if (ev) {
        order_labour(o, "E00", "电动车常规检查", 50, !first);
        order_labour(o, "E10", "高压系统绝缘检测", 30, !first);
        order_labour(o, "M03", "更换空调滤清器", 30, true);
        order_part(o, &k->cabin_filter, 1);
    } else {
        order_labour(o, "M00", "保养常规检查", 30, false);
        order_labour(o, "M01", "更换机油机滤", k->oil_hours_x100 + 10 * rng_int(r, 0, 2), !first);
        order_part(o, &k->oil, 1);
        order_part(o, &k->oil_1l, k->oil_1l_qty);
        order_part(o, &k->oil_filter, 1);
        order_part(o, &k->drain_plug, 1);
        if (km - c->air_km >= AIR_FILTER_KM) {
            order_labour(o, "M02", "更换空气滤清器", 20, true);
            order_part(o, &k->air_filter, 1);
            c->air_km = km;
        }
        if (km - c->cabin_km >= CABIN_FILTER_KM || day - c->cabin_day >= CABIN_FILTER_DAYS) {
            order_labour(o, "M03", "更换空调滤清器", 30, true);
            order_part(o, &k->cabin_filter, 1);
            c->cabin_km = km, c->cabin_day = day;
        }
        if (km - c->plug_km >= SPARK_PLUG_KM) {
            order_labour(o, "M05", "更换火花塞", 80, true);
            order_part(o, &k->spark_plug, 4);
            c->plug_km = km;
        }
        if (c->model->engine == ENGINE_EA888 && km - c->dsg_km >= DSG_OIL_KM) {
            order_labour(o, "M06", "更换双离合变速箱油", 150, true);
            order_part(o, &DSG_OIL, 6);
            order_part(o, &DSG_FILTER, 1);
            c->dsg_km = km;
        }
        if (c->model->engine != ENGINE_TOYOTA && c->model->engine != ENGINE_HONDA &&
            rng_percent(r, 25))
            order_part(o, &FUEL_CLEANER, 1);
    }
    if (day - c->fluid_day >= BRAKE_FLUID_DAYS) {
        order_labour(o, "M04", "更换刹车油", 80, true);
        order_part(o, &k->brake_fluid, 1);
        c->fluid_day = day;
    }
    char next_day[DATE_STR];
    int64_t next_km = km + (ev ? EV_SERVICE_KM : SERVICE_KM_MAX);
    date_format(date_add_months(day, ev ? 12 : 6), next_day);
    if (first)
        snprintf(notes, cap,
                 "首次保养（首保），工时费全免。下次保养：%lld km 或 %s 前，以先到为准。",
                 (long long)next_km, next_day);
    else
        snprintf(notes, cap, "定期保养。下次保养：%lld km 或 %s 前，以先到为准。",
                 (long long)next_km, next_day);
}

/* Days the car stays in the workshop for each kind of job. */
static int days_in_workshop(struct rng *r, enum event_kind kind)
{
    switch (kind) {
    case EV_FIRST_SERVICE:
    case EV_SERVICE:
    case EV_RECALL:
        return rng_percent(r, 90) ? 0 : 1;
    case EV_REPAIR:
        return rng_int(r, 0, 2);
    case EV_WARRANTY:
        return rng_int(r, 0, 4); /* parts may come from the factory */
    case EV_ACCIDENT:
        return rng_int(r, 3, 10);
    case EV_CALL:
        break;
    }
    return 0;
}

static int write_record(struct demo *d, struct car *c, struct rng *r, const struct event *e,
                        dms_day today)
{
    int64_t km = odometer_at(&c->odo, e->day);
    int year = year_of(e->day);
    struct order o = {.rate_fen = LABOUR_RATE_2016_FEN +
                                  LABOUR_RATE_STEP_FEN * (year > 2016 ? year - 2016 : 0)};
    char notes[1024] = "";
    struct service_record rec;
    memset(&rec, 0, sizeof rec);
    switch (e->kind) {
    case EV_FIRST_SERVICE:
    case EV_SERVICE:
        rec.kind = SERVICE_MAINTENANCE;
        order_maintenance(&o, c, r, e->day, km, e->kind == EV_FIRST_SERVICE, notes, sizeof notes);
        break;
    case EV_REPAIR:
    case EV_WARRANTY:
    case EV_ACCIDENT: {
        const struct job *j = e->kind == EV_REPAIR     ? &REPAIRS[e->job]
                              : e->kind == EV_WARRANTY ? &WARRANTY_JOBS[e->job]
                                                       : &ACCIDENTS[e->job];
        rec.kind = j->kind;
        order_job(&o, j);
        if (e->kind == EV_WARRANTY)
            snprintf(notes, sizeof notes, "%s索赔单号 WX%d%05d。", j->notes, year,
                     rng_int(r, 1, 99999));
        else if (j->insured)
            snprintf(notes, sizeof notes, "%s保险理赔：%s，报案号 %d%08d。", j->notes,
                     *PICK(r, INSURERS), year, rng_int(r, 1, 99999999));
        else
            copy(notes, sizeof notes, j->notes);
        break;
    }
    case EV_RECALL: {
        const struct recall *rc = &RECALLS[e->job];
        rec.kind = SERVICE_RECALL;
        order_labour(&o, rc->code, rc->operation, rc->hours_x100, false);
        copy(notes, sizeof notes, rc->notes);
        break;
    }
    case EV_CALL:
        return 0;
    }
    dms_day out = e->day + days_in_workshop(r, e->kind);
    if (out > today)
        out = today;
    rec.vehicle_id = c->id;
    rec.advisor_id = rng_percent(r, 90) ? d->advisor.user_id : d->manager_id;
    date_format(e->day, rec.date_in);
    date_format(out, rec.date_out);
    rec.mileage_km = km;
    copy(rec.technician, sizeof rec.technician,
         e->kind == EV_ACCIDENT ? *PICK(r, BODY_SHOP) : *PICK(r, TECHNICIANS));
    copy(rec.notes, sizeof rec.notes, notes);
    if (clean(d, "notes", rec.notes, sizeof rec.notes, CUSTOMER_NOTES_CHARS, true) < 0)
        return -1;
    rec.labour = o.labour, rec.n_labour = o.n_labour;
    rec.parts = o.parts, rec.n_parts = o.n_parts;
    if (service_records_create(d->db, &d->advisor, &rec, &d->err) < 0)
        return -1;
    d->n_records++;
    d->n_readings++;
    return 0;
}

/* ---- a car's life ---- */

/* A job of the table that fits the car on that day, or -1. */
static int job_pick(struct rng *r, const struct job *jobs, size_t n, const struct car *c,
                    dms_day day)
{
    for (int attempt = 0; attempt < 6; attempt++) {
        size_t i = rng_below(r, n);
        const struct job *j = &jobs[i];
        if ((j->engines & ENG(c->model->engine)) && odometer_at(&c->odo, day) >= j->min_km &&
            day - c->sold >= j->min_days)
            return (int)i;
    }
    return -1;
}

/* A day in (from, to], or 0 when the range is empty. */
static dms_day day_between(struct rng *r, dms_day from, dms_day to)
{
    return to > from ? from + rng_int(r, 1, to - from) : 0;
}

/* Plans the visits: maintenance when due (a little early or late, and after the warranty
 * years some done elsewhere), repairs, warranty work, recalls, accidents, and calls in
 * which the customer told the mileage. */
static void plan_history(struct car *c, struct rng *r, dms_day today, struct history *h)
{
    bool ev = c->model->engine == ENGINE_EV;
    h->n = 0;
    dms_day last = c->sold;
    int64_t last_km = odometer_at(&c->odo, c->sold);
    for (bool first = true;; first = false) {
        int days = first ? FIRST_SERVICE_DAYS : ev ? EV_SERVICE_DAYS : SERVICE_DAYS;
        int64_t km = first ? FIRST_SERVICE_KM
                     : ev  ? EV_SERVICE_KM
                           : rng_int(r, SERVICE_KM_MIN, SERVICE_KM_MAX);
        dms_day due = odometer_reaches(&c->odo, last + 14, last + days, last_km + km);
        dms_day visit = due + rng_int(r, -7, 21);
        if (visit <= last)
            visit = last + 7;
        if (visit > c->end)
            break;
        /* After the warranty years many owners try cheaper workshops; the visits of the
         * owner's last 200 days with the store are always here, so that a customer who
         * still comes has a recent one. */
        int age = visit - c->sold;
        bool elsewhere = !first && visit < c->end - 200 &&
                         rng_percent(r, age < WARRANTY_DAYS ? 15
                                        : age < 6 * 365     ? 60
                                                            : 80);
        if (!elsewhere)
            history_add(h, visit, first ? EV_FIRST_SERVICE : EV_SERVICE, 0);
        last = visit;
        last_km = odometer_at(&c->odo, visit);
    }
    int years = (c->end - c->sold) / 365 + 1;
    for (int y = 0; y < years; y++) {
        dms_day day;
        int job;
        if (rng_percent(r, 15) && (day = day_between(r, c->sold + 30, c->end)) &&
            (job = job_pick(r, REPAIRS, LEN(REPAIRS), c, day)) >= 0)
            history_add(h, day, EV_REPAIR, job);
        if (rng_percent(r, 15) && (day = day_between(r, c->sold + 20, today)))
            history_add(h, day, EV_CALL, 0);
    }
    dms_day warranty_end = c->sold + WARRANTY_DAYS < c->end ? c->sold + WARRANTY_DAYS : c->end;
    dms_day day;
    int job;
    if (rng_percent(r, 12) && (day = day_between(r, c->sold + 30, warranty_end)) &&
        odometer_at(&c->odo, day) < WARRANTY_KM &&
        (job = job_pick(r, WARRANTY_JOBS, LEN(WARRANTY_JOBS), c, day)) >= 0)
        history_add(h, day, EV_WARRANTY, job);
    if (rng_percent(r, 6) && (day = day_between(r, c->sold + 30, c->end)) &&
        (job = job_pick(r, ACCIDENTS, LEN(ACCIDENTS), c, day)) >= 0)
        history_add(h, day, EV_ACCIDENT, job);
    for (size_t i = 0; i < LEN(RECALLS); i++) {
        dms_day start = date_from_ymd(RECALLS[i].year, RECALLS[i].month, RECALLS[i].day);
        if (strcmp(RECALLS[i].model, c->model->model) == 0 && c->sold < start &&
            start + 150 <= c->end && rng_percent(r, 75))
            history_add(h, start + rng_int(r, 7, 150), EV_RECALL, (int)i);
    }
    /* CS-4: the lost-customer call reaches some who no longer come; they tell the km. */
    if (c->end < today && rng_percent(r, 60) && (day = day_between(r, c->end + 20, today)))
        history_add(h, day, EV_CALL, 0);
    /* One visit a week at most: a job that falls near another visit is dropped (the
     * earlier kept; maintenance sorts first on a day). */
    qsort(h->ev, (size_t)h->n, sizeof h->ev[0], event_cmp);
    int kept = 0;
    for (int i = 0; i < h->n; i++) {
        if (kept == 0 || h->ev[i].day - h->ev[kept - 1].day >= 7)
            h->ev[kept++] = h->ev[i];
    }
    h->n = kept;
}

static int write_history(struct demo *d, struct car *c, struct rng *r, dms_day today)
{
    struct history *h = malloc(sizeof *h);
    if (!h)
        return dms_fail(&d->err, "db_error", NULL, "out of memory");
    plan_history(c, r, today, h);
    int rc = 0;
    for (int i = 0; rc == 0 && i < h->n; i++) {
        const struct event *e = &h->ev[i];
        if (e->kind == EV_CALL) {
            rc = mileage_add(d->db, &d->caller, c->id, e->day, odometer_at(&c->odo, e->day),
                             MILEAGE_CALL, 0, NULL, &d->err);
            d->n_readings++;
        } else {
            rc = write_record(d, c, r, e, today);
        }
    }
    free(h);
    return rc;
}

/* ---- vehicles ---- */

/* VIN position 10: the model year, A = 2010 ... (I, O, Q, U, Z and 0 are not used). */
static char vin_year_code(int model_year)
{
    static const char codes[] = "ABCDEFGHJKLMNPRSTVWXY";
    int i = model_year - 2010;
    return i >= 0 && i < (int)sizeof codes - 1 ? codes[i] : '0';
}

static int make_vin(struct demo *d, struct rng *r, const struct model *m, int model_year,
                    char out[VIN_LEN + 1])
{
    for (;;) {
        char raw[VIN_LEN + 1];
        snprintf(raw, sizeof raw, "%s%s0%c%c%06d", m->wmi, m->vds, vin_year_code(model_year),
                 m->plant, rng_int(r, 0, 999999));
        raw[8] = vin_check_digit(raw);
        if (vin_normalize(raw, out, true, &d->err) < 0)
            return -1;
        int added = demo_unique(d, "vin", out);
        if (added < 0)
            return -1;
        if (added)
            return 0;
    }
}

/* 粤B plus five letters and digits (a letter first, as most are now); new-energy cars get
 * the green 8-character plate, D for battery and F for hybrid cars. */
static int make_plate(struct demo *d, struct rng *r, bool new_energy, char out[PLATE_MAX_BYTES])
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (;;) {
        const char *prefix = rng_percent(r, 93) ? "粤B" : *PICK(r, OTHER_PLATE_PREFIXES);
        char tail[8];
        if (new_energy) {
            snprintf(tail, sizeof tail, "%c%05d", rng_percent(r, 85) ? 'D' : 'F',
                     rng_int(r, 0, 99999));
        } else {
            for (int i = 0; i < 5; i++)
                tail[i] = (char)('0' + rng_int(r, 0, 9));
            tail[5] = '\0';
            if (rng_percent(r, 75))
                tail[0] = letters[rng_below(r, sizeof letters - 1)];
            if (rng_percent(r, 25))
                tail[rng_int(r, 1, 4)] = letters[rng_below(r, sizeof letters - 1)];
        }
        char raw[PLATE_MAX_BYTES];
        snprintf(raw, sizeof raw, "%s%s", prefix, tail);
        if (plate_normalize(raw, out, NULL, &d->err) < 0)
            return -1;
        int added = demo_unique(d, "plate", out);
        if (added < 0)
            return -1;
        if (added)
            return 0;
    }
}

/* When the car was sold: a few last month or this month (first-maintenance calls, CS-3),
 * the rest spread over the years the model was sold, younger cars more often. */
static dms_day purchase_day(struct rng *r, const struct model *m, dms_day today, dms_day latest)
{
    int y, mo, dd;
    date_to_ymd(today, &y, &mo, &dd);
    dms_day earliest = date_from_ymd(m->first, 1, 1);
    if (m->last) {
        dms_day stop = date_from_ymd(m->last, 12, 31);
        if (stop < latest)
            latest = stop;
    }
    dms_day last_month = date_add_months(date_from_ymd(y, mo, 1), -1);
    if (latest == today && rng_percent(r, 4))
        return day_between(r, last_month - 1, today);
    if (earliest >= latest)
        return latest;
    if (rng_percent(r, 50) && latest - 4 * 365 > earliest)
        earliest = latest - 4 * 365;
    return earliest + rng_int(r, 0, latest - earliest);
}

/* The model year: usually the year of the sale; the next one for late-year sales, the
 * previous one for old stock early in the year. */
static int model_year_of(struct rng *r, dms_day sold, int current_year, const struct model *m)
{
    int y, mo, dd;
    date_to_ymd(sold, &y, &mo, &dd);
    int my = y;
    if (mo >= 10 && rng_percent(r, 40) && y + 1 <= current_year)
        my = y + 1;
    else if (mo <= 3 && rng_percent(r, 20) && y - 1 >= m->first)
        my = y - 1;
    return my;
}

/* Creates one car and its history; a fleet's next cars copy the first one's model, sale
 * day and model year through p. */
int demo_vehicle(struct demo *d, struct rng *r, int64_t customer_id, struct vehicle_plan *p,
                 bool batch)
{
    dms_day today = d->advisor.today;
    struct car *c = calloc(1, sizeof *c);
    struct vehicle *v = calloc(1, sizeof *v);
    int rc = -1;
    if (!c || !v) {
        dms_fail(&d->err, "db_error", NULL, "out of memory");
        goto out;
    }
    c->model = p->model ? p->model : model_pick(r, p->latest_sale);
    c->sold = p->sold ? p->sold : purchase_day(r, c->model, today, p->latest_sale);
    c->end = p->end;
    int model_year =
        p->model_year ? p->model_year : model_year_of(r, c->sold, d->current_year, c->model);
    v->customer_id = customer_id;
    if (make_vin(d, r, c->model, model_year, v->vin) < 0)
        goto out;
    v->vin_verified = true;
    /* A car sold in the last days may still wait for its plate. */
    if ((today - c->sold > 10 || rng_percent(r, 50)) &&
        make_plate(d, r, c->model->engine == ENGINE_EV, v->plate) < 0)
        goto out;
    copy(v->brand, sizeof v->brand, c->model->brand);
    copy(v->model, sizeof v->model, c->model->model);
    v->model_year = model_year;
    date_format(c->sold, v->purchase_date);
    renewal_dates(c->sold, today, v);
    int64_t km0 = rng_int(r, 0, 30); /* km: delivery and test drives */
    if (vehicles_create(d->db, &d->advisor, v, km0, &d->err) < 0)
        goto out;
    d->n_vehicles++;
    d->n_readings++;
    c->id = v->id;
    int usual = p->km_per_day ? p->km_per_day : c->model->km_per_day;
    int lo = usual * 2 / 3 < 20 ? 20 : usual * 2 / 3, hi = usual * 4 / 3 > 80 ? 80 : usual * 4 / 3;
    odometer_init(&c->odo, r, c->sold, today, km0, rng_int(r, lo, hi));
    c->cabin_day = c->fluid_day = c->sold;
    if (write_history(d, c, r, today) < 0)
        goto out;
    if (batch) {
        p->model = c->model;
        p->sold = c->sold;
        p->model_year = model_year;
    }
    rc = 0;
out:
    free(c);
    free(v);
    return rc;
}
