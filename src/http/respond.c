/* Building responses. */
#include <stdarg.h>
#include <stdio.h>

#include "http/http.h"

void cursor_encode(int64_t id, char out[32])
{
    snprintf(out, 32, "%lld", (long long)id);
}

int reply(struct req *r, int status, json_t *body)
{
    r->status = status;
    json_decref(r->resp);
    r->resp = body;
    return 0;
}

int reply_page(struct req *r, json_t *items, bool more, int64_t last_id)
{
    char cursor[32];
    cursor_encode(last_id, cursor);
    return reply(r, 200,
                 json_pack("{s:o, s:o}", "items", items, "next_cursor",
                           more ? json_string(cursor) : json_null()));
}

int req_fail(struct req *r, const char *code, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dms_fail(&r->err, code, field, "%s", msg);
}

json_t *jstr_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}
