/* The demo store's workshop (IN-6, IN-12): bays, technicians, the catalogue of operations the
 * repair orders use, a parts master with some parts out of stock, and a few days of
 * bookings of each case so that the board, the shelves and the purchase orders have
 * something to show. Written through the storage layer, so every rule holds. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/booking.h"
#include "core/slots.h"
#include "core/workshop.h"
#include "store/appointments.h"
#include "store/operations.h"
#include "store/parts.h"
#include "store/slots.h"
#include "store/workshop.h"

static const struct {
    const char *name;
    enum bay_kind kind;
} BAYS[] = {
    {"快修一工位", BAY_QUICK_SERVICE},
    {"快修二工位", BAY_QUICK_SERVICE},
    {"快修三工位", BAY_QUICK_SERVICE},
    {"机修一工位", BAY_GENERAL},
    {"机修二工位", BAY_GENERAL},
    {"机修三工位", BAY_GENERAL},
    {"钣金工位", BAY_BODY},
    {"喷漆房", BAY_PAINT},
    {"四轮定位工位", BAY_ALIGNMENT},
    {"新能源工位", BAY_EV},
};

#define SK(s) (1u << (s))
static const struct {
    const char *name;
    unsigned skills, days; /* days: bit 0 = Monday */
} TECHS[] = {
    {"张建国", SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL), 0x3F},
    {"李志强", SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL) | SK(SKILL_ALIGNMENT), 0x7E},
    {"王海涛", SK(SKILL_MAINTENANCE) | SK(SKILL_ELECTRICAL) | SK(SKILL_DIAGNOSTICS), 0x5F},
    {"赵磊", SK(SKILL_MAINTENANCE) | SK(SKILL_EV) | SK(SKILL_ELECTRICAL), 0x7D},
    {"刘洋", SK(SKILL_BODY) | SK(SKILL_PAINT), 0x3F},
    {"陈伟", SK(SKILL_MAINTENANCE) | SK(SKILL_MECHANICAL) | SK(SKILL_DIAGNOSTICS), 0x7B},
};

static const struct {
    const char *code, *name;
    enum op_kind kind;
    int hours_x100;
    enum bay_kind bay;
    enum skill skill;
} OPS[] = {
    {"M01", "更换机油机滤", OP_MAINTENANCE, 80, BAY_QUICK_SERVICE, SKILL_MAINTENANCE},
    {"M02", "更换空气滤清器", OP_MAINTENANCE, 20, BAY_QUICK_SERVICE, SKILL_MAINTENANCE},
    {"M03", "更换空调滤清器", OP_MAINTENANCE, 30, BAY_QUICK_SERVICE, SKILL_MAINTENANCE},
    {"M04", "更换刹车油", OP_MAINTENANCE, 80, BAY_QUICK_SERVICE, SKILL_MAINTENANCE},
    {"M05", "三电系统检查", OP_MAINTENANCE, 50, BAY_EV, SKILL_EV}, /* the EVs' package */
    {"B01", "更换前刹车片", OP_REPAIR, 100, BAY_GENERAL, SKILL_MECHANICAL},
    {"D01", "底盘异响检查", OP_REPAIR, 50, BAY_GENERAL, SKILL_MECHANICAL},
    {"S01", "更换稳定杆连杆", OP_REPAIR, 60, BAY_GENERAL, SKILL_MECHANICAL},
    {"E02", "发动机故障诊断", OP_REPAIR, 50, BAY_GENERAL, SKILL_DIAGNOSTICS},
    {"E03", "更换点火线圈", OP_REPAIR, 40, BAY_GENERAL, SKILL_ELECTRICAL},
    {"T02", "四轮定位", OP_REPAIR, 100, BAY_ALIGNMENT, SKILL_ALIGNMENT},
    {"E04", "低压蓄电池检测充电", OP_REPAIR, 50, BAY_EV, SKILL_EV},
};

#define LABOUR_RATE_FEN 18000 /* fen per hour */

/* Part numbers without the spaces VW prints in them ("N 908 132 01" is N90813201). */
static const struct {
    const char *part_no, *name;
    int64_t price_fen, on_hand;
    int lead_days;
    const char *shelf;
} PARTS[] = {
    {"G055167M4", "机油 5W-30 4L", 39000, 40, 3, "A-01-01"},
    {"06L115562", "机油滤清器", 6500, 25, 3, "A-01-02"},
    {"04E115561H", "机油滤清器", 6500, 18, 3, "A-01-03"},
    {"5Q0819653", "空调滤清器", 9800, 12, 5, "A-02-01"},
    {"5Q0698151B", "前刹车片（套）", 68000, 3, 7, "B-01-01"},
    {"5Q0411315A", "前稳定杆连杆", 32000, 0, 6, "B-02-01"},
    {"04E905110K", "点火线圈", 42000, 0, 5, "C-01-01"},
};

static int setup(struct db *db, const struct actor *a, struct dms_error *err)
{
    for (size_t i = 0; i < sizeof BAYS / sizeof BAYS[0]; i++) {
        struct bay b = {.kind = BAYS[i].kind, .active = true};
        snprintf(b.code, sizeof b.code, "B%02zu", i + 1);
        snprintf(b.name, sizeof b.name, "%s", BAYS[i].name);
        if (bays_create(db, a, &b, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof TECHS / sizeof TECHS[0]; i++) {
        struct technician t = {
            .skills = TECHS[i].skills, .work_days = TECHS[i].days, .active = true};
        snprintf(t.name, sizeof t.name, "%s", TECHS[i].name);
        if (technicians_create(db, a, &t, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        struct operation o = {.kind = OPS[i].kind,
                              .hours_x100 = OPS[i].hours_x100,
                              .bay_kind = OPS[i].bay,
                              .skill = OPS[i].skill,
                              .rate_fen = LABOUR_RATE_FEN,
                              .active = true};
        snprintf(o.code, sizeof o.code, "%s", OPS[i].code);
        snprintf(o.name, sizeof o.name, "%s", OPS[i].name);
        if (operations_create(db, a, &o, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
        struct part p = {.price_fen = PARTS[i].price_fen,
                         .on_hand = PARTS[i].on_hand,
                         .lead_days = PARTS[i].lead_days,
                         .active = true};
        snprintf(p.part_no, sizeof p.part_no, "%s", PARTS[i].part_no);
        snprintf(p.name, sizeof p.name, "%s", PARTS[i].name);
        snprintf(p.shelf, sizeof p.shelf, "%s", PARTS[i].shelf);
        if (parts_create(db, a, &p, err) < 0)
            return -1;
    }
    return 0;
}

/* A few bookings of each case today and over the next days (case D: on or after the parts
 * arrive). */
static const struct {
    int day, hour; /* days after today, wished hour */
    const char *ops, *parts;
    const char *words;
} BOOKINGS[] = {
    {1, 9, "M01", "G055167M4:1,06L115562:1", "做常规保养"},
    {1, 10, "M01,M03", "G055167M4:1,04E115561H:1,5Q0819653:1", "保养，顺便换空调滤"},
    {1, 14, "D01", "", "过减速带时底盘有异响"},
    {1, 9, "B01", "5Q0698151B:1", "刹车有尖锐异响"},
    {2, 9, "M01", "G055167M4:1,06L115562:1", "保养"},
    {2, 13, "T02", "", "方向跑偏，想做四轮定位"},
    {3, 10, "E04", "", "提示12V蓄电池电量低"},
    {7, 9, "E02,E03", "04E905110K:1", "发动机故障灯亮，怠速抖动"},
    /* Today's, for the welcome board (MR-7); after closing time they fall to tomorrow. */
    {0, 15, "M01", "G055167M4:1,06L115562:1", "做保养"},
    {0, 16, "D01", "", "底盘有异响"},
    {0, 17, "E04", "", "蓄电池检测"},
};

static int book(struct db *db, const struct actor *a, struct dms_error *err)
{
    size_t n;
    int64_t vid = 0;
    for (size_t i = 0; i < sizeof BOOKINGS / sizeof BOOKINGS[0]; i++) {
        /* Every 7th private customer's car of the store, in id order (the welcome board greets
         * people: 王先生). */
        int rc =
            db_query_int(db, &vid,
                         "SELECT v.id FROM vehicles v JOIN customers c ON c.id = v.customer_id "
                         "WHERE v.store_id = ? AND c.type = 'individual' ORDER BY v.id "
                         "LIMIT 1 OFFSET ?",
                         "ii", a->store_id, (int64_t)(i * 7));
        if (rc <= 0)
            return rc < 0 ? store_db_fail(db, rc, err) : 0;
        struct booking_in in = {.vehicle_id = vid,
                                .flex = FLEX_EXACT,
                                .source = SOURCE_INBOUND,
                                .wait_for_parts = true};
        if (booking_parse_codes(BOOKINGS[i].ops, in.codes, APPT_MAX_OPS, &in.n_codes, "ops", err) <
                0 ||
            booking_parse_parts(BOOKINGS[i].parts, in.parts, APPT_MAX_PARTS, &in.n_parts, err) < 0)
            return -1;
        snprintf(in.customer_words, sizeof in.customer_words, "%s", BOOKINGS[i].words);
        struct appt_plan plan;
        if (appointments_plan(db, a, in.codes, in.n_codes, in.parts, in.n_parts, &plan, err) < 0)
            return -1;
        struct slot_query q = {.job = plan.job,
                               .wish_day = a->today + BOOKINGS[i].day,
                               .wish_min = BOOKINGS[i].hour * 60};
        slot_not_before(a->today, a->now_min, plan.short_parts ? plan.parts_day : 0,
                        &q.not_before_day, &q.not_before_min);
        struct slot_option o[1];
        if (slots_find(db, a->store_id, &q, o, 1, &n, err) < 0)
            return -1;
        if (n == 0)
            continue;
        in.day = o[0].date, in.start_min = o[0].start;
        struct appointment ap;
        struct booking_refusal refusal;
        if (appointments_book(db, a, &in, &ap, &refusal, err) < 0)
            return -1;
    }
    return 0;
}

int demo_workshop(struct db *db, const struct actor *setup_actor, const struct actor *advisor,
                  struct dms_error *err)
{
    return setup(db, setup_actor, err) < 0 ? -1 : book(db, advisor, err);
}
