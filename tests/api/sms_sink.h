/* A stand-in SMS gateway for the API tests: an HTTP listener inside the test process on
 * 127.0.0.1 (libmicrohttpd, one thread per connection) that records every POST it gets in the
 * form of docs/sms-gateway.md and checks its signature with sms_verify. Knobs make it answer
 * with an error status or slowly. All accessors are thread-safe. */
#ifndef DMS_TEST_SMS_SINK_H
#define DMS_TEST_SMS_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sms_sink;

/* One POST as received. Fields the body lacked are 0 / "". */
struct sms_post {
    int64_t id;
    char to[32];
    char store[32];
    char text[8192];
    char timestamp[24]; /* X-DMS-Timestamp */
    bool signature_ok;  /* X-DMS-Signature verified with the sink's secret */
    bool json_ok;       /* the body was a JSON object with the four fields */
    int status;         /* what the sink answered: the status fail_next set, else 401 for a
                           bad signature, 400 for a bad body, else 200 */
    double arrived;     /* CLOCK_MONOTONIC seconds when the whole POST had arrived */
};

/* Starts listening on a free port; NULL on failure. */
struct sms_sink *sms_sink_start(const char *secret);
int sms_sink_port(const struct sms_sink *s);
/* "http://127.0.0.1:PORT/sms" (the path is not checked), for sms_config.url. */
const char *sms_sink_url(const struct sms_sink *s);
/* Stops listening (waits for requests in flight) and frees s; NULL is a no-op. */
void sms_sink_stop(struct sms_sink *s);

/* Number of POSTs recorded so far, failed answers included. */
size_t sms_sink_count(struct sms_sink *s);
/* Copies POST number i (0-based, in arrival order); false when i >= count. */
bool sms_sink_get(struct sms_sink *s, size_t i, struct sms_post *out);
/* Number of POSTs answered 2xx with a valid signature (what a real gateway would send). */
size_t sms_sink_delivered(struct sms_sink *s);
/* Forgets the recorded POSTs. */
void sms_sink_clear(struct sms_sink *s);

/* The next n requests are recorded and answered with status (e.g. 500, 429, 400), whatever
 * their signature. */
void sms_sink_fail_next(struct sms_sink *s, int n, int status);
/* Every request from now on is answered only after ms milliseconds (0 = at once); the POST is
 * recorded when it arrives, before the wait. */
void sms_sink_delay_ms(struct sms_sink *s, int ms);

/* Holding a send for an interleaving, without sleeps: the next n requests are recorded on
 * arrival and then kept waiting (no answer) until released. sms_sink_wait_held() waits (at
 * most timeout_ms) until at least k requests have been held in all since the sink started,
 * and returns that number; sms_sink_release() lets n of the ones waiting now be answered (in
 * arrival order is not promised; no credit is kept for later ones). Stopping the sink
 * releases them all. */
void sms_sink_hold_next(struct sms_sink *s, int n);
size_t sms_sink_wait_held(struct sms_sink *s, size_t k, int timeout_ms);
void sms_sink_release(struct sms_sink *s, int n);

#endif
