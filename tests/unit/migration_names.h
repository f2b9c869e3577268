/* For unit tests of core value sets (roles, customer classes, service kinds …): checks that a
 * C name table lists exactly the values the database's CHECK (<column> IN ('a', 'b')) allows,
 * so the API and the schema cannot drift apart. Reads the .sql files in src/store/migrations,
 * found relative to this file; the newest CREATE TABLE of the table wins. Include after
 * cmocka.h. Functions are static inline so that a test may use only some of them. */
#ifndef DMS_TESTS_MIGRATION_NAMES_H
#define DMS_TESTS_MIGRATION_NAMES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_TEXT_MAX (1u << 20)

static inline int migration_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All migration files, in name order, concatenated into a malloc'd string. */
static inline char *migration_text(void)
{
    char dir[1024];
    const char *self = __FILE__;
    const char *tail = strstr(self, "tests/unit/migration_names.h");
    assert_non_null(tail);
    snprintf(dir, sizeof dir, "%.*ssrc/store/migrations", (int)(tail - self), self);
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0) {
            names[n] = strdup(e->d_name);
            assert_non_null(names[n]);
            n++;
        }
    }
    closedir(d);
    assert_true(n > 0);
    qsort(names, n, sizeof names[0], migration_name_cmp);
    char *text = malloc(MIGRATION_TEXT_MAX);
    assert_non_null(text);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        free(names[i]);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        used += fread(text + used, 1, MIGRATION_TEXT_MAX - 1 - used, f);
        fclose(f);
    }
    text[used] = '\0';
    return text;
}

/* The text of the newest CREATE TABLE <table> statement, malloc'd. */
static inline char *migration_table(const char *table)
{
    char *text = migration_text();
    char pattern[128];
    snprintf(pattern, sizeof pattern, "CREATE TABLE %s (", table);
    const char *start = NULL;
    for (const char *p = strstr(text, pattern); p; p = strstr(p + 1, pattern))
        start = p;
    if (!start)
        fail_msg("no CREATE TABLE %s in the migrations", table);
    const char *end = strstr(start, ");");
    assert_non_null(end);
    char *body = strndup(start, (size_t)(end - start));
    assert_non_null(body);
    free(text);
    return body;
}

/* Asserts that the CREATE TABLE of table contains the text. */
static inline void assert_table_has(const char *table, const char *text)
{
    char *body = migration_table(table);
    if (!strstr(body, text))
        fail_msg("table %s has no \"%s\"", table, text);
    free(body);
}

/* Asserts that names[0..count) and the list in the CHECK on table.column are the same set. */
static inline void assert_names_match_migration(const char *table, const char *column,
                                                const char *const *names, int count)
{
    char *body = migration_table(table);
    char pattern[128];
    snprintf(pattern, sizeof pattern, "CHECK (%s IN (", column);
    const char *check = strstr(body, pattern);
    if (!check)
        fail_msg("no CHECK (%s IN (...)) in table %s", column, table);
    int found = 0;
    for (const char *p = check + strlen(pattern); *p && *p != ')'; p++) {
        if (*p != '\'')
            continue;
        const char *q = strchr(p + 1, '\'');
        assert_non_null(q);
        size_t len = (size_t)(q - p - 1);
        int match = -1;
        for (int i = 0; i < count; i++) {
            if (strlen(names[i]) == len && strncmp(names[i], p + 1, len) == 0)
                match = i;
        }
        if (match < 0)
            fail_msg("%s.%s allows '%.*s', which the C table lacks", table, column, (int)len,
                     p + 1);
        found++;
        p = q;
    }
    /* Every SQL value is in the C table; with as many values, and the C names distinct, the
     * two are the same set. */
    for (int i = 0; i < count; i++) {
        for (int j = i + 1; j < count; j++)
            assert_string_not_equal(names[i], names[j]);
    }
    if (found != count)
        fail_msg("%s.%s allows %d values, the C table has %d", table, column, found, count);
    free(body);
}

#endif
