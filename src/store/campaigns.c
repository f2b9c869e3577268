/* Recalls, technical upgrades, promotions and holiday greetings (CS-5, CS-7): a selection of
 * vehicles, one call task or message each, and a status per vehicle that follows its task or
 * message, and for a recall the repair order that did the work. */
#include <stdlib.h>

#include "core/customer.h"
#include "core/email.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/template.h"
#include "core/text.h"
#include "core/vin.h"
#include "store/campaigns.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/settings.h"
#include "store/stores.h"

const char *const CAMPAIGN_KIND_NAMES[CAMPAIGN_KIND_COUNT] = {
    [CAMPAIGN_RECALL] = "recall",
    [CAMPAIGN_TECH_UPGRADE] = "tech_upgrade",
    [CAMPAIGN_PROMOTION] = "promotion",
    [CAMPAIGN_HOLIDAY] = "holiday",
};
const char *const CHANNEL_NAMES[CHANNEL_COUNT] = {
    [CHANNEL_CALL] = "call",
    [CHANNEL_SMS] = "sms",
    [CHANNEL_EMAIL] = "email",
};

#define CAMPAIGN_COLS                                                                              \
    "k.id, k.kind, k.channel, k.name, k.template, k.subject, k.selection, k.deadline, "            \
    "k.created_by, k.created_at, (SELECT COUNT(*) FROM campaign_vehicles cv WHERE "                \
    "cv.campaign_id = k.id), (SELECT COUNT(*) FROM campaign_vehicles cv WHERE cv.campaign_id = "   \
    "k.id AND cv.task_id IS NOT NULL), (SELECT COUNT(*) FROM campaign_vehicles cv WHERE "          \
    "cv.campaign_id = k.id AND cv.message_id IS NOT NULL), (SELECT COUNT(*) FROM "                 \
    "campaign_vehicles cv WHERE cv.campaign_id = k.id AND cv.task_id IS NULL AND cv.message_id "   \
    "IS NULL), (SELECT COUNT(*) FROM campaign_vehicles cv LEFT JOIN tasks t ON t.id = "            \
    "cv.task_id LEFT JOIN messages m ON m.id = cv.message_id WHERE cv.campaign_id = k.id AND "     \
    "(t.status = 'done' OR m.status = 'sent')), (SELECT COUNT(*) FROM campaign_vehicles cv "       \
    "WHERE cv.campaign_id = k.id AND cv.completed_at IS NOT NULL)"

static int row(struct db_res *res, void *out)
{
    struct campaign *c = out;
    memset(c, 0, sizeof *c);
    c->id = db_int(res, 0);
    int k = enum_index(CAMPAIGN_KIND_NAMES, CAMPAIGN_KIND_COUNT, db_text(res, 1));
    c->kind = k < 0 ? CAMPAIGN_PROMOTION : (enum campaign_kind)k;
    int ch = enum_index(CHANNEL_NAMES, CHANNEL_COUNT, db_text(res, 2));
    c->channel = ch < 0 ? CHANNEL_CALL : (enum campaign_channel)ch;
    col_copy(c->name, sizeof c->name, res, 3);
    col_copy(c->template_text, sizeof c->template_text, res, 4);
    col_copy(c->subject, sizeof c->subject, res, 5);
    c->selection = strdup(db_text(res, 6));
    if (!c->selection)
        return -1;
    col_copy(c->deadline, sizeof c->deadline, res, 7);
    c->created_by = db_int(res, 8);
    col_copy(c->created_at, sizeof c->created_at, res, 9);
    c->vehicles = db_int(res, 10);
    c->tasks = db_int(res, 11);
    c->messages = db_int(res, 12);
    c->no_consent = db_int(res, 13);
    c->done = db_int(res, 14);
    c->completed = db_int(res, 15);
    return 0;
}

void campaign_clear(struct campaign *c)
{
    if (c) {
        free(c->selection);
        c->selection = NULL;
    }
}

static void clear_item(void *c)
{
    campaign_clear(c);
}

void campaigns_free(struct campaign *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++)
        campaign_clear(&c[i]);
    free(c);
}

int campaigns_get(struct db *db, const struct actor *a, int64_t id, struct campaign *out,
                  struct dms_error *err)
{
    int rc =
        store_one(db, row, out, err,
                  "SELECT " CAMPAIGN_COLS " FROM campaigns k WHERE k.id = ? AND k.store_id = ?",
                  "ii", id, a->store_id);
    if (rc == 0)
        return dms_fail(err, "not_found", NULL, "no campaign %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int campaigns_list(struct db *db, const struct actor *a, int64_t after, int limit,
                   struct campaign **out, size_t *n, bool *more, struct dms_error *err)
{
    if (store_rows(db, row, clear_item, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT " CAMPAIGN_COLS " FROM campaigns k WHERE k.store_id = ? AND "
                   "(? = 0 OR k.id < ?) ORDER BY k.id DESC LIMIT ?",
                   "iiii", a->store_id, after, after, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more) {
        campaign_clear(&(*out)[limit]);
        *n = (size_t)limit;
    }
    return 0;
}

/* ---- creating ---- */

struct target {
    int64_t vehicle_id, customer_id;
    char vin[VIN_LEN + 1];
    char name[CUSTOMER_NAME_CHARS * 4 + 1], title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char plate[PLATE_MAX_BYTES], due[DATE_STR];
    bool phone_ok, sms_ok, email_ok, marketing_ok, has_phone, opted_out;
    char email[EMAIL_MAX], mobile[PHONE_MAX];
};

#define TARGET_COLS                                                                                \
    "v.id, v.customer_id, v.vin, c.name, c.title, v.plate, v.next_due_date, c.consent_phone, "     \
    "CASE WHEN c.consent_sms = 1 AND c.sms_opted_out_at IS NULL THEN 1 ELSE 0 END, "               \
    "c.consent_email, c.consent_marketing, c.email, (SELECT p.number FROM customer_phones p "      \
    "WHERE p.customer_id = c.id AND p.number LIKE '1%' AND LENGTH(p.number) = 11 ORDER BY "        \
    "p.position LIMIT 1), (SELECT COUNT(*) FROM customer_phones p WHERE p.customer_id = c.id), "   \
    "CASE WHEN c.sms_opted_out_at IS NULL THEN 0 ELSE 1 END "                                      \
    "FROM vehicles v JOIN customers c ON c.id = v.customer_id "

static int target_row(struct db_res *res, void *out)
{
    struct target *t = out;
    memset(t, 0, sizeof *t);
    t->vehicle_id = db_int(res, 0);
    t->customer_id = db_int(res, 1);
    col_copy(t->vin, sizeof t->vin, res, 2);
    col_copy(t->name, sizeof t->name, res, 3);
    col_copy(t->title, sizeof t->title, res, 4);
    col_copy(t->plate, sizeof t->plate, res, 5);
    col_copy(t->due, sizeof t->due, res, 6);
    t->phone_ok = db_int(res, 7) == 1;
    t->sms_ok = db_int(res, 8) == 1;
    t->email_ok = db_int(res, 9) == 1;
    t->marketing_ok = db_int(res, 10) == 1;
    col_copy(t->email, sizeof t->email, res, 11);
    col_copy(t->mobile, sizeof t->mobile, res, 12);
    t->has_phone = db_int(res, 13) > 0;
    t->opted_out = db_int(res, 14) == 1;
    return 0;
}

/* Whether the customer may be reached for this campaign on its channel. A recall is a
 * safety notice every owner must get (phone and address permitting, and short of an SMS
 * opt-out); promotions and greetings are marketing and need that consent on top of the
 * channel's. The dispatcher applies the same rule again when it sends (messages.c). */
static bool allowed(const struct campaign *c, const struct target *t, const char **recipient)
{
    bool marketing = c->kind == CAMPAIGN_PROMOTION || c->kind == CAMPAIGN_HOLIDAY;
    bool recall = c->kind == CAMPAIGN_RECALL;
    if (marketing && !t->marketing_ok)
        return false;
    switch (c->channel) {
    case CHANNEL_CALL:
        return t->has_phone && (recall || t->phone_ok);
    case CHANNEL_SMS:
        *recipient = t->mobile;
        /* An SMS opt-out (TD) holds even for a recall: that owner gets the call or letter. */
        return t->mobile[0] && (t->sms_ok || (recall && !t->opted_out));
    case CHANNEL_EMAIL:
        *recipient = t->email;
        return t->email[0] && (recall || t->email_ok);
    default:
        return false;
    }
}

static int add_target(struct db *db, const struct actor *a, const struct campaign *c,
                      const struct target *t, const struct store_info *store,
                      const struct store_settings *st, struct dms_error *err)
{
    const char *recipient = "";
    bool ok = allowed(c, t, &recipient);
    int64_t task_id = 0, message_id = 0;
    char now[TIMESTAMP_STR], today[DATE_STR];
    timestamp_format_utc(a->now, now);
    date_format(a->today, today);
    int rc;
    if (c->channel == CHANNEL_CALL) {
        if (ok) {
            char key[64], reason[400];
            snprintf(key, sizeof key, "cp:%lld:%lld", (long long)c->id, (long long)t->vehicle_id);
            snprintf(reason, sizeof reason, "%s：%s",
                     c->kind == CAMPAIGN_RECALL         ? "召回通知"
                     : c->kind == CAMPAIGN_TECH_UPGRADE ? "技术升级通知"
                     : c->kind == CAMPAIGN_PROMOTION    ? "服务促销"
                                                        : "节日问候",
                     c->name);
            rc = db_query_int(db, &task_id,
                              "INSERT INTO tasks (store_id, type, dedupe_key, vehicle_id, "
                              "customer_id, campaign_id, reason, due_date, deadline, status, "
                              "created_by, created_at) VALUES (?, 'campaign', ?, ?, ?, ?, ?, ?, "
                              "?, 'open', ?, ?) RETURNING id",
                              "isiiisssIs", a->store_id, key, t->vehicle_id, t->customer_id, c->id,
                              reason, today, c->deadline, a->user_id, now);
            if (rc < 0)
                return store_db_fail(db, rc, err);
        }
    } else {
        struct template_values v = {
            .name = t->name,
            .title = t->title,
            .plate = t->plate,
            .due_date = t->due,
            .store = store->name,
            .store_phone = st->store_phone,
        };
        char *body = NULL, *subject = NULL;
        if (template_render(c->template_text, &v, &body, err) < 0)
            return -1;
        if (c->subject[0] && template_render(c->subject, &v, &subject, err) < 0) {
            free(body);
            return -1;
        }
        struct message m = {
            .customer_id = t->customer_id,
            .vehicle_id = t->vehicle_id,
            .campaign_id = c->id,
            .status = ok ? MSG_QUEUED : MSG_SUPPRESSED,
            .body = body,
        };
        snprintf(m.kind, sizeof m.kind, "campaign_%s", CAMPAIGN_KIND_NAMES[c->kind]);
        snprintf(m.channel, sizeof m.channel, "%s", CHANNEL_NAMES[c->channel]);
        snprintf(m.recipient, sizeof m.recipient, "%s",
                 recipient && recipient[0] ? recipient : "-");
        snprintf(m.subject, sizeof m.subject, "%s", subject ? subject : c->name);
        if (!ok)
            snprintf(m.status_reason, sizeof m.status_reason, "no consent or no address");
        rc = messages_queue(db, a, &m, err); /* the campaign's audit row counts them */
        free(body), free(subject);
        if (rc < 0)
            return -1;
        message_id = m.id;
    }
    rc = db_exec(db,
                 "INSERT INTO campaign_vehicles (campaign_id, vehicle_id, store_id, customer_id, "
                 "task_id, message_id) VALUES (?, ?, ?, ?, ?, ?)",
                 "iiiiII", c->id, t->vehicle_id, a->store_id, t->customer_id, task_id, message_id);
    return rc < 0 ? store_db_fail(db, rc, err) : 0;
}

static int select_targets(struct db *db, const struct actor *a, const struct campaign_selection *s,
                          struct target **out, size_t *n, char ***unmatched, size_t *n_unmatched,
                          struct dms_error *err)
{
    *out = NULL, *n = 0;
    if (!s->n_vins) {
        const char *cls = s->classification >= 0 ? CUSTOMER_CLASS_NAMES[s->classification] : "";
        return store_rows(db, target_row, NULL, sizeof **out, 1000000, (void **)out, n, err,
                          "SELECT " TARGET_COLS
                          "WHERE v.store_id = ? AND (? = '' OR v.brand = ?) AND (? = '' OR "
                          "v.model = ?) AND (? = 0 OR v.model_year >= ?) AND (? = 0 OR "
                          "v.model_year <= ?) AND (? = '' OR c.classification = ?) ORDER BY v.id",
                          "issssiiiiss", a->store_id, s->brand, s->brand, s->model, s->model,
                          (int64_t)s->year_from, (int64_t)s->year_from, (int64_t)s->year_to,
                          (int64_t)s->year_to, cls, cls);
    }
    struct target *t = calloc(s->n_vins, sizeof *t);
    char **missing = calloc(s->n_vins, sizeof *missing);
    if (!t || !missing) {
        free(t), free(missing);
        return dms_fail(err, "db_error", NULL, "out of memory");
    }
    size_t k = 0, m = 0;
    for (size_t i = 0; i < s->n_vins; i++) {
        int rc = store_one(db, target_row, &t[k], err,
                           "SELECT " TARGET_COLS "WHERE v.store_id = ? AND v.vin = ?", "is",
                           a->store_id, s->vins[i]);
        if (rc < 0) {
            free(t);
            for (size_t j = 0; j < m; j++)
                free(missing[j]);
            free(missing);
            return -1;
        }
        /* A manufacturer's recall list names cars sold anywhere; those this store does not
         * know are reported back, not refused. The same VIN twice counts once. */
        bool dup = false;
        for (size_t j = 0; rc == 1 && j < k; j++)
            dup = dup || t[j].vehicle_id == t[k].vehicle_id;
        if (rc == 1 && !dup)
            k++;
        else if (rc == 0)
            missing[m++] = strdup(s->vins[i]);
    }
    *out = t, *n = k;
    *unmatched = missing, *n_unmatched = m;
    return 0;
}

int campaigns_create(struct db *db, const struct actor *a, struct campaign *c,
                     const struct campaign_selection *sel, const char *selection_json,
                     char ***unmatched, size_t *n_unmatched, struct dms_error *err)
{
    *unmatched = NULL, *n_unmatched = 0;
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_query_int(
        db, &c->id,
        "INSERT INTO campaigns (store_id, kind, name, channel, template, subject, "
        "selection, deadline, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) RETURNING id",
        "isssstssIs", a->store_id, CAMPAIGN_KIND_NAMES[c->kind], c->name, CHANNEL_NAMES[c->channel],
        c->template_text, c->subject, selection_json, c->deadline, a->user_id, now);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    struct store_info store;
    struct store_settings st;
    if (stores_get(db, a->store_id, &store, err) < 0 || settings_get(db, a->store_id, &st, err) < 0)
        return -1;
    struct target *t;
    size_t n;
    if (select_targets(db, a, sel, &t, &n, unmatched, n_unmatched, err) < 0)
        return -1;
    rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = add_target(db, a, c, &t[i], &store, &st, err);
    free(t);
    if (rc < 0)
        return -1;
    json_t *ch = json_object();
    audit_text(ch, "kind", NULL, CAMPAIGN_KIND_NAMES[c->kind]);
    audit_text(ch, "name", NULL, c->name);
    audit_text(ch, "channel", NULL, CHANNEL_NAMES[c->channel]);
    audit_text(ch, "selection", NULL, selection_json);
    audit_int(ch, "vehicles", 0, (int64_t)n);
    rc = audit_write(db, a, "create", "campaign", c->id, ch, err);
    json_decref(ch);
    if (rc < 0)
        return -1;
    char *keep = c->selection;
    c->selection = NULL;
    free(keep);
    return campaigns_get(db, a, c->id, c, err);
}

/* ---- per vehicle ---- */

static int cv_row(struct db_res *res, void *out)
{
    struct campaign_vehicle *v = out;
    memset(v, 0, sizeof *v);
    v->vehicle_id = db_int(res, 0);
    v->customer_id = db_int(res, 1);
    v->task_id = db_int(res, 2);
    v->message_id = db_int(res, 3);
    v->service_record_id = db_int(res, 4);
    col_copy(v->vin, sizeof v->vin, res, 5);
    col_copy(v->plate, sizeof v->plate, res, 6);
    col_copy(v->completed_at, sizeof v->completed_at, res, 10);
    col_copy(v->last_outcome, sizeof v->last_outcome, res, 8);
    if (v->completed_at[0])
        snprintf(v->status, sizeof v->status, "completed");
    else if (v->task_id)
        col_copy(v->status, sizeof v->status, res, 7);
    else if (v->message_id)
        col_copy(v->status, sizeof v->status, res, 9);
    else
        snprintf(v->status, sizeof v->status, "no_consent");
    return 0;
}

int campaigns_vehicles(struct db *db, const struct actor *a, int64_t id, int64_t after, int limit,
                       struct campaign_vehicle **out, size_t *n, bool *more, struct dms_error *err)
{
    struct campaign c;
    if (campaigns_get(db, a, id, &c, err) < 0)
        return -1;
    campaign_clear(&c);
    if (store_rows(db, cv_row, NULL, sizeof **out, (size_t)limit + 1, (void **)out, n, err,
                   "SELECT cv.vehicle_id, cv.customer_id, cv.task_id, cv.message_id, "
                   "cv.service_record_id, v.vin, v.plate, t.status, t.last_outcome, m.status, "
                   "cv.completed_at FROM campaign_vehicles cv JOIN vehicles v ON v.id = "
                   "cv.vehicle_id LEFT JOIN tasks t ON t.id = cv.task_id LEFT JOIN messages m ON "
                   "m.id = cv.message_id WHERE cv.campaign_id = ? AND cv.store_id = ? AND "
                   "cv.vehicle_id > ? ORDER BY cv.vehicle_id LIMIT ?",
                   "iiii", id, a->store_id, after, (int64_t)limit + 1) < 0)
        return -1;
    *more = *n > (size_t)limit;
    if (*more)
        *n = (size_t)limit;
    return 0;
}

int campaigns_complete(struct db *db, const struct actor *a, int64_t campaign_id,
                       int64_t vehicle_id, int64_t service_record_id, struct dms_error *err)
{
    char now[TIMESTAMP_STR];
    timestamp_format_utc(a->now, now);
    int rc = db_exec(db,
                     "UPDATE campaign_vehicles SET completed_at = ?, service_record_id = ? WHERE "
                     "campaign_id = ? AND vehicle_id = ? AND store_id = ? AND completed_at IS NULL",
                     "siiii", now, service_record_id, campaign_id, vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    if (rc == 0)
        return dms_fail(err, "invalid_field", "campaign_id",
                        "the vehicle is not in this campaign, or its work is recorded already");
    rc = db_exec(db,
                 "UPDATE tasks SET status = 'done', closed_at = ? WHERE campaign_id = ? AND "
                 "vehicle_id = ? AND store_id = ? AND status = 'open'",
                 "siii", now, campaign_id, vehicle_id, a->store_id);
    if (rc < 0)
        return store_db_fail(db, rc, err);
    json_t *ch = json_object();
    audit_int(ch, "vehicle_id", 0, vehicle_id);
    audit_int(ch, "service_record_id", 0, service_record_id);
    rc = audit_write(db, a, "complete", "campaign", campaign_id, ch, err);
    json_decref(ch);
    return rc;
}
