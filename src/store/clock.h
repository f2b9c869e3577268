/* The one clock of the program: UTC seconds since the epoch. In production it is the system
 * clock. Tests set it: when the environment names DMS_TEST_CLOCK_FILE and that file holds a
 * number, the number is the time ("1796000000"), or, with a sign, an offset from the system
 * clock ("+86400", "-60"); a missing or empty file means the system clock. The file is read
 * on every call, so a test moves a running server's time without restarting it (no sleeps to
 * wait out a lock, a lease or a day). */
#ifndef DMS_STORE_CLOCK_H
#define DMS_STORE_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);

struct actor;
/* The one place an actor gets its clock: now (UTC seconds) and, from it, the store-local
 * calendar day and minute after local midnight in the store's time zone (a tz database name;
 * NULL or unknown: China Standard Time, the default zone of a store). The HTTP router, the
 * command line and the background worker all call it. */
void actor_set_clock(struct actor *a, int64_t now, const char *zone);

#endif
