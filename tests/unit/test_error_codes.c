/* Every error code written in src/ is one the HTTP error table knows (http/errors.c), or one of
 * the few that never reach an HTTP answer (the command line, start-up, the dispatcher's
 * channels): a typo would otherwise answer 500 instead of its 4xx. The guard reads the
 * sources: the second argument of every dms_fail(err, "code", ...), req_fail(r, "code", ...)
 * and dms_error_is(err, "code") call, each string literal in it (a ternary has two). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* Codes of the command line, of start-up and of the message channels: none is the answer of
 * a request (a request that met one would be a defect, answered 500). */
static const char *const NOT_HTTP[] = {
    "in_use",
    "invalid_config",
    "invalid_message",
    "io",
    "listen_failed",
    "migration_failed",
    "not_a_backup",
    "out_of_memory",
    "schema_too_new",
    "sms_failed",
    "sms_not_configured",
    "sms_rejected",
    "sms_unreachable",
    "smtp_failed",
    "smtp_not_configured",
    "smtp_rejected",
    "use_pg_dump",
    "use_pg_restore",
    NULL,
};

static const char *const HELPERS[] = {"dms_fail", "req_fail", "dms_error_is", NULL};

struct scan {
    size_t codes;             /* literal codes seen */
    size_t unknown;           /* of which neither table knows */
    size_t http_only_offline; /* codes of NOT_HTTP written by an HTTP handler */
};

static bool not_http(const char *code)
{
    for (size_t i = 0; NOT_HTTP[i]; i++) {
        if (strcmp(NOT_HTTP[i], code) == 0)
            return true;
    }
    return false;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

/* Blanks out comments (keeping strings and character literals as they are). */
static void blank_comments(char *s)
{
    for (char *p = s; *p; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return;
        } else if (p[0] == '/' && p[1] == '*') {
            char *end = strstr(p + 2, "*/");
            char *stop = end ? end + 2 : p + strlen(p);
            memset(p, ' ', (size_t)(stop - p));
            p = stop - 1;
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                *p++ = ' ';
            if (!*p)
                return;
        }
    }
}

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The string literals of the call's second argument, from just after its '('. */
static void check_call(const char *p, const char *path, bool http_file, struct scan *sc)
{
    int depth = 1, arg = 0;
    for (; *p && depth > 0; p++) {
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
        } else if (*p == '"') {
            const char *start = ++p;
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (arg == 1 && depth == 1) {
                char code[64];
                snprintf(code, sizeof code, "%.*s", (int)(p - start), start);
                sc->codes++;
                if (!errors_known(code) && !not_http(code)) {
                    print_error("%s: error code \"%s\" is not in http/errors.c\n", path, code);
                    sc->unknown++;
                } else if (http_file && not_http(code)) {
                    print_error("%s: an HTTP handler answers \"%s\", which has no status\n", path,
                                code);
                    sc->http_only_offline++;
                }
            }
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            depth--;
        } else if (*p == ',' && depth == 1) {
            arg++;
        }
    }
}

static void scan_file(const char *path, bool http_file, struct scan *sc)
{
    char *s = slurp(path);
    assert_non_null(s);
    blank_comments(s);
    for (size_t h = 0; HELPERS[h]; h++) {
        size_t len = strlen(HELPERS[h]);
        for (char *p = strstr(s, HELPERS[h]); p; p = strstr(p + len, HELPERS[h])) {
            if ((p > s && ident_char(p[-1])) || ident_char(p[len]))
                continue;
            const char *q = p + len;
            while (*q == ' ' || *q == '\n' || *q == '\t')
                q++;
            if (*q == '(')
                check_call(q + 1, path, http_file, sc);
        }
    }
    free(s);
}

static void scan_dir(const char *dir, struct scan *sc)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name);
        if (n > 2 && (strcmp(e->d_name + n - 2, ".c") == 0 || strcmp(e->d_name + n - 2, ".h") == 0))
            scan_file(path, strstr(path, "/src/http/") && !strstr(path, "/server.c"), sc);
        else if (!strchr(e->d_name, '.'))
            scan_dir(path, sc); /* core, store, http, notify, cli */
    }
    closedir(d);
}

static void test_every_error_code_has_a_status(void **state)
{
    (void)state;
    struct scan sc = {0};
    scan_dir(DMS_SOURCE_DIR "/src", &sc);
    /* The scan found the codes (a guard that reads nothing passes anything). */
    assert_true(sc.codes > 300);
    assert_int_equal(sc.unknown, 0);
    assert_int_equal(sc.http_only_offline, 0);
}

/* The table answers what the scan relies on. */
static void test_table_knows_and_maps(void **state)
{
    (void)state;
    assert_true(errors_known("not_found"));
    assert_int_equal(errors_status("not_found"), 404);
    assert_false(errors_known("not_fuond"));
    assert_int_equal(errors_status("not_fuond"), 500);
    for (size_t i = 0; NOT_HTTP[i]; i++)
        assert_false(errors_known(NOT_HTTP[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_knows_and_maps),
        cmocka_unit_test(test_every_error_code_has_a_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
