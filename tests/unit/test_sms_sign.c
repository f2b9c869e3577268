/* Unit tests for the SMS gateway signature (src/notify/sms.c, docs/sms-gateway.md): hex of
 * HMAC-SHA256(secret, timestamp + "." + body), checked against vectors computed independently
 * with `openssl dgst -sha256 -hmac`, and the verification that refuses a tampered body,
 * signature or timestamp and a clock skew over 300 s (MR-3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "notify/notify.h"

#define SECRET "test-secret-123"
#define TS     "1700000000"
#define NOW    INT64_C(1700000000)
/* printf '%s' '1700000000.<BODY>' | openssl dgst -sha256 -hmac 'test-secret-123' */
#define BODY                                                                                       \
    "{\"id\":42,\"store\":\"S1\",\"to\":\"13812345678\",\"text\":"                                 \
    "\"【深圳一店】您好，回复TD退订\"}"
#define SIG "5b473888c3ed448b75d746c87f649d6c6a71756fa13b1249ac1a320b8bf11431"

static bool verify_at(const char *body, const char *ts, const char *sig, int64_t now)
{
    return sms_verify(SECRET, ts, body, strlen(body), sig, now);
}

static void test_sms_sign_known_vector(void **state)
{
    (void)state;
    char out[65];
    memset(out, 'x', sizeof out);
    sms_sign(SECRET, TS, BODY, strlen(BODY), out);
    assert_string_equal(out, SIG);
}

static void test_sms_sign_empty_body(void **state)
{
    (void)state;
    /* printf '%s' '1700000000.' | openssl dgst -sha256 -hmac 'k' */
    char out[65];
    sms_sign("k", TS, "", 0, out);
    assert_string_equal(out, "5c2999a43333a6877f49c8003f235c4f6de40f85b1b7414b70bd470a8db53d97");
    sms_sign("k", TS, NULL, 0, out);
    assert_string_equal(out, "5c2999a43333a6877f49c8003f235c4f6de40f85b1b7414b70bd470a8db53d97");
    assert_true(sms_verify("k", TS, NULL, 0, out, NOW));
}

static void test_sms_sign_uses_body_len_not_nul(void **state)
{
    (void)state;
    /* A body given with its length is signed exactly, bytes past it do not count. */
    char a[65], b[65];
    sms_sign(SECRET, TS, BODY "trailing", strlen(BODY), a);
    assert_string_equal(a, SIG);
    const char with_nul[] = "ab\0cd";
    sms_sign(SECRET, TS, with_nul, 5, a);
    sms_sign(SECRET, TS, with_nul, 2, b);
    assert_string_not_equal(a, b);
    assert_true(sms_verify(SECRET, TS, with_nul, 5, a, NOW));
    assert_false(sms_verify(SECRET, TS, with_nul, 5, b, NOW));
}

static void test_sms_verify_skew_boundaries(void **state)
{
    (void)state;
    assert_true(verify_at(BODY, TS, SIG, NOW));
    assert_true(verify_at(BODY, TS, SIG, NOW + 300));
    assert_false(verify_at(BODY, TS, SIG, NOW + 301));
    assert_true(verify_at(BODY, TS, SIG, NOW - 300));
    assert_false(verify_at(BODY, TS, SIG, NOW - 301));
}

static void test_sms_verify_upper_case_hex(void **state)
{
    (void)state;
    char upper[65];
    for (size_t i = 0; i < 65; i++)
        upper[i] = (char)(SIG[i] >= 'a' && SIG[i] <= 'f' ? SIG[i] - 32 : SIG[i]);
    assert_true(verify_at(BODY, TS, upper, NOW));
}

static void test_sms_verify_tampered_body(void **state)
{
    (void)state;
    char body[] = BODY;
    body[7] = '3'; /* id 42 -> 43 */
    assert_false(verify_at(body, TS, SIG, NOW));
    assert_false(sms_verify(SECRET, TS, BODY, strlen(BODY) - 1, SIG, NOW));
    assert_false(verify_at(BODY " ", TS, SIG, NOW));
}

static void test_sms_verify_tampered_signature(void **state)
{
    (void)state;
    char sig[] = SIG;
    sig[63] = sig[63] == '0' ? '1' : '0';
    assert_false(verify_at(BODY, TS, sig, NOW));
    sig[63] = SIG[63];
    sig[0] = 'f';
    assert_false(verify_at(BODY, TS, sig, NOW));
    /* Wrong secret. */
    assert_false(sms_verify("test-secret-124", TS, BODY, strlen(BODY), SIG, NOW));
}

static void test_sms_verify_tampered_timestamp(void **state)
{
    (void)state;
    /* Another timestamp inside the window still needs its own signature. */
    assert_false(verify_at(BODY, "1700000001", SIG, NOW));
    char sig[65];
    sms_sign(SECRET, "1700000001", BODY, strlen(BODY), sig);
    assert_true(verify_at(BODY, "1700000001", sig, NOW));
}

static void test_sms_verify_malformed(void **state)
{
    (void)state;
    char sig[65];
    /* Timestamps that are not plain decimal seconds, even when signed. */
    const char *bad_ts[] = {"",
                            " 1700000000",
                            "1700000000 ",
                            "+1700000000",
                            "-5",
                            "1.7e9",
                            "17000000000000000000000",
                            "0x6553f100"};
    for (size_t i = 0; i < sizeof bad_ts / sizeof bad_ts[0]; i++) {
        sms_sign(SECRET, bad_ts[i], BODY, strlen(BODY), sig);
        if (verify_at(BODY, bad_ts[i], sig, NOW))
            fail_msg("timestamp \"%s\" accepted", bad_ts[i]);
    }
    /* Signatures of the wrong length or with non-hex digits. */
    assert_false(verify_at(BODY, TS, "", NOW));
    char shortsig[64];
    memcpy(shortsig, SIG, 63);
    shortsig[63] = '\0';
    assert_false(verify_at(BODY, TS, shortsig, NOW));
    assert_false(verify_at(BODY, TS, SIG "0", NOW));
    char nonhex[] = SIG;
    nonhex[10] = 'g';
    assert_false(verify_at(BODY, TS, nonhex, NOW));
    /* NULLs. */
    assert_false(sms_verify(NULL, TS, BODY, strlen(BODY), SIG, NOW));
    assert_false(sms_verify(SECRET, NULL, BODY, strlen(BODY), SIG, NOW));
    assert_false(sms_verify(SECRET, TS, BODY, strlen(BODY), NULL, NOW));
    assert_false(sms_verify(SECRET, TS, NULL, 5, SIG, NOW));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sms_sign_known_vector),
        cmocka_unit_test(test_sms_sign_empty_body),
        cmocka_unit_test(test_sms_sign_uses_body_len_not_nul),
        cmocka_unit_test(test_sms_verify_skew_boundaries),
        cmocka_unit_test(test_sms_verify_upper_case_hex),
        cmocka_unit_test(test_sms_verify_tampered_body),
        cmocka_unit_test(test_sms_verify_tampered_signature),
        cmocka_unit_test(test_sms_verify_tampered_timestamp),
        cmocka_unit_test(test_sms_verify_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
