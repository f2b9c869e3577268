/* The outbox dispatcher. Order of events for one message: claim (its status and the
 * customer's consent; lease, attempts + 1; committed) -> the last look (outbox_send_begin;
 * on PostgreSQL it holds the message's row until the post is over, so an opt-out waits for
 * it) -> send -> record the result (committed; never over a status an opt-out or a
 * withdrawal set meanwhile). One message at a time, so that nothing is sent on a look taken
 * before the previous send. A crash between the send and the record leaves the lease to run
 * out; the next claim sends it again and marks it duplicate_risk: a reminder sent twice is
 * the lesser harm than one never sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outbox.h"
#include "notify/dispatch.h"
#include "store/clock.h"
#include "store/messages.h"

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

/* A send must be over before its lease runs out, or another dispatcher would take the
 * message for one whose sender died and send it again: the channel's time-out is cut to
 * the lease less a fifth of it (at least a second) for recording the result. */
static int within_lease(int timeout_s, int fallback_s, int lease_s)
{
    int t = timeout_s > 0 ? timeout_s : fallback_s;
    int margin = lease_s / 5 > 1 ? lease_s / 5 : 1;
    int limit = lease_s - margin > 1 ? lease_s - margin : 1;
    return t < limit ? t : limit;
}

/* 0 recorded, 1 someone else's status kept (outbox_result), -1 database error. */
static int record(struct db *db, const struct message *m, enum message_status status,
                  const char *reason, int64_t retry_at, bool counts, int64_t now,
                  struct dispatch_stats *st, struct dms_error *err)
{
    int rc = outbox_result(db, m->id, m->attempts, status, reason, retry_at, counts, now, err);
    if (rc > 0)
        st->overruled++;
    return rc < 0 ? -1 : 0;
}

static int send_one(struct db *db, const struct dispatch_config *cfg, int lease_s,
                    struct message *m, struct dispatch_stats *st, struct dms_error *err)
{
    int64_t now = now_of(cfg);
    /* The claim just made is the last look: the consent as it is now. */
    if (!m->consent_now) {
        st->suppressed++;
        return record(db, m, MSG_SUPPRESSED, "consent withdrawn or opted out", 0, false, now, st,
                      err);
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
            return record(db, m, MSG_QUEUED, "held: quiet hours", at, false, now, st, err);
        }
    }
    /* The last look, holding the message until the text is out (outbox_send_begin). */
    int look = outbox_send_begin(db, m->id, m->attempts, err);
    if (look < 0)
        return -1;
    if (look == 0) {
        st->overruled++;
        return 0;
    }
    if (look == 2) {
        st->suppressed++;
        return record(db, m, MSG_SUPPRESSED, "consent withdrawn or opted out", 0, false, now, st,
                      err);
    }
    struct outgoing out = {
        .id = m->id,
        .store_code = m->store_code,
        .recipient = m->recipient,
        .subject = m->subject,
        .body = m->body,
    };
    struct dms_error send_err = {0};
    int rc;
    if (sms) {
        struct sms_config c = cfg->sms;
        c.timeout_s = within_lease(c.timeout_s, SMS_TIMEOUT_S, lease_s);
        rc = sms_send(&c, &out, now, &send_err);
    } else {
        struct smtp_config c = cfg->smtp;
        c.timeout_s = within_lease(c.timeout_s, SMTP_TIMEOUT_S, lease_s);
        rc = smtp_send(&c, &out, now, &send_err);
    }
    outbox_send_end(db);
    now = now_of(cfg); /* the send may have taken its time-out */
    if (m->duplicate_risk && rc == NOTIFY_OK)
        fprintf(stderr, "dms: outbox: message %lld sent again after an unrecorded attempt\n",
                (long long)m->id);
    if (rc == NOTIFY_OK) {
        st->sent++;
        return record(db, m, MSG_SENT, "", 0, true, now, st, err);
    }
    /* A verdict heard once may be the gateway's passing fault (a deploy answering 404, a
     * clock skew failing the signature, a relay's 550 during a restart): it is final when
     * the same answer comes again (issue 11, defect 5: one 4xx failed a message for good). */
    if (rc == NOTIFY_PERMANENT && strcmp(m->last_error, send_err.message) != 0)
        rc = NOTIFY_RETRY;
    if (rc == NOTIFY_RETRY && m->attempts < OUTBOX_MAX_ATTEMPTS) {
        st->retried++;
        return record(db, m, MSG_QUEUED, send_err.message,
                      now + outbox_backoff_seconds(m->attempts), true, now, st, err);
    }
    st->failed++;
    fprintf(stderr, "dms: outbox: message %lld failed for good: %s\n", (long long)m->id,
            send_err.message);
    return record(db, m, MSG_FAILED, send_err.message, 0, true, now, st, err);
}

int dispatch_run(struct db *db, const struct dispatch_config *cfg, int max_messages,
                 struct dispatch_stats *st, struct dms_error *err)
{
    memset(st, 0, sizeof *st);
    const char *sms = channel_on(cfg, "sms") ? "sms" : NULL;
    const char *email = channel_on(cfg, "email") ? "email" : NULL;
    if (!sms && !email)
        return 0;
    int lease = cfg->lease_s > 0 ? cfg->lease_s : 300;
    /* One message at a time: claim it, send it, record it. A lease covers one send, never a
     * batch still waiting its turn, and each claim reads the consent afresh. */
    for (int i = 0; i < max_messages; i++) {
        struct message m;
        int got = outbox_claim(db, now_of(cfg), lease, sms, email, &m, err);
        if (got <= 0)
            return got;
        st->claimed++;
        int rc = send_one(db, cfg, lease, &m, st, err);
        message_clear(&m);
        if (rc < 0)
            return -1;
    }
    return 0;
}
