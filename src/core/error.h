/* The error every layer fills: a stable snake_case code (the API's "error.code"), a human
 * message and the offending field. The HTTP layer maps codes to statuses in one table
 * (http/errors.c); nothing below main() prints or exits. */
#ifndef DMS_CORE_ERROR_H
#define DMS_CORE_ERROR_H

#include <stdbool.h>

struct dms_error {
    char code[40];
    char message[256];
    char field[64]; /* empty when no single field is at fault */
};

/* Fills err (when not NULL) and returns -1, so callers can `return dms_fail(...)`. Field and
 * message are truncated to whole UTF-8 characters. */
int dms_fail(struct dms_error *err, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void dms_error_clear(struct dms_error *err);
bool dms_error_is(const struct dms_error *err, const char *code);

#endif
