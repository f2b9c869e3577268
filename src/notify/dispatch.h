/* The outbox dispatcher (MR-3, IN-16): claims due messages from the outbox, holds SMS in
 * the store's quiet hours, re-checks consent, sends through the channels (notify.h) and
 * records each result. Runs inside `dms serve` (cli/worker.c) and as `dms outbox send`. */
#ifndef DMS_NOTIFY_DISPATCH_H
#define DMS_NOTIFY_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "notify/notify.h"
#include "store/store.h"

struct dispatch_config {
    struct smtp_config smtp; /* smtp.host NULL or "": e-mail stays queued */
    struct sms_config sms;   /* sms.url NULL or "": SMS stays queued */
    int lease_s;             /* how long a claim holds before another sender may retry it (default
                                300); each send's time-out is cut to fit in it */
    /* Store-local wall-clock seconds of a UTC instant in the named zone (quiet hours). */
    int64_t (*local_seconds)(const char *zone, int64_t utc);
    /* UTC seconds now; NULL: time(). Read again for every claim, send and result, so a long
     * pass over a backlog signs, leases and records with the real time. */
    int64_t (*clock)(void);
};

struct dispatch_stats {
    int claimed, sent, failed, retried, held, suppressed;
    int overruled; /* suppressed or withdrawn by someone else while being sent: status kept */
};

/* One pass: claims, sends and records one message after the other until none is due (or
 * max_messages were claimed). -1 with err only when the database fails; send failures are
 * recorded, not returned. */
int dispatch_run(struct db *db, const struct dispatch_config *cfg, int max_messages,
                 struct dispatch_stats *st, struct dms_error *err);

#endif
