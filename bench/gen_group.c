/* dms-gen: fills a database with a realistic dealer group, for the benchmarks of the
 * maintenance schedule (MR-1) and the daily call lists (MR-2..MR-6, CS-1..CS-8).
 *
 *   dms-gen --db URL --customers N [--stores K] [--years Y] [--seed S] [--today YYYY-MM-DD]
 *           [--no-search-index] [--keep-indexes] [--no-recompute] [--orders-per-day N]
 *
 * Creates stores G1..GK, one franchise each (FAW-VW, FAW-Audi, GAC-Toyota, Honda, in turn)
 * with its maintenance plans, and N customers spread over them with ~1.3 cars each. Every
 * car has its sale reading, Y+ years of service history (maintenance when due by time or
 * distance, a little early or late and sometimes done elsewhere; repairs, warranty work,
 * accidents, recalls), each repair order with 1-3 labour and 1-3 parts lines and its
 * odometer reading, a few readings from calls, and, for many, the insurance and annual
 * inspection expiry dates (CS-8). The search index (IN-3) is filled as the store would.
 * Finally schedule_recompute() computes every car's next due date, as `dms` does
 * (--no-recompute leaves that to bench_reminders), and each store gets a month of the
 * reception's repair orders (RO-1..RO-8; --orders-per-day, default 100, 0 for none): the 30
 * days up to today, booked and walk-in cars, their labour and parts lines with payers and
 * decisions, waits, clocked minutes, promised and delivery times (a few back within 30 days
 * for the same work), and today's orders in every state, for the reception list and the
 * workshop report (bench_workshop).
 *
 * Speed. Rows go straight into the tables with SQL through db.h: nobody edited them, so
 * there are no audit rows, and the per-row store functions (with their checks and reads)
 * would take hours for a million customers. Customers are generated in chunks; each chunk
 * is written table by table, parents first, as multi-row INSERTs on SQLite (measured: 4-5
 * rows a statement take ~40 % less time than one a statement, mostly the AUTOINCREMENT
 * bookkeeping each statement does; db.h binds at most 32 parameters) and as one INSERT ...
 * SELECT FROM unnest(arrays) per table on PostgreSQL (one round trip per table and chunk,
 * where one statement a row costs a round trip each). All values are bound as text; SQLite
 * stores integer columns' digits as integers (column affinity), PostgreSQL casts. The
 * secondary indexes of the loaded tables are dropped first and rebuilt from their own
 * definitions at the end (--keep-indexes keeps them): sorting once is far cheaper than
 * millions of random B-tree inserts. Memory does not grow with N: phones, plates and VINs
 * are unique by construction (a keyed bijection of a counter), not by remembering them.
 *
 * Deterministic: the same seed, N, K, Y and --today give the same data. Each customer draws
 * from a random stream of its own (splitmix64 over seed and index).
 *
 * Use it on a new database, or one without stores G1..GK; a run that fails half-way leaves
 * an incomplete database. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/people.h"
#include "core/customer.h"
#include "core/email.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/repair_order.h"
#include "core/schedule.h"
#include "core/searchkey.h"
#include "core/service_record.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/migrate.h"
#include "store/plans.h"
#include "store/store.h"
#include "store/stores.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#define MAX_STORES     64
#define CHUNK          500   /* customers generated, then written table by table */
#define TX_CUSTOMERS   20000 /* customers per transaction */
#define PROGRESS_EVERY 100000
#define MAX_PARAMS     32         /* what db.h binds in one statement (DB_MAX_PARAMS) */
#define LOCAL_OFFSET   (8 * 3600) /* Asia/Shanghai, seconds east of UTC */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- random numbers: splitmix64 streams, and a keyed bijection for unique values ---- */

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static struct rng rng_for(uint64_t seed, uint64_t index)
{
    struct rng r = {mix64(seed) ^ (index * UINT64_C(0xD1B54A32D192ED03))};
    rng_next(&r);
    return r;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

#define PICK(r, table) ((table)[rng_below((r), LEN(table))])

/* A bijection of [0, n) chosen by key: a 4-round Feistel network over the smallest even
 * number of bits that covers n, walked until it lands inside [0, n) again. Distinct
 * counters give distinct values that look random: phones, plates and VIN serials. */
static uint64_t permute(uint64_t x, uint64_t n, uint64_t key)
{
    int bits = 2;
    while (bits < 62 && (UINT64_C(1) << bits) < n)
        bits += 2;
    int half = bits / 2;
    uint64_t mask = (UINT64_C(1) << half) - 1;
    do {
        uint64_t l = x >> half, r = x & mask;
        for (uint64_t round = 0; round < 4; round++) {
            uint64_t f = mix64(r ^ key ^ (round << 56)) & mask;
            uint64_t t = l ^ f;
            l = r;
            r = t;
        }
        x = (l << half) | r;
    } while (x >= n);
    return x;
}

/* ---- people ---- */

static const char *const COMPANY_WORDS[] = {"顺达", "鹏程", "华信", "永利", "安泰", "恒通",
                                            "联创", "宏远", "金辉", "嘉禾", "远航", "骏马",
                                            "南粤", "天成", "海纳", "兴业", "盛世", "鑫源"};
static const char *const INDUSTRIES[] = {"物流",     "建筑工程", "电子科技",   "贸易",
                                         "汽车租赁", "物业管理", "供应链管理", "医疗器械",
                                         "环保科技", "信息技术", "实业"};
static const char *const STREETS[] = {"宝民二路", "前进二路", "凤凰大道", "新沙路",   "鹤洲路",
                                      "科苑南路", "南山大道", "景田北路", "福华三路", "吉华路",
                                      "五和大道", "龙翔大道", "民治大道", "观澜大道", "东门中路"};
static const char *const ESTATES[] = {"富华花园", "天骄世家", "桃源居",   "阳光海湾", "锦绣花园",
                                      "京基御景", "鹤洲花园", "半岛城邦", "景田花园", "万科城",
                                      "四季花城", "水榭春天", "潜龙花园", "鸿业苑",   "星河国际"};
static const char *const EMAIL_DOMAINS[] = {"163.com",  "126.com",     "139.com",
                                            "sina.com", "foxmail.com", "hotmail.com"};
static const char *const NEED_NOTES[] = {"保养完送车到公司楼下", "上门取车，地址同家庭住址",
                                         "保险到期前一个月提醒续保", "保养后免费洗车",
                                         "周六上午方便"};
static const char *const CUSTOMER_NOTES[] = {
    "老客户，介绍过朋友来店购车。", "对价格比较敏感，报价请说明工时和材料费。",
    "工作日白天不方便接电话，请发短信。", "只接受原厂配件。", "喜欢提前预约，一般选周六上午。"};

/* ---- cars: franchises, models, maintenance kits and jobs ---- */

enum kit_id { KIT_VW, KIT_TOYOTA, KIT_HONDA, KIT_OTHER, KIT_EV, KIT_COUNT };

struct model {
    const char *brand, *model;
    const char *wmi, *vds; /* VIN positions 1-3 and 4-8 */
    char plant;            /* VIN position 11 */
    int first_year;        /* on sale since */
    int weight;            /* share among the franchise's cars */
    enum kit_id kit;
};

static const struct model VW_MODELS[] = {
    {"大众", "速腾", "LFV", "2A2BU", '3', 2012, 22, KIT_VW},
    {"大众", "宝来", "LFV", "2A1BS", 'F', 2012, 16, KIT_VW},
    {"大众", "迈腾", "LFV", "3A23C", '3', 2012, 16, KIT_VW},
    {"大众", "探岳", "LFV", "3B2FH", 'K', 2018, 12, KIT_VW},
    {"大众", "高尔夫", "LFV", "2A1AU", 'F', 2012, 6, KIT_VW},
    {"大众", "探歌", "LFV", "2B1FS", 'F', 2018, 6, KIT_VW},
    {"大众", "CC", "LFV", "3A2CN", '3', 2012, 4, KIT_VW},
    {"大众", "ID.4 CROZZ", "LFV", "6E2ZA", 'F', 2021, 6, KIT_EV},
};
static const struct model AUDI_MODELS[] = {
    {"奥迪", "A4L", "LFV", "3A24G", 'C', 2012, 26, KIT_VW},
    {"奥迪", "A6L", "LFV", "3A28F", 'C', 2012, 22, KIT_VW},
    {"奥迪", "Q5L", "LFV", "3B2FY", 'C', 2018, 22, KIT_VW},
    {"奥迪", "Q3", "LFV", "2B1FU", 'F', 2013, 12, KIT_VW},
    {"奥迪", "A3", "LFV", "2A1GY", 'F', 2014, 10, KIT_VW},
    {"奥迪", "Q4 e-tron", "LFV", "6E2ZE", 'F', 2022, 4, KIT_EV},
};
static const struct model TOYOTA_MODELS[] = {
    {"丰田", "凯美瑞", "LVG", "BM4FK", '1', 2012, 24, KIT_TOYOTA},
    {"丰田", "汉兰达", "LVG", "BH7FK", '1', 2012, 12, KIT_TOYOTA},
    {"丰田", "雷凌", "LVG", "BE2EV", '1', 2014, 18, KIT_TOYOTA},
    {"丰田", "致炫", "LVG", "BV4EA", '1', 2014, 8, KIT_TOYOTA},
    {"丰田", "卡罗拉", "LFM", "AP2E1", '4', 2012, 22, KIT_TOYOTA},
    {"丰田", "RAV4荣放", "LFM", "AR4A5", '4', 2013, 14, KIT_TOYOTA},
};
static const struct model HONDA_MODELS[] = {
    {"本田", "雅阁", "LHG", "CV1G3", '5', 2012, 26, KIT_HONDA},
    {"本田", "飞度", "LHG", "GK5A1", '5', 2012, 12, KIT_HONDA},
    {"本田", "思域", "LVH", "FC1G7", 'B', 2016, 24, KIT_HONDA},
    {"本田", "CR-V", "LVH", "RW2H8", 'B', 2012, 30, KIT_HONDA},
};
/* The owners' other cars, serviced where the owner is a customer already. */
static const struct model OTHER_MODELS[] = {
    {"别克", "英朗", "LSG", "KB54H", 'S', 2012, 20, KIT_OTHER},
    {"日产", "轩逸", "LGB", "H52E1", 'G', 2012, 24, KIT_OTHER},
    {"比亚迪", "秦PLUS", "LGX", "CH6CD", 'S', 2021, 18, KIT_EV},
    {"特斯拉", "Model 3", "LRW", "3E7FA", 'C', 2020, 12, KIT_EV},
    {"宝马", "3系", "LBV", "8Y102", 'S', 2012, 14, KIT_OTHER},
    {"奔驰", "C级", "LE4", "ZF4HB", 'K', 2012, 12, KIT_OTHER},
};

struct plan_iv {
    int first_km, first_months, interval_km, interval_months;
};

static const struct franchise {
    const char *name, *city;
    const char *plate_prefix; /* the city's plates */
    const char *area_code;    /* landlines */
    const struct model *models;
    size_t n_models;
    struct plan_iv plan; /* the brand's plan (MR-1) */
    bool store_default;  /* the store keeps a plan for other brands too */
} FRANCHISES[] = {
    {"一汽-大众", "深圳宝安", "粤B", "0755", VW_MODELS, LEN(VW_MODELS), {5000, 6, 7500, 12}, false},
    {"一汽奥迪",
     "深圳福田",
     "粤B",
     "0755",
     AUDI_MODELS,
     LEN(AUDI_MODELS),
     {5000, 6, 10000, 12},
     true},
    {"广汽丰田",
     "广州天河",
     "粤A",
     "020",
     TOYOTA_MODELS,
     LEN(TOYOTA_MODELS),
     {5000, 6, 5000, 6},
     false},
    {"东风本田",
     "东莞南城",
     "粤S",
     "0769",
     HONDA_MODELS,
     LEN(HONDA_MODELS),
     {5000, 6, 5000, 6},
     true},
};

static const struct plan_iv EV_PLAN = {5000, 6, 10000, 12};     /* model plans of electric cars */
static const struct plan_iv STORE_DEFAULT = {5000, 6, 5000, 6}; /* brand '' model '' */
static const struct plan_iv BUILTIN = {PLAN_DEFAULT_FIRST_KM, PLAN_DEFAULT_FIRST_MONTHS,
                                       PLAN_DEFAULT_INTERVAL_KM, PLAN_DEFAULT_INTERVAL_MONTHS};

/* Plates of customers from elsewhere. */
static const char *const OTHER_PLATES[] = {"粤A", "粤S", "粤E", "湘A", "湘L", "赣B", "桂A", "川A"};

struct kit_part {
    const char *part_no, *name;
    int64_t price_fen; /* per unit */
    int lead_days;     /* to order when out of stock (MR-6) */
};

struct op {
    const char *code, *name;
    int hours_x100;
};

/* A periodic maintenance: the main operation and parts, and what may come with it. */
static const struct kit {
    struct op main_op;
    struct kit_part main_part, second_part; /* oil and its filter; EV: cabin filter, washer fluid */
    struct op extra_ops[3];
    struct kit_part extra_parts[3];
} KITS[KIT_COUNT] = {
    [KIT_VW] = {{"M01", "更换机油机滤", 60},
                {"G 055 167 M4", "机油 5W-30 4L", 39000, 0},
                {"04E115561H", "机油滤清器", 6500, 0},
                {{"M02", "常规保养检查", 30},
                 {"M03", "更换空气滤芯", 20},
                 {"M04", "更换空调滤芯", 20}},
                {{"5Q0129620B", "空气滤清器", 12800, 2},
                 {"5Q0819653", "空调滤清器", 9800, 0},
                 {"04E905612C", "火花塞", 6800, 3}}},
    [KIT_TOYOTA] = {{"M01", "更换机油机滤", 50},
                    {"08880-13705", "丰田原厂机油 0W-20 4L", 36000, 0},
                    {"90915-YZZE1", "机油滤清器", 4800, 0},
                    {{"M02", "常规保养检查", 30},
                     {"M05", "四轮换位", 40},
                     {"M04", "更换空调滤芯", 20}},
                    {{"17801-0T030", "空气滤清器", 9500, 2},
                     {"87139-0N010", "空调滤清器", 8500, 0},
                     {"90430-12031", "放油螺塞垫片", 500, 0}}},
    [KIT_HONDA] = {{"M01", "更换机油机滤", 50},
                   {"08218-99974", "本田原厂机油 0W-20 4L", 35000, 0},
                   {"15400-RTA-003", "机油滤清器", 4500, 0},
                   {{"M02", "常规保养检查", 30},
                    {"M03", "更换空气滤芯", 20},
                    {"M04", "更换空调滤芯", 20}},
                   {{"17220-6A0-A00", "空气滤清器", 11000, 2},
                    {"80292-TBA-A11", "空调滤清器", 9000, 0},
                    {"94109-14000", "放油螺塞垫片", 500, 0}}},
    [KIT_OTHER] = {{"M01", "更换机油机滤", 60},
                   {"OIL-5W30-4L", "全合成机油 5W-30 4L", 42000, 0},
                   {"OF-GEN-01", "机油滤清器", 6800, 1},
                   {{"M02", "常规保养检查", 30},
                    {"M03", "更换空气滤芯", 20},
                    {"M04", "更换空调滤芯", 20}},
                   {{"AF-GEN-01", "空气滤清器", 13000, 3},
                    {"CF-GEN-01", "空调滤清器", 11000, 2},
                    {"BF-DOT4-1L", "刹车油 DOT4 1L", 12000, 0}}},
    [KIT_EV] = {{"E10", "高压系统安全检查", 50},
                {"11A819644", "空调滤清器（含活性炭）", 26000, 2},
                {"G 052 164 M2", "玻璃清洗液", 3000, 0},
                {{"M05", "四轮换位", 40}, {"E11", "冷却液液位检查", 20}, {"M06", "刹车油检测", 20}},
                {{"B 000 750 M3", "刹车油 DOT4 1L", 12000, 0},
                 {"5QD955425", "前雨刮片（套）", 26000, 3},
                 {"G 013 A8J M1", "冷却液 1.5L", 8000, 0}}},
};

/* A repair, warranty, accident or recall job: 1-3 operations and 1-3 parts. */
static const struct job {
    enum service_kind kind;
    const char *notes;
    struct op ops[3];
    struct {
        struct kit_part part;
        int qty;
    } parts[3];
} JOBS[] = {
    {SERVICE_REPAIR,
     "客户反映刹车时有尖锐异响。检查前刹车片剩余约 2 mm，更换前刹车片。",
     {{"B01", "更换前刹车片", 100}},
     {{{"BP-FRONT", "前刹车片（套）", 68000, 2}, 1}}},
    {SERVICE_REPAIR,
     "客户反映早上启动困难。检测蓄电池健康度 45%，更换蓄电池。",
     {{"E01", "更换蓄电池", 30}},
     {{{"BAT-12V60", "蓄电池 12V 60Ah", 98000, 1}, 1}}},
    {SERVICE_REPAIR,
     "右前轮胎侧面鼓包，更换前轮两条轮胎并做四轮定位。",
     {{"T01", "拆装轮胎及动平衡", 60}, {"T02", "四轮定位", 100}},
     {{{"TYRE-2254517", "轮胎 225/45 R17", 85000, 3}, 2}, {{"VALVE-01", "气门嘴", 1500, 0}, 2}}},
    {SERVICE_REPAIR,
     "过减速带时前部有咯噔声，左前稳定杆连杆球头松旷，更换。",
     {{"D01", "底盘异响检查", 50}, {"S01", "更换稳定杆连杆", 60}},
     {{{"SL-FRONT-L", "前稳定杆连杆", 32000, 5}, 1}}},
    {SERVICE_REPAIR,
     "空调制冷效果差，检测冷媒不足，抽真空后加注冷媒。",
     {{"A01", "空调系统检测", 50}, {"A02", "抽真空加注冷媒", 80}},
     {{{"R1234YF-500", "冷媒 R1234yf 500g", 28000, 0}, 1}, {{"AC-OIL", "压缩机油", 6000, 0}, 1}}},
    {SERVICE_REPAIR,
     "发动机故障灯亮、怠速抖动，读取故障码 P0301，更换 1 缸点火线圈和火花塞。",
     {{"E02", "发动机故障诊断", 50}, {"E03", "更换点火线圈", 40}, {"E04", "更换火花塞", 60}},
     {{{"IC-01", "点火线圈", 42000, 3}, 1}, {{"SP-01", "火花塞", 6800, 3}, 4}}},
    {SERVICE_REPAIR,
     "前雨刮刮不干净、有跳动，更换前雨刮片。",
     {{"W01", "更换雨刮片", 20}},
     {{{"WB-FRONT", "前雨刮片（套）", 26000, 0}, 1}}},
    {SERVICE_WARRANTY,
     "冷却液液位报警，检查水泵渗漏。保修期内更换水泵总成，客户无需付费。",
     {{"WE01", "更换水泵总成", 180}},
     {{{"WP-ASSY", "水泵总成", 145000, 7}, 1}, {{"COOLANT-1.5", "冷却液 1.5L", 8000, 0}, 2}}},
    {SERVICE_WARRANTY,
     "左前车窗升降时有异响、偶尔卡滞，保修更换车窗升降器。",
     {{"WB01", "更换左前车窗升降器", 120}},
     {{{"WR-FL", "左前车窗升降器", 68000, 7}, 1}}},
    {SERVICE_ACCIDENT,
     "追尾事故，前保险杠及左前大灯损坏，保险理赔。",
     {{"P01", "前保险杠拆装钣金", 200}, {"P02", "前保险杠喷漆", 300}, {"P03", "更换左前大灯", 80}},
     {{{"BUMPER-F", "前保险杠皮", 120000, 10}, 1},
      {{"HL-FL", "左前大灯总成", 260000, 14}, 1},
      {{"PAINT-01", "油漆辅料", 45000, 0}, 1}}},
    {SERVICE_ACCIDENT,
     "倒车刮擦右后门及后翼子板，钣金喷漆，客户自费。",
     {{"P04", "右后门钣金", 150}, {"P05", "右后门及翼子板喷漆", 400}},
     {{{"PAINT-01", "油漆辅料", 60000, 0}, 1}}},
    {SERVICE_RECALL,
     "召回活动：检查并更换后轴纵臂固定螺栓，厂家承担费用。",
     {{"RC01", "检查更换后轴纵臂螺栓", 80}},
     {{{"RC-BOLT-KIT", "纵臂螺栓套件", 0, 0}, 1}}},
    {SERVICE_OTHER,
     "新车加装行车记录仪及全包围脚垫。",
     {{"X01", "加装行车记录仪", 80}},
     {{{"DVR-01", "行车记录仪", 59000, 3}, 1}, {{"MAT-01", "全包围脚垫", 68000, 3}, 1}}},
};

static const char *const MAINTENANCE_NOTES[] = {
    "客户要求保养后洗车。", "检查轮胎磨损正常，建议下次保养时做四轮换位。",
    "提醒客户刹车片剩余约 5 mm。", "客户自带机油，仅收取工时费。", "客户等待取车。"};

/* ---- the tables written, and their buffered rows ---- */

enum table_id {
    T_CUSTOMERS,
    T_PHONES,
    T_VEHICLES,
    T_RECORDS,
    T_LABOUR,
    T_PARTS,
    T_READINGS,
    T_TERMS,
    T_COUNT
};

/* Columns and their types (i: integer, t: text), in the order rows are added. Written in
 * this order, parents first. */
static const struct table_def {
    const char *name, *cols, *types;
} TABLES[T_COUNT] = {
    [T_CUSTOMERS] = {"customers",
                     "id, store_id, name, title, type, classification, email, address, "
                     "consent_sms, consent_email, consent_phone, consent_marketing, needs, "
                     "needs_note, notes, contact_confirmed_at, created_at, updated_at, "
                     "preferred_channel, sms_opted_out_at",
                     "iittttttiiiiittttttt"},
    [T_PHONES] = {"customer_phones", "store_id, customer_id, position, number, label", "iiitt"},
    [T_VEHICLES] = {"vehicles",
                    "id, store_id, customer_id, vin, vin_verified, plate, brand, model, "
                    "model_year, purchase_date, mileage_km, mileage_date, created_at, "
                    "updated_at, insurance_expiry, inspection_expiry",
                    "iiititttitittttt"},
    [T_RECORDS] = {"service_records",
                   "id, store_id, vehicle_id, customer_id, date_in, date_out, mileage_km, "
                   "kind, technician, notes, labour_fen, parts_fen, total_fen, created_at",
                   "iiiittitttiiit"},
    [T_LABOUR] = {"service_labour", "record_id, position, code, operation, hours_x100, amount_fen",
                  "iittii"},
    [T_PARTS] = {"service_parts",
                 "record_id, position, part_no, name, qty, unit_price_fen, amount_fen", "iittiii"},
    [T_READINGS] = {"mileage_readings",
                    "store_id, vehicle_id, date, km, source, service_record_id, created_at",
                    "iititit"},
    [T_TERMS] = {"search_terms", "store_id, term, kind, entity_id, field, pos", "ittiti"},
};

#define NO_VALUE SIZE_MAX

struct buf {
    char *p;
    size_t len, cap;
};

struct table {
    const struct table_def *def;
    int ncols;
    int per_stmt;              /* SQLite: rows per INSERT */
    char *sql[MAX_PARAMS + 1]; /* SQLite: by number of rows; PostgreSQL: sql[0] */
    struct buf text;           /* the buffered values, each NUL-terminated */
    size_t *val;               /* offset of each value in text, NO_VALUE for NULL */
    size_t nval, cap_val;
    int64_t rows, total;
};

static int buf_reserve(struct buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

static int buf_add(struct buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n + 1) < 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

/* ---- the generator's state ---- */

struct store {
    int64_t id;
    char code[16];
    const struct franchise *fr;
    uint64_t plates, green_plates; /* counters behind the store's unique plates */
    int64_t customers, vehicles;
};

struct counts {
    int64_t records[SERVICE_KIND_COUNT];
    int64_t readings[MILEAGE_SOURCE_COUNT];
    int64_t insurance, inspection, no_plate;
};

struct gen {
    struct db *db;
    bool pg;
    uint64_t seed;
    int64_t n_customers;
    int n_stores, years;
    dms_day today;
    bool search_index, keep_indexes, recompute;
    int orders_per_day; /* repair orders per store and day of the last month */
    struct store stores[MAX_STORES];
    int64_t next_customer, next_vehicle, next_record;
    uint64_t mobiles, landlines;
    uint32_t *vin_serials; /* per model and model year */
    struct table t[T_COUNT];
    struct counts n;
    char **index_sql; /* the dropped indexes' definitions */
    size_t n_index;
    char error[600];
};

static int fail(struct gen *g, const char *what)
{
    snprintf(g->error, sizeof g->error, "%s: %s", what, g->db ? db_errmsg(g->db) : "");
    return -1;
}

static int oom(struct gen *g)
{
    snprintf(g->error, sizeof g->error, "out of memory");
    return -1;
}

static int fail_err(struct gen *g, const char *what, const struct dms_error *err)
{
    snprintf(g->error, sizeof g->error, "%s: %s", what, err->message);
    return -1;
}

static int count_cols(const char *cols)
{
    int n = 1;
    for (const char *c = cols; *c; c++)
        n += *c == ',';
    return n;
}

/* The INSERT of n rows on SQLite: VALUES (?, ...), ... */
static char *sqlite_insert(const struct table_def *d, int ncols, int rows)
{
    struct buf b = {0};
    char head[512];
    snprintf(head, sizeof head, "INSERT INTO %s (%s) VALUES ", d->name, d->cols);
    int rc = buf_add(&b, head, strlen(head));
    for (int r = 0; rc == 0 && r < rows; r++) {
        rc = buf_add(&b, r ? ", (" : "(", r ? 3 : 1);
        for (int c = 0; rc == 0 && c < ncols; c++)
            rc = buf_add(&b, c ? ", ?" : "?", c ? 3 : 1);
        if (rc == 0)
            rc = buf_add(&b, ")", 1);
    }
    if (rc < 0) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* The INSERT on PostgreSQL: one array parameter per column. */
static char *pg_insert(const struct table_def *d, int ncols)
{
    struct buf b = {0};
    char head[512];
    snprintf(head, sizeof head, "INSERT INTO %s (%s) SELECT * FROM unnest(", d->name, d->cols);
    int rc = buf_add(&b, head, strlen(head));
    for (int c = 0; rc == 0 && c < ncols; c++) {
        const char *p = d->types[c] == 't' ? "?::text[]" : "?::bigint[]";
        if (c)
            rc = buf_add(&b, ", ", 2);
        if (rc == 0)
            rc = buf_add(&b, p, strlen(p));
    }
    if (rc == 0)
        rc = buf_add(&b, ")", 1);
    if (rc < 0) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

static int tables_init(struct gen *g)
{
    for (int i = 0; i < T_COUNT; i++) {
        struct table *t = &g->t[i];
        t->def = &TABLES[i];
        t->ncols = count_cols(t->def->cols);
        if ((int)strlen(t->def->types) != t->ncols || t->ncols > MAX_PARAMS) {
            snprintf(g->error, sizeof g->error, "table %s: columns and types differ", t->def->name);
            return -1;
        }
        t->per_stmt = MAX_PARAMS / t->ncols;
        if (g->pg) {
            if (!(t->sql[0] = pg_insert(t->def, t->ncols)))
                return oom(g);
        } else {
            for (int r = 1; r <= t->per_stmt; r++) {
                if (!(t->sql[r] = sqlite_insert(t->def, t->ncols, r)))
                    return oom(g);
            }
        }
    }
    return 0;
}

static void tables_free(struct gen *g)
{
    for (int i = 0; i < T_COUNT; i++) {
        for (int r = 0; r <= MAX_PARAMS; r++)
            free(g->t[i].sql[r]);
        free(g->t[i].text.p);
        free(g->t[i].val);
    }
}

/* Adds one value to the row being built (NULL: SQL NULL). */
static int put_text(struct table *t, const char *s)
{
    if (t->nval == t->cap_val) {
        size_t cap = t->cap_val ? 2 * t->cap_val : 1024;
        size_t *v = realloc(t->val, cap * sizeof *v);
        if (!v)
            return -1;
        t->val = v;
        t->cap_val = cap;
    }
    if (!s) {
        t->val[t->nval++] = NO_VALUE;
        return 0;
    }
    size_t at = t->text.len;
    if (buf_add(&t->text, s, strlen(s)) < 0)
        return -1;
    t->text.len++; /* keep the NUL: values lie back to back */
    t->val[t->nval++] = at;
    return 0;
}

static int put_int(struct table *t, int64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRId64, v);
    return put_text(t, s);
}

static int put_date(struct table *t, dms_day d)
{
    char s[DATE_STR];
    date_format(d, s);
    return put_text(t, s);
}

/* A store-local time of day on day d, as the UTC timestamp the tables keep. */
static int put_stamp(struct table *t, dms_day d, int local_minutes)
{
    char s[TIMESTAMP_STR];
    timestamp_format_utc((int64_t)d * 86400 + local_minutes * 60 - LOCAL_OFFSET, s);
    return put_text(t, s);
}

/* Ends a row: checks that it has every column. */
static int row_end(struct gen *g, struct table *t)
{
    if (t->nval != (size_t)(t->rows + 1) * (size_t)t->ncols) {
        snprintf(g->error, sizeof g->error, "%s: row %" PRId64 " has the wrong number of values",
                 t->def->name, t->rows);
        return -1;
    }
    t->rows++;
    t->total++;
    return 0;
}

/* db_exec with n (<= MAX_PARAMS) text parameters; SQLite turns the digits of integer
 * columns back into integers (column affinity). The arguments after the n-th are ignored. */
static int exec_texts(struct db *db, const char *sql, int n, const char *const p[MAX_PARAMS])
{
    static const char S[MAX_PARAMS + 1] = "ssssssssssssssssssssssssssssssss";
    return db_exec(db, sql, S + (MAX_PARAMS - n), p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
                   p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], p[19],
                   p[20], p[21], p[22], p[23], p[24], p[25], p[26], p[27], p[28], p[29], p[30],
                   p[31]);
}

static const char *value(const struct table *t, size_t i)
{
    return t->val[i] == NO_VALUE ? NULL : t->text.p + t->val[i];
}

static int flush_sqlite(struct gen *g, struct table *t)
{
    const char *p[MAX_PARAMS] = {0};
    for (int64_t r = 0; r < t->rows; r += t->per_stmt) {
        int n = t->rows - r < t->per_stmt ? (int)(t->rows - r) : t->per_stmt;
        size_t first = (size_t)r * (size_t)t->ncols;
        for (int k = 0; k < n * t->ncols; k++)
            p[k] = value(t, first + (size_t)k);
        if (exec_texts(g->db, t->sql[n], n * t->ncols, p) < 0)
            return fail(g, t->def->name);
    }
    return 0;
}

/* One element of a PostgreSQL array literal: NULL, or the value in double quotes with " and
 * \ escaped. */
static int array_element(struct buf *b, const char *v)
{
    if (!v)
        return buf_add(b, "NULL", 4);
    if (buf_add(b, "\"", 1) < 0)
        return -1;
    while (*v) {
        size_t span = strcspn(v, "\"\\");
        if (buf_add(b, v, span) < 0)
            return -1;
        v += span;
        if (*v) {
            char escaped[2] = {'\\', *v++};
            if (buf_add(b, escaped, 2) < 0)
                return -1;
        }
    }
    return buf_add(b, "\"", 1);
}

/* One array parameter per column, {"v1","v2",NULL,...}, for unnest(). */
static int flush_pg(struct gen *g, struct table *t)
{
    struct buf b = {0};
    size_t start[MAX_PARAMS];
    int rc = 0;
    for (int c = 0; rc == 0 && c < t->ncols; c++) {
        start[c] = b.len;
        rc = buf_add(&b, "{", 1);
        for (int64_t r = 0; rc == 0 && r < t->rows; r++) {
            if (r)
                rc = buf_add(&b, ",", 1);
            if (rc == 0)
                rc = array_element(&b, value(t, (size_t)r * (size_t)t->ncols + (size_t)c));
        }
        if (rc == 0)
            rc = buf_add(&b, "}", 1);
        if (rc == 0)
            b.len++; /* keep the NUL: the arrays lie back to back */
    }
    if (rc < 0) {
        free(b.p);
        return oom(g);
    }
    const char *p[MAX_PARAMS] = {0};
    for (int c = 0; c < t->ncols; c++)
        p[c] = b.p + start[c];
    rc = exec_texts(g->db, t->sql[0], t->ncols, p);
    free(b.p);
    return rc < 0 ? fail(g, t->def->name) : 0;
}

/* Writes the buffered rows of every table, parents first. */
static int flush(struct gen *g)
{
    for (int i = 0; i < T_COUNT; i++) {
        struct table *t = &g->t[i];
        if (t->rows == 0)
            continue;
        if ((g->pg ? flush_pg(g, t) : flush_sqlite(g, t)) < 0)
            return -1;
        t->rows = 0;
        t->nval = 0;
        t->text.len = 0;
    }
    return 0;
}

/* ---- the search index (IN-3), as store/search.c writes it ---- */

/* Shortest suffixes indexed: names from one character, numbers from three, plates from
 * two, VINs from four (store/search.c). */
#define TERMS_NAME   1
#define TERMS_NUMBER 3
#define TERMS_PLATE  2
#define TERMS_VIN    4

struct term_ctx {
    struct gen *g;
    int64_t store_id, entity_id;
    const char *kind, *field;
};

static int emit_term(void *p, const char *suffix, size_t offset)
{
    struct term_ctx *c = p;
    struct table *t = &c->g->t[T_TERMS];
    if (put_int(t, c->store_id) < 0 || put_text(t, suffix) < 0 || put_text(t, c->kind) < 0 ||
        put_int(t, c->entity_id) < 0 || put_text(t, c->field) < 0 ||
        put_int(t, (int64_t)offset) < 0 || row_end(c->g, t) < 0)
        return 1;
    return 0;
}

static int index_value(struct gen *g, int64_t store_id, const char *kind, int64_t id,
                       const char *field, const char *value, size_t min_chars)
{
    if (!g->search_index || !value || !*value)
        return 0;
    char key[SEARCH_KEY_MAX];
    search_normalize(value, key, sizeof key);
    struct term_ctx c = {g, store_id, id, kind, field};
    return search_suffixes(key, min_chars, emit_term, &c) ? oom(g) : 0;
}

/* ---- unique values: phones, plates, VINs ---- */

static const char *const MOBILE_PREFIXES[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199"};

/* The next mobile number: 1[3-9]x and eight digits, never handed out before. */
static int make_mobile(struct gen *g, char out[PHONE_MAX])
{
    uint64_t n = LEN(MOBILE_PREFIXES) * UINT64_C(100000000);
    uint64_t k = permute(g->mobiles++, n, g->seed ^ UINT64_C(0x6D6F62696C65));
    char raw[24];
    snprintf(raw, sizeof raw, "%s%08u", MOBILE_PREFIXES[k / 100000000], (unsigned)(k % 100000000));
    struct dms_error err;
    if (phone_normalize(raw, out, NULL, "phone", &err) < 0)
        return fail_err(g, raw, &err);
    return 0;
}

/* The next landline of the store's city: area code and eight digits starting 2-8. */
static int make_landline(struct gen *g, const struct store *s, char out[PHONE_MAX])
{
    uint64_t k = permute(g->landlines++, 70000000, g->seed ^ UINT64_C(0x6C616E64));
    char raw[24];
    snprintf(raw, sizeof raw, "%s%08u", s->fr->area_code, (unsigned)(20000000 + k));
    struct dms_error err;
    if (phone_normalize(raw, out, NULL, "phone", &err) < 0)
        return fail_err(g, raw, &err);
    return 0;
}

/* Plate letters exclude I and O. */
static const char PLATE_LETTERS[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
#define N_LETTERS 24

/* The five characters after 粤B of plate number r of the 7,060,000 with at most two
 * letters: all digits, one letter anywhere, or two letters anywhere. */
static void plate_body(uint64_t r, char out[6])
{
    static const int pairs[10][2] = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 2},
                                     {1, 3}, {1, 4}, {2, 3}, {2, 4}, {3, 4}};
    int letter_at[2] = {-1, -1}, letters[2] = {0, 0};
    uint64_t digits;
    if (r < 100000) {
        digits = r;
    } else if ((r -= 100000) < 5 * N_LETTERS * 10000) {
        letter_at[0] = (int)(r / (N_LETTERS * 10000));
        letters[0] = (int)(r / 10000 % N_LETTERS);
        digits = r % 10000;
    } else {
        r -= 5 * N_LETTERS * 10000;
        const int *p = pairs[r / (N_LETTERS * N_LETTERS * 1000)];
        letter_at[0] = p[0], letter_at[1] = p[1];
        letters[0] = (int)(r / (N_LETTERS * 1000) % N_LETTERS);
        letters[1] = (int)(r / 1000 % N_LETTERS);
        digits = r % 1000;
    }
    for (int i = 4; i >= 0; i--) {
        if (i == letter_at[0] || i == letter_at[1]) {
            out[i] = PLATE_LETTERS[letters[i == letter_at[0] ? 0 : 1]];
        } else {
            out[i] = (char)('0' + digits % 10);
            digits /= 10;
        }
    }
    out[5] = '\0';
}

#define PLATES_REGULAR (100000 + 5 * N_LETTERS * 10000 + 10 * N_LETTERS * N_LETTERS * 1000)
#define PLATES_GREEN   (2 * 34 * 10000) /* D or F, a letter or digit, four digits */

/* The next plate of the store, unique in it: the city's prefix for most, elsewhere for
 * some; new-energy cars get the green 8-character plate. */
static int make_plate(struct gen *g, struct store *s, struct rng *r, bool green,
                      char out[PLATE_MAX_BYTES])
{
    static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    const char *prefix = rng_percent(r, 90) ? s->fr->plate_prefix : PICK(r, OTHER_PLATES);
    uint64_t key = g->seed ^ mix64((uint64_t)s->id);
    char raw[PLATE_MAX_BYTES];
    if (green && s->green_plates < PLATES_GREEN) {
        uint64_t k = permute(s->green_plates++, PLATES_GREEN, key ^ 0x67);
        snprintf(raw, sizeof raw, "%s%c%c%04u", prefix, k / 340000 ? 'F' : 'D',
                 alnum[k / 10000 % 34], (unsigned)(k % 10000));
    } else if (s->plates < PLATES_REGULAR) {
        char body[6];
        plate_body(permute(s->plates++, PLATES_REGULAR, key), body);
        snprintf(raw, sizeof raw, "%s%s", prefix, body);
    } else {
        out[0] = '\0'; /* the store ran out of plates: the car has none yet */
        return 0;
    }
    /* Regular and green plates differ in length, so the two ranges never meet. */
    struct dms_error err;
    if (plate_normalize(raw, out, NULL, &err) < 0)
        return fail_err(g, raw, &err);
    return 0;
}

/* VIN position 10: the model year (2001-2009 digits, then A = 2010 ..., skipping I O Q U Z). */
static char vin_year_code(int year)
{
    static const char codes[] = "ABCDEFGHJKLMNPRSTVWXY";
    if (year >= 2001 && year <= 2009)
        return (char)('0' + year - 2000);
    int i = year - 2010;
    return i >= 0 && i < (int)sizeof codes - 1 ? codes[i] : 'Y';
}

#define MODEL_YEARS 64 /* model years 2000-2063 */

static size_t model_index(const struct model *m);

/* The next VIN of the model and model year: serials count up per model and year, in an
 * order that looks random. */
static int make_vin(struct gen *g, const struct model *m, int model_year, char out[VIN_LEN + 1])
{
    size_t slot = model_index(m) * MODEL_YEARS + (size_t)(model_year - 2000) % MODEL_YEARS;
    if (g->vin_serials[slot] >= 1000000) {
        snprintf(g->error, sizeof g->error, "more than a million %s %s of %d", m->brand, m->model,
                 model_year);
        return -1;
    }
    uint64_t serial = permute(g->vin_serials[slot]++, 1000000, g->seed ^ slot);
    char raw[VIN_LEN + 1];
    snprintf(raw, sizeof raw, "%s%s0%c%c%06u", m->wmi, m->vds, vin_year_code(model_year), m->plant,
             (unsigned)serial);
    raw[8] = vin_check_digit(raw);
    struct dms_error err;
    if (vin_normalize(raw, out, true, &err) < 0)
        return fail_err(g, raw, &err);
    return 0;
}

/* ---- models and plans ---- */

static const struct {
    const struct model *models;
    size_t n;
} MODEL_LISTS[] = {{VW_MODELS, LEN(VW_MODELS)},
                   {AUDI_MODELS, LEN(AUDI_MODELS)},
                   {TOYOTA_MODELS, LEN(TOYOTA_MODELS)},
                   {HONDA_MODELS, LEN(HONDA_MODELS)},
                   {OTHER_MODELS, LEN(OTHER_MODELS)}};

static size_t model_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < LEN(MODEL_LISTS); i++)
        n += MODEL_LISTS[i].n;
    return n;
}

static size_t model_index(const struct model *m)
{
    size_t base = 0;
    for (size_t i = 0; i < LEN(MODEL_LISTS); i++) {
        if (m >= MODEL_LISTS[i].models && m < MODEL_LISTS[i].models + MODEL_LISTS[i].n)
            return base + (size_t)(m - MODEL_LISTS[i].models);
        base += MODEL_LISTS[i].n;
    }
    return 0;
}

/* A model by its share among those on sale in `year`. */
static const struct model *model_pick(struct rng *r, const struct model *models, size_t n, int year)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += models[i].first_year <= year ? models[i].weight : 0;
    if (total > 0) {
        int x = rng_int(r, 0, total - 1);
        for (size_t i = 0; i < n; i++) {
            if (models[i].first_year > year)
                continue;
            if ((x -= models[i].weight) < 0)
                return &models[i];
        }
    }
    return &models[0];
}

/* The plan the store applies to a car, as plans_match() finds it among those
 * write_plans() keeps: the model's (electric cars of the franchise), the brand's, the
 * store default, the built-in default. */
static struct plan_iv plan_for(const struct store *s, const struct model *m)
{
    bool own = strcmp(m->brand, s->fr->models[0].brand) == 0;
    if (own && m->kit == KIT_EV)
        return EV_PLAN;
    if (own)
        return s->fr->plan;
    return s->fr->store_default ? STORE_DEFAULT : BUILTIN;
}

static int64_t labour_rate_fen(const struct store *s, int year)
{
    int64_t rate = 15000 + 500 * (year > 2016 ? year - 2016 : 0); /* fen per hour */
    return s->fr->models == AUDI_MODELS ? rate * 3 / 2 : rate;
}

static int64_t labour_fen(int hours_x100, int64_t rate)
{
    return hours_x100 * rate / 100;
}

static json_t *plan_json(const struct kit *k, int64_t rate, bool parts, int64_t *total,
                         int *lead_days)
{
    json_t *a = json_array();
    *total = 0;
    if (!parts) {
        const struct op *ops[2] = {&k->main_op, &k->extra_ops[0]};
        for (int i = 0; i < 2; i++) {
            int64_t fen = labour_fen(ops[i]->hours_x100, rate);
            json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I}", "code", ops[i]->code, "name",
                                               ops[i]->name, "hours_x100",
                                               (json_int_t)ops[i]->hours_x100, "labour_fen",
                                               (json_int_t)fen));
            *total += fen;
        }
    } else {
        const struct kit_part *pt[3] = {&k->main_part, &k->second_part, &k->extra_parts[0]};
        for (int i = 0; i < 3; i++) {
            json_array_append_new(
                a, json_pack("{s:s, s:s, s:I, s:I, s:i}", "part_no", pt[i]->part_no, "name",
                             pt[i]->name, "qty", (json_int_t)1, "unit_price_fen",
                             (json_int_t)pt[i]->price_fen, "lead_days", pt[i]->lead_days));
            *total += pt[i]->price_fen;
            if (pt[i]->lead_days > *lead_days)
                *lead_days = pt[i]->lead_days;
        }
    }
    return a;
}

static int write_plan(struct gen *g, const struct store *s, const char *brand, const char *model,
                      const struct plan_iv *iv, const struct kit *k, const char *package)
{
    int year, month, day;
    date_to_ymd(g->today, &year, &month, &day);
    int64_t rate = labour_rate_fen(s, year), labour = 0, parts = 0;
    int lead = 0;
    json_t *ops = plan_json(k, rate, false, &labour, &lead);
    json_t *pts = plan_json(k, rate, true, &parts, &lead);
    char *ops_s = json_dumps(ops, JSON_COMPACT), *parts_s = json_dumps(pts, JSON_COMPACT);
    json_decref(ops);
    json_decref(pts);
    char stamp[TIMESTAMP_STR];
    timestamp_format_utc((int64_t)(g->today - 400) * 86400 + 3600, stamp);
    int rc = ops_s && parts_s
                 ? db_exec(g->db,
                           "INSERT INTO maintenance_plans (store_id, brand, model, interval_km, "
                           "interval_months, first_km, first_months, package_name, ops, parts, "
                           "labour_fen, parts_fen, lead_days, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           "issiiiisssiiiss", s->id, brand, model, (int64_t)iv->interval_km,
                           (int64_t)iv->interval_months, (int64_t)iv->first_km,
                           (int64_t)iv->first_months, package, ops_s, parts_s, labour, parts,
                           (int64_t)lead, stamp, stamp)
                 : DB_ERROR;
    free(ops_s);
    free(parts_s);
    return rc < 0 ? fail(g, "maintenance_plans") : 0;
}

/* The store's plans (MR-1): its brand's, its electric models', and in some stores a
 * default for other brands (the others fall back to the built-in 5,000 km / 6 months). */
static int write_plans(struct gen *g, const struct store *s)
{
    const struct franchise *f = s->fr;
    const struct model *m0 = &f->models[0];
    if (write_plan(g, s, m0->brand, "", &f->plan, &KITS[m0->kit], "常规保养套餐") < 0)
        return -1;
    for (size_t i = 0; i < f->n_models; i++) {
        if (f->models[i].kit == KIT_EV &&
            write_plan(g, s, f->models[i].brand, f->models[i].model, &EV_PLAN, &KITS[KIT_EV],
                       "纯电车型保养套餐") < 0)
            return -1;
    }
    if (f->store_default &&
        write_plan(g, s, "", "", &STORE_DEFAULT, &KITS[KIT_OTHER], "通用保养套餐") < 0)
        return -1;
    return 0;
}

/* ---- a car's life ---- */

struct car {
    struct store *store;
    int64_t id, customer_id;
    const struct model *model;
    struct plan_iv plan;
    dms_day sold, stop; /* the sale; the last day the owner still comes */
    int64_t last_km;    /* latest reading written */
    dms_day last_reading;
    int km_per_day; /* the owner's habit */
};

/* The car's odometer runs at one rate between two maintenance visits: km(d) = km0 +
 * rate * (d - d0). */
struct segment {
    dms_day d0;
    double km0, rate;
};

static int64_t km_on(const struct segment *s, dms_day d)
{
    return (int64_t)(s->km0 + s->rate * (double)(d - s->d0));
}

static int write_reading(struct gen *g, struct car *c, dms_day d, int64_t km,
                         enum mileage_source src, int64_t record_id, int minutes)
{
    struct table *t = &g->t[T_READINGS];
    if (put_int(t, c->store->id) < 0 || put_int(t, c->id) < 0 || put_date(t, d) < 0 ||
        put_int(t, km) < 0 || put_text(t, MILEAGE_SOURCE_NAMES[src]) < 0 ||
        (record_id ? put_int(t, record_id) : put_text(t, NULL)) < 0 ||
        put_stamp(t, d, minutes) < 0 || row_end(g, t) < 0)
        return oom(g);
    g->n.readings[src]++;
    if (d >= c->last_reading) {
        c->last_reading = d;
        c->last_km = km;
    }
    return 0;
}

static int write_line_labour(struct gen *g, int64_t record, int pos, const struct op *op,
                             int64_t rate, int64_t *sum)
{
    struct table *t = &g->t[T_LABOUR];
    int64_t fen = labour_fen(op->hours_x100, rate);
    *sum += fen;
    if (put_int(t, record) < 0 || put_int(t, pos) < 0 || put_text(t, op->code) < 0 ||
        put_text(t, op->name) < 0 || put_int(t, op->hours_x100) < 0 || put_int(t, fen) < 0 ||
        row_end(g, t) < 0)
        return oom(g);
    return 0;
}

static int write_line_part(struct gen *g, int64_t record, int pos, const struct kit_part *p,
                           int qty, int64_t *sum)
{
    struct table *t = &g->t[T_PARTS];
    int64_t fen = p->price_fen * qty;
    *sum += fen;
    if (put_int(t, record) < 0 || put_int(t, pos) < 0 || put_text(t, p->part_no) < 0 ||
        put_text(t, p->name) < 0 || put_int(t, qty) < 0 || put_int(t, p->price_fen) < 0 ||
        put_int(t, fen) < 0 || row_end(g, t) < 0)
        return oom(g);
    return 0;
}

/* A repair order with its lines and its odometer reading. job < 0: maintenance. */
static int write_record(struct gen *g, struct car *c, struct rng *r, dms_day day, int64_t km,
                        int job)
{
    int64_t id = g->next_record++;
    int year, month, dd;
    date_to_ymd(day, &year, &month, &dd);
    int64_t rate = labour_rate_fen(c->store, year), labour = 0, parts = 0;
    enum service_kind kind = job < 0 ? SERVICE_MAINTENANCE : JOBS[job].kind;
    const char *notes = NULL;
    int rc = 0;
    if (job < 0) {
        const struct kit *k = &KITS[c->model->kit];
        int n_ops = rng_int(r, 0, 2), pos = 1;
        rc = write_line_labour(g, id, 1, &k->main_op, rate, &labour);
        for (int i = 0; rc == 0 && i < n_ops; i++)
            rc = write_line_labour(g, id, 2 + i, &k->extra_ops[i], rate, &labour);
        if (rc == 0)
            rc = write_line_part(g, id, pos++, &k->main_part, 1, &parts);
        if (rc == 0 && rng_percent(r, 85))
            rc = write_line_part(g, id, pos++, &k->second_part, 1, &parts);
        if (rc == 0 && rng_percent(r, 30))
            rc = write_line_part(g, id, pos++, &k->extra_parts[rng_below(r, 3)], 1, &parts);
        if (rng_percent(r, 20))
            notes = PICK(r, MAINTENANCE_NOTES);
    } else {
        const struct job *j = &JOBS[job];
        for (int i = 0; rc == 0 && i < 3 && j->ops[i].code; i++)
            rc = write_line_labour(g, id, 1 + i, &j->ops[i], rate, &labour);
        for (int i = 0; rc == 0 && i < 3 && j->parts[i].part.part_no; i++)
            rc = write_line_part(g, id, 1 + i, &j->parts[i].part, j->parts[i].qty, &parts);
        notes = j->notes;
    }
    if (rc < 0)
        return -1;
    int days_in = kind == SERVICE_MAINTENANCE ? (rng_percent(r, 85) ? 0 : 1)
                  : kind == SERVICE_ACCIDENT  ? rng_int(r, 3, 10)
                                              : rng_int(r, 0, 3);
    if (day + days_in > g->today)
        days_in = 0; /* done the same day rather than all on today (CS-1 follow-ups) */
    dms_day out = day + days_in;
    int minutes = rng_int(r, 8 * 60 + 30, 17 * 60);
    struct table *t = &g->t[T_RECORDS];
    if (put_int(t, id) < 0 || put_int(t, c->store->id) < 0 || put_int(t, c->id) < 0 ||
        put_int(t, c->customer_id) < 0 || put_date(t, day) < 0 || put_date(t, out) < 0 ||
        put_int(t, km) < 0 || put_text(t, SERVICE_KIND_NAMES[kind]) < 0 ||
        put_text(t, PICK(r, TECHNICIANS)) < 0 || put_text(t, notes) < 0 || put_int(t, labour) < 0 ||
        put_int(t, parts) < 0 || put_int(t, labour + parts) < 0 || put_stamp(t, day, minutes) < 0 ||
        row_end(g, t) < 0)
        return oom(g);
    g->n.records[kind]++;
    return write_reading(g, c, day, km, MILEAGE_SERVICE, id, minutes);
}

/* A job that fits the car on that day: warranty in its first three years, recalls for a
 * few, repairs and accidents for any. */
static int job_pick(struct rng *r, const struct car *c, dms_day day)
{
    for (;;) {
        int j = (int)rng_below(r, LEN(JOBS));
        enum service_kind k = JOBS[j].kind;
        if (k == SERVICE_WARRANTY && day - c->sold > 3 * 365)
            continue;
        if ((k == SERVICE_RECALL || k == SERVICE_OTHER) && !rng_percent(r, 25))
            continue;
        return j;
    }
}

/* A reading the owner gave in a call, or at the counter. */
static int write_call(struct gen *g, struct car *c, struct rng *r, const struct segment *s,
                      dms_day d)
{
    return write_reading(g, c, d, km_on(s, d), rng_percent(r, 70) ? MILEAGE_CALL : MILEAGE_MANUAL,
                         0, rng_int(r, 9 * 60, 18 * 60));
}

/* What happens in (from, to], between two maintenance visits, in date order: sometimes a
 * repair, sometimes a reading. */
static int write_between(struct gen *g, struct car *c, struct rng *r, const struct segment *s,
                         dms_day from, dms_day to)
{
    if (to <= from)
        return 0;
    dms_day repair = rng_percent(r, 22) ? from + rng_int(r, 1, to - from) : 0;
    dms_day call = rng_percent(r, 10) ? from + rng_int(r, 1, to - from) : 0;
    bool call_first = call && (!repair || call <= repair);
    if (call_first && write_call(g, c, r, s, call) < 0)
        return -1;
    if (repair && write_record(g, c, r, repair, km_on(s, repair), job_pick(r, c, repair)) < 0)
        return -1;
    if (call && !call_first && write_call(g, c, r, s, call) < 0)
        return -1;
    return 0;
}

/* The sale, then maintenance whenever due (by months or km, whichever first, as the plan
 * says), the owner a little early or late, and after the warranty years more often
 * elsewhere; the odometer rate changes from one interval to the next. */
static int write_history(struct gen *g, struct car *c, struct rng *r)
{
    if (write_reading(g, c, c->sold, 0, MILEAGE_SALE, 0, 10 * 60) < 0)
        return -1;
    struct segment s = {c->sold, 0, c->km_per_day * (0.7 + 0.6 * rng_unit(r))};
    dms_day service_day = c->sold;
    double service_km = 0;
    for (bool first = true;; first = false) {
        int months = first ? c->plan.first_months : c->plan.interval_months;
        int km = first ? c->plan.first_km : c->plan.interval_km;
        dms_day by_time = date_add_months(service_day, months);
        double to_go = service_km + km - s.km0;
        dms_day by_km = s.d0 + (dms_day)(to_go > 0 ? to_go / s.rate + 1 : 1);
        dms_day due = by_time < by_km ? by_time : by_km;
        dms_day visit = due + (rng_percent(r, 65) ? rng_int(r, -10, 10) : rng_int(r, 10, 45));
        if (visit <= s.d0)
            visit = s.d0 + 1;
        dms_day until = visit <= c->stop ? visit - 1 : c->stop;
        if (write_between(g, c, r, &s, s.d0, until) < 0)
            return -1;
        if (visit > c->stop)
            break;
        int64_t km_visit = km_on(&s, visit);
        int age = visit - c->sold;
        bool elsewhere = !first && rng_percent(r, age < 3 * 365 ? 8 : age < 5 * 365 ? 25 : 40);
        if (!elsewhere && write_record(g, c, r, visit, km_visit, -1) < 0)
            return -1;
        service_day = visit;
        service_km = (double)km_visit;
        s = (struct segment){visit, (double)km_visit, c->km_per_day * (0.7 + 0.6 * rng_unit(r))};
    }
    /* CS-4: a call to an owner who no longer comes; some tell the mileage. */
    if (c->stop < g->today && rng_percent(r, 30)) {
        dms_day d = c->stop + rng_int(r, 1, g->today - c->stop);
        if (write_reading(g, c, d, km_on(&s, d), MILEAGE_CALL, 0, rng_int(r, 9 * 60, 18 * 60)) < 0)
            return -1;
    }
    return 0;
}

/* The anniversary of `from` after `after`, every `years` years. */
static dms_day next_anniversary(dms_day from, dms_day after, int years)
{
    dms_day d = from;
    for (int k = years; d <= after; k += years)
        d = date_add_months(from, 12 * k);
    return d;
}

/* One car of the customer; *sold and *model get its sale day and model. A fleet's cars
 * share the first one's (fleet_model not NULL). */
static int write_vehicle(struct gen *g, struct store *s, struct rng *r, int64_t customer_id,
                         dms_day stop, const struct model *fleet_model, dms_day fleet_sold,
                         dms_day *sold, const struct model **model)
{
    struct car c = {.store = s, .id = g->next_vehicle++, .customer_id = customer_id};
    /* Sold over the last `years` years, a tenth of them earlier (bought elsewhere, serviced
     * here); a customer who stopped coming bought before. */
    dms_day latest = stop < g->today ? stop - 30 : g->today;
    int span = g->years * 365 + (rng_percent(r, 10) ? 3 * 365 : 0);
    c.sold = fleet_sold ? fleet_sold : latest - rng_int(r, 0, span);
    int year, month, day;
    date_to_ymd(c.sold, &year, &month, &day);
    if (fleet_model)
        c.model = fleet_model;
    else if (rng_percent(r, 85))
        c.model = model_pick(r, s->fr->models, s->fr->n_models, year);
    else
        c.model = model_pick(r, OTHER_MODELS, LEN(OTHER_MODELS), year);
    int model_year = month >= 10 && rng_percent(r, 40) ? year + 1 : year;
    c.plan = plan_for(s, c.model);
    c.stop = stop;
    /* km per day: 10-120, most between 20 and 60 */
    double u = rng_unit(r);
    c.km_per_day = 10 + (int)(110 * u * u);
    c.last_reading = c.sold;
    char vin[VIN_LEN + 1], plate[PLATE_MAX_BYTES] = "";
    if (make_vin(g, c.model, model_year, vin) < 0)
        return -1;
    /* A car sold in the last days may still wait for its plate. */
    if ((g->today - c.sold > 10 || rng_percent(r, 50)) &&
        make_plate(g, s, r, c.model->kit == KIT_EV, plate) < 0)
        return -1;
    g->n.no_plate += plate[0] == '\0';
    if (write_history(g, &c, r) < 0)
        return -1;
    /* CS-8: insurance renews each year on the day of the sale; the inspection sticker
     * every two years. */
    dms_day insurance = 0, inspection = 0;
    if (rng_percent(r, 65))
        insurance = next_anniversary(c.sold, g->today, 1), g->n.insurance++;
    if (rng_percent(r, 45))
        inspection = next_anniversary(c.sold, g->today, 2), g->n.inspection++;
    struct table *t = &g->t[T_VEHICLES];
    if (put_int(t, c.id) < 0 || put_int(t, s->id) < 0 || put_int(t, customer_id) < 0 ||
        put_text(t, vin) < 0 || put_int(t, 1) < 0 || put_text(t, plate[0] ? plate : NULL) < 0 ||
        put_text(t, c.model->brand) < 0 || put_text(t, c.model->model) < 0 ||
        put_int(t, model_year) < 0 || put_date(t, c.sold) < 0 || put_int(t, c.last_km) < 0 ||
        put_date(t, c.last_reading) < 0 || put_stamp(t, c.sold, 10 * 60) < 0 ||
        put_stamp(t, c.last_reading, 18 * 60) < 0 ||
        (insurance ? put_date(t, insurance) : put_text(t, NULL)) < 0 ||
        (inspection ? put_date(t, inspection) : put_text(t, NULL)) < 0 || row_end(g, t) < 0)
        return oom(g);
    s->vehicles++;
    *sold = c.sold;
    *model = c.model;
    if (index_value(g, s->id, "vehicle", c.id, "plate", plate, TERMS_PLATE) < 0 ||
        index_value(g, s->id, "vehicle", c.id, "vin", vin, TERMS_VIN) < 0)
        return -1;
    return 0;
}

/* ---- customers ---- */

static int write_phone(struct gen *g, const struct store *s, int64_t customer_id, int pos,
                       const char *number, const char *label)
{
    struct table *t = &g->t[T_PHONES];
    if (put_int(t, s->id) < 0 || put_int(t, customer_id) < 0 || put_int(t, pos) < 0 ||
        put_text(t, number) < 0 || put_text(t, label) < 0 || row_end(g, t) < 0)
        return oom(g);
    return index_value(g, s->id, "customer", customer_id, "phone", number, TERMS_NUMBER);
}

/* Customer `index` of the group: a private owner (96 %) or a company with a few cars, its
 * class (CRM-2) and when it stopped coming, its phones, consents (as the demo), cars. */
static int write_customer(struct gen *g, int64_t index)
{
    struct rng r = rng_for(g->seed, (uint64_t)index);
    struct store *s = &g->stores[index % g->n_stores];
    int64_t id = g->next_customer++;
    bool company = rng_percent(&r, 4);
    const struct syllables *sur = &SURNAMES[rng_skewed(&r, LEN(SURNAMES))];
    bool male = rng_percent(&r, 62);
    const struct syllables *given = male ? &PICK(&r, MALE_NAMES) : &PICK(&r, FEMALE_NAMES);
    char name[160], email[EMAIL_MAX] = "", address[400] = "";
    if (company)
        snprintf(name, sizeof name, "深圳市%s%s有限公司", PICK(&r, COMPANY_WORDS),
                 PICK(&r, INDUSTRIES));
    else
        snprintf(name, sizeof name, "%s%s", sur->han, given->han);
    if (rng_percent(&r, company ? 80 : 40)) {
        if (rng_percent(&r, 40))
            snprintf(email, sizeof email, "%u@qq.com",
                     (unsigned)(10000000 + permute((uint64_t)index, 900000000, g->seed)));
        else
            snprintf(email, sizeof email, "%s%s%02d@%s", sur->pinyin, given->pinyin,
                     rng_int(&r, 0, 99), PICK(&r, EMAIL_DOMAINS));
    }
    if (rng_percent(&r, 70))
        snprintf(address, sizeof address, "%s%s%d号%s%d栋%d%02d", s->fr->city, PICK(&r, STREETS),
                 rng_int(&r, 1, 388), PICK(&r, ESTATES), rng_int(&r, 1, 28), rng_int(&r, 2, 32),
                 rng_int(&r, 1, 8));
    /* CRM-2: the class says how the history ends. */
    enum customer_class cls = CLASS_REGULAR;
    dms_day stop = g->today;
    int x = rng_int(&r, 0, 99);
    if (x < 8) {
        cls = CLASS_VIP;
    } else if (x < 18) {
        cls = CLASS_AT_RISK;
        stop = g->today - rng_int(&r, 95, 175);
    } else if (x < 30) {
        cls = CLASS_LOST;
        stop = g->today - rng_int(&r, 180, 720);
    }
    int y = rng_int(&r, 0, 99);
    int n_cars = company ? rng_int(&r, 2, 6) : y < 80 ? 1 : y < 97 ? 2 : 3;
    dms_day first_sale = g->today;
    const struct model *fleet_model = NULL;
    dms_day fleet_sold = 0;
    for (int i = 0; i < n_cars; i++) {
        dms_day sold;
        const struct model *model;
        if (write_vehicle(g, s, &r, id, stop, fleet_model, fleet_sold, &sold, &model) < 0)
            return -1;
        if (sold < first_sale)
            first_sale = sold;
        /* Most fleets buy several of one model at once. */
        if (company && i == 0 && rng_percent(&r, 60)) {
            fleet_model = model;
            fleet_sold = sold;
        }
    }
    /* Phones: a mobile each; some a second one (companies their office line). */
    char phone[PHONE_MAX];
    if (make_mobile(g, phone) < 0 || write_phone(g, s, id, 0, phone, "mobile") < 0)
        return -1;
    if (rng_percent(&r, company ? 70 : 10)) {
        bool land = company || rng_percent(&r, 50);
        if ((land ? make_landline(g, s, phone) : make_mobile(g, phone)) < 0 ||
            write_phone(g, s, id, 1, phone, land ? (company ? "work" : "home") : "other") < 0)
            return -1;
    }
    bool consent[CONSENT_COUNT];
    consent[CONSENT_PHONE] = rng_percent(&r, 95);
    consent[CONSENT_SMS] = rng_percent(&r, 85);
    consent[CONSENT_EMAIL] = email[0] && rng_percent(&r, 80);
    consent[CONSENT_MARKETING] = rng_percent(&r, 40);
    unsigned needs = rng_percent(&r, 25) ? 1u << rng_int(&r, 0, NEED_COUNT - 1) : 0;
    dms_day confirmed = rng_percent(&r, 20) ? g->today - rng_int(&r, 1, 400) : 0;
    if (confirmed && confirmed < first_sale)
        confirmed = 0;
    dms_day opted_out = rng_percent(&r, 1) ? g->today - rng_int(&r, 1, 300) : 0;
    if (opted_out && opted_out < first_sale)
        opted_out = 0;
    struct table *t = &g->t[T_CUSTOMERS];
    int rc = 0;
    rc |= put_int(t, id);
    rc |= put_int(t, s->id);
    rc |= put_text(t, name);
    rc |= put_text(t, company ? NULL : male ? "先生" : "女士");
    rc |= put_text(t, CUSTOMER_TYPE_NAMES[company ? CUSTOMER_COMPANY : CUSTOMER_INDIVIDUAL]);
    rc |= put_text(t, CUSTOMER_CLASS_NAMES[cls]);
    rc |= put_text(t, email[0] ? email : NULL);
    rc |= put_text(t, address[0] ? address : NULL);
    for (int i = 0; i < CONSENT_COUNT; i++)
        rc |= put_int(t, consent[i]);
    rc |= put_int(t, needs);
    rc |= put_text(t, needs && rng_percent(&r, 60) ? PICK(&r, NEED_NOTES) : NULL);
    rc |= put_text(t, rng_percent(&r, 10) ? PICK(&r, CUSTOMER_NOTES) : NULL);
    rc |= confirmed ? put_stamp(t, confirmed, rng_int(&r, 9 * 60, 18 * 60)) : put_text(t, NULL);
    rc |= put_stamp(t, first_sale, 9 * 60 + rng_int(&r, 0, 60));
    rc |= put_stamp(t, confirmed ? confirmed : first_sale, 19 * 60);
    rc |= put_text(t, consent[CONSENT_EMAIL] && rng_percent(&r, 15) ? "email" : "sms");
    rc |= opted_out ? put_stamp(t, opted_out, 20 * 60) : put_text(t, NULL);
    if (rc < 0 || row_end(g, t) < 0)
        return oom(g);
    s->customers++;
    return index_value(g, s->id, "customer", id, "name", name, TERMS_NAME);
}

/* ---- the stores ---- */

static int create_stores(struct gen *g)
{
    struct actor a;
    memset(&a, 0, sizeof a);
    a.role = ROLE_ADMIN;
    a.username = "cli";
    a.now = (int64_t)time(NULL);
    a.today = g->today;
    struct dms_error err = {0};
    if (db_begin(g->db, true) < 0)
        return fail(g, "begin");
    for (int i = 0; i < g->n_stores; i++) {
        struct store *s = &g->stores[i];
        s->fr = &FRANCHISES[i % (int)LEN(FRANCHISES)];
        snprintf(s->code, sizeof s->code, "G%d", i + 1);
        char name[128];
        if (i < (int)LEN(FRANCHISES))
            snprintf(name, sizeof name, "%s %s店", s->fr->name, s->fr->city);
        else
            snprintf(name, sizeof name, "%s %s %d 店", s->fr->name, s->fr->city, i + 1);
        struct store_info info;
        if (stores_add(g->db, &a, s->code, name, "Asia/Shanghai", &info, &err) < 0) {
            db_rollback(g->db);
            if (dms_error_is(&err, "conflict"))
                snprintf(g->error, sizeof g->error, "store %s exists: dms-gen fills a new database",
                         s->code);
            else
                fail_err(g, "store", &err);
            return -1;
        }
        s->id = info.id;
        char phone[PHONE_MAX];
        if (make_landline(g, s, phone) < 0 ||
            db_exec(g->db, "UPDATE store_settings SET store_phone = ? WHERE store_id = ?", "si",
                    phone, s->id) < 0 ||
            write_plans(g, s) < 0) {
            if (!g->error[0])
                fail(g, "store_settings");
            db_rollback(g->db);
            return -1;
        }
    }
    return db_commit(g->db) < 0 ? fail(g, "commit") : 0;
}

/* ---- bulk-load settings and the secondary indexes ---- */

static const char *const LOADED =
    "'customers', 'customer_phones', 'vehicles', 'service_records', 'service_labour', "
    "'service_parts', 'mileage_readings', 'search_terms'";

static bool plain_name(const char *s)
{
    if (!*s || strlen(s) > 63)
        return false;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    }
    return true;
}

/* Drops the secondary indexes of the loaded tables, keeping their definitions (SQLite
 * keeps each CREATE INDEX; PostgreSQL spells it out in pg_indexes). Primary keys and
 * indexes behind constraints stay. */
static int drop_indexes(struct gen *g)
{
    char sql[1024];
    if (g->pg)
        snprintf(sql, sizeof sql,
                 "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                 "current_schema() AND tablename IN (%s) AND indexname NOT IN "
                 "(SELECT conname FROM pg_constraint) ORDER BY indexname",
                 LOADED);
    else
        snprintf(sql, sizeof sql,
                 "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                 "AND tbl_name IN (%s) ORDER BY name",
                 LOADED);
    struct db_res *res;
    if (db_query(g->db, &res, sql, "") < 0)
        return fail(g, "indexes");
    char names[64][64];
    size_t n = 0;
    int rc;
    while ((rc = db_step(res)) > 0 && n < LEN(names)) {
        if (!plain_name(db_text(res, 0)))
            continue;
        char **grown = realloc(g->index_sql, (g->n_index + 1) * sizeof *grown);
        if (!grown || !(grown[g->n_index] = strdup(db_text(res, 1)))) {
            if (grown)
                g->index_sql = grown;
            db_done(res);
            return oom(g);
        }
        g->index_sql = grown;
        g->n_index++;
        snprintf(names[n++], sizeof names[0], "%s", db_text(res, 0));
    }
    db_done(res);
    if (rc < 0)
        return fail(g, "indexes");
    for (size_t i = 0; i < n; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX %s", names[i]);
        if (db_exec_script(g->db, sql) < 0)
            return fail(g, sql);
    }
    return 0;
}

/* Creates the dropped indexes again, each in a transaction of its own, forgetting each
 * once it exists (so that a retry after a failure builds only the rest). */
static int rebuild_indexes(struct gen *g)
{
    for (size_t i = 0; i < g->n_index; i++) {
        if (!g->index_sql[i])
            continue;
        if (db_exec_script(g->db, g->index_sql[i]) < 0)
            return fail(g, g->index_sql[i]);
        free(g->index_sql[i]);
        g->index_sql[i] = NULL;
    }
    return 0;
}

static void free_indexes(struct gen *g)
{
    for (size_t i = 0; i < g->n_index; i++)
        free(g->index_sql[i]);
    free(g->index_sql);
    g->index_sql = NULL;
    g->n_index = 0;
}

/* Session settings for the load: no fsync per commit, room to sort the index builds, no
 * statement timeout (db_pg_open sets 30 s for requests). */
static int load_settings(struct gen *g, bool loading)
{
    const char *sql;
    if (g->pg)
        sql = loading ? "SET statement_timeout = 0; SET synchronous_commit = off; "
                        "SET maintenance_work_mem = '512MB'"
                      : "SET synchronous_commit = on; RESET maintenance_work_mem";
    else
        sql = loading ? "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
                        "PRAGMA temp_store = FILE; PRAGMA threads = 1"
                      : "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; "
                        "PRAGMA temp_store = MEMORY; PRAGMA threads = 0";
    return db_exec_script(g->db, sql) < 0 ? fail(g, "settings") : 0;
}

/* PostgreSQL: the identity sequences move past the ids written here; fresh statistics. */
static int pg_finish(struct gen *g)
{
    static const char *const tables[] = {"customers", "vehicles", "service_records"};
    for (size_t i = 0; i < LEN(tables); i++) {
        char sql[256];
        int64_t v;
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))",
                 tables[i], tables[i]);
        if (db_query_int(g->db, &v, sql, "") < 0)
            return fail(g, sql);
    }
    return db_exec_script(g->db, "ANALYZE") < 0 ? fail(g, "analyze") : 0;
}

static int next_id(struct gen *g, const char *table, int64_t *out)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM %s", table);
    return db_query_int(g->db, out, sql, "") < 0 ? fail(g, table) : 0;
}

/* ---- the load ---- */

static void progress(const struct gen *g, int64_t done, double t0)
{
    printf("  %10" PRId64 " customers, %10" PRId64 " vehicles, %11" PRId64
           " service records, %11" PRId64 " search terms, %7.1f s\n",
           done, g->t[T_VEHICLES].total, g->t[T_RECORDS].total, g->t[T_TERMS].total, now_s() - t0);
    fflush(stdout);
}

static int load(struct gen *g)
{
    double t0 = now_s();
    if (db_begin(g->db, true) < 0)
        return fail(g, "begin");
    for (int64_t i = 0; i < g->n_customers; i++) {
        if (i > 0 && i % CHUNK == 0 && flush(g) < 0)
            return -1;
        if (i > 0 && i % TX_CUSTOMERS == 0 && (db_commit(g->db) < 0 || db_begin(g->db, true) < 0))
            return fail(g, "commit");
        if (i > 0 && i % PROGRESS_EVERY == 0)
            progress(g, i, t0);
        if (write_customer(g, i) < 0)
            return -1;
    }
    if (flush(g) < 0 || db_commit(g->db) < 0)
        return fail(g, "commit");
    progress(g, g->n_customers, t0);
    return 0;
}

/* MR-1: every car's next due date, per store, as `dms` computes it. */
static int recompute(struct gen *g)
{
    double total = 0;
    for (int i = 0; i < g->n_stores; i++) {
        struct store *s = &g->stores[i];
        struct actor a;
        memset(&a, 0, sizeof a);
        a.store_id = s->id;
        a.role = ROLE_ADMIN;
        a.username = "cli";
        a.now = (int64_t)time(NULL);
        a.today = g->today;
        struct dms_error err = {0};
        int64_t changed = 0;
        double t0 = now_s();
        if (db_begin(g->db, true) < 0)
            return fail(g, "begin");
        if (schedule_recompute(g->db, &a, 1, INT64_MAX, &changed, &err) < 0) {
            db_rollback(g->db);
            return fail_err(g, "schedule_recompute", &err);
        }
        if (db_commit(g->db) < 0)
            return fail(g, "commit");
        double dt = now_s() - t0;
        total += dt;
        printf("schedule_recompute %-4s %9" PRId64 " vehicles, %9" PRId64
               " changed, %7.2f s (%.0f vehicles/s)\n",
               s->code, s->vehicles, changed, dt, dt > 0 ? (double)s->vehicles / dt : 0.0);
    }
    printf("schedule_recompute all  %9" PRId64 " vehicles, %27.2f s (%.0f vehicles/s)\n",
           g->t[T_VEHICLES].total, total, total > 0 ? (double)g->t[T_VEHICLES].total / total : 0.0);
    return 0;
}

static void print_size(struct gen *g, const char *url)
{
    if (g->pg) {
        int64_t bytes = 0;
        if (db_query_int(g->db, &bytes, "SELECT pg_database_size(current_database())", "") > 0)
            printf("database size: %.1f MB\n", (double)bytes / 1e6);
        return;
    }
    const char *path = url + strlen("sqlite:");
    if (strncmp(path, "//", 2) == 0)
        path += 2;
    struct stat st;
    if (stat(path, &st) == 0)
        printf("database size: %.1f MB (%s)\n", (double)st.st_size / 1e6, path);
}

/* ---- a month of repair orders (RO-1..RO-8) ---- */

static const struct ro_op {
    const char *code, *name;
    int hours_x100;
    bool maintenance;
} RO_OPS[] = {
    {"BY-OIL", "更换机油机滤", 50, true},     {"BY-STD", "常规保养", 100, true},
    {"BY-BIG", "大保养", 250, true},          {"BY-AC", "空调滤清器更换", 30, true},
    {"WX-BRK", "前刹车片更换", 120, false},   {"WX-ALN", "四轮定位", 80, false},
    {"WX-BAT", "蓄电池检测更换", 40, false},  {"WX-SUS", "悬挂异响检查", 150, false},
    {"WX-ENG", "发动机故障诊断", 200, false}, {"BP-PNT", "钣金喷漆(单面)", 300, false},
};
static const struct ro_part {
    const char *no, *name;
    int64_t price_fen;
} RO_PARTS[] = {
    {"RO-OIL-4L", "全合成机油4L", 38000}, {"RO-FLT-OIL", "机油滤清器", 6500},
    {"RO-FLT-AC", "空调滤清器", 9800},    {"RO-PAD-F", "前刹车片", 42000},
    {"RO-BAT-60", "蓄电池60Ah", 68000},   {"RO-WIPER", "雨刮片", 12000},
};
#define RO_RATE_FEN   30000 /* labour, per hour */
#define RO_MONTH_DAYS 30
#define RO_NOW_MIN    (14 * 60) /* "now" on the last day: 14:00, orders in every state */

/* A car's order of the last weeks, to come back for the same work (comebacks, RO-8). */
struct ro_recent {
    int64_t vehicle, customer;
    int op;
    dms_day day;
};

static int ro_insert_line(struct gen *g, int64_t store, int64_t order, int pos, bool labour,
                          const char *code, const char *name, int hours_x100, int qty,
                          int64_t unit_fen, const char *payer, const char *decision,
                          int clocked_min, const char *created)
{
    int64_t amount = labour ? (int64_t)hours_x100 * RO_RATE_FEN / 100 : unit_fen * qty;
    int rc =
        db_exec(g->db,
                "INSERT INTO repair_order_lines (store_id, order_id, position, type, code, "
                "name, hours_x100, qty, unit_price_fen, amount_fen, payer, decision, "
                "stock, clocked_min, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?)",
                "iiisssiiiistsis", store, order, (int64_t)pos, labour ? "labour" : "part", code,
                name, (int64_t)hours_x100, (int64_t)qty, labour ? amount : unit_fen, amount, payer,
                decision, labour ? "none" : "issued", (int64_t)clocked_min, created);
    return rc < 0 ? fail(g, "repair_order_lines") : 0;
}

/* One order of store s arriving on day at minute arr (store-local): its row and lines.
 * first_op >= 0: the car comes back for that operation. */
static int ro_write_order(struct gen *g, struct store *s, struct rng *r, dms_day day, int seq,
                          int arr, int64_t vehicle, int64_t customer, int first_op, int *op_out)
{
    bool today = day == g->today;
    bool booked = rng_unit(r) < 0.55;
    double k = rng_unit(r);
    int kind = k < 0.58   ? SERVICE_MAINTENANCE
               : k < 0.83 ? SERVICE_REPAIR
               : k < 0.89 ? SERVICE_WARRANTY
               : k < 0.91 ? SERVICE_RECALL
               : k < 0.97 ? SERVICE_ACCIDENT
                          : SERVICE_OTHER;
    const char *payer = kind == SERVICE_WARRANTY || kind == SERVICE_RECALL ? "warranty"
                        : kind == SERVICE_ACCIDENT                         ? "insurance"
                                                                           : "customer";
    int op = first_op >= 0 ? first_op
                           : (int)(rng_unit(r) * (kind == SERVICE_MAINTENANCE ? 4 : LEN(RO_OPS)));
    if (op >= (int)LEN(RO_OPS))
        op = (int)LEN(RO_OPS) - 1;
    *op_out = op;
    /* The order's day, in minutes after midnight: booked cars wait less (the seed's promise). */
    int wait = booked ? (int)(rng_unit(r) * 20) : 10 + (int)(rng_unit(r) * 80);
    int start = arr + wait;
    int work = RO_OPS[op].hours_x100 * 60 / 100;
    int done = start + work + (int)(rng_unit(r) * 30);
    int promised = arr + work + 60 + (int)(rng_unit(r) * 120);
    int delivered = done + 15 + (int)(rng_unit(r) * 90);
    const char *status = "delivered";
    bool cancelled = rng_unit(r) < 0.02;
    if (cancelled)
        status = "cancelled";
    else if (today && start > RO_NOW_MIN)
        status = "open";
    else if (today && done > RO_NOW_MIN)
        status = "in_progress";
    else if (today && done + 10 > RO_NOW_MIN)
        status = "qc";
    else if (today && delivered > RO_NOW_MIN)
        status = rng_unit(r) < 0.5 ? "ready" : "settled";
    bool started = !cancelled && strcmp(status, "open") != 0;
    bool finished = started && strcmp(status, "in_progress") != 0;
    bool is_delivered = strcmp(status, "delivered") == 0;
    char number[16], d[DATE_STR], arrived[TIMESTAMP_STR],
        started_at[TIMESTAMP_STR] = "", delivered_at[TIMESTAMP_STR] = "", promise[LOCAL_TIME_STR];
    ro_number_format(day, seq, number);
    date_format(day, d);
    int64_t base = (int64_t)day * 86400 - LOCAL_OFFSET;
    timestamp_format_utc(base + arr * 60, arrived);
    if (started)
        timestamp_format_utc(base + start * 60, started_at);
    if (is_delivered)
        timestamp_format_utc(base + delivered * 60, delivered_at);
    local_time_format(day, promised < 1439 ? promised : 1439, promise);
    int64_t km = 5000 + (int64_t)(rng_unit(r) * 120000);
    struct db_res *res;
    int rc = db_query(
        g->db, &res,
        "INSERT INTO repair_orders (store_id, number, vehicle_id, customer_id, source, status, "
        "kind, day, mileage_km, brought_by, waiting, promised_at, arrived_at, started_at, "
        "delivered_at, cancelled_at, cancel_reason, wait_min, on_time, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'owner', ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 1 THEN "
        "CAST(? AS INTEGER) END, CASE WHEN ? = 1 THEN CAST(? AS INTEGER) END, ?, ?) RETURNING id",
        "isiissssibssttttbibiss", s->id, number, vehicle, customer,
        booked ? "appointment" : "walk_in", status, SERVICE_KIND_NAMES[kind], d, km,
        rng_unit(r) < 0.3, promise, arrived, started_at, delivered_at, cancelled ? arrived : "",
        cancelled ? "客户改期" : "", started, (int64_t)wait, is_delivered,
        (int64_t)(delivered <= promised), arrived, arrived);
    if (rc < 0)
        return fail(g, "repair_orders");
    int64_t order = 0;
    if ((rc = db_step(res)) > 0)
        order = db_int(res, 0);
    db_done(res);
    if (rc <= 0 || order <= 0)
        return fail(g, "repair_orders id");
    /* Labour: the operation, sometimes a second one, sometimes work found and decided. */
    int pos = 1;
    int clocked = finished  ? work * (80 + (int)(rng_unit(r) * 50)) / 100
                  : started ? (RO_NOW_MIN - start)
                            : 0;
    if (ro_insert_line(g, s->id, order, pos++, true, RO_OPS[op].code, RO_OPS[op].name,
                       RO_OPS[op].hours_x100, 1, 0, rng_unit(r) < 0.05 ? "free" : payer, NULL,
                       clocked > 0 ? clocked : 0, arrived) < 0)
        return -1;
    if (rng_unit(r) < 0.25) {
        int more = 4 + (int)(rng_unit(r) * 6);
        const char *decision = rng_unit(r) < 0.6   ? NULL
                               : rng_unit(r) < 0.6 ? "approved"
                                                   : "declined";
        bool counts = !decision || strcmp(decision, "approved") == 0;
        if (ro_insert_line(g, s->id, order, pos++, true, RO_OPS[more].code, RO_OPS[more].name,
                           RO_OPS[more].hours_x100, 1, 0, payer, decision,
                           finished && counts ? RO_OPS[more].hours_x100 * 60 / 100 : 0,
                           arrived) < 0)
            return -1;
    }
    int parts = (int)(rng_unit(r) * 4);
    for (int i = 0; i < parts; i++) {
        const struct ro_part *pt = &RO_PARTS[(size_t)(rng_unit(r) * LEN(RO_PARTS))];
        if (ro_insert_line(g, s->id, order, pos++, false, pt->no, pt->name, 0,
                           1 + (int)(rng_unit(r) * 2), pt->price_fen, payer, NULL, 0, arrived) < 0)
            return -1;
    }
    return 0;
}

/* The stores' month of repair orders: --orders-per-day a day (+-20 %) over the 30 days up to
 * today, arriving 08:00-17:00; 3 % come back within 3-25 days for the same work. */
static int ro_write_month(struct gen *g)
{
    if (g->orders_per_day <= 0)
        return 0;
    double t0 = now_s();
    int64_t total = 0;
    for (int si = 0; si < g->n_stores; si++) {
        struct store *s = &g->stores[si];
        int64_t *veh = NULL, *cus = NULL;
        size_t n = 0, cap = 0;
        struct db_res *res;
        if (db_query(g->db, &res, "SELECT id, customer_id FROM vehicles WHERE store_id = ?", "i",
                     s->id) < 0)
            return fail(g, "vehicles");
        int rc;
        while ((rc = db_step(res)) > 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 4096;
                int64_t *v2 = realloc(veh, cap * sizeof *v2);
                if (v2)
                    veh = v2;
                int64_t *c2 = realloc(cus, cap * sizeof *c2);
                if (c2)
                    cus = c2;
                if (!v2 || !c2) {
                    db_done(res);
                    free(veh), free(cus);
                    return oom(g);
                }
            }
            veh[n] = db_int(res, 0), cus[n++] = db_int(res, 1);
        }
        db_done(res);
        if (rc < 0 || n == 0) {
            free(veh), free(cus);
            if (rc < 0)
                return fail(g, "vehicles");
            continue;
        }
        size_t ring_n = (size_t)g->orders_per_day * 40;
        struct ro_recent *recent = calloc(ring_n, sizeof *recent);
        size_t ring_at = 0;
        struct rng r = rng_for(g->seed ^ 0x524f524f524fULL, (uint64_t)s->id);
        if (!recent || db_begin(g->db, true) < 0) {
            free(veh), free(cus), free(recent);
            return recent ? fail(g, "begin") : oom(g);
        }
        for (dms_day day = g->today - (RO_MONTH_DAYS - 1); day <= g->today; day++) {
            int count = (int)(g->orders_per_day * (0.8 + 0.4 * rng_unit(&r)));
            for (int i = 0; i < count && i < 9999; i++) {
                int arr = 8 * 60 + i * 540 / count + (int)(rng_unit(&r) * 10);
                size_t pick = (size_t)(rng_unit(&r) * (double)n) % n;
                int64_t v = veh[pick], c = cus[pick];
                int first_op = -1;
                if (rng_unit(&r) < 0.03) {
                    const struct ro_recent *back = &recent[(size_t)(rng_unit(&r) * (double)ring_n)];
                    if (back->vehicle && day - back->day >= 3 && day - back->day <= 25)
                        v = back->vehicle, c = back->customer, first_op = back->op;
                }
                int op;
                if (ro_write_order(g, s, &r, day, i + 1, arr, v, c, first_op, &op) < 0) {
                    db_rollback(g->db);
                    free(veh), free(cus), free(recent);
                    return -1;
                }
                recent[ring_at] = (struct ro_recent){v, c, op, day};
                ring_at = (ring_at + 1) % ring_n;
                total++;
            }
        }
        free(veh), free(cus), free(recent);
        if (db_commit(g->db) < 0)
            return fail(g, "commit");
    }
    printf("repair orders: %" PRId64 " in %d stores over %d days in %.1f s\n", total, g->n_stores,
           RO_MONTH_DAYS, now_s() - t0);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: dms-gen --db URL --customers N [--stores K (4)] [--years Y (4)]\n"
               "               [--seed S (1)] [--today YYYY-MM-DD (today)] [--no-search-index]\n"
               "               [--keep-indexes] [--no-recompute] [--orders-per-day N (100)]\n");
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    const char *url = NULL, *today = NULL;
    long customers = 0, stores = 4, years = 4, seed = 1;
    struct gen *g = calloc(1, sizeof *g);
    if (!g)
        return 1;
    g->search_index = true;
    g->recompute = true;
    g->orders_per_day = 100;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "--no-search-index") == 0) {
            g->search_index = false;
            continue;
        } else if (strcmp(a, "--keep-indexes") == 0) {
            g->keep_indexes = true;
            continue;
        } else if (strcmp(a, "--no-recompute") == 0) {
            g->recompute = false;
            continue;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(g);
            return 0;
        } else if (!v) {
            ok = false;
        } else if (strcmp(a, "--db") == 0) {
            url = v;
        } else if (strcmp(a, "--customers") == 0) {
            ok = parse_long(v, 1, 100000000, &customers);
        } else if (strcmp(a, "--stores") == 0) {
            ok = parse_long(v, 1, MAX_STORES, &stores);
        } else if (strcmp(a, "--years") == 0) {
            ok = parse_long(v, 1, 20, &years);
        } else if (strcmp(a, "--seed") == 0) {
            ok = parse_long(v, 0, 2147483647, &seed);
        } else if (strcmp(a, "--today") == 0) {
            today = v;
        } else if (strcmp(a, "--orders-per-day") == 0) {
            long n = 0;
            ok = parse_long(v, 0, 9999, &n);
            g->orders_per_day = (int)n;
        } else {
            ok = false;
        }
        if (!ok) {
            fprintf(stderr, "dms-gen: bad argument %s%s%s\n", a, v ? " " : "", v ? v : "");
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (!url || customers < 1) {
        usage(stderr);
        return 2;
    }
    struct dms_error err = {0};
    g->today = date_of_local_seconds((int64_t)time(NULL) + LOCAL_OFFSET);
    if (today && date_parse(today, &g->today, "today", &err) < 0) {
        fprintf(stderr, "dms-gen: --today: %s\n", err.message);
        return 2;
    }
    g->n_customers = customers;
    g->n_stores = (int)stores;
    g->years = (int)years;
    g->seed = (uint64_t)seed;
    int rc = 1;
    double t_start = now_s(), t_load = 0, t_index = 0;
    if (db_open(url, &g->db, &err) < 0 || store_migrate(g->db, NULL, &err) < 0) {
        fprintf(stderr, "dms-gen: %s\n", err.message);
        goto out;
    }
    g->pg = db_kind(g->db) == DB_POSTGRES;
    g->vin_serials = calloc(model_count() * MODEL_YEARS, sizeof *g->vin_serials);
    if (!g->vin_serials) {
        fprintf(stderr, "dms-gen: out of memory\n");
        goto out;
    }
    char day[DATE_STR];
    date_format(g->today, day);
    printf("dms-gen: %s, %ld customers in %d stores, %d years of history up to %s, seed %ld\n",
           g->pg ? "postgres" : "sqlite", customers, g->n_stores, g->years, day, seed);
    if (tables_init(g) < 0 || create_stores(g) < 0 || load_settings(g, true) < 0 ||
        next_id(g, "customers", &g->next_customer) < 0 ||
        next_id(g, "vehicles", &g->next_vehicle) < 0 ||
        next_id(g, "service_records", &g->next_record) < 0)
        goto fail;
    if (!g->keep_indexes) {
        if (db_begin(g->db, true) < 0 || drop_indexes(g) < 0 || db_commit(g->db) < 0) {
            free_indexes(g); /* rolled back: they are all still there */
            goto fail;
        }
    }
    double t0 = now_s();
    if (load(g) < 0)
        goto fail;
    t_load = now_s() - t0;
    printf("rows written in %.1f s\n", t_load);
    if (!g->keep_indexes) {
        t0 = now_s();
        /* One transaction per index: the WAL only ever holds the one being built. */
        if (rebuild_indexes(g) < 0)
            goto fail;
        t_index = now_s() - t0;
        printf("%zu indexes rebuilt in %.1f s\n", g->n_index, t_index);
        free_indexes(g);
    }
    if (load_settings(g, false) < 0 || (g->pg && pg_finish(g) < 0))
        goto fail;
    if (g->recompute && recompute(g) < 0)
        goto fail;
    if (ro_write_month(g) < 0)
        goto fail;
    printf("rows:");
    for (int i = 0; i < T_COUNT; i++)
        printf(" %s %" PRId64 "%s", g->t[i].def->name, g->t[i].total, i + 1 < T_COUNT ? "," : "\n");
    printf("service records:");
    for (int k = 0; k < SERVICE_KIND_COUNT; k++)
        printf(" %s %" PRId64 "%s", SERVICE_KIND_NAMES[k], g->n.records[k],
               k + 1 < SERVICE_KIND_COUNT ? "," : "\n");
    printf("readings:");
    for (int k = 0; k < MILEAGE_SOURCE_COUNT; k++)
        printf(" %s %" PRId64 "%s", MILEAGE_SOURCE_NAMES[k], g->n.readings[k],
               k + 1 < MILEAGE_SOURCE_COUNT ? "," : "\n");
    printf("vehicles with insurance expiry %" PRId64 ", inspection expiry %" PRId64
           ", no plate yet %" PRId64 "\n",
           g->n.insurance, g->n.inspection, g->n.no_plate);
    print_size(g, url);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("total %.1f s (rows %.1f s, indexes %.1f s), peak RSS %ld MB\n", now_s() - t_start,
           t_load, t_index, ru.ru_maxrss / 1024);
    rc = 0;
    goto out;
fail:
    db_rollback(g->db);
    fprintf(stderr, "dms-gen: %s\n", g->error[0] ? g->error : "failed");
    if (g->n_index > 0) {
        fprintf(stderr, "dms-gen: the database is incomplete; putting its indexes back\n");
        if (rebuild_indexes(g) < 0)
            fprintf(stderr, "dms-gen: %s\n", g->error);
    }
out:
    free_indexes(g);
    tables_free(g);
    free(g->vin_serials);
    db_close(g->db);
    free(g);
    return rc;
}
