/* dms serve: run the HTTP server in the foreground until SIGTERM or SIGINT, then finish
 * the requests in flight and exit 0. With --demo, an empty database first gets the demo
 * data set and a one-time administrator password. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cli/cli.h"
#include "http/http.h"
#include "store/stores.h"
#include "store/users.h"
#include "store/zones.h"

static int prepare(struct cli *c, bool demo)
{
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    int rc = 0;
    struct dms_error err = {0};
    int64_t stores = 0;
    if (demo && stores_count(db, &stores, &err) < 0)
        rc = cli_fail("database", &err);
    else if (demo && stores == 0)
        rc = demo_load(db, "DEMO", 200, 20261125u, true);
    db_close(db);
    return rc;
}

/* Every connection is a file descriptor: with the default soft limit of 1,024 the server
 * would run out before its connection limit. The soft limit is raised to the hard one when
 * it is short; when even the hard one is, fewer connections are served. Both are logged. */
static void fit_fd_limit(struct server_config *cfg)
{
    struct rlimit rl;
    int need = server_fds_needed(cfg);
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= (rlim_t)need)
        return;
    rlim_t was = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (rl.rlim_max > was && setrlimit(RLIMIT_NOFILE, &rl) == 0)
        fprintf(stderr,
                "dms: open files limit raised from %llu to %llu (the connection limits need "
                "%d)\n",
                (unsigned long long)was, (unsigned long long)rl.rlim_cur, need);
    else
        rl.rlim_cur = was;
    int asked = cfg->max_connections;
    while (rl.rlim_cur < (rlim_t)server_fds_needed(cfg) && cfg->max_connections > 16)
        cfg->max_connections -= cfg->max_connections / 8 > 1 ? cfg->max_connections / 8 : 1;
    if (cfg->max_connections < asked)
        fprintf(stderr,
                "dms: only %llu open files allowed (ulimit -n): serving %d connections at once "
                "instead of max_connections = %d\n",
                (unsigned long long)rl.rlim_cur, cfg->max_connections, asked);
}

int cmd_serve(struct cli *c)
{
    bool demo = false, quiet = false;
    const char *port_file = NULL, *web_dir = NULL;
    struct cli_opt opts[] = {{"demo", NULL, &demo},
                             {"web-dir", &web_dir, NULL},
                             {"quiet", NULL, &quiet},
                             {"port-file", &port_file, NULL},
                             {NULL, NULL, NULL}};
    if (cli_parse(c, 1, opts, NULL, 0) < 0)
        return 2;
    if (prepare(c, demo) != 0)
        return 1;

    /* Signals are taken by sigwait() in this thread only: block them before the server's
     * threads start so that they inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server_config cfg = {
        .db_url = c->db_url,
        .listen = c->listen,
        .db_pool = c->db_pool,
        .session_ttl = c->session_ttl,
        .access_log = c->access_log && !quiet,
        .sms_secret = c->sms_secret,
        .web_dir = web_dir ? web_dir : c->web_dir,
        .max_connections = c->max_connections,
        .max_connections_per_address = c->max_connections_per_address,
        .header_timeout_s = c->header_timeout_s,
        .body_timeout_s = c->body_timeout_s,
        .idle_timeout_s = c->idle_timeout_s,
        .trusted_proxies = c->trusted_proxies,
        .cookie_secure = (enum cookie_secure)c->cookie_secure,
        .login = c->login,
    };
    credentials_configure(c->hash_slots);
    fit_fd_limit(&cfg);
    struct dms_error err = {0};
    struct server *s = server_start(&cfg, &err);
    if (!s)
        return cli_fail("serve", &err);
    char host[128];
    snprintf(host, sizeof host, "%s", c->listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    printf("dms listening on http://%s:%d (database %s)\n", host, server_port(s),
           strncmp(c->db_url, "sqlite:", 7) == 0 ? c->db_url : "postgres");
    fflush(stdout);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", server_port(s));
            fclose(f);
        }
    }
    /* The outbox and the morning runs (MR-2, MR-3). */
    struct worker *w = worker_start(c, &err);
    if (!w) {
        server_stop(s);
        return cli_fail("worker", &err);
    }
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "dms: %s received, finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server_stop(s);
    worker_stop(w);
    zones_free_all();
    fprintf(stderr, "dms: stopped\n");
    return 0;
}
