/* /api/v1/session and /api/v1/me: signing in and out, and the signed-in user. The token
 * comes back in the body (for API clients: Authorization: Bearer) and as an HttpOnly,
 * SameSite=Strict cookie (for the browser), with a CSRF token the pages send back on
 * every write; cookies are marked Secure behind TLS (cookie_secure). A successful sign-in
 * also leaves a device cookie, which keeps its browser out of a lock a stranger's failed
 * attempts put on the account (store/logins.c). */
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "core/booking.h"
#include "core/ipaddr.h"
#include "http/http.h"
#include "store/logins.h"
#include "store/migrate.h"
#include "store/sessions.h"
#include "store/stores.h"
#include "store/users.h"

#define DEVICE_COOKIE_AGE (180 * 86400) /* seconds a browser stays a known device unused */

static void set_cookies(struct req *r, const char *token, const char *csrf, int64_t max_age)
{
    const char *secure = req_cookie_secure(r) ? "; Secure" : "";
    snprintf(r->cookies[0], sizeof r->cookies[0],
             "dms_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", token,
             (long long)max_age, secure);
    snprintf(r->cookies[1], sizeof r->cookies[1],
             "dms_csrf=%s; Path=/; SameSite=Strict; Max-Age=%lld%s", csrf, (long long)max_age,
             secure);
    r->n_cookies = 2;
}

/* The device cookie (OWASP's device cookies): sent only to sign-in, kept across sign-outs. */
static void set_device_cookie(struct req *r, const char *device)
{
    snprintf(r->cookies[2], sizeof r->cookies[2],
             "dms_device=%s; Path=/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=%d%s", device,
             DEVICE_COOKIE_AGE, req_cookie_secure(r) ? "; Secure" : "");
    r->n_cookies = 3;
}

static int refused(struct req *r)
{
    return req_fail(r, "unauthorized", NULL, "wrong username or password");
}

/* 429 with Retry-After, and the seconds in the body for the console. */
static int throttled(struct req *r, int64_t wait)
{
    r->retry_after = wait;
    json_decref(r->err_extra);
    r->err_extra = json_pack("{s:I}", "retry_after", (json_int_t)wait);
    return req_fail(r, "too_many_attempts", NULL,
                    "too many failed sign-ins; try again in %lld seconds", (long long)wait);
}

/* Sign-ins of one account name are checked one at a time in a process: requests sent at once
 * would all pass the lock check before the first failure was counted (64 guesses a lock
 * window instead of 5). A second one waits for the first (then meets the lock it may have
 * caused); after IN_FLIGHT_WAIT_S it is told to retry in a second, uncounted. */
#define IN_FLIGHT_MAX    256
#define IN_FLIGHT_WAIT_S 30
static pthread_mutex_t in_flight_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t in_flight_done = PTHREAD_COND_INITIALIZER;
static char in_flight[IN_FLIGHT_MAX][USERNAME_MAX + 1];

/* Tests see a request waiting here: "<DMS_TEST_HASH_PAUSE>.queued" exists while it waits
 * (store/credentials.c has the pause itself). */
static void note_queued(bool on)
{
    const char *file = getenv("DMS_TEST_HASH_PAUSE");
    if (!file || !*file)
        return;
    char queued[512];
    snprintf(queued, sizeof queued, "%s.queued", file);
    if (!on) {
        unlink(queued);
        return;
    }
    FILE *f = fopen(queued, "w");
    if (f)
        fclose(f);
}

/* 1 claimed (slot in *slot; -1 for a name that cannot be a username), 0 still in flight after
 * the wait, -1 no room. */
static int name_claim(const char *username, int *slot)
{
    char name[USERNAME_MAX + 1];
    size_t n = strlen(username);
    *slot = -1;
    if (n == 0 || n > USERNAME_MAX)
        return 1; /* not a username: nothing to guess, nothing to hold */
    for (size_t i = 0; i <= n; i++)
        name[i] = (char)tolower((unsigned char)username[i]);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += IN_FLIGHT_WAIT_S;
    int rc = -1;
    bool waited = false;
    pthread_mutex_lock(&in_flight_mu);
    for (;;) {
        bool busy = false;
        int free_slot = -1;
        for (int i = 0; i < IN_FLIGHT_MAX && !busy; i++) {
            if (in_flight[i][0] && strcmp(in_flight[i], name) == 0)
                busy = true;
            else if (!in_flight[i][0] && free_slot < 0)
                free_slot = i;
        }
        if (!busy && free_slot >= 0) {
            memcpy(in_flight[free_slot], name, n + 1);
            *slot = free_slot;
            rc = 1;
            break;
        }
        if (!waited) {
            waited = true;
            note_queued(true);
        }
        if (pthread_cond_timedwait(&in_flight_done, &in_flight_mu, &until) == ETIMEDOUT) {
            rc = busy ? 0 : -1;
            break;
        }
    }
    pthread_mutex_unlock(&in_flight_mu);
    if (waited)
        note_queued(false);
    return rc;
}

static void name_release(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&in_flight_mu);
    in_flight[slot][0] = '\0';
    pthread_cond_broadcast(&in_flight_done);
    pthread_mutex_unlock(&in_flight_mu);
}

static int sign_in(struct req *r, const char *username, const char *password);

/* Issue 11, defect 3: the lock check and the outcome each in a short transaction, the
 * argon2id check between them with neither a transaction nor a connection held. */
int h_session_create(struct req *r)
{
    static const char *const fields[] = {"username", "password", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *username, *password;
    if (jin_string(r->body, "username", true, &username, &r->err) < 0 ||
        jin_string(r->body, "password", true, &password, &r->err) < 0)
        return -1;
    int slot, claimed = name_claim(username, &slot);
    if (claimed == 0)
        return throttled(r, 1);
    if (claimed < 0)
        return req_fail(r, "overloaded", NULL, "too many sign-ins at once; try again");
    int rc = sign_in(r, username, password);
    name_release(slot);
    return rc;
}

static int sign_in(struct req *r, const char *username, const char *password)
{
    char address[IPADDR_STR];
    req_client_key(r, address);
    const char *device = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "dms_device");
    struct login_attempt in = {username, password, address, device, r->actor.now, &r->cfg->login};
    struct login_check c;
    if (req_begin(r, false) < 0 || logins_check(r->db, &in, &c, &r->err) < 0 || req_commit(r) < 0)
        return -1;
    if (c.wait > 0)
        return throttled(r, c.wait);
    /* A password longer than any allowed cannot be right: not hashed, but counted. */
    int ok = strlen(password) > PASSWORD_MAX ? 0 : logins_verify(&in, &c, &r->err);
    if (ok < 0)
        return -1;
    struct login_session s;
    int rc = -1;
    /* The outcome is written again on a busy database, without hashing again. */
    for (int attempt = 0; attempt < 3; attempt++) {
        dms_error_clear(&r->err);
        rc = req_begin(r, true);
        if (rc == 0)
            rc = logins_record(r->db, &in, &c, ok == 1, r->cfg->session_ttl, &s, &r->err);
        if (rc >= 0 && req_commit(r) < 0)
            rc = -1;
        else if (rc < 0)
            req_rollback(r);
        if (rc >= 0 || !dms_error_is(&r->err, "busy"))
            break;
        struct timespec pause = {0, 20000000L * (attempt + 1)};
        nanosleep(&pause, NULL);
    }
    if (rc < 0)
        return -1;
    if (rc == 0)
        return refused(r);
    set_cookies(r, s.token, s.csrf, r->cfg->session_ttl);
    set_device_cookie(r, s.device);
    return reply(r, 201,
                 json_pack("{s:s, s:s, s:s, s:o}", "token", s.token, "csrf_token", s.csrf,
                           "expires_at", s.expires_at, "user", view_user(&s.user)));
}

int h_session_delete(struct req *r)
{
    if (sessions_delete(r->db, r->token, &r->err) < 0)
        return -1;
    set_cookies(r, "", "", 0);
    return reply(r, 200, json_pack("{s:b}", "signed_out", 1));
}

int h_me(struct req *r)
{
    struct store_info s;
    if (stores_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    json_t *perms = json_object();
    /* Every permission of the role: the web console offers the screens they allow. */
    for (int i = 0; i < PERM_COUNT; i++)
        json_object_set_new(perms, perm_name((enum perm)i),
                            json_boolean(role_can(r->actor.role, (enum perm)i)));
    /* The departments whose board confirmation the role gives (IN-11), so the console asks
     * the one rule instead of repeating it. */
    json_t *confirms = json_array();
    for (int d = 0; d < DEPT_COUNT; d++)
        if (role_confirms(r->actor.role, d))
            json_array_append_new(confirms, json_string(DEPARTMENT_NAMES[d]));
    return reply(r, 200,
                 json_pack("{s:o, s:{s:I, s:s, s:s, s:s}, s:o, s:o, s:s}", "user",
                           view_user(&r->session.user), "store", "id", (json_int_t)s.id, "code",
                           s.code, "name", s.name, "timezone", s.timezone, "permissions", perms,
                           "confirms", confirms, "session_expires_at", r->session.expires_at));
}

int h_me_password(struct req *r)
{
    static const char *const fields[] = {"old_password", "new_password", NULL};
    if (jin_body(r) < 0 || jin_only(r->body, fields, NULL, &r->err) < 0)
        return -1;
    const char *old_pw, *new_pw;
    if (jin_string(r->body, "old_password", true, &old_pw, &r->err) < 0 ||
        jin_string(r->body, "new_password", true, &new_pw, &r->err) < 0)
        return -1;
    /* The old password is a guess like a sign-in's (found in review: a session could try
     * them without limit): the same lock, one at a time, and a wrong one counted. Read the
     * hash and the locks, check and hash with nothing held, then write if the hash is still
     * the one checked. */
    const char *name = r->session.user.username;
    int slot, claimed = name_claim(name, &slot);
    if (claimed == 0)
        return throttled(r, 1);
    if (claimed < 0)
        return req_fail(r, "overloaded", NULL, "too many password checks at once; try again");
    char address[IPADDR_STR];
    req_client_key(r, address);
    struct login_attempt in = {
        name,         old_pw,
        address,      MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "dms_device"),
        r->actor.now, &r->cfg->login};
    struct login_check c;
    char fresh[USER_HASH_MAX];
    int rc = -1;
    if (req_begin(r, false) < 0 || logins_check(r->db, &in, &c, &r->err) < 0 || req_commit(r) < 0)
        goto out;
    if (c.wait > 0) {
        throttled(r, c.wait);
        goto out;
    }
    if (users_password_prepare(c.hash, old_pw, new_pw, fresh, &r->err) < 0) {
        if (dms_error_is(&r->err, "wrong_password")) {
            struct dms_error wrong = r->err;
            struct login_session none;
            if (req_begin(r, true) < 0 ||
                logins_record(r->db, &in, &c, false, 0, &none, &r->err) < 0 || req_commit(r) < 0)
                goto out;
            r->err = wrong;
        }
        goto out;
    }
    if (req_begin(r, true) < 0 ||
        users_password_set(r->db, &r->actor, c.hash, fresh, r->token, &r->err) < 0)
        goto out;
    rc = reply(r, 200, json_pack("{s:b}", "changed", 1));
out:
    name_release(slot);
    return rc;
}

int h_store_get(struct req *r)
{
    struct store_info s;
    if (stores_get(r->db, r->actor.store_id, &s, &r->err) < 0)
        return -1;
    char today[DATE_STR];
    date_format(r->actor.today, today);
    return reply(r, 200,
                 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)s.id, "code", s.code,
                           "name", s.name, "timezone", s.timezone, "today", today, "created_at",
                           s.created_at));
}

int h_healthz(struct req *r)
{
    int64_t one = 0;
    int rc = db_query_int(r->db, &one, "SELECT 1", "");
    if (rc < 0)
        return store_db_fail(r->db, rc, &r->err);
    int version = 0;
    if (store_schema_version(r->db, &version, &r->err) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:s, s:s, s:i}", "status", "ok", "db",
                           db_kind(r->db) == DB_SQLITE ? "sqlite" : "postgres", "schema", version));
}
