/* Search-key normalisation and suffix generation. */
#include "core/searchkey.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static bool is_dropped(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == '.' || c == '-' ||
           c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0xFF0E || c == 0xFF0D;
}

void search_normalize(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(in + i, n - i, &cp);
        if (l == 0) {
            i++; /* skip invalid bytes; input is validated upstream */
            continue;
        }
        i += l;
        /* Noncharacters never reach the index; U+10FFFF is the range scan's upper bound. */
        if (is_dropped(cp) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
            cp = cp - 0xFF01 + 0x21;
        if (cp >= 'a' && cp <= 'z')
            cp = cp - 'a' + 'A';
        if (utf8_encode(cp, out, cap) == 0)
            break;
    }
}

size_t search_key_chars(const char *key)
{
    long n = utf8_length(key);
    return n < 0 ? 0 : (size_t)n;
}

int search_suffixes(const char *key, size_t min_chars,
                    int (*emit)(void *ctx, const char *suffix, size_t offset), void *ctx)
{
    size_t total = search_key_chars(key), n = strlen(key), offset = 0;
    for (size_t i = 0; i < n && total - offset >= min_chars; offset++) {
        int rc = emit(ctx, key + i, offset);
        if (rc != 0)
            return rc;
        uint32_t cp;
        size_t l = utf8_decode(key + i, n - i, &cp);
        i += l ? l : 1;
    }
    return 0;
}

void search_prefix_bound(const char *prefix, char *out, size_t cap)
{
    snprintf(out, cap, "%s\xF4\x8F\xBF\xBF", prefix);
}

/* Han, kana and Hangul: one such character already narrows a search of names. */
static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

int search_query_ok(const char *key)
{
    size_t n = strlen(key), chars = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(key + i, n - i, &cp);
        if (l == 0)
            return 0;
        if (is_cjk(cp))
            return 1;
        chars++;
        i += l;
    }
    return chars >= 2;
}
