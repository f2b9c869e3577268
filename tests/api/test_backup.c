/* dms backup and dms restore (issue 11, "Backups"): a consistent copy of a live SQLite
 * database taken while writers keep writing, a server killed with SIGKILL in the middle of a
 * backup, a backup killed in the middle of its copy (the file under the final name is never
 * half written), and a restore that brings every acknowledged write back into a new server,
 * checks what it is given and refuses while a server runs. The backup is held in the middle
 * of its copy by its test gate (DMS_TEST_BACKUP_GATE, store/backup.c), so no test guesses at
 * timing. On PostgreSQL both commands refuse with exit status 2 and point to pg_dump and
 * pg_restore. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- helpers ---- */

static const char *in_dir(const char *name)
{
    return keep(fmt("%s/%s", SRV->dir, name));
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Waits (bounded) until path exists: the backup announces that it is held at its gate. */
static void wait_for_file(const char *path)
{
    double end = mono_s() + 60;
    while (!exists(path)) {
        if (mono_s() > end)
            fail_msg("%s did not appear within 60 s", path);
        sleep_ms(5);
    }
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

/* The whole file (malloc'ed, *len bytes). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Starts `dms --db URL backup FILE --step-pages 1` in the background, held at gate (when not
 * NULL) after its first step; its output goes to log. The environment is built before fork:
 * the writer threads are running, and the child calls only execve's safe functions. */
static pid_t spawn_backup(const char *file, const char *gate, const char *log)
{
    static char gate_env[700];
    const char *env[256];
    size_t k = 0;
    for (char **e = environ; *e && k < 250; e++)
        if (strncmp(*e, "DMS_TEST_BACKUP_GATE=", 21) != 0)
            env[k++] = *e;
    if (gate) {
        snprintf(gate_env, sizeof gate_env, "DMS_TEST_BACKUP_GATE=%s", gate);
        env[k++] = gate_env;
    }
    env[k] = NULL;
    const char *bin = getenv("DMS_BIN") ? getenv("DMS_BIN") : "./dms";
    const char *argv[] = {bin, "--db", SRV->db_url, "backup", file, "--step-pages", "1", NULL};
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execve(bin, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- writers ---- */

enum phase { BEFORE_BACKUP, BACKUP_STARTED, SNAPSHOT_TAKEN };
static atomic_int phase;

#define MAX_WRITES 100000

struct writer {
    pthread_t thread;
    int n;
    const char *token;
    pthread_barrier_t *go;
    int64_t *ids;
    int *phase_sent, *phase_acked;
    atomic_size_t acked;
};

/* Creates customers until the server stops answering, noting for each acknowledged one the
 * phase when it was sent and when its answer came. */
static void *write_loop(void *arg)
{
    struct writer *w = arg;
    CURL *h = curl_easy_init();
    pthread_barrier_wait(w->go);
    for (size_t i = 0; h && i < MAX_WRITES; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"name\":\"备份客户%d-%zu\"}", w->n, i);
        int sent = atomic_load(&phase);
        struct http_answer a =
            http_call_on(h, SRV->base, "POST", "/api/v1/customers", w->token, body);
        int acked = atomic_load(&phase);
        bool ok = a.rc == CURLE_OK && a.status == 201;
        size_t k = atomic_load(&w->acked);
        if (ok) {
            w->ids[k] = json_integer_value(json_object_get(a.json, "id"));
            w->phase_sent[k] = sent;
            w->phase_acked[k] = acked;
            atomic_store(&w->acked, k + 1);
        }
        json_decref(a.json);
        if (a.rc != CURLE_OK || a.status == 0)
            break; /* the server is gone */
    }
    curl_easy_cleanup(h);
    return NULL;
}

/* Waits (bounded) until every writer has `more` acknowledged writes beyond since[i]. */
static void wait_for_writes(struct writer *w, int n, const size_t *since, size_t more)
{
    double end = mono_s() + 120;
    for (int i = 0; i < n; i++) {
        while (atomic_load(&w[i].acked) < since[i] + more) {
            if (mono_s() > end)
                fail_msg("writer %d: %zu writes, waited for %zu", i, atomic_load(&w[i].acked),
                         since[i] + more);
            sleep_ms(2);
        }
    }
}

/* ---- SQLite ---- */

/* A server killed with SIGKILL while a backup is in the middle of its copy, with four threads
 * writing all along: the backup finishes, the restore brings back every write acknowledged
 * before the backup started (and none sent after its snapshot), and the new server's
 * database passes integrity_check. */
static void test_backup_taken_while_writing_and_server_killed_restores(void **state)
{
    (void)state;
    if (SRV->pg)
        skip();
    enum { WRITERS = 4 };
    const char *token = tok(U_ADVISOR);
    const char *file = in_dir("live-backup.db"), *gate = in_dir("gate-live");
    const char *waiting = keep(fmt("%s.waiting", gate));
    atomic_store(&phase, BEFORE_BACKUP);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, WRITERS + 1);
    struct writer *w = calloc(WRITERS, sizeof *w);
    assert_non_null(w);
    size_t none[WRITERS] = {0}, mark[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        w[i].n = i;
        w[i].token = token;
        w[i].go = &go;
        w[i].ids = calloc(MAX_WRITES, sizeof *w[i].ids);
        w[i].phase_sent = calloc(MAX_WRITES, sizeof(int));
        w[i].phase_acked = calloc(MAX_WRITES, sizeof(int));
        assert_true(w[i].ids && w[i].phase_sent && w[i].phase_acked);
        assert_int_equal(pthread_create(&w[i].thread, NULL, write_loop, &w[i]), 0);
    }
    pthread_barrier_wait(&go);
    wait_for_writes(w, WRITERS, none, 20);

    touch(gate);
    atomic_store(&phase, BACKUP_STARTED);
    pid_t backup = spawn_backup(file, gate, in_dir("live-backup.log"));
    wait_for_file(waiting);
    atomic_store(&phase, SNAPSHOT_TAKEN);
    /* The copy is under way (one page copied, held at the gate) and FILE is not there yet. */
    assert_false(exists(file));
    assert_true(exists(keep(fmt("%s.tmp", file))));
    /* Writers are not held up by a backup in progress. The first answer after the mark may be
     * to a write sent before the snapshot (each writer has one in flight): wait for one more
     * than the ten per writer counted below. */
    for (int i = 0; i < WRITERS; i++)
        mark[i] = atomic_load(&w[i].acked);
    wait_for_writes(w, WRITERS, mark, 11);

    assert_int_equal(srv_kill(SRV), 128 + SIGKILL);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(w[i].thread, NULL);
    pthread_barrier_destroy(&go);
    assert_int_equal(unlink(gate), 0);
    assert_int_equal(wait_exit(backup), 0);
    assert_true(exists(file));
    assert_false(exists(keep(fmt("%s.tmp", file))));

    char out[4096];
    int rc = srv_cli(SRV, NULL, out, sizeof out, "restore", file, NULL);
    if (rc != 0)
        fail_msg("restore exited %d: %s", rc, out);
    assert_non_null(strstr(out, "before-restore"));
    assert_int_equal(srv_restart(SRV), 0);
    char check[64];
    assert_int_equal(db_sql("PRAGMA integrity_check", check, sizeof check), 0);
    assert_string_equal(check, "ok");

    json_t *all = fetch_pages("/api/v1/customers", token, 200, NULL);
    size_t n = json_array_size(all);
    int64_t max_id = 0;
    for (size_t i = 0; i < n; i++)
        if (jint(json_array_get(all, i), "id") > max_id)
            max_id = jint(json_array_get(all, i), "id");
    char *present = calloc((size_t)max_id + 1, 1);
    assert_non_null(present);
    for (size_t i = 0; i < n; i++)
        present[jint(json_array_get(all, i), "id")] = 1;
    json_decref(all);
    size_t before = 0, after = 0;
    for (int i = 0; i < WRITERS; i++) {
        for (size_t k = 0; k < atomic_load(&w[i].acked); k++) {
            int64_t id = w[i].ids[k];
            bool there = id <= max_id && present[id];
            if (w[i].phase_acked[k] == BEFORE_BACKUP) {
                before++;
                if (!there)
                    fail_msg("customer %lld, acknowledged before the backup, is missing",
                             (long long)id);
            } else if (w[i].phase_sent[k] == SNAPSHOT_TAKEN) {
                after++;
                if (there)
                    fail_msg("customer %lld, sent after the backup's snapshot, is in the copy",
                             (long long)id);
            }
        }
        free(w[i].ids);
        free(w[i].phase_sent);
        free(w[i].phase_acked);
    }
    free(present);
    free(w);
    assert_true(before >= WRITERS * 20);
    assert_true(after >= WRITERS * 10);
    print_message("backup under load: %zu writes acknowledged before it, all restored; %zu sent "
                  "after its snapshot, none in the copy\n",
                  before, after);
    /* The new server takes writes again. */
    json_decref(call("POST", "/api/v1/customers", token, "{\"name\":\"恢复之后\"}", 201));
}

/* A backup killed in the middle of its copy: FILE stays the previous complete backup (or does
 * not exist), and the next backup clears what the killed one left and succeeds. */
static void test_backup_killed_midway_never_leaves_a_half_file(void **state)
{
    (void)state;
    if (SRV->pg)
        skip();
    const char *file = in_dir("kill-backup.db"), *fresh = in_dir("kill-fresh.db");
    const char *gate = in_dir("gate-kill"), *waiting = keep(fmt("%s.waiting", gate));
    char out[4096];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "backup", file, NULL), 0);
    size_t len_before;
    char *before = slurp(file, &len_before);
    json_decref(call("POST", "/api/v1/customers", tok(U_ADVISOR), "{\"name\":\"备份之后\"}", 201));

    /* Over an existing backup, and to a new name. */
    const char *targets[] = {file, fresh};
    for (size_t t = 0; t < 2; t++) {
        touch(gate);
        pid_t pid = spawn_backup(targets[t], gate, in_dir("kill-backup.log"));
        wait_for_file(waiting);
        assert_int_equal(kill(pid, SIGKILL), 0);
        assert_int_equal(wait_exit(pid), 128 + SIGKILL);
        assert_int_equal(unlink(gate), 0);
        assert_int_equal(unlink(waiting), 0);
        assert_true(exists(keep(fmt("%s.tmp", targets[t]))));
    }
    size_t len_after;
    char *after = slurp(file, &len_after);
    assert_int_equal(len_after, len_before);
    assert_memory_equal(after, before, len_before);
    free(after);
    free(before);
    assert_false(exists(fresh));

    /* The next backup succeeds, and its copy restores into a new database. */
    for (size_t t = 0; t < 2; t++) {
        int rc = srv_cli(SRV, NULL, out, sizeof out, "backup", targets[t], NULL);
        if (rc != 0)
            fail_msg("backup exited %d: %s", rc, out);
        assert_non_null(strstr(out, "quick_check ok"));
        assert_false(exists(keep(fmt("%s.tmp", targets[t]))));
    }
    struct server scratch = *SRV;
    snprintf(scratch.db_url, sizeof scratch.db_url, "sqlite:%s", in_dir("kill-restored.db"));
    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", fresh, NULL), 0);
}

/* A restore refuses while a server has the database open, and changes nothing. */
static void test_restore_refused_while_the_server_runs(void **state)
{
    (void)state;
    if (SRV->pg)
        skip();
    const char *file = in_dir("running-backup.db");
    char out[4096];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "backup", file, NULL), 0);
    int64_t later = new_customer(tok(U_ADVISOR), "备份后新客户");
    int rc = srv_cli(SRV, NULL, out, sizeof out, "restore", file, NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "in use"));
    /* Nothing was restored: the customer written after the backup is still there. */
    json_decref(
        call("GET", fmt("/api/v1/customers/%lld", (long long)later), tok(U_ADVISOR), NULL, 200));
    assert_false(exists(keep(fmt("%s.before-restore", SRV->db_url + strlen("sqlite:")))));
}

/* Writes a SQLite file with one statement (a dms look-alike or a stranger). */
static void sqlite_file(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A restore checks its file before it touches the database: not a database, not a dms
 * database, a schema newer than this dms, a damaged copy. */
static void test_restore_checks_the_file_first(void **state)
{
    (void)state;
    if (SRV->pg)
        skip();
    struct server scratch = *SRV;
    const char *target = in_dir("checked.db");
    snprintf(scratch.db_url, sizeof scratch.db_url, "sqlite:%s", target);
    char out[4096];

    const char *junk = in_dir("junk.db");
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("not a database at all, just some text that is long enough to look like one\n", f);
    fclose(f);
    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", junk, NULL), 1);
    assert_non_null(strstr(out, "not a database"));

    const char *stranger = in_dir("stranger.db");
    sqlite_file(stranger, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", stranger, NULL), 1);
    assert_non_null(strstr(out, "not a dms database"));

    const char *future = in_dir("future.db");
    sqlite_file(future, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, "
                        "applied_at TEXT); INSERT INTO schema_migrations VALUES (999, 'x', 'y');");
    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", future, NULL), 1);
    assert_non_null(strstr(out, "upgrade dms"));

    /* A damaged copy: a good backup with a page in the middle overwritten. */
    const char *damaged = in_dir("damaged.db");
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "backup", damaged, NULL), 0);
    int fd = open(damaged, O_WRONLY);
    assert_true(fd >= 0);
    char junk_page[4096];
    memset(junk_page, 0x5a, sizeof junk_page);
    assert_int_equal(pwrite(fd, junk_page, sizeof junk_page, 4096 * 5), (ssize_t)sizeof junk_page);
    close(fd);
    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", damaged, NULL), 1);

    assert_int_equal(srv_cli(&scratch, NULL, out, sizeof out, "restore", NULL), 2);
    assert_false(exists(target));
}

/* ---- PostgreSQL ---- */

static void test_backup_on_postgres_points_to_pg_dump(void **state)
{
    (void)state;
    if (!SRV->pg)
        skip();
    char out[4096];
    const char *file = in_dir("pg-backup.db");
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "backup", file, NULL), 2);
    assert_non_null(strstr(out, "pg_dump"));
    assert_false(exists(file));
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "restore", file, NULL), 2);
    assert_non_null(strstr(out, "pg_restore"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_on_postgres_points_to_pg_dump),
        cmocka_unit_test(test_restore_refused_while_the_server_runs),
        cmocka_unit_test(test_restore_checks_the_file_first),
        cmocka_unit_test(test_backup_killed_midway_never_leaves_a_half_file),
        cmocka_unit_test(test_backup_taken_while_writing_and_server_killed_restores),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
