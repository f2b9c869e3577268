/* The demo data set: `dms demo` and `dms serve --demo` fill a new store with what the
 * after-sales archive of an FAW-Volkswagen dealership in Shenzhen looks like after years of
 * use: one account per staff role, private and fleet customers with their phones, drivers
 * (CRM-5), needs (CRM-6) and classes (CRM-2), their cars, and each car's service history
 * from the sale to today with odometer readings from visits and calls. A new user of
 * `make run` sees this first, so it reads like a real archive, in Chinese where staff write
 * Chinese.
 *
 * Everything goes through the storage interface (store.h) in one transaction, so the audit
 * log and the search index fill exactly as in real use, and a failure leaves nothing behind.
 *
 * Deterministic: the same seed gives the same people, cars and records. Each customer draws
 * from a stream of its own (splitmix64 over seed and index), so customer k does not change
 * when the history of an earlier one does. Dates are laid out backwards from the store's
 * today and never after it; each car's odometer is one increasing function of the date
 * (struct odometer), and every reading is sampled from it in date order, so mileage_add and
 * service_records_create never see a reading that goes backwards.
 *
 * Its catalogues (staff, addresses, company names, notes, car models, parts, jobs, recalls,
 * plans) are demo_catalogue.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo_catalogue.h"
#include "cli/people.h"
#include "core/customer.h"
#include "core/email.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/schedule.h"
#include "core/service_record.h"
#include "core/tasks.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/customers.h"
#include "store/plans.h"
#include "store/service_records.h"
#include "store/settings.h"
#include "store/stores.h"
#include "store/tasks.h"
#include "store/users.h"
#include "store/vehicles.h"
#include "store/zones.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- random numbers (cli/people.h) ---- */

/* The stream of customer `index` under `seed`. */
static struct rng rng_for(unsigned seed, uint64_t index)
{
    struct rng r = {((uint64_t)seed << 32) ^ (index * UINT64_C(0xD1B54A32D192ED03))};
    rng_next(&r);
    return r;
}

#define PICK(r, table) (&(table)[rng_below((r), LEN(table))])

/* ---- values handed out once (phones, plates, VINs, company names) ---- */

/* Open addressing over 64-bit FNV-1a hashes; a hash collision only costs a redraw. */
struct seen {
    uint64_t *slots;
    size_t cap, used;
};

static uint64_t seen_hash(const char *kind, const char *value)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    for (const char *s = kind; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001B3);
    for (const char *s = value; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001B3);
    return h ? h : 1;
}

static bool seen_insert_hash(struct seen *s, uint64_t h)
{
    size_t i = (size_t)(h % s->cap);
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return false;
        i = (i + 1) % s->cap;
    }
    s->slots[i] = h;
    s->used++;
    return true;
}

/* 1 when value is new (and now taken), 0 when it was handed out before, -1 out of memory. */
static int seen_add(struct seen *s, const char *kind, const char *value)
{
    if (2 * (s->used + 1) > s->cap) {
        struct seen grown = {calloc(s->cap ? 2 * s->cap : 4096, sizeof *s->slots), 0, 0};
        if (!grown.slots)
            return -1;
        grown.cap = s->cap ? 2 * s->cap : 4096;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->slots[i])
                seen_insert_hash(&grown, s->slots[i]);
        }
        free(s->slots);
        *s = grown;
    }
    return seen_insert_hash(s, seen_hash(kind, value)) ? 1 : 0;
}

/* ---- people ---- */

struct person {
    char name[64];
    const struct syllables *surname, *given;
    bool male;
};

static void person_pick(struct rng *r, int male_percent, const struct syllables *surname,
                        struct person *p)
{
    p->male = rng_percent(r, male_percent);
    if (!surname)
        surname = &SURNAMES[rng_skewed(r, LEN(SURNAMES))];
    const struct syllables *given = p->male ? PICK(r, MALE_NAMES) : PICK(r, FEMALE_NAMES);
    snprintf(p->name, sizeof p->name, "%s%s", surname->han, given->han);
    p->surname = surname;
    p->given = given;
}

/* ---- addresses in Shenzhen ---- */

static const struct area *area_pick(struct rng *r)
{
    return rng_percent(r, 55) ? &AREAS[rng_below(r, 6)] : PICK(r, AREAS);
}

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
#define FIRST_SERVICE_DAYS   90    /* days after the sale */
#define FIRST_SERVICE_KM     3000  /* km */
#define SERVICE_DAYS         182   /* days */
#define SERVICE_KM_MIN       5000  /* km */
#define SERVICE_KM_MAX       7500  /* km, what the repair order tells the customer */
#define EV_SERVICE_DAYS      365   /* days */
#define EV_SERVICE_KM        15000 /* km */
#define AIR_FILTER_KM        15000 /* km */
#define CABIN_FILTER_KM      10000 /* km */
#define CABIN_FILTER_DAYS    365   /* days */
#define BRAKE_FLUID_DAYS     730   /* days */
#define SPARK_PLUG_KM        40000 /* km */
#define DSG_OIL_KM           60000 /* km, wet dual-clutch gearboxes (EA888 cars) */
#define WARRANTY_DAYS        (3 * 365)
#define WARRANTY_KM          100000
#define LABOUR_RATE_2016_FEN 14000 /* fen per hour, rises 400 fen a year */
#define LABOUR_RATE_STEP_FEN 400

/* ---- the generator's state ---- */

struct demo {
    struct db *db;
    struct dms_error err;
    struct actor cli;     /* the command line: creates the store and the staff */
    struct actor advisor; /* writes the archive and the repair orders */
    struct actor caller;  /* records what callers hear: mileage, contact confirmations */
    struct store_info store;
    struct user users[LEN(STAFF)];
    char passwords[LEN(STAFF)][32];
    int64_t manager_id;
    int current_year;
    struct seen seen;
    struct customer customer; /* scratch, too big for the stack of every helper */
    long n_customers, n_vehicles, n_records, n_readings;
};

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

/* ---- small helpers ---- */

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

static int year_of(dms_day d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y;
}

/* 1 when value is new in the demo (and now taken), 0 when taken, -1 out of memory. */
static int unique(struct demo *d, const char *kind, const char *value)
{
    int added = seen_add(&d->seen, kind, value);
    return added < 0 ? dms_fail(&d->err, "db_error", NULL, "out of memory") : added;
}

/* A random mobile number (1[3-9] + 9 digits) nobody else in the demo has. */
static int make_mobile(struct demo *d, struct rng *r, char out[PHONE_MAX])
{
    for (;;) {
        char raw[24];
        snprintf(raw, sizeof raw, "%s%04d%04d", *PICK(r, MOBILE_PREFIXES), rng_int(r, 0, 9999),
                 rng_int(r, 0, 9999));
        if (phone_normalize(raw, out, NULL, "phone", &d->err) < 0)
            return -1;
        int added = unique(d, "phone", out);
        if (added < 0)
            return -1;
        if (added)
            return 0;
    }
}

/* A Shenzhen landline: 0755 and eight digits starting 2, 3, 8 or 6. */
static int make_landline(struct demo *d, struct rng *r, char out[PHONE_MAX])
{
    static const char first[] = "2386";
    for (;;) {
        char raw[24];
        snprintf(raw, sizeof raw, "0755-%c%03d%04d", first[rng_below(r, 4)], rng_int(r, 0, 999),
                 rng_int(r, 0, 9999));
        if (phone_normalize(raw, out, NULL, "phone", &d->err) < 0)
            return -1;
        int added = unique(d, "phone", out);
        if (added < 0)
            return -1;
        if (added)
            return 0;
    }
}

/* An address nobody else in the demo has, or none (out[0] = '\0'). */
static int make_email(struct demo *d, struct rng *r, const struct person *p, char out[EMAIL_MAX])
{
    char raw[EMAIL_MAX];
    switch (rng_int(r, 0, 5)) {
    case 0:
        snprintf(raw, sizeof raw, "%s%s@%s", p->given->pinyin, p->surname->pinyin,
                 *PICK(r, EMAIL_DOMAINS));
        break;
    case 1:
        snprintf(raw, sizeof raw, "%s.%s@%s", p->surname->pinyin, p->given->pinyin,
                 *PICK(r, EMAIL_DOMAINS));
        break;
    case 2:
        snprintf(raw, sizeof raw, "%s%s%02d@%s", p->surname->pinyin, p->given->pinyin,
                 rng_int(r, 0, 99), *PICK(r, EMAIL_DOMAINS));
        break;
    default: /* a QQ number */
        snprintf(raw, sizeof raw, "%d%d@qq.com", rng_int(r, 1, 9), rng_int(r, 1000, 99999999));
        break;
    }
    if (email_normalize(raw, out, "email", &d->err) < 0)
        return -1;
    int added = unique(d, "email", out);
    if (added == 0)
        out[0] = '\0';
    return added < 0 ? -1 : 0;
}

static void make_address(struct rng *r, bool company, char *out, size_t cap)
{
    const struct area *a = area_pick(r);
    if (company)
        snprintf(out, cap, "深圳市%s%s%d号%s%d楼", a->district, a->street, rng_int(r, 1, 388),
                 *PICK(r, BUILDINGS), rng_int(r, 2, 18));
    else
        snprintf(out, cap, "深圳市%s%s%d号%s%d栋%d%02d", a->district, a->street, rng_int(r, 1, 388),
                 a->estates[rng_below(r, 3)], rng_int(r, 1, 28), rng_int(r, 2, 32),
                 rng_int(r, 1, 8));
}

/* Checks generated text the way the API checks what people type. */
static int clean(struct demo *d, const char *field, char *text, size_t cap, long max_chars,
                 bool multiline)
{
    char buf[CUSTOMER_NOTES_CHARS * 4 + 1];
    if (text_clean(text, buf, sizeof buf, max_chars, multiline, false, field, &d->err) < 0)
        return -1;
    copy(text, cap, buf);
    return 0;
}

/* ---- the store and its staff ---- */

static int demo_store(struct demo *d, const char *code)
{
    struct store_info existing;
    int found = stores_find_code(d->db, code, &existing, &d->err);
    if (found < 0)
        return -1;
    if (found)
        return dms_fail(&d->err, "conflict", "store",
                        "store code %s is taken; choose another with --store CODE", code);
    char name[256];
    if (strcmp(code, "DEMO") == 0)
        copy(name, sizeof name, "一汽-大众 深圳宝安 4S 店（演示）");
    else
        snprintf(name, sizeof name, "一汽-大众 深圳宝安 4S 店（演示 %s）", code);
    return stores_add(d->db, &d->cli, code, name, STORE_DEFAULT_TIMEZONE, &d->store, &d->err);
}

/* ---- maintenance plans (MR-1, IN-7) ---- */

/* One periodic-maintenance package: oil and filter change with the engine's consumables. */
static void plan_from_kit(struct plan *p, const char *brand, const char *model, const struct kit *k,
                          int64_t rate_fen)
{
    memset(p, 0, sizeof *p);
    copy(p->brand, sizeof p->brand, brand);
    copy(p->model, sizeof p->model, model);
    p->iv = (struct plan_intervals){
        .interval_km = 5000, .interval_months = 6, .first_km = 3000, .first_months = 3};
    copy(p->package_name, sizeof p->package_name, "常规保养（更换机油机滤）");
    struct plan_op *op = &p->ops[p->n_ops++];
    copy(op->code, sizeof op->code, "M01");
    copy(op->name, sizeof op->name, "更换机油机滤");
    op->hours_x100 = k->oil_hours_x100;
    op->labour_fen = k->oil_hours_x100 * rate_fen / 100;
    const struct {
        const struct kit_part *part;
        int qty, lead_days;
    } lines[] = {{&k->oil, 1, 3},
                 {&k->oil_1l, k->oil_1l_qty, 3},
                 {&k->oil_filter, 1, 7},
                 {&k->drain_plug, 1, 7}};
    for (size_t i = 0; i < LEN(lines); i++) {
        if (!lines[i].part->part_no || lines[i].qty == 0)
            continue;
        struct plan_part *pt = &p->parts[p->n_parts++];
        copy(pt->part_no, sizeof pt->part_no, lines[i].part->part_no);
        copy(pt->name, sizeof pt->name, lines[i].part->name);
        pt->qty = lines[i].qty;
        pt->unit_price_fen = lines[i].part->price_fen;
        pt->lead_days = lines[i].lead_days;
    }
}

/* The demo store's phone number, for the messages (store_edit on its settings). */
static int demo_store_phone(void *ctx, void *row, struct dms_error *err)
{
    (void)ctx, (void)err;
    struct store_settings *s = row;
    copy(s->store_phone, sizeof s->store_phone, "075527781234");
    return 0;
}

/* The store's plans: the brand's package, the bigger engines' and the electric cars' own,
 * and the second brands it services; plus the store's phone for the reminder texts. */
static int demo_plans(struct demo *d)
{
    int64_t rate = LABOUR_RATE_2016_FEN + (int64_t)(d->current_year - 2016) * LABOUR_RATE_STEP_FEN;
    struct plan *p = calloc(1, sizeof *p);
    if (!p)
        return dms_fail(&d->err, "db_error", NULL, "out of memory");
    int rc = 0;
    bool created;
    for (size_t i = 0; rc == 0 && i < LEN(PLANS); i++) {
        plan_from_kit(p, PLANS[i].brand, PLANS[i].model, &KITS[PLANS[i].engine], rate);
        rc = plans_put(d->db, &d->cli, p, &created, &d->err);
    }
    /* Electric cars: no oil; a yearly check with the cabin filter. */
    for (size_t i = 0; rc == 0 && i < LEN(EVS); i++) {
        memset(p, 0, sizeof *p);
        copy(p->brand, sizeof p->brand, "大众");
        copy(p->model, sizeof p->model, EVS[i]);
        p->iv = (struct plan_intervals){
            .interval_km = 10000, .interval_months = 12, .first_km = 5000, .first_months = 6};
        copy(p->package_name, sizeof p->package_name, "电动车常规检查");
        p->n_ops = 1;
        /* M05: in the workshop's catalogue (demo_workshop.c), so the package can be booked. */
        copy(p->ops[0].code, sizeof p->ops[0].code, "M05");
        copy(p->ops[0].name, sizeof p->ops[0].name, "三电系统检查");
        p->ops[0].hours_x100 = 50;
        p->ops[0].labour_fen = 50 * rate / 100;
        p->n_parts = 1;
        const struct kit_part *f = &KITS[ENGINE_EV].cabin_filter;
        copy(p->parts[0].part_no, sizeof p->parts[0].part_no, f->part_no);
        copy(p->parts[0].name, sizeof p->parts[0].name, f->name);
        p->parts[0].qty = 1;
        p->parts[0].unit_price_fen = f->price_fen;
        p->parts[0].lead_days = 7;
        rc = plans_put(d->db, &d->cli, p, &created, &d->err);
    }
    free(p);
    struct store_settings now;
    if (rc == 0)
        rc = settings_update(d->db, &d->cli, demo_store_phone, NULL, NULL, &now, &d->err);
    return rc;
}

/* "advisor", or "advisor.demo2" when a store loaded earlier has taken the plain name. */
static int staff_username(struct demo *d, const char *base, char out[USERNAME_MAX + 1])
{
    copy(out, USERNAME_MAX + 1, base);
    struct user other;
    int taken = users_find_name(d->db, out, &other, &d->err);
    if (taken <= 0)
        return taken;
    char suffix[40];
    size_t n = 0;
    for (const char *c = d->store.code; *c && n + 1 < sizeof suffix; c++)
        suffix[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    suffix[n] = '\0';
    snprintf(out, USERNAME_MAX + 1, "%s.%.*s", base, (int)(USERNAME_MAX - strlen(base) - 1),
             suffix);
    return 0;
}

static int demo_staff(struct demo *d)
{
    d->cli.store_id = d->store.id;
    for (size_t i = 0; i < LEN(STAFF); i++) {
        char username[USERNAME_MAX + 1];
        if (staff_username(d, STAFF[i].username, username) < 0)
            return -1;
        cli_random_password(d->passwords[i]);
        struct user_new u = {username, STAFF[i].display_name, d->passwords[i], STAFF[i].role,
                             STAFF[i].role == ROLE_ADMIN};
        if (users_add(d->db, &d->cli, &u, &d->users[i], &d->err) < 0)
            return -1;
        struct actor *as = STAFF[i].role == ROLE_ADVISOR  ? &d->advisor
                           : STAFF[i].role == ROLE_CALLER ? &d->caller
                                                          : NULL;
        if (as) {
            *as = d->cli;
            as->user_id = d->users[i].id;
            as->role = STAFF[i].role;
            as->username = d->users[i].username;
        }
        if (STAFF[i].role == ROLE_SERVICE_MANAGER)
            d->manager_id = d->users[i].id;
    }
    return 0;
}

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
        int added = unique(d, "vin", out);
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
        int added = unique(d, "plate", out);
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

struct vehicle_plan {
    const struct model *model; /* NULL: pick one */
    dms_day sold;              /* 0: pick one */
    int model_year;            /* 0: pick one */
    dms_day end;               /* the last day the owner comes */
    dms_day latest_sale;
    int km_per_day;
};

/* Creates one car and its history; a fleet's next cars copy the first one's model, sale
 * day and model year through p. */
static int demo_vehicle(struct demo *d, struct rng *r, int64_t customer_id, struct vehicle_plan *p,
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

/* ---- customers ---- */

/* The class decides how the history ends (CRM-2): lost customers stopped coming 6-18
 * months ago, those at risk 3-6 months ago; the others still come. */
static enum customer_class class_pick(struct rng *r, bool company)
{
    int x = rng_int(r, 0, 99);
    if (x < (company ? 25 : 10))
        return CLASS_VIP;
    if (x < (company ? 30 : 18))
        return CLASS_AT_RISK;
    if (x < (company ? 35 : 30))
        return CLASS_LOST;
    return CLASS_REGULAR;
}

static dms_day last_visit_day(struct rng *r, enum customer_class cls, dms_day today)
{
    switch (cls) {
    case CLASS_LOST:
        return today - rng_int(r, 180, 540);
    case CLASS_AT_RISK:
        return today - rng_int(r, 95, 175);
    default:
        return today;
    }
}

static void pick_needs(struct rng *r, struct customer *c, bool company)
{
    if (!rng_percent(r, company ? 50 : 30))
        return;
    int n = rng_int(r, 1, 2);
    enum customer_need first = NEED_PICKUP;
    for (int i = 0; i < n; i++) {
        enum customer_need need =
            company && i == 0 ? NEED_PICKUP : (enum customer_need)rng_int(r, 0, NEED_COUNT - 1);
        if (i == 0)
            first = need;
        c->needs |= 1u << need;
    }
    if (rng_percent(r, 60))
        copy(c->needs_note, sizeof c->needs_note, NEED_NOTES[first][rng_below(r, 3)]);
}

static void pick_consent(struct rng *r, struct customer *c)
{
    c->consent[CONSENT_PHONE] = rng_percent(r, 95);
    c->consent[CONSENT_SMS] = rng_percent(r, 85);
    c->consent[CONSENT_EMAIL] = c->email[0] && rng_percent(r, 80);
    c->consent[CONSENT_MARKETING] = rng_percent(r, 40);
}

static int add_driver(struct demo *d, struct rng *r, int64_t customer_id, const char *name,
                      const char *relation)
{
    struct driver drv;
    memset(&drv, 0, sizeof drv);
    drv.customer_id = customer_id;
    copy(drv.name, sizeof drv.name, name);
    copy(drv.relation, sizeof drv.relation, relation);
    if (make_mobile(d, r, drv.phone) < 0)
        return -1;
    return drivers_add(d->db, &d->advisor, &drv, &d->err);
}

/* CRM-4: some customers confirmed their details in a call, a few declined to. */
static int confirm_contact(struct demo *d, struct rng *r, int64_t id)
{
    int x = rng_int(r, 0, 99);
    if (x < 20)
        return customers_confirm_contact(d->db, &d->caller, id, true, *PICK(r, CONFIRMED_NOTES),
                                         &d->err);
    if (x < 23)
        return customers_confirm_contact(d->db, &d->caller, id, false,
                                         "客户表示不方便，未核对联系方式，不再追问。", &d->err);
    return 0;
}

static int individual_fill(struct demo *d, struct rng *r, struct customer *c, struct person *p)
{
    person_pick(r, 62, NULL, p);
    copy(c->name, sizeof c->name, p->name);
    copy(c->title, sizeof c->title, p->male ? "先生" : "女士");
    c->type = CUSTOMER_INDIVIDUAL;
    if (make_mobile(d, r, c->phones[0].number) < 0)
        return -1;
    c->phones[0].label = PHONE_LABEL_MOBILE;
    c->n_phones = 1;
    if (rng_percent(r, 18)) {
        bool landline = rng_percent(r, 40);
        if ((landline ? make_landline(d, r, c->phones[1].number)
                      : make_mobile(d, r, c->phones[1].number)) < 0)
            return -1;
        c->phones[1].label = landline ? PHONE_LABEL_HOME : PHONE_LABEL_WORK;
        c->n_phones = 2;
    }
    if (rng_percent(r, 30) && make_email(d, r, p, c->email) < 0)
        return -1;
    if (rng_percent(r, 70))
        make_address(r, false, c->address, sizeof c->address);
    return 0;
}

static int company_fill(struct demo *d, struct rng *r, struct customer *c, struct person *contact)
{
    /* A name not used yet: 312 brand and trade pairs, then branch offices; a big demo
     * (tens of thousands of customers) may repeat one, as real archives do. */
    const struct syllables *brand = NULL;
    for (int attempt = 0; attempt < 64; attempt++) {
        brand = PICK(r, COMPANY_BRANDS);
        const char *trade = *PICK(r, INDUSTRIES);
        if (attempt < 16)
            snprintf(c->name, sizeof c->name, "深圳市%s%s有限公司", brand->han, trade);
        else
            snprintf(c->name, sizeof c->name, "深圳市%s%s有限公司%.*s分公司", brand->han, trade, 6,
                     area_pick(r)->district); /* 宝安区 -> 宝安 */
        int added = unique(d, "company", c->name);
        if (added < 0)
            return -1;
        if (added)
            break;
    }
    c->type = CUSTOMER_COMPANY;
    if (rng_percent(r, 50))
        copy(c->title, sizeof c->title, "经理");
    person_pick(r, 60, NULL, contact);
    if (make_mobile(d, r, c->phones[0].number) < 0 || make_landline(d, r, c->phones[1].number) < 0)
        return -1;
    c->phones[0].label = PHONE_LABEL_MOBILE;
    c->phones[1].label = PHONE_LABEL_WORK;
    c->n_phones = 2;
    if (rng_percent(r, 70)) {
        char raw[EMAIL_MAX];
        snprintf(raw, sizeof raw, "%s@sz%s.com", rng_percent(r, 50) ? "admin" : "fleet",
                 brand->pinyin);
        if (email_normalize(raw, c->email, "email", &d->err) < 0)
            return -1;
        int added = unique(d, "email", c->email);
        if (added < 0)
            return -1;
        if (added == 0)
            c->email[0] = '\0';
    }
    make_address(r, true, c->address, sizeof c->address);
    snprintf(c->notes, sizeof c->notes, "车队联系人：%s（%s），%s。", contact->name,
             rng_percent(r, 50) ? "行政部" : "车队主管",
             rng_percent(r, 60) ? "月结客户，开增值税专用发票" : "每次结算后开票");
    return 0;
}

static int demo_customer(struct demo *d, unsigned seed, int index)
{
    struct rng r = rng_for(seed, (uint64_t)index);
    dms_day today = d->advisor.today;
    struct customer *c = &d->customer;
    memset(c, 0, sizeof *c);
    struct person p;
    bool company = rng_percent(&r, 15);
    if ((company ? company_fill(d, &r, c, &p) : individual_fill(d, &r, c, &p)) < 0)
        return -1;
    c->classification = class_pick(&r, company);
    pick_consent(&r, c);
    pick_needs(&r, c, company);
    dms_day end = last_visit_day(&r, c->classification, today);
    if (c->classification == CLASS_LOST && rng_percent(&r, 70))
        copy(c->notes, sizeof c->notes, *PICK(&r, LOST_NOTES));
    else if (!company && rng_percent(&r, 12))
        copy(c->notes, sizeof c->notes, *PICK(&r, INDIVIDUAL_NOTES));
    if (clean(d, "name", c->name, sizeof c->name, CUSTOMER_NAME_CHARS, false) < 0 ||
        clean(d, "address", c->address, sizeof c->address, CUSTOMER_ADDRESS_CHARS, false) < 0 ||
        clean(d, "needs_note", c->needs_note, sizeof c->needs_note, 500, true) < 0 ||
        clean(d, "notes", c->notes, sizeof c->notes, CUSTOMER_NOTES_CHARS, true) < 0)
        return -1;
    if (customers_create(d->db, &d->advisor, c, &d->err) < 0)
        return -1;
    d->n_customers++;
    int64_t id = c->id;
    bool vip = c->classification == CLASS_VIP;

    /* CRM-5: who else brings the car in. */
    if (company) {
        int drivers = rng_int(&r, 1, 2);
        for (int i = 0; i < drivers; i++) {
            struct person drv;
            person_pick(&r, 90, NULL, &drv);
            if (add_driver(d, &r, id, drv.name, "司机") < 0)
                return -1;
        }
    } else if (rng_percent(&r, vip ? 30 : 13)) {
        struct person drv;
        const char *relation;
        if (vip && rng_percent(&r, 50)) {
            person_pick(&r, 95, NULL, &drv);
            relation = "司机";
        } else if (rng_percent(&r, 60)) {
            person_pick(&r, p.male ? 0 : 100, NULL, &drv);
            relation = p.male ? "妻子" : "丈夫";
        } else {
            person_pick(&r, 50, p.surname, &drv); /* a son or daughter */
            relation = "家人";
        }
        if (add_driver(d, &r, id, drv.name, relation) < 0)
            return -1;
    }
    if (confirm_contact(d, &r, id) < 0)
        return -1;

    /* Cars: fleets buy a batch of one model, private owners one, sometimes two. */
    struct vehicle_plan plan = {NULL, 0, 0, end, today, 0};
    if (end < today)
        plan.latest_sale = end - 200;
    int cars = company ? rng_int(&r, 2, 5) : rng_percent(&r, 12) ? 2 : 1;
    if (company)
        plan.km_per_day = rng_int(&r, 45, 65);
    bool batch = company && rng_percent(&r, 70);
    for (int i = 0; i < cars; i++) {
        if (demo_vehicle(d, &r, id, &plan, batch && i == 0) < 0)
            return -1;
    }
    return 0;
}

/* ---- the whole set ---- */

static void print_result(const struct demo *d)
{
    printf("Demo store %s loaded: %s\n", d->store.code, d->store.name);
    printf("  %ld customers, %ld vehicles, %ld service records, %ld odometer readings\n\n",
           d->n_customers, d->n_vehicles, d->n_records, d->n_readings);
    int width = 8;
    for (size_t i = 0; i < LEN(STAFF); i++) {
        int n = (int)strlen(d->users[i].username);
        width = n > width ? n : width;
    }
    printf("Staff accounts (the passwords are shown only this once):\n");
    printf("  %-*s  %-16s %s\n", width, "username", "role", "password");
    for (size_t i = 0; i < LEN(STAFF); i++)
        printf("  %-*s  %-16s %s%s\n", width, d->users[i].username, role_name(d->users[i].role),
               d->passwords[i],
               d->users[i].must_change_password ? "   (change it at first sign-in)" : "");
    printf("\nSign in at the URL that dms serve prints below.\n\n");
    fflush(stdout);
}

/* The call lists of the last few days, as if the store had been running: their follow-ups and
 * reminder calls are still open today, so a caller opening the workbench has a day's work
 * (the morning run of dms serve then adds today's). */
static int demo_past_lists(struct demo *d)
{
    struct actor a = d->advisor;
    a.username = "scheduler";
    for (int back = 4; back >= 1; back--) {
        struct generate_counts c;
        if (tasks_generate(d->db, &a, d->cli.today - back, &c, &d->err) < 0)
            return -1;
    }
    return 0;
}

/* Some of those calls already made, as the callers would have (reached, declined, no answer,
 * undecided…): the dashboard's reach rates have figures (RPT-2), and part of the older lists
 * and all of yesterday's are still open today. */
static int demo_past_calls(struct demo *d)
{
    static const int PLAN[] = {OUTCOME_REACHED,   OUTCOME_NO_ANSWER, -1,
                               OUTCOME_DECLINED,  OUTCOME_REACHED,   -1,
                               OUTCOME_UNDECIDED, OUTCOME_BUSY};
    int64_t ids[256];
    size_t n = 0;
    char before[DATE_STR];
    date_format(d->cli.today - 1, before);
    struct db_res *res;
    int rc = db_query(d->db, &res,
                      "SELECT id FROM tasks WHERE store_id = ? AND status = 'open' "
                      "AND type <> 'maintenance_message' AND due_date < ? ORDER BY id",
                      "is", d->store.id, before);
    if (rc < 0)
        return store_db_fail(d->db, rc, &d->err);
    while (n < sizeof ids / sizeof ids[0] && (rc = db_step(res)) == 1)
        ids[n++] = db_int(res, 0);
    db_done(res);
    if (rc < 0)
        return store_db_fail(d->db, rc, &d->err);
    for (size_t i = 0; i < n; i++) {
        int outcome = PLAN[i % (sizeof PLAN / sizeof PLAN[0])];
        if (outcome < 0)
            continue;
        struct attempt_in in = {.outcome = (enum call_outcome)outcome,
                                .notes = "",
                                .mileage_km = -1,
                                .special_needs = ""};
        struct task t;
        if (tasks_record_attempt(d->db, &d->caller, ids[i], &in, &t, &d->err) < 0)
            return -1;
    }
    return 0;
}

/* The whole set in one transaction: all of it or nothing. */
static int demo_write(struct demo *d, const char *code, int customers, unsigned seed)
{
    int rc = db_begin(d->db, true);
    if (rc < 0) {
        store_db_fail(d->db, rc, &d->err);
        return -1;
    }
    rc = demo_store(d, code);
    if (rc == 0)
        rc = demo_staff(d);
    if (rc == 0)
        rc = demo_plans(d);
    for (int i = 0; rc == 0 && i < customers; i++)
        rc = demo_customer(d, seed, i);
    if (rc == 0)
        rc = demo_workshop(d->db, &d->cli, &d->advisor, &d->err);
    if (rc == 0)
        rc = demo_past_lists(d);
    if (rc == 0)
        rc = demo_past_calls(d);
    if (rc == 0 && (rc = db_commit(d->db)) < 0)
        store_db_fail(d->db, rc, &d->err);
    if (rc < 0)
        db_rollback(d->db);
    return rc < 0 ? -1 : 0;
}

int demo_load(struct db *db, const char *code, int customers, unsigned seed, bool print)
{
    struct demo *d = calloc(1, sizeof *d);
    if (!d) {
        fprintf(stderr, "dms: demo: out of memory\n");
        return 1;
    }
    d->db = db;
    cli_actor(&d->cli, 0);
    d->current_year = year_of(d->cli.today);
    int rc = demo_write(d, code, customers, seed);
    if (rc < 0)
        cli_fail("demo", &d->err);
    else if (print)
        print_result(d);
    free(d->seen.slots);
    free(d);
    return rc < 0 ? 1 : 0;
}
