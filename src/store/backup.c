/* Backup and restore of a store's SQLite database (issue 11: "Also expected of a real
 * deployment"). A backup is taken while `dms serve` runs: SQLite's online backup API copies
 * the pages of one read snapshot (WAL: writers go on), into FILE.tmp, which is checked,
 * synced and only then renamed to FILE, so FILE is never a half-written copy, whatever kills
 * the backup. A restore checks the file first, refuses while a server has the database
 * open, keeps what it replaces, and copies in one transaction (db.h: db_sqlite_copy).
 * PostgreSQL has its own tools (pg_dump, base backups and WAL archiving): README, Operations. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/backup.h"
#include "store/internal.h"
#include "store/migrate.h"

/* The file path of a sqlite: URL, NULL for any other. */
static const char *sqlite_path(const char *url)
{
    if (strncmp(url, "sqlite:", 7) != 0)
        return NULL;
    const char *path = url + 7;
    if (strncmp(path, "//", 2) == 0)
        path += 2;
    return path;
}

/* Removes path when it exists; 0, or -1 with err filled. */
static int remove_stale(const char *path, struct dms_error *err)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    return dms_fail(err, "io", NULL, "cannot remove %s: %s", path, strerror(errno));
}

static int fsync_path(const char *path, bool dir, struct dms_error *err)
{
    int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dms_fail(err, "io", NULL, "cannot open %s: %s", path, strerror(errno));
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc < 0)
        return dms_fail(err, "io", NULL, "cannot sync %s: %s", path, strerror(e));
    return 0;
}

/* Syncs the folder holding path, so that a rename into it survives a power loss. */
static int fsync_parent(const char *path, struct dms_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return dms_fail(err, "io", NULL, "out of memory");
    int rc = fsync_path(dirname(copy), true, err);
    free(copy);
    return rc;
}

struct progress {
    int pages;
    const char *gate; /* DMS_TEST_BACKUP_GATE */
    bool announced;
};

/* After each step. For tests only (as DMS_TEST_CLOCK_FILE): while the file named by
 * DMS_TEST_BACKUP_GATE exists, the copy waits after its step, having created NAME.waiting,
 * so that a test can kill the server, or the backup itself, in the middle of a copy without
 * guessing at timing. */
static void on_step(void *ctx, int remaining, int total)
{
    struct progress *p = ctx;
    p->pages = total;
    if (!p->gate || remaining == 0)
        return;
    struct stat st;
    while (stat(p->gate, &st) == 0) {
        if (!p->announced) {
            char mark[600];
            snprintf(mark, sizeof mark, "%s.waiting", p->gate);
            FILE *f = fopen(mark, "w");
            if (f) {
                fprintf(f, "%d of %d pages left\n", remaining, total);
                fclose(f);
            }
            p->announced = true;
        }
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

int store_backup(const char *db_url, const char *file, int step_pages, struct backup_report *out,
                 struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    const char *path = sqlite_path(db_url);
    if (!path)
        return dms_fail(err, "use_pg_dump", "db",
                        "dms backup copies SQLite databases; back up PostgreSQL with pg_dump or "
                        "a base backup with WAL archiving (README: Operations)");
    struct stat a, b;
    if (stat(path, &a) < 0)
        return dms_fail(err, "io", "db", "cannot read %s: %s", path, strerror(errno));
    if (stat(file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return dms_fail(err, "invalid_field", "file", "%s is the database itself", file);
    char tmp[600], side[620];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", file) >= sizeof tmp)
        return dms_fail(err, "invalid_field", "file", "the file name is too long");
    /* What a killed backup left behind. */
    static const char *const sides[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        snprintf(side, sizeof side, "%s%s", tmp, sides[i]);
        if (remove_stale(side, err) < 0)
            return -1;
    }
    struct progress p = {0, getenv("DMS_TEST_BACKUP_GATE"), false};
    char msg[512];
    int rc = db_sqlite_copy(path, tmp, step_pages > 0 ? step_pages : 256, false, NULL, false,
                            on_step, &p, msg, sizeof msg);
    if (rc < 0) {
        unlink(tmp);
        return dms_fail(err, rc == DB_BUSY ? "busy" : "db_error", NULL, "%s", msg);
    }
    rc = db_sqlite_verify(tmp, true, &out->schema, msg, sizeof msg);
    if (rc < 0 || out->schema < 1) {
        unlink(tmp);
        return dms_fail(err, "db_error", NULL, "the copy does not check out: %s",
                        rc < 0 ? msg : "no dms schema");
    }
    if (fsync_path(tmp, false, err) < 0)
        return -1;
    if (rename(tmp, file) < 0)
        return dms_fail(err, "io", "file", "cannot rename %s to %s: %s", tmp, file,
                        strerror(errno));
    if (fsync_parent(file, err) < 0)
        return -1;
    out->pages = p.pages;
    if (stat(file, &b) == 0)
        out->bytes = (int64_t)b.st_size;
    return 0;
}

int store_restore(const char *db_url, const char *file, struct backup_report *out,
                  struct dms_error *err)
{
    memset(out, 0, sizeof *out);
    const char *path = sqlite_path(db_url);
    if (!path)
        return dms_fail(err, "use_pg_restore", "db",
                        "dms restore writes SQLite databases; restore PostgreSQL with pg_restore "
                        "or point-in-time recovery (README: Operations)");
    char msg[512];
    int rc = db_sqlite_verify(file, false, &out->schema, msg, sizeof msg);
    if (rc < 0)
        return dms_fail(err, "not_a_backup", "file", "%s", msg);
    if (out->schema < 1)
        return dms_fail(err, "not_a_backup", "file", "%s is not a dms database", file);
    if (out->schema > store_latest_version())
        return dms_fail(err, "schema_too_new", "file",
                        "%s has schema version %d; this dms knows up to %d: upgrade dms", file,
                        out->schema, store_latest_version());
    struct stat a, b;
    bool exists = stat(path, &a) == 0;
    if (exists && stat(file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return dms_fail(err, "invalid_field", "file", "%s is the database itself", file);
    if (exists && (size_t)snprintf(out->kept, sizeof out->kept, "%s.before-restore", path) >=
                      sizeof out->kept)
        return dms_fail(err, "invalid_field", "db", "the database's file name is too long");
    if (exists && remove_stale(out->kept, err) < 0)
        return -1;
    rc = db_sqlite_copy(file, path, 1024, true, exists ? out->kept : NULL, true, NULL, NULL, msg,
                        sizeof msg);
    if (rc < 0)
        return dms_fail(err, rc == DB_BUSY ? "in_use" : "db_error", NULL, "%s", msg);
    if (stat(path, &a) == 0)
        out->bytes = (int64_t)a.st_size;
    return 0;
}
