/* Unit tests for core/template (MR-3, IN-16): placeholders and literal braces, the errors for
 * unknown placeholders and unbalanced braces, the length limit at its boundary, price
 * formatting with grouping, empty values, and the built-in Chinese texts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "core/utf8.h"

static const struct template_values VALUES = {
    .name = "张三",
    .title = "先生",
    .plate = "粤B12345",
    .due_date = "2025-12-08",
    .package = "机油+机滤",
    .store = "深圳一店",
    .store_phone = "0755-12345678",
    .price_fen = 123450,
    .has_price = true,
};

/* ---- helpers ---- */

static void assert_render(const char *tpl, const struct template_values *v, const char *want)
{
    char *out = (char *)1;
    struct dms_error err = {0};
    if (template_render(tpl, v, &out, &err) != 0)
        fail_msg("\"%s\" refused: %s", tpl, err.message);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" rendered \"%s\", want \"%s\"", tpl, out, want);
    assert_int_equal(template_check(tpl, "sms_template", NULL), 0);
    free(out);
}

static void assert_refused(const char *tpl, const char *what)
{
    struct dms_error err = {0};
    if (template_check(tpl, "sms_template", &err) != -1)
        fail_msg("\"%s\" accepted", tpl);
    assert_string_equal(err.code, "invalid_template");
    assert_string_equal(err.field, "sms_template");
    if (what && !strstr(err.message, what))
        fail_msg("\"%s\": message \"%s\" does not say \"%s\"", tpl, err.message, what);
    assert_true(utf8_length(err.message) >= 0);
    char *out = (char *)1;
    assert_int_equal(template_render(tpl, &VALUES, &out, &err), -1);
    assert_null(out);
    assert_string_equal(err.code, "invalid_template");
}

static void assert_price(int64_t fen, const char *want)
{
    struct template_values v = {.price_fen = fen, .has_price = true};
    assert_render("{price}", &v, want);
}

/* ---- braces ---- */

static void test_template_literal_braces(void **state)
{
    (void)state;
    assert_render("{{", &VALUES, "{");
    assert_render("}}", &VALUES, "}");
    assert_render("{{name}}", &VALUES, "{name}");
    assert_render("{{{name}}}", &VALUES, "{张三}");
    assert_render("a{{b}}c", &VALUES, "a{b}c");
    assert_render("}}{{", &VALUES, "}{");
}

static void test_template_unbalanced_braces(void **state)
{
    (void)state;
    assert_refused("{", "unbalanced");
    assert_refused("}", "unbalanced");
    assert_refused("{name", "unbalanced");
    assert_refused("name}", "unbalanced");
    assert_refused("{{{", "unbalanced");
    assert_refused("}}}", "unbalanced");
    assert_refused("{na{me}", "unbalanced");
    assert_refused("{name}}", "unbalanced");
    assert_refused("您好{", "unbalanced");
}

static void test_template_unknown_placeholders(void **state)
{
    (void)state;
    assert_refused("{}", "unknown placeholder");
    assert_refused("{Name}", "{Name}");
    assert_refused("{ name }", "unknown placeholder");
    assert_refused("{phone}", "{phone}");
    assert_refused("{姓名}", "{姓名}");
    assert_refused("{due-date}", "unknown placeholder");
    assert_refused("{name}{storephone}", "{storephone}");
    /* A long unknown name is quoted cut between characters: the message stays UTF-8. */
    assert_refused("{一二三四五六七八九十一二三四五六七八九十}", "unknown placeholder");
}

/* ---- placeholders ---- */

static void test_template_every_placeholder(void **state)
{
    (void)state;
    assert_render("{name}{title}|{plate}|{due_date}|{package}|{price}|{store}|{store_phone}",
                  &VALUES,
                  "张三先生|粤B12345|2025-12-08|机油+机滤|¥1,234.50|深圳一店|0755-12345678");
    assert_render("{name}{name}", &VALUES, "张三张三");
    assert_render("", &VALUES, "");
    assert_render("没有占位符", &VALUES, "没有占位符");
}

static void test_template_empty_values(void **state)
{
    (void)state;
    struct template_values v = {.name = "", .plate = NULL};
    assert_render(
        "[{name}][{title}][{plate}][{due_date}][{package}][{price}][{store}][{store_phone}]", &v,
        "[][][][][][][][]");
    assert_render("[{price}]", NULL, "[]");
    /* has_price false hides even a set amount. */
    struct template_values p = {.price_fen = 500, .has_price = false};
    assert_render("[{price}]", &p, "[]");
    /* MR-3: a car without a plan has no package price; the text says so instead. */
    p.no_price = "以到店报价为准";
    assert_render("参考费用{price}。", &p, "参考费用以到店报价为准。");
    p.has_price = true;
    assert_render("{price}", &p, "¥5.00");
}

static void test_template_values_are_not_expanded(void **state)
{
    (void)state;
    /* A value holding braces is copied as is, never read as a placeholder. */
    struct template_values v = {.name = "{plate}", .plate = "X", .package = "}}{{"};
    assert_render("{name}/{package}", &v, "{plate}/}}{{");
}

static void test_template_price_grouping(void **state)
{
    (void)state;
    assert_price(0, "¥0.00");
    assert_price(1, "¥0.01");
    assert_price(99, "¥0.99");
    assert_price(100, "¥1.00");
    assert_price(99999, "¥999.99");
    assert_price(100000, "¥1,000.00");
    assert_price(123450, "¥1,234.50");
    assert_price(99999999, "¥999,999.99");
    assert_price(100000000, "¥1,000,000.00");
    assert_price(10000000000, "¥100,000,000.00");
    assert_price(-150, "-¥1.50");
    assert_price(-123456789, "-¥1,234,567.89");
    assert_price(INT64_MAX, "¥92,233,720,368,547,758.07");
    assert_price(INT64_MIN, "-¥92,233,720,368,547,758.08");
}

/* ---- text checks ---- */

static void test_template_length_limit(void **state)
{
    (void)state;
    /* 1000 characters (3000 bytes of Chinese) pass, 1001 do not. */
    char *tpl = malloc(3 * 1001 + 1);
    assert_non_null(tpl);
    tpl[0] = '\0';
    for (int i = 0; i < 1000; i++)
        strcat(tpl, "提");
    assert_int_equal(template_check(tpl, "t", NULL), 0);
    strcat(tpl, "醒");
    assert_refused(tpl, "1001 characters");
    /* Braces count as characters too: "{{" is two. */
    memset(tpl, '{', 1000);
    tpl[1000] = '\0';
    assert_int_equal(template_check(tpl, "t", NULL), 0);
    tpl[1000] = '{', tpl[1001] = '{', tpl[1002] = '\0';
    assert_refused(tpl, "characters");
    free(tpl);
}

static void test_template_refuses_bad_text(void **state)
{
    (void)state;
    assert_refused("您好\xFF", "UTF-8");
    assert_refused("\xE6\x82", "UTF-8");
    assert_refused("a\x01"
                   "b",
                   "control");
    assert_refused("a\x7F", "control");
    assert_refused(NULL, "missing");
    /* Line breaks and tabs are fine (e-mail bodies). */
    assert_render("第一行\n第二行\r\n\t{name}", &VALUES, "第一行\n第二行\r\n\t张三");
}

static void test_template_error_field_and_null_err(void **state)
{
    (void)state;
    struct dms_error err = {0};
    assert_int_equal(template_check("{x}", "email_subject", &err), -1);
    assert_string_equal(err.field, "email_subject");
    assert_int_equal(template_check("{x}", "f", NULL), -1);
    char *out = NULL;
    assert_int_equal(template_render("{x}", &VALUES, &out, NULL), -1);
    assert_null(out);
}

/* ---- built-in texts ---- */

static void test_template_default_maintenance_sms(void **state)
{
    (void)state;
    const char *subject = "x";
    const char *body = template_default("maintenance_reminder", "sms", &subject);
    assert_non_null(body);
    assert_null(subject);
    assert_int_equal(template_check(body, "sms", NULL), 0);
    /* MR-3: due date, package, price, store and its phone; ends with the opt-out hint. */
    const char *needed[] = {"{due_date}", "{package}", "{price}", "{store}", "{store_phone}"};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        if (!strstr(body, needed[i]))
            fail_msg("default SMS lacks %s", needed[i]);
    }
    const char *tail = "回复TD退订";
    assert_true(strlen(body) > strlen(tail));
    assert_string_equal(body + strlen(body) - strlen(tail), tail);
    char *out = NULL;
    assert_int_equal(template_render(body, &VALUES, &out, NULL), 0);
    assert_non_null(strstr(out, "2025-12-08"));
    assert_non_null(strstr(out, "¥1,234.50"));
    assert_non_null(strstr(out, "0755-12345678"));
    free(out);
}

static void test_template_default_maintenance_email(void **state)
{
    (void)state;
    const char *subject = NULL;
    const char *body = template_default("maintenance_reminder", "email", &subject);
    assert_non_null(body);
    assert_non_null(subject);
    assert_int_equal(template_check(body, "email", NULL), 0);
    assert_int_equal(template_check(subject, "subject", NULL), 0);
    assert_null(strpbrk(subject, "\r\n"));
    const char *needed[] = {"{due_date}", "{package}", "{price}", "{store}", "{store_phone}"};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        if (!strstr(body, needed[i]))
            fail_msg("default e-mail lacks %s", needed[i]);
    }
}

static void test_template_default_appointment_and_unknown(void **state)
{
    (void)state;
    const char *subject = "x";
    const char *sms = template_default("appointment_reminder", "sms", &subject);
    assert_non_null(sms);
    assert_null(subject);
    assert_int_equal(template_check(sms, "sms", NULL), 0);
    const char *mail = template_default("appointment_reminder", "email", &subject);
    assert_non_null(mail);
    assert_non_null(subject);
    assert_int_equal(template_check(mail, "email", NULL), 0);

    subject = "x";
    assert_null(template_default("birthday", "sms", &subject));
    assert_null(subject);
    assert_null(template_default("maintenance_reminder", "fax", &subject));
    assert_null(template_default(NULL, "sms", NULL));
    assert_null(template_default("maintenance_reminder", NULL, NULL));
    assert_non_null(template_default("maintenance_reminder", "sms", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_literal_braces),
        cmocka_unit_test(test_template_unbalanced_braces),
        cmocka_unit_test(test_template_unknown_placeholders),
        cmocka_unit_test(test_template_every_placeholder),
        cmocka_unit_test(test_template_empty_values),
        cmocka_unit_test(test_template_values_are_not_expanded),
        cmocka_unit_test(test_template_price_grouping),
        cmocka_unit_test(test_template_length_limit),
        cmocka_unit_test(test_template_refuses_bad_text),
        cmocka_unit_test(test_template_error_field_and_null_err),
        cmocka_unit_test(test_template_default_maintenance_sms),
        cmocka_unit_test(test_template_default_maintenance_email),
        cmocka_unit_test(test_template_default_appointment_and_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
