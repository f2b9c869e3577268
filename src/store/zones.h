/* Stores' time zones by their tz database name ("Asia/Shanghai"), read from the system's tz
 * database (/usr/share/zoneinfo, Debian's tzdata) once per name and kept for the life of the
 * process. */
#ifndef DMS_STORE_ZONES_H
#define DMS_STORE_ZONES_H

#include <stdbool.h>

#include "core/tz.h"

/* A store's time zone unless it sets another (stores add, PUT /calendar/timezone). */
#define STORE_DEFAULT_TIMEZONE "Asia/Shanghai"

/* Never NULL: a name the tz database lacks falls back to China Standard Time (UTC+8), with a
 * line in the log. */
const struct tz *zones_get(const char *name);
/* Whether name is a zone of the tz database (syntax and file both): what a store may be set
 * to. */
bool zones_known(const char *name);
void zones_free_all(void);

#endif
