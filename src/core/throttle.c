/* Waits after failed sign-ins: exponential, capped, forgotten after a quiet day (see
 * throttle.h for the three counters). */
#include "core/throttle.h"

void throttle_defaults(struct login_limits *out)
{
    out->account = (struct throttle_rule){5, 60, 3600, 24 * 3600};
    out->address = (struct throttle_rule){30, 60, 3600, 24 * 3600};
}

bool throttle_rule_ok(const struct throttle_rule *r)
{
    return r->free > 0 && r->first_s > 0 && r->max_s >= r->first_s && r->forget_s > r->max_s;
}

int64_t throttle_wait(const struct throttle_rule *r, int64_t n)
{
    if (n < r->free)
        return 0;
    int64_t wait = r->first_s;
    /* Doubling stops at the cap, so no overflow however large n grows. */
    for (int64_t i = r->free; i < n && wait < r->max_s; i++)
        wait *= 2;
    return wait < r->max_s ? wait : r->max_s;
}

int64_t throttle_forget_before(const struct throttle_rule *r, int64_t now)
{
    return now - r->forget_s;
}

int64_t throttle_failures(const struct throttle_rule *r, int64_t failures, int64_t last_failure,
                          int64_t now)
{
    return last_failure <= throttle_forget_before(r, now) ? 0 : failures;
}

static int64_t left(int64_t until, int64_t now)
{
    return until > now ? until - now : 0;
}

int64_t throttle_login_wait(const struct login_locks *l, int64_t now)
{
    int64_t own = left(l->trusted_device ? l->device_until : l->account_until, now);
    int64_t addr = left(l->address_until, now);
    return own > addr ? own : addr;
}
