/* Messages: the outbox (messages.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_MESSAGES_H
#define DMS_STORE_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/email.h"
#include "core/template.h"
#include "store/store.h"
#include "store/tasks.h"

/* cancelled: withdrawn before it was sent, e.g. the reminder of a booking that was cancelled
 * or moved (status_reason says which). */
enum message_status {
    MSG_QUEUED,
    MSG_SENT,
    MSG_FAILED,
    MSG_SUPPRESSED,
    MSG_CANCELLED,
    MSG_STATUS_COUNT
};
extern const char *const MESSAGE_STATUS_NAMES[MSG_STATUS_COUNT];

struct message {
    int64_t id, store_id, customer_id, vehicle_id, task_id, campaign_id;
    int64_t appointment_id; /* the booking an appointment reminder is for, else 0 */
    char store_code[33];
    char kind[32];
    char channel[8]; /* sms, email */
    char recipient[EMAIL_MAX];
    char subject[512];
    char *body; /* malloc'ed; message_clear frees */
    enum message_status status;
    char status_reason[256];
    int attempts;
    char next_attempt_at[TIMESTAMP_STR];
    char last_error[512];
    bool duplicate_risk;
    char created_at[TIMESTAMP_STR], sent_at[TIMESTAMP_STR];
    /* For the dispatcher: the customer's consent now, and the store's clock. */
    bool consent_now;
    char store_timezone[65];
    int quiet_from, quiet_until;
};
void message_clear(struct message *m);
void messages_free(struct message *m, size_t n);

/* Writes a message in the caller's transaction: queued, or suppressed with a reason
 * (status_reason) when m->status is MSG_SUPPRESSED. Fills m->id. No audit row of its own:
 * its cause (the morning run, a campaign) audits the batch with its counts, and each send
 * is audited by outbox_result. */
int messages_queue(struct db *db, const struct actor *a, struct message *m, struct dms_error *err);
/* messages_queue of a reminder whose subject and body are the template tpl filled in with v
 * (core/template.h); a suppressed one (m->status) says why: no consent or no address. */
struct template_values;
struct message_template;
int messages_queue_templated(struct db *db, const struct actor *a, struct message *m,
                             const struct message_template *tpl, const struct template_values *v,
                             struct dms_error *err);

struct message_filter {
    int status;          /* -1: any */
    const char *kind;    /* NULL: any */
    int64_t customer_id; /* 0: any */
    int64_t vehicle_id;  /* 0: any */
    int64_t campaign_id; /* 0: any */
};
/* Newest first (ids below before; 0 from the newest). */
int messages_list(struct db *db, const struct actor *a, const struct message_filter *f,
                  int64_t before, int limit, struct message **out, size_t *n, bool *more,
                  struct dms_error *err);
int messages_get(struct db *db, const struct actor *a, int64_t id, struct message *out,
                 struct dms_error *err);

/* The dispatcher's side (any store), one message at a time (issue 11, defect 2): claim it
 * just before sending it, send, record the result. The claim is the last look: in its own
 * transaction it takes the next message still queued and due at `now` on the channels given
 * ("sms", "email"; NULL = skip that channel), reads the customer's consent as it is then
 * (m->consent_now), leases it for lease_s seconds and counts the attempt (m->attempts is the
 * claim's token for outbox_result). 1 with *out filled (message_clear it), 0 when nothing is
 * due, -1 on error. A message whose earlier lease ran out without a result was perhaps sent
 * already: it is marked duplicate_risk and logged, and sent again (a duplicate is the lesser
 * harm than a lost reminder). */
int outbox_claim(struct db *db, int64_t now, int lease_s, const char *sms, const char *email,
                 struct message *out, struct dms_error *err);
/* Records the result of the claim of message id whose token was `attempt`: MSG_SENT,
 * MSG_FAILED, MSG_SUPPRESSED (reason), or MSG_QUEUED again with retry_at (UTC seconds; a
 * retry, or an SMS held for quiet hours when counts_attempt is false). Updates the message's
 * task and audits as user "outbox". In its own transaction. It never overwrites what another
 * hand did meanwhile: when the message is no longer queued under this claim (an opt-out
 * suppressed it, a cancelled booking withdrew it, another dispatcher took over a lapsed lease)
 * it returns 1 and changes nothing, except that a message that did go out gets its sent_at
 * (its status stays, an audit row says it went out). 0 when recorded. */
int outbox_result(struct db *db, int64_t id, int attempt, enum message_status status,
                  const char *reason, int64_t retry_at, bool counts_attempt, int64_t now,
                  struct dms_error *err);
/* The last look right before the send of a claimed message, and what makes it last until the
 * text is out: 1 the message is still queued under this claim (`attempt`) and the customer's
 * consent allows it: send it, then call outbox_send_end(); 0 someone else set its status
 * meanwhile: skip it; 2 the consent is gone: record it suppressed; -1 error. On PostgreSQL a
 * 1 keeps the message's row locked in a transaction of its own until outbox_send_end(): an
 * opt-out or withdrawal that comes while the text is on its way waits for it (at most the
 * send's time-out), so no text is posted after an opt-out was committed; the dispatcher takes
 * no other lock meanwhile, so it waits for nobody in turn (no deadlock).
 * (On SQLite that would hold every writer: a plain read; an opt-out committed between it and
 * the post does not stop that post, and outbox_result keeps its status.) */
int outbox_send_begin(struct db *db, int64_t id, int attempt, struct dms_error *err);
void outbox_send_end(struct db *db);
/* Withdraws the queued messages of a booking (its reminders) in the caller's transaction:
 * status cancelled with `reason`, one audit row each (action "withdraw"). Messages already
 * sent, failed or suppressed stay as they are. *n (may be NULL) gets how many. */
int messages_withdraw_for_appointment(struct db *db, const struct actor *a, int64_t appointment_id,
                                      const char *reason, int *n, struct dms_error *err);

/* An SMS reply of TD/退订 (core/outbox.h): opts the customers with that mobile number out of
 * SMS, in store_code's store or in every store when store_code is NULL. *n gets how many. */
int customers_sms_opt_out(struct db *db, const char *phone, const char *store_code, int64_t now,
                          int64_t *n, struct dms_error *err);

/* Message templates per store, kind and channel; the built-in ones (core/template.h) where
 * the store keeps none. */
struct message_template {
    char kind[32], channel[8];
    char subject[257];
    char body[4001];
    bool builtin;
    char updated_at[TIMESTAMP_STR];
};
int templates_get(struct db *db, int64_t store_id, const char *kind, const char *channel,
                  struct message_template *out, struct dms_error *err);
int templates_list(struct db *db, const struct actor *a, struct message_template **out, size_t *n,
                   struct dms_error *err);
int templates_put(struct db *db, const struct actor *a, const struct message_template *t,
                  struct dms_error *err);

#endif
