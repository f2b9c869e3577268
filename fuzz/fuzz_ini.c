/* Fuzzes ini_parse() (src/core/ini.c), the reader of dms.conf. The file is the operator's,
 * but it is also the one parser that sees arbitrary bytes at start-up, and a crash there is a
 * server that does not start. Checks, beyond "no crash":
 * - every callback gets a section shorter than 64 bytes, a non-empty key without '=', line
 *   breaks or surrounding blanks, a value without line breaks, and strictly increasing line
 *   numbers within the input;
 * - a failure is invalid_config (or the callback's own value) and names a line;
 * - the entries re-written as "[section]" / key = "value" lines parse back to the very same
 *   entries (what is read is what a config writer would have meant);
 * - a non-zero callback return stops parsing at once and is returned. */
#include "core/ini.h"

#include "fuzz.h"

struct entry {
    char *section, *key, *value;
};

struct rec {
    struct entry *e;
    size_t n, cap;
    int last_line;
    int lines;   /* lines in the input */
    size_t stop; /* return 7 from this call on (1-based); 0 = never */
    bool failed; /* out of memory */
    size_t calls;
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int rec_cb(void *ctx, const char *section, const char *key, const char *value, int line,
                  struct dms_error *err)
{
    (void)err;
    struct rec *r = ctx;
    r->calls++;
    FUZZ_CHECK(strlen(section) < 64);
    FUZZ_CHECK(*key != '\0' && !strchr(key, '=') && !strpbrk(key, "\n"));
    FUZZ_CHECK(!strchr(" \t", key[0]) && !strchr(" \t\r", key[strlen(key) - 1]));
    FUZZ_CHECK(!strchr("#;[", key[0]));
    FUZZ_CHECK(!strchr(section, '\n') && !strchr(section, ']') && !strchr(value, '\n'));
    FUZZ_CHECK(line > r->last_line && line <= r->lines);
    r->last_line = line;
    if (r->stop && r->calls == r->stop)
        return 7;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct entry *e = realloc(r->e, cap * sizeof *e);
        if (!e) {
            r->failed = true;
            return 1;
        }
        r->e = e, r->cap = cap;
    }
    struct entry *e = &r->e[r->n];
    e->section = dup(section), e->key = dup(key), e->value = dup(value);
    r->n++;
    if (!e->section || !e->key || !e->value) {
        r->failed = true;
        return 1;
    }
    return 0;
}

static void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->e[i].section);
        free(r->e[i].key);
        free(r->e[i].value);
    }
    free(r->e);
}

static int count_lines(const char *s)
{
    int n = 1;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Entries as an INI text: a header whenever the section changes, values always quoted. It
 * starts with a byte order mark, which the parser skips, so that a first key that itself
 * begins with one keeps it. */
static char *rewrite(const struct rec *r)
{
    size_t len = 4;
    for (size_t i = 0; i < r->n; i++)
        len += strlen(r->e[i].section) + strlen(r->e[i].key) + strlen(r->e[i].value) + 16;
    char *text = malloc(len), *p = text;
    if (!text)
        return NULL;
    const char *section = "";
    p += snprintf(p, len, "\xEF\xBB\xBF");
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->e[i].section, section) != 0) {
            section = r->e[i].section;
            p += snprintf(p, len - (size_t)(p - text), "[%s]\n", section);
        }
        p += snprintf(p, len - (size_t)(p - text), "%s = \"%s\"\n", r->e[i].key, r->e[i].value);
    }
    *p = '\0';
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstr(data, size);
    if (!in)
        return 0;
    struct rec r = {0};
    r.lines = count_lines(in);
    struct dms_error err = {0};
    int rc = ini_parse(in, rec_cb, &r, &err);
    if (r.failed)
        goto out;
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0) {
        FUZZ_CHECK(strcmp(err.code, "invalid_config") == 0);
        FUZZ_CHECK(strncmp(err.message, "line ", 5) == 0);
        goto out;
    }

    /* Round trip through a rewritten file. */
    char *text = rewrite(&r);
    if (!text)
        goto out;
    struct rec r2 = {0};
    r2.lines = count_lines(text);
    struct dms_error err2 = {0};
    int rc2 = ini_parse(text, rec_cb, &r2, &err2);
    if (!r2.failed) {
        if (rc2 != 0)
            fprintf(stderr, "rewritten config fails: %s\n---\n%s---\n", err2.message, text);
        FUZZ_CHECK(rc2 == 0 && r2.n == r.n);
        for (size_t i = 0; i < r.n; i++) {
            FUZZ_CHECK(strcmp(r.e[i].section, r2.e[i].section) == 0);
            FUZZ_CHECK(strcmp(r.e[i].key, r2.e[i].key) == 0);
            FUZZ_CHECK(strcmp(r.e[i].value, r2.e[i].value) == 0);
        }
    }
    rec_free(&r2);
    free(text);

    /* Stopping: the callback's value comes back and no call follows it. */
    if (r.n > 0) {
        struct rec r3 = {0};
        r3.lines = count_lines(in);
        r3.stop = r.n / 2 + 1;
        FUZZ_CHECK(ini_parse(in, rec_cb, &r3, NULL) == 7);
        FUZZ_CHECK(r3.calls == r3.stop);
        rec_free(&r3);
    }
out:
    rec_free(&r);
    free(in);
    return 0;
}
