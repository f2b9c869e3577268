/* dms: after-sales service management for car dealerships. The entry point: global
 * settings, then one subcommand. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/migrate.h"

#ifndef DMS_VERSION
#define DMS_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
    fprintf(
        f, "usage: dms [--db URL] [--listen HOST:PORT] [--config FILE] COMMAND [ARGS]\n"
           "\n"
           "commands:\n"
           "  serve [--demo] [--port-file FILE] [--quiet] [--web-dir DIR]\n"
           "                      run the server until SIGTERM (--demo: load demo data into an\n"
           "                      empty database and print the one-time admin password)\n"
           "  migrate             create or upgrade the database schema\n"
           "  store add --code CODE --name NAME [--timezone ZONE]\n"
           "  store list\n"
           "  user add --username U --role ROLE --store CODE [--display-name NAME]\n"
           "                      (password from DMS_PASSWORD, else generated and printed)\n"
           "  user list [--store CODE]\n"
           "  user passwd USERNAME   (password from DMS_PASSWORD, else generated and printed)\n"
           "  user disable USERNAME\n"
           "  user enable USERNAME\n"
           "  demo [--store CODE] [--customers N] [--seed N]\n"
           "                      load the demo data set into a new store\n"
           "  tasks generate [--date YYYY-MM-DD] [--store CODE]\n"
           "  customers classify [--date YYYY-MM-DD] [--store CODE] [--nightly]\n"
           "                      make a day's call lists and reminder messages (idempotent)\n"
           "  outbox send         send the queued messages once\n"
           "  report calls (--month YYYY-MM | --date YYYY-MM-DD) [--store CODE]\n"
           "                      the call lists' counts, reach and booking rates\n"
           "  report workshop (--month YYYY-MM | --date YYYY-MM-DD) [--store CODE]\n"
           "                      RO-8: orders by kind and source, booking share, waits, hours,\n"
           "                      revenue per payer, on-time delivery, comebacks\n"
           "  report call-quality --month YYYY-MM [--store CODE]\n"
           "                      IN-21: the 9-point booking-call check per advisor\n"
           "  schedule recompute [--store CODE]\n"
           "                      every vehicle's next service again\n"
           "  calendar import --store CODE FILE\n"
           "                      holidays and make-up working days "
           "(data/cn-public-holidays-2026.tsv)\n"
           "  appointments slots|book|board|remind|no-shows --store CODE ...\n"
           "                      the booking call: options, booking, the day's board, reminders,\n"
           "                      no-shows (RO-9)\n"
           "  complaints escalate [--store CODE]\n"
           "                      CS-6: overdue complaints to the service manager, once\n"
           "  backup FILE [--step-pages N]\n"
           "                      a consistent copy of the SQLite database, also while dms serve\n"
           "                      runs (PostgreSQL: pg_dump)\n"
           "  restore FILE        put a backup back (dms serve stopped; the replaced database\n"
           "                      is kept as DB.before-restore)\n"
           "  version             print the version\n"
           "  help                print this text\n"
           "\n"
           "settings (flag > environment > config file > default):\n"
           "  --db       DMS_DB       db =        sqlite:var/dms.db | postgres://user@host/db\n"
           "  --listen   DMS_LISTEN   listen =    127.0.0.1:8080\n"
           "  --config   DMS_CONFIG   (file; dms.conf in the current folder when present)\n"
           "             DMS_DB_POOL  db_pool =   8 connections\n"
           "             DMS_SESSION_HOURS session_hours = 12\n"
           "             DMS_SMTP_HOST smtp_host, smtp_port (25), smtp_starttls, smtp_user,\n"
           "                           smtp_password, smtp_from (dms@localhost)\n"
           "             DMS_SMS_URL  sms_url, sms_secret (the SMS gateway, docs/sms-gateway.md)\n"
           "             DMS_WORKER_INTERVAL_MS worker_interval_ms = 5000\n"
           "             DMS_OUTBOX_LEASE_SECONDS outbox_lease_seconds = 300\n"
           "             DMS_MORNING_RUN morning_run = on (generate each store's day)\n"
           "             DMS_APPOINTMENT_REMINDERS appointment_reminders = on (IN-16)\n"
           "             DMS_NO_SHOWS no_shows = on (RO-9)\n"
           "             DMS_COMPLAINT_ESCALATION complaint_escalation = on (CS-6)\n"
           "roles: advisor caller service_manager parts_manager workshop warranty admin\n");
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "dms: cannot initialise libsodium\n");
        return 1;
    }
    /* libcurl's global state, before any thread exists (the outbox's channels). */
    if (curl_global_init(CURL_GLOBAL_ALL) != 0) {
        fprintf(stderr, "dms: cannot initialise libcurl\n");
        return 1;
    }
    struct cli c;
    int rc = cli_configure(&c, argc, argv);
    if (rc != 0) {
        cli_free(&c);
        curl_global_cleanup();
        return rc;
    }
    const char *cmd = c.argc > 0 ? c.argv[0] : NULL;
    if (!cmd || strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(cmd ? stdout : stderr);
        rc = cmd ? 0 : 2;
    } else if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("dms %s (schema %d)\n", DMS_VERSION, store_latest_version());
        rc = 0;
    } else if (strcmp(cmd, "serve") == 0) {
        rc = cmd_serve(&c);
    } else if (strcmp(cmd, "migrate") == 0) {
        rc = cmd_migrate(&c);
    } else if (strcmp(cmd, "user") == 0) {
        rc = cmd_user(&c);
    } else if (strcmp(cmd, "store") == 0) {
        rc = cmd_store(&c);
    } else if (strcmp(cmd, "demo") == 0) {
        rc = cmd_demo(&c);
    } else if (strcmp(cmd, "tasks") == 0) {
        rc = cmd_tasks(&c);
    } else if (strcmp(cmd, "customers") == 0) {
        rc = cmd_customers(&c);
    } else if (strcmp(cmd, "outbox") == 0) {
        rc = cmd_outbox(&c);
    } else if (strcmp(cmd, "report") == 0) {
        rc = cmd_report(&c);
    } else if (strcmp(cmd, "schedule") == 0) {
        rc = cmd_schedule(&c);
    } else if (strcmp(cmd, "calendar") == 0) {
        rc = cmd_calendar(&c);
    } else if (strcmp(cmd, "appointments") == 0) {
        rc = cmd_appointments(&c);
    } else if (strcmp(cmd, "complaints") == 0) {
        rc = cmd_complaints(&c);
    } else if (strcmp(cmd, "backup") == 0) {
        rc = cmd_backup(&c);
    } else if (strcmp(cmd, "restore") == 0) {
        rc = cmd_restore(&c);
    } else {
        fprintf(stderr, "dms: unknown command '%s'\n\n", cmd);
        usage(stderr);
        rc = 2;
    }
    cli_free(&c);
    curl_global_cleanup();
    return rc;
}
