/* Settings: defaults, then the config file (INI), then DMS_* environment variables, then
 * flags, each overriding the one before. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/date.h"
#include "core/ini.h"
#include "core/ipaddr.h"
#include "core/throttle.h"
#include "store/clock.h"
#include "store/migrate.h"

/* Strings owned by the configuration (from the file) are kept here and freed at exit. */
static char *owned[32];
static int n_owned;

static const char *keep(const char *s)
{
    if (n_owned == (int)(sizeof owned / sizeof owned[0]))
        return NULL;
    return owned[n_owned++] = strdup(s);
}

static int parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static bool truthy(const char *v)
{
    return strcmp(v, "0") != 0 && strcmp(v, "false") != 0 && strcmp(v, "off") != 0 &&
           strcmp(v, "no") != 0;
}

/* A connection deadline of dms serve: 1 s to an hour. */
static int set_seconds(const char *key, const char *value, const char *where, int *out)
{
    long v;
    if (parse_int(value, 1, 3600, &v) < 0) {
        fprintf(stderr, "dms: %s: %s must be 1-3600\n", where, key);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* The limits on failed sign-ins (core/throttle.h) and the hashes at once. The waits and the
 * forgetting are the same for accounts and addresses; the free failures differ. */
static int set_login(struct cli *c, const char *key, const char *value, const char *where)
{
    struct login_limits *l = &c->login;
    const struct {
        const char *key;
        long min, max, unit;
        int64_t *account, *address;
    } keys[] = {
        {"login_free_failures", 1, 1000, 1, &l->account.free, NULL},
        {"login_address_free_failures", 1, 100000, 1, NULL, &l->address.free},
        {"login_lock_seconds", 1, 86400, 1, &l->account.first_s, &l->address.first_s},
        {"login_lock_max_seconds", 1, 7 * 86400, 1, &l->account.max_s, &l->address.max_s},
        {"login_forget_hours", 1, 24 * 365, 3600, &l->account.forget_s, &l->address.forget_s},
    };
    long v;
    if (strcmp(key, "hash_slots") == 0) {
        if (parse_int(value, 0, 256, &v) < 0) {
            fprintf(stderr, "dms: %s: hash_slots must be 0 (one per CPU)-256\n", where);
            return -1;
        }
        c->hash_slots = (int)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(key, keys[i].key) != 0)
            continue;
        if (parse_int(value, keys[i].min, keys[i].max, &v) < 0) {
            fprintf(stderr, "dms: %s: %s must be %ld-%ld\n", where, key, keys[i].min, keys[i].max);
            return -1;
        }
        if (keys[i].account)
            *keys[i].account = (int64_t)v * keys[i].unit;
        if (keys[i].address)
            *keys[i].address = (int64_t)v * keys[i].unit;
        return 0;
    }
    fprintf(stderr, "dms: %s: unknown setting '%s'\n", where, key);
    return -1;
}

static int set(struct cli *c, const char *key, const char *value, const char *where)
{
    long v;
    if (strcmp(key, "db") == 0) {
        c->db_url = value;
    } else if (strcmp(key, "listen") == 0) {
        c->listen = value;
    } else if (strcmp(key, "web_dir") == 0) {
        c->web_dir = value;
    } else if (strcmp(key, "db_pool") == 0) {
        if (parse_int(value, 1, 256, &v) < 0) {
            fprintf(stderr, "dms: %s: db_pool must be 1-256\n", where);
            return -1;
        }
        c->db_pool = (int)v;
    } else if (strcmp(key, "session_hours") == 0) {
        if (parse_int(value, 1, 24 * 30, &v) < 0) {
            fprintf(stderr, "dms: %s: session_hours must be 1-720\n", where);
            return -1;
        }
        c->session_ttl = v * 3600;
    } else if (strcmp(key, "access_log") == 0) {
        c->access_log = truthy(value);
    } else if (strcmp(key, "smtp_host") == 0) {
        c->smtp_host = value;
    } else if (strcmp(key, "smtp_port") == 0) {
        if (parse_int(value, 1, 65535, &v) < 0) {
            fprintf(stderr, "dms: %s: smtp_port must be 1-65535\n", where);
            return -1;
        }
        c->smtp_port = (int)v;
    } else if (strcmp(key, "smtp_starttls") == 0) {
        c->smtp_starttls = truthy(value);
    } else if (strcmp(key, "smtp_user") == 0) {
        c->smtp_user = value;
    } else if (strcmp(key, "smtp_password") == 0) {
        c->smtp_password = value;
    } else if (strcmp(key, "smtp_from") == 0) {
        c->smtp_from = value;
    } else if (strcmp(key, "sms_url") == 0) {
        c->sms_url = value;
    } else if (strcmp(key, "sms_secret") == 0) {
        c->sms_secret = value;
    } else if (strcmp(key, "worker_interval_ms") == 0) {
        if (parse_int(value, 50, 3600000, &v) < 0) {
            fprintf(stderr, "dms: %s: worker_interval_ms must be 50-3600000\n", where);
            return -1;
        }
        c->worker_interval_ms = (int)v;
    } else if (strcmp(key, "morning_run") == 0) {
        c->morning_run = truthy(value);
    } else if (strcmp(key, "appointment_reminders") == 0) {
        c->appointment_reminders = truthy(value);
    } else if (strcmp(key, "no_shows") == 0) {
        c->no_shows = truthy(value);
    } else if (strcmp(key, "complaint_escalation") == 0) {
        c->complaint_escalation = truthy(value);
    } else if (strcmp(key, "outbox_lease_seconds") == 0) {
        if (parse_int(value, 1, 86400, &v) < 0) {
            fprintf(stderr, "dms: %s: outbox_lease_seconds must be 1-86400\n", where);
            return -1;
        }
        c->outbox_lease_s = (int)v;
    } else if (strcmp(key, "max_connections") == 0) {
        if (parse_int(value, 1, 100000, &v) < 0) {
            fprintf(stderr, "dms: %s: max_connections must be 1-100000\n", where);
            return -1;
        }
        c->max_connections = (int)v;
    } else if (strcmp(key, "max_connections_per_address") == 0) {
        if (parse_int(value, 0, 100000, &v) < 0) {
            fprintf(stderr, "dms: %s: max_connections_per_address must be 0 (no limit)-100000\n",
                    where);
            return -1;
        }
        c->max_connections_per_address = (int)v;
    } else if (strcmp(key, "header_timeout_seconds") == 0) {
        return set_seconds(key, value, where, &c->header_timeout_s);
    } else if (strcmp(key, "body_timeout_seconds") == 0) {
        return set_seconds(key, value, where, &c->body_timeout_s);
    } else if (strcmp(key, "idle_timeout_seconds") == 0) {
        return set_seconds(key, value, where, &c->idle_timeout_s);
    } else if (strcmp(key, "trusted_proxies") == 0) {
        struct dms_error err = {0};
        if (ipaddr_ranges_parse(value, &c->trusted_proxies, &err) < 0) {
            fprintf(stderr, "dms: %s: trusted_proxies: %s\n", where, err.message);
            return -1;
        }
    } else if (strcmp(key, "cookie_secure") == 0) {
        static const char *const modes[] = {"auto", "on", "off"};
        int m = 0;
        while (m < 3 && strcmp(value, modes[m]) != 0)
            m++;
        if (m == 3) {
            fprintf(stderr, "dms: %s: cookie_secure is auto, on or off\n", where);
            return -1;
        }
        c->cookie_secure = m;
    } else if (strncmp(key, "login_", 6) == 0 || strcmp(key, "hash_slots") == 0) {
        return set_login(c, key, value, where);
    } else {
        fprintf(stderr, "dms: %s: unknown setting '%s'\n", where, key);
        return -1;
    }
    return 0;
}

static int on_ini(void *ctx, const char *section, const char *key, const char *value, int line,
                  struct dms_error *err)
{
    struct cli *c = ctx;
    (void)section;
    const char *v = keep(value);
    char where[64];
    snprintf(where, sizeof where, "%s line %d", c->config_path, line);
    if (!v || set(c, key, v, where) < 0)
        return dms_fail(err, "invalid_config", NULL, "bad setting");
    return 0;
}

static int read_file(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = malloc(65537);
    size_t n = buf ? fread(buf, 1, 65536, f) : 0;
    fclose(f);
    if (!buf)
        return -1;
    buf[n] = '\0';
    *out = buf;
    return 0;
}

int cli_configure(struct cli *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->db_url = "sqlite:var/dms.db";
    c->listen = "127.0.0.1:8080";
    c->db_pool = 8;
    c->session_ttl = 12 * 3600;
    c->access_log = true;
    c->smtp_port = 25;
    c->smtp_from = "dms@localhost";
    c->worker_interval_ms = 5000;
    c->outbox_lease_s = 300;
    c->morning_run = true;
    c->appointment_reminders = true;
    c->no_shows = true;
    c->complaint_escalation = true;
    throttle_defaults(&c->login);
    /* A store's LAN: a few dozen browsers at up to six connections each. A dealer group
     * behind a proxy: raise max_connections_per_address (all clients share its address). */
    c->max_connections = 1000;
    c->max_connections_per_address = 64;
    c->header_timeout_s = 10;
    c->body_timeout_s = 60;
    c->idle_timeout_s = 30;

    /* Global flags may stand before or after the command. */
    const char *flag_db = NULL, *flag_listen = NULL, *flag_config = NULL;
    c->argv = calloc((size_t)argc + 1, sizeof *c->argv);
    if (!c->argv)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char **target = NULL;
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0)
            target = &flag_db;
        else if (strcmp(a, "--listen") == 0)
            target = &flag_listen;
        else if (strcmp(a, "--config") == 0)
            target = &flag_config;
        else if (strncmp(a, "--db=", 5) == 0)
            flag_db = a + 5;
        else if (strncmp(a, "--listen=", 9) == 0)
            flag_listen = a + 9;
        else if (strncmp(a, "--config=", 9) == 0)
            flag_config = a + 9;
        else
            c->argv[c->argc++] = argv[i];
        if (target) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dms: %s needs a value\n", a);
                return 2;
            }
            *target = argv[++i];
        }
    }

    const char *env_config = getenv("DMS_CONFIG");
    c->config_path = flag_config ? flag_config : env_config;
    bool explicit_config = c->config_path != NULL;
    if (!c->config_path && access("dms.conf", R_OK) == 0)
        c->config_path = "dms.conf";
    if (c->config_path) {
        char *text;
        if (read_file(c->config_path, &text) < 0) {
            if (explicit_config) {
                fprintf(stderr, "dms: cannot read config file %s\n", c->config_path);
                return 1;
            }
        } else {
            struct dms_error err = {0};
            int rc = ini_parse(text, on_ini, c, &err);
            free(text);
            if (rc != 0) {
                if (strcmp(err.message, "bad setting") != 0)
                    fprintf(stderr, "dms: %s: %s\n", c->config_path, err.message);
                return 1;
            }
        }
    }
    static const struct {
        const char *env, *key;
    } envs[] = {{"DMS_DB", "db"},
                {"DMS_LISTEN", "listen"},
                {"DMS_WEB_DIR", "web_dir"},
                {"DMS_DB_POOL", "db_pool"},
                {"DMS_SESSION_HOURS", "session_hours"},
                {"DMS_ACCESS_LOG", "access_log"},
                {"DMS_SMTP_HOST", "smtp_host"},
                {"DMS_SMTP_PORT", "smtp_port"},
                {"DMS_SMTP_STARTTLS", "smtp_starttls"},
                {"DMS_SMTP_USER", "smtp_user"},
                {"DMS_SMTP_PASSWORD", "smtp_password"},
                {"DMS_SMTP_FROM", "smtp_from"},
                {"DMS_SMS_URL", "sms_url"},
                {"DMS_SMS_SECRET", "sms_secret"},
                {"DMS_WORKER_INTERVAL_MS", "worker_interval_ms"},
                {"DMS_OUTBOX_LEASE_SECONDS", "outbox_lease_seconds"},
                {"DMS_MORNING_RUN", "morning_run"},
                {"DMS_APPOINTMENT_REMINDERS", "appointment_reminders"},
                {"DMS_NO_SHOWS", "no_shows"},
                {"DMS_COMPLAINT_ESCALATION", "complaint_escalation"},
                {"DMS_MAX_CONNECTIONS", "max_connections"},
                {"DMS_MAX_CONNECTIONS_PER_ADDRESS", "max_connections_per_address"},
                {"DMS_HEADER_TIMEOUT_SECONDS", "header_timeout_seconds"},
                {"DMS_BODY_TIMEOUT_SECONDS", "body_timeout_seconds"},
                {"DMS_IDLE_TIMEOUT_SECONDS", "idle_timeout_seconds"},
                {"DMS_TRUSTED_PROXIES", "trusted_proxies"},
                {"DMS_COOKIE_SECURE", "cookie_secure"},
                {"DMS_LOGIN_FREE_FAILURES", "login_free_failures"},
                {"DMS_LOGIN_ADDRESS_FREE_FAILURES", "login_address_free_failures"},
                {"DMS_LOGIN_LOCK_SECONDS", "login_lock_seconds"},
                {"DMS_LOGIN_LOCK_MAX_SECONDS", "login_lock_max_seconds"},
                {"DMS_LOGIN_FORGET_HOURS", "login_forget_hours"},
                {"DMS_HASH_SLOTS", "hash_slots"}};
    for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++) {
        const char *v = getenv(envs[i].env);
        if (v && *v && set(c, envs[i].key, v, envs[i].env) < 0)
            return 1;
    }
    if (!throttle_rule_ok(&c->login.account) || !throttle_rule_ok(&c->login.address)) {
        fprintf(stderr, "dms: login_forget_hours must be longer than login_lock_max_seconds, "
                        "which must be at least login_lock_seconds\n");
        return 1;
    }
    if (flag_db)
        c->db_url = flag_db;
    if (flag_listen)
        c->listen = flag_listen;
    return 0;
}

void cli_free(struct cli *c)
{
    free(c->argv);
    c->argv = NULL;
    for (int i = 0; i < n_owned; i++)
        free(owned[i]);
    n_owned = 0;
}

int cli_parse(const struct cli *c, int from, const struct cli_opt *opts, const char **pos,
              int max_pos)
{
    int n = 0;
    for (int i = from; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (n == max_pos) {
                fprintf(stderr, "dms: unexpected argument '%s'\n", a);
                return -1;
            }
            pos[n++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = opts;
        for (; o->name; o++) {
            if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
                break;
        }
        if (!o->name) {
            fprintf(stderr, "dms: unknown option '%s'\n", a);
            return -1;
        }
        if (o->flag) {
            *o->flag = true;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < c->argc) {
            *o->value = c->argv[++i];
        } else {
            fprintf(stderr, "dms: %s needs a value\n", a);
            return -1;
        }
    }
    return n;
}

int cli_fail(const char *what, const struct dms_error *err)
{
    fprintf(stderr, "dms: %s: %s%s%s%s\n", what, err->message, err->field[0] ? " (" : "",
            err->field, err->field[0] ? ")" : "");
    return 1;
}

struct db *cli_open_db(const struct cli *c)
{
    struct db *db;
    struct dms_error err = {0};
    if (db_open(c->db_url, &db, &err) < 0) {
        cli_fail("database", &err);
        return NULL;
    }
    if (store_migrate(db, NULL, &err) < 0) {
        cli_fail("migrate", &err);
        db_close(db);
        return NULL;
    }
    return db;
}

void cli_actor(struct actor *a, int64_t store_id)
{
    memset(a, 0, sizeof *a);
    a->store_id = store_id;
    a->role = ROLE_ADMIN;
    a->username = "cli";
    /* A store's own zone once cli_store_actor knows the store; the default zone before. */
    actor_set_clock(a, clock_now(), NULL);
}
