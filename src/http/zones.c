/* Stores' time zones, read from the system's tz database (/usr/share/zoneinfo) once per
 * name and kept for the life of the process. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "http/http.h"

#define ZONES_MAX 32
#define ZONEINFO  "/usr/share/zoneinfo/"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[65];
    struct tz *tz;
} cache[ZONES_MAX];
static int n_cache;
static struct tz *fallback;

static struct tz *load(const char *name)
{
    char path[128];
    if (strstr(name, "..") || name[0] == '/')
        return NULL;
    snprintf(path, sizeof path, ZONEINFO "%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    struct tz *tz = buf ? tz_parse(buf, n) : NULL;
    free(buf);
    return tz;
}

const struct tz *zones_get(const char *name)
{
    pthread_mutex_lock(&mu);
    struct tz *found = NULL;
    for (int i = 0; i < n_cache && !found; i++) {
        if (strcmp(cache[i].name, name) == 0)
            found = cache[i].tz;
    }
    if (!found && n_cache < ZONES_MAX) {
        found = load(name);
        if (found) {
            snprintf(cache[n_cache].name, sizeof cache[n_cache].name, "%s", name);
            cache[n_cache++].tz = found;
        } else {
            fprintf(stderr,
                    "dms: time zone %s not found under " ZONEINFO
                    " (install tzdata); using UTC+8\n",
                    name);
        }
    }
    if (!found) {
        /* China Standard Time: the default zone of a store, and right for all of China. */
        if (!fallback)
            fallback = tz_parse_posix("CST-8");
        found = fallback;
    }
    pthread_mutex_unlock(&mu);
    return found;
}

void zones_free_all(void)
{
    pthread_mutex_lock(&mu);
    for (int i = 0; i < n_cache; i++)
        tz_free(cache[i].tz);
    n_cache = 0;
    tz_free(fallback);
    fallback = NULL;
    pthread_mutex_unlock(&mu);
}
