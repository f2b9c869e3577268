/* The command line: global settings (flag > DMS_* environment > config file > default),
 * and one function per subcommand, as git's builtin/. */
#ifndef DMS_CLI_CLI_H
#define DMS_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/ipaddr.h"
#include "core/throttle.h"
#include "store/store.h"
#include "store/stores.h"

struct cli {
    const char *db_url;
    const char *listen;
    const char *config_path;
    int db_pool;
    int64_t session_ttl; /* seconds */
    bool access_log;
    /* The outbox's channels (notify/) and the background worker of dms serve. */
    const char *smtp_host, *smtp_user, *smtp_password, *smtp_from;
    int smtp_port;
    bool smtp_starttls;
    const char *sms_url, *sms_secret;
    int worker_interval_ms; /* how often dms serve looks for messages to send and days to start */
    int outbox_lease_s;     /* how long a claimed message is held before it may be sent again */
    const char *web_dir;    /* dms serve: the web console from this folder, not the built-in one */
    bool morning_run;       /* dms serve generates each store's day at its generate_at */
    bool appointment_reminders; /* dms serve queues IN-16's reminders as they fall due */
    bool no_shows;              /* dms serve marks RO-9's no-shows after closing */
    bool complaint_escalation;  /* dms serve escalates CS-6's overdue complaints */
    /* dms serve's connection limits and deadlines (issue 11, defect 4; http.h) */
    int max_connections, max_connections_per_address;
    int header_timeout_s, body_timeout_s, idle_timeout_s;
    /* Sign-in (issue 11, defect 3): proxies whose X-Forwarded-* are believed, Secure cookies
     * (0 auto, 1 on, 2 off: enum cookie_secure), failed sign-in limits, hashes at once. */
    struct ip_ranges trusted_proxies;
    int cookie_secure;
    struct login_limits login;
    int hash_slots; /* 0: one per CPU */
    /* The subcommand's own arguments (after global flags are taken out). */
    int argc;
    char **argv;
};

/* Resolves settings from argv, environment and config file. Returns 0, or prints the
 * problem and returns 2 (usage) / 1. */
int cli_configure(struct cli *c, int argc, char **argv);
void cli_free(struct cli *c);

/* Options of a subcommand: --name VALUE, --flag. Unknown options are an error. */
struct cli_opt {
    const char *name;   /* without the leading dashes */
    const char **value; /* for options with a value */
    bool *flag;         /* for flags */
};
/* Parses c->argv[from..]; positional arguments go to pos (up to max_pos). Returns the
 * number of positional arguments, or -1 after printing an error. */
int cli_parse(const struct cli *c, int from, const struct cli_opt *opts, const char **pos,
              int max_pos);

/* Opens the database and applies pending migrations; prints errors. NULL on failure. */
struct db *cli_open_db(const struct cli *c);
/* An actor for command-line writes (audit log: "cli"). */
void cli_actor(struct actor *a, int64_t store_id);
/* An actor for command-line writes in store s, with the store's own "today". */
void cli_store_actor(struct actor *a, const struct store_info *s);
/* A random password for one-time use (16 characters). */
void cli_random_password(char out[32]);
int cli_fail(const char *what, const struct dms_error *err);

int cmd_serve(struct cli *c);
int cmd_migrate(struct cli *c);
int cmd_user(struct cli *c);
int cmd_store(struct cli *c);
int cmd_demo(struct cli *c);
int cmd_tasks(struct cli *c);
int cmd_customers(struct cli *c);
int cmd_outbox(struct cli *c);
int cmd_report(struct cli *c);
int cmd_schedule(struct cli *c);
int cmd_calendar(struct cli *c);
int cmd_appointments(struct cli *c);
/* dms backup FILE, dms restore FILE (cmd_backup.c): SQLite only. */
int cmd_backup(struct cli *c);
int cmd_restore(struct cli *c);
/* IN-16: queues the store's reminders due now, in one transaction (cmd_appointments.c; dms
 * serve's worker calls it too). */
int cli_remind(struct db *db, const struct store_info *s, int *queued, struct dms_error *err);
/* RO-9: appointments_no_shows for store s in a transaction of its own, as the scheduler. */
int cli_no_shows(struct db *db, const struct store_info *s, int *marked, int *released,
                 struct dms_error *err);

/* CS-6: complaints_escalate_overdue for store s in a transaction of its own, as the
 * scheduler (cmd_complaints.c; dms serve's worker calls it too). */
int cli_escalate_complaints(struct db *db, const struct store_info *s, int *escalated,
                            struct dms_error *err);
int cmd_complaints(struct cli *c);

/* ---- the background work of dms serve (worker.c) ---- */
struct dispatch_config;
/* The dispatcher's settings from the configuration. */
void cli_dispatch_config(const struct cli *c, struct dispatch_config *out);
/* Starts the thread that sends the outbox and starts each store's day at its generate_at
 * time (store-local); NULL with err filled when it cannot start. */
struct worker *worker_start(const struct cli *c, struct dms_error *err);
/* Stops it (waits for the pass in progress). */
void worker_stop(struct worker *w);
/* Runs a callback for each store chosen by --store CODE (all stores when NULL). Prints and
 * returns 1 for an unknown code. */
int cli_each_store(struct db *db, const char *code,
                   int (*fn)(void *ctx, struct db *db, const struct store_info *s), void *ctx);

/* Loads the demo data set into a new store `code` (demo.c): one store, ~customers
 * customers with vehicles and service history, and one staff user per role. Prints the
 * users and their one-time passwords to stdout. */
int demo_load(struct db *db, const char *code, int customers, unsigned seed, bool print);
/* The demo store's workshop, parts master and a few days of bookings (demo_workshop.c). */
int demo_workshop(struct db *db, const struct actor *setup, const struct actor *advisor,
                  struct dms_error *err);

#endif
