/* Stores' time zones, read from the system's tz database (/usr/share/zoneinfo) once per
 * name and kept for the life of the process (see zones.h). The cache grows as needed: only
 * names the tz database has get in, so it is bounded by the database (~600 zones). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctype.h>

#include "core/tz.h"
#include "store/zones.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
struct cached {
    char name[65];
    struct tz *tz;
};
static struct cached *cache;
static int n_cache, cap_cache;
static struct tz *fallback;

/* Zone names as in the tz database: Area/Location, letters, digits, _ - + /. */
static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '/' || strstr(name, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)name[i]) && !strchr("_-+/", name[i]))
            return false;
    }
    return true;
}

static struct tz *load(const char *name)
{
    char path[128];
    if (!name_ok(name))
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

/* The cached zone of name, loading it the first time; NULL when the tz database lacks it.
 * Called with mu held. */
static struct tz *find(const char *name)
{
    for (int i = 0; i < n_cache; i++) {
        if (strcmp(cache[i].name, name) == 0)
            return cache[i].tz;
    }
    struct tz *tz = load(name);
    if (!tz)
        return NULL;
    if (n_cache == cap_cache) {
        int cap = cap_cache ? cap_cache * 2 : 16;
        struct cached *grown = realloc(cache, (size_t)cap * sizeof *grown);
        if (!grown) {
            tz_free(tz);
            return NULL;
        }
        cache = grown, cap_cache = cap;
    }
    snprintf(cache[n_cache].name, sizeof cache[n_cache].name, "%s", name);
    cache[n_cache++].tz = tz;
    return tz;
}

bool zones_known(const char *name)
{
    pthread_mutex_lock(&mu);
    bool known = find(name) != NULL;
    pthread_mutex_unlock(&mu);
    return known;
}

const struct tz *zones_get(const char *name)
{
    pthread_mutex_lock(&mu);
    struct tz *found = find(name);
    if (!found)
        fprintf(stderr,
                "dms: time zone %s not found under " ZONEINFO " (install tzdata); using UTC+8\n",
                name);
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
    free(cache);
    cache = NULL;
    n_cache = cap_cache = 0;
    tz_free(fallback);
    fallback = NULL;
    pthread_mutex_unlock(&mu);
}
