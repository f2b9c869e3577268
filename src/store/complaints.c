/* Complaints and enquiries (CS-6, IN-20): taking one (linked to the customer, and where it
 * applies their car and its repair order), reading and listing, the log of actions, the life
 * cycle (core/complaint.c) and the escalation to the service manager — a task for each
 * service manager and an e-mail to the store's escalation list — once per complaint, cause
 * and round, claimed by a row of complaint_escalations that a second process cannot insert
 * again. Every change locks the complaint's row before reading it. */
#include <stdlib.h>

#include "core/text.h"
#include "store/complaints.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/settings.h"
#include "store/stores.h"
#include "store/tasks.h"
#include "store/users.h"

#define CPL_COLS                                                                                   \
    "c.id, c.number, c.customer_id, c.vehicle_id, c.repair_order_id, c.followup_task_id, "         \
    "c.channel, c.kind, c.category, c.severity, c.text, c.owner_id, COALESCE(u.display_name, "     \
    "''), c.status, c.round_no, c.received_at, c.ack_due_at, c.resolve_due_at, "                   \
    "c.acknowledged_at, c.resolved_at, c.closed_at, c.resolution, c.customer_satisfied, "          \
    "c.created_by, c.created_at, c.updated_at, cu.name, COALESCE(v.plate, ''), "                   \
    "COALESCE(o.number, ''), (SELECT COUNT(*) FROM complaint_escalations e WHERE "                 \
    "e.complaint_id = c.id)"
#define CPL_FROM                                                                                   \
    " FROM complaints c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN vehicles v ON "       \
    "v.id = c.vehicle_id LEFT JOIN repair_orders o ON o.id = c.repair_order_id LEFT JOIN users "   \
    "u ON u.id = c.owner_id "

static int enum_or(const char *const *names, int count, const char *s, int fallback)
{
    int k = enum_index(names, count, s);
    return k < 0 ? fallback : k;
}

static int complaint_row(struct db_res *res, void *out)
{
    struct complaint *c = out;
    memset(c, 0, sizeof *c);
    int k = 0;
    c->id = db_int(res, k++);
    col_copy(c->number, sizeof c->number, res, k++);
    c->customer_id = db_int(res, k++);
    c->vehicle_id = db_int(res, k++);
    c->repair_order_id = db_int(res, k++);
    c->followup_task_id = db_int(res, k++);
    c->channel = (enum complaint_channel)enum_or(CPL_CHANNEL_NAMES, CPL_CHANNEL_COUNT,
                                                 db_text(res, k++), CPL_OTHER_CHANNEL);
    c->kind = (enum complaint_kind)enum_or(CPL_KIND_NAMES, CPL_KIND_COUNT, db_text(res, k++), 0);
    c->category = (enum complaint_category)enum_or(CPL_CATEGORY_NAMES, CPL_CATEGORY_COUNT,
                                                   db_text(res, k++), CPL_OTHER_CATEGORY);
    c->severity = (enum complaint_severity)enum_or(CPL_SEVERITY_NAMES, CPL_SEVERITY_COUNT,
                                                   db_text(res, k++), CPL_NORMAL);
    col_copy(c->text, sizeof c->text, res, k++);
    c->owner_id = db_int(res, k++);
    col_copy(c->owner_name, sizeof c->owner_name, res, k++);
    c->status = (enum complaint_status)enum_or(CPL_STATUS_NAMES, CPL_STATUS_COUNT,
                                               db_text(res, k++), CPL_OPEN);
    c->round_no = (int)db_int(res, k++);
    col_copy(c->received_at, sizeof c->received_at, res, k++);
    col_copy(c->ack_due_at, sizeof c->ack_due_at, res, k++);
    col_copy(c->resolve_due_at, sizeof c->resolve_due_at, res, k++);
    col_copy(c->acknowledged_at, sizeof c->acknowledged_at, res, k++);
    col_copy(c->resolved_at, sizeof c->resolved_at, res, k++);
    col_copy(c->closed_at, sizeof c->closed_at, res, k++);
    col_copy(c->resolution, sizeof c->resolution, res, k++);
    c->customer_satisfied = db_is_null(res, k) ? -1 : (int)db_int(res, k);
    k++;
    c->created_by = db_int(res, k++);
    col_copy(c->created_at, sizeof c->created_at, res, k++);
    col_copy(c->updated_at, sizeof c->updated_at, res, k++);
    col_copy(c->customer_name, sizeof c->customer_name, res, k++);
    col_copy(c->plate, sizeof c->plate, res, k++);
    col_copy(c->order_number, sizeof c->order_number, res, k++);
    c->escalations = (int)db_int(res, k++);
    return 0;
}

/* CS-6: late or not, by core's rule, at the actor's now. */
static void mark_overdue(struct complaint *c, int64_t now)
{
    int64_t ack = 0, resolve = 0;
    timestamp_parse_utc(c->ack_due_at, &ack);
    timestamp_parse_utc(c->resolve_due_at, &resolve);
    c->ack_overdue = complaint_ack_overdue(c->status, ack, now);
    c->resolve_overdue = complaint_resolve_overdue(c->status, resolve, now);
}

void complaint_clear(struct complaint *c)
{
    if (!c)
        return;
    free(c->actions);
    c->actions = NULL;
    c->n_actions = 0;
}

void complaints_free(struct complaint *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++)
        complaint_clear(&c[i]);
    free(c);
}

static int action_row(struct db_res *res, void *out)
{
    struct complaint_action *x = out;
    memset(x, 0, sizeof *x);
    x->id = db_int(res, 0);
    x->type = (enum complaint_action_type)enum_or(CPL_ACTION_NAMES, CPL_ACT_COUNT, db_text(res, 1),
                                                  CPL_ACT_NOTE);
    col_copy(x->note, sizeof x->note, res, 2);
    x->appointment_id = db_int(res, 3);
    x->amount_fen = db_int(res, 4);
    col_copy(x->status, sizeof x->status, res, 5);
    x->user_id = db_int(res, 6);
    col_copy(x->user_name, sizeof x->user_name, res, 7);
    col_copy(x->at, sizeof x->at, res, 8);
    return 0;
}

int complaints_get(struct db *db, const struct actor *a, int64_t id, struct complaint *out,
                   struct dms_error *err)
{
    int rc = store_one(db, complaint_row, out, err,
                       "SELECT " CPL_COLS CPL_FROM "WHERE c.id = ? AND c.store_id = ?", "ii", id,
                       a->store_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "没有这条投诉 / no complaint %lld", (long long)id);
    mark_overdue(out, a->now);
    return store_rows(db, action_row, NULL, sizeof *out->actions, 1000, (void **)&out->actions,
                      &out->n_actions, err,
                      "SELECT x.id, x.type, x.note, x.appointment_id, x.amount_fen, x.status, "
                      "x.user_id, COALESCE(u.display_name, ''), x.at FROM complaint_actions x "
                      "LEFT JOIN users u ON u.id = x.user_id WHERE x.complaint_id = ? AND "
                      "x.store_id = ? ORDER BY x.id",
                      "ii", id, a->store_id);
}

/* The SQL of "overdue now" (core's complaint_ack_overdue / complaint_resolve_overdue; UTC
 * text compares as time). Two parameters: now, now. */
#define OVERDUE_SQL                                                                                \
    "((c.status = 'open' AND c.ack_due_at < ?) OR (c.status NOT IN ('resolved', 'closed') AND "    \
    "c.resolve_due_at < ?))"

int complaints_list(struct db *db, const struct actor *a, const struct complaint_filter *f,
                    int64_t before, int limit, struct complaint **out, size_t *n, bool *more,
                    struct dms_error *err)
{
    *out = NULL, *n = 0, *more = false;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    const char *status = f->status >= 0 ? CPL_STATUS_NAMES[f->status] : "";
    if (store_rows(db, complaint_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " CPL_COLS CPL_FROM
                   "WHERE c.store_id = ? AND (? = 0 OR c.id < ?) AND (? = '' OR c.status = ?) "
                   "AND (? = 0 OR c.customer_id = ?) AND (? = 0 OR c.status <> 'closed') AND "
                   "(? = 0 OR " OVERDUE_SQL ") ORDER BY c.id DESC LIMIT ?",
                   "iiissiibbssi", a->store_id, before, before, status, status, f->customer_id,
                   f->customer_id, f->active, f->overdue, now, now, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    for (size_t i = 0; i < *n; i++)
        mark_overdue(&(*out)[i], a->now);
    return 0;
}

int complaints_of_customer(struct db *db, const struct actor *a, int64_t customer_id,
                           struct complaint **out, size_t *n, struct dms_error *err)
{
    struct complaint_filter f = {.status = -1, .active = true, .customer_id = customer_id};
    bool more;
    return complaints_list(db, a, &f, 0, 50, out, n, &more, err);
}

/* ---- escalation (CS-6) ---- */

static int audit_escalation(struct db *db, const struct actor *a, const struct complaint *c,
                            enum complaint_cause cause, int64_t tasks, int64_t emails,
                            struct dms_error *err)
{
    json_t *ch = json_object();
    audit_text(ch, "cause", NULL, CPL_CAUSE_NAMES[cause]);
    audit_int(ch, "round", 0, c->round_no);
    audit_int(ch, "tasks", 0, tasks);
    audit_int(ch, "emails", 0, emails);
    return audit_record(db, a, "escalate", "complaint", c->id, ch, err);
}

/* Queues the escalation e-mail to each address of the store's list (IN-18's list). */
static int escalation_emails(struct db *db, const struct actor *a, const struct complaint *c,
                             enum complaint_cause cause, int64_t *sent, struct dms_error *err)
{
    struct store_settings st;
    struct store_info info;
    if (settings_get(db, a->store_id, &st, err) < 0 || stores_get(db, a->store_id, &info, err) < 0)
        return -1;
    static const char *const WHY[CPL_CAUSE_COUNT] = {
        [CPL_CAUSE_SERIOUS] = "严重投诉",
        [CPL_CAUSE_ACK_OVERDUE] = "投诉超时未受理",
        [CPL_CAUSE_RESOLVE_OVERDUE] = "投诉超时未解决",
    };
    char subject[512], body[CPL_TEXT_BYTES + 1024];
    snprintf(subject, sizeof subject, "%s：%s（%s）", WHY[cause], c->number,
             CPL_SEVERITY_NAMES[c->severity]);
    snprintf(
        body, sizeof body,
        "%s %s，请服务经理跟进。\n编号：%s\n类别：%s\n严重程度：%s\n受理期限：%s\n解决期限：%s\n"
        "车牌：%s\n内容：%s\n",
        info.name, WHY[cause], c->number, CPL_CATEGORY_NAMES[c->category],
        CPL_SEVERITY_NAMES[c->severity], c->ack_due_at, c->resolve_due_at, c->plate, c->text);
    char *list = st.escalation_emails;
    for (char *save = NULL, *addr = strtok_r(list, ", ", &save); addr;
         addr = strtok_r(NULL, ", ", &save)) {
        struct message m = {.customer_id = 0};
        snprintf(m.kind, sizeof m.kind, "%s", "complaint_escalation");
        snprintf(m.channel, sizeof m.channel, "%s", "email");
        snprintf(m.recipient, sizeof m.recipient, "%s", addr);
        snprintf(m.subject, sizeof m.subject, "%s", subject);
        m.body = body;
        m.status = MSG_QUEUED;
        if (messages_queue(db, a, &m, err) < 0)
            return -1;
        (*sent)++;
    }
    return 0;
}

/* Escalates c for cause, once per complaint, cause and round: the row of
 * complaint_escalations is the claim (a second process's insert does nothing and it stops
 * there). A task for each service manager (one unassigned when the store has none) and the
 * e-mail. *made 1 when this call escalated it. */
static int escalate(struct db *db, const struct actor *a, const struct complaint *c,
                    enum complaint_cause cause, int *made, struct dms_error *err)
{
    *made = 0;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int64_t claim = 0;
    int rc = db_query_int(db, &claim,
                          "INSERT INTO complaint_escalations (store_id, complaint_id, cause, "
                          "round_no, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (complaint_id, cause, "
                          "round_no) DO NOTHING RETURNING id",
                          "iisis", a->store_id, c->id, CPL_CAUSE_NAMES[cause], (int64_t)c->round_no,
                          now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0 || !claim)
        return 0; /* escalated already, by this process or another */
    struct user *mgr = NULL;
    size_t n_mgr = 0;
    if (users_discount_approvers(db, a, &mgr, &n_mgr, err) < 0)
        return -1;
    int64_t tasks = 0, emails = 0;
    for (size_t i = 0; i < (n_mgr ? n_mgr : 1); i++) {
        int one = 0;
        if (tasks_create_complaint(db, a, c, cause, n_mgr ? mgr[i].id : 0, &one, err) < 0) {
            free(mgr);
            return -1;
        }
        tasks += one;
    }
    free(mgr);
    if (escalation_emails(db, a, c, cause, &emails, err) < 0)
        return -1;
    rc = db_exec(db, "UPDATE complaint_escalations SET emails = ? WHERE id = ?", "ii", emails,
                 claim);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    *made = 1;
    return audit_escalation(db, a, c, cause, tasks, emails, err);
}

int complaints_escalate_overdue(struct db *db, const struct actor *a, int *escalated,
                                struct dms_error *err)
{
    *escalated = 0;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    struct complaint *list = NULL;
    size_t n = 0;
    /* Those late and not yet escalated for that cause in their round. */
    if (store_rows(db, complaint_row, NULL, sizeof *list, 1000, (void **)&list, &n, err,
                   "SELECT " CPL_COLS CPL_FROM
                   "WHERE c.store_id = ? AND ((c.status = 'open' AND c.ack_due_at < ? AND NOT "
                   "EXISTS (SELECT 1 FROM complaint_escalations e WHERE e.complaint_id = c.id AND "
                   "e.cause = 'ack_overdue' AND e.round_no = c.round_no)) OR (c.status NOT IN "
                   "('resolved', 'closed') AND c.resolve_due_at < ? AND NOT EXISTS (SELECT 1 FROM "
                   "complaint_escalations e WHERE e.complaint_id = c.id AND e.cause = "
                   "'resolve_overdue' AND e.round_no = c.round_no))) ORDER BY c.id",
                   "iss", a->store_id, now, now) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct complaint c;
        /* Locked and read again: it may have been acknowledged or resolved meanwhile. */
        rc = store_lock_row(db, "complaints", "id", list[i].id, a->store_id, err);
        if (rc <= 0)
            break;
        rc = complaints_get(db, a, list[i].id, &c, err);
        if (rc < 0)
            break;
        int made = 0;
        if (c.ack_overdue)
            rc = escalate(db, a, &c, CPL_CAUSE_ACK_OVERDUE, &made, err);
        *escalated += made;
        if (rc == 0 && c.resolve_overdue) {
            rc = escalate(db, a, &c, CPL_CAUSE_RESOLVE_OVERDUE, &made, err);
            *escalated += made;
        }
        complaint_clear(&c);
    }
    complaints_free(list, n);
    return rc < 0 ? -1 : 0;
}

/* ---- taking a complaint ---- */

/* The car is the customer's and the order the car's, all in this store. */
static int check_links(struct db *db, const struct actor *a, struct complaint_in *in,
                       struct dms_error *err)
{
    int64_t found = 0;
    int rc = db_query_int(db, &found,
                          "SELECT CASE WHEN erased_at IS NULL THEN 1 ELSE 2 END FROM customers "
                          "WHERE id = ? AND store_id = ?",
                          "ii", in->customer_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "not_found", "customer_id", "客户不存在 / no customer %lld",
                        (long long)in->customer_id);
    if (found == 2)
        return dms_fail(err, "customer_erased", "customer_id",
                        "该客户的个人信息已按其要求删除 / the customer's personal data was erased");
    if (in->repair_order_id) {
        struct db_res *res;
        rc = db_query(db, &res,
                      "SELECT vehicle_id, customer_id FROM repair_orders WHERE id = ? AND "
                      "store_id = ?",
                      "ii", in->repair_order_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        rc = db_step(res);
        int64_t ov = rc > 0 ? db_int(res, 0) : 0, oc = rc > 0 ? db_int(res, 1) : 0;
        db_done(res);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "repair_order_id",
                            "维修委托书不存在 / no repair order %lld",
                            (long long)in->repair_order_id);
        if (in->vehicle_id && in->vehicle_id != ov)
            return dms_fail(err, "invalid_field", "repair_order_id",
                            "维修委托书不是这辆车的 / the repair order is of another car");
        if (oc != in->customer_id)
            return dms_fail(err, "invalid_field", "repair_order_id",
                            "维修委托书不是这位客户的 / the repair order is of another customer");
        in->vehicle_id = ov;
    }
    if (in->vehicle_id) {
        int64_t owner = 0;
        rc = db_query_int(db, &owner,
                          "SELECT customer_id FROM vehicles WHERE id = ? AND store_id = ?", "ii",
                          in->vehicle_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "vehicle_id", "车辆不存在 / no vehicle %lld",
                            (long long)in->vehicle_id);
        if (owner != in->customer_id)
            return dms_fail(err, "invalid_field", "vehicle_id",
                            "车辆不属于这位客户 / the vehicle belongs to another customer");
    }
    if (in->owner_id) {
        rc = db_query_int(db, &found,
                          "SELECT id FROM users WHERE id = ? AND store_id = ? AND disabled = 0",
                          "ii", in->owner_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "owner_id", "负责人不是本店员工 / no user %lld",
                            (long long)in->owner_id);
    }
    return 0;
}

static int log_action(struct db *db, const struct actor *a, int64_t complaint_id,
                      enum complaint_action_type type, const char *note, int64_t appointment_id,
                      int64_t amount_fen, const char *status, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc =
        db_exec(db,
                "INSERT INTO complaint_actions (store_id, complaint_id, type, note, "
                "appointment_id, amount_fen, status, user_id, at) VALUES (?, ?, ?, ?, ?, "
                "CASE WHEN ? = 1 THEN CAST(? AS BIGINT) END, ?, ?, ?)",
                "iissIbitIs", a->store_id, complaint_id, CPL_ACTION_NAMES[type], note ? note : "",
                appointment_id, type == CPL_ACT_GOODWILL, amount_fen, status, a->user_id, now);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

int complaints_create(struct db *db, const struct actor *a, const struct complaint_in *in_,
                      struct complaint *out, struct dms_error *err)
{
    struct complaint_in in = *in_;
    if (!in.text[0])
        return dms_fail(err, "missing_field", "text", "请填写投诉内容 / text is required");
    if (check_links(db, a, &in, err) < 0)
        return -1;
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0 || store_lock_store(db, a->store_id, err) < 0)
        return -1;
    char number[16];
    if (store_day_number(db, a, "complaints", complaint_number_format, "投诉", number, err) < 0)
        return -1;
    int64_t ack = 0, resolve = 0;
    complaint_deadlines(a->now, st.complaint_ack_hours, st.complaint_resolve_days, &ack, &resolve);
    char now[TIMESTAMP_STR], ack_s[TIMESTAMP_STR], resolve_s[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    timestamp_format_utc(ack, ack_s);
    timestamp_format_utc(resolve, resolve_s);
    int64_t owner = in.owner_id ? in.owner_id : a->user_id;
    int64_t id = 0;
    int rc = db_query_int(
        db, &id,
        "INSERT INTO complaints (store_id, number, customer_id, vehicle_id, repair_order_id, "
        "followup_task_id, channel, kind, category, severity, text, owner_id, status, "
        "received_at, ack_due_at, resolve_due_at, created_by, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?) RETURNING id",
        "isiIIIsssssIsssIss", a->store_id, number, in.customer_id, in.vehicle_id,
        in.repair_order_id, in.followup_task_id, CPL_CHANNEL_NAMES[in.channel],
        CPL_KIND_NAMES[in.kind], CPL_CATEGORY_NAMES[in.category], CPL_SEVERITY_NAMES[in.severity],
        in.text, owner, now, ack_s, resolve_s, a->user_id, now, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_text(ch, "number", NULL, number);
    audit_int(ch, "customer_id", 0, in.customer_id);
    audit_int(ch, "vehicle_id", 0, in.vehicle_id);
    audit_int(ch, "repair_order_id", 0, in.repair_order_id);
    audit_int(ch, "followup_task_id", 0, in.followup_task_id);
    audit_text(ch, "channel", NULL, CPL_CHANNEL_NAMES[in.channel]);
    audit_text(ch, "kind", NULL, CPL_KIND_NAMES[in.kind]);
    audit_text(ch, "category", NULL, CPL_CATEGORY_NAMES[in.category]);
    audit_text(ch, "severity", NULL, CPL_SEVERITY_NAMES[in.severity]);
    audit_int(ch, "owner_id", 0, owner);
    if (audit_record(db, a, "create", "complaint", id, ch, err) < 0 ||
        complaints_get(db, a, id, out, err) < 0)
        return -1;
    /* CS-6: a serious complaint goes to the service manager at once. */
    int made = 0;
    if (complaint_serious(in.severity)) {
        if (escalate(db, a, out, CPL_CAUSE_SERIOUS, &made, err) < 0)
            return -1;
        complaint_clear(out);
        return complaints_get(db, a, id, out, err);
    }
    return 0;
}

/* ---- working on it ---- */

static int touch(struct db *db, const struct actor *a, int64_t id, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db, "UPDATE complaints SET updated_at = ? WHERE id = ? AND store_id = ?",
                     "sii", now, id, a->store_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

/* Locks complaint id of the actor's store (PostgreSQL: until the transaction ends) and reads
 * it into *c (its lists freed: only the row's fields are kept). not_found for another
 * store's. */
static int lock_complaint(struct db *db, const struct actor *a, int64_t id, struct complaint *c,
                          struct dms_error *err)
{
    int rc = store_lock_row(db, "complaints", "id", id, a->store_id, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "没有这条投诉 / no complaint %lld", (long long)id);
    if (complaints_get(db, a, id, c, err) < 0)
        return -1;
    complaint_clear(c);
    return 0;
}

int complaints_add_action(struct db *db, const struct actor *a, int64_t id,
                          const struct complaint_action_in *in, struct complaint *out,
                          struct dms_error *err)
{
    struct complaint c;
    if (lock_complaint(db, a, id, &c, err) < 0)
        return -1;
    int rc = 0;
    if (c.status == CPL_CLOSED)
        return dms_fail(err, "invalid_transition", "type",
                        "投诉已结案，请先重新打开 / the complaint is closed: reopen it first");
    if (in->type == CPL_ACT_RE_REPAIR_BOOKED) {
        int64_t cust = 0;
        rc = db_query_int(db, &cust,
                          "SELECT customer_id FROM appointments WHERE id = ? AND store_id = ?",
                          "ii", in->appointment_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc == 0)
            return dms_fail(err, "not_found", "appointment_id", "预约不存在 / no booking %lld",
                            (long long)in->appointment_id);
        if (cust != c.customer_id)
            return dms_fail(err, "invalid_field", "appointment_id",
                            "预约不是这位客户的 / the booking is of another customer");
    }
    if (log_action(db, a, id, in->type, in->note,
                   in->type == CPL_ACT_RE_REPAIR_BOOKED ? in->appointment_id : 0, in->amount_fen,
                   NULL, err) < 0 ||
        touch(db, a, id, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_text(ch, "type", NULL, CPL_ACTION_NAMES[in->type]);
    audit_text(ch, "note", NULL, in->note);
    audit_int(ch, "appointment_id", 0, in->appointment_id);
    audit_int(ch, "amount_fen", 0, in->type == CPL_ACT_GOODWILL ? in->amount_fen : 0);
    if (audit_record(db, a, "action", "complaint", id, ch, err) < 0)
        return -1;
    return complaints_get(db, a, id, out, err);
}

int complaints_set_status(struct db *db, const struct actor *a, int64_t id,
                          const struct complaint_status_in *in, struct complaint *out,
                          struct dms_error *err)
{
    struct complaint c;
    if (lock_complaint(db, a, id, &c, err) < 0)
        return -1;
    int rc = 0;
    if (!complaint_transition_ok(c.status, in->to))
        return dms_fail(err, "invalid_transition", "status",
                        "投诉状态不能从 %s 改为 %s / a complaint cannot go from %s to %s",
                        CPL_STATUS_NAMES[c.status], CPL_STATUS_NAMES[in->to],
                        CPL_STATUS_NAMES[c.status], CPL_STATUS_NAMES[in->to]);
    /* Closing and reopening: the owner, or a service manager. */
    if ((in->to == CPL_CLOSED || in->to == CPL_REOPENED) && a->user_id != c.owner_id &&
        a->role != ROLE_SERVICE_MANAGER)
        return dms_fail(err, "forbidden", "status",
                        "只有负责人或服务经理可以结案或重新打开 / only the owner or a service "
                        "manager may close or reopen a complaint");
    if (in->to == CPL_RESOLVED && !in->resolution[0])
        return dms_fail(err, "missing_field", "resolution",
                        "请填写处理结果 / resolving needs the resolution");
    if (in->to == CPL_CLOSED && in->customer_satisfied < 0)
        return dms_fail(err, "missing_field", "customer_satisfied",
                        "结案前请询问客户是否满意 / ask the customer whether satisfied before "
                        "closing");
    struct store_settings st;
    if (settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    char now[TIMESTAMP_STR], resolve_due[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    snprintf(resolve_due, sizeof resolve_due, "%s", c.resolve_due_at);
    int round_no = c.round_no;
    if (in->to == CPL_REOPENED) {
        int64_t ack = 0, resolve = 0;
        complaint_deadlines(a->now, st.complaint_ack_hours, st.complaint_resolve_days, &ack,
                            &resolve);
        timestamp_format_utc(resolve, resolve_due);
        round_no++;
    }
    bool reopen = in->to == CPL_REOPENED;
    rc = db_exec(
        db,
        "UPDATE complaints SET status = ?, round_no = ?, resolve_due_at = ?, acknowledged_at = "
        "CASE WHEN ? = 1 AND acknowledged_at IS NULL THEN ? ELSE acknowledged_at END, "
        "resolved_at = CASE WHEN ? = 1 THEN ? WHEN ? = 1 THEN NULL ELSE resolved_at END, "
        "resolution = CASE WHEN ? = 1 THEN ? ELSE resolution END, closed_at = CASE WHEN ? = 1 "
        "THEN ? WHEN ? = 1 THEN NULL ELSE closed_at END, customer_satisfied = CASE WHEN ? = 1 "
        "THEN CAST(? AS INTEGER) WHEN ? = 1 THEN NULL ELSE customer_satisfied END, updated_at = "
        "? WHERE id = ? AND store_id = ?",
        "sisbsbsbbsbsbbibsii", CPL_STATUS_NAMES[in->to], (int64_t)round_no, resolve_due,
        in->to == CPL_ACKNOWLEDGED, now, in->to == CPL_RESOLVED, now, reopen,
        in->to == CPL_RESOLVED, in->resolution, in->to == CPL_CLOSED, now, reopen,
        in->to == CPL_CLOSED, (int64_t)(in->customer_satisfied > 0), reopen, now, id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    char note[CPL_NOTE_BYTES + 64];
    snprintf(note, sizeof note, "%s%s%s",
             in->to == CPL_CLOSED ? (in->customer_satisfied > 0 ? "客户满意" : "客户不满意") : "",
             in->to == CPL_CLOSED && in->note[0] ? "；" : "", in->note);
    if (log_action(db, a, id, CPL_ACT_STATUS, note, 0, 0, CPL_STATUS_NAMES[in->to], err) < 0)
        return -1;
    /* Closed: its calls are no longer needed. */
    if (in->to == CPL_CLOSED && tasks_cancel_complaint(db, a, id, err) < 0)
        return -1;
    json_t *ch = json_object();
    audit_text(ch, "status", CPL_STATUS_NAMES[c.status], CPL_STATUS_NAMES[in->to]);
    if (in->to == CPL_RESOLVED)
        audit_text(ch, "resolution", c.resolution, in->resolution);
    if (in->to == CPL_CLOSED)
        audit_text(ch, "customer_satisfied", NULL, in->customer_satisfied > 0 ? "true" : "false");
    audit_int(ch, "round", c.round_no, round_no);
    audit_text(ch, "resolve_due_at", c.resolve_due_at, resolve_due);
    audit_text(ch, "note", NULL, in->note);
    if (audit_record(db, a, "status", "complaint", id, ch, err) < 0)
        return -1;
    return complaints_get(db, a, id, out, err);
}

/* ---- CS-1: a dissatisfied follow-up call ---- */

int complaints_from_followup(struct db *db, const struct actor *a, const struct task *t,
                             const char *notes, enum complaint_category category,
                             struct dms_error *err)
{
    if (!t->customer_id)
        return dms_fail(err, "invalid_field", "satisfaction",
                        "这个回访没有客户，无法登记投诉 / this follow-up has no customer");
    struct complaint_in in = {
        .customer_id = t->customer_id,
        .vehicle_id = t->vehicle_id,
        .channel = CPL_FOLLOWUP_CALL,
        .kind = CPL_COMPLAINT,
        .category = category,
        .severity = CPL_NORMAL,
        .followup_task_id = t->id,
    };
    /* The order whose delivery wrote the service record the follow-up is about. */
    if (t->service_record_id) {
        int64_t order = 0;
        int rc = db_query_int(db, &order,
                              "SELECT id FROM repair_orders WHERE service_record_id = ? AND "
                              "store_id = ?",
                              "ii", t->service_record_id, a->store_id);
        if (rc < 0)
            return store_db_fail(db, rc, err);
        if (rc > 0 && order) {
            in.repair_order_id = order;
            in.vehicle_id = 0; /* the order's car */
        }
    }
    snprintf(in.text, sizeof in.text, "%s", notes && notes[0] ? notes : "回访时客户表示不满意");
    /* Owned by the service manager (the first of the store's, by name). */
    struct user *mgr = NULL;
    size_t n_mgr = 0;
    if (users_discount_approvers(db, a, &mgr, &n_mgr, err) < 0)
        return -1;
    in.owner_id = n_mgr ? mgr[0].id : 0;
    free(mgr);
    struct complaint c;
    int rc = complaints_create(db, a, &in, &c, err);
    complaint_clear(&c);
    return rc;
}
