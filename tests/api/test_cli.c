/* The command line: migrate, store, user, version, help, settings from flags, environment and
 * config file (flag > environment > file), and serve: a port in use, and a graceful stop on
 * SIGTERM while requests are running. Fresh SQLite databases live in this test's folder; user
 * commands that need a running server act on the harness's database (either backend). */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* ---- running dms ---- */

static const char *dms_bin(void)
{
    static char path[PATH_MAX];
    if (!path[0]) {
        const char *b = getenv("DMS_BIN");
        if (!realpath(b && *b ? b : "./dms", path))
            snprintf(path, sizeof path, "%s", b && *b ? b : "./dms");
    }
    return path;
}

/* Starts dms with argv (without the program name) in cwd (NULL: here), with the DMS_*
 * settings of this process removed and env ("K=V", NULL-terminated) added; output goes to log. */
static pid_t dms_spawn(const char *cwd, const char *const *env, const char *log,
                       const char *const *args)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        const char *clear[] = {"DMS_DB",      "DMS_LISTEN",     "DMS_CONFIG",       "DMS_PASSWORD",
                               "DMS_DB_POOL", "DMS_ACCESS_LOG", "DMS_SESSION_HOURS"};
        for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
            unsetenv(clear[i]);
        for (const char *const *e = env; e && *e; e++)
            putenv((char *)*e);
        char *argv[40];
        int n = 0;
        argv[n++] = (char *)dms_bin();
        for (const char *const *a = args; *a && n < 39; a++)
            argv[n++] = (char *)*a;
        argv[n] = NULL;
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Waits for pid at most timeout_ms; returns its exit status, or -1 (killed) on timeout. */
static int dms_wait(pid_t pid, long timeout_ms)
{
    int status = 0;
    for (long waited = 0; waited <= timeout_ms; waited += 10) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static void read_file(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* Runs dms to completion (at most timeout_ms) and captures stdout+stderr. */
static int dms_run_for(long timeout_ms, const char *cwd, const char *const *env, char *out,
                       size_t cap, const char *const *args)
{
    char log[700];
    snprintf(log, sizeof log, "%s/cli-run.out", SRV->dir);
    int rc = dms_wait(dms_spawn(cwd, env, log, args), timeout_ms);
    read_file(log, out, cap);
    return rc;
}

#define RUN(cwd, env, out, ...)                                                                    \
    dms_run_for(60000, cwd, env, out, sizeof out, (const char *const[]){__VA_ARGS__, NULL})

/* A fresh SQLite database URL in this test's folder. */
static const char *fresh_db(const char *name)
{
    static char urls[8][700];
    static int next;
    char *u = urls[next++ % 8];
    char path[640];
    snprintf(path, sizeof path, "%s/%s-%u.db", SRV->dir, name, uniq());
    unlink(path);
    snprintf(u, sizeof urls[0], "sqlite:%s", path);
    return u;
}

/* A database with one store of this code. */
static const char *db_with_store(const char *name, const char *code)
{
    const char *url = fresh_db(name);
    char out[4096];
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    assert_int_equal(
        RUN(NULL, NULL, out, "--db", url, "store", "add", "--code", code, "--name", "店"), 0);
    return url;
}

/* A loopback port nobody listens on right now. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The one-time password printed by user add / user passwd. */
static bool one_time_password(const char *out, char pw[64])
{
    const char *p = strstr(out, "one-time password: ");
    if (!p)
        return false;
    return sscanf(p, "one-time password: %63s", pw) == 1;
}

static const char *session_body(const char *username, const char *password)
{
    return fmt("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
}

static char *login_with(const char *username, const char *password)
{
    json_t *j = call("POST", "/api/v1/session", NULL, session_body(username, password), 201);
    char *t = strdup(json_string_value(json_object_get(j, "token")));
    json_decref(j);
    return t;
}

static void expect_sign_in_refused(const char *username, const char *password)
{
    struct resp r = http("POST", "/api/v1/session", NULL, session_body(username, password));
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
}

/* ---- migrate, store ---- */

static void test_cli_migrate_is_idempotent(void **state)
{
    (void)state;
    const char *url = fresh_db("migrate");
    char out[4096];
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    assert_non_null(strstr(out, "schema version"));
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    assert_non_null(strstr(out, "0 migrations"));
    /* The database is empty and usable. */
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "store", "list"), 0);
    assert_null(strstr(out, "S1"));
    /* The harness's database (either backend) is already current. */
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "migrate", NULL), 0);
    assert_non_null(strstr(out, "0 migrations"));
    /* A database that cannot be opened is an error, not a crash. */
    assert_true(RUN(NULL, NULL, out, "--db", "mysql://x/y", "migrate") != 0);
    assert_true(out[0] != '\0');
}

/* A migration missing below the highest applied one (two branches merged in the other order)
 * is applied by the next migrate, not skipped for good. SQLite only (the file is edited). */
static void test_cli_migrate_applies_a_missing_migration(void **state)
{
    (void)state;
    if (SRV->pg)
        skip();
    const char *url = fresh_db("gap");
    char out[4096];
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(url + strlen("sqlite:"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE call_reviews; DELETE FROM schema_migrations WHERE "
                                  "version = 18",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    if (!strstr(out, "1 migration"))
        fail_msg("migrate printed: %s", out);
    assert_int_equal(sqlite3_open(url + strlen("sqlite:"), &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                        "'call_reviews'), (SELECT COUNT(*) FROM schema_migrations "
                                        "WHERE version = 18)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    assert_int_equal(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    assert_non_null(strstr(out, "0 migrations"));
}

static void test_cli_store_add_and_list(void **state)
{
    (void)state;
    const char *url = fresh_db("store");
    char out[4096];
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "migrate"), 0);
    assert_int_equal(
        RUN(NULL, NULL, out, "--db", url, "store", "add", "--code", "SZ1", "--name", "深圳一店"),
        0);
    assert_int_equal(
        RUN(NULL, NULL, out, "--db", url, "store", "add", "--code", "GZ2", "--name", "广州二店"),
        0);
    /* A taken code fails with a message and adds nothing. */
    int rc = RUN(NULL, NULL, out, "--db", url, "store", "add", "--code", "SZ1", "--name", "又一店");
    assert_true(rc != 0);
    assert_non_null(strstr(out, "SZ1"));
    assert_true(RUN(NULL, NULL, out, "--db", url, "store", "add", "--code", "X9") != 0);
    assert_true(out[0] != '\0');
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "store", "list"), 0);
    assert_non_null(strstr(out, "SZ1"));
    assert_non_null(strstr(out, "深圳一店"));
    assert_non_null(strstr(out, "GZ2"));
    assert_null(strstr(out, "又一店"));
    assert_null(strstr(out, "X9"));
    /* The harness's database lists its two stores. */
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "store", "list", NULL), 0);
    assert_non_null(strstr(out, "S1"));
    assert_non_null(strstr(out, "S2"));
}

/* ---- user ---- */

static void test_cli_user_add_rejects_bad_input(void **state)
{
    (void)state;
    const char *url = db_with_store("useradd", "S1");
    char out[4096];
    const char *pw[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    const char *weak[] = {"DMS_PASSWORD=short", NULL};
    int rc = RUN(NULL, pw, out, "--db", url, "user", "add", "--username", "bob", "--role", "king",
                 "--store", "S1");
    assert_true(rc != 0);
    assert_non_null(strstr(out, "king"));
    rc = RUN(NULL, pw, out, "--db", url, "user", "add", "--username", "bob", "--role", "advisor",
             "--store", "NOPE");
    assert_true(rc != 0);
    assert_non_null(strstr(out, "NOPE"));
    rc = RUN(NULL, pw, out, "--db", url, "user", "add", "--role", "advisor", "--store", "S1");
    assert_true(rc != 0);
    rc = RUN(NULL, weak, out, "--db", url, "user", "add", "--username", "bob", "--role", "advisor",
             "--store", "S1");
    assert_true(rc != 0);

    assert_int_equal(RUN(NULL, pw, out, "--db", url, "user", "add", "--username", "bob", "--role",
                         "advisor", "--store", "S1"),
                     0);
    assert_null(strstr(out, "one-time password"));
    rc = RUN(NULL, pw, out, "--db", url, "user", "add", "--username", "bob", "--role", "caller",
             "--store", "S1");
    assert_true(rc != 0);
    assert_non_null(strstr(out, "bob"));
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "user", "list"), 0);
    /* bob, on one line, as advisor. */
    int lines = 0;
    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, "S1", 2) == 0 && strstr(l, "bob"))
            lines++;
    }
    assert_int_equal(lines, 1);
    assert_non_null(strstr(out, "advisor"));
    assert_null(strstr(out, "caller"));
}

/* Four Chinese characters are twelve bytes but only four characters: too short. */
static void test_cli_user_add_counts_password_characters(void **state)
{
    (void)state;
    const char *url = db_with_store("usercn", "S1");
    char out[4096];
    const char *weak_cn[] = {"DMS_PASSWORD=密码密码", NULL};
    int rc = RUN(NULL, weak_cn, out, "--db", url, "user", "add", "--username", "short", "--role",
                 "advisor", "--store", "S1");
    if (rc == 0)
        print_error("user add with a 4-character password: %s\n", out);
    assert_true(rc != 0 && rc < 128);
    assert_int_equal(RUN(NULL, NULL, out, "--db", url, "user", "list"), 0);
    assert_null(strstr(out, "short"));
}

static void test_cli_user_add_generates_a_one_time_password(void **state)
{
    (void)state;
    char out[4096], pw[64], name[32];
    snprintf(name, sizeof name, "otp%u", uniq());
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "add", "--username", name,
                             "--role", "advisor", "--store", "S1", NULL),
                     0);
    assert_true(one_time_password(out, pw));
    assert_true(strlen(pw) >= 8);
    char *t = login_with(name, pw);
    struct resp r = http("GET", "/api/v1/customers", t, NULL);
    expect_error(&r, 403, "password_change_required", NULL);
    resp_free(&r);
    json_decref(call("GET", "/api/v1/me", t, NULL, 200));
    json_decref(call("POST", "/api/v1/me/password", t,
                     fmt("{\"old_password\":\"%s\",\"new_password\":\"chosen-by-me\"}", pw), 200));
    json_decref(call("GET", "/api/v1/customers", t, NULL, 200));
    free(t);
    /* The seeded users (DMS_PASSWORD given) need no change. */
    t = login(U_ADVISOR);
    json_decref(call("GET", "/api/v1/customers", t, NULL, 200));
    free(t);
}

static void test_cli_user_disable_and_enable(void **state)
{
    (void)state;
    char out[4096], name[32];
    snprintf(name, sizeof name, "dis%u", uniq());
    const char *env[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    assert_int_equal(srv_cli(SRV, env, out, sizeof out, "user", "add", "--username", name, "--role",
                             "caller", "--store", "S1", NULL),
                     0);
    char *t = login_with(name, TEST_PASSWORD);
    json_decref(call("GET", "/api/v1/customers", t, NULL, 200));
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "disable", name, NULL), 0);
    struct resp r = http("GET", "/api/v1/customers", t, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    expect_sign_in_refused(name, TEST_PASSWORD);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "list", "--store", "S1", NULL), 0);
    const char *line = strstr(out, name);
    assert_non_null(line);
    const char *eol = strchr(line, '\n');
    assert_non_null(strstr(line, "disabled"));
    assert_true(!eol || strstr(line, "disabled") < eol);
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "enable", name, NULL), 0);
    char *t2 = login_with(name, TEST_PASSWORD);
    json_decref(call("GET", "/api/v1/customers", t2, NULL, 200));
    free(t2);
    free(t);
    /* Unknown users are an error. */
    assert_true(srv_cli(SRV, NULL, out, sizeof out, "user", "disable", "nobody-here", NULL) != 0);
    assert_non_null(strstr(out, "nobody-here"));
}

static void test_cli_user_passwd(void **state)
{
    (void)state;
    char out[4096], name[32], pw[64];
    snprintf(name, sizeof name, "pwd%u", uniq());
    const char *env[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    const char *fresh[] = {"DMS_PASSWORD=set-by-cli-1", NULL};
    assert_int_equal(srv_cli(SRV, env, out, sizeof out, "user", "add", "--username", name, "--role",
                             "workshop", "--store", "S1", NULL),
                     0);
    char *t = login_with(name, TEST_PASSWORD);
    assert_int_equal(srv_cli(SRV, fresh, out, sizeof out, "user", "passwd", name, NULL), 0);
    /* The old password and the running session are gone; the new one works. */
    struct resp r = http("GET", "/api/v1/me", t, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    expect_sign_in_refused(name, TEST_PASSWORD);
    char *t2 = login_with(name, "set-by-cli-1");
    json_decref(call("GET", "/api/v1/customers", t2, NULL, 200));
    free(t2);
    /* Without DMS_PASSWORD a one-time password is generated, to be changed at sign-in. */
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "passwd", name, NULL), 0);
    assert_true(one_time_password(out, pw));
    expect_sign_in_refused(name, "set-by-cli-1");
    char *t3 = login_with(name, pw);
    r = http("GET", "/api/v1/customers", t3, NULL);
    expect_error(&r, 403, "password_change_required", NULL);
    resp_free(&r);
    free(t3);
    free(t);
    const char *weak[] = {"DMS_PASSWORD=short", NULL};
    assert_true(srv_cli(SRV, weak, out, sizeof out, "user", "passwd", name, NULL) != 0);
}

static void test_cli_user_list_shows_users_by_store(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "list", NULL), 0);
    const char *all[] = {U_ADVISOR,  U_CALLER, U_MANAGER,  U_PARTS, U_WORKSHOP,
                         U_WARRANTY, U_ADMIN,  U_ADVISOR2, U_ADMIN2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_non_null(strstr(out, all[i]));
    assert_non_null(strstr(out, "service_manager"));
    assert_int_equal(srv_cli(SRV, NULL, out, sizeof out, "user", "list", "--store", "S2", NULL), 0);
    assert_non_null(strstr(out, U_ADVISOR2));
    assert_non_null(strstr(out, U_ADMIN2));
    assert_null(strstr(out, U_MANAGER));
    assert_null(strstr(out, U_PARTS));
}

/* ---- version, help, unknown ---- */

static void test_cli_version_help_and_unknown_command(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(RUN(NULL, NULL, out, "version"), 0);
    assert_true(strncmp(out, "dms ", 4) == 0);
    assert_int_equal(RUN(NULL, NULL, out, "help"), 0);
    const char *words[] = {"usage",        "serve",       "migrate",   "store add",
                           "store list",   "user add",    "user list", "user passwd",
                           "user disable", "user enable", "version"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (!strstr(out, words[i]))
            print_error("help lacks %s\n", words[i]);
        assert_non_null(strstr(out, words[i]));
    }
    assert_int_equal(RUN(NULL, NULL, out, "frobnicate"), 2);
    assert_non_null(strstr(out, "frobnicate"));
    assert_int_equal(RUN(NULL, NULL, out, "--db", fresh_db("unknown"), "frobnicate", "--x"), 2);
    /* Bad options of known commands are usage errors too, not crashes. */
    int rc = RUN(NULL, NULL, out, "--db", fresh_db("badopt"), "store", "list", "--bogus");
    assert_true(rc != 0 && rc < 128);
    rc = RUN(NULL, NULL, out, "--db");
    assert_true(rc != 0 && rc < 128);
}

/* ---- settings: flag > environment > config file ---- */

static void expect_store(int rc, const char *out, const char *code)
{
    if (rc != 0 || !strstr(out, code))
        print_error("expected store %s (rc %d): %s\n", code, rc, out);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, code));
}

static void test_cli_db_flag_after_the_subcommand(void **state)
{
    (void)state;
    const char *url = fresh_db("after");
    char out[4096];
    assert_int_equal(RUN(NULL, NULL, out, "migrate", "--db", url), 0);
    assert_int_equal(
        RUN(NULL, NULL, out, "store", "add", "--code", "AFT", "--name", "后", "--db", url), 0);
    expect_store(RUN(NULL, NULL, out, "store", "list", "--db", url), out, "AFT");
    const char *env[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    assert_int_equal(RUN(NULL, env, out, "user", "add", "--username", "late", "--role", "advisor",
                         "--store", "AFT", "--db", url),
                     0);
    assert_int_equal(RUN(NULL, NULL, out, "user", "list", "--db", url), 0);
    assert_non_null(strstr(out, "late"));
    /* And on the harness's database (either backend). */
    const char *const args[] = {"user", "list", "--db", SRV->db_url, NULL};
    assert_int_equal(dms_run_for(60000, NULL, NULL, out, sizeof out, args), 0);
    assert_non_null(strstr(out, U_ADVISOR2));
}

static void test_cli_dms_db_environment(void **state)
{
    (void)state;
    const char *url = db_with_store("env", "ENVS");
    char out[4096], var[720];
    snprintf(var, sizeof var, "DMS_DB=%s", url);
    const char *env[] = {var, NULL};
    expect_store(RUN(NULL, env, out, "store", "list"), out, "ENVS");
}

static void test_cli_config_file_and_precedence(void **state)
{
    (void)state;
    const char *file_db = db_with_store("cfgfile", "FILEA");
    const char *env_db = db_with_store("cfgenv", "ENVB");
    const char *flag_db = db_with_store("cfgflag", "FLAGC");
    char dir[640], conf[700], text[800], var[720], cfgvar[720], out[4096];
    snprintf(dir, sizeof dir, "%s/cfg-%u", SRV->dir, uniq());
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(conf, sizeof conf, "%s/settings.ini", dir);
    snprintf(text, sizeof text, "; test settings\ndb = %s\nsession_hours = 2\ndb_pool = 3\n",
             file_db);
    write_text(conf, text);
    snprintf(var, sizeof var, "DMS_DB=%s", env_db);
    snprintf(cfgvar, sizeof cfgvar, "DMS_CONFIG=%s", conf);
    const char *env[] = {var, NULL};
    const char *cfgenv[] = {cfgvar, NULL};
    const char *both[] = {cfgvar, var, NULL};

    expect_store(RUN(NULL, NULL, out, "--config", conf, "store", "list"), out, "FILEA");
    expect_store(RUN(NULL, NULL, out, "store", "list", "--config", conf), out, "FILEA");
    expect_store(RUN(NULL, cfgenv, out, "store", "list"), out, "FILEA");
    expect_store(RUN(NULL, env, out, "--config", conf, "store", "list"), out, "ENVB");
    expect_store(RUN(NULL, both, out, "store", "list"), out, "ENVB");
    expect_store(RUN(NULL, env, out, "--config", conf, "store", "list", "--db", flag_db), out,
                 "FLAGC");
    expect_store(RUN(NULL, NULL, out, "--config", conf, "--db", flag_db, "store", "list"), out,
                 "FLAGC");
    /* dms.conf in the current folder is read without --config. */
    char local[700];
    snprintf(local, sizeof local, "%s/dms.conf", dir);
    write_text(local, text);
    expect_store(RUN(dir, NULL, out, "store", "list"), out, "FILEA");
    expect_store(RUN(dir, env, out, "store", "list"), out, "ENVB");
    expect_store(RUN(dir, NULL, out, "store", "list", "--db", flag_db), out, "FLAGC");
    /* A config file that cannot be read, or has an unknown key, is an error. */
    assert_true(RUN(NULL, NULL, out, "--config", "/nonexistent/dms.conf", "store", "list") != 0);
    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.conf", dir);
    write_text(bad, "colour = blue\n");
    int rc = RUN(NULL, NULL, out, "--config", bad, "store", "list");
    assert_true(rc != 0 && rc < 128);
    assert_non_null(strstr(out, "colour"));
    const char *values[] = {"db_pool = 0\n", "db_pool = lots\n", "session_hours = 0\n",
                            "session_hours = -3\n", "this line has no equals sign\n"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        snprintf(text, sizeof text, "db = %s\n%s", file_db, values[i]);
        write_text(bad, text);
        rc = RUN(NULL, NULL, out, "--config", bad, "store", "list");
        if (rc == 0 || rc >= 128)
            print_error("config %s: rc %d\n", values[i], rc);
        assert_true(rc != 0 && rc < 128);
    }
    /* Quoted values are unquoted. */
    snprintf(text, sizeof text, "db = \"%s\"\n", file_db);
    write_text(bad, text);
    expect_store(RUN(NULL, NULL, out, "--config", bad, "store", "list"), out, "FILEA");
}

/* ---- serve ---- */

/* A server started by hand with some settings: waits for its port file. */
struct manual {
    pid_t pid;
    int port;
};

static void manual_start(struct manual *m, const char *cwd, const char *const *env,
                         const char *const *args)
{
    char log[700], port_file[700];
    snprintf(log, sizeof log, "%s/manual-%u.log", SRV->dir, uniq());
    snprintf(port_file, sizeof port_file, "%s/manual.port", SRV->dir);
    unlink(port_file);
    const char *argv[24];
    int n = 0;
    for (const char *const *a = args; *a && n < 20; a++)
        argv[n++] = *a;
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    argv[n] = NULL;
    m->pid = dms_spawn(cwd, env, log, argv);
    m->port = 0;
    for (int i = 0; i < 3000 && !m->port; i++) {
        char text[32];
        read_file(port_file, text, sizeof text);
        m->port = atoi(text);
        int status;
        if (!m->port && waitpid(m->pid, &status, WNOHANG) == m->pid) {
            print_error("dms serve exited early; see %s\n", log);
            m->pid = 0;
            fail();
        }
        if (!m->port)
            sleep_ms(10);
    }
    assert_true(m->port > 0);
}

static int manual_stop(struct manual *m)
{
    kill(m->pid, SIGTERM);
    int rc = dms_wait(m->pid, 30000);
    m->pid = 0;
    return rc;
}

/* Signs in on the manual server and returns the session's length in seconds. */
static long session_seconds(int port, const char *user)
{
    struct server *keep = SRV, other = *SRV;
    other.port = port;
    snprintf(other.base, sizeof other.base, "http://127.0.0.1:%d", port);
    SRV = &other;
    struct resp r = http("POST", "/api/v1/session", NULL, session_body(user, TEST_PASSWORD));
    SRV = keep;
    json_t *j = json_incref(expect(&r, 201));
    resp_free(&r);
    struct tm tm = {0};
    const char *exp = json_string_value(json_object_get(j, "expires_at"));
    assert_non_null(exp);
    assert_non_null(strptime(exp, "%Y-%m-%dT%H:%M:%SZ", &tm));
    long secs = (long)(timegm(&tm) - time(NULL));
    json_decref(j);
    return secs;
}

static void test_cli_serve_takes_listen_and_session_hours_from_settings(void **state)
{
    (void)state;
    const char *url = db_with_store("serve", "SRV1");
    char out[4096];
    const char *pwenv[] = {"DMS_PASSWORD=" TEST_PASSWORD, NULL};
    assert_int_equal(RUN(NULL, pwenv, out, "--db", url, "user", "add", "--username", "runner",
                         "--role", "advisor", "--store", "SRV1"),
                     0);
    int p1 = free_port(), p2 = free_port(), p3 = free_port();
    char dir[640], conf[700], text[900], listen_env[64], hours_env[64], flag[64];
    snprintf(dir, sizeof dir, "%s/serve-%u", SRV->dir, uniq());
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(conf, sizeof conf, "%s/dms.conf", dir);
    snprintf(text, sizeof text, "db = %s\nlisten = 127.0.0.1:%d\nsession_hours = 1\ndb_pool = 2\n",
             url, p1);
    write_text(conf, text);
    struct manual m;
    /* From the file. */
    manual_start(&m, NULL, NULL, (const char *const[]){"--config", conf, "serve", "--quiet", NULL});
    assert_int_equal(m.port, p1);
    long secs = session_seconds(m.port, "runner");
    assert_true(secs > 3600 - 120 && secs <= 3600 + 5);
    assert_int_equal(manual_stop(&m), 0);
    /* The environment over the file. */
    snprintf(listen_env, sizeof listen_env, "DMS_LISTEN=127.0.0.1:%d", p2);
    snprintf(hours_env, sizeof hours_env, "DMS_SESSION_HOURS=3");
    const char *env[] = {listen_env, hours_env, NULL};
    manual_start(&m, dir, env, (const char *const[]){"serve", "--quiet", NULL});
    assert_int_equal(m.port, p2);
    secs = session_seconds(m.port, "runner");
    assert_true(secs > 3 * 3600 - 120 && secs <= 3 * 3600 + 5);
    assert_int_equal(manual_stop(&m), 0);
    /* The flag over both. */
    snprintf(flag, sizeof flag, "127.0.0.1:%d", p3);
    manual_start(&m, dir, env, (const char *const[]){"--listen", flag, "serve", "--quiet", NULL});
    assert_int_equal(m.port, p3);
    assert_int_equal(manual_stop(&m), 0);
}

static void test_cli_serve_fails_on_a_port_in_use(void **state)
{
    (void)state;
    const char *url = db_with_store("inuse", "USE1");
    char out[4096], where[64];
    /* A port held by some other program. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    snprintf(where, sizeof where, "127.0.0.1:%d", ntohs(a.sin_port));
    /* Bounded: a server that did start is killed after 15 s. */
    const char *args[] = {"--db", url, "serve", "--listen", where, "--quiet", NULL};
    int rc = dms_run_for(15000, NULL, NULL, out, sizeof out, args);
    close(fd);
    if (rc == 0 || rc == -1)
        print_error("serve on a taken port: rc %d: %s\n", rc, out);
    assert_true(rc > 0 && rc < 128);
    /* Addresses that cannot be listened on at all. */
    const char *bad[] = {"127.0.0.1:99999", "127.0.0.1", "no-such-host.invalid:80", "[::1:80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *bad_args[] = {"--db", url, "serve", "--listen", bad[i], "--quiet", NULL};
        rc = dms_run_for(15000, NULL, NULL, out, sizeof out, bad_args);
        if (rc == 0 || rc == -1)
            print_error("serve --listen %s: rc %d: %s\n", bad[i], rc, out);
        assert_true(rc > 0 && rc < 128);
    }
    /* The port of the running dms server: a second server must not share it. */
    snprintf(where, sizeof where, "127.0.0.1:%d", SRV->port);
    rc = dms_run_for(15000, NULL, NULL, out, sizeof out, args);
    if (rc == 0 || rc == -1)
        print_error("serve on the port of a running dms: rc %d (-1: still running after 15 s): "
                    "%s\n",
                    rc, out);
    assert_true(rc > 0 && rc < 128);
    json_decref(call("GET", "/healthz", NULL, NULL, 200));
}

/* ---- graceful stop ---- */

struct burst {
    const char *base;
    atomic_bool *stop;
    double sigterm_at; /* set by the main thread; 0 until then */
    atomic_int *sigterm_sent;
    /* Results, per thread. */
    int answered, after_signal, bad, conn_errors;
    char detail[256];
};

static void *burst_thread(void *p)
{
    struct burst *b = p;
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(b->detail, sizeof b->detail, "curl_easy_init failed");
        b->bad++;
        return NULL;
    }
    const char *body = "{\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\"}";
    /* Bounded: at most 400 requests per thread, and it stops when the server is gone. */
    for (int i = 0; i < 400 && !atomic_load(b->stop); i++) {
        int signalled_before = atomic_load(b->sigterm_sent);
        struct http_answer r = http_call_on(h, b->base, "POST", "/api/v1/session", NULL, body);
        if (r.rc == CURLE_COULDNT_CONNECT || r.rc == CURLE_GOT_NOTHING ||
            (r.rc == CURLE_RECV_ERROR && r.status == 0) ||
            (r.rc == CURLE_SEND_ERROR && r.status == 0)) {
            /* Refused or closed before an answer began: allowed once the server stops. */
            b->conn_errors++;
            if (!atomic_load(b->sigterm_sent)) {
                b->bad++;
                snprintf(b->detail, sizeof b->detail, "connection error before SIGTERM: %s",
                         curl_easy_strerror(r.rc));
            }
            json_decref(r.json);
            if (r.rc == CURLE_COULDNT_CONNECT)
                break;
            continue;
        }
        if (r.rc != CURLE_OK || r.status != 201 || !r.json ||
            !json_is_string(json_object_get(r.json, "token"))) {
            b->bad++;
            char *text = r.json ? json_dumps(r.json, JSON_COMPACT) : NULL;
            snprintf(b->detail, sizeof b->detail, "curl %d (%s), HTTP %ld: %.120s", (int)r.rc,
                     curl_easy_strerror(r.rc), r.status, text ? text : "(no JSON)");
            free(text);
        } else {
            __atomic_add_fetch(&b->answered, 1, __ATOMIC_RELAXED);
            /* Sent before the signal, answered after it: it was in flight. */
            if (signalled_before == 0 && atomic_load(b->sigterm_sent))
                b->after_signal++;
        }
        json_decref(r.json);
    }
    curl_easy_cleanup(h);
    return NULL;
}

static void test_cli_sigterm_finishes_requests_in_flight(void **state)
{
    (void)state;
    struct server other;
    assert_int_equal(srv_start(&other, "cli-drain"), 0);
    enum { THREADS = 8 };
    atomic_bool stop = false;
    atomic_int sent = 0;
    struct burst b[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&b[i], 0, sizeof b[i]);
        b[i].base = other.base;
        b[i].stop = &stop;
        b[i].sigterm_sent = &sent;
        assert_int_equal(pthread_create(&th[i], NULL, burst_thread, &b[i]), 0);
    }
    /* Let the burst get going (bounded), then stop the server in the middle of it. */
    double t0 = mono_s();
    for (;;) {
        int answered = 0;
        for (int i = 0; i < THREADS; i++)
            answered += __atomic_load_n(&b[i].answered, __ATOMIC_RELAXED);
        if (answered >= 2 * THREADS || mono_s() - t0 > 30)
            break;
        sleep_ms(20);
    }
    atomic_store(&sent, 1);
    int rc = srv_stop(&other);
    atomic_store(&stop, true);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    int answered = 0, after = 0, bad = 0;
    for (int i = 0; i < THREADS; i++) {
        answered += b[i].answered;
        after += b[i].after_signal;
        bad += b[i].bad;
        if (b[i].bad)
            print_error("thread %d: %s\n", i, b[i].detail);
    }
    print_message("burst: %d answered, %d of them in flight at SIGTERM\n", answered, after);
    /* Every answer was whole; the process exited 0; requests in flight were finished. */
    assert_int_equal(bad, 0);
    assert_int_equal(rc, 0);
    assert_true(answered >= 2 * THREADS);
    assert_true(after >= 1);
    char log[700], text[65536];
    snprintf(log, sizeof log, "%s/server.log", other.dir);
    read_file(log, text, sizeof text);
    assert_non_null(strstr(text, "stopped"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_migrate_is_idempotent),
        cmocka_unit_test(test_cli_migrate_applies_a_missing_migration),
        cmocka_unit_test(test_cli_store_add_and_list),
        cmocka_unit_test(test_cli_user_add_rejects_bad_input),
        cmocka_unit_test(test_cli_user_add_counts_password_characters),
        cmocka_unit_test(test_cli_user_add_generates_a_one_time_password),
        cmocka_unit_test(test_cli_user_disable_and_enable),
        cmocka_unit_test(test_cli_user_passwd),
        cmocka_unit_test(test_cli_user_list_shows_users_by_store),
        cmocka_unit_test(test_cli_version_help_and_unknown_command),
        cmocka_unit_test(test_cli_db_flag_after_the_subcommand),
        cmocka_unit_test(test_cli_dms_db_environment),
        cmocka_unit_test(test_cli_config_file_and_precedence),
        cmocka_unit_test(test_cli_serve_takes_listen_and_session_hours_from_settings),
        cmocka_unit_test(test_cli_serve_fails_on_a_port_in_use),
        cmocka_unit_test(test_cli_sigterm_finishes_requests_in_flight),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
