/* The outbox dispatcher. Order of events for one message: claim (lease, attempts + 1,
 * committed) -> send -> record the result (committed). A crash between the send and the
 * record leaves the lease to run out; the next claim sends it again and marks it
 * duplicate_risk: a reminder sent twice is the lesser harm than one never sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outbox.h"
#include "notify/dispatch.h"
#include "store/clock.h"

static int64_t now_of(const struct dispatch_config *c)
{
    return c->clock ? c->clock() : clock_now();
}

static bool channel_on(const struct dispatch_config *c, const char *channel)
{
    if (strcmp(channel, "sms") == 0)
        return c->sms.url && *c->sms.url;
    return c->smtp.host && *c->smtp.host;
}

static int record(struct db *db, const struct message *m, enum message_status status,
                  const char *reason, int64_t retry_at, bool counts, int64_t now,
                  struct dms_error *err)
{
    return outbox_result(db, m->id, status, reason, retry_at, counts, now, err);
}

static int send_one(struct db *db, const struct dispatch_config *cfg, struct message *m,
                    struct dispatch_stats *st, struct dms_error *err)
{
    int64_t now = now_of(cfg);
    if (!m->consent_now) {
        st->suppressed++;
        return record(db, m, MSG_SUPPRESSED, "consent withdrawn or opted out", 0, false, now, err);
    }
    bool sms = strcmp(m->channel, "sms") == 0;
    if (sms && cfg->local_seconds) {
        int64_t local = cfg->local_seconds(m->store_timezone, now);
        int64_t in_day = ((local % 86400) + 86400) % 86400;
        int wait = outbox_quiet_wait((int)(in_day / 60), m->quiet_from, m->quiet_until);
        if (wait > 0) {
            /* Held, not dropped: it goes out when the quiet hours end. */
            st->held++;
            int64_t at = now - in_day % 60 + (int64_t)wait * 60;
            return record(db, m, MSG_QUEUED, "held: quiet hours", at, false, now, err);
        }
    }
    struct outgoing out = {
        .id = m->id,
        .store_code = m->store_code,
        .recipient = m->recipient,
        .subject = m->subject,
        .body = m->body,
    };
    struct dms_error send_err = {0};
    int rc = sms ? sms_send(&cfg->sms, &out, now, &send_err)
                 : smtp_send(&cfg->smtp, &out, now, &send_err);
    now = now_of(cfg); /* the send may have taken its time-out */
    if (m->duplicate_risk && rc == NOTIFY_OK)
        fprintf(stderr, "dms: outbox: message %lld sent again after an unrecorded attempt\n",
                (long long)m->id);
    if (rc == NOTIFY_OK) {
        st->sent++;
        return record(db, m, MSG_SENT, "", 0, true, now, err);
    }
    if (rc == NOTIFY_RETRY && m->attempts < OUTBOX_MAX_ATTEMPTS) {
        st->retried++;
        return record(db, m, MSG_QUEUED, send_err.message,
                      now + outbox_backoff_seconds(m->attempts), true, now, err);
    }
    st->failed++;
    fprintf(stderr, "dms: outbox: message %lld failed for good: %s\n", (long long)m->id,
            send_err.message);
    return record(db, m, MSG_FAILED, send_err.message, 0, true, now, err);
}

int dispatch_run(struct db *db, const struct dispatch_config *cfg, int max_batches,
                 struct dispatch_stats *st, struct dms_error *err)
{
    memset(st, 0, sizeof *st);
    const char *sms = channel_on(cfg, "sms") ? "sms" : NULL;
    const char *email = channel_on(cfg, "email") ? "email" : NULL;
    if (!sms && !email)
        return 0;
    int batch = cfg->batch > 0 ? cfg->batch : 10;
    int lease = cfg->lease_s > 0 ? cfg->lease_s : 300;
    for (int b = 0; b < max_batches; b++) {
        struct message *m;
        size_t n;
        if (outbox_claim(db, now_of(cfg), lease, batch, sms, email, &m, &n, err) < 0)
            return -1;
        st->claimed += (int)n;
        int rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = send_one(db, cfg, &m[i], st, err);
        messages_free(m, n);
        if (rc < 0)
            return -1;
        if (n < (size_t)batch)
            break;
    }
    return 0;
}
