/* Shared helpers for the libFuzzer targets (fuzz_*.c): the entry point's prototype, a
 * NUL-terminated copy of the input sized so that AddressSanitizer sees any read past the end,
 * an invariant check that aborts (so libFuzzer saves the input), and an independent UTF-8
 * validator written from RFC 3629's table to judge src/core/utf8.c against. */
#ifndef DMS_FUZZ_FUZZ_H
#define DMS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant that must hold whatever the input: abort() so libFuzzer writes the crash
 * artifact; the message says which one broke. Independent of NDEBUG. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* An invariant found broken by a check that printed its own details first. */
#define FUZZ_FAIL(what)                                                                            \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, what);              \
        abort();                                                                                   \
    } while (0)

/* A heap copy of exactly size + 1 bytes, NUL-terminated: a parser that reads one byte too far
 * hits the redzone. Embedded NULs simply shorten the C string, as they would for a caller.
 * Returns NULL only when out of memory (the input is then skipped). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Length of the well-formed UTF-8 sequence at s[0..n) per RFC 3629 section 4 (no overlong
 * forms, no surrogates, nothing past U+10FFFF), with its code point; 0 when ill-formed. */
static inline size_t fuzz_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char b0 = s[0];
    if (b0 <= 0x7F) {
        *cp = b0;
        return 1;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 == 0xE0) {
        len = 3, lo = 0xA0;
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
        len = 3;
    } else if (b0 == 0xED) {
        len = 3, hi = 0x9F;
    } else if (b0 == 0xF0) {
        len = 4, lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
        len = 4;
    } else if (b0 == 0xF4) {
        len = 4, hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    uint32_t c = len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
    for (size_t i = 1; i < len; i++)
        c = (c << 6) | (s[i] & 0x3Fu);
    *cp = c;
    return len;
}

/* Number of code points of s[0..n), or -1 when it is not valid UTF-8. */
static inline long fuzz_utf8_count(const char *s, size_t n)
{
    long count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return -1;
        i += l;
        count++;
    }
    return count;
}

static inline bool fuzz_utf8_valid(const char *s)
{
    return fuzz_utf8_count(s, strlen(s)) >= 0;
}

/* Whether the NUL-terminated s is valid UTF-8 without the characters text checks refuse: C0
 * controls (newline, tab and CR allowed when multiline), DEL, C1 controls and noncharacters
 * (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF). */
static inline bool fuzz_clean_text(const char *s, bool multiline)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
        if (l == 0)
            return false;
        if (cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t' || cp == '\r')))
            return false;
        if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return false;
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFEu) == 0xFFFEu)
            return false;
        i += l;
    }
    return true;
}

#endif
