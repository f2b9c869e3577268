/* RO-9: at closing plus the grace the day's unarrived bookings become no-shows, each with a
 * rebooking call; their reserved parts stay reserved no_show_hold_days and are then released;
 * every step audited; several processes running it at once mark each booking once. Run with
 * `dms appointments no-shows` (what dms serve's worker calls) against the real server's
 * database, on both backends, with the server's clock set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "appointment_checks.h"
#include "booking_fixtures.h"
#include "harness.h"

static int32_t D;
static const char *at(int days, const char *hhmm)
{
    return keep(fmt("%sT%s", ds(D + days), hhmm));
}

/* Mon-Sun 08:30-17:30: closing at 17:30. */
static void office_hours(const char *token)
{
    json_decref(call("PUT", "/api/v1/calendar", token,
                     "{\"hours\":{\"mon\":[[\"08:30\",\"17:30\"]],\"tue\":[[\"08:30\",\"17:30\"]],"
                     "\"wed\":[[\"08:30\",\"17:30\"]],\"thu\":[[\"08:30\",\"17:30\"]],"
                     "\"fri\":[[\"08:30\",\"17:30\"]],\"sat\":[[\"08:30\",\"17:30\"]],"
                     "\"sun\":[[\"08:30\",\"17:30\"]]}}",
                     200));
}

static int run_no_shows(const struct test_store *st, char *out, size_t cap)
{
    return srv_cli(SRV, NULL, out, cap, "appointments", "no-shows", "--store", st->code, NULL);
}

static void out_has(const char *out, const char *want)
{
    if (!strstr(out, want))
        fail_msg("no \"%s\" in: %s", want, out);
}

static size_t rebook_tasks(const char *token, int64_t vehicle)
{
    json_t *j = call(
        "GET",
        fmt("/api/v1/tasks?vehicle_id=%lld&type=no_show_rebook&status=open", (long long)vehicle),
        token, NULL, 200);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

/* RO-9: the minute of closing plus the grace, not the one before; today's and earlier days'
 * missed bookings; tomorrow's and checked-in ones untouched; once only; the parts held and then
 * released. */
static void test_no_shows_at_closing_then_parts_released(void **state)
{
    (void)state;
    D = test_today() + 1;
    struct workshop w;
    workshop_new(&w, 3, 3);
    const char *m = w.m;
    office_hours(m);
    set_settings(m, "{\"no_show_grace_min\":30,\"no_show_hold_days\":2}");
    const char *pno = part_new(m, 1000, 5, 3);
    const char *two = keep(fmt(",\"parts\":[{\"part_no\":\"%s\",\"qty\":2}]", pno));
    clock_local(at(0, "08:00"));
    int64_t v_missed = car(m), v_flex = car(m), v_came = car(m), v_later = car(m);
    int64_t missed = book_confirmed(m, v_missed, w.op, at(0, "10:00"), two);
    json_t *t = call("POST", APPTS, m, booking_for_day(v_flex, w.op, ds(D), NULL), 201);
    int64_t flex = jint(t, "id");
    json_decref(t);
    int64_t came = book_confirmed(m, v_came, w.op, at(0, "11:00"), NULL);
    int64_t later = book_confirmed(m, v_later, w.op, at(1, "10:00"), NULL);
    clock_local(at(0, "10:55"));
    int64_t order = check_in(m, came);
    (void)order;
    assert_stock(m, pno, 5, 2, 0);

    /* 17:59: closing was 17:30, the grace runs until 18:00. */
    char out[4096];
    clock_local(at(0, "17:59"));
    assert_int_equal(run_no_shows(&w.st, out, sizeof out), 0);
    out_has(out, ": 0 no-show(s)");
    assert_string_equal(appt_status(m, missed), "confirmed");
    clock_local(at(0, "18:00"));
    assert_int_equal(run_no_shows(&w.st, out, sizeof out), 0);
    out_has(out, ": 2 no-show(s)");
    assert_string_equal(appt_status(m, missed), "no_show");
    assert_string_equal(appt_status(m, flex), "no_show");
    assert_string_equal(appt_status(m, came), "arrived");
    assert_string_equal(appt_status(m, later), "confirmed");
    assert_int_equal(rebook_tasks(m, v_missed), 1);
    assert_int_equal(rebook_tasks(m, v_flex), 1);
    assert_int_equal(rebook_tasks(m, v_came), 0);
    /* The parts stay on the shelf for the customer who rebooks. */
    assert_stock(m, pno, 5, 2, 0);
    assert_string_equal(part_state(m, missed, pno), "reserved");
    /* Running again changes nothing. */
    int64_t head = audit_head_of(m);
    assert_int_equal(run_no_shows(&w.st, out, sizeof out), 0);
    out_has(out, ": 0 no-show(s), parts of 0 released");
    assert_int_equal(audit_head_of(m), head);
    assert_int_equal(rebook_tasks(m, v_missed), 1);

    /* A day the run did not happen at closing: the next run marks yesterday's too. */
    clock_local(at(1, "09:00"));
    assert_int_equal(run_no_shows(&w.st, out, sizeof out), 0);
    assert_string_equal(appt_status(m, later), "confirmed");
    clock_local(at(2, "09:00"));
    assert_int_equal(run_no_shows(&w.st, out, sizeof out), 0);
    assert_string_equal(appt_status(m, later), "no_show");
    /* The hold (2 days) is over on D + 2: the missed booking's parts are released, audited. */
    out_has(out, "parts of 1 released");
    assert_string_equal(part_state(m, missed, pno), "released");
    assert_stock(m, pno, 5, 0, 0);
    json_t *log = call(
        "GET", fmt("/api/v1/audit?entity=appointment&entity_id=%lld&limit=50", (long long)missed),
        m, NULL, 200);
    bool released = false;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(log, "items"), i, e)
    {
        released |= strcmp(jstr(e, "action"), "release_parts") == 0;
    }
    assert_true(released);
    json_decref(log);
    srv_clock_set(SRV, 0);
}

struct runner {
    const struct test_store *st;
    pthread_barrier_t *start;
    int rc;
    char out[2048];
};

static void *runner_run(void *arg)
{
    struct runner *r = arg;
    pthread_barrier_wait(r->start);
    r->rc = run_no_shows(r->st, r->out, sizeof r->out);
    return NULL;
}

/* Several processes at closing (a dealer group's `dms serve`s on one database): each booking
 * is marked once and called once. */
static void test_no_shows_several_processes_mark_once(void **state)
{
    (void)state;
    D = test_today() + 1;
    struct workshop w;
    workshop_new(&w, 4, 4);
    const char *m = w.m;
    office_hours(m);
    clock_local(at(0, "08:00"));
    enum { N = 8, RUNNERS = 4 };
    int64_t v[N];
    for (int i = 0; i < N; i++) {
        v[i] = car(m);
        book_confirmed(m, v[i], w.op, at(0, fmt("%02d:00", 9 + i % 4)), NULL);
    }
    clock_local(at(0, "19:00"));
    struct runner r[RUNNERS];
    pthread_t th[RUNNERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RUNNERS);
    for (int i = 0; i < RUNNERS; i++) {
        r[i] = (struct runner){.st = &w.st, .start = &start};
        assert_int_equal(pthread_create(&th[i], NULL, runner_run, &r[i]), 0);
    }
    int marked = 0;
    for (int i = 0; i < RUNNERS; i++) {
        pthread_join(th[i], NULL);
        if (r[i].rc != 0)
            fail_msg("runner %d: %s", i, r[i].out);
        const char *p = strstr(r[i].out, ": ");
        assert_non_null(p);
        marked += atoi(p + 2);
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(marked, N);
    for (int i = 0; i < N; i++)
        assert_int_equal(rebook_tasks(m, v[i]), 1);
    srv_clock_set(SRV, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_shows_at_closing_then_parts_released),
        cmocka_unit_test(test_no_shows_several_processes_mark_once),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
