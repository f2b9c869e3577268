/* The call lists (MR-2..MR-6, CS-1..CS-4, CS-8, IN-1, IN-5): the morning generation, the
 * caller's list, and the calls recorded against it. Which day a cause lands on, and what an
 * outcome does, is core/tasks.c; this file finds the causes and writes the rows. The
 * generation writes set-based (INSERT ... SELECT) so a store of a million cars generates its
 * day in well under a second; dedupe_key makes it idempotent. */
#include <stdlib.h>

#include "core/booking.h"
#include "core/calendar.h"
#include "core/tasks.h"
#include "core/text.h"
#include "core/utf8.h"
#include "core/vehicle.h"
#include "store/appointments.h"
#include "store/complaints.h"
#include "store/customers.h"
#include "store/internal.h"
#include "store/plans.h"
#include "store/settings.h"
#include "store/tasks.h"
#include "store/users.h"
#include "store/vehicles.h"

const char *const CALLBACK_REASON_NAMES[CALLBACK_REASON_COUNT] = {
    [CALLBACK_BUSY] = "busy",
    [CALLBACK_OUT_OF_HOURS] = "out_of_hours",
    [CALLBACK_PARTS] = "parts_check",
};

#define TASK_COLS                                                                                  \
    "t.id, t.type, t.vehicle_id, t.customer_id, t.campaign_id, t.service_record_id, "              \
    "t.parent_id, t.reason, t.service_due_date, t.due_date, t.deadline, t.deadline_at, "           \
    "t.contact_name, t.contact_phone, t.assignee_id, t.status, t.attempts, t.last_outcome, "       \
    "t.last_attempt_at, t.reached, t.booked, t.message_id, t.created_at, t.closed_at, "            \
    "c.name, c.title, (SELECT number FROM customer_phones p WHERE p.customer_id = c.id "           \
    "ORDER BY position LIMIT 1), c.needs, c.needs_note, v.plate, v.brand, v.model, "               \
    "v.mileage_km, v.next_due_date, v.next_due_km, v.last_service_date, mp.package_name, "         \
    "mp.id, mp.labour_fen + mp.parts_fen, k.name"
#define TASK_FROM                                                                                  \
    " FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN vehicles v ON v.id = "  \
    "t.vehicle_id LEFT JOIN maintenance_plans mp ON mp.id = v.plan_id LEFT JOIN campaigns k ON "   \
    "k.id = t.campaign_id "

static int task_row(struct db_res *res, void *out)
{
    struct task *t = out;
    memset(t, 0, sizeof *t);
    t->id = db_int(res, 0);
    t->type = (enum task_type)enum_index(TASK_TYPE_NAMES, TASK_TYPE_COUNT, db_text(res, 1));
    t->vehicle_id = db_int(res, 2);
    t->customer_id = db_int(res, 3);
    t->campaign_id = db_int(res, 4);
    t->service_record_id = db_int(res, 5);
    t->parent_id = db_int(res, 6);
    col_copy(t->reason, sizeof t->reason, res, 7);
    col_copy(t->service_due_date, sizeof t->service_due_date, res, 8);
    col_copy(t->due_date, sizeof t->due_date, res, 9);
    col_copy(t->deadline, sizeof t->deadline, res, 10);
    col_copy(t->deadline_at, sizeof t->deadline_at, res, 11);
    col_copy(t->contact_name, sizeof t->contact_name, res, 12);
    col_copy(t->contact_phone, sizeof t->contact_phone, res, 13);
    t->assignee_id = db_int(res, 14);
    t->status =
        (enum task_status)enum_index(TASK_STATUS_NAMES, TASK_STATUS_COUNT, db_text(res, 15));
    t->attempts = (int)db_int(res, 16);
    col_copy(t->last_outcome, sizeof t->last_outcome, res, 17);
    col_copy(t->last_attempt_at, sizeof t->last_attempt_at, res, 18);
    t->reached = db_int(res, 19) != 0;
    t->booked = db_int(res, 20) != 0;
    t->message_id = db_int(res, 21);
    col_copy(t->created_at, sizeof t->created_at, res, 22);
    col_copy(t->closed_at, sizeof t->closed_at, res, 23);
    col_copy(t->customer_name, sizeof t->customer_name, res, 24);
    col_copy(t->customer_title, sizeof t->customer_title, res, 25);
    col_copy(t->phone, sizeof t->phone, res, 26);
    t->needs = (unsigned)db_int(res, 27);
    col_copy(t->needs_note, sizeof t->needs_note, res, 28);
    col_copy(t->plate, sizeof t->plate, res, 29);
    col_copy(t->brand, sizeof t->brand, res, 30);
    col_copy(t->model, sizeof t->model, res, 31);
    t->mileage_km = db_int(res, 32);
    col_copy(t->next_due_date, sizeof t->next_due_date, res, 33);
    t->next_due_km = db_int(res, 34);
    col_copy(t->last_service_date, sizeof t->last_service_date, res, 35);
    col_copy(t->package_name, sizeof t->package_name, res, 36);
    t->has_package = !db_is_null(res, 37);
    t->package_fen = db_int(res, 38);
    col_copy(t->campaign_name, sizeof t->campaign_name, res, 39);
    if ((int)t->type < 0)
        t->type = TASK_CALLBACK;
    if ((int)t->status < 0)
        t->status = TASK_OPEN;
    return 0;
}

int tasks_get(struct db *db, const struct actor *a, int64_t id, struct task *out,
              struct dms_error *err)
{
    int rc = store_one(db, task_row, out, err,
                       "SELECT " TASK_COLS TASK_FROM "WHERE t.id = ? AND t.store_id = ?", "ii", id,
                       a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no task %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int tasks_list(struct db *db, const struct actor *a, const struct task_filter *f, int64_t offset,
               int limit, struct task **out, size_t *n, bool *more, struct dms_error *err)
{
    char day[DATE_STR] = "";
    if (f->date)
        date_format(f->date, day);
    const char *type = f->type >= 0 ? TASK_TYPE_NAMES[f->type] : "";
    const char *status = f->status >= 0 ? TASK_STATUS_NAMES[f->status] : "";
    const char *cls = f->classification > 0 ? CUSTOMER_CLASS_NAMES[f->classification - 1] : "";
    if (store_rows(db, task_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " TASK_COLS TASK_FROM
                   "WHERE t.store_id = ? AND (? = '' OR (t.due_date <= ? AND t.deadline >= ?)) "
                   "AND (? = '' OR t.type = ?) AND (? = '' OR t.status = ?) "
                   "AND (? = 0 OR (? = -1 AND t.assignee_id IS NULL) OR t.assignee_id = ?) "
                   "AND (? = 0 OR t.vehicle_id = ?) AND (? = 0 OR t.customer_id = ?) "
                   "AND (? = '' OR c.classification = ?) "
                   /* Call-backs (a deadline to the minute) first, then tasks never tried, then
                    * the re-queued ones; NULLs sort alike on both backends. */
                   "ORDER BY t.deadline, COALESCE(t.deadline_at, 'Z'), "
                   "COALESCE(t.last_attempt_at, ''), t.id "
                   "LIMIT ? OFFSET ?",
                   "isssssssiiiiiiissii", a->store_id, day, day, day, type, type, status, status,
                   f->assignee_id, f->assignee_id, f->assignee_id, f->vehicle_id, f->vehicle_id,
                   f->customer_id, f->customer_id, cls, cls, (int64_t)limit + 1, offset) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}

static int attempt_row(struct db_res *res, void *out)
{
    struct attempt *at = out;
    memset(at, 0, sizeof *at);
    at->id = db_int(res, 0);
    at->user_id = db_int(res, 1);
    col_copy(at->username, sizeof at->username, res, 2);
    col_copy(at->at, sizeof at->at, res, 3);
    int o = enum_index(OUTCOME_NAMES, OUTCOME_COUNT, db_text(res, 4));
    at->outcome = o < 0 ? OUTCOME_REACHED : (enum call_outcome)o;
    col_copy(at->notes, sizeof at->notes, res, 5);
    at->mileage_km = db_is_null(res, 6) ? -1 : db_int(res, 6);
    col_copy(at->special_needs, sizeof at->special_needs, res, 7);
    col_copy(at->satisfaction, sizeof at->satisfaction, res, 8);
    if (!db_is_null(res, 9)) {
        at->answers = strdup(db_text(res, 9));
        if (!at->answers)
            return -1;
    }
    return 0;
}

static void attempt_clear(void *item)
{
    struct attempt *at = item;
    free(at->answers);
    at->answers = NULL;
}

void attempts_free(struct attempt *at, size_t n)
{
    if (!at)
        return;
    for (size_t i = 0; i < n; i++)
        attempt_clear(&at[i]);
    free(at);
}

int tasks_attempts(struct db *db, const struct actor *a, int64_t task_id, struct attempt **out,
                   size_t *n, struct dms_error *err)
{
    return store_rows(
        db, attempt_row, attempt_clear, sizeof **out, 1000, (void **)out, n, err,
        "SELECT ta.id, ta.user_id, u.username, ta.at, ta.outcome, ta.notes, "
        "ta.mileage_km, ta.special_needs, ta.satisfaction, ta.answers FROM task_attempts ta LEFT "
        "JOIN users u "
        "ON u.id = ta.user_id WHERE ta.task_id = ? AND ta.store_id = ? ORDER BY ta.id",
        "ii", task_id, a->store_id);
}

/* ---- writing tasks ---- */

struct task_new {
    enum task_type type;
    const char *key; /* NULL: no dedupe */
    int64_t vehicle_id, customer_id, campaign_id, service_record_id, parent_id, assignee_id,
        message_id;
    const char *reason;
    dms_day service_due; /* 0: none */
    dms_day due, deadline;
    const char *deadline_at; /* NULL: none */
    const char *contact_name, *contact_phone;
    enum task_status status;
};

/* Inserts a task; *id 0 when its key existed already. */
static int task_insert(struct db *db, const struct actor *a, const struct task_new *t, int64_t *id,
                       struct dms_error *err)
{
    char now[TIMESTAMP_STR], svc[DATE_STR] = "", due[DATE_STR], deadline[DATE_STR];
    timestamp_format_utc(a->now, now);
    if (t->service_due)
        date_format(t->service_due, svc);
    date_format(t->due, due);
    date_format(t->deadline, deadline);
    *id = 0;
    int rc = db_query_int(
        db, id,
        "INSERT INTO tasks (store_id, type, dedupe_key, vehicle_id, customer_id, campaign_id, "
        "service_record_id, parent_id, reason, service_due_date, due_date, deadline, deadline_at, "
        "contact_name, contact_phone, assignee_id, status, message_id, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (store_id, dedupe_key) DO NOTHING RETURNING id",
        "issIIIIIstsstttIsIIs", a->store_id, TASK_TYPE_NAMES[t->type], t->key, t->vehicle_id,
        t->customer_id, t->campaign_id, t->service_record_id, t->parent_id, t->reason, svc, due,
        deadline, t->deadline_at, t->contact_name, t->contact_phone, t->assignee_id,
        TASK_STATUS_NAMES[t->status], t->message_id, a->user_id, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return 0;
}

static int audit_task(struct db *db, const struct actor *a, int64_t id, const struct task_new *t,
                      struct dms_error *err)
{
    json_t *ch = json_object();
    audit_text(ch, "type", NULL, TASK_TYPE_NAMES[t->type]);
    audit_int(ch, "vehicle_id", 0, t->vehicle_id);
    audit_int(ch, "customer_id", 0, t->customer_id);
    audit_text(ch, "reason", NULL, t->reason);
    int rc = audit_write(db, a, "create", "task", id, ch, err);
    json_decref(ch);
    return rc;
}

/* MR-6: the second call, due before the package's parts could no longer be ordered in time. */
static int second_call(struct db *db, const struct actor *a, const struct task *first,
                       struct dms_error *err)
{
    /* The due date as it stands now: a mileage given in this very call may have moved it. */
    dms_day service_due = 0;
    struct dms_error ignore;
    struct vehicle_schedule now = {0};
    if (first->vehicle_id && schedule_get(db, a, first->vehicle_id, &now, err) < 0)
        return -1;
    const char *due_text = now.known ? now.due_date : first->service_due_date;
    if (!due_text[0] || date_parse(due_text, &service_due, "date", &ignore) < 0)
        service_due = a->today + 7;
    int lead = 0;
    if (first->vehicle_id) {
        int64_t v = 0;
        int rc = db_query_int(db, &v,
                              "SELECT mp.lead_days FROM vehicles v JOIN maintenance_plans mp ON "
                              "mp.id = v.plan_id WHERE v.id = ? AND v.store_id = ?",
                              "ii", first->vehicle_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        lead = (int)v;
    }
    struct task_new t = {
        .type = TASK_SECOND_CALL,
        .vehicle_id = first->vehicle_id,
        .customer_id = first->customer_id,
        .parent_id = first->id,
        .service_due = service_due,
        .assignee_id = first->assignee_id,
    };
    tasks_second_call(a->today, service_due, lead, &t.due, &t.deadline);
    char key[64], reason[160], svc[DATE_STR];
    snprintf(key, sizeof key, "mc2:%lld", (long long)first->id);
    date_format(service_due, svc);
    snprintf(reason, sizeof reason, "二次提醒：首次致电未决定，保养到期 %s，配件订货周期 %d 天",
             svc, lead);
    t.key = key;
    t.reason = reason;
    int64_t id;
    if (task_insert(db, a, &t, &id, err) < 0)
        return -1;
    return id ? audit_task(db, a, id, &t, err) : 0;
}

/* CRM-6: special needs heard in the call go onto the customer's profile. */
static int add_needs(struct db *db, const struct actor *a, int64_t customer_id, const char *needs,
                     struct dms_error *err)
{
    struct customer prev;
    if (customers_get_for_update(db, a, customer_id, &prev, err) < 0)
        return -1;
    if (strstr(prev.needs_note, needs))
        return 0;
    struct customer next = prev;
    int w = snprintf(next.needs_note, sizeof next.needs_note, "%s%s%s", prev.needs_note,
                     prev.needs_note[0] ? "；" : "", needs);
    if (w >= (int)sizeof next.needs_note)
        utf8_chop_invalid_tail(next.needs_note); /* the note is full: keep what fits */
    int changed;
    return customers_update(db, a, &prev, &next, false, &changed, err);
}

/* CS-1: each answer is to one of the store's questions as they are now, once. */
static int followup_answers_check(const struct store_settings *st, const char *answers,
                                  struct dms_error *err)
{
    json_t *list = json_loads(answers, 0, NULL);
    size_t i;
    json_t *item;
    int rc = 0;
    json_array_foreach(list, i, item)
    {
        const char *q = json_string_value(json_object_get(item, "question"));
        bool known = false;
        size_t len = q ? strlen(q) : 0;
        for (const char *line = st->followup_questions; q && *line && !known;) {
            const char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) : strlen(line);
            known = n == len && strncmp(line, q, n) == 0;
            line = end ? end + 1 : line + n;
        }
        for (size_t j = 0; known && j < i; j++)
            known = strcmp(q, json_string_value(
                                  json_object_get(json_array_get(list, j), "question"))) != 0;
        if (!known) {
            rc = dms_fail(err, "invalid_field", "answers",
                          "“%s”不是本店的回访问题或重复回答 / answers[%zu] is not one of the "
                          "store's follow-up questions, or answers one twice",
                          q ? q : "", i);
            break;
        }
    }
    json_decref(list);
    return rc;
}

int tasks_record_attempt(struct db *db, const struct actor *a, int64_t task_id,
                         const struct attempt_in *in, struct task *out, struct dms_error *err)
{
    /* Lock the row first so two callers cannot both record the last try (PostgreSQL; SQLite
     * holds the write lock for the whole request). */
    if (store_lock_row(db, "tasks", "id", task_id, a->store_id, err) < 0)
        return -1;
    struct task t;
    if (tasks_get(db, a, task_id, &t, err) < 0)
        return -1;
    if (t.status != TASK_OPEN)
        return dms_fail(err, "task_closed", NULL, "the task is %s already",
                        TASK_STATUS_NAMES[t.status]);
    if (t.type == TASK_MAINTENANCE_MESSAGE)
        return dms_fail(err, "invalid_field", "outcome",
                        "a reminder message is not a call; it is done when it is sent");
    if (in->mileage_km >= 0 && !t.vehicle_id)
        return dms_fail(err, "invalid_field", "mileage_km", "this task has no vehicle");
    if (in->special_needs[0] && !t.customer_id)
        return dms_fail(err, "invalid_field", "special_needs", "this task has no customer");
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct outcome_effect e =
        tasks_apply_outcome(t.type, t.attempts, st.tasks.max_attempts, in->outcome);
    /* CS-1: only a follow-up call that reached the customer measures satisfaction. */
    bool measured = in->has_satisfaction || in->answers;
    if (measured && !followup_satisfaction_allowed(t.type == TASK_FOLLOWUP, e.reached))
        return dms_fail(err, "invalid_field", in->has_satisfaction ? "satisfaction" : "answers",
                        "只有接通的回访电话才记录满意度 / satisfaction and answers are recorded "
                        "only on a follow-up call that reached the customer");
    if (in->answers && followup_answers_check(&st, in->answers, err) < 0)
        return -1;

    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int64_t attempt_id = 0;
    int rc = db_query_int(
        db, &attempt_id,
        "INSERT INTO task_attempts (store_id, task_id, at, user_id, outcome, notes, "
        "mileage_km, special_needs, satisfaction, answers) VALUES (?, ?, ?, ?, ?, ?, "
        "CASE WHEN ? = 1 THEN CAST(? AS BIGINT) END, ?, ?, ?) RETURNING id",
        "iisIstbitts", a->store_id, task_id, now, a->user_id, OUTCOME_NAMES[in->outcome], in->notes,
        in->mileage_km >= 0, in->mileage_km, in->special_needs,
        in->has_satisfaction ? SAT_NAMES[in->satisfaction] : NULL, in->answers);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    rc = db_exec(
        db,
        "UPDATE tasks SET status = ?, attempts = ?, last_outcome = ?, last_attempt_at = ?, "
        "reached = CASE WHEN ? = 1 THEN 1 ELSE reached END, booked = CASE WHEN ? = 1 "
        "THEN 1 ELSE booked END, closed_at = ? WHERE id = ? AND store_id = ?",
        "sissbbtii", TASK_STATUS_NAMES[e.status], (int64_t)e.attempts, OUTCOME_NAMES[in->outcome],
        now, e.reached, e.booked, e.status == TASK_OPEN ? "" : now, task_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "outcome", NULL, OUTCOME_NAMES[in->outcome]);
    audit_text(ch, "status", TASK_STATUS_NAMES[t.status], TASK_STATUS_NAMES[e.status]);
    audit_int(ch, "attempts", t.attempts, e.attempts);
    audit_text(ch, "notes", NULL, in->notes);
    if (in->has_satisfaction)
        audit_text(ch, "satisfaction", NULL, SAT_NAMES[in->satisfaction]);
    audit_text(ch, "answers", NULL, in->answers);
    rc = audit_write(db, a, "attempt", "task", task_id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    /* MR-4: the mileage asked for in the call is a reading of today. */
    if (in->mileage_km >= 0 && mileage_add(db, a, t.vehicle_id, a->today, in->mileage_km,
                                           MILEAGE_CALL, 0, NULL, err) < 0) {
        snprintf(err->field, sizeof err->field, "mileage_km");
        return -1;
    }
    if (in->special_needs[0] && add_needs(db, a, t.customer_id, in->special_needs, err) < 0)
        return -1;
    if (e.second_call && second_call(db, a, &t, err) < 0)
        return -1;
    /* CS-1: 不满意 opens a complaint, without retyping; the task is closed now (reached), and
     * complaints.followup_task_id is unique, so a retry cannot open a second. */
    if (in->has_satisfaction && in->satisfaction == SAT_DISSATISFIED &&
        complaints_from_followup(db, a, &t, in->notes,
                                 in->has_category ? in->complaint_category : CPL_OTHER_CATEGORY,
                                 err) < 0)
        return -1;
    return tasks_get(db, a, task_id, out, err);
}

int tasks_create_callback(struct db *db, const struct actor *a, const struct callback_in *in,
                          struct task *out, struct dms_error *err)
{
    int64_t customer_id = in->customer_id;
    if (in->vehicle_id) {
        struct vehicle v;
        if (vehicles_get(db, a, in->vehicle_id, &v, err) < 0) {
            err->field[0] = '\0';
            snprintf(err->field, sizeof err->field, "vehicle_id");
            return -1;
        }
        if (customer_id && customer_id != v.customer_id)
            return dms_fail(err, "invalid_field", "customer_id",
                            "the vehicle belongs to another customer");
        customer_id = v.customer_id;
    }
    if (customer_id) {
        struct customer c;
        if (customers_get(db, a, customer_id, &c, err) < 0) {
            snprintf(err->field, sizeof err->field, "customer_id");
            return -1;
        }
    }
    if (in->assignee_id) {
        struct user u;
        if (users_get(db, a, in->assignee_id, &u, err) < 0) {
            snprintf(err->field, sizeof err->field, "assignee_id");
            return -1;
        }
    }
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    int minutes =
        in->reason == CALLBACK_PARTS ? st.callback_parts_minutes : st.callback_busy_minutes;
    char deadline_at[TIMESTAMP_STR], reason[600];
    timestamp_format_utc(a->now + (int64_t)minutes * 60, deadline_at);
    static const char *const WHY[CALLBACK_REASON_COUNT] = {
        [CALLBACK_BUSY] = "回电：来电时坐席忙",
        [CALLBACK_OUT_OF_HOURS] = "回电：非工作时间来电",
        [CALLBACK_PARTS] = "回电：与配件经理核实库存后答复",
    };
    snprintf(reason, sizeof reason, "%s（%d 分钟内）%s%s", WHY[in->reason], minutes,
             in->notes && in->notes[0] ? "：" : "", in->notes ? in->notes : "");
    struct task_new t = {
        .type = TASK_CALLBACK,
        .vehicle_id = in->vehicle_id,
        .customer_id = customer_id,
        .assignee_id = in->assignee_id,
        .reason = reason,
        .due = a->today,
        .deadline = a->today,
        .deadline_at = deadline_at,
        .contact_name = in->name,
        .contact_phone = in->phone,
    };
    int64_t id;
    if (task_insert(db, a, &t, &id, err) < 0 || audit_task(db, a, id, &t, err) < 0)
        return -1;
    return tasks_get(db, a, id, out, err);
}

int tasks_update(struct db *db, const struct actor *a, int64_t id, const struct task_patch *p,
                 struct task *out, struct dms_error *err)
{
    struct task prev;
    if (store_lock_row(db, "tasks", "id", id, a->store_id, err) < 0 ||
        tasks_get(db, a, id, &prev, err) < 0)
        return -1;
    if (p->assignee_id > 0) {
        struct user u;
        if (users_get(db, a, p->assignee_id, &u, err) < 0) {
            snprintf(err->field, sizeof err->field, "assignee_id");
            return -1;
        }
    }
    if (p->cancel && prev.status != TASK_OPEN)
        return dms_fail(err, "task_closed", NULL, "the task is %s already",
                        TASK_STATUS_NAMES[prev.status]);
    int64_t assignee = p->assignee_id >= 0 ? p->assignee_id : prev.assignee_id;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    const char *status = p->cancel ? "cancelled" : TASK_STATUS_NAMES[prev.status];
    int rc = db_exec(db,
                     "UPDATE tasks SET assignee_id = ?, status = ?, closed_at = CASE WHEN ? = 1 "
                     "THEN ? ELSE closed_at END WHERE id = ? AND store_id = ?",
                     "Isbsii", assignee, status, p->cancel, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_int(ch, "assignee_id", prev.assignee_id, assignee);
    audit_text(ch, "status", TASK_STATUS_NAMES[prev.status], status);
    rc = audit_write(db, a, "update", "task", id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    return tasks_get(db, a, id, out, err);
}

int tasks_create_confirm(struct db *db, const struct actor *a, const struct appointment *ap,
                         dms_day target, struct dms_error *err)
{
    /* IN-15, IN-16: a week before the period (or the date), to fix the day and time; today
     * when that is sooner. The call stays on the list until the day before. */
    dms_day due = target - 7 < a->today ? a->today : target - 7;
    dms_day deadline = target - 1 < due ? due : target - 1;
    char key[48], reason[200];
    snprintf(key, sizeof key, "appt:%lld", (long long)ap->id);
    if (ap->flex == FLEX_PERIOD)
        snprintf(reason, sizeof reason, "确认预约日期：客户希望 %s 至 %s 之间进店", ap->period_from,
                 ap->period_to);
    else
        snprintf(reason, sizeof reason, "确认预约时间：%s 进店，具体时间待定", ap->day);
    struct task_new t = {
        .type = TASK_APPOINTMENT_CONFIRM,
        .key = key,
        .vehicle_id = ap->vehicle_id,
        .customer_id = ap->customer_id,
        .reason = reason,
        .due = due,
        .deadline = deadline,
        .status = TASK_OPEN,
    };
    int64_t id;
    if (task_insert(db, a, &t, &id, err) < 0)
        return -1;
    if (!id)
        return 0;
    int rc = db_exec(db, "UPDATE tasks SET appointment_id = ? WHERE id = ?", "ii", ap->id, id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return audit_task(db, a, id, &t, err);
}

int tasks_create_rebook(struct db *db, const struct actor *a, const struct appointment *ap,
                        struct dms_error *err)
{
    /* RO-9: on the list from today (the day after the booking's when the server was down at
     * its closing), for two more days. */
    char key[48], reason[200];
    snprintf(key, sizeof key, "ns:%lld", (long long)ap->id);
    char hm[8] = "";
    if (ap->start_min >= 0)
        hhmm_format(ap->start_min, hm);
    snprintf(reason, sizeof reason, "爽约改约：原预约 %s %s 未到店，询问是否改约", ap->day, hm);
    struct task_new t = {
        .type = TASK_NO_SHOW_REBOOK,
        .key = key,
        .vehicle_id = ap->vehicle_id,
        .customer_id = ap->customer_id,
        .reason = reason,
        .due = a->today,
        .deadline = a->today + 2,
        .status = TASK_OPEN,
    };
    int64_t id;
    if (task_insert(db, a, &t, &id, err) < 0)
        return -1;
    if (!id)
        return 0; /* made already (a second process, a retry) */
    int rc = db_exec(db, "UPDATE tasks SET appointment_id = ? WHERE id = ?", "ii", ap->id, id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    return audit_task(db, a, id, &t, err);
}

int tasks_close_confirm(struct db *db, const struct actor *a, int64_t appointment_id,
                        struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE tasks SET status = 'done', closed_at = ? WHERE store_id = ? AND "
                     "appointment_id = ? AND type = 'appointment_confirm' AND status = 'open'",
                     "sii", now, a->store_id, appointment_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* ---- CS-6: the complaint's tasks ---- */

int tasks_create_complaint(struct db *db, const struct actor *a, const struct complaint *c,
                           enum complaint_cause cause, int64_t assignee_id, int *made,
                           struct dms_error *err)
{
    static const char *const WHY[CPL_CAUSE_COUNT] = {
        [CPL_CAUSE_SERIOUS] = "严重投诉",
        [CPL_CAUSE_ACK_OVERDUE] = "投诉超时未受理",
        [CPL_CAUSE_RESOLVE_OVERDUE] = "投诉超时未解决",
    };
    char key[96], reason[512];
    snprintf(key, sizeof key, "cpl:%lld:%s:%d:%lld", (long long)c->id, CPL_CAUSE_NAMES[cause],
             c->round_no, (long long)assignee_id);
    snprintf(reason, sizeof reason, "%s %s（%s，%s）：请服务经理跟进", WHY[cause], c->number,
             CPL_CATEGORY_NAMES[c->category], CPL_SEVERITY_NAMES[c->severity]);
    utf8_chop_invalid_tail(reason);
    struct task_new t = {
        .type = TASK_COMPLAINT,
        .key = key,
        .vehicle_id = c->vehicle_id,
        .customer_id = c->customer_id,
        .assignee_id = assignee_id,
        .reason = reason,
        .due = a->today,
        .deadline = a->today,
        .deadline_at = c->resolve_due_at,
        .status = TASK_OPEN,
    };
    int64_t id = 0;
    *made = 0;
    if (task_insert(db, a, &t, &id, err) < 0)
        return -1;
    if (!id)
        return 0;
    *made = 1;
    return audit_task(db, a, id, &t, err);
}

int tasks_cancel_complaint(struct db *db, const struct actor *a, int64_t complaint_id,
                           struct dms_error *err)
{
    char now[TIMESTAMP_STR], like[48];
    timestamp_format_utc(a->now, now);
    snprintf(like, sizeof like, "cpl:%lld:%%", (long long)complaint_id);
    int rc = db_exec(db,
                     "UPDATE tasks SET status = 'cancelled', closed_at = ? WHERE store_id = ? AND "
                     "type = 'complaint' AND status = 'open' AND dedupe_key LIKE ?",
                     "sis", now, a->store_id, like);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc > 0) {
        json_t *ch = json_object();
        audit_int(ch, "complaint_id", 0, complaint_id);
        audit_int(ch, "tasks_cancelled", 0, rc);
        return audit_record(db, a, "cancel_tasks", "complaint", complaint_id, ch, err);
    }
    return 0;
}
