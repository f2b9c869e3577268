/* INI parsing, line by line, in place on a copy. */
#include "core/ini.h"

#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int ini_parse(const char *text, ini_cb cb, void *ctx, struct dms_error *err)
{
    char *copy = strdup(text);
    if (!copy)
        return dms_fail(err, "out_of_memory", NULL, "out of memory");
    char section[64] = "";
    int rc = 0, line = 0;
    char *save = NULL;
    /* A UTF-8 byte order mark, as some Windows editors write, is not part of line 1. */
    char *start = strncmp(copy, "\xEF\xBB\xBF", 3) == 0 ? copy + 3 : copy;
    for (char *p = start; p && rc == 0; p = save) {
        char *nl = strchr(p, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        line++;
        char *s = trim(p);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0' || (size_t)(close - s - 1) >= sizeof section) {
                rc = dms_fail(err, "invalid_config", NULL, "line %d: bad section header", line);
                break;
            }
            *close = '\0';
            char *name = trim(s + 1);
            memcpy(section, name, strlen(name) + 1);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = dms_fail(err, "invalid_config", NULL, "line %d: expected key = value", line);
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (*key == '\0') {
            rc = dms_fail(err, "invalid_config", NULL, "line %d: empty key", line);
            break;
        }
        /* Optional double quotes around a value. */
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
            value[vl - 1] = '\0';
            value++;
        }
        rc = cb(ctx, section, key, value, line, err);
    }
    free(copy);
    return rc;
}
