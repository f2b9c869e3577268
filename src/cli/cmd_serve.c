/* dms serve: run the HTTP server in the foreground until SIGTERM or SIGINT, then finish
 * the requests in flight and exit 0. With --demo, an empty database first gets the demo
 * data set and a one-time administrator password. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

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
    };
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
