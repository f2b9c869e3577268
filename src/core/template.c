/* Message templates (MR-3, IN-16): one scanner serves both the check and the rendering, so a
 * template that passes template_check always renders, and one that fails never does. */
#include "core/template.h"

#include "core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

enum placeholder {
    PH_NAME,
    PH_TITLE,
    PH_PLATE,
    PH_DUE_DATE,
    PH_PACKAGE,
    PH_PRICE,
    PH_STORE,
    PH_STORE_PHONE,
    PH_COUNT
};

static const char *const PLACEHOLDERS[PH_COUNT] = {"name",    "title", "plate", "due_date",
                                                   "package", "price", "store", "store_phone"};

/* fen -> "¥1,234.50" (negatives "-¥1.00"). */
static void format_price(int64_t fen, char out[48])
{
    /* Avoid negating INT64_MIN. */
    uint64_t abs = fen < 0 ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
    uint64_t yuan = abs / 100;
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan);
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    memcpy(out + o, "\xC2\xA5", 2); /* U+00A5 YEN SIGN, as used for yuan */
    o += 2;
    for (size_t i = nd; i-- > 0;) {
        out[o++] = digits[i];
        if (i > 0 && i % 3 == 0)
            out[o++] = ',';
    }
    out[o++] = '.';
    out[o++] = (char)('0' + abs % 100 / 10);
    out[o++] = (char)('0' + abs % 10);
    out[o] = '\0';
}

static const char *value_of(enum placeholder ph, const struct template_values *v, char price[48])
{
    switch (ph) {
    case PH_NAME:
        return v->name;
    case PH_TITLE:
        return v->title;
    case PH_PLATE:
        return v->plate;
    case PH_DUE_DATE:
        return v->due_date;
    case PH_PACKAGE:
        return v->package;
    case PH_PRICE:
        if (!v->has_price)
            return v->no_price;
        format_price(v->price_fen, price);
        return price;
    case PH_STORE:
        return v->store;
    case PH_STORE_PHONE:
        return v->store_phone;
    case PH_COUNT:
        break;
    }
    return NULL;
}

/* Checks tpl and, when out is not NULL, renders it with v into out. */
static int scan(const char *tpl, const struct template_values *v, struct strbuf *out,
                const char *field, struct dms_error *err)
{
    if (!tpl)
        return dms_fail(err, "invalid_template", field, "template is missing");
    if (!utf8_is_clean_text(tpl, true))
        return dms_fail(err, "invalid_template", field,
                        "template is not valid UTF-8 text or holds control characters");
    long chars = utf8_length(tpl);
    if (chars > TEMPLATE_MAX_CHARS)
        return dms_fail(err, "invalid_template", field,
                        "template has %ld characters, at most %d are allowed", chars,
                        TEMPLATE_MAX_CHARS);
    const char *p = tpl;
    while (*p) {
        size_t plain = strcspn(p, "{}");
        if (out)
            strbuf_add(out, p, plain);
        p += plain;
        if (!*p)
            break;
        if (p[0] == '}') {
            if (p[1] != '}')
                return dms_fail(err, "invalid_template", field,
                                "unbalanced \"}\" at offset %zu (write \"}}\" for a brace)",
                                (size_t)(p - tpl));
            if (out)
                strbuf_add(out, "}", 1);
            p += 2;
            continue;
        }
        if (p[1] == '{') {
            if (out)
                strbuf_add(out, "{", 1);
            p += 2;
            continue;
        }
        size_t n = strcspn(p + 1, "{}");
        if (p[1 + n] != '}')
            return dms_fail(err, "invalid_template", field,
                            "unbalanced \"{\" at offset %zu (write \"{{\" for a brace)",
                            (size_t)(p - tpl));
        int ph = -1;
        for (int i = 0; i < PH_COUNT; i++) {
            if (strlen(PLACEHOLDERS[i]) == n && memcmp(PLACEHOLDERS[i], p + 1, n) == 0)
                ph = i;
        }
        if (ph < 0) {
            /* Quote at most 32 bytes of the name, cut before a character (the message must
             * stay valid UTF-8 in the middle too). */
            size_t q = n > 32 ? 32 : n;
            while (q > 0 && q < n && ((unsigned char)p[1 + q] & 0xC0) == 0x80)
                q--;
            return dms_fail(err, "invalid_template", field,
                            "unknown placeholder {%.*s}; known: {name} {title} {plate} "
                            "{due_date} {package} {price} {store} {store_phone}",
                            (int)q, p + 1);
        }
        if (out) {
            char price[48];
            const char *val = value_of((enum placeholder)ph, v, price);
            if (val)
                strbuf_add(out, val, strlen(val));
        }
        p += n + 2;
    }
    return 0;
}

int template_check(const char *tpl, const char *field, struct dms_error *err)
{
    return scan(tpl, NULL, NULL, field, err);
}

int template_render(const char *tpl, const struct template_values *v, char **out,
                    struct dms_error *err)
{
    *out = NULL;
    static const struct template_values none = {0};
    struct strbuf b = {0};
    if (scan(tpl, v ? v : &none, &b, "template", err) != 0) {
        free(b.p);
        return -1;
    }
    if (!b.p && !b.oom) {
        b.p = malloc(1);
        if (b.p)
            b.p[0] = '\0';
        else
            b.oom = true;
    }
    if (b.oom) {
        free(b.p);
        return dms_fail(err, "internal", NULL, "out of memory");
    }
    *out = b.p;
    return 0;
}

/* ---- built-in texts (MR-3, IN-16) ---- */

struct default_text {
    const char *kind, *channel, *subject, *body;
};

static const struct default_text DEFAULTS[] = {
    {"maintenance_reminder", "sms", NULL,
     "【{store}】尊敬的{name}{title}，您好！您的爱车{plate}将于{due_date}到期保养，"
     "建议项目：{package}，参考费用{price}。欢迎致电{store_phone}预约，"
     "我们将为您预留工位并提前备好配件。回复TD退订"},
    {"maintenance_reminder", "email", "{store}：您的爱车{plate}保养提醒",
     "尊敬的{name}{title}：\n"
     "\n"
     "您好！根据您的保养记录，您的爱车{plate}下次定期保养日期为{due_date}。\n"
     "\n"
     "建议保养项目：{package}\n"
     "参考费用：{price}\n"
     "\n"
     "为节省您的宝贵时间，欢迎致电{store_phone}提前预约，我们将为您预留工位并提前备好配件。\n"
     "\n"
     "感谢您的信任，祝您用车愉快！\n"
     "\n"
     "{store}\n"
     "服务电话：{store_phone}\n"
     "\n"
     "（本邮件由系统自动发送，请勿直接回复。）\n"},
    {"appointment_reminder", "sms", NULL,
     "【{store}】尊敬的{name}{title}，您好！温馨提醒：您的爱车{plate}已预约{due_date}到店，"
     "服务内容：{package}，预计费用{price}。如需改约请致电{store_phone}。回复TD退订"},
    {"appointment_reminder", "email", "{store}：您的预约提醒",
     "尊敬的{name}{title}：\n"
     "\n"
     "您好！温馨提醒：您的爱车{plate}已预约于{due_date}到店服务。\n"
     "\n"
     "服务内容：{package}\n"
     "预计费用：{price}\n"
     "\n"
     "如需改约或取消，请致电{store_phone}。期待您的光临！\n"
     "\n"
     "{store}\n"
     "服务电话：{store_phone}\n"
     "\n"
     "（本邮件由系统自动发送，请勿直接回复。）\n"},
    /* RO-5: the car is ready for pickup (the repair order passed its quality check). {due_date}
     * is the time promised, {package} the work done, {price} what the customer pays. */
    {"car_ready", "sms", NULL,
     "【{store}】尊敬的{name}{title}，您好！您的爱车{plate}已完工并通过质检，可随时到店取车，"
     "应付金额{price}。如有疑问请致电{store_phone}。回复TD退订"},
    {"car_ready", "email", "{store}：您的爱车已完工",
     "尊敬的{name}{title}：\n"
     "\n"
     "您好！您的爱车{plate}已完工并通过质检，可随时到店取车。\n"
     "\n"
     "完成项目：{package}\n"
     "应付金额：{price}\n"
     "\n"
     "如有疑问，请致电{store_phone}。\n"
     "\n"
     "{store}\n"
     "服务电话：{store_phone}\n"
     "\n"
     "（本邮件由系统自动发送，请勿直接回复。）\n"},
};

const char *template_default(const char *kind, const char *channel, const char **subject)
{
    if (subject)
        *subject = NULL;
    if (!kind || !channel)
        return NULL;
    for (size_t i = 0; i < sizeof DEFAULTS / sizeof DEFAULTS[0]; i++) {
        if (strcmp(DEFAULTS[i].kind, kind) == 0 && strcmp(DEFAULTS[i].channel, channel) == 0) {
            if (subject)
                *subject = DEFAULTS[i].subject;
            return DEFAULTS[i].body;
        }
    }
    return NULL;
}
