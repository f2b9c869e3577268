/* Running `dms` commands and servers side by side, for the tests and probes of concurrency
 * between processes (several `dms appointments remind` at once, several `dms serve` on one
 * database, a `dms outbox send` while another one holds a message). srv_cli() waits for its
 * command; these do not. Everything started is reaped by the caller. */
#ifndef DMS_TEST_SPAWN_H
#define DMS_TEST_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "harness.h"

struct child {
    pid_t pid;
    int fd; /* the read end of its stdout+stderr (-1 when it writes to a file) */
};

/* Starts `dms --db <s's database> ARGS...` (NULL-terminated) with the server's clock
 * (srv_clock_set) and the extra "K=V" entries of env (NULL-terminated, may be NULL); its
 * output goes to a pipe that child_wait() reads. Ends the program when fork fails. */
void child_start(struct child *c, struct server *s, const char *const *env, ...);
/* Reads the child's output into out (NUL-terminated, cut at cap) until it exits; returns its
 * exit status (128 + signal when killed). */
int child_wait(struct child *c, char *out, size_t cap);

/* A second (third ...) `dms serve` on the database of s, on a port of its own, with the
 * server's clock and env on top of the test process's environment (the morning run and the
 * appointment reminders off unless env turns them on); its log is
 * <s->dir>/<name>.log. Waits (bounded) until it listens; fills twin's base and port. The
 * database is s's: stop the twin with twin_stop(), never srv_stop(). */
void twin_start(struct server *twin, const struct server *s, const char *name,
                const char *const *env);
/* SIGTERM and reap (bounded, SIGKILL after 30 s); the exit status, or -1 when killed. */
int twin_stop(struct server *twin);

#endif
