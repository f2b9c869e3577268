/* A growing string for building texts (message bodies, e-mails). Out of memory is sticky:
 * later appends do nothing and oom stays set, so a caller checks once at the end. */
#ifndef DMS_CORE_STRBUF_H
#define DMS_CORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *p; /* NUL-terminated once anything was added; the owner frees it */
    size_t len, cap;
    bool oom;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_str(struct strbuf *b, const char *s);

#endif
