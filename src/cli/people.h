/* What the demo data set (demo.c) and the benchmark's dealer group (bench/gen_group.c) draw
 * from: a small deterministic random generator (splitmix64) and the Chinese names of people.
 * Header-only, so each program keeps its own streams. */
#ifndef DMS_CLI_PEOPLE_H
#define DMS_CLI_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
    uint64_t state;
};

static inline uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static inline int rng_int(struct rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static inline size_t rng_below(struct rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

static inline bool rng_percent(struct rng *r, int percent)
{
    return rng_int(r, 0, 99) < percent;
}

/* Favours the front of a list ordered by frequency (surnames): the smaller of two draws. */
static inline size_t rng_skewed(struct rng *r, size_t n)
{
    size_t a = rng_below(r, n), b = rng_below(r, n);
    return a < b ? a : b;
}

struct syllables {
    const char *han, *pinyin;
};

/* The common surnames, most frequent first (rng_skewed favours the front). */
static const struct syllables SURNAMES[] = {
    {"王", "wang"},  {"李", "li"},    {"张", "zhang"}, {"刘", "liu"},   {"陈", "chen"},
    {"杨", "yang"},  {"黄", "huang"}, {"赵", "zhao"},  {"吴", "wu"},    {"周", "zhou"},
    {"徐", "xu"},    {"孙", "sun"},   {"马", "ma"},    {"朱", "zhu"},   {"胡", "hu"},
    {"郭", "guo"},   {"何", "he"},    {"高", "gao"},   {"林", "lin"},   {"罗", "luo"},
    {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"},   {"宋", "song"},  {"唐", "tang"},
    {"许", "xu"},    {"韩", "han"},   {"冯", "feng"},  {"邓", "deng"},  {"曹", "cao"},
    {"彭", "peng"},  {"曾", "zeng"},  {"萧", "xiao"},  {"田", "tian"},  {"董", "dong"},
    {"潘", "pan"},   {"袁", "yuan"},  {"蔡", "cai"},   {"蒋", "jiang"}, {"余", "yu"},
    {"于", "yu"},    {"杜", "du"},    {"叶", "ye"},    {"程", "cheng"}, {"魏", "wei"},
    {"苏", "su"},    {"吕", "lv"},    {"丁", "ding"},  {"任", "ren"},   {"沈", "shen"},
    {"姚", "yao"},   {"卢", "lu"},    {"姜", "jiang"}, {"崔", "cui"},   {"钟", "zhong"},
    {"谭", "tan"},   {"陆", "lu"},    {"汪", "wang"},  {"范", "fan"},   {"金", "jin"},
    {"石", "shi"},   {"廖", "liao"},  {"贾", "jia"},   {"夏", "xia"},   {"韦", "wei"},
    {"付", "fu"},    {"方", "fang"},  {"白", "bai"},   {"邹", "zou"},   {"孟", "meng"},
    {"熊", "xiong"}, {"秦", "qin"},   {"邱", "qiu"},   {"江", "jiang"}, {"尹", "yin"},
    {"薛", "xue"},   {"闫", "yan"},   {"段", "duan"},  {"雷", "lei"},   {"侯", "hou"},
    {"龙", "long"},  {"史", "shi"},   {"黎", "li"},    {"贺", "he"},    {"顾", "gu"},
    {"毛", "mao"},   {"郝", "hao"},   {"龚", "gong"},  {"邵", "shao"},  {"万", "wan"},
    {"钱", "qian"},  {"严", "yan"},   {"覃", "qin"},   {"武", "wu"},    {"戴", "dai"},
    {"莫", "mo"},    {"孔", "kong"},  {"向", "xiang"}, {"汤", "tang"},
};

static const struct syllables MALE_NAMES[] = {
    {"伟", "wei"},        {"强", "qiang"},       {"磊", "lei"},         {"军", "jun"},
    {"勇", "yong"},       {"杰", "jie"},         {"涛", "tao"},         {"斌", "bin"},
    {"超", "chao"},       {"鹏", "peng"},        {"辉", "hui"},         {"峰", "feng"},
    {"建华", "jianhua"},  {"志强", "zhiqiang"},  {"俊杰", "junjie"},    {"浩然", "haoran"},
    {"子轩", "zixuan"},   {"文博", "wenbo"},     {"国平", "guoping"},   {"海涛", "haitao"},
    {"晓东", "xiaodong"}, {"立新", "lixin"},     {"永强", "yongqiang"}, {"建军", "jianjun"},
    {"志明", "zhiming"},  {"家豪", "jiahao"},    {"伟明", "weiming"},   {"国栋", "guodong"},
    {"振华", "zhenhua"},  {"宇航", "yuhang"},    {"明辉", "minghui"},   {"嘉伟", "jiawei"},
    {"少华", "shaohua"},  {"德胜", "desheng"},   {"思远", "siyuan"},    {"一鸣", "yiming"},
    {"晨阳", "chenyang"}, {"泽宇", "zeyu"},      {"建国", "jianguo"},   {"卫东", "weidong"},
    {"俊豪", "junhao"},   {"耀华", "yaohua"},    {"文杰", "wenjie"},    {"志伟", "zhiwei"},
    {"宏伟", "hongwei"},  {"春生", "chunsheng"}, {"梓豪", "zihao"},     {"子健", "zijian"},
    {"永辉", "yonghui"},  {"锦荣", "jinrong"},   {"伟健", "weijian"},   {"冠华", "guanhua"},
};

static const struct syllables FEMALE_NAMES[] = {
    {"芳", "fang"},       {"娜", "na"},        {"敏", "min"},       {"静", "jing"},
    {"丽", "li"},         {"艳", "yan"},       {"娟", "juan"},      {"霞", "xia"},
    {"燕", "yan"},        {"婷", "ting"},      {"颖", "ying"},      {"琳", "lin"},
    {"秀英", "xiuying"},  {"丽娟", "lijuan"},  {"晓燕", "xiaoyan"}, {"婷婷", "tingting"},
    {"雅琪", "yaqi"},     {"欣怡", "xinyi"},   {"思雨", "siyu"},    {"美玲", "meiling"},
    {"静怡", "jingyi"},   {"丹丹", "dandan"},  {"海燕", "haiyan"},  {"春梅", "chunmei"},
    {"玉兰", "yulan"},    {"慧敏", "huimin"},  {"雪梅", "xuemei"},  {"佳怡", "jiayi"},
    {"梓涵", "zihan"},    {"诗琪", "shiqi"},   {"晓丽", "xiaoli"},  {"红霞", "hongxia"},
    {"淑华", "shuhua"},   {"嘉欣", "jiaxin"},  {"文静", "wenjing"}, {"晓琳", "xiaolin"},
    {"凤英", "fengying"}, {"月华", "yuehua"},  {"雨桐", "yutong"},  {"梦瑶", "mengyao"},
    {"巧玲", "qiaoling"}, {"金凤", "jinfeng"}, {"翠萍", "cuiping"}, {"秀珍", "xiuzhen"},
    {"宝仪", "baoyi"},    {"咏琪", "yongqi"},  {"惠玲", "huiling"}, {"少芬", "shaofen"},
};

/* Who did the work, as the repair order names them. */
static const char *const TECHNICIANS[] = {"陈志强", "刘海波", "黄俊",   "吴国栋", "林晓峰",
                                          "郑伟",   "梁家豪", "何永明", "钟文杰"};

#endif
