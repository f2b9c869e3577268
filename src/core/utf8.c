/* UTF-8 decoding and text checks used by every validator of user input. */
#include "core/utf8.h"

#include <string.h>

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2, c = u[0] & 0x1Fu, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0Fu, min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4, c = u[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

size_t utf8_encode(uint32_t cp, char *out, size_t cap)
{
    unsigned char b[4];
    size_t len;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp, len = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    size_t used = strlen(out);
    if (used + len + 1 > cap)
        return 0;
    memcpy(out + used, b, len);
    out[used + len] = '\0';
    return len;
}

long utf8_length(const char *s)
{
    size_t n = strlen(s);
    long count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0)
            return -1;
        i += l;
        count++;
    }
    return count;
}

bool utf8_is_clean_text(const char *s, bool multiline)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0)
            return false;
        if (cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t' || cp == '\r')))
            return false;
        if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return false;
        /* Noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) are for internal use only. */
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
            return false;
        i += l;
    }
    return true;
}

static bool is_space_at(const char *s, size_t n, size_t *len)
{
    uint32_t cp;
    size_t l = utf8_decode(s, n, &cp);
    if (l == 0)
        return false;
    *len = l;
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
}

long utf8_trim_copy(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s), start = 0, end = n, l;
    while (start < n && is_space_at(s + start, n - start, &l))
        start += l;
    /* Trailing: walk forward and remember where the last non-space ended. */
    size_t last = start;
    for (size_t i = start; i < n;) {
        uint32_t cp;
        size_t cl = utf8_decode(s + i, n - i, &cp);
        if (cl == 0)
            cl = 1;
        if (!is_space_at(s + i, n - i, &l))
            last = i + cl;
        i += cl;
    }
    end = last;
    if (end - start + 1 > cap)
        return -1;
    memcpy(out, s + start, end - start);
    out[end - start] = '\0';
    return (long)(end - start);
}

void utf8_chop_invalid_tail(char *s)
{
    size_t n = strlen(s), valid = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0)
            break;
        i += l;
        valid = i;
    }
    s[valid] = '\0';
}
