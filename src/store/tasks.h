/* Tasks: the call lists (tasks.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_TASKS_H
#define DMS_STORE_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/complaint.h"
#include "core/customer.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/tasks.h"
#include "core/vehicle.h"
#include "store/store.h"
#include "store/users.h"

struct generate_counts {
    int64_t created[TASK_TYPE_COUNT];
    int64_t messages; /* queued (or suppressed) reminder messages */
    int64_t expired;  /* open tasks past their deadline */
};
/* Generates day `day`'s tasks and messages for a->store_id (idempotent: a second run for
 * the same day adds nothing) and expires open tasks whose deadline has passed. */
int tasks_generate(struct db *db, const struct actor *a, dms_day day, struct generate_counts *out,
                   struct dms_error *err);
/* Whether day's run of tasks_generate has happened for a->store_id: 1 yes, 0 no, -1 err. */
int tasks_generated(struct db *db, const struct actor *a, dms_day day, struct dms_error *err);

struct task {
    int64_t id, vehicle_id, customer_id, campaign_id, service_record_id, parent_id;
    enum task_type type;
    char reason[512];
    char service_due_date[DATE_STR], due_date[DATE_STR], deadline[DATE_STR];
    char deadline_at[TIMESTAMP_STR];
    char contact_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char contact_phone[PHONE_MAX];
    int64_t assignee_id;
    enum task_status status;
    int attempts;
    char last_outcome[24], last_attempt_at[TIMESTAMP_STR];
    bool reached, booked;
    int64_t message_id;
    char created_at[TIMESTAMP_STR], closed_at[TIMESTAMP_STR];
    /* What the call needs (MR-4), joined in by get/list. */
    char customer_name[CUSTOMER_NAME_CHARS * 4 + 1];
    char customer_title[CUSTOMER_TITLE_CHARS * 4 + 1];
    char phone[PHONE_MAX];
    unsigned needs;
    char needs_note[500 * 4 + 1];
    char plate[PLATE_MAX_BYTES];
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1];
    int64_t mileage_km;
    char next_due_date[DATE_STR];
    int64_t next_due_km;
    char last_service_date[DATE_STR];
    char package_name[257];
    bool has_package;
    int64_t package_fen;
    char campaign_name[257];
};

struct task_filter {
    dms_day date;        /* 0: any; else tasks on that day's list (due_date <= date <= deadline) */
    int type;            /* -1: any */
    int status;          /* -1: any */
    int64_t assignee_id; /* 0: any; -1: unassigned */
    int64_t vehicle_id;  /* 0: any */
    int64_t customer_id; /* 0: any */
    /* CRM-2: the customer's class + 1 (enum customer_class); 0: any (so that {0} is "any") */
    int classification;
};
/* Oldest deadline first; offset paging (offset, limit; *more). */
int tasks_list(struct db *db, const struct actor *a, const struct task_filter *f, int64_t offset,
               int limit, struct task **out, size_t *n, bool *more, struct dms_error *err);
int tasks_get(struct db *db, const struct actor *a, int64_t id, struct task *out,
              struct dms_error *err);

struct attempt {
    int64_t id, user_id;
    char username[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    enum call_outcome outcome;
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    int64_t mileage_km; /* -1: none given */
    char special_needs[500 * 4 + 1];
    char satisfaction[16]; /* CS-1: satisfied / neutral / dissatisfied; "" not asked */
    char *answers;         /* CS-1: JSON [{"question", "answer"}] or NULL; attempts_free */
};
void attempts_free(struct attempt *at, size_t n);
int tasks_attempts(struct db *db, const struct actor *a, int64_t task_id, struct attempt **out,
                   size_t *n, struct dms_error *err);

struct attempt_in {
    enum call_outcome outcome;
    const char *notes;         /* may be "" */
    int64_t mileage_km;        /* -1: not asked */
    const char *special_needs; /* may be "" */
    /* CS-1 (zero: not asked, so that callers that do not measure need not say so). */
    bool has_satisfaction;
    enum followup_satisfaction satisfaction;
    const char *answers; /* JSON text of the answers (labels kept); NULL none */
    bool has_category;   /* of the complaint 不满意 opens; else other */
    enum complaint_category complaint_category;
};
/* Records a call (MR-4): the outcome moves the task (core/tasks.h), a mileage given becomes
 * a reading (and moves the due date), special needs go onto the customer's profile (CRM-6),
 * an undecided first reminder call makes the second call (MR-6). conflict (task_closed)
 * when the task is no longer open. */
/* CS-1: satisfaction and answers only on a follow-up call that reached the customer
 * (invalid_field otherwise); dissatisfied opens a complaint in the same transaction
 * (complaints_from_followup), once. */
int tasks_record_attempt(struct db *db, const struct actor *a, int64_t task_id,
                         const struct attempt_in *in, struct task *out, struct dms_error *err);

enum callback_reason {
    CALLBACK_BUSY,
    CALLBACK_OUT_OF_HOURS,
    CALLBACK_PARTS,
    CALLBACK_REASON_COUNT
};
extern const char *const CALLBACK_REASON_NAMES[CALLBACK_REASON_COUNT];
struct callback_in {
    int64_t customer_id, vehicle_id; /* 0: none */
    const char *name, *phone;        /* a caller not in the archive; phone normalised */
    enum callback_reason reason;
    const char *notes;
    int64_t assignee_id; /* 0: none */
};
/* IN-1 (busy / out of hours: 5 minutes), IN-5 (parts check: 15 minutes). */
int tasks_create_callback(struct db *db, const struct actor *a, const struct callback_in *in,
                          struct task *out, struct dms_error *err);

struct task_patch {
    int64_t assignee_id; /* -1: unchanged, 0: unassign */
    bool cancel;
};
int tasks_update(struct db *db, const struct actor *a, int64_t id, const struct task_patch *p,
                 struct task *out, struct dms_error *err);

#endif
