/* The demo data set's catalogues (demo.c draws from them): the staff accounts and body-shop
 * fitters, addresses in Shenzhen, fleet customers' company names, what customers ask for and
 * what staff note, the car models with their VIN parts, plates from elsewhere, each engine
 * family's maintenance parts, the repair, warranty and accident jobs with their operations and
 * parts, insurers, recall campaigns, the maintenance plans the store sells, mobile prefixes,
 * e-mail domains and the notes of confirmed contact details. Data only; the types and sizes
 * are in demo_catalogue.h. */
#include "cli/demo_catalogue.h"
#include "core/customer.h"
#include "core/service_record.h"

/* ---- staff: one account per role ---- */

const struct staff STAFF[] = {
    {"admin", ROLE_ADMIN, "周建国"},       {"advisor", ROLE_ADVISOR, "李娜"},
    {"caller", ROLE_CALLER, "陈静"},       {"manager", ROLE_SERVICE_MANAGER, "王强"},
    {"parts", ROLE_PARTS_MANAGER, "刘洋"}, {"workshop", ROLE_WORKSHOP, "张伟"},
    {"warranty", ROLE_WARRANTY, "黄丽"},
};

const char *const BODY_SHOP[] = {"谢建新", "潘志勇"};

/* ---- addresses in Shenzhen ---- */

const struct area AREAS[] = {
    /* The store is in Bao'an: its customers live mostly nearby (the first six). */
    {"宝安区", "新安街道宝民二路", {"富华花园", "天骄世家", "海富花园"}},
    {"宝安区", "西乡街道前进二路", {"桃源居", "阳光海湾", "西城上筑"}},
    {"宝安区", "福永街道凤凰大道", {"锦绣花园", "凤凰岭花园", "福海苑"}},
    {"宝安区", "沙井街道新沙路", {"京基御景", "中熙香山美林", "万丰新村"}},
    {"宝安区", "航城街道鹤洲路", {"鹤洲花园", "航城名庭", "黄田新村"}},
    {"宝安区", "石岩街道石龙大道", {"石岩湖花园", "宏发雍景城", "浪心新村"}},
    {"南山区", "粤海街道科苑南路", {"阳光带海滨城", "海印长城", "科苑花园"}},
    {"南山区", "南头街道南山大道", {"前海花园", "荔林春晓", "南山花园"}},
    {"南山区", "蛇口街道工业八路", {"半岛城邦", "四海花园", "海湾花园"}},
    {"南山区", "西丽街道留仙大道", {"留仙居", "西丽湖花园", "桃源村"}},
    {"福田区", "莲花街道景田北路", {"景田花园", "天健阳光华苑", "景蜜村"}},
    {"福田区", "沙头街道福华三路", {"卓越城", "星河国际", "金地花园"}},
    {"福田区", "梅林街道梅林路", {"梅林一村", "梅华苑", "下梅林花园"}},
    {"龙岗区", "布吉街道吉华路", {"信义假日名城", "大芬花园", "长龙花园"}},
    {"龙岗区", "坂田街道五和大道", {"万科城", "四季花城", "佳兆业城市广场"}},
    {"龙岗区", "龙城街道龙翔大道", {"中海怡翠山庄", "愉园新村", "龙城花园"}},
    {"龙华区", "民治街道民治大道", {"水榭春天", "潜龙花园", "丰泽湖山庄"}},
    {"龙华区", "观澜街道观澜大道", {"观澜湖新城", "君子布花园", "观城世家"}},
    {"罗湖区", "东门街道东门中路", {"鸿业苑", "东乐花园", "金城大厦"}},
    {"光明区", "公明街道松白路", {"公明花园", "光明城花园", "上村新村"}},
};

/* ---- companies (fleet customers) ---- */

const struct syllables COMPANY_BRANDS[] = {
    {"顺达", "shunda"},  {"鹏程", "pengcheng"}, {"华信", "huaxin"},     {"永利", "yongli"},
    {"安泰", "antai"},   {"恒通", "hengtong"},  {"联创", "lianchuang"}, {"宏远", "hongyuan"},
    {"金辉", "jinhui"},  {"嘉禾", "jiahe"},     {"远航", "yuanhang"},   {"骏马", "junma"},
    {"南粤", "nanyue"},  {"天成", "tiancheng"}, {"海纳", "haina"},      {"兴业", "xingye"},
    {"东昊", "donghao"}, {"盛世", "shengshi"},  {"鑫源", "xinyuan"},    {"泰和", "taihe"},
    {"凯达", "kaida"},   {"德力", "deli"},      {"新航", "xinhang"},    {"粤海", "yuehai"},
};

const char *const INDUSTRIES[] = {
    "物流",       "建筑工程", "电子科技", "贸易",     "汽车租赁", "物业管理", "餐饮管理",
    "供应链管理", "医疗器械", "环保科技", "装饰工程", "信息技术", "实业",
};

const char *const BUILDINGS[] = {"创业大厦", "科技园A栋", "工业区3栋",
                                 "商务中心", "物流园",    "国际大厦"};

/* ---- what customers ask for (CRM-6) and what staff note about them ---- */

const char *const NEED_NOTES[NEED_COUNT][3] = {
    [NEED_PICKUP] = {"上门取车，地址同家庭住址", "周六上午方便，需上门取车", "需代步车"},
    [NEED_DELIVERY] = {"保养完送车到公司楼下", "送车前请先电话联系", "晚上七点后送车到小区门口"},
    [NEED_ACCESSORIES] = {"想加装行车记录仪", "考虑更换全包围脚垫", "咨询原厂车顶行李架"},
    [NEED_INSURANCE_RENEWAL] = {"保险到期前一个月提醒续保", "续保请报平安保险的价格",
                                "交强险和商业险一起续"},
    [NEED_CLAIM] = {"出险后请协助理赔", "理赔资料请发邮箱", "有事故请直接联系服务顾问"},
    [NEED_WASH] = {"保养后免费洗车", "洗车不要打蜡", "内饰需要吸尘"},
};

const char *const INDIVIDUAL_NOTES[] = {
    "老客户，介绍过两位朋友来店购车。",
    "对价格比较敏感，报价请说明工时和材料费。",
    "上次保养等待时间较长有抱怨，已回访致歉。",
    "工作日白天不方便接电话，请发短信。",
    "只接受原厂配件。",
    "喜欢提前预约，一般选周六上午。",
};

const char *const LOST_NOTES[] = {
    "回访时表示已在外面的修理厂保养。",
    "客户已搬到东莞，就近保养。",
    "对上次维修价格不满意，暂不回店。",
    "电话多次未接通。",
};

/* ---- cars ---- */

const struct model MODELS[] = {
    {"大众", "速腾", "LFV", "2A2BU", '3', 2015, 0, ENGINE_EA211, 20, 40},
    {"大众", "宝来", "LFV", "2A1BS", 'F', 2015, 0, ENGINE_EA211, 14, 40},
    {"大众", "高尔夫", "LFV", "2A1AU", 'F', 2015, 0, ENGINE_EA211, 5, 35},
    {"大众", "捷达", "LFV", "2A21K", '3', 2015, 2019, ENGINE_EA211, 5, 50},
    {"大众", "迈腾", "LFV", "3A23C", '3', 2015, 0, ENGINE_EA888, 16, 45},
    {"大众", "CC", "LFV", "3A2CN", '3', 2019, 0, ENGINE_EA888, 4, 35},
    {"大众", "探岳", "LFV", "3B2FH", 'K', 2018, 0, ENGINE_EA888, 12, 40},
    {"大众", "探歌", "LFV", "2B1FS", 'F', 2018, 0, ENGINE_EA211, 6, 30},
    {"大众", "揽境", "LFV", "3B2GD", 'K', 2021, 0, ENGINE_EA888, 4, 45},
    {"大众", "ID.4 CROZZ", "LFV", "6E2ZA", 'F', 2021, 0, ENGINE_EV, 6, 45},
    {"大众", "ID.6 CROZZ", "LFV", "6E3ZB", 'F', 2021, 0, ENGINE_EV, 3, 45},
    /* Other brands the store services for loyal customers' second cars. */
    {"丰田", "卡罗拉", "LFM", "AP2E1", '4', 2015, 0, ENGINE_TOYOTA, 2, 35},
    {"丰田", "凯美瑞", "LVG", "BM4FK", '1', 2015, 0, ENGINE_TOYOTA, 1, 40},
    {"本田", "雅阁", "LHG", "CV1G3", '5', 2015, 0, ENGINE_HONDA, 2, 40},
};

/* Plates from elsewhere: customers from Guangzhou, Dongguan and the inland provinces. */
const char *const OTHER_PLATE_PREFIXES[] = {"粤A", "粤S", "粤E", "湘A", "湘L", "赣B", "桂A", "川A"};

/* ---- parts and maintenance ---- */

/* The consumables of one engine family (electric cars have no oil, filters or plugs). */
const struct kit KITS[] = {
    [ENGINE_EA211] = {.oil = {"G 055 167 M4", "机油 5W-30 4L", 39000},
                      .oil_filter = {"04E115561H", "机油滤清器", 6500},
                      .air_filter = {"5Q0129620B", "空气滤清器", 12800},
                      .cabin_filter = {"5Q0819653", "空调滤清器", 9800},
                      .spark_plug = {"04E905612C", "火花塞", 6800},
                      .drain_plug = {"N 902 029 05", "放油螺塞", 2800},
                      .brake_fluid = {"B 000 750 M3", "刹车油 DOT4 1L", 12000},
                      .oil_hours_x100 = 60},
    [ENGINE_EA888] = {.oil = {"G 055 167 M4", "机油 5W-30 4L", 39000},
                      .oil_1l = {"G 055 167 M2", "机油 5W-30 1L", 11000},
                      .oil_1l_qty = 2,
                      .oil_filter = {"06L115562", "机油滤清器", 6500},
                      .air_filter = {"3Q0129620B", "空气滤清器", 13800},
                      .cabin_filter = {"5Q0819653", "空调滤清器", 9800},
                      .spark_plug = {"06K905601B", "火花塞", 9500},
                      .drain_plug = {"N 908 132 01", "放油螺塞", 2800},
                      .brake_fluid = {"B 000 750 M3", "刹车油 DOT4 1L", 12000},
                      .oil_hours_x100 = 80},
    [ENGINE_EV] = {.cabin_filter = {"11A819644", "空调滤清器（含活性炭）", 26000},
                   .brake_fluid = {"B 000 750 M3", "刹车油 DOT4 1L", 12000}},
    [ENGINE_TOYOTA] = {.oil = {"08880-13705", "丰田原厂机油 0W-20 4L", 36000},
                       .oil_filter = {"90915-YZZE1", "机油滤清器", 4800},
                       .air_filter = {"17801-0T030", "空气滤清器", 9500},
                       .cabin_filter = {"87139-0N010", "空调滤清器", 8500},
                       .spark_plug = {"90919-01253", "火花塞", 8800},
                       .drain_plug = {"90430-12031", "放油螺塞垫片", 500},
                       .brake_fluid = {"08823-80010", "刹车油 DOT3 1L", 9000},
                       .oil_hours_x100 = 50},
    [ENGINE_HONDA] = {.oil = {"08218-99974", "本田原厂机油 0W-20 4L", 35000},
                      .oil_filter = {"15400-RTA-003", "机油滤清器", 4500},
                      .air_filter = {"17220-6A0-A00", "空气滤清器", 11000},
                      .cabin_filter = {"80292-TBA-A11", "空调滤清器", 9000},
                      .spark_plug = {"12290-6A0-A01", "火花塞", 9800},
                      .drain_plug = {"94109-14000", "放油螺塞垫片", 500},
                      .brake_fluid = {"08203-99938", "刹车油 DOT3 1L", 9000},
                      .oil_hours_x100 = 50},
};

const struct kit_part DSG_OIL = {"G 052 182 A2", "双离合变速箱油 1L", 16000};
const struct kit_part DSG_FILTER = {"0GC325183", "变速箱滤芯", 18000};
const struct kit_part FUEL_CLEANER = {"G 001 780 A2", "燃油系统清洗剂", 6800};

/* ---- repair, warranty and accident jobs ---- */

#define JOB(k, eng, km, days) .kind = (k), .engines = (eng), .min_km = (km), .min_days = (days)

const struct job REPAIRS[] = {
    {JOB(SERVICE_REPAIR, ENG_VW, 35000, 365),
     .notes = "客户反映刹车时有尖锐异响。检查前刹车片剩余约 2 mm，更换前刹车片并清洁刹车卡钳。",
     .labour = {{"B01", "更换前刹车片", 100}},
     .parts = {{{"5Q0698151B", "前刹车片（套）", 68000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_VW_ICE, 0, 3 * 365),
     .notes = "客户反映早上启动困难。检测蓄电池健康度 45%，更换蓄电池。",
     .labour = {{"E01", "更换蓄电池", 30}},
     .parts = {{{"6R0915105B", "蓄电池 12V 60Ah", 98000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_JAPAN, 0, 3 * 365),
     .notes = "客户反映仪表提示电压低，启动无力。检测蓄电池老化，更换蓄电池。",
     .labour = {{"E01", "更换蓄电池", 30}}, .parts = {{{"6-QW-60", "蓄电池 12V 60Ah", 78000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_ALL, 30000, 2 * 365),
     .notes = "右前轮胎侧面鼓包，客户要求更换前轮两条轮胎并做四轮定位。",
     .labour = {{"T01", "拆装轮胎及动平衡", 60}, {"T02", "四轮定位", 100}},
     .parts = {{{"TYRE-2254517", "米其林轮胎 225/45 R17", 85000}, 2}}},
    {JOB(SERVICE_REPAIR, ENG_VW, 20000, 365),
     .notes = "客户反映过减速带时前部有咯噔声。检查左前稳定杆连杆球头松旷，更换。",
     .labour = {{"D01", "底盘异响检查", 50}, {"S01", "更换稳定杆连杆", 60}},
     .parts = {{{"5Q0411315A", "前稳定杆连杆", 32000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_ALL, 0, 2 * 365),
     .notes = "空调制冷效果差。检测冷媒不足，检漏未见明显泄漏，抽真空后加注冷媒。",
     .labour = {{"A01", "空调系统检测", 50}, {"A02", "抽真空加注冷媒", 80}},
     .parts = {{{"R1234YF-500", "冷媒 R1234yf 500g", 28000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_VW, 0, 365), .notes = "前雨刮刮不干净、有跳动，更换前雨刮片。",
     .labour = {{"W01", "更换雨刮片", 20}}, .parts = {{{"5GD955425", "前雨刮片（套）", 26000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG_VW_ICE, 40000, 2 * 365),
     .notes = "发动机故障灯亮、怠速抖动。读取故障码 P0301（1 缸失火），更换 1 缸点火线圈。",
     .labour = {{"E02", "发动机故障诊断", 50}, {"E03", "更换点火线圈", 40}},
     .parts = {{{"04E905110K", "点火线圈", 42000}, 1}}},
    {JOB(SERVICE_REPAIR, ENG(ENGINE_EV), 0, 365),
     .notes = "客户反映车辆提示 12V 蓄电池电量低。检测低压蓄电池亏电，充电后复检正常，"
              "升级低压管理软件。",
     .labour = {{"E04", "低压蓄电池检测充电", 50}, {"E05", "控制单元软件升级", 50}}},
    {JOB(SERVICE_REPAIR, ENG(ENGINE_EV), 0, 180),
     .notes = "充电口盖偶尔无法弹开，调整充电口盖锁止机构。",
     .labour = {{"E06", "充电口盖调整", 40}}},
};

/* Warranty work (3 years or 100,000 km): billed to the manufacturer, not the customer. */
const struct job WARRANTY_JOBS[] = {
    {JOB(SERVICE_WARRANTY, ENG_VW_ICE, 10000, 180),
     .notes = "冷却液液位报警，检查水泵渗漏。保修期内更换水泵总成，客户无需付费。",
     .labour = {{"WE01", "更换水泵总成", 180}},
     .parts = {{{"06L121111H", "水泵总成", 145000}, 1},
               {{"G 013 A8J M1", "冷却液 1.5L", 8000}, 2}}},
    {JOB(SERVICE_WARRANTY, ENG_VW, 0, 90),
     .notes = "左前车窗升降时有异响、偶尔卡滞，保修更换车窗升降器。",
     .labour = {{"WB01", "更换左前车窗升降器", 120}},
     .parts = {{{"5GG837461", "左前车窗升降器", 68000}, 1}}},
    {JOB(SERVICE_WARRANTY, ENG_VW, 0, 30),
     .notes = "中控屏偶发黑屏重启，升级信息娱乐系统软件后试车正常。",
     .labour = {{"WL01", "信息娱乐系统软件升级", 50}}},
    {JOB(SERVICE_WARRANTY, ENG_VW, 0, 180),
     .notes = "下雨后副驾脚垫潮湿。检查天窗排水管堵塞，疏通并烘干地毯。",
     .labour = {{"WB02", "天窗排水管疏通", 100}, {"WB03", "地毯拆装烘干", 150}}},
};

/* Body shop work; `insured` ones get the insurer's claim number in the notes. */
const struct job ACCIDENTS[] = {
    {JOB(SERVICE_ACCIDENT, ENG_VW, 0, 30), .insured = true,
     .notes = "追尾事故，前保险杠及左前大灯损坏。",
     .labour = {{"P01", "前保险杠拆装钣金", 200},
                {"P02", "前保险杠喷漆", 300},
                {"P03", "更换左前大灯", 80}},
     .parts = {{{"5GG807221", "前保险杠皮", 120000}, 1},
               {{"5GG941005", "左前大灯总成", 260000}, 1},
               {{"PAINT-01", "油漆辅料", 45000}, 1}}},
    {JOB(SERVICE_ACCIDENT, ENG_ALL, 0, 30),
     .notes = "倒车刮擦右后门及后翼子板，钣金喷漆。客户自费。",
     .labour = {{"P04", "右后门钣金", 150}, {"P05", "右后门及翼子板喷漆", 400}},
     .parts = {{{"PAINT-01", "油漆辅料", 60000}, 1}}},
    {JOB(SERVICE_ACCIDENT, ENG_VW, 0, 30), .insured = true,
     .notes = "停车时左后视镜被撞碎，更换后视镜镜片及外壳。",
     .labour = {{"P06", "更换外后视镜镜片及外壳", 50}},
     .parts = {{{"5G0857521", "左后视镜镜片", 38000}, 1},
               {{"5G0857537", "左后视镜外壳", 52000}, 1}}},
};

#undef JOB

const char *const INSURERS[] = {"平安保险", "人保财险", "太平洋保险", "大地保险"};

/* Recall campaigns (CS-5): cars of a model sold before the campaign started. */
const struct recall RECALLS[] = {
    {"速腾", "召回活动 22R1：检查并更换后轴纵臂固定螺栓，厂家承担费用。", "RC01",
     "检查更换后轴纵臂螺栓", 2022, 9, 1, 80},
    {"ID.4 CROZZ", "召回活动 23Q7：高压电池管理系统软件升级，厂家承担费用。", "RC02",
     "电池管理系统软件升级", 2023, 6, 20, 100},
    {"ID.6 CROZZ", "召回活动 23Q7：高压电池管理系统软件升级，厂家承担费用。", "RC02",
     "电池管理系统软件升级", 2023, 6, 20, 100},
    {"探岳", "召回活动 23T2：更换前排乘客座椅占用传感器线束，厂家承担费用。", "RC03",
     "更换座椅占用传感器线束", 2023, 11, 10, 120},
    {"迈腾", "召回活动 24F3：升级双离合变速箱控制软件并检查机电单元，厂家承担费用。", "RC04",
     "变速箱控制软件升级", 2024, 3, 15, 60},
};

/* ---- maintenance plans (MR-1, IN-7) ---- */

/* The store's plans: the brand's package, the bigger engines' and the second brands' own, each
 * from its engine's kit; the electric cars' from the models in EVS. */
const struct kit_plan PLANS[] = {{"大众", "", ENGINE_EA211},     {"大众", "迈腾", ENGINE_EA888},
                                 {"大众", "CC", ENGINE_EA888},   {"大众", "探岳", ENGINE_EA888},
                                 {"大众", "揽境", ENGINE_EA888}, {"丰田", "", ENGINE_TOYOTA},
                                 {"本田", "", ENGINE_HONDA}};

/* Electric cars: no oil; a yearly check with the cabin filter. */
const char *const EVS[] = {"ID.4 CROZZ", "ID.6 CROZZ"};

/* ---- phones, e-mail and contact confirmations ---- */

/* The prefixes of the mobile numbers the demo hands out (1[3-9] + 9 digits). */
const char *const MOBILE_PREFIXES[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199"};

const char *const EMAIL_DOMAINS[] = {"163.com",  "126.com",     "139.com",
                                     "sina.com", "foxmail.com", "hotmail.com"};

/* CRM-4: what the caller noted when a customer confirmed the details in a call. */
const char *const CONFIRMED_NOTES[] = {"保养提醒电话中核对，联系方式无变化。",
                                       "回访时客户确认手机号和地址不变。",
                                       "预约来电时核对联系方式。"};
