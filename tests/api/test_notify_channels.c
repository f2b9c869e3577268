/* The two reminder channels (src/notify, MR-3) against the test sinks that stand in for an
 * SMTP relay (tests/smtp/sink.py via smtp_sink.c) and the SMS gateway (sms_sink.c): what
 * arrives, and which failures are worth a retry. Needs no dms server and no database, so it
 * never calls srv_setup (it runs the same under both backend registrations). */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/template.h"
#include "notify/notify.h"
#include "sms_sink.h"
#include "smtp_sink.h"

#define SECRET "sink-secret-0123456789"
#define NOW    INT64_C(1764043200) /* Tue, 25 Nov 2025 04:00:00 +0000 */

static char smtp_dir[600];
static pid_t smtp_pid;
static int smtp_port;
static struct sms_sink *sms;

static const struct template_values VALUES = {.name = "张",
                                              .title = "先生",
                                              .plate = "粤B12345",
                                              .due_date = "2025-12-08",
                                              .package = "机油+机滤",
                                              .store = "深圳一店",
                                              .store_phone = "0755-12345678",
                                              .price_fen = 123450,
                                              .has_price = true};

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_ALL);
    const char *tmp = getenv("DMS_TEST_TMP");
    const char *backend = getenv("DMS_TEST_BACKEND");
    snprintf(smtp_dir, sizeof smtp_dir, "%s/notify_channels-%s-%d/smtp", tmp && *tmp ? tmp : "/tmp",
             backend && *backend ? backend : "sqlite", (int)getpid());
    if (smtp_sink_start(smtp_dir, &smtp_pid, &smtp_port) != 0)
        return -1;
    sms = sms_sink_start(SECRET);
    return sms ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    smtp_sink_stop(smtp_pid);
    sms_sink_stop(sms);
    curl_global_cleanup();
    return 0;
}

/* A loopback port nobody listens on (bound, then closed). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static char *render(const char *tpl)
{
    char *out = NULL;
    struct dms_error err = {0};
    if (template_render(tpl, &VALUES, &out, &err) != 0)
        fail_msg("render: %s", err.message);
    return out;
}

static struct smtp_config smtp_cfg(void)
{
    return (struct smtp_config){.host = "127.0.0.1",
                                .port = smtp_port,
                                .starttls = false,
                                .from = "深圳一店 <dms@example.com>",
                                .timeout_s = 10};
}

static void assert_header(const char *raw, const char *name, const char *want)
{
    char *v = smtp_sink_header(raw, name);
    if (!v || strcmp(v, want) != 0)
        fail_msg("%s: \"%s\", want \"%s\"", name, v ? v : "(absent)", want);
    free(v);
}

/* ---- e-mail ---- */

static void test_smtp_delivers_chinese_mail(void **state)
{
    (void)state;
    const char *subject_tpl = NULL;
    const char *body_tpl = template_default("maintenance_reminder", "email", &subject_tpl);
    char *body = render(body_tpl);
    /* Long enough to need several encoded words. */
    char *subject =
        render("{store}：您的爱车{plate}保养提醒——请在{due_date}前预约，参考费用{price}");
    struct smtp_config c = smtp_cfg();
    struct outgoing m = {.id = 77,
                         .store_code = "S1",
                         .recipient = "zhang.san@example.com",
                         .subject = subject,
                         .body = body};
    int before = smtp_sink_count(smtp_dir);
    struct dms_error err = {0};
    int rc = smtp_send(&c, &m, NOW, &err);
    if (rc != NOTIFY_OK)
        fail_msg("smtp_send: %d %s: %s", rc, err.code, err.message);
    assert_int_equal(smtp_sink_wait(smtp_dir, before + 1, 5000), before + 1);
    char *raw = smtp_sink_read(smtp_dir, before);
    assert_non_null(raw);

    assert_header(raw, "X-Envelope-From", "<dms@example.com>");
    assert_header(raw, "X-Envelope-To", "<zhang.san@example.com>");
    assert_header(raw, "To", "<zhang.san@example.com>");
    assert_header(raw, "Date", "Tue, 25 Nov 2025 04:00:00 +0000");
    assert_header(raw, "Message-ID", "<dms-77@example.com>");
    assert_header(raw, "MIME-Version", "1.0");
    assert_header(raw, "Content-Type", "text/plain; charset=UTF-8");
    assert_header(raw, "Content-Transfer-Encoding", "base64");
    /* The sender's Chinese name is encoded too. */
    char *from = smtp_sink_header(raw, "From");
    assert_non_null(from);
    assert_true(strncmp(from, "=?UTF-8?B?", 10) == 0);
    assert_non_null(strstr(from, " <dms@example.com>"));
    free(from);

    char *subject_raw = smtp_sink_header(raw, "Subject");
    assert_non_null(subject_raw);
    assert_true(strncmp(subject_raw, "=?UTF-8?B?", 10) == 0);
    assert_non_null(strstr(subject_raw + 10, "=?UTF-8?B?")); /* more than one word */
    free(subject_raw);
    char *decoded_subject = smtp_sink_subject(raw);
    assert_non_null(decoded_subject);
    assert_string_equal(decoded_subject, subject);
    free(decoded_subject);

    /* Every header line is ASCII and within 78 characters; the body lines within 76. */
    const char *sep = strstr(raw, "\r\n\r\n");
    assert_non_null(sep);
    for (const char *p = raw; p < sep;) {
        const char *eol = strstr(p, "\r\n");
        if (eol - p > 78)
            fail_msg("header line of %d characters: %.*s", (int)(eol - p), (int)(eol - p), p);
        for (const char *q = p; q < eol; q++)
            assert_true((unsigned char)*q < 0x80);
        p = eol + 2;
    }
    for (const char *p = sep + 4; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 76);
        p = eol + 2;
    }

    /* The body decodes to the text, line ends as CRLF. */
    char *decoded = smtp_sink_body(raw);
    assert_non_null(decoded);
    size_t n = 0;
    char *want = malloc(strlen(body) * 2 + 1);
    assert_non_null(want);
    for (const char *p = body; *p; p++) {
        if (*p == '\n')
            want[n++] = '\r';
        want[n++] = *p;
    }
    want[n] = '\0';
    assert_string_equal(decoded, want);
    assert_non_null(strstr(decoded, "粤B12345"));
    assert_non_null(strstr(decoded, "¥1,234.50"));
    free(want);
    free(decoded);
    free(raw);
    free(subject);
    free(body);
}

static void test_smtp_unknown_recipient_is_permanent(void **state)
{
    (void)state;
    struct smtp_config c = smtp_cfg();
    struct outgoing m = {
        .id = 78, .recipient = "reject.me@example.com", .subject = "提醒", .body = "正文"};
    int before = smtp_sink_count(smtp_dir);
    struct dms_error err = {0};
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_PERMANENT);
    assert_string_equal(err.code, "smtp_rejected");
    assert_non_null(strstr(err.message, "550"));
    assert_int_equal(smtp_sink_count(smtp_dir), before);
}

static void test_smtp_temporary_failure_is_retry(void **state)
{
    (void)state;
    struct smtp_config c = smtp_cfg();
    struct outgoing m = {
        .id = 79, .recipient = "tempfail@example.com", .subject = "提醒", .body = "正文"};
    struct dms_error err = {0};
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_RETRY);
    assert_string_equal(err.code, "smtp_failed");
    assert_non_null(strstr(err.message, "451"));
}

static void test_smtp_connection_refused_is_retry(void **state)
{
    (void)state;
    struct smtp_config c = smtp_cfg();
    c.port = closed_port();
    struct outgoing m = {.id = 80, .recipient = "a@example.com", .subject = "s", .body = "b"};
    struct dms_error err = {0};
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_RETRY);
    assert_string_equal(err.code, "smtp_failed");
}

static void test_smtp_starttls_required_but_missing_is_retry(void **state)
{
    (void)state;
    /* The sink offers no STARTTLS: nothing may go out in clear text, and it is the relay's
     * set-up, not the message, that is wrong. */
    struct smtp_config c = smtp_cfg();
    c.starttls = true;
    struct outgoing m = {.id = 81, .recipient = "a@example.com", .subject = "s", .body = "b"};
    int before = smtp_sink_count(smtp_dir);
    struct dms_error err = {0};
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_RETRY);
    assert_int_equal(smtp_sink_count(smtp_dir), before);
}

static void test_smtp_bad_addresses(void **state)
{
    (void)state;
    struct smtp_config c = smtp_cfg();
    struct outgoing m = {.id = 82, .recipient = "not-an-address", .subject = "s", .body = "b"};
    struct dms_error err = {0};
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_PERMANENT);
    m.recipient = "a@example.com\r\nBcc: x@example.com";
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_PERMANENT);
    m.recipient = "a@example.com";
    m.subject = "s\r\nBcc: x@example.com";
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_PERMANENT);
    /* A sender that is no address is the configuration's fault: retried, not dropped. */
    m.subject = "s";
    c.from = "dms";
    assert_int_equal(smtp_send(&c, &m, NOW, &err), NOTIFY_RETRY);
}

/* ---- SMS ---- */

static struct sms_config sms_cfg(void)
{
    return (struct sms_config){.url = sms_sink_url(sms), .secret = SECRET, .timeout_s = 5};
}

static int send_sms(int64_t id, const char *text, struct dms_error *err)
{
    struct sms_config c = sms_cfg();
    struct outgoing m = {.id = id, .store_code = "S1", .recipient = "13812345678", .body = text};
    return sms_send(&c, &m, (int64_t)time(NULL), err);
}

static void test_sms_delivers_signed_post(void **state)
{
    (void)state;
    char *text = render(template_default("maintenance_reminder", "sms", NULL));
    size_t before = sms_sink_count(sms);
    struct dms_error err = {0};
    int rc = send_sms(501, text, &err);
    if (rc != NOTIFY_OK)
        fail_msg("sms_send: %d %s: %s", rc, err.code, err.message);
    assert_int_equal(sms_sink_count(sms), before + 1);
    struct sms_post p;
    assert_true(sms_sink_get(sms, before, &p));
    assert_int_equal(p.id, 501);
    assert_string_equal(p.to, "13812345678");
    assert_string_equal(p.store, "S1");
    assert_string_equal(p.text, text);
    assert_true(p.signature_ok);
    assert_true(p.json_ok);
    assert_int_equal(p.status, 200);
    free(text);
}

static void test_sms_server_errors_are_retry(void **state)
{
    (void)state;
    /* Issue 11, defect 5: also the 4xx that are no verdict on the request itself. */
    const int statuses[] = {500, 502, 503, 429, 408, 425, 409, 423, 402, 418};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        sms_sink_fail_next(sms, 1, statuses[i]);
        struct dms_error err = {0};
        int rc = send_sms(600 + (int64_t)i, "您好", &err);
        if (rc != NOTIFY_RETRY)
            fail_msg("status %d gave %d", statuses[i], rc);
        assert_string_equal(err.code, "sms_failed");
    }
    /* The knob is used up: the next one goes through. */
    assert_int_equal(send_sms(610, "您好", NULL), NOTIFY_OK);
}

static void test_sms_client_errors_are_permanent(void **state)
{
    (void)state;
    const int statuses[] = {400, 401, 403, 404, 405, 410, 413, 415, 422, 451};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        sms_sink_fail_next(sms, 1, statuses[i]);
        struct dms_error err = {0};
        int rc = send_sms(700 + (int64_t)i, "您好", &err);
        if (rc != NOTIFY_PERMANENT)
            fail_msg("status %d gave %d", statuses[i], rc);
        assert_string_equal(err.code, "sms_rejected");
    }
}

static void test_sms_wrong_secret_is_refused(void **state)
{
    (void)state;
    struct sms_config c = sms_cfg();
    c.secret = "another-secret";
    struct outgoing m = {.id = 800, .store_code = "S1", .recipient = "13812345678", .body = "x"};
    size_t before = sms_sink_count(sms);
    struct dms_error err = {0};
    assert_int_equal(sms_send(&c, &m, (int64_t)time(NULL), &err), NOTIFY_PERMANENT);
    struct sms_post p;
    assert_true(sms_sink_get(sms, before, &p));
    assert_false(p.signature_ok);
    assert_int_equal(p.status, 401);
    /* A stale timestamp is refused the same way. */
    c.secret = SECRET;
    assert_int_equal(sms_send(&c, &m, (int64_t)time(NULL) - 3600, &err), NOTIFY_PERMANENT);
}

static void test_sms_connection_refused_and_timeout_are_retry(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/sms", closed_port());
    struct sms_config c = {.url = url, .secret = SECRET, .timeout_s = 5};
    struct outgoing m = {.id = 900, .store_code = "S1", .recipient = "13812345678", .body = "x"};
    struct dms_error err = {0};
    assert_int_equal(sms_send(&c, &m, (int64_t)time(NULL), &err), NOTIFY_RETRY);
    assert_string_equal(err.code, "sms_unreachable");

    /* A gateway slower than the timeout: retried; it did see the POST (hence the id). */
    c = sms_cfg();
    c.timeout_s = 1;
    size_t before = sms_sink_count(sms);
    sms_sink_delay_ms(sms, 2500);
    assert_int_equal(sms_send(&c, &m, (int64_t)time(NULL), &err), NOTIFY_RETRY);
    sms_sink_delay_ms(sms, 0);
    assert_int_equal(sms_sink_count(sms), before + 1);
    struct sms_post p;
    assert_true(sms_sink_get(sms, before, &p));
    assert_int_equal(p.id, 900);
}

static void test_sms_bad_text_is_permanent(void **state)
{
    (void)state;
    size_t before = sms_sink_count(sms);
    struct dms_error err = {0};
    assert_int_equal(send_sms(901, "bad \xFF utf-8", &err), NOTIFY_PERMANENT);
    assert_int_equal(sms_sink_count(sms), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smtp_delivers_chinese_mail),
        cmocka_unit_test(test_smtp_unknown_recipient_is_permanent),
        cmocka_unit_test(test_smtp_temporary_failure_is_retry),
        cmocka_unit_test(test_smtp_connection_refused_is_retry),
        cmocka_unit_test(test_smtp_starttls_required_but_missing_is_retry),
        cmocka_unit_test(test_smtp_bad_addresses),
        cmocka_unit_test(test_sms_delivers_signed_post),
        cmocka_unit_test(test_sms_server_errors_are_retry),
        cmocka_unit_test(test_sms_client_errors_are_permanent),
        cmocka_unit_test(test_sms_wrong_secret_is_refused),
        cmocka_unit_test(test_sms_connection_refused_and_timeout_are_retry),
        cmocka_unit_test(test_sms_bad_text_is_permanent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
