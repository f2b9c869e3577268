/* Complaints and enquiries (complaints.c; CS-6, IN-20) and the complaint a dissatisfied
 * follow-up call opens (CS-1). store.h says how they all behave. Every change of a complaint
 * locks its row first; taking one takes the store's lock (the day's numbers). */
#ifndef DMS_STORE_COMPLAINTS_H
#define DMS_STORE_COMPLAINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/complaint.h"
#include "core/customer.h"
#include "core/plate.h"
#include "store/store.h"

#define CPL_TEXT_CHARS       2000
#define CPL_NOTE_CHARS       1000
#define CPL_TEXT_BYTES       (CPL_TEXT_CHARS * 4 + 1)
#define CPL_NOTE_BYTES       (CPL_NOTE_CHARS * 4 + 1)
#define CPL_MAX_GOODWILL_FEN 100000000 /* ¥1,000,000: beyond is a typing error */

struct complaint_action {
    int64_t id;
    enum complaint_action_type type;
    char note[CPL_NOTE_BYTES];
    int64_t appointment_id; /* re_repair_booked: the booking; else 0 */
    int64_t amount_fen;     /* goodwill; else 0 */
    char status[16];        /* type status: the status it moved to */
    int64_t user_id;
    char user_name[257];
    char at[TIMESTAMP_STR];
};

struct complaint {
    int64_t id;
    char number[16];
    int64_t customer_id, vehicle_id, repair_order_id, followup_task_id;
    enum complaint_channel channel;
    enum complaint_kind kind;
    enum complaint_category category;
    enum complaint_severity severity;
    char text[CPL_TEXT_BYTES];
    int64_t owner_id;
    char owner_name[257];
    enum complaint_status status;
    int round_no;
    char received_at[TIMESTAMP_STR], ack_due_at[TIMESTAMP_STR], resolve_due_at[TIMESTAMP_STR];
    char acknowledged_at[TIMESTAMP_STR], resolved_at[TIMESTAMP_STR], closed_at[TIMESTAMP_STR];
    char resolution[CPL_TEXT_BYTES];
    int customer_satisfied; /* 1, 0; -1 not asked yet */
    bool ack_overdue, resolve_overdue;
    int64_t created_by;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    /* Joined for display. */
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char plate[PLATE_MAX_BYTES];
    char order_number[16];
    int escalations; /* how many causes escalated it */
    /* Loaded by get. */
    struct complaint_action *actions;
    size_t n_actions;
};
void complaint_clear(struct complaint *c);
void complaints_free(struct complaint *c, size_t n);

struct complaint_in {
    int64_t customer_id, vehicle_id, repair_order_id; /* vehicle, order: 0 none */
    enum complaint_channel channel;
    enum complaint_kind kind;
    enum complaint_category category;
    enum complaint_severity severity;
    char text[CPL_TEXT_BYTES];
    int64_t owner_id;         /* 0: the one who takes it */
    int64_t followup_task_id; /* CS-1: the follow-up call that heard it; else 0 */
};
/* CS-6: takes a complaint: the car must be the customer's and the order the car's (and the
 * customer's), all of this store (not_found / invalid_field naming the field otherwise);
 * the deadlines from the store's settings; a serious one escalates at once. */
int complaints_create(struct db *db, const struct actor *a, const struct complaint_in *in,
                      struct complaint *out, struct dms_error *err);
/* With its actions (complaint_clear). */
int complaints_get(struct db *db, const struct actor *a, int64_t id, struct complaint *out,
                   struct dms_error *err);

struct complaint_filter {
    int status;          /* -1 any */
    bool overdue;        /* only those late to acknowledge or to resolve now */
    bool active;         /* not closed */
    int64_t customer_id; /* 0 any */
};
/* Newest first (by id descending): a keyset page before `before` (0: from the newest). */
int complaints_list(struct db *db, const struct actor *a, const struct complaint_filter *f,
                    int64_t before, int limit, struct complaint **out, size_t *n, bool *more,
                    struct dms_error *err);

struct complaint_action_in {
    enum complaint_action_type type; /* not CPL_ACT_STATUS */
    char note[CPL_NOTE_BYTES];
    int64_t appointment_id; /* re_repair_booked: required, the customer's booking */
    int64_t amount_fen;     /* goodwill: required, > 0 */
};
/* CS-6: logs an action (invalid_transition once the complaint is closed). */
int complaints_add_action(struct db *db, const struct actor *a, int64_t id,
                          const struct complaint_action_in *in, struct complaint *out,
                          struct dms_error *err);

struct complaint_status_in {
    enum complaint_status to;
    char note[CPL_NOTE_BYTES];
    char resolution[CPL_TEXT_BYTES]; /* resolved: required */
    int customer_satisfied;          /* closed: required (1 / 0); -1 not given */
};
/* CS-6: moves it (core's complaint_transition_ok: invalid_transition 409 otherwise). Closing
 * and reopening are the owner's or a service manager's (forbidden otherwise); closing cancels
 * its open complaint tasks; reopening gives it a new resolve deadline. */
int complaints_set_status(struct db *db, const struct actor *a, int64_t id,
                          const struct complaint_status_in *in, struct complaint *out,
                          struct dms_error *err);

/* CS-6: the background pass (dms serve's worker, dms complaints escalate): escalates each
 * complaint of a->store_id late to acknowledge or to resolve, once per cause and round,
 * however many processes run it at once. *escalated: how many escalations it made. */
int complaints_escalate_overdue(struct db *db, const struct actor *a, int *escalated,
                                struct dms_error *err);

/* IN-20: the customer's complaints not closed, newest first (at most 50; no actions). */
int complaints_of_customer(struct db *db, const struct actor *a, int64_t customer_id,
                           struct complaint **out, size_t *n, struct dms_error *err);

/* CS-1: the complaint a follow-up call marked 不满意 opens, in the caller's transaction: its
 * customer, the repair order of its service record (else its car), owned by the service
 * manager, the call's notes as its text; once per follow-up task (a unique index). */
struct task;
int complaints_from_followup(struct db *db, const struct actor *a, const struct task *t,
                             const char *notes, enum complaint_category category,
                             struct dms_error *err);

/* ---- tasks.c: the complaint's tasks (TASK_COMPLAINT) ---- */
/* An escalation task for assignee (0: nobody), keyed so that it is made once per complaint,
 * cause, round and assignee; *made 1 when it was made now. */
int tasks_create_complaint(struct db *db, const struct actor *a, const struct complaint *c,
                           enum complaint_cause cause, int64_t assignee_id, int *made,
                           struct dms_error *err);
/* Cancels the complaint's open tasks (it was closed). */
int tasks_cancel_complaint(struct db *db, const struct actor *a, int64_t complaint_id,
                           struct dms_error *err);

#endif
