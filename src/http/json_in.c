/* Reading request bodies and query strings strictly: wrong types, unknown fields and
 * out-of-range numbers are refused with the field named, before anything is written. */
#include <limits.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"
#include "core/workshop.h"
#include "http/http.h"

int jin_only(const json_t *obj, const char *const *allowed, const char *prefix,
             struct dms_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char field[64];
            snprintf(field, sizeof field, "%s%.48s", prefix ? prefix : "", key);
            return dms_fail(err, "invalid_field", field, "unknown field");
        }
    }
    return 0;
}

int jin_prefix_field(struct dms_error *err, const char *prefix)
{
    char joined[160];
    size_t p = strlen(prefix), f = strlen(err->field);
    if (p + f + 1 > sizeof joined)
        return -1;
    memcpy(joined, prefix, p);
    memcpy(joined + p, err->field, f + 1);
    size_t n = strlen(joined);
    if (n >= sizeof err->field)
        n = sizeof err->field - 1;
    memcpy(err->field, joined, n);
    err->field[n] = '\0';
    utf8_chop_invalid_tail(err->field);
    return -1;
}

int jin_body(struct req *r)
{
    if (!r->body || !json_is_object(r->body))
        return dms_fail(&r->err, "invalid_json", NULL, "the request body must be a JSON object");
    return 0;
}

static int lookup(const json_t *obj, const char *key, bool required, json_t **out,
                  struct dms_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = v;
    if (!v || json_is_null(v)) {
        if (required)
            return dms_fail(err, "missing_field", key, "%s is required", key);
        return v ? JIN_NULL : JIN_ABSENT;
    }
    return JIN_VALUE;
}

int jin_string(const json_t *obj, const char *key, bool required, const char **out,
               struct dms_error *err)
{
    *out = NULL; /* on every path: callers read it only after JIN_VALUE, GCC cannot tell */
    json_t *v;
    int rc = lookup(obj, key, required, &v, err);
    if (rc != JIN_VALUE)
        return rc;
    if (!json_is_string(v))
        return dms_fail(err, "invalid_field", key, "%s must be a string", key);
    *out = json_string_value(v);
    if (strlen(*out) != json_string_length(v))
        return dms_fail(err, "invalid_field", key, "%s contains a NUL character", key);
    return JIN_VALUE;
}

int jin_text(const json_t *obj, const char *key, bool required, long max_chars, bool multiline,
             char *out, size_t cap, struct dms_error *err)
{
    const char *s;
    int rc = jin_string(obj, key, required, &s, err);
    if (rc != JIN_VALUE)
        return rc;
    if (text_clean(s, out, cap, max_chars, multiline, required, key, err) < 0)
        return -1;
    return JIN_VALUE;
}

int jin_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
            int64_t *out, struct dms_error *err)
{
    json_t *v;
    int rc = lookup(obj, key, required, &v, err);
    if (rc != JIN_VALUE)
        return rc;
    if (!json_is_integer(v))
        return dms_fail(err, "invalid_field", key, "%s must be a whole number", key);
    json_int_t i = json_integer_value(v);
    if (i < min || i > max)
        return dms_fail(err, "invalid_field", key, "%s must be %lld-%lld", key, (long long)min,
                        (long long)max);
    *out = i;
    return JIN_VALUE;
}

int jin_bool(const json_t *obj, const char *key, bool required, bool *out, struct dms_error *err)
{
    json_t *v;
    int rc = lookup(obj, key, required, &v, err);
    if (rc != JIN_VALUE)
        return rc;
    if (!json_is_boolean(v))
        return dms_fail(err, "invalid_field", key, "%s must be true or false", key);
    *out = json_is_true(v);
    return JIN_VALUE;
}

int jin_enum(const json_t *obj, const char *key, bool required, const char *const *names, int count,
             int *out, struct dms_error *err)
{
    const char *s;
    int rc = jin_string(obj, key, required, &s, err);
    if (rc != JIN_VALUE)
        return rc;
    int i = enum_index(names, count, s);
    if (i < 0) {
        char list[256] = "";
        for (int k = 0; k < count; k++) {
            strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, names[k], sizeof list - strlen(list) - 1);
        }
        return dms_fail(err, "invalid_field", key, "%s must be one of: %s", key, list);
    }
    *out = i;
    return JIN_VALUE;
}

int jin_date(const json_t *obj, const char *key, bool required, char *out, dms_day *day,
             struct dms_error *err)
{
    const char *s;
    int rc = jin_string(obj, key, required, &s, err);
    if (rc != JIN_VALUE)
        return rc;
    dms_day d;
    if (date_parse(s, &d, key, err) < 0)
        return -1;
    date_format(d, out);
    if (day)
        *day = d;
    return JIN_VALUE;
}

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int parse_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18)
        return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 0;
}

int req_page(struct req *r, int *limit, int64_t *cursor)
{
    return req_page_sized(r, 50, 200, limit, cursor);
}

int req_page_sized(struct req *r, int def, int max, int *limit, int64_t *cursor)
{
    const char *l = req_query(r, "limit"), *c = req_query(r, "cursor");
    int64_t v = def;
    if (l && (parse_id(l, &v) < 0 || v < 1 || v > max))
        return dms_fail(&r->err, "invalid_field", "limit", "limit must be 1-%d", max);
    *limit = (int)v;
    *cursor = 0;
    if (c && *c && parse_id(c, cursor) < 0)
        return dms_fail(&r->err, "invalid_field", "cursor", "not a cursor from next_cursor");
    return 0;
}

int req_query_id(struct req *r, const char *name, int64_t *out)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v)
        return 0;
    if (parse_id(v, out) < 0 || *out == 0)
        return dms_fail(&r->err, "invalid_field", name, "%s must be a positive integer", name);
    return 0;
}

int req_query_date(struct req *r, const char *name, dms_day *out)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v)
        return 0;
    return date_parse(v, out, name, &r->err);
}

int req_query_enum(struct req *r, const char *name, const char *const *names, int count, int *out)
{
    const char *v = req_query(r, name);
    *out = -1;
    if (!v || !*v)
        return 0;
    *out = enum_index(names, count, v);
    if (*out < 0)
        return dms_fail(&r->err, "invalid_field", name, "unknown %s: %s", name, v);
    return 0;
}

int jin_code(struct req *r, const char *key, char out[OPERATION_CODE_MAX + 1])
{
    char code[OPERATION_CODE_MAX * 4 + 1];
    if (jin_text(r->body, key, true, OPERATION_CODE_MAX, false, code, sizeof code, &r->err) < 0)
        return -1;
    for (char *p = code; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    if (operation_check_code(code, &r->err) < 0)
        return req_fail(r, "invalid_field", key, "%s is 1-32 letters, digits, '-', '_' or '.'",
                        key);
    snprintf(out, OPERATION_CODE_MAX + 1, "%.32s", code); /* checked: ASCII, at most 32 */
    return 0;
}

int jin_no_nulls(struct req *r, const char *const *keys)
{
    for (const char *const *k = keys; *k; k++) {
        if (json_is_null(json_object_get(r->body, *k)))
            return req_fail(r, "invalid_field", *k, "%s cannot be removed", *k);
    }
    return 0;
}
