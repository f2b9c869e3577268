/* A small INI reader for dms.conf: [section] headers, key = value lines, # and ; comments.
 * Pure: the caller reads the file. */
#ifndef DMS_CORE_INI_H
#define DMS_CORE_INI_H

#include "core/error.h"

/* Calls cb for every key; section is "" before the first header. A non-zero return from cb
 * stops parsing and is returned. Syntax errors fail with invalid_config naming the line. */
typedef int (*ini_cb)(void *ctx, const char *section, const char *key, const char *value, int line,
                      struct dms_error *err);
int ini_parse(const char *text, ini_cb cb, void *ctx, struct dms_error *err);

#endif
