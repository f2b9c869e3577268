/* The outbox's rules for reminders sent by SMS and e-mail (MR-3, IN-16): quiet hours in which
 * no SMS goes out, the back-off between attempts, and what an inbound SMS reply counts as an
 * opt-out. Pure; the dispatcher (src/notify) and the storage layer apply them. */
#ifndef DMS_CORE_OUTBOX_H
#define DMS_CORE_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* A message that failed this many times is given up. */
#define OUTBOX_MAX_ATTEMPTS 5

/* Minutes to wait before an SMS may go out at local minute-of-day now_min (0..1439) when none
 * may be sent from quiet_from until quiet_until (minutes of day, half-open [from, until); the
 * range may wrap midnight, e.g. 21:00..08:00; equal values mean no quiet hours). 0 when
 * allowed now: with 21:00..08:00, 21:00 exactly is quiet (wait 660), 08:00 exactly is allowed.
 * Values outside 0..1439 are taken modulo a day. */
int outbox_quiet_wait(int now_min, int quiet_from, int quiet_until);

/* Seconds before retry number `attempts` (1-based: 1 after the first failure):
 * 60 * 2^(attempts-1), capped at one hour (3600). attempts < 1 counts as 1. */
int64_t outbox_backoff_seconds(int attempts);

/* Whether an inbound SMS text is an opt-out: "TD" in any case, also full width ("ＴＤ"), or
 * "退订", with surrounding white space and punctuation ignored ("退订。", " td! "). Other words
 * around it make it not one ("TD please", "不要退订"). False for NULL or invalid UTF-8. */
bool outbox_is_opt_out(const char *text);

/* "HH:MM" (00:00-23:59, exactly two digits each) -> minutes of day. Error invalid_field with
 * `field` otherwise. */
/* MR-3, IN-16: the channel a reminder goes by: the customer's preference ("email" or else
 * SMS) when its consent and address allow it, else the other one; NULL (suppressed) when
 * neither does, with *recipient the address it would have had (or "-"). */
const char *outbox_pick_channel(const char *preferred, bool sms_ok, const char *mobile,
                                bool email_ok, const char *email, const char **recipient);

int outbox_parse_hhmm(const char *s, int *minutes, const char *field, struct dms_error *err);

#endif
