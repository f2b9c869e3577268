/* Sign-in, tokens, cookies with CSRF, sign-out, disabled users, health. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void test_healthz_answers_without_sign_in(void **state)
{
    (void)state;
    json_t *j = call("GET", "/healthz", NULL, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    json_decref(j);
}

static void test_login_returns_token_and_user(void **state)
{
    (void)state;
    struct resp r = http("POST", "/api/v1/session", NULL,
                         "{\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\"}");
    json_t *j = expect(&r, 201);
    assert_true(json_is_string(json_object_get(j, "token")));
    json_t *u = json_object_get(j, "user");
    assert_string_equal(json_string_value(json_object_get(u, "username")), U_ADVISOR);
    assert_string_equal(json_string_value(json_object_get(u, "role")), "advisor");
    /* The browser gets an HttpOnly, SameSite=Strict cookie. */
    assert_non_null(strstr(r.headers, "dms_session="));
    assert_non_null(strstr(r.headers, "HttpOnly"));
    assert_non_null(strstr(r.headers, "SameSite=Strict"));
    resp_free(&r);
}

static void test_wrong_password_is_401(void **state)
{
    (void)state;
    struct resp r = http("POST", "/api/v1/session", NULL,
                         "{\"username\":\"" U_ADVISOR "\",\"password\":\"nope-nope\"}");
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = http("POST", "/api/v1/session", NULL,
             "{\"username\":\"nobody\",\"password\":\"" TEST_PASSWORD "\"}");
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
}

static void test_routes_need_a_session(void **state)
{
    (void)state;
    struct resp r = http("GET", "/api/v1/customers", NULL, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    r = http("GET", "/api/v1/customers", "not-a-token", NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
}

static void test_logout_ends_the_session(void **state)
{
    (void)state;
    char *t = login(U_CALLER);
    json_decref(call("GET", "/api/v1/me", t, NULL, 200));
    json_decref(call("DELETE", "/api/v1/session", t, NULL, 200));
    struct resp r = http("GET", "/api/v1/me", t, NULL);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    free(t);
}

/* No proxy is trusted by default: a client's own X-Forwarded-Proto does not mark cookies
 * Secure, and its X-Forwarded-For does not choose the address its failures count for
 * (test_login_limits.c covers a trusted proxy). */
static void test_session_forwarded_headers_of_an_untrusted_peer_are_ignored(void **state)
{
    (void)state;
    static const char *const headers[] = {"X-Forwarded-Proto: https", "X-Forwarded-For: 10.99.1.2",
                                          NULL};
    struct req_opts o = {.raw_body =
                             "{\"username\":\"" U_ADVISOR "\",\"password\":\"" TEST_PASSWORD "\"}",
                         .headers = headers};
    struct resp r = http_opts("POST", "/api/v1/session", &o);
    expect(&r, 201);
    assert_non_null(strstr(r.headers, "dms_session="));
    assert_non_null(strstr(r.headers, "dms_device="));
    assert_null(strstr(r.headers, "Secure"));
    resp_free(&r);
    o.raw_body = "{\"username\":\"" U_ADVISOR "\",\"password\":\"wrong-password\"}";
    r = http_opts("POST", "/api/v1/session", &o);
    expect_error(&r, 401, "unauthorized", NULL);
    resp_free(&r);
    char out[32];
    assert_int_equal(db_sql("SELECT COUNT(*) FROM login_failures WHERE kind = 'address' AND "
                            "subject = '10.99.1.2'",
                            out, sizeof out),
                     0);
    assert_string_equal(out, "0");
    assert_int_equal(db_sql("SELECT failures FROM login_failures WHERE kind = 'address' AND "
                            "subject = '127.0.0.1'",
                            out, sizeof out),
                     0);
    assert_true(atoi(out) >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz_answers_without_sign_in),
        cmocka_unit_test(test_login_returns_token_and_user),
        cmocka_unit_test(test_wrong_password_is_401),
        cmocka_unit_test(test_routes_need_a_session),
        cmocka_unit_test(test_logout_ends_the_session),
        cmocka_unit_test(test_session_forwarded_headers_of_an_untrusted_peer_are_ignored),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
