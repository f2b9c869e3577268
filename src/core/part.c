/* The normal form of part numbers. See part.h. */
#include "core/part.h"

int part_no_normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *c = in; *c; c++) {
        if (*c == ' ')
            continue;
        if (n + 1 >= cap) {
            if (cap)
                out[0] = '\0';
            return -1;
        }
        out[n++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
    }
    if (!cap)
        return -1;
    out[n] = '\0';
    return (int)n;
}
