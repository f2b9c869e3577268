/* A stand-in SMTP relay for the API tests: tests/smtp/sink.py (aiosmtpd, from Debian's
 * python3-aiosmtpd, run with /usr/bin/python3) in a child process on 127.0.0.1, writing each
 * message it accepts to DIR/N.eml (N = 0, 1, ... in arrival order): X-Envelope-From and
 * X-Envelope-To lines, then the raw message. Recipients whose local part starts with "reject"
 * are refused with 550, "tempfail..." with 451. Helpers read the files back for assertions. */
#ifndef DMS_TEST_SMTP_SINK_H
#define DMS_TEST_SMTP_SINK_H

#include <sys/types.h>

/* Starts the sink writing into dir (created if missing) and waits, at most 10 s, until it
 * listens. The script is found under $DMS_SOURCE_DIR (ctest sets it), else the current
 * folder. Returns 0 with *pid and *port set, or -1 (the reason on stderr; see DIR/sink.log). */
int smtp_sink_start(const char *dir, pid_t *pid, int *port);
/* SIGTERM, then waits (bounded, SIGKILL after 5 s). */
void smtp_sink_stop(pid_t pid);

/* Number of messages received so far. */
int smtp_sink_count(const char *dir);
/* Waits (at most timeout_ms) until at least n messages have arrived; returns the count. */
int smtp_sink_wait(const char *dir, int n, int timeout_ms);
/* Message n (0-based), as written by the sink; malloc'ed, NULL when absent. */
char *smtp_sink_read(const char *dir, int n);

/* The value of header `name` (case-insensitive) of a raw message, unfolded; malloc'ed, NULL
 * when absent. Only the header block is searched. */
char *smtp_sink_header(const char *raw, const char *name);
/* The Subject with its RFC 2047 "=?UTF-8?B?...?=" words decoded; malloc'ed, NULL when there is
 * no Subject or a word does not decode. */
char *smtp_sink_subject(const char *raw);
/* The body after the blank line, base64-decoded when Content-Transfer-Encoding is base64
 * (line breaks ignored), else as is; malloc'ed and NUL-terminated, NULL when malformed. */
char *smtp_sink_body(const char *raw);
/* Decodes standard base64 (CR, LF, spaces and tabs ignored); malloc'ed and NUL-terminated,
 * *len (when not NULL) set to the decoded length; NULL when malformed. */
char *smtp_sink_base64_decode(const char *b64, size_t b64_len, size_t *len);

#endif
