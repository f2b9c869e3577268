/* The web console's files (issue 5): built into the binary from web/ (cmake/embed.cmake), or
 * read from --web-dir while developing. Served for GET and HEAD of any path outside /api/,
 * with a strict Content-Security-Policy: scripts and styles only from the console's own
 * files, no inline script, no framing. */
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/static.h"

struct dms_embedded {
    const char *name;
    const unsigned char *data;
    size_t size;
};
extern const struct dms_embedded dms_web[];

#define WEB_FILE_MAX (8 * 1024 * 1024)

static const char *const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } TYPES[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(dot, TYPES[i].ext) == 0)
            return TYPES[i].type;
    return "application/octet-stream";
}

/* The file a path names: "/" is index.html; a name is letters, digits, '-', '_' and one
 * '.' run at most per segment, no "..", no hidden files. Returns false for anything else. */
static bool file_name(const char *path, char *out, size_t cap)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    size_t n = strlen(path);
    if (n < 2 || n >= cap || path[0] != '/' || path[1] == '.' || strstr(path, "..") ||
        strstr(path, "/."))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = path[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/'))
            return false;
    }
    snprintf(out, cap, "%s", path + 1);
    return true;
}

/* Reads dir/name into a malloc'ed buffer; NULL when it is not a readable regular file. */
static unsigned char *read_file(const char *dir, const char *name, size_t *size)
{
    char full[4096];
    if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, name) >= sizeof full)
        return NULL;
    FILE *f = fopen(full, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len <= WEB_FILE_MAX &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) &&
        fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)len;
    return buf;
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, const char *type,
                             struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    /* Revalidated each time: a new binary serves new files at once. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result static_serve(struct MHD_Connection *c, const char *web_dir, const char *path,
                             int *status)
{
    char name[256];
    if (file_name(path, name, sizeof name)) {
        if (web_dir && *web_dir) {
            size_t size;
            unsigned char *data = read_file(web_dir, name, &size);
            if (data) {
                *status = 200;
                return queue(c, 200, content_type(name),
                             MHD_create_response_from_buffer(size, data, MHD_RESPMEM_MUST_FREE));
            }
        } else {
            for (const struct dms_embedded *e = dms_web; e->name; e++)
                if (strncmp(e->name, "web/", 4) == 0 && strcmp(e->name + 4, name) == 0) {
                    *status = 200;
                    return queue(c, 200, content_type(name),
                                 MHD_create_response_from_buffer(e->size, (void *)e->data,
                                                                 MHD_RESPMEM_PERSISTENT));
                }
        }
    }
    /* The same error body as the API's, so that any client reads a 404 one way. */
    static const char NOT_FOUND[] =
        "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\",\"field\":null}}";
    *status = 404;
    return queue(c, 404, "application/json; charset=utf-8",
                 MHD_create_response_from_buffer(sizeof NOT_FOUND - 1, (void *)NOT_FOUND,
                                                 MHD_RESPMEM_PERSISTENT));
}
