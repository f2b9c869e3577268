/* The web console's delivery (issue 5): the files are built into dms serve and served at /,
 * with a strict Content-Security-Policy (no inline script), nosniff, no framing; paths
 * outside the console's files answer 404, including traversal attempts; --web-dir (here
 * DMS_WEB_DIR) serves a folder instead while developing. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The response's header `name` (case-insensitive), copied; "" when absent. */
static const char *header(const struct resp *r, const char *name)
{
    static char value[1024];
    value[0] = '\0';
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(value, sizeof value, "%.*s", (int)(len - (size_t)(v - line)), v);
        }
        line = end ? end + 2 : line + len;
    }
    return value;
}

static void served(const char *path, const char *type_prefix, const char *body_has)
{
    struct resp r = http("GET", path, NULL, NULL);
    if (r.status != 200)
        fail_msg("GET %s: %ld", path, r.status);
    if (strncmp(header(&r, "Content-Type"), type_prefix, strlen(type_prefix)) != 0)
        fail_msg("GET %s: Content-Type %s, want %s", path, header(&r, "Content-Type"), type_prefix);
    assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
    const char *csp = header(&r, "Content-Security-Policy");
    assert_non_null(strstr(csp, "script-src 'self'"));
    assert_non_null(strstr(csp, "frame-ancestors 'none'"));
    assert_null(strstr(csp, "unsafe-inline"));
    assert_null(strstr(csp, "unsafe-eval"));
    if (body_has && !strstr(r.body, body_has))
        fail_msg("GET %s: body lacks %s", path, body_has);
    resp_free(&r);
}

static void test_web_console_is_served_at_the_root(void **state)
{
    (void)state;
    served("/", "text/html", "<script src=\"/js/app.js\"");
    served("/index.html", "text/html", "<form id=\"signin\"");
    served("/js/app.js", "text/javascript", "import");
    served("/js/core.js", "text/javascript", "X-CSRF-Token");
    served("/css/app.css", "text/css", "body");
}

/* The page's scripts all come from files: no inline <script> the CSP would have to allow,
 * no inline event handlers. */
static void test_web_page_has_no_inline_script(void **state)
{
    (void)state;
    struct resp r = http("GET", "/", NULL, NULL);
    assert_int_equal(r.status, 200);
    for (const char *p = strstr(r.body, "<script"); p; p = strstr(p + 1, "<script")) {
        const char *close = strchr(p, '>');
        assert_non_null(close);
        if (!strstr(p, " src=") || strstr(p, " src=") > close)
            fail_msg("inline script at %.40s", p);
        assert_true(strncmp(close + 1, "</script>", 9) == 0);
    }
    assert_null(strstr(r.body, "onclick="));
    assert_null(strstr(r.body, "onload="));
    assert_null(strstr(r.body, "javascript:"));
    resp_free(&r);
}

static void test_web_unknown_and_unsafe_paths_are_404(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/nope.js",       "/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/.env",
        "/web/js/app.js", "/js/app.js/",        "/index.html%00.js",  "/app.js",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct resp r = http("GET", paths[i], NULL, NULL);
        if (r.status != 404)
            fail_msg("GET %s: %ld, want 404", paths[i], r.status);
        assert_null(strstr(r.body, "root:"));
        expect_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
    /* The API keeps its JSON answers: an unknown API path is a JSON 404, and the routes
     * outside /api/ (the health check) stay routes. */
    struct resp r = http("GET", "/api/v1/nope", NULL, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    json_decref(call("GET", "/healthz", NULL, NULL, 200));
}

/* Writes are the API's: POST / is not a file. */
static void test_web_files_are_read_only(void **state)
{
    (void)state;
    struct resp r = http("POST", "/", NULL, "{}");
    assert_int_equal(r.status, 404);
    resp_free(&r);
    r = http("DELETE", "/js/app.js", NULL, NULL);
    assert_int_equal(r.status, 404);
    resp_free(&r);
}

/* --web-dir (DMS_WEB_DIR): a developer's folder is served as it is on disk, read on each
 * request; a file missing there is 404 (the built-in files do not leak through). */
static void test_web_dir_serves_a_folder(void **state)
{
    (void)state;
    char dir[700], path[800];
    snprintf(dir, sizeof dir, "%s/webdir", SRV->dir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/index.html", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<!doctype html><title>dev</title><p>from the folder</p>\n", f);
    fclose(f);
    setenv("DMS_WEB_DIR", dir, 1);
    srv_restart(SRV);
    unsetenv("DMS_WEB_DIR");
    served("/", "text/html", "from the folder");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("<!doctype html><p>edited</p>\n", f);
    fclose(f);
    served("/", "text/html", "edited");
    struct resp r = http("GET", "/js/app.js", NULL, NULL);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    r = http("GET", "/%2e%2e/index.html", NULL, NULL);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    srv_restart(SRV);
    served("/js/app.js", "text/javascript", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_web_console_is_served_at_the_root),
        cmocka_unit_test(test_web_page_has_no_inline_script),
        cmocka_unit_test(test_web_unknown_and_unsafe_paths_are_404),
        cmocka_unit_test(test_web_files_are_read_only),
        cmocka_unit_test(test_web_dir_serves_a_folder),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
