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
 * today and never after it.
 *
 * This file writes the store, its staff, plans and customers, and runs the whole set; each
 * car and its service history are demo_cars.c's, the state both share is demo.h's. Its
 * catalogues (staff, addresses, company names, notes, car models, parts, jobs, recalls,
 * plans) are demo_catalogue.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/demo_catalogue.h"
#include "cli/people.h"
#include "core/customer.h"
#include "core/email.h"
#include "core/phone.h"
#include "core/schedule.h"
#include "core/tasks.h"
#include "store/customers.h"
#include "store/plans.h"
#include "store/settings.h"
#include "store/stores.h"
#include "store/tasks.h"
#include "store/users.h"
#include "store/zones.h"

/* ---- random numbers (cli/people.h) ---- */

/* The stream of customer `index` under `seed`. */
static struct rng rng_for(unsigned seed, uint64_t index)
{
    struct rng r = {((uint64_t)seed << 32) ^ (index * UINT64_C(0xD1B54A32D192ED03))};
    rng_next(&r);
    return r;
}

/* ---- values handed out once (phones, plates, VINs, company names) ---- */

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

/* 1 when value is new in the demo (and now taken), 0 when taken, -1 out of memory. */
int demo_unique(struct demo *d, const char *kind, const char *value)
{
    int added = seen_add(&d->seen, kind, value);
    return added < 0 ? dms_fail(&d->err, "db_error", NULL, "out of memory") : added;
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

/* ---- phones, e-mail and addresses ---- */

/* A random mobile number (1[3-9] + 9 digits) nobody else in the demo has. */
static int make_mobile(struct demo *d, struct rng *r, char out[PHONE_MAX])
{
    for (;;) {
        char raw[24];
        snprintf(raw, sizeof raw, "%s%04d%04d", *PICK(r, MOBILE_PREFIXES), rng_int(r, 0, 9999),
                 rng_int(r, 0, 9999));
        if (phone_normalize(raw, out, NULL, "phone", &d->err) < 0)
            return -1;
        int added = demo_unique(d, "phone", out);
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
        int added = demo_unique(d, "phone", out);
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
    int added = demo_unique(d, "email", out);
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
        int added = demo_unique(d, "company", c->name);
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
        int added = demo_unique(d, "email", c->email);
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
    printf("  %ld customers, %ld vehicles, %ld service records, %ld odometer readings, "
           "%ld repair orders\n\n",
           d->n_customers, d->n_vehicles, d->n_records, d->n_readings, d->n_orders);
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
        rc = demo_orders(d, customers, seed);
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
