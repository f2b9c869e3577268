/* Unit tests for core/email: the dot-atom local part, DNS host names with an alphabetic
 * top-level domain, the length limits (64 local, 63 per label, 254 in all) and the
 * normalised form (trimmed, domain lower-cased). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/email.h"

/* ---- helpers ---- */

static void assert_email(const char *in, const char *want)
{
    char out[EMAIL_MAX];
    struct dms_error err = {0};
    if (email_normalize(in, out, "email", &err) != 0)
        fail_msg("\"%s\" refused: %s", in, err.message);
    if (strcmp(out, want) != 0)
        fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, out, want);
}

static void assert_refused(const char *in)
{
    char out[EMAIL_MAX];
    struct dms_error err = {0};
    if (email_normalize(in, out, "driver_email", &err) != -1)
        fail_msg("\"%s\" accepted as \"%s\"", in, out);
    assert_string_equal(err.code, "invalid_email");
    assert_string_equal(err.field, "driver_email");
}

/* n copies of c, NUL-terminated, into buf (at least n + 1 bytes). */
static char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* ---- length limits ---- */

static void test_email_local_part_64_ok_65_refused(void **state)
{
    (void)state;
    char local[80], in[128];
    snprintf(in, sizeof in, "%s@example.com", repeat(local, 'a', 64));
    assert_email(in, in);
    snprintf(in, sizeof in, "%s@example.com", repeat(local, 'a', 65));
    assert_refused(in);
}

static void test_email_label_63_ok_64_refused(void **state)
{
    (void)state;
    char label[80], in[128];
    snprintf(in, sizeof in, "a@%s.com", repeat(label, 'b', 63));
    assert_email(in, in);
    snprintf(in, sizeof in, "a@%s.com", repeat(label, 'b', 64));
    assert_refused(in);
    snprintf(in, sizeof in, "a@example.%s", repeat(label, 'c', 63));
    assert_email(in, in);
    snprintf(in, sizeof in, "a@example.%s", repeat(label, 'c', 64));
    assert_refused(in);
}

static void test_email_total_254_ok_255_refused(void **state)
{
    (void)state;
    /* 64 + '@' + 63 + '.' + 63 + '.' + n */
    char local[80], l1[80], l2[80], tld[80], in[400];
    repeat(local, 'u', 64);
    repeat(l1, 'd', 63);
    repeat(l2, 'e', 63);
    snprintf(in, sizeof in, "%s@%s.%s.%s", local, l1, l2, repeat(tld, 'f', 61));
    assert_int_equal(strlen(in), 254);
    assert_email(in, in);
    snprintf(in, sizeof in, "%s@%s.%s.%s", local, l1, l2, repeat(tld, 'f', 62));
    assert_int_equal(strlen(in), 255);
    assert_refused(in);
    char huge[2000];
    repeat(huge, 'a', 1990);
    huge[10] = '@';
    memcpy(huge + 1980, ".com", 5);
    assert_refused(huge);
}

static void test_email_length_counts_after_trimming(void **state)
{
    (void)state;
    char local[80], l1[80], l2[80], tld[80], in[420], want[340];
    snprintf(want, sizeof want, "%s@%s.%s.%s", repeat(local, 'u', 64), repeat(l1, 'd', 63),
             repeat(l2, 'e', 63), repeat(tld, 'f', 61));
    snprintf(in, sizeof in, "   %s   ", want);
    assert_email(in, want);
}

/* ---- valid addresses ---- */

static void test_email_typical_addresses(void **state)
{
    (void)state;
    assert_email("zhang.san@example.com", "zhang.san@example.com");
    assert_email("a@b.cn", "a@b.cn");
    assert_email("12345678@qq.com", "12345678@qq.com");
    assert_email("wang_xm@163.com", "wang_xm@163.com");
    assert_email("first+tag@mail.example.com.cn", "first+tag@mail.example.com.cn");
    assert_email("o'brien@example.ie", "o'brien@example.ie");
    assert_email("a-b@x-y.example", "a-b@x-y.example");
    assert_email("!#$%&'*+/=?^_`{|}~-@example.org", "!#$%&'*+/=?^_`{|}~-@example.org");
    assert_email("a@1.2.3.com", "a@1.2.3.com");
}

static void test_email_trims_and_lower_cases_domain_only(void **state)
{
    (void)state;
    assert_email("  Zhang.San@Example.COM  ", "Zhang.San@example.com");
    assert_email("ABC@QQ.COM", "ABC@qq.com");
}

/* ---- the @ ---- */

static void test_email_needs_exactly_one_at(void **state)
{
    (void)state;
    assert_refused("zhang.example.com");
    assert_refused("a@@example.com");
    assert_refused("a@b@example.com");
    assert_refused("@example.com");
    assert_refused("a@");
    assert_refused("");
    assert_refused("    ");
}

/* ---- local part ---- */

static void test_email_local_part_dots(void **state)
{
    (void)state;
    assert_email("a.b@example.com", "a.b@example.com");
    assert_email("a.b.c@example.com", "a.b.c@example.com");
    assert_refused(".ab@example.com");
    assert_refused("ab.@example.com");
    assert_refused("a..b@example.com");
    assert_refused(".@example.com");
}

static void test_email_local_part_characters(void **state)
{
    (void)state;
    assert_refused("a b@example.com");
    assert_refused("a\tb@example.com");
    assert_refused("\"ab\"@example.com");
    assert_refused("a,b@example.com");
    assert_refused("a(b)@example.com");
    assert_refused("a<b>@example.com");
    assert_refused("a\\b@example.com");
    assert_refused("张三@example.com");
    assert_refused("\tab@example.com");
}

/* ---- domain ---- */

static void test_email_domain_needs_alphabetic_tld(void **state)
{
    (void)state;
    assert_refused("a@localhost");
    assert_refused("a@example");
    assert_refused("a@b.c");
    assert_email("a@b.co", "a@b.co");
    assert_refused("a@example.123");
    assert_refused("a@example.c0m");
    assert_refused("a@192.168.1.1");
    assert_refused("a@[192.168.1.1]");
}

static void test_email_domain_hyphens(void **state)
{
    (void)state;
    assert_email("a@a-b.com", "a@a-b.com");
    assert_email("a@a--b.com", "a@a--b.com");
    assert_refused("a@-ab.com");
    assert_refused("a@ab-.com");
    assert_refused("a@example.-com");
    assert_refused("a@example.com-");
    assert_refused("a@-.com");
}

static void test_email_domain_dots(void **state)
{
    (void)state;
    assert_refused("a@.example.com");
    assert_refused("a@example..com");
    assert_refused("a@example.com.");
    assert_refused("a@.");
    assert_refused("a@...");
}

static void test_email_domain_characters(void **state)
{
    (void)state;
    assert_refused("a@exa mple.com");
    assert_refused("a@exa_mple.com");
    assert_refused("a@例子.com");
    assert_refused("a@example.中国");
    assert_refused("a@example.com\n");
    assert_refused("a@example.com/x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_local_part_64_ok_65_refused),
        cmocka_unit_test(test_email_label_63_ok_64_refused),
        cmocka_unit_test(test_email_total_254_ok_255_refused),
        cmocka_unit_test(test_email_length_counts_after_trimming),
        cmocka_unit_test(test_email_typical_addresses),
        cmocka_unit_test(test_email_trims_and_lower_cases_domain_only),
        cmocka_unit_test(test_email_needs_exactly_one_at),
        cmocka_unit_test(test_email_local_part_dots),
        cmocka_unit_test(test_email_local_part_characters),
        cmocka_unit_test(test_email_domain_needs_alphabetic_tld),
        cmocka_unit_test(test_email_domain_hyphens),
        cmocka_unit_test(test_email_domain_dots),
        cmocka_unit_test(test_email_domain_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
