/* Checks for free-text fields and named value sets (enums) in requests. */
#ifndef DMS_CORE_TEXT_H
#define DMS_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Trims s into out (cap bytes) and checks it: valid UTF-8, no control characters (newlines
 * only when multiline), at most max_chars characters, not empty when required.
 * Errors: invalid_field (too long, control characters), missing_field (empty but required). */
int text_clean(const char *s, char *out, size_t cap, long max_chars, bool multiline, bool required,
               const char *field, struct dms_error *err);

/* Index of s in names[0..count), or -1. */
int enum_index(const char *const *names, int count, const char *s);

#endif
