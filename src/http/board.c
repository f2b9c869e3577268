/* The appointment board (IN-11, IN-12, MR-7): the day per bay, the departments'
 * confirmations and the welcome board. */
#include <stdlib.h>
#include <string.h>

#include "core/booking.h"
#include "core/calendar.h"
#include "core/mask.h"
#include "core/workshop.h"
#include "http/appointments.h"
#include "store/appointments.h"
#include "store/board.h"
#include "store/workshop.h"

static json_t *view_confirmations(struct req *r, dms_day day)
{
    struct confirmation c[DEPT_COUNT];
    size_t n;
    if (board_confirmations(r->db, &r->actor, day, c, &n, &r->err) < 0)
        return NULL;
    json_t *o = json_object();
    for (int d = 0; d < DEPT_COUNT; d++)
        json_object_set_new(o, DEPARTMENT_NAMES[d], json_null());
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, DEPARTMENT_NAMES[c[i].department],
                            json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)c[i].user_id,
                                      "username", c[i].username, "confirmed_at",
                                      c[i].confirmed_at));
    return o;
}

int h_board_get(struct req *r)
{
    dms_day day;
    if (req_query_date(r, "date", &day) < 0)
        return -1;
    if (!day)
        day = r->actor.today;
    struct bay *bays;
    size_t nb;
    if (bays_list(r->db, &r->actor, false, &bays, &nb, &r->err) < 0)
        return -1;
    struct appt_filter f = {.day = day, .status = -1};
    struct appointment *list;
    size_t n;
    if (appointments_list(r->db, &r->actor, &f, &list, &n, &r->err) < 0) {
        free(bays);
        return -1;
    }
    json_t *rows = json_array(), *unassigned = json_array();
    for (size_t b = 0; b < nb; b++) {
        json_t *jobs = json_array();
        for (size_t i = 0; i < n; i++)
            if (list[i].bay_id == bays[b].id && list[i].status != APPT_CANCELLED)
                json_array_append_new(jobs, view_appointment(r, &list[i]));
        json_array_append_new(rows,
                              json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)bays[b].id,
                                        "code", bays[b].code, "name", bays[b].name, "kind",
                                        BAY_KIND_NAMES[bays[b].kind], "jobs", jobs));
    }
    /* Bookings of the day without a bay yet: a date still to fix (IN-15). */
    for (size_t i = 0; i < n; i++)
        if (!list[i].bay_id && list[i].status != APPT_CANCELLED)
            json_array_append_new(unassigned, view_appointment(r, &list[i]));
    free(bays);
    free(list);
    char date[DATE_STR], next[DATE_STR];
    date_format(day, date);
    date_format(day + 1, next);
    json_t *conf = view_confirmations(r, day), *conf_next = view_confirmations(r, day + 1);
    if (!conf || !conf_next) {
        json_decref(rows), json_decref(unassigned), json_decref(conf), json_decref(conf_next);
        return -1;
    }
    return reply(r, 200,
                 json_pack("{s:s, s:o, s:o, s:o, s:{s:s, s:o}}", "date", date, "bays", rows,
                           "unassigned", unassigned, "confirmations", conf, "next_day", "date",
                           next, "confirmations", conf_next));
}

int h_board_confirm(struct req *r)
{
    static const char *const fields[] = {"department", NULL};
    dms_day day;
    int dept;
    struct dms_error e = {0};
    if (date_parse(r->key, &day, "date", &e) < 0)
        return req_fail(r, "invalid_date", "date", "the board's date is YYYY-MM-DD");
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0 ||
        jin_enum(r->body, "department", true, DEPARTMENT_NAMES, DEPT_COUNT, &dept, &r->err) < 0)
        return -1;
    if (!role_confirms(r->actor.role, dept))
        return req_fail(r, "forbidden", "department", "your role (%s) does not confirm for %s",
                        role_name(r->actor.role), DEPARTMENT_NAMES[dept]);
    if (day < r->actor.today)
        return req_fail(r, "invalid_date", "date", "a past day's board cannot be confirmed");
    if (board_confirm(r->db, &r->actor, day, (enum department)dept, &r->err) < 0)
        return -1;
    json_t *conf = view_confirmations(r, day);
    if (!conf)
        return -1;
    return reply(r, 201, json_pack("{s:s, s:o}", "date", r->key, "confirmations", conf));
}

/* MR-7: the reception screen greets today's booked customers, masked: 王先生 京A·***45 09:00 */
int h_board_welcome(struct req *r)
{
    struct appt_filter f = {.day = r->actor.today, .status = -1};
    struct appointment *list;
    size_t n;
    if (appointments_list(r->db, &r->actor, &f, &list, &n, &r->err) < 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct appointment *p = &list[i];
        if (p->start_min < 0 || !appt_status_live(p->status))
            continue;
        char name[64], plate[64], time[8], text[160];
        mask_greeting(p->customer_name, p->customer_title, name, sizeof name);
        mask_plate(p->plate, plate, sizeof plate);
        hhmm_format(p->start_min, time);
        snprintf(text, sizeof text, "%s %s %s", name, plate, time);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "text", text, "name",
                                               name, "plate", plate, "time", time, "status",
                                               APPT_STATUS_NAMES[p->status]));
    }
    free(list);
    char date[DATE_STR];
    date_format(r->actor.today, date);
    return reply(r, 200, json_pack("{s:s, s:o}", "date", date, "items", items));
}
