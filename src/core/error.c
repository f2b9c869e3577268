/* dms_error helpers. */
#include "core/error.h"
#include "core/utf8.h"

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
    /* Errors travel in JSON: a field or message cut inside a character must not make the
     * error body itself invalid. */
    utf8_chop_invalid_tail(err->field);
    utf8_chop_invalid_tail(err->message);
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
