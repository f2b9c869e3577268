/* Unit tests for core/ini (the dms.conf reader): sections, comments, quoting, white space,
 * CRLF files, line numbers in errors, and callbacks that stop the parse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/ini.h"

/* ---- helpers ---- */

struct entry {
    char section[80], key[80], value[256];
    int line;
};

struct seen {
    size_t n;
    struct entry e[16];
    size_t stop_at; /* entry number (1-based) whose callback returns stop_rc; 0 for never */
    int stop_rc;
};

static int record(void *ctx, const char *section, const char *key, const char *value, int line,
                  struct dms_error *err)
{
    struct seen *s = ctx;
    assert_true(s->n < 16);
    struct entry *e = &s->e[s->n++];
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = line;
    if (s->n == s->stop_at) {
        if (s->stop_rc < 0)
            return dms_fail(err, "invalid_config", key, "line %d: %s is not allowed", line, key);
        return s->stop_rc;
    }
    return 0;
}

static void assert_entry(const struct seen *s, size_t i, const char *section, const char *key,
                         const char *value, int line)
{
    assert_true(i < s->n);
    assert_string_equal(s->e[i].section, section);
    assert_string_equal(s->e[i].key, key);
    assert_string_equal(s->e[i].value, value);
    assert_int_equal(s->e[i].line, line);
}

static void assert_syntax_error(const char *text, int line, size_t entries_before)
{
    struct seen s = {0};
    struct dms_error err = {0};
    if (ini_parse(text, record, &s, &err) == 0)
        fail_msg("accepted:\n%s", text);
    assert_string_equal(err.code, "invalid_config");
    char want[32];
    snprintf(want, sizeof want, "line %d:", line);
    if (strstr(err.message, want) == NULL)
        fail_msg("message \"%s\" does not name %s", err.message, want);
    assert_int_equal(s.n, entries_before);
}

/* ---- sections ---- */

static void test_ini_sections_and_keys(void **state)
{
    (void)state;
    struct seen s = {0};
    const char *text = "top = 1\n"
                       "[db]\n"
                       "backend = sqlite\n"
                       "path = /var/lib/dms/dms.db\n"
                       "[http]\n"
                       "port = 8080\n";
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 4);
    assert_entry(&s, 0, "", "top", "1", 1);
    assert_entry(&s, 1, "db", "backend", "sqlite", 3);
    assert_entry(&s, 2, "db", "path", "/var/lib/dms/dms.db", 4);
    assert_entry(&s, 3, "http", "port", "8080", 6);
}

static void test_ini_section_header_spaces(void **state)
{
    (void)state;
    struct seen s = {0};
    assert_int_equal(ini_parse("  [ db ]  \nk=v\n\t[\thttp\t]\nk=w", record, &s, NULL), 0);
    assert_int_equal(s.n, 2);
    assert_entry(&s, 0, "db", "k", "v", 2);
    assert_entry(&s, 1, "http", "k", "w", 4);
}

static void test_ini_section_name_length_boundary(void **state)
{
    (void)state;
    char name[80], text[128];
    memset(name, 's', 63);
    name[63] = '\0';
    snprintf(text, sizeof text, "[%s]\nk = v\n", name);
    struct seen s = {0};
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.e[0].section, name);

    memset(name, 's', 64);
    name[64] = '\0';
    snprintf(text, sizeof text, "k = v\n[%s]\nk = v\n", name);
    assert_syntax_error(text, 2, 1);
}

static void test_ini_bad_section_headers(void **state)
{
    (void)state;
    assert_syntax_error("[db\nk = v\n", 1, 0);
    assert_syntax_error("a = 1\n[db] x\n", 2, 1);
    assert_syntax_error("a = 1\n\n[db]]\n", 3, 1);
}

/* ---- comments and blank lines ---- */

static void test_ini_comments_and_blank_lines(void **state)
{
    (void)state;
    struct seen s = {0};
    const char *text = "# comment\n"
                       "; also a comment\n"
                       "\n"
                       "   \t  \n"
                       "   # indented comment\n"
                       "\t; indented\n"
                       "[db]\n"
                       "#key = hidden\n"
                       ";key = hidden\n"
                       "key = shown\n";
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    assert_entry(&s, 0, "db", "key", "shown", 10);
}

static void test_ini_empty_input(void **state)
{
    (void)state;
    struct seen s = {0};
    assert_int_equal(ini_parse("", record, &s, NULL), 0);
    assert_int_equal(ini_parse("\n\n\n", record, &s, NULL), 0);
    assert_int_equal(ini_parse("# only a comment", record, &s, NULL), 0);
    assert_int_equal(s.n, 0);
}

/* ---- keys and values ---- */

static void test_ini_spaces_around_equals(void **state)
{
    (void)state;
    struct seen s = {0};
    const char *text = "a=1\n"
                       "b = 2\n"
                       "  c\t=\t3  \n"
                       "d =\n"
                       "e = two words\n"
                       "f = x = y\n"
                       "g==\n";
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 7);
    assert_entry(&s, 0, "", "a", "1", 1);
    assert_entry(&s, 1, "", "b", "2", 2);
    assert_entry(&s, 2, "", "c", "3", 3);
    assert_entry(&s, 3, "", "d", "", 4);
    assert_entry(&s, 4, "", "e", "two words", 5);
    assert_entry(&s, 5, "", "f", "x = y", 6);
    assert_entry(&s, 6, "", "g", "=", 7);
}

static void test_ini_quoted_values(void **state)
{
    (void)state;
    struct seen s = {0};
    const char *text = "a = \"  padded  \"\n"
                       "b = \"\"\n"
                       "c = \"\n"
                       "d = \"unterminated\n"
                       "e = \"# not a comment\"\n"
                       "f = say \"hi\"\n"
                       "g = \"a\"b\"\n";
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 7);
    assert_entry(&s, 0, "", "a", "  padded  ", 1);
    assert_entry(&s, 1, "", "b", "", 2);
    assert_entry(&s, 2, "", "c", "\"", 3);
    assert_entry(&s, 3, "", "d", "\"unterminated", 4);
    assert_entry(&s, 4, "", "e", "# not a comment", 5);
    assert_entry(&s, 5, "", "f", "say \"hi\"", 6);
    assert_entry(&s, 6, "", "g", "a\"b", 7);
}

static void test_ini_utf8_values(void **state)
{
    (void)state;
    struct seen s = {0};
    assert_int_equal(ini_parse("[store]\nname = 深圳顺达4S店\n", record, &s, NULL), 0);
    assert_entry(&s, 0, "store", "name", "深圳顺达4S店", 2);
}

static void test_ini_missing_equals(void **state)
{
    (void)state;
    assert_syntax_error("just a line\n", 1, 0);
    assert_syntax_error("[db]\nbackend = sqlite\npath\n", 3, 1);
    assert_syntax_error("a = 1\nb = 2\n# c\n\nd : 4\n", 5, 2);
}

static void test_ini_empty_key(void **state)
{
    (void)state;
    assert_syntax_error("= value\n", 1, 0);
    assert_syntax_error("a = 1\n   = value\n", 2, 1);
    assert_syntax_error("a = 1\n\t=\n", 2, 1);
}

/* ---- line endings ---- */

static void test_ini_crlf_line_endings(void **state)
{
    (void)state;
    struct seen s = {0};
    const char *text = "# dms.conf\r\n"
                       "[db]\r\n"
                       "backend = pg\r\n"
                       "name = \"dms\"\r\n"
                       "\r\n"
                       "empty =\r\n"
                       "[http]\r\n"
                       "port=8080\r\n";
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_int_equal(s.n, 4);
    assert_entry(&s, 0, "db", "backend", "pg", 3);
    assert_entry(&s, 1, "db", "name", "dms", 4);
    assert_entry(&s, 2, "db", "empty", "", 6);
    assert_entry(&s, 3, "http", "port", "8080", 8);
}

static void test_ini_crlf_error_line_numbers(void **state)
{
    (void)state;
    assert_syntax_error("a = 1\r\n\r\nbad\r\n", 3, 1);
}

static void test_ini_last_line_without_newline(void **state)
{
    (void)state;
    struct seen s = {0};
    assert_int_equal(ini_parse("[db]\nbackend = sqlite", record, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    assert_entry(&s, 0, "db", "backend", "sqlite", 2);
}

/* ---- callbacks ---- */

static void test_ini_callback_abort_propagates(void **state)
{
    (void)state;
    const char *text = "a = 1\nb = 2\nc = 3\nbroken line\n";
    struct seen s = {.stop_at = 2, .stop_rc = 42};
    assert_int_equal(ini_parse(text, record, &s, NULL), 42);
    assert_int_equal(s.n, 2);

    struct seen first = {.stop_at = 1, .stop_rc = 1};
    assert_int_equal(ini_parse(text, record, &first, NULL), 1);
    assert_int_equal(first.n, 1);
}

static void test_ini_callback_error_is_kept(void **state)
{
    (void)state;
    struct seen s = {.stop_at = 2, .stop_rc = -1};
    struct dms_error err = {0};
    assert_int_equal(ini_parse("[http]\nport = 1\nbogus = 2\nport = 3\n", record, &s, &err), -1);
    assert_int_equal(s.n, 2);
    assert_string_equal(err.code, "invalid_config");
    assert_string_equal(err.field, "bogus");
    assert_non_null(strstr(err.message, "line 3:"));
}

static void test_ini_input_is_not_modified(void **state)
{
    (void)state;
    char text[] = "[db]\r\nkey = \"v\"\r\n";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    struct seen s = {0};
    assert_int_equal(ini_parse(text, record, &s, NULL), 0);
    assert_memory_equal(text, copy, sizeof text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ini_sections_and_keys),
        cmocka_unit_test(test_ini_section_header_spaces),
        cmocka_unit_test(test_ini_section_name_length_boundary),
        cmocka_unit_test(test_ini_bad_section_headers),
        cmocka_unit_test(test_ini_comments_and_blank_lines),
        cmocka_unit_test(test_ini_empty_input),
        cmocka_unit_test(test_ini_spaces_around_equals),
        cmocka_unit_test(test_ini_quoted_values),
        cmocka_unit_test(test_ini_utf8_values),
        cmocka_unit_test(test_ini_missing_equals),
        cmocka_unit_test(test_ini_empty_key),
        cmocka_unit_test(test_ini_crlf_line_endings),
        cmocka_unit_test(test_ini_crlf_error_line_numbers),
        cmocka_unit_test(test_ini_last_line_without_newline),
        cmocka_unit_test(test_ini_callback_abort_propagates),
        cmocka_unit_test(test_ini_callback_error_is_kept),
        cmocka_unit_test(test_ini_input_is_not_modified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
