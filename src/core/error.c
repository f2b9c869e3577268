/* dms_error helpers. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dms_fail(struct dms_error *err, const char *code, const char *field, const char *fmt, ...)
{
    if (!err)
        return -1;
    snprintf(err->code, sizeof err->code, "%s", code);
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void dms_error_clear(struct dms_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

bool dms_error_is(const struct dms_error *err, const char *code)
{
    return err && strcmp(err->code, code) == 0;
}
