/* E-mail address syntax (the practical subset of RFC 5321: dot-atom local part, DNS host
 * name with a top-level domain). */
#ifndef DMS_CORE_EMAIL_H
#define DMS_CORE_EMAIL_H

#include "core/error.h"

#define EMAIL_MAX 255

/* Copies the trimmed address with its domain lower-cased into out. Error: invalid_email. */
int email_normalize(const char *in, char out[EMAIL_MAX], const char *field, struct dms_error *err);

#endif
