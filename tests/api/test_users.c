/* Staff accounts through /api/v1/users (administrators of the own store only) and the
 * first-sign-in password change through /api/v1/me/password. */
#include "harness.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

static const char *session_body(const char *username, const char *password)
{
    return fmt("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
}

/* Signs in with a given password; returns the token (caller frees). */
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

/* The id of a user of the admin's store, found through the list (0 when absent). */
static int64_t find_user(const char *admin, const char *username)
{
    int64_t id = 0;
    char cursor[64] = "";
    for (int page = 0; page < 50 && !id; page++) {
        json_t *j =
            call("GET", fmt("/api/v1/users?limit=50%s%s", cursor[0] ? "&cursor=" : "", cursor),
                 admin, NULL, 200);
        size_t i;
        json_t *u;
        json_array_foreach(json_object_get(j, "items"), i, u)
        {
            if (strcmp(json_string_value(json_object_get(u, "username")), username) == 0)
                id = json_integer_value(json_object_get(u, "id"));
        }
        const char *next = json_string_value(json_object_get(j, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(j);
        if (!next)
            break;
    }
    return id;
}

/* Creates a user as admin; returns its JSON (caller decrefs). */
static json_t *create_user(const char *admin, const char *username, const char *role,
                           const char *extra)
{
    return call("POST", "/api/v1/users", admin,
                fmt("{\"username\":\"%s\",\"role\":\"%s\",\"password\":\"%s\"%s}", username, role,
                    TEST_PASSWORD, extra ? extra : ""),
                201);
}

static void expect_password_change_required(const char *token)
{
    struct resp r = http("GET", "/api/v1/customers", token, NULL);
    expect_error(&r, 403, "password_change_required", NULL);
    resp_free(&r);
    char phone[16];
    make_mobile(phone, uniq());
    r = http("POST", "/api/v1/customers", token,
             fmt("{\"name\":\"冯八\",\"phone\":\"%s\"}", phone));
    expect_error(&r, 403, "password_change_required", NULL);
    resp_free(&r);
}

/* Copies tmpl into out with each "{n}" replaced by n. */
static void with_number(const char *tmpl, unsigned n, char *out, size_t cap)
{
    size_t used = 0;
    for (const char *p = tmpl; *p && used + 12 < cap;) {
        if (strncmp(p, "{n}", 3) == 0) {
            used += (size_t)snprintf(out + used, cap - used, "%u", n);
            p += 3;
        } else {
            out[used++] = *p++;
        }
    }
    out[used] = '\0';
}

/* ---- listing and reading ---- */

static void test_users_admin_lists_own_store_only(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN), *admin2 = login(U_ADMIN2);
    const char *s1[] = {U_ADVISOR, U_CALLER, U_MANAGER, U_PARTS, U_WORKSHOP, U_WARRANTY, U_ADMIN};
    for (size_t i = 0; i < sizeof s1 / sizeof s1[0]; i++) {
        assert_true(find_user(admin, s1[i]) > 0);
        assert_int_equal(find_user(admin2, s1[i]), 0);
    }
    assert_true(find_user(admin2, U_ADVISOR2) > 0);
    assert_true(find_user(admin2, U_ADMIN2) > 0);
    assert_int_equal(find_user(admin, U_ADVISOR2), 0);
    assert_int_equal(find_user(admin, U_ADMIN2), 0);
    /* Every listed user belongs to the admin's store and no hash travels. */
    json_t *j = call("GET", "/api/v1/users?limit=200", admin2, NULL, 200);
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(j, "items"), i, u)
    {
        assert_string_equal(json_string_value(json_object_get(u, "store_code")), "S2");
        assert_null(json_object_get(u, "password_hash"));
        assert_null(json_object_get(u, "password"));
    }
    json_decref(j);
    free(admin);
    free(admin2);
}

static void test_users_list_pages_with_cursor(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    json_t *j = call("GET", "/api/v1/users?limit=2", admin, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
    const char *next = json_string_value(json_object_get(j, "next_cursor"));
    assert_non_null(next);
    int64_t last =
        json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 1), "id"));
    json_t *k = call("GET", fmt("/api/v1/users?limit=2&cursor=%s", next), admin, NULL, 200);
    json_t *first = json_array_get(json_object_get(k, "items"), 0);
    assert_non_null(first);
    assert_true(json_integer_value(json_object_get(first, "id")) > last);
    json_decref(k);
    json_decref(j);
    const char *bad[] = {"limit=0", "limit=201", "limit=abc", "limit=-1", "cursor=xyz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r = http("GET", fmt("/api/v1/users?%s", bad[i]), admin, NULL);
        expect_error(&r, 400, "invalid_field", NULL);
        resp_free(&r);
    }
    free(admin);
}

static void test_users_get_one_shows_the_account(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    int64_t id = find_user(admin, U_WARRANTY);
    assert_true(id > 0);
    json_t *j = call("GET", fmt("/api/v1/users/%lld", (long long)id), admin, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "username")), U_WARRANTY);
    assert_string_equal(json_string_value(json_object_get(j, "role")), "warranty");
    assert_true(json_is_false(json_object_get(j, "disabled")));
    assert_null(json_object_get(j, "password_hash"));
    json_decref(j);
    struct resp r = http("GET", "/api/v1/users/999999999", admin, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    free(admin);
}

static void test_users_non_admin_roles_are_403(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    int64_t id = find_user(admin, U_WORKSHOP);
    free(admin);
    const char *roles[] = {U_ADVISOR,  U_CALLER,   U_MANAGER, U_PARTS,
                           U_WORKSHOP, U_WARRANTY, U_ADVISOR2};
    int64_t before = audit_head();
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char *t = login(roles[i]);
        struct resp r = http("GET", "/api/v1/users", t, NULL);
        expect_error(&r, 403, "forbidden", NULL);
        resp_free(&r);
        r = http("GET", fmt("/api/v1/users/%lld", (long long)id), t, NULL);
        expect_error(&r, 403, "forbidden", NULL);
        resp_free(&r);
        r = http("POST", "/api/v1/users", t,
                 fmt("{\"username\":\"nope%u\",\"role\":\"admin\",\"password\":\"%s\"}", uniq(),
                     TEST_PASSWORD));
        expect_error(&r, 403, "forbidden", NULL);
        resp_free(&r);
        r = http("PATCH", fmt("/api/v1/users/%lld", (long long)id), t, "{\"role\":\"admin\"}");
        expect_error(&r, 403, "forbidden", NULL);
        resp_free(&r);
        free(t);
    }
    assert_int_equal(audit_head(), before);
    char role[32];
    assert_int_equal(
        db_sql(fmt("SELECT role FROM users WHERE id = %lld", (long long)id), role, sizeof role), 0);
    assert_string_equal(role, "workshop");
}

/* ---- creating ---- */

static void test_users_created_user_must_change_password(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "new%u", uniq());
    json_t *j = create_user(admin, name, "advisor", ",\"display_name\":\"褚九\"");
    assert_string_equal(json_string_value(json_object_get(j, "username")), name);
    assert_string_equal(json_string_value(json_object_get(j, "display_name")), "褚九");
    assert_string_equal(json_string_value(json_object_get(j, "role")), "advisor");
    assert_string_equal(json_string_value(json_object_get(j, "store_code")), "S1");
    assert_true(json_is_true(json_object_get(j, "must_change_password")));
    assert_null(json_object_get(j, "password"));
    json_decref(j);

    char *t = login_with(name, TEST_PASSWORD);
    expect_password_change_required(t);
    /* /me answers meanwhile and says why. */
    j = call("GET", "/api/v1/me", t, NULL, 200);
    assert_true(json_is_true(json_object_get(json_object_get(j, "user"), "must_change_password")));
    json_decref(j);
    /* Wrong old password, too short, the same again: refused, still blocked. */
    struct resp r = http("POST", "/api/v1/me/password", t,
                         "{\"old_password\":\"not-the-one\",\"new_password\":\"fresh-pass-1\"}");
    expect(&r, 422);
    resp_free(&r);
    r = http("POST", "/api/v1/me/password", t,
             "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":\"short7!\"}");
    expect_error(&r, 422, "weak_password", "new_password");
    resp_free(&r);
    r = http("POST", "/api/v1/me/password", t,
             "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":\"" TEST_PASSWORD "\"}");
    expect_error(&r, 422, "weak_password", "new_password");
    resp_free(&r);
    r = http("POST", "/api/v1/me/password", t, "{\"old_password\":\"" TEST_PASSWORD "\"}");
    expect_error(&r, 400, "missing_field", "new_password");
    resp_free(&r);
    expect_password_change_required(t);

    json_decref(call("POST", "/api/v1/me/password", t,
                     "{\"old_password\":\"" TEST_PASSWORD "\",\"new_password\":\"fresh-pass-1\"}",
                     200));
    /* The same session now reaches everything its role allows. */
    json_decref(call("GET", "/api/v1/customers", t, NULL, 200));
    j = call("GET", "/api/v1/me", t, NULL, 200);
    assert_true(json_is_false(json_object_get(json_object_get(j, "user"), "must_change_password")));
    json_decref(j);
    expect_sign_in_refused(name, TEST_PASSWORD);
    char *t2 = login_with(name, "fresh-pass-1");
    json_decref(call("GET", "/api/v1/customers", t2, NULL, 200));
    free(t2);
    free(t);
    free(admin);
}

static void test_users_created_without_forced_change_works_at_once(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "ready%u", uniq());
    json_decref(create_user(admin, name, "caller", ",\"must_change_password\":false"));
    char *t = login_with(name, TEST_PASSWORD);
    json_decref(call("GET", "/api/v1/customers", t, NULL, 200));
    free(t);
    free(admin);
}

static void test_users_password_is_stored_as_argon2id(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "hash%u", uniq());
    json_decref(create_user(admin, name, "workshop", NULL));
    char hash[256];
    assert_int_equal(db_sql(fmt("SELECT password_hash FROM users WHERE username = '%s'", name),
                            hash, sizeof hash),
                     0);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_null(strstr(hash, TEST_PASSWORD));
    free(admin);
}

static void test_users_create_refuses_bad_input(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN), *admin2 = login(U_ADMIN2);
    int64_t before = audit_head();
    unsigned n = uniq();
#define PW "\"password\":\"" TEST_PASSWORD "\""
    /* {n} in a body stands for a fresh number where a name must be new. */
    static const struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {"{\"username\":\"weak{n}\",\"role\":\"advisor\",\"password\":\"1234567\"}", 422,
         "weak_password", "password"},
        {"{\"username\":\"weak{n}\",\"role\":\"advisor\",\"password\":\"\"}", 422, "weak_password",
         "password"},
        {"{\"username\":\"" U_ADVISOR "\",\"role\":\"advisor\"," PW ",\"x{n}\":null}", 400,
         "invalid_field", NULL},
        {"{\"username\":\"" U_ADVISOR "\",\"role\":\"advisor\"," PW "}", 409, "conflict",
         "username"},
        {"{\"username\":\"ADV1\",\"role\":\"advisor\"," PW "}", 409, "conflict", "username"},
        {"{\"username\":\"bad{n}\",\"role\":\"boss\"," PW "}", 400, "invalid_field", "role"},
        {"{\"username\":\"bad{n}\",\"role\":7," PW "}", 400, "invalid_field", "role"},
        {"{\"role\":\"advisor\"," PW "}", 400, "missing_field", "username"},
        {"{\"username\":\"bad{n}\"," PW "}", 400, "missing_field", "role"},
        {"{\"username\":\"bad{n}\",\"role\":\"advisor\"}", 400, "missing_field", "password"},
        {"{\"username\":\"bad{n}\",\"role\":\"advisor\"," PW ",\"store_id\":2}", 400,
         "invalid_field", "store_id"},
        {"{\"username\":\"bad user\",\"role\":\"advisor\"," PW "}", 400, "invalid_field",
         "username"},
        {"{\"username\":\"x\",\"role\":\"advisor\"," PW "}", 400, "invalid_field", "username"},
        {"{\"username\":\"bad{n}\",\"role\":\"advisor\"," PW ",\"must_change_password\":\"no\"}",
         400, "invalid_field", "must_change_password"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[512];
        with_number(cases[i].body, n, body, sizeof body);
        struct resp r = http("POST", "/api/v1/users", admin, body);
        expect_error(&r, cases[i].status, cases[i].code, cases[i].field);
        resp_free(&r);
    }
    /* Usernames are unique across stores too (sign-in names no store). */
    struct resp r = http("POST", "/api/v1/users", admin2,
                         "{\"username\":\"" U_ADVISOR "\",\"role\":\"advisor\"," PW "}");
    expect_error(&r, 409, "conflict", "username");
    resp_free(&r);
    assert_int_equal(audit_head(), before);
    expect_sign_in_refused(fmt("weak%u", n), "1234567");
    free(admin);
    free(admin2);
}

/* "At least 8 characters" counts characters, not UTF-8 bytes: four Chinese characters are
 * twelve bytes but a weak password. */
static void test_users_password_length_counts_characters(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    int64_t before = audit_head();
    char name[32];
    snprintf(name, sizeof name, "cn%u", uniq());
    struct resp r = http("POST", "/api/v1/users", admin,
                         fmt("{\"username\":\"%s\",\"role\":\"advisor\",\"password\":"
                             "\"密码密码\"}",
                             name));
    expect_error(&r, 422, "weak_password", "password");
    resp_free(&r);
    assert_int_equal(audit_head(), before);
    expect_sign_in_refused(name, "密码密码");
    /* Eight of them are enough. */
    json_t *j = call("POST", "/api/v1/users", admin,
                     fmt("{\"username\":\"%s\",\"role\":\"advisor\",\"password\":"
                         "\"一二三四五六七八\",\"must_change_password\":false}",
                         name),
                     201);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char *t = login_with(name, "一二三四五六七八");
    r = http("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin,
             "{\"password\":\"密码密码密\"}");
    expect_error(&r, 422, "weak_password", "password");
    resp_free(&r);
    r = http("POST", "/api/v1/me/password", t,
             "{\"old_password\":\"一二三四五六七八\",\"new_password\":\"新密码新密码\"}");
    expect_error(&r, 422, "weak_password", "new_password");
    resp_free(&r);
    expect_sign_in_refused(name, "新密码新密码");
    free(t);
    free(admin);
}

/* ---- changing ---- */

static void test_users_patch_changes_name_and_role(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "edit%u", uniq());
    json_t *j = create_user(admin, name, "parts_manager", ",\"must_change_password\":false");
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char *t = login_with(name, TEST_PASSWORD);
    struct resp r = http("POST", "/api/v1/vehicles", t, "{}");
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);

    j = call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin,
             "{\"display_name\":\"卫十\",\"role\":\"advisor\"}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "display_name")), "卫十");
    assert_string_equal(json_string_value(json_object_get(j, "role")), "advisor");
    json_decref(j);
    /* The new role applies to the running session. */
    j = call("GET", "/api/v1/me", t, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "role")),
                        "advisor");
    json_decref(j);
    int64_t c = new_customer(t, "卫十");
    assert_true(c > 0);
    /* The change is audited. */
    assert_true(audit_count("user", id) >= 2);

    const struct {
        const char *body, *code, *field;
        long status;
    } bad[] = {
        {"{\"role\":\"king\"}", "invalid_field", "role", 400},
        {"{\"disabled\":\"yes\"}", "invalid_field", "disabled", 400},
        {"{\"password\":\"short\"}", "weak_password", "password", 422},
        {"{\"username\":\"renamed\"}", "invalid_field", "username", 400},
        {"{\"display_name\":42}", "invalid_field", "display_name", 400},
    };
    int64_t before = audit_head();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = http("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin, bad[i].body);
        expect_error(&r, bad[i].status, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    assert_int_equal(audit_head(), before);
    json_decref(call("GET", "/api/v1/me", t, NULL, 200));
    free(t);
    free(admin);
}

static void test_users_password_reset_ends_sessions_and_forces_change(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "reset%u", uniq());
    json_t *j = create_user(admin, name, "caller", ",\"must_change_password\":false");
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    char *t = login_with(name, TEST_PASSWORD);
    j = call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin,
             "{\"password\":\"reset-by-admin\"}", 200);
    assert_true(json_is_true(json_object_get(j, "must_change_password")));
    json_decref(j);
    struct resp r = http("GET", "/api/v1/me", t, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    expect_sign_in_refused(name, TEST_PASSWORD);
    char *t2 = login_with(name, "reset-by-admin");
    expect_password_change_required(t2);
    json_decref(call("POST", "/api/v1/me/password", t2,
                     "{\"old_password\":\"reset-by-admin\",\"new_password\":\"my-own-secret\"}",
                     200));
    json_decref(call("GET", "/api/v1/customers", t2, NULL, 200));
    free(t2);
    free(t);
    free(admin);
}

static void test_users_admin_can_force_a_password_change(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "force%u", uniq());
    json_t *j = create_user(admin, name, "workshop", ",\"must_change_password\":false");
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    json_decref(call("PATCH", fmt("/api/v1/users/%lld", (long long)id), admin,
                     "{\"must_change_password\":true}", 200));
    char *t = login_with(name, TEST_PASSWORD);
    expect_password_change_required(t);
    free(t);
    free(admin);
}

static void test_users_admin_cannot_lock_themselves_out(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN);
    int64_t self = find_user(admin, U_ADMIN);
    assert_true(self > 0);
    int64_t before = audit_head();
    const struct {
        const char *body, *field;
    } cases[] = {
        {"{\"disabled\":true}", "disabled"},
        {"{\"role\":\"advisor\"}", "role"},
        {"{\"role\":\"service_manager\",\"display_name\":\"x\"}", "role"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r =
            http("PATCH", fmt("/api/v1/users/%lld", (long long)self), admin, cases[i].body);
        expect_error(&r, 422, "self_lockout", cases[i].field);
        resp_free(&r);
    }
    assert_int_equal(audit_head(), before);
    /* Still an enabled admin with a working session. */
    json_t *j = call("GET", "/api/v1/me", admin, NULL, 200);
    json_t *u = json_object_get(j, "user");
    assert_string_equal(json_string_value(json_object_get(u, "role")), "admin");
    assert_true(json_is_false(json_object_get(u, "disabled")));
    json_decref(j);
    json_decref(call("GET", "/api/v1/users", admin, NULL, 200));
    /* Harmless changes of the own account are fine. */
    json_decref(call("PATCH", fmt("/api/v1/users/%lld", (long long)self), admin,
                     "{\"display_name\":\"管理员\",\"disabled\":false,\"role\":\"admin\"}", 200));
    free(admin);
}

static void test_users_other_store_is_404(void **state)
{
    (void)state;
    char *admin = login(U_ADMIN), *admin2 = login(U_ADMIN2);
    int64_t adv1 = find_user(admin, U_ADVISOR), adv2 = find_user(admin2, U_ADVISOR2);
    assert_true(adv1 > 0 && adv2 > 0);
    int64_t before = audit_head();
    struct resp r = http("GET", fmt("/api/v1/users/%lld", (long long)adv1), admin2, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    const char *patches[] = {"{\"disabled\":true}", "{\"role\":\"admin\"}",
                             "{\"password\":\"taken-over-1\"}", "{\"display_name\":\"x\"}"};
    for (size_t i = 0; i < sizeof patches / sizeof patches[0]; i++) {
        r = http("PATCH", fmt("/api/v1/users/%lld", (long long)adv1), admin2, patches[i]);
        expect_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
    r = http("GET", fmt("/api/v1/users/%lld", (long long)adv2), admin, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    r = http("PATCH", fmt("/api/v1/users/%lld", (long long)adv2), admin, "{\"disabled\":true}");
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    assert_int_equal(audit_head(), before);
    /* adv1 is untouched: same role, same password, enabled. */
    char *t = login(U_ADVISOR);
    json_t *j = call("GET", "/api/v1/me", t, NULL, 200);
    json_t *u = json_object_get(j, "user");
    assert_string_equal(json_string_value(json_object_get(u, "role")), "advisor");
    assert_string_equal(json_string_value(json_object_get(u, "display_name")), U_ADVISOR);
    json_decref(j);
    free(t);
    free(admin);
    free(admin2);
}

static void test_users_admin2_creates_in_own_store(void **state)
{
    (void)state;
    char *admin2 = login(U_ADMIN2), *admin = login(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "s2user%u", uniq());
    json_t *j = create_user(admin2, name, "advisor", ",\"must_change_password\":false");
    assert_string_equal(json_string_value(json_object_get(j, "store_code")), "S2");
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_int_equal(find_user(admin, name), 0);
    struct resp r = http("GET", fmt("/api/v1/users/%lld", (long long)id), admin, NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
    char *t = login_with(name, TEST_PASSWORD);
    j = call("GET", "/api/v1/store", t, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "S2");
    json_decref(j);
    free(t);
    free(admin);
    free(admin2);
}

/* ---- two administrators at once (issue 11, defect 1) ---- */

enum { RACE_ROUNDS = 40 };

struct edit {
    const char *path, *token, *body;
    pthread_barrier_t *start;
    long status;
};

static void *edit_run(void *p)
{
    struct edit *e = p;
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    pthread_barrier_wait(e->start);
    struct http_answer a = http_call_on(h, SRV->base, "PATCH", e->path, e->token, e->body);
    e->status = a.rc == CURLE_OK ? a.status : 0;
    json_decref(a.json);
    curl_easy_cleanup(h);
    return NULL;
}

/* Sends two PATCHes of one user from two threads released together; both must succeed. */
static void patch_together(const char *path, const char *token, const char *a, const char *b)
{
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct edit e[2] = {{path, token, a, &start, 0}, {path, token, b, &start, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, edit_run, &e[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    if (e[0].status != 200 || e[1].status != 200)
        fail_msg("PATCH %s: %ld and %ld", path, e[0].status, e[1].status);
}

static void password_hash_of(int64_t id, char out[256])
{
    assert_int_equal(
        db_sql(fmt("SELECT password_hash FROM users WHERE id = %lld", (long long)id), out, 256), 0);
}

/* One administrator disables a user while another resets their password: afterwards the user
 * is disabled, has the new password, and cannot sign in with it (before: the reset, read
 * before the disabling and written after it, put the user back to enabled, 39 rounds in 40 on
 * PostgreSQL). */
static void test_users_disable_and_reset_at_once_both_stay(void **state)
{
    (void)state;
    const char *admin = tok(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "race%u", uniq());
    json_t *j = create_user(admin, name, "caller", ",\"must_change_password\":false");
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    const char *path = keep(fmt("/api/v1/users/%lld", (long long)id));
    int lost = 0;
    for (int round = 0; round < RACE_ROUNDS; round++) {
        json_decref(call("PATCH", path, admin, "{\"disabled\":false}", 200));
        char before[256], after[256], password[32];
        password_hash_of(id, before);
        snprintf(password, sizeof password, "round-%d-secret", round);
        patch_together(path, admin, "{\"disabled\":true}", fmt("{\"password\":\"%s\"}", password));
        j = call("GET", path, admin, NULL, 200);
        bool disabled = json_is_true(json_object_get(j, "disabled"));
        bool must_change = json_is_true(json_object_get(j, "must_change_password"));
        json_decref(j);
        password_hash_of(id, after);
        struct resp r = http("POST", "/api/v1/session", NULL, session_body(name, password));
        bool signed_in = r.status == 201;
        if (r.status != 201)
            expect_error(&r, 401, "unauthorized", NULL);
        resp_free(&r);
        if (!disabled || !must_change || strcmp(before, after) == 0 || signed_in) {
            lost++;
            print_error("round %d: disabled %d, must change %d, password %s, signed in %d\n", round,
                        disabled, must_change, strcmp(before, after) ? "new" : "old", signed_in);
        }
    }
    assert_int_equal(lost, 0);
}

/* Two administrators edit different fields of one user at once: both edits stay. */
static void test_users_name_and_role_at_once_both_stay(void **state)
{
    (void)state;
    const char *admin = tok(U_ADMIN);
    char name[32];
    snprintf(name, sizeof name, "race%u", uniq());
    json_t *j = create_user(admin, name, "caller", NULL);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    const char *path = keep(fmt("/api/v1/users/%lld", (long long)id));
    int lost = 0;
    for (int round = 0; round < RACE_ROUNDS; round++) {
        const char *display = keep(fmt("并发-%d", round));
        const char *role = round % 2 ? "caller" : "advisor";
        patch_together(path, admin, fmt("{\"display_name\":\"%s\"}", display),
                       fmt("{\"role\":\"%s\"}", role));
        j = call("GET", path, admin, NULL, 200);
        if (strcmp(jstr(j, "display_name"), display) != 0 || strcmp(jstr(j, "role"), role) != 0) {
            lost++;
            print_error("round %d: %s / %s\n", round, jstr(j, "display_name"), jstr(j, "role"));
        }
        json_decref(j);
    }
    assert_int_equal(lost, 0);
}

static int setup(void **state)
{
    /* The race rounds try the new password of a disabled user 40 times from this address:
     * more failures than its limit on failed sign-ins allows (test_login_limits tests it). */
    setenv("DMS_LOGIN_ADDRESS_FREE_FAILURES", "100000", 1);
    setenv("DMS_LOGIN_FREE_FAILURES", "1000", 1);
    return srv_setup(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_admin_lists_own_store_only),
        cmocka_unit_test(test_users_list_pages_with_cursor),
        cmocka_unit_test(test_users_get_one_shows_the_account),
        cmocka_unit_test(test_users_non_admin_roles_are_403),
        cmocka_unit_test(test_users_created_user_must_change_password),
        cmocka_unit_test(test_users_created_without_forced_change_works_at_once),
        cmocka_unit_test(test_users_password_is_stored_as_argon2id),
        cmocka_unit_test(test_users_create_refuses_bad_input),
        cmocka_unit_test(test_users_password_length_counts_characters),
        cmocka_unit_test(test_users_patch_changes_name_and_role),
        cmocka_unit_test(test_users_password_reset_ends_sessions_and_forces_change),
        cmocka_unit_test(test_users_admin_can_force_a_password_change),
        cmocka_unit_test(test_users_admin_cannot_lock_themselves_out),
        cmocka_unit_test(test_users_other_store_is_404),
        cmocka_unit_test(test_users_admin2_creates_in_own_store),
        cmocka_unit_test(test_users_disable_and_reset_at_once_both_stay),
        cmocka_unit_test(test_users_name_and_role_at_once_both_stay),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
