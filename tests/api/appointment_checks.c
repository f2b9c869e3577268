/* Checks the appointment tests share (see appointment_checks.h). */

#include "appointment_checks.h"

#include <stdlib.h>
#include <string.h>

/* ---- parts and stock ---- */

static json_t *part_get(const char *token, const char *no)
{
    return call("GET", fmt("/api/v1/parts/%s", no), token, NULL, 200);
}

void assert_stock(const char *token, const char *no, int on_hand, int reserved, int on_order)
{
    json_t *p = part_get(token, no);
    if (jint(p, "on_hand") != on_hand || jint(p, "reserved") != reserved ||
        jint(p, "on_order") != on_order) {
        char *s = json_dumps(p, JSON_COMPACT);
        print_error("part %s: want on_hand %d reserved %d on_order %d: %s\n", no, on_hand, reserved,
                    on_order, s);
        free(s);
    }
    assert_int_equal(jint(p, "on_hand"), on_hand);
    assert_int_equal(jint(p, "reserved"), reserved);
    assert_int_equal(jint(p, "available"), on_hand - reserved);
    assert_int_equal(jint(p, "on_order"), on_order);
    json_decref(p);
}

json_t *options_of(json_t *body)
{
    json_t *o = json_object_get(body, "options");
    assert_true(json_is_array(o));
    size_t i;
    json_t *opt;
    json_array_foreach(o, i, opt)
    {
        assert_non_null(jstr(opt, "start"));
        assert_non_null(jstr(opt, "end"));
        assert_non_null(jstr(opt, "hold_until"));
        assert_true(jint(opt, "bay_id") > 0);
        assert_true(jint(opt, "technician_id") > 0);
        json_t *w = json_object_get(opt, "window");
        /* IN-9: the window told to the customer runs from the start to the end of the float. */
        assert_string_equal(jstr(w, "from"), jstr(opt, "start"));
        assert_string_equal(jstr(w, "to"), jstr(opt, "hold_until"));
        assert_true(strcmp(jstr(opt, "end"), jstr(opt, "start")) > 0);
        assert_true(strcmp(jstr(opt, "hold_until"), jstr(opt, "end")) >= 0);
    }
    return o;
}

size_t refused_with_options(const char *method, const char *path, const char *token,
                            const char *body, const char *code)
{
    json_t *j = refusal(method, path, token, body, 409, code);
    size_t n = json_array_size(options_of(j));
    json_decref(j);
    return n;
}

bool offers_start(json_t *opts, const char *start)
{
    return item_with(opts, "start", start) != NULL;
}

void status_refused(const char *token, int64_t id, const char *status, long http_status,
                    const char *code)
{
    char *before = snapshot(fmt(APPTS "/%lld", (long long)id), token);
    rejected("POST", fmt(APPTS "/%lld/status", (long long)id), token,
             fmt("{\"status\":\"%s\"}", status), http_status, code, NULL);
    assert_unchanged(fmt(APPTS "/%lld", (long long)id), token, before);
}

json_t *appt_part(json_t *appt, const char *no)
{
    return item_with(json_object_get(appt, "parts"), "part_no", no);
}

const char *part_state(const char *token, int64_t id, const char *no)
{
    json_t *a = call("GET", fmt(APPTS "/%lld", (long long)id), token, NULL, 200);
    json_t *p = appt_part(a, no);
    assert_non_null(p);
    const char *s = keep(jstr(p, "state"));
    json_decref(a);
    return s;
}

bool on_shelf(const char *token, const char *shelf, int64_t appt, const char *no)
{
    json_t *j = call("GET", "/api/v1/shelves", token, NULL, 200);
    size_t i;
    json_t *it;
    bool found = false;
    json_array_foreach(json_object_get(j, shelf), i, it)
    {
        if (jint(it, "appointment_id") == appt && strcmp(jstr(it, "part_no"), no) == 0)
            found = true;
    }
    json_decref(j);
    return found;
}

size_t confirm_task_count(const char *token, int64_t vehicle, const char *status)
{
    return items_count(fmt("/api/v1/tasks?type=appointment_confirm&vehicle_id=%lld&status=%s",
                           (long long)vehicle, status),
                       token);
}

void before_take(struct before *b, const char *token, int64_t vehicle)
{
    b->token = token;
    b->vehicle = vehicle;
    b->appts = snapshot(fmt(APPTS "?vehicle_id=%lld", (long long)vehicle), token);
    b->parts = snapshot("/api/v1/parts?all=true", token);
    b->orders = snapshot("/api/v1/purchase-orders", token);
    b->audit = audit_head_of(token);
}

void assert_nothing_written(struct before *b)
{
    assert_unchanged(fmt(APPTS "?vehicle_id=%lld", (long long)b->vehicle), b->token, b->appts);
    assert_unchanged("/api/v1/parts?all=true", b->token, b->parts);
    assert_unchanged("/api/v1/purchase-orders", b->token, b->orders);
    assert_int_equal(audit_head_of(b->token), b->audit);
}

int64_t booked(const struct test_store *st, const char *token, const char *op, int days,
               const char *hhmm, const char *extra)
{
    return book_confirmed(token, car(st->manager), op, day_at(days, hhmm), extra);
}
