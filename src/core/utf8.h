/* UTF-8 helpers: decoding one code point, counting code points, rejecting control
 * characters. Length limits in the API count characters (a Chinese name of 4 characters is
 * 4, not 12). */
#ifndef DMS_CORE_UTF8_H
#define DMS_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s (n bytes available). Returns its length in bytes (1-4) and
 * stores it in *cp, or 0 for an invalid or truncated sequence (overlong forms and
 * surrogates are invalid). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Appends cp to out (capacity cap, always NUL-terminated). Returns bytes written or 0 if it
 * does not fit. */
size_t utf8_encode(uint32_t cp, char *out, size_t cap);

/* Number of code points, or -1 when s is not valid UTF-8. */
long utf8_length(const char *s);

/* True when s is valid UTF-8 without control characters (C0, DEL, C1); newline and tab are
 * allowed only when multiline is true. */
bool utf8_is_clean_text(const char *s, bool multiline);

/* Copies s into out (capacity cap) with leading and trailing white space (ASCII and U+3000
 * ideographic space) removed. Returns the length written, or -1 if it does not fit. */
long utf8_trim_copy(const char *s, char *out, size_t cap);

/* Cuts a trailing incomplete or invalid sequence off s (in place), e.g. after snprintf
 * truncated it in the middle of a character. */
void utf8_chop_invalid_tail(char *s);

#endif
