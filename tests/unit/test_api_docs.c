/* docs/api.md documents every route of the server, and nothing that is not a route: each
 * route of the router's table must appear as a heading "### `METHOD /path`" (any {name}
 * stands for {id}). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"

#define MAX_HEADINGS 200

static char headings[MAX_HEADINGS][160];
static size_t n_headings;

/* "GET /api/v1/customers/{driver_id}" -> "GET /api/v1/customers/{id}"; route patterns go
 * through it too ({key} segments). */
static void normalise(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 5 < cap; p++) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (close) {
                memcpy(out + o, "{id}", 4);
                o += 4;
                p = close;
                continue;
            }
        }
        out[o++] = *p;
    }
    out[o] = '\0';
}

static int load_docs(void **state)
{
    (void)state;
    FILE *f = fopen(DMS_SOURCE_DIR "/docs/api.md", "r");
    if (!f)
        return -1;
    char line[512];
    while (fgets(line, sizeof line, f) && n_headings < MAX_HEADINGS) {
        if (strncmp(line, "### `", 5) != 0)
            continue;
        char *end = strchr(line + 5, '`');
        if (!end)
            continue;
        *end = '\0';
        /* Query strings in headings ("GET /api/v1/search?q=...") document parameters. */
        char *q = strchr(line + 5, '?');
        if (q)
            *q = '\0';
        normalise(line + 5, headings[n_headings++], sizeof headings[0]);
    }
    fclose(f);
    return n_headings > 0 ? 0 : -1;
}

static bool documented(const char *method, const char *pattern)
{
    char raw[160], want[160];
    snprintf(raw, sizeof raw, "%s %s", method, pattern);
    normalise(raw, want, sizeof want);
    for (size_t i = 0; i < n_headings; i++) {
        if (strcmp(headings[i], want) == 0)
            return true;
    }
    return false;
}

static void test_api_docs_every_route_is_documented(void **state)
{
    (void)state;
    size_t n;
    const struct route *routes = router_routes(&n);
    assert_true(n > 10);
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        if (!documented(routes[i].method, routes[i].pattern)) {
            print_error("docs/api.md lacks ### `%s %s`\n", routes[i].method, routes[i].pattern);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_api_docs_document_only_real_routes(void **state)
{
    (void)state;
    size_t n;
    const struct route *routes = router_routes(&n);
    size_t stale = 0;
    for (size_t h = 0; h < n_headings; h++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++) {
            char raw[160], r[160];
            snprintf(raw, sizeof raw, "%s %s", routes[i].method, routes[i].pattern);
            normalise(raw, r, sizeof r);
            found = strcmp(r, headings[h]) == 0;
        }
        if (!found) {
            print_error("docs/api.md documents %s, which is not a route\n", headings[h]);
            stale++;
        }
    }
    assert_int_equal(stale, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_docs_every_route_is_documented),
        cmocka_unit_test(test_api_docs_document_only_real_routes),
    };
    return cmocka_run_group_tests(tests, load_docs, NULL);
}
