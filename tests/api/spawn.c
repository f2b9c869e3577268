/* See spawn.h. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dms_bin(void)
{
    const char *b = getenv("DMS_BIN");
    return b && *b ? b : "./dms";
}

static void put_env(const struct server *s, const char *const *env)
{
    char clock[640];
    snprintf(clock, sizeof clock, "%s/clock", s->dir);
    setenv("DMS_TEST_CLOCK_FILE", clock, 1);
    for (const char *const *e = env; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(eq - *e), *e);
        setenv(key, eq + 1, 1);
    }
}

void child_start(struct child *c, struct server *s, const char *const *env, ...)
{
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)dms_bin();
    argv[n++] = "--db";
    argv[n++] = s->db_url;
    va_list ap;
    va_start(ap, env);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 39)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    int fds[2];
    if (pipe(fds) < 0) {
        fprintf(stderr, "spawn: pipe: %s\n", strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "spawn: fork: %s\n", strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        put_env(s, env);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    c->pid = pid;
    c->fd = fds[0];
}

int child_wait(struct child *c, char *out, size_t cap)
{
    size_t used = 0;
    char sink[4096];
    for (;;) {
        char *dst = out && used + 1 < cap ? out + used : sink;
        size_t room = out && used + 1 < cap ? cap - used - 1 : sizeof sink;
        ssize_t k = read(c->fd, dst, room);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (dst != sink)
            used += (size_t)k;
    }
    close(c->fd);
    c->fd = -1;
    if (out && cap)
        out[used] = '\0';
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    c->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void twin_start(struct server *twin, const struct server *s, const char *name,
                const char *const *env)
{
    *twin = *s;
    char port_file[700], log[700];
    snprintf(port_file, sizeof port_file, "%s/%s.port", s->dir, name);
    snprintf(log, sizeof log, "%s/%s.log", s->dir, name);
    unlink(port_file);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "spawn: fork: %s\n", strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        /* As the harness's servers: no morning run and no reminders unless env asks. */
        setenv("DMS_MORNING_RUN", "off", 1);
        setenv("DMS_APPOINTMENT_REMINDERS", "off", 1);
        put_env(s, env);
        execl(dms_bin(), "dms", "--db", s->db_url, "serve", "--listen", "127.0.0.1:0",
              "--port-file", port_file, (char *)NULL);
        _exit(127);
    }
    twin->pid = pid;
    for (int i = 0; i < 3000; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int port = 0;
            bool ok = fscanf(f, "%d", &port) == 1 && port > 0;
            fclose(f);
            if (ok) {
                twin->port = port;
                snprintf(twin->base, sizeof twin->base, "http://127.0.0.1:%d", port);
                return;
            }
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "spawn: dms serve (%s) exited early; see %s\n", name, log);
            exit(1);
        }
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    fprintf(stderr, "spawn: dms serve (%s) did not start within 30 s; see %s\n", name, log);
    exit(1);
}

int twin_stop(struct server *twin)
{
    if (twin->pid <= 0)
        return -1;
    kill(twin->pid, SIGTERM);
    int status = 0, result = -1;
    for (int i = 0; i < 3000; i++) {
        pid_t w = waitpid(twin->pid, &status, WNOHANG);
        if (w == twin->pid) {
            result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        sleep_ms(10);
    }
    if (result < 0) {
        kill(twin->pid, SIGKILL);
        waitpid(twin->pid, &status, 0);
    }
    twin->pid = 0;
    return result;
}
