/* The demo's repair orders (RO-1..RO-8): a month of the workshop's days and today's, written
 * through the store's use cases (booking, check-in, lines, decisions, dispatch, clock, QC,
 * settlement, delivery) with each actor's clock set to the moment the step happens, so that
 * every rule runs, every step is audited, and the reception screen, the workshop report and
 * the dashboard have figures at the first sign-in.
 *
 * History: each open day of the last HISTORY_DAYS gets orders in proportion to the customers
 * (3-8 a day for 200), about 60 % booked (one to six days ahead, checked in at their slot),
 * the others walk-ins; maintenance and repairs, some with work found during the job that the
 * customer declines (declined work on the car) or approves, warranty lines on young cars,
 * fleet customers settling on account (receivables, most paid within weeks), a few discounts,
 * failed quality checks, late deliveries and the odd cancellation.
 *
 * Today: an order in each state (open, in progress with its technician clocked on and a
 * decision pending, QC, ready, settled, delivered) and bookings still expected. Today's steps
 * run on the workshop's clock: the time of loading kept inside the working day, at least
 * TODAY_MIN_OPEN minutes after opening and TODAY_MIN_LEFT before closing. A demo loaded at
 * 00:10 is therefore the morning already worked (its steps are "earlier today" on that clock)
 * and one loaded at 23:30 the day as it stood before closing: the same states, all valid.
 *
 * A car comes at most once in REVISIT_DAYS, and not near a visit of its archive
 * (demo_cars.c); its odometer is read between its readings before and after the day. Parts
 * come in when stock runs short (a delivery booked in by the parts manager just before the
 * job needs them), so stock never goes negative and the demo's out-of-stock parts end out of
 * stock. Deterministic for a seed and a day: the orders draw from a stream of their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "core/booking.h"
#include "core/calendar.h"
#include "core/repair_order.h"
#include "core/tz.h"
#include "store/appointments.h"
#include "store/calendar.h"
#include "store/clock.h"
#include "store/operations.h"
#include "store/parts.h"
#include "store/repair_orders.h"
#include "store/settings.h"
#include "store/slots.h"
#include "store/zones.h"

#define HISTORY_DAYS   30
#define REVISIT_DAYS   25  /* days between two visits of a car, at least */
#define TODAY_MIN_OPEN 210 /* minutes: today's clock is this long after opening, at least */
#define TODAY_MIN_LEFT 60  /* and this long before closing */
#define LAST_MINUTE    1439
#define MAX_LATER_PAYS 64

/* ---- what the cars come in for ---- */

struct visit_job {
    const char *ops, *parts, *words;
    bool oil_filter; /* and the engine's oil filter: the EA211's (04E) or the EA888's (06L) */
};

static const struct visit_job SERVICE_VISITS[] = {
    {"M01", "G055167M4:1", "做常规保养", true},
    {"M01", "G055167M4:1", "到保养里程了，做个保养", true},
    {"M01,M03", "G055167M4:1,5Q0819653:1", "保养，顺便换空调滤芯", true},
    {"M01,M02", "G055167M4:1", "保养，空气滤芯也换一下", true},
    {"M01,M04", "G055167M4:1", "保养，刹车油两年没换了", true},
};
static const struct visit_job REPAIR_VISITS[] = {
    {"B01", "5Q0698151B:1", "刹车有尖锐异响", false},
    {"D01", "", "过减速带时底盘有异响", false},
    {"E02", "", "发动机故障灯亮，怠速有点抖", false},
    {"T02", "", "方向跑偏，想做四轮定位", false},
};
static const struct visit_job EV_VISITS[] = {
    {"M05", "", "做电动车例行检查", false},
    {"E04", "", "仪表提示12V蓄电池电量低", false},
    {"M05", "", "三电系统检查", false},
};

/* Work found during the job (RO-4): what the technician proposes. */
static const struct {
    const char *op, *part_no;
    bool ev; /* also on electric cars */
} FOUND[] = {
    {"B01", "5Q0698151B", true}, /* 前刹车片剩余约 3 mm */
    {"M03", "5Q0819653", false}, /* 空调滤芯脏污 */
    {"T02", NULL, true},         /* 轮胎偏磨 */
    {"M04", NULL, false},        /* 刹车油含水量超标 */
};

/* A delivery's size when a part runs short; parts not listed come in as a job needs them. */
static const struct {
    const char *part_no;
    int64_t pack;
} PACKS[] = {
    {"G055167M4", 20}, {"06L115562", 10}, {"04E115561H", 10}, {"5Q0819653", 10}, {"5Q0698151B", 4},
};

static const char *const DAMAGE[] = {"右后门有划痕", "前保险杠左侧轻微刮擦", "左后视镜壳有裂纹",
                                     "右前轮毂刮伤", "后保险杠有小凹陷"};
static const char *const QC_FAILS[] = {
    "路试仍有轻微异响，返工检查", "复检发现螺栓扭矩不足，重新紧固", "试车故障灯仍亮，重新诊断"};
static const char *const CANCELS[] = {"客户临时有急事，车辆开走，改天再约",
                                      "客户认为报价偏高，暂不维修"};

/* ---- the state of the run ---- */

struct car {
    int64_t id, customer_id, driver_id;
    bool company, ev, young, ea888;
    dms_day record;  /* its latest service record in the archive, 0 none */
    dms_day visited; /* its last visit here, 0 none */
};

/* The last step a visit takes. */
enum goal {
    GOAL_BOOKED, /* expected: booked, not checked in */
    GOAL_OPEN,
    GOAL_IN_PROGRESS,
    GOAL_QC,
    GOAL_READY,
    GOAL_SETTLED,
    GOAL_DELIVERED,
    GOAL_CANCELLED
};

struct visit {
    struct car *car;
    const struct visit_job *job;
    bool booked, found_pending;
    enum goal goal;
    int wish; /* booked: the wished start; walk-in: the arrival (minutes) */
    /* Set by the booking: */
    bool skip; /* the day was full: the customer went elsewhere */
    int64_t appointment_id;
    struct slot_option slot;
    int arrive;
};

struct later_pay {
    int64_t receivable_id, amount_fen;
    dms_day day;
};

struct orders {
    struct demo *d;
    struct rng r;
    struct actor advisor, workshop, parts;
    const char *zone;
    struct car *cars;
    size_t n_cars;
    struct day_hours hours[HISTORY_DAYS + 1]; /* today - HISTORY_DAYS .. today */
    dms_day first;
    int until; /* the last minute steps may happen on the day being written */
    struct later_pay later[MAX_LATER_PAYS];
    size_t n_later;
    /* Scratch, too big for the stack of every helper. */
    struct appointment ap;
    struct appt_plan plan;
    struct booking_in bin;
    struct ro_check_in in;
    struct repair_order o;
};

static void clock_at(struct orders *s, struct actor *a, dms_day day, int min)
{
    if (min > LAST_MINUTE)
        min = LAST_MINUTE;
    int64_t local = (int64_t)day * 86400 + (int64_t)min * 60;
    actor_set_clock(a, tz_to_utc(zones_get(s->zone), local), s->zone);
}

static const struct day_hours *hours_of(const struct orders *s, dms_day day)
{
    return &s->hours[day - s->first];
}

static int db_fail(struct orders *s, int rc)
{
    return store_db_fail(s->d->db, rc, &s->d->err);
}

/* ---- the staff and the store's perks ---- */

static void crew_member(struct orders *s, enum role role, struct actor *out)
{
    *out = s->d->advisor;
    for (size_t i = 0; i < LEN(STAFF); i++) {
        if (STAFF[i].role == role) {
            out->user_id = s->d->users[i].id;
            out->role = role;
            out->username = s->d->users[i].username;
        }
    }
}

static int set_perks(void *ctx, void *row, struct dms_error *err)
{
    (void)ctx, (void)err;
    struct store_settings *st = row;
    copy(st->booked_perk_codes, sizeof st->booked_perk_codes, "F01");
    return 0;
}

/* RO-1: booked customers get the safety check free ("预约客户可免费享受一些维修项目"). */
static int demo_perks(struct orders *s)
{
    struct operation op = {.kind = OP_MAINTENANCE,
                           .hours_x100 = 20,
                           .bay_kind = BAY_QUICK_SERVICE,
                           .skill = SKILL_MAINTENANCE,
                           .rate_fen = 18000,
                           .active = true};
    copy(op.code, sizeof op.code, "F01");
    copy(op.name, sizeof op.name, "二十项安全检查（预约免费）");
    struct store_settings st;
    if (operations_create(s->d->db, &s->d->cli, &op, &s->d->err) < 0)
        return -1;
    return settings_update(s->d->db, &s->d->cli, set_perks, NULL, NULL, &st, &s->d->err);
}

/* ---- the cars ---- */

/* The engine of a model of the catalogue (EA211 for one it lacks). */
static enum engine engine_of(const char *model)
{
    for (size_t i = 0; i < LEN(MODELS); i++)
        if (strcmp(MODELS[i].model, model) == 0)
            return MODELS[i].engine;
    return ENGINE_EA211;
}

/* The cars of customers who still come (regular and VIP) and have no booking yet. */
static int load_cars(struct orders *s, dms_day today)
{
    struct db_res *res;
    int rc = db_query(s->d->db, &res,
                      "SELECT v.id, v.customer_id, c.type, COALESCE(v.model, ''), "
                      "COALESCE(v.purchase_date, ''), (SELECT MAX(r.date_in) FROM service_records "
                      "r WHERE r.vehicle_id = v.id), (SELECT MIN(d.id) FROM customer_drivers d "
                      "WHERE d.customer_id = c.id) FROM vehicles v JOIN customers c ON c.id = "
                      "v.customer_id WHERE v.store_id = ? AND c.classification IN ('regular', "
                      "'vip') AND NOT EXISTS (SELECT 1 FROM appointments ap WHERE ap.vehicle_id = "
                      "v.id) ORDER BY v.id",
                      "i", s->d->store.id);
    if (rc < 0)
        return db_fail(s, rc);
    size_t cap = 0;
    while ((rc = db_step(res)) == 1) {
        if (s->n_cars == cap) {
            cap = cap ? 2 * cap : 256;
            struct car *grown = realloc(s->cars, cap * sizeof *grown);
            if (!grown) {
                db_done(res);
                return dms_fail(&s->d->err, "db_error", NULL, "out of memory");
            }
            s->cars = grown;
        }
        struct car *c = &s->cars[s->n_cars++];
        memset(c, 0, sizeof *c);
        c->id = db_int(res, 0);
        c->customer_id = db_int(res, 1);
        c->company = strcmp(db_text(res, 2), "company") == 0;
        enum engine e = engine_of(db_text(res, 3));
        c->ev = e == ENGINE_EV;
        c->ea888 = e == ENGINE_EA888;
        struct dms_error ignored;
        dms_day sold = 0, record = 0;
        if (date_parse(db_text(res, 4), &sold, "date", &ignored) == 0)
            c->young = today - sold < 3 * 365;
        if (!db_is_null(res, 5) && date_parse(db_text(res, 5), &record, "date", &ignored) == 0)
            c->record = record;
        c->driver_id = db_is_null(res, 6) ? 0 : db_int(res, 6);
    }
    db_done(res);
    return rc < 0 ? db_fail(s, rc) : 0;
}

/* A car free to come on day: not near a visit of its archive or of this month; an electric
 * one only when ev_ok (one bay and one technician do them: some days none). */
static struct car *car_pick(struct orders *s, dms_day day, bool ev_ok)
{
    if (s->n_cars == 0)
        return NULL;
    size_t start = rng_below(&s->r, s->n_cars);
    /* A small demo runs short of cars: then one seen a week from a visit of its archive. */
    for (int gap = REVISIT_DAYS; gap >= 7; gap -= REVISIT_DAYS - 7) {
        for (size_t k = 0; k < s->n_cars; k++) {
            struct car *c = &s->cars[(start + k) % s->n_cars];
            int from_record = c->record ? abs(day - c->record) : gap;
            if (from_record < gap || (c->visited && abs(day - c->visited) < REVISIT_DAYS) ||
                (c->ev && !ev_ok))
                continue;
            c->visited = day;
            return c;
        }
    }
    return NULL;
}

/* The odometer on day: between the readings around it, or on from the last one. */
static int mileage_on(struct orders *s, const struct car *c, dms_day day, int64_t *km)
{
    char d[DATE_STR];
    date_format(day, d);
    dms_day days[2] = {0, 0};
    int64_t kms[2] = {0, 0};
    bool have[2] = {false, false};
    for (int k = 0; k < 2; k++) {
        struct db_res *res;
        int rc = db_query(s->d->db, &res,
                          k == 0 ? "SELECT date, km FROM mileage_readings WHERE vehicle_id = ? AND "
                                   "date <= ? ORDER BY date DESC, km DESC LIMIT 1"
                                 : "SELECT date, km FROM mileage_readings WHERE vehicle_id = ? AND "
                                   "date > ? ORDER BY date, km LIMIT 1",
                          "is", c->id, d);
        if (rc < 0)
            return db_fail(s, rc);
        if ((rc = db_step(res)) == 1) {
            struct dms_error ignored;
            have[k] = date_parse(db_text(res, 0), &days[k], "date", &ignored) == 0;
            kms[k] = db_int(res, 1);
        }
        db_done(res);
        if (rc < 0)
            return db_fail(s, rc);
    }
    if (have[0] && have[1] && days[1] > days[0])
        *km = kms[0] + (kms[1] - kms[0]) * (day - days[0]) / (days[1] - days[0]);
    else if (have[0])
        *km = kms[0] + (int64_t)(day - days[0]) * rng_int(&s->r, 25, 60);
    else
        *km = have[1] ? kms[1] : 1000;
    return 0;
}

/* ---- stock ---- */

static int add_on_hand(void *ctx, void *row, struct dms_error *err)
{
    (void)err;
    ((struct part *)row)->on_hand += *(const int64_t *)ctx;
    return 0;
}

/* A delivery booked in when fewer than qty are available (by the parts manager, at the
 * clock of the step that needs them). */
static int stock_for(struct orders *s, const struct actor *at, const char *part_no, int64_t qty)
{
    struct actor a = s->parts;
    a.now = at->now, a.today = at->today, a.now_min = at->now_min;
    struct part p;
    if (parts_get_by_no(s->d->db, &a, part_no, &p, &s->d->err) < 0)
        return -1;
    if (p.on_hand - p.reserved >= qty)
        return 0;
    int64_t add = qty - (p.on_hand - p.reserved);
    for (size_t i = 0; i < LEN(PACKS); i++)
        if (strcmp(PACKS[i].part_no, part_no) == 0 && PACKS[i].pack > add)
            add = PACKS[i].pack;
    struct part out;
    return parts_update(s->d->db, &a, p.id, add_on_hand, &add, &out, &s->d->err);
}

static int stock_for_all(struct orders *s, const struct actor *at, const struct part_request *p,
                         int n)
{
    for (int i = 0; i < n; i++)
        if (stock_for(s, at, p[i].part_no, p[i].qty) < 0)
            return -1;
    return 0;
}

/* The job's operations and parts, the oil filter of the car's engine put in. */
static int job_lists(struct orders *s, const struct visit *v, char codes[][OPERATION_CODE_MAX + 1],
                     int *n_codes, struct part_request *parts, int *n_parts)
{
    *n_parts = 0;
    if (booking_parse_codes(v->job->ops, codes, APPT_MAX_OPS, n_codes, "ops", &s->d->err) < 0 ||
        (v->job->parts[0] &&
         booking_parse_parts(v->job->parts, parts, APPT_MAX_PARTS, n_parts, &s->d->err) < 0))
        return -1;
    if (v->job->oil_filter) {
        copy(parts[*n_parts].part_no, sizeof parts[*n_parts].part_no,
             v->car->ea888 ? "06L115562" : "04E115561H");
        parts[(*n_parts)++].qty = 1;
    }
    return 0;
}

/* ---- the steps of a visit ---- */

/* The first minute on or after t that is not before prev, and not after the day's last. */
static int step_at(const struct orders *s, int prev, int t)
{
    if (t < prev)
        t = prev;
    return t > s->until ? s->until : t;
}

/* The earliest slot today for the job from minute `from` (a walk-in's: RO-2), *found 0 when
 * nothing is free today. */
static int slot_today(struct orders *s, dms_day day, int from, const struct slot_job *job,
                      struct slot_option *out, bool *found)
{
    struct slot_query q = {.job = *job, .wish_day = day, .wish_min = from};
    slot_not_before(day, from, 0, &q.not_before_day, &q.not_before_min);
    struct slot_option got[3];
    size_t n = 0;
    if (slots_find(s->d->db, s->d->store.id, &q, got, 3, &n, &s->d->err) < 0)
        return -1;
    *found = false;
    for (size_t i = 0; i < n; i++) {
        if (got[i].date == day && (!*found || got[i].start < out->start)) {
            *out = got[i];
            *found = true;
        }
    }
    return 0;
}

/* IN-4: the booking, made one to six days ahead; 0 with *slot unset when the day is full. */
static int book(struct orders *s, struct visit *v, dms_day day, struct slot_option *slot,
                bool *booked)
{
    struct booking_in *in = &s->bin;
    memset(in, 0, sizeof *in);
    in->vehicle_id = v->car->id;
    in->flex = FLEX_EXACT;
    in->source = rng_percent(&s->r, 30) ? SOURCE_OUTBOUND : SOURCE_INBOUND;
    copy(in->customer_words, sizeof in->customer_words, v->job->words);
    if (job_lists(s, v, in->codes, &in->n_codes, in->parts, &in->n_parts) < 0)
        return -1;
    struct actor a = s->advisor;
    clock_at(s, &a, day - rng_int(&s->r, 1, 6), rng_int(&s->r, 540, 1020));
    if (stock_for_all(s, &a, in->parts, in->n_parts) < 0 ||
        appointments_plan(s->d->db, &a, in->codes, in->n_codes, in->parts, in->n_parts, &s->plan,
                          &s->d->err) < 0)
        return -1;
    struct slot_query q = {.job = s->plan.job, .wish_day = day, .wish_min = v->wish};
    slot_not_before(a.today, a.now_min, 0, &q.not_before_day, &q.not_before_min);
    struct slot_option got[3];
    size_t n = 0;
    if (slots_find(s->d->db, s->d->store.id, &q, got, 3, &n, &s->d->err) < 0)
        return -1;
    *booked = false;
    for (size_t i = 0; i < n && !*booked; i++) {
        if (got[i].date != day)
            continue;
        *slot = got[i];
        *booked = true;
    }
    if (!*booked)
        return 0;
    in->day = day, in->start_min = slot->start;
    struct booking_refusal refusal;
    if (appointments_book(s->d->db, &a, in, &s->ap, &refusal, &s->d->err) < 0)
        return -1;
    *slot = (struct slot_option){day,          s->ap.start_min,    s->ap.end_min, s->ap.hold_min,
                                 s->ap.bay_id, s->ap.technician_id};
    return 0;
}

/* RO-1, RO-2: check-in at minute t. */
static int check_in(struct orders *s, const struct visit *v, dms_day day, int t, int64_t appt_id,
                    const struct slot_option *slot)
{
    struct ro_check_in *in = &s->in;
    memset(in, 0, sizeof *in);
    in->appointment_id = appt_id;
    in->vehicle_id = v->car->id;
    in->kind = -1;
    if (mileage_on(s, v->car, day, &in->mileage_km) < 0)
        return -1;
    in->fuel_eighths = rng_int(&s->r, 1, 8);
    if (rng_percent(&s->r, 20))
        copy(in->damage_notes, sizeof in->damage_notes, *PICK(&s->r, DAMAGE));
    in->by_driver = v->car->driver_id && (v->car->company || rng_percent(&s->r, 25));
    in->driver_id = in->by_driver ? v->car->driver_id : 0;
    in->waiting = slot->end - slot->start <= 90 && rng_percent(&s->r, 45);
    /* The advisor promises the slot's end with a margin (a walk-in waits for a technician). */
    int promise = (slot->end + rng_int(&s->r, 45, 75) + (appt_id ? 0 : 45) + 29) / 30 * 30;
    local_time_format(day, promise > LAST_MINUTE ? LAST_MINUTE : promise, in->promised_at);
    if (!appt_id) {
        in->has_words = true;
        copy(in->customer_words, sizeof in->customer_words, v->job->words);
        if (job_lists(s, v, in->codes, &in->n_codes, in->parts, &in->n_parts) < 0)
            return -1;
    }
    if (v->car->young && strstr(v->job->ops, "E02"))
        in->kind = SERVICE_WARRANTY;
    struct actor a = s->advisor;
    clock_at(s, &a, day, t);
    if (stock_for_all(s, &a, in->parts, in->n_parts) < 0 ||
        repair_orders_check_in(s->d->db, &a, in, &s->o, &s->d->err) < 0)
        return -1;
    s->d->n_orders++;
    return 0;
}

/* The first labour line agreed at reception: the one the technician clocks on. */
static int64_t main_line(const struct repair_order *o)
{
    for (size_t i = 0; i < o->n_lines; i++)
        if (o->lines[i].type == RO_LINE_LABOUR && !o->lines[i].perk &&
            o->lines[i].decision == DECISION_NONE)
            return o->lines[i].id;
    return 0;
}

static int set_status(struct orders *s, int64_t id, enum ro_status to, const char *reason,
                      const struct actor *a)
{
    struct booking_refusal refusal;
    repair_order_clear(&s->o);
    return repair_orders_set_status(s->d->db, a, id, to, reason, 0, 0, &s->o, &refusal, &s->d->err);
}

static int clock(struct orders *s, int64_t id, int64_t line, bool on, const struct actor *a)
{
    struct ro_line l;
    return repair_orders_clock(s->d->db, a, id, line, on, 0, &l, &s->d->err);
}

static int add_line(struct orders *s, int64_t id, enum ro_line_type type, const char *code,
                    enum ro_payer payer, bool ask, const struct actor *a, struct ro_line *out)
{
    struct ro_line_in in = {.type = type, .qty = 1, .payer = payer, .needs_approval = ask};
    copy(in.code, sizeof in.code, code);
    if (type == RO_LINE_PART && stock_for(s, a, code, 1) < 0)
        return -1;
    return repair_orders_add_line(s->d->db, a, id, &in, out, &s->d->err);
}

/* RO-4: the technician finds more work at minute t; the advisor calls the customer, who
 * declines most of it (kept on the car as declined work) unless the answer is still
 * awaited. */
static int found_work(struct orders *s, const struct visit *v, int64_t id, dms_day day, int t)
{
    size_t k = rng_below(&s->r, LEN(FOUND));
    for (size_t tries = 0; tries < LEN(FOUND); tries++, k = (k + 1) % LEN(FOUND))
        if ((FOUND[k].ev || !v->car->ev) && !strstr(v->job->ops, FOUND[k].op))
            break;
    if ((v->car->ev && !FOUND[k].ev) || strstr(v->job->ops, FOUND[k].op))
        return 0;
    struct actor w = s->workshop, a = s->advisor;
    clock_at(s, &w, day, t);
    struct ro_line labour, part = {0};
    if (add_line(s, id, RO_LINE_LABOUR, FOUND[k].op, PAYER_CUSTOMER, true, &w, &labour) < 0 ||
        (FOUND[k].part_no &&
         add_line(s, id, RO_LINE_PART, FOUND[k].part_no, PAYER_CUSTOMER, true, &w, &part) < 0))
        return -1;
    if (v->found_pending)
        return 0;
    bool approved = rng_percent(&s->r, 35);
    clock_at(s, &a, day, step_at(s, t, t + rng_int(&s->r, 10, 25)));
    const char *via = s->in.waiting ? "in_person" : "phone";
    const char *by = v->car->company ? "车队主管" : "车主本人";
    struct ro_line out;
    if (repair_orders_decide(s->d->db, &a, id, labour.id, approved, via, by, &out, &s->d->err) < 0)
        return -1;
    return part.id ? repair_orders_decide(s->d->db, &a, id, part.id, approved, via, by, &out,
                                          &s->d->err)
                   : 0;
}

/* A young car's fault is the brand's: the coil is replaced under warranty (RO-3). */
static int warranty_work(struct orders *s, int64_t id, dms_day day, int t)
{
    struct actor w = s->workshop;
    clock_at(s, &w, day, t);
    struct ro_line l;
    if (add_line(s, id, RO_LINE_LABOUR, "E03", PAYER_WARRANTY, false, &w, &l) < 0)
        return -1;
    return add_line(s, id, RO_LINE_PART, "04E905110K", PAYER_WARRANTY, false, &w, &l);
}

/* RO-7: the payments, by the methods people use; fleets mostly on account (挂账), a
 * receivable paid some weeks later. */
static int settle(struct orders *s, const struct visit *v, int64_t id, dms_day day, int t,
                  dms_day today)
{
    struct actor a = s->advisor;
    clock_at(s, &a, day, t);
    int64_t due = s->o.amount_due_fen, discount = 0, approver = 0;
    if (!v->car->company && due >= 50000 && rng_percent(&s->r, 8)) {
        discount = due / 10 / 100 * 100; /* a tenth off, whole yuan, the manager's word */
        approver = s->d->manager_id;
        due -= discount;
    }
    struct ro_payment pay[2];
    size_t n = 0;
    bool on_account = v->car->company && due > 0 && rng_percent(&s->r, 60);
    if (on_account) {
        pay[n++] = (struct ro_payment){PAY_ON_ACCOUNT, due};
    } else if (due > 0) {
        static const enum pay_method METHODS[] = {PAY_WECHAT, PAY_WECHAT, PAY_WECHAT, PAY_ALIPAY,
                                                  PAY_ALIPAY, PAY_CARD,   PAY_CARD,   PAY_CASH};
        enum pay_method m = v->car->company ? PAY_TRANSFER : *PICK(&s->r, METHODS);
        if (due > 100000 && rng_percent(&s->r, 15)) {
            pay[n++] = (struct ro_payment){PAY_CASH, 50000};
            pay[n++] = (struct ro_payment){PAY_CARD, due - 50000};
        } else {
            pay[n++] = (struct ro_payment){m, due};
        }
    }
    repair_order_clear(&s->o);
    if (repair_orders_settle(s->d->db, &a, id, pay, n, discount, approver, &s->o, &s->d->err) < 0)
        return -1;
    dms_day pay_day = day + rng_int(&s->r, 7, 28);
    if (on_account && pay_day < today && s->n_later < MAX_LATER_PAYS && rng_percent(&s->r, 75))
        s->later[s->n_later++] = (struct later_pay){s->o.receivable_id, due, pay_day};
    return 0;
}

/* Receivables paid on day (by bank transfer, the fleets' way). */
static int pay_later(struct orders *s, dms_day day)
{
    for (size_t i = 0; i < s->n_later; i++) {
        if (s->later[i].day != day)
            continue;
        struct actor a = s->advisor;
        clock_at(s, &a, day, rng_int(&s->r, 600, 960));
        struct receivable r;
        if (receivables_pay(s->d->db, &a, s->later[i].receivable_id, PAY_TRANSFER,
                            s->later[i].amount_fen, &r, &s->d->err) < 0)
            return -1;
    }
    return 0;
}

/* RO-5: the order's technician clocks on its line, unless on another line already (today's
 * jobs in work stay clocked on); *on says whether they did. */
static int clock_on(struct orders *s, int64_t id, int64_t line, const struct actor *w, bool *on)
{
    *on = false;
    if (!line || !s->o.technician_id)
        return 0;
    int64_t open = 0;
    int rc = db_query_int(s->d->db, &open,
                          "SELECT COUNT(*) FROM repair_order_clocks WHERE technician_id = ? AND "
                          "off_at IS NULL",
                          "i", s->o.technician_id);
    if (rc < 0)
        return db_fail(s, rc);
    if (open > 0)
        return 0;
    *on = true;
    return clock(s, id, line, true, w);
}

/* The visit's booking, made days before it (the first pass over a day: every booking exists
 * before the day's walk-ins look for a free bay). */
static int visit_book(struct orders *s, struct visit *v, dms_day day)
{
    v->arrive = v->wish;
    if (!v->booked)
        return 0;
    bool booked;
    if (book(s, v, day, &v->slot, &booked) < 0)
        return -1;
    v->skip = !booked;
    v->appointment_id = booked ? s->ap.id : 0;
    if (booked) /* most come a little early, some late */
        v->arrive = v->slot.start -
                    (rng_percent(&s->r, 10) ? -rng_int(&s->r, 3, 15) : rng_int(&s->r, 5, 25));
    const struct day_hours *h = hours_of(s, day);
    if (v->arrive < h->open_min - 20)
        v->arrive = h->open_min - 20;
    return 0;
}

/* A walk-in's slot: the earliest free today from its arrival (RO-2); *found false when
 * nothing is free (the walk-in does not stay: the queue is for the reception to show). */
static int walk_in_slot(struct orders *s, struct visit *v, dms_day day, int arrive, bool *found)
{
    char codes[APPT_MAX_OPS][OPERATION_CODE_MAX + 1];
    struct part_request parts[APPT_MAX_PARTS];
    int n_codes, n_parts;
    struct actor a = s->advisor;
    clock_at(s, &a, day, arrive);
    if (job_lists(s, v, codes, &n_codes, parts, &n_parts) < 0 ||
        appointments_plan(s->d->db, &a, codes, n_codes, NULL, 0, &s->plan, &s->d->err) < 0)
        return -1;
    return slot_today(s, day, arrive, &s->plan.job, &v->slot, found);
}

/* RO-5: the work, its quality check (failed now and then: back to work) and "ready". *t is
 * the minute of the step before; the order ends at the goal when that comes first. */
static int visit_work(struct orders *s, struct visit *v, int64_t id, dms_day day, int *t)
{
    struct actor w = s->workshop;
    int64_t line = main_line(&s->o);
    int start = *t;
    bool on;
    clock_at(s, &w, day, start);
    if (set_status(s, id, RO_IN_PROGRESS, NULL, &w) < 0 || clock_on(s, id, line, &w, &on) < 0)
        return -1;
    if (v->car->young && strstr(v->job->ops, "E02") &&
        warranty_work(s, id, day, step_at(s, start, start + rng_int(&s->r, 20, 40))) < 0)
        return -1;
    if ((v->found_pending || rng_percent(&s->r, 22)) &&
        found_work(s, v, id, day, step_at(s, start, start + rng_int(&s->r, 15, 30))) < 0)
        return -1;
    if (v->goal == GOAL_IN_PROGRESS)
        return 0;
    /* The work takes its standard time, give or take; now and then much longer. */
    int work = (v->slot.end - v->slot.start) * rng_int(&s->r, 85, 115) / 100;
    if (rng_percent(&s->r, 5))
        work += rng_int(&s->r, 30, 60);
    *t = step_at(s, start + 20, start + work);
    clock_at(s, &w, day, *t);
    if (on && clock(s, id, line, false, &w) < 0)
        return -1;
    *t = step_at(s, *t, *t + rng_int(&s->r, 1, 5));
    clock_at(s, &w, day, *t);
    if (set_status(s, id, RO_QC, NULL, &w) < 0)
        return -1;
    if (v->goal != GOAL_QC && rng_percent(&s->r, 6)) {
        *t = step_at(s, *t, *t + rng_int(&s->r, 10, 20));
        clock_at(s, &w, day, *t);
        if (set_status(s, id, RO_IN_PROGRESS, *PICK(&s->r, QC_FAILS), &w) < 0 ||
            clock_on(s, id, line, &w, &on) < 0)
            return -1;
        *t = step_at(s, *t, *t + rng_int(&s->r, 20, 45));
        clock_at(s, &w, day, *t);
        if ((on && clock(s, id, line, false, &w) < 0) || set_status(s, id, RO_QC, NULL, &w) < 0)
            return -1;
    }
    if (v->goal == GOAL_QC)
        return 0;
    *t = step_at(s, *t, *t + rng_int(&s->r, 10, 20));
    clock_at(s, &w, day, *t);
    return set_status(s, id, RO_READY, NULL, &w);
}

/* One visit from its arrival to its goal, each step at its minute. */
static int visit_run(struct orders *s, struct visit *v, dms_day day, dms_day today)
{
    if (v->skip || v->goal == GOAL_BOOKED)
        return 0;
    int arrive = step_at(s, 0, v->arrive);
    bool found = true;
    if (!v->booked && walk_in_slot(s, v, day, arrive, &found) < 0)
        return -1;
    if (!found)
        return 0;
    if (check_in(s, v, day, arrive, v->appointment_id, &v->slot) < 0)
        return -1;
    int64_t id = s->o.id;
    struct actor a = s->advisor;
    if (v->goal == GOAL_OPEN)
        return 0;
    if (v->goal == GOAL_CANCELLED) {
        clock_at(s, &a, day, step_at(s, arrive, arrive + rng_int(&s->r, 10, 30)));
        return set_status(s, id, RO_CANCELLED, *PICK(&s->r, CANCELS), &a);
    }
    /* RO-8's promise to booked customers: their bay is held, they go in at their slot or as
     * soon as they come; a walk-in waits for a technician to come free. */
    int t =
        v->booked
            ? step_at(s, arrive + rng_int(&s->r, 3, 10), v->slot.start - rng_int(&s->r, 0, 10))
            : step_at(s, arrive + rng_int(&s->r, 15, 50), v->slot.start + rng_int(&s->r, 10, 40));
    if (visit_work(s, v, id, day, &t) < 0)
        return -1;
    if (v->goal == GOAL_IN_PROGRESS || v->goal == GOAL_QC || v->goal == GOAL_READY)
        return 0;
    /* Waiting customers pay at once; the others come about the promised time. */
    dms_day promised_day;
    int promised;
    struct dms_error ignored;
    if (local_time_parse(s->in.promised_at, &promised_day, &promised, "promised_at", &ignored) < 0)
        promised = t;
    t = step_at(s, t + 3,
                s->in.waiting ? t + rng_int(&s->r, 5, 15) : promised - rng_int(&s->r, 15, 45));
    if (settle(s, v, id, day, t, today) < 0)
        return -1;
    if (v->goal == GOAL_SETTLED)
        return 0;
    clock_at(s, &a, day, step_at(s, t, t + rng_int(&s->r, 3, 10)));
    return set_status(s, id, RO_DELIVERED, NULL, &a);
}

static int by_arrival(const void *x, const void *y)
{
    const struct visit *a = x, *b = y;
    /* Today's jobs left in work come last: their technicians stay clocked on. */
    bool wa = a->goal == GOAL_IN_PROGRESS, wb = b->goal == GOAL_IN_PROGRESS;
    if (wa != wb)
        return wa ? 1 : -1;
    return a->arrive - b->arrive;
}

/* A day's visits: the bookings first (made days before), then each visit by arrival. */
static int day_run(struct orders *s, struct visit *v, size_t n, dms_day day, dms_day today)
{
    for (size_t i = 0; i < n; i++)
        if (visit_book(s, &v[i], day) < 0)
            return -1;
    qsort(v, n, sizeof *v, by_arrival);
    for (size_t i = 0; i < n; i++) {
        int rc = visit_run(s, &v[i], day, today);
        repair_order_clear(&s->o);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static const struct visit_job *job_pick(struct orders *s, const struct car *c)
{
    if (c->ev)
        return PICK(&s->r, EV_VISITS);
    return rng_percent(&s->r, 62) ? PICK(&s->r, SERVICE_VISITS) : PICK(&s->r, REPAIR_VISITS);
}

/* A visit of a car free on day (NULL when none is), its job drawn for the car. */
static struct visit *visit_new(struct orders *s, struct visit *x, dms_day day, bool ev_ok,
                               bool booked, enum goal goal)
{
    struct car *c = car_pick(s, day, ev_ok);
    if (!c)
        return NULL;
    memset(x, 0, sizeof *x);
    x->car = c;
    x->job = job_pick(s, c);
    x->booked = booked;
    x->goal = goal;
    return x;
}

#define MAX_PER_DAY 24

/* A past day: 3-8 orders for 200 customers, three in five booked, all delivered but the odd
 * cancelled one. */
static int history_day(struct orders *s, dms_day day, dms_day today, int customers)
{
    const struct day_hours *h = hours_of(s, day);
    if (!h->open)
        return 0;
    s->until = LAST_MINUTE;
    if (pay_later(s, day) < 0)
        return -1;
    int n = (customers * rng_int(&s->r, 60, 140) + 1800) / 3600;
    if (date_weekday(day) == 5)
        n += n / 3; /* Saturdays are busier */
    if (n > MAX_PER_DAY)
        n = MAX_PER_DAY;
    struct visit v[MAX_PER_DAY];
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        bool booked = rng_percent(&s->r, 60);
        struct visit *x = visit_new(s, &v[k], day, true, booked,
                                    rng_percent(&s->r, 3) ? GOAL_CANCELLED : GOAL_DELIVERED);
        if (!x)
            break;
        k++;
        int last = h->close_min - 120 > h->open_min ? h->close_min - 120 : h->open_min;
        x->wish = x->booked ? rng_int(&s->r, h->open_min / 30, last / 30) * 30
                            : rng_int(&s->r, h->open_min, last);
    }
    return day_run(s, v, k, day, today);
}

/* Today's visits, one per state on the reception screen, by importance: a small demo runs
 * out of cars at the end of the list. Their cars are chosen before the month's, so that the
 * month leaves them to today. */
static const struct {
    enum goal goal;
    bool booked, pending;
    int from_open, from_now; /* the wish: opening + from_open, or the clock + from_now */
} TODAY[] = {
    {GOAL_IN_PROGRESS, true, true, -1, -30}, {GOAL_READY, true, false, 60, 0},
    {GOAL_BOOKED, true, false, -1, 40},      {GOAL_DELIVERED, true, false, 0, 0},
    {GOAL_QC, false, false, -1, -120},       {GOAL_SETTLED, true, false, 30, 0},
    {GOAL_OPEN, true, false, -1, 20},        {GOAL_BOOKED, true, false, -1, 70},
    {GOAL_DELIVERED, false, false, 20, 0},   {GOAL_IN_PROGRESS, false, false, -1, -60},
    {GOAL_READY, false, false, 90, 0},       {GOAL_BOOKED, true, false, -1, 100},
};

/* The workshop's clock today (see the top): the loading time kept inside the working day. */
static int today_clock(const struct day_hours *h, int now_min)
{
    int l = now_min;
    if (l > h->close_min - TODAY_MIN_LEFT)
        l = h->close_min - TODAY_MIN_LEFT;
    if (l < h->open_min + TODAY_MIN_OPEN)
        l = h->open_min + TODAY_MIN_OPEN;
    return l;
}

static size_t today_plan(struct orders *s, dms_day today, int now_min, struct visit *v)
{
    const struct day_hours *h = hours_of(s, today);
    if (!h->open)
        return 0;
    int l = today_clock(h, now_min);
    size_t k = 0;
    for (size_t i = 0; i < LEN(TODAY); i++) {
        struct visit *x = visit_new(s, &v[k], today, false, TODAY[i].booked, TODAY[i].goal);
        if (!x)
            break;
        k++;
        x->found_pending = TODAY[i].pending;
        x->wish =
            TODAY[i].from_open >= 0 ? h->open_min + TODAY[i].from_open : l + TODAY[i].from_now;
        if (x->booked)
            x->wish = x->wish / 10 * 10;
    }
    return k;
}

int demo_orders(struct demo *d, int customers, unsigned seed)
{
    struct orders *s = calloc(1, sizeof *s);
    if (!s)
        return dms_fail(&d->err, "db_error", NULL, "out of memory");
    s->d = d;
    s->r = (struct rng){((uint64_t)seed << 32) ^ UINT64_C(0x9E3779B97F4A7C15)};
    rng_next(&s->r);
    s->zone = d->store.timezone;
    crew_member(s, ROLE_ADVISOR, &s->advisor);
    crew_member(s, ROLE_WORKSHOP, &s->workshop);
    crew_member(s, ROLE_PARTS_MANAGER, &s->parts);
    dms_day today = d->cli.today;
    s->first = today - HISTORY_DAYS;
    int rc = calendar_hours_range(d->db, d->store.id, s->first, today, s->hours, NULL, &d->err);
    if (rc == 0)
        rc = demo_perks(s);
    if (rc == 0)
        rc = load_cars(s, today);
    struct visit now[LEN(TODAY)];
    size_t n_now = rc == 0 ? today_plan(s, today, d->cli.now_min, now) : 0;
    for (dms_day day = s->first; rc == 0 && day < today; day++)
        rc = history_day(s, day, today, customers);
    if (rc == 0 && n_now) {
        s->until = today_clock(hours_of(s, today), d->cli.now_min);
        rc = day_run(s, now, n_now, today, today);
    }
    repair_order_clear(&s->o);
    free(s->cars);
    free(s);
    return rc < 0 ? -1 : 0;
}
