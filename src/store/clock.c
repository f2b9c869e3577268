/* See clock.h. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/tz.h"
#include "store/clock.h"
#include "store/store.h"
#include "store/zones.h"

int64_t clock_now(void)
{
    int64_t real = (int64_t)time(NULL);
    const char *path = getenv("DMS_TEST_CLOCK_FILE");
    if (!path || !*path)
        return real;
    FILE *f = fopen(path, "r");
    if (!f)
        return real;
    char line[64] = "";
    int64_t t = real;
    if (fgets(line, sizeof line, f)) {
        char *end;
        long long v = strtoll(line, &end, 10);
        if (end != line)
            t = (line[0] == '+' || line[0] == '-') ? real + (int64_t)v : (int64_t)v;
    }
    fclose(f);
    return t;
}

void actor_set_clock(struct actor *a, int64_t now, const char *zone)
{
    int64_t local = tz_to_local(zones_get(zone ? zone : STORE_DEFAULT_TIMEZONE), now);
    a->now = now;
    a->today = date_of_local_seconds(local);
    a->now_min = local_minute(local);
}
