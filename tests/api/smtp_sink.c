/* The stand-in SMTP relay (see smtp_sink.h). */
#include "smtp_sink.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    }
    mkdir(tmp, 0755);
}

int smtp_sink_start(const char *dir, pid_t *pid, int *port)
{
    char script[1024], port_file[1024], log[1024];
    const char *src = getenv("DMS_SOURCE_DIR");
    snprintf(script, sizeof script, "%s/tests/smtp/sink.py", src && *src ? src : ".");
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    snprintf(log, sizeof log, "%s/sink.log", dir);
    mkdirs(dir);
    unlink(port_file);
    /* Debian's interpreter, where python3-aiosmtpd is installed (a python3 first on PATH may
     * be another one, e.g. pyenv's). */
    const char *python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "smtp_sink: fork: %s\n", strerror(errno));
        return -1;
    }
    if (child == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execlp(python, python, script, dir, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 1000; i++) { /* 10 s */
        FILE *f = fopen(port_file, "r");
        if (f) {
            int p = 0;
            bool ok = fscanf(f, "%d", &p) == 1 && p > 0;
            fclose(f);
            if (ok) {
                *pid = child;
                *port = p;
                return 0;
            }
        }
        int status;
        if (waitpid(child, &status, WNOHANG) == child) {
            fprintf(stderr, "smtp_sink: %s %s exited early; see %s\n", python, script, log);
            return -1;
        }
        sleep_ms(10);
    }
    smtp_sink_stop(child);
    fprintf(stderr, "smtp_sink: no port within 10 s; see %s\n", log);
    return -1;
}

void smtp_sink_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    int status;
    for (int i = 0; i < 500; i++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno == ECHILD))
            return;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

int smtp_sink_count(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t digits = strspn(e->d_name, "0123456789");
        n += digits > 0 && strcmp(e->d_name + digits, ".eml") == 0;
    }
    closedir(d);
    return n;
}

int smtp_sink_wait(const char *dir, int n, int timeout_ms)
{
    int count = smtp_sink_count(dir);
    for (int waited = 0; count < n && waited < timeout_ms; waited += 10) {
        sleep_ms(10);
        count = smtp_sink_count(dir);
    }
    return count;
}

char *smtp_sink_read(const char *dir, int n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%d.eml", dir, n);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t len = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        char *grown = realloc(data, len + got + 1);
        if (!grown) {
            free(data);
            fclose(f);
            return NULL;
        }
        data = grown;
        memcpy(data + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!data)
        data = calloc(1, 1);
    else
        data[len] = '\0';
    return data;
}

/* End of the header block: the offset of the blank line's CRLF CRLF (or LF LF). */
static size_t header_end(const char *raw)
{
    const char *crlf = strstr(raw, "\r\n\r\n"), *lf = strstr(raw, "\n\n");
    if (crlf && (!lf || crlf < lf))
        return (size_t)(crlf - raw) + 2;
    if (lf)
        return (size_t)(lf - raw) + 1;
    return strlen(raw);
}

char *smtp_sink_header(const char *raw, const char *name)
{
    size_t end = header_end(raw), nlen = strlen(name);
    for (size_t i = 0; i < end;) {
        size_t line_end = i;
        while (line_end < end && raw[line_end] != '\n')
            line_end++;
        if (line_end - i > nlen && raw[i + nlen] == ':' && strncasecmp(raw + i, name, nlen) == 0) {
            /* The value runs on over continuation lines (starting with space or tab). */
            size_t v = i + nlen + 1, stop = line_end;
            while (stop + 1 < end && (raw[stop + 1] == ' ' || raw[stop + 1] == '\t')) {
                stop++;
                while (stop < end && raw[stop] != '\n')
                    stop++;
            }
            char *out = malloc(stop - v + 1);
            if (!out)
                return NULL;
            size_t o = 0;
            for (size_t k = v; k < stop; k++) {
                if (raw[k] != '\r' && raw[k] != '\n')
                    out[o++] = raw[k];
            }
            out[o] = '\0';
            /* Trim the space after the colon. */
            size_t lead = strspn(out, " \t");
            memmove(out, out + lead, o - lead + 1);
            return out;
        }
        i = line_end + 1;
    }
    return NULL;
}

char *smtp_sink_base64_decode(const char *b64, size_t b64_len, size_t *len)
{
    char *out = malloc(b64_len / 4 * 3 + 4);
    if (!out)
        return NULL;
    size_t n = 0;
    const char *end = NULL;
    if (sodium_base642bin((unsigned char *)out, b64_len / 4 * 3 + 3, b64, b64_len, " \t\r\n", &n,
                          &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    if (len)
        *len = n;
    return out;
}

char *smtp_sink_subject(const char *raw)
{
    char *value = smtp_sink_header(raw, "Subject");
    if (!value)
        return NULL;
    size_t cap = strlen(value) + 1;
    char *out = malloc(cap);
    if (!out) {
        free(value);
        return NULL;
    }
    size_t o = 0;
    const char *p = value;
    bool after_word = false;
    while (*p) {
        if (strncasecmp(p, "=?UTF-8?B?", 10) == 0) {
            const char *text = p + 10, *close = strstr(text, "?=");
            size_t n = 0;
            char *dec = close ? smtp_sink_base64_decode(text, (size_t)(close - text), &n) : NULL;
            if (!dec || o + n >= cap) {
                free(dec);
                free(out);
                free(value);
                return NULL;
            }
            memcpy(out + o, dec, n);
            o += n;
            free(dec);
            p = close + 2;
            after_word = true;
            continue;
        }
        /* White space between two encoded words is not part of the text (RFC 2047 6.2). */
        size_t ws = strspn(p, " \t");
        if (ws && after_word && strncasecmp(p + ws, "=?UTF-8?B?", 10) == 0) {
            p += ws;
            continue;
        }
        out[o++] = *p++;
        after_word = false;
    }
    out[o] = '\0';
    free(value);
    return out;
}

char *smtp_sink_body(const char *raw)
{
    size_t end = header_end(raw);
    const char *body = raw + end;
    body += strncmp(body, "\r\n", 2) == 0 ? 2 : *body == '\n' ? 1 : 0;
    char *cte = smtp_sink_header(raw, "Content-Transfer-Encoding");
    bool b64 = cte && strcasecmp(cte, "base64") == 0;
    free(cte);
    if (b64)
        return smtp_sink_base64_decode(body, strlen(body), NULL);
    return strdup(body);
}
