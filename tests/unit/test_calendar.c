/* Unit tests for core/calendar (IN-6, IN-13): the default week, the checks of one day's
 * hours at their boundaries, the hours of a date under its exception (holiday, make-up
 * working day: Monday's hours, IN-13), the weekday names, a day's open intervals, the
 * holiday file's lines (the shipped data/cn-public-holidays-2026.tsv read whole, and bad
 * lines), and HH:MM formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"

/* ---- helpers ---- */

#define HM(h, m) ((h)*60 + (m))

static struct day_hours open_day(int open_min, int close_min, int break_from, int break_until)
{
    return (struct day_hours){true, open_min, close_min, break_from, break_until};
}

static void assert_day_ok(struct day_hours d)
{
    struct dms_error err = {0};
    if (calendar_check_day(&d, "hours[0]", &err) != 0)
        fail_msg("%d-%d break %d-%d refused: %s", d.open_min, d.close_min, d.break_from,
                 d.break_until, err.message);
}

static void assert_day_refused(struct day_hours d)
{
    struct dms_error err = {0};
    if (calendar_check_day(&d, "hours[3]", &err) != -1)
        fail_msg("%d-%d break %d-%d accepted", d.open_min, d.close_min, d.break_from,
                 d.break_until);
    assert_string_equal(err.code, "invalid_field");
    assert_string_equal(err.field, "hours[3]");
}

static void assert_same_hours(struct day_hours got, struct day_hours want)
{
    if (got.open != want.open)
        fail_msg("open %d, want %d", got.open, want.open);
    if (!want.open)
        return;
    if (got.open_min != want.open_min || got.close_min != want.close_min ||
        got.break_from != want.break_from || got.break_until != want.break_until)
        fail_msg("%d-%d break %d-%d, want %d-%d break %d-%d", got.open_min, got.close_min,
                 got.break_from, got.break_until, want.open_min, want.close_min, want.break_from,
                 want.break_until);
}

static void assert_hhmm(int minutes, const char *want)
{
    char out[8];
    hhmm_format(minutes, out);
    assert_string_equal(out, want);
}

/* Parses a line that must be refused with code. */
static void assert_line_refused(const char *line, const char *code)
{
    dms_day d = 0;
    enum calendar_exception k = CAL_NONE;
    char name[CALENDAR_NAME_CHARS * 4 + 1];
    struct dms_error err = {0};
    if (calendar_parse_line(line, &d, &k, name, sizeof name, &err) != -1)
        fail_msg("\"%s\" accepted", line);
    assert_string_equal(err.code, code);
    assert_string_equal(err.field, "line");
}

/* ---- the default week ---- */

static void test_calendar_default_week_every_day_0830_1730_lunch_12_13(void **state)
{
    (void)state;
    struct week_hours w;
    memset(&w, 0xff, sizeof w);
    calendar_default_week(&w);
    for (int i = 0; i < 7; i++)
        assert_same_hours(w.day[i], open_day(HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)));
}

/* ---- calendar_check_day ---- */

static void test_calendar_check_day_open_before_close(void **state)
{
    (void)state;
    assert_day_refused(open_day(HM(9, 0), HM(9, 0), 0, 0)); /* open == close */
    assert_day_ok(open_day(HM(9, 0), HM(9, 1), 0, 0));
    assert_day_refused(open_day(HM(18, 0), HM(9, 0), 0, 0));
    assert_day_ok(open_day(0, HM(24, 0), 0, 0)); /* the whole day */
    assert_day_refused(open_day(0, HM(24, 0) + 1, 0, 0));
    assert_day_refused(open_day(-1, HM(12, 0), 0, 0));
}

static void test_calendar_check_day_break_strictly_inside(void **state)
{
    (void)state;
    assert_day_ok(open_day(HM(8, 30), HM(17, 30), 0, 0)); /* no break */
    assert_day_ok(open_day(HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0)));
    /* Touching the opening or the closing is refused; a minute inside is fine. */
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(8, 30), HM(9, 0)));
    assert_day_ok(open_day(HM(8, 30), HM(17, 30), HM(8, 31), HM(9, 0)));
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(17, 0), HM(17, 30)));
    assert_day_ok(open_day(HM(8, 30), HM(17, 30), HM(17, 0), HM(17, 29)));
    /* Outside the hours. */
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(8, 0), HM(9, 0)));
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(17, 0), HM(18, 0)));
    /* from >= until. */
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(12, 0), HM(12, 0)));
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(13, 0), HM(12, 0)));
    /* Only one end of a break set is not "no break". */
    assert_day_refused(open_day(HM(8, 30), HM(17, 30), HM(12, 0), 0));
}

static void test_calendar_check_day_closed_day_always_ok(void **state)
{
    (void)state;
    struct day_hours d = {false, HM(18, 0), HM(9, 0), HM(23, 0), HM(1, 0)};
    struct dms_error err = {0};
    assert_int_equal(calendar_check_day(&d, "hours[6]", &err), 0);
    assert_string_equal(err.code, "");
}

/* ---- calendar_hours_on ---- */

static void test_calendar_weekday_of_a_known_saturday(void **state)
{
    (void)state;
    /* date_weekday: 0 = Monday ... 6 = Sunday; 2026-02-14 is a Saturday, 02-16 a Monday. */
    assert_int_equal(date_weekday(date_from_ymd(2026, 2, 14)), 5);
    assert_int_equal(date_weekday(date_from_ymd(2026, 2, 15)), 6);
    assert_int_equal(date_weekday(date_from_ymd(2026, 2, 16)), 0);
}

static void test_calendar_hours_on_follows_the_weekday(void **state)
{
    (void)state;
    struct week_hours w;
    calendar_default_week(&w);
    w.day[0] = open_day(HM(7, 0), HM(19, 0), 0, 0);                    /* Monday */
    w.day[5] = (struct day_hours){0};                                  /* Saturday closed */
    w.day[6] = open_day(HM(10, 0), HM(16, 0), HM(12, 30), HM(13, 30)); /* Sunday */
    assert_same_hours(calendar_hours_on(&w, date_from_ymd(2026, 2, 16), CAL_NONE), w.day[0]);
    assert_false(calendar_hours_on(&w, date_from_ymd(2026, 2, 14), CAL_NONE).open);
    assert_same_hours(calendar_hours_on(&w, date_from_ymd(2026, 2, 15), CAL_NONE), w.day[6]);
}

static void test_calendar_hours_on_closed_exception_closes_an_open_day(void **state)
{
    (void)state;
    struct week_hours w;
    calendar_default_week(&w);
    /* 2026-02-16, a Monday, open in the week: the holiday closes it. */
    struct day_hours h = calendar_hours_on(&w, date_from_ymd(2026, 2, 16), CAL_CLOSED);
    assert_false(h.open);
    int iv[2][2];
    assert_int_equal(calendar_intervals(&h, iv), 0);
}

/* IN-13: a make-up working day has no hours of its own: Monday's, whatever its weekday. */
static void test_calendar_hours_on_make_up_day_uses_mondays_hours(void **state)
{
    (void)state;
    struct week_hours w;
    calendar_default_week(&w);
    w.day[0] = open_day(HM(9, 0), HM(18, 0), HM(12, 30), HM(13, 30));
    w.day[5] = (struct day_hours){0};
    w.day[6] = (struct day_hours){0};
    dms_day sat = date_from_ymd(2026, 2, 14), sun = date_from_ymd(2026, 2, 15);
    assert_same_hours(calendar_hours_on(&w, sat, CAL_OPEN), w.day[0]);
    assert_same_hours(calendar_hours_on(&w, sun, CAL_OPEN), w.day[0]);
    assert_false(calendar_hours_on(&w, sat, CAL_NONE).open);
}

/* Even on a weekday that is open with hours of its own (a short Saturday). */
static void test_calendar_hours_on_make_up_day_on_an_open_saturday_uses_mondays(void **state)
{
    (void)state;
    struct week_hours w;
    calendar_default_week(&w);
    w.day[0] = open_day(HM(8, 0), HM(17, 0), 0, 0);
    w.day[5] = open_day(HM(9, 0), HM(15, 0), 0, 0);
    dms_day sat = date_from_ymd(2026, 2, 14);
    assert_same_hours(calendar_hours_on(&w, sat, CAL_OPEN), w.day[0]);
    assert_same_hours(calendar_hours_on(&w, sat, CAL_NONE), w.day[5]);
    /* A make-up Tuesday works Monday's hours too. */
    w.day[1] = open_day(HM(10, 0), HM(12, 0), 0, 0);
    assert_same_hours(calendar_hours_on(&w, date_from_ymd(2026, 2, 17), CAL_OPEN), w.day[0]);
}

static void test_calendar_hours_on_make_up_day_when_monday_is_closed(void **state)
{
    (void)state;
    struct week_hours w;
    calendar_default_week(&w);
    /* Monday closed: the first open weekday is Tuesday, with hours of its own. */
    w.day[0] = (struct day_hours){0};
    w.day[1] = open_day(HM(9, 0), HM(18, 0), HM(12, 30), HM(13, 30));
    w.day[5] = (struct day_hours){0};
    w.day[6] = (struct day_hours){0};
    dms_day sat = date_from_ymd(2026, 2, 14);
    assert_same_hours(calendar_hours_on(&w, sat, CAL_OPEN), w.day[1]);
    /* Only Sunday open: Sunday's. */
    struct week_hours sunday_only = {0};
    sunday_only.day[6] = open_day(HM(10, 0), HM(16, 0), 0, 0);
    assert_same_hours(calendar_hours_on(&sunday_only, sat, CAL_OPEN), sunday_only.day[6]);
    /* A week closed every day has no hours to lend. */
    struct week_hours none = {0};
    assert_false(calendar_hours_on(&none, sat, CAL_OPEN).open);
}

static void test_calendar_day_names_monday_first(void **state)
{
    (void)state;
    assert_string_equal(CALENDAR_DAY_NAMES[0], "mon");
    assert_string_equal(CALENDAR_DAY_NAMES[5], "sat");
    assert_string_equal(CALENDAR_DAY_NAMES[6], "sun");
    /* date_weekday indexes it: 2026-02-16 is a Monday. */
    assert_string_equal(CALENDAR_DAY_NAMES[date_weekday(date_from_ymd(2026, 2, 16))], "mon");
}

/* ---- calendar_intervals ---- */

static void test_calendar_intervals_zero_one_two(void **state)
{
    (void)state;
    int iv[2][2] = {{-1, -1}, {-1, -1}};
    struct day_hours closed = {0};
    assert_int_equal(calendar_intervals(&closed, iv), 0);

    struct day_hours plain = open_day(HM(9, 0), HM(18, 0), 0, 0);
    assert_int_equal(calendar_intervals(&plain, iv), 1);
    assert_int_equal(iv[0][0], HM(9, 0));
    assert_int_equal(iv[0][1], HM(18, 0));

    struct day_hours lunch = open_day(HM(8, 30), HM(17, 30), HM(12, 0), HM(13, 0));
    assert_int_equal(calendar_intervals(&lunch, iv), 2);
    assert_int_equal(iv[0][0], HM(8, 30));
    assert_int_equal(iv[0][1], HM(12, 0));
    assert_int_equal(iv[1][0], HM(13, 0));
    assert_int_equal(iv[1][1], HM(17, 30));
}

/* ---- calendar_parse_line ---- */

static void test_calendar_parse_line_the_shipped_2026_file(void **state)
{
    (void)state;
    char path[1024];
    const char *self = __FILE__;
    const char *tail = strstr(self, "tests/unit/test_calendar.c");
    assert_non_null(tail);
    snprintf(path, sizeof path, "%.*sdata/cn-public-holidays-2026.tsv", (int)(tail - self), self);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[1024];
    int lineno = 0, days = 0, closed = 0, open = 0;
    bool saw_0214 = false, saw_0215 = false;
    dms_day prev = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        dms_day d = 0;
        enum calendar_exception k = CAL_NONE;
        char name[CALENDAR_NAME_CHARS * 4 + 1];
        struct dms_error err = {0};
        int rc = calendar_parse_line(line, &d, &k, name, sizeof name, &err);
        if (rc < 0)
            fail_msg("line %d refused: %s", lineno, err.message);
        if (rc == 0)
            continue;
        assert_int_equal(rc, 1);
        days++;
        k == CAL_CLOSED ? closed++ : open++;
        assert_true(k == CAL_CLOSED || k == CAL_OPEN);
        assert_true(name[0] != '\0');
        assert_null(strpbrk(name, "\r\n"));
        assert_true(d > prev); /* in date order, each date once */
        prev = d;
        if (d == date_from_ymd(2026, 2, 14)) {
            saw_0214 = true;
            assert_int_equal(k, CAL_OPEN);
            assert_string_equal(name, "春节调休 make-up working day");
        }
        if (d == date_from_ymd(2026, 2, 15)) {
            saw_0215 = true;
            assert_int_equal(k, CAL_CLOSED);
            assert_string_equal(name, "春节 Spring Festival");
        }
    }
    fclose(f);
    assert_int_equal(days, 39);
    assert_int_equal(closed + open, 39);
    assert_true(open > 0 && closed > open);
    assert_true(saw_0214);
    assert_true(saw_0215);
}

static void test_calendar_parse_line_comments_and_blanks(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "", "\n", "\r\n", "   \n", "# a comment\n", "  # indented\tcomment\n"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        dms_day d = 777;
        enum calendar_exception k = CAL_NONE;
        char name[CALENDAR_NAME_CHARS * 4 + 1] = "";
        struct dms_error err = {0};
        if (calendar_parse_line(lines[i], &d, &k, name, sizeof name, &err) != 0)
            fail_msg("line %zu not skipped", i);
        assert_int_equal(d, 777);
    }
}

static void test_calendar_parse_line_crlf_and_kinds(void **state)
{
    (void)state;
    dms_day d = 0;
    enum calendar_exception k = CAL_NONE;
    char name[CALENDAR_NAME_CHARS * 4 + 1];
    struct dms_error err = {0};
    assert_int_equal(
        calendar_parse_line("2026-10-01\tclosed\t国庆节\r\n", &d, &k, name, sizeof name, &err), 1);
    assert_int_equal(d, date_from_ymd(2026, 10, 1));
    assert_int_equal(k, CAL_CLOSED);
    assert_string_equal(name, "国庆节");
    assert_int_equal(
        calendar_parse_line("2026-09-20\topen\tmake-up\n", &d, &k, name, sizeof name, &err), 1);
    assert_int_equal(d, date_from_ymd(2026, 9, 20));
    assert_int_equal(k, CAL_OPEN);
    assert_string_equal(name, "make-up");
}

static void test_calendar_parse_line_bad_lines(void **state)
{
    (void)state;
    assert_line_refused("2026-02-30\tclosed\tx\n", "invalid_date");
    assert_line_refused("2026-13-01\tclosed\tx\n", "invalid_date");
    assert_line_refused("2026/02/14\topen\tx\n", "invalid_date");
    assert_line_refused("2026-2-14\topen\tx\n", "invalid_field");
    assert_line_refused("2026-02-14\tholiday\tx\n", "invalid_field");
    assert_line_refused("2026-02-14\tOpen\tx\n", "invalid_field");
    assert_line_refused("2026-02-14\tclosedx\tx\n", "invalid_field");
    assert_line_refused("2026-02-14\topen\n", "invalid_field");      /* one tab */
    assert_line_refused("2026-02-14 open x\n", "invalid_field");     /* no tab */
    assert_line_refused("2026-02-14  closed  x\n", "invalid_field"); /* spaces, not tabs */
}

static void test_calendar_parse_line_name_at_most_64_characters(void **state)
{
    (void)state;
    char line[512], name[CALENDAR_NAME_CHARS * 4 + 1];
    dms_day d;
    enum calendar_exception k;
    struct dms_error err = {0};
    /* 64 characters of three bytes each (春) fit ... */
    int used = snprintf(line, sizeof line, "2026-02-15\tclosed\t");
    for (int i = 0; i < CALENDAR_NAME_CHARS; i++)
        used += snprintf(line + used, sizeof line - (size_t)used, "春");
    snprintf(line + used, sizeof line - (size_t)used, "\n");
    assert_int_equal(calendar_parse_line(line, &d, &k, name, sizeof name, &err), 1);
    assert_int_equal(strlen(name), 3 * CALENDAR_NAME_CHARS);
    /* ... 65 do not. */
    line[used] = '\0';
    snprintf(line + used, sizeof line - (size_t)used, "春\n");
    assert_line_refused(line, "invalid_field");
    /* ASCII too. */
    used = snprintf(line, sizeof line, "2026-02-15\tclosed\t");
    for (int i = 0; i <= CALENDAR_NAME_CHARS; i++)
        line[used++] = 'a';
    line[used] = '\0';
    assert_line_refused(line, "invalid_field");
}

/* ---- hhmm_format ---- */

static void test_calendar_hhmm_format_ends_of_the_day(void **state)
{
    (void)state;
    assert_hhmm(0, "00:00");
    assert_hhmm(1, "00:01");
    assert_hhmm(HM(8, 30), "08:30");
    assert_hhmm(HM(23, 59), "23:59");
    assert_hhmm(1440, "24:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_default_week_every_day_0830_1730_lunch_12_13),
        cmocka_unit_test(test_calendar_check_day_open_before_close),
        cmocka_unit_test(test_calendar_check_day_break_strictly_inside),
        cmocka_unit_test(test_calendar_check_day_closed_day_always_ok),
        cmocka_unit_test(test_calendar_weekday_of_a_known_saturday),
        cmocka_unit_test(test_calendar_hours_on_follows_the_weekday),
        cmocka_unit_test(test_calendar_hours_on_closed_exception_closes_an_open_day),
        cmocka_unit_test(test_calendar_hours_on_make_up_day_uses_mondays_hours),
        cmocka_unit_test(test_calendar_hours_on_make_up_day_on_an_open_saturday_uses_mondays),
        cmocka_unit_test(test_calendar_hours_on_make_up_day_when_monday_is_closed),
        cmocka_unit_test(test_calendar_day_names_monday_first),
        cmocka_unit_test(test_calendar_intervals_zero_one_two),
        cmocka_unit_test(test_calendar_parse_line_the_shipped_2026_file),
        cmocka_unit_test(test_calendar_parse_line_comments_and_blanks),
        cmocka_unit_test(test_calendar_parse_line_crlf_and_kinds),
        cmocka_unit_test(test_calendar_parse_line_bad_lines),
        cmocka_unit_test(test_calendar_parse_line_name_at_most_64_characters),
        cmocka_unit_test(test_calendar_hhmm_format_ends_of_the_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
