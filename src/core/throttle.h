/* Failed sign-ins (issue 11, defect 3): how long a client waits after n failures in a row, and
 * which of the counters a sign-in attempt is judged by. Pure arithmetic on UTC seconds; the
 * counters themselves live in the database (store/logins.c), so that every `dms serve` of a
 * dealer group on one PostgreSQL sees the same ones.
 *
 * Three counters (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"):
 *   - the account: failures from clients without a device cookie of that account;
 *   - the device: failures from a browser holding a device cookie of that account (issued
 *     at its last successful sign-in), so that a stranger's flood, which locks the account
 *     for unknown clients, does not lock out its owner's own browser;
 *   - the client address: every attempt, whoever it is for. */
#ifndef DMS_CORE_THROTTLE_H
#define DMS_CORE_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

struct throttle_rule {
    int64_t free;     /* failures in a row allowed before the first wait */
    int64_t first_s;  /* the wait after failure number `free`; doubles with each further one */
    int64_t max_s;    /* the longest wait */
    int64_t forget_s; /* failures are forgotten this long after the last one (> max_s) */
};

/* The limits of a server: accounts and devices share one rule, addresses have their own (an
 * office's staff share one address behind its router, so it allows more). */
struct login_limits {
    struct throttle_rule account, address;
};

/* The defaults: 5 failures of an account, 30 of an address, then 1 minute, doubling to at
 * most 1 hour; forgotten 24 hours after the last one. */
void throttle_defaults(struct login_limits *out);

/* Whether a rule holds together (each number positive, forget_s > max_s >= first_s). */
bool throttle_rule_ok(const struct throttle_rule *r);

/* Seconds to wait after the n-th failure in a row: 0 below rule->free, then first_s,
 * 2 first_s, 4 first_s ... capped at max_s. */
int64_t throttle_wait(const struct throttle_rule *r, int64_t n);

/* The UTC second at or before which a last failure is forgotten: a failure at `now` after a
 * last failure at or before this time counts as the first again. */
int64_t throttle_forget_before(const struct throttle_rule *r, int64_t now);

/* The failures in a row that still count at now (0 once forgotten). */
int64_t throttle_failures(const struct throttle_rule *r, int64_t failures, int64_t last_failure,
                          int64_t now);

/* The counters' locks as read before an attempt (UTC seconds; 0 or past: not locked). */
struct login_locks {
    bool trusted_device; /* the client holds a device cookie of this account */
    int64_t account_until, device_until, address_until;
};

/* Seconds the attempt must wait (0: it may go ahead): the address's lock always; the device's
 * lock for a trusted device, the account's lock for everyone else. */
int64_t throttle_login_wait(const struct login_locks *l, int64_t now);

#endif
