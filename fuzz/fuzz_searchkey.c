/* Fuzzes the booking-call search keys (src/core/searchkey.c, IN-3): every name, phone, plate
 * and VIN is indexed as the suffixes of its normalised key, and every query typed into the
 * search box becomes a prefix range [key, bound) over them (store/search.c).
 *
 * Input: byte 0 = min_chars for search_suffixes (low 3 bits) and a small output capacity for
 * a truncation check (high 5 bits), then the text. Checks, beyond "no crash":
 * - search_normalize equals an independent normalisation (invalid bytes skipped, white space,
 *   . - · • ・ ． － and noncharacters dropped, full-width ASCII folded, ASCII upper-cased),
 *   fits its
 *   buffer, is valid UTF-8 and normalises to itself; with a smaller buffer it is the longest
 *   whole-character prefix that fits;
 * - search_key_chars counts its code points;
 * - search_suffixes emits every suffix with at least min_chars characters, longest first,
 *   each at a character boundary with its offset in characters, and stops at (and returns)
 *   the first non-zero answer of emit;
 * - search_query_ok holds exactly for keys with a CJK character (Han, kana, Hangul) or two
 *   other characters;
 * - for queries made of the first characters of indexed suffixes, a suffix lies in
 *   [query, search_prefix_bound(query)) exactly when it starts with the query, so the range
 *   scan finds every match and nothing else. */
#include "core/searchkey.h"

#include "fuzz.h"

static bool dropped(uint32_t c)
{
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFEu) == 0xFFFEu) /* noncharacters */
        return true;
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == '.' || c == '-' ||
           c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0xFF0E || c == 0xFF0D;
}

/* Han (with radicals, CJK punctuation and compatibility ideographs), kana, Hangul. */
static bool cjk(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Independent normalisation into out (cap bytes, cap >= 1). */
static void ref_normalize(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s), used = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)s + i, n - i, &cp);
        if (l == 0) {
            i++;
            continue;
        }
        const char *src = s + i;
        i += l;
        if (dropped(cp))
            continue;
        char one[4];
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp = cp - 0xFF01 + 0x21;
            l = 1;
        } else {
            memcpy(one, src, l);
        }
        if (cp >= 'a' && cp <= 'z')
            cp = cp - 'a' + 'A';
        if (l == 1)
            one[0] = (char)cp;
        if (used + l + 1 > cap)
            break;
        memcpy(out + used, one, l);
        used += l;
    }
    out[used] = '\0';
}

#define MAX_SUFFIXES SEARCH_KEY_MAX

struct collect {
    const char *key;
    const char *suffix[MAX_SUFFIXES];
    size_t offset[MAX_SUFFIXES];
    size_t n;
    size_t stop_at; /* return non-zero on this call (1-based); 0 = never */
};

static int collect_emit(void *p, const char *suffix, size_t offset)
{
    struct collect *c = p;
    FUZZ_CHECK(c->n < MAX_SUFFIXES);
    c->suffix[c->n] = suffix;
    c->offset[c->n] = offset;
    c->n++;
    return c->n == c->stop_at ? 42 : 0;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The range [q, bound(q)) holds exactly the suffixes that start with q. */
static void check_range(const char *q, const struct collect *c)
{
    char bound[SEARCH_KEY_MAX + 8]; /* as search_run */
    search_prefix_bound(q, bound, sizeof bound);
    FUZZ_CHECK(strcmp(q, bound) < 0);
    for (size_t i = 0; i < c->n; i++) {
        const char *s = c->suffix[i];
        bool in = strcmp(q, s) <= 0 && strcmp(s, bound) < 0;
        if (in != starts_with(s, q)) {
            fprintf(stderr, "query \"%s\": suffix \"%s\" %s the range\n", q, s,
                    in ? "wrongly in" : "missing from");
            FUZZ_FAIL("prefix bound ordering");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t min_chars = data[0] & 7u, small_cap = (data[0] >> 3) + 1u;
    char *in = fuzz_cstr(data + 1, size - 1);
    char *key = malloc(SEARCH_KEY_MAX), *small = malloc(small_cap);
    if (!in || !key || !small)
        goto out;

    search_normalize(in, key, SEARCH_KEY_MAX);
    char ref[SEARCH_KEY_MAX];
    ref_normalize(in, ref, sizeof ref);
    FUZZ_CHECK(strcmp(key, ref) == 0);
    size_t n = strlen(key);
    FUZZ_CHECK(n < SEARCH_KEY_MAX);
    long chars = fuzz_utf8_count(key, n);
    FUZZ_CHECK(chars >= 0);
    bool has_cjk = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = fuzz_utf8_seq((const unsigned char *)key + i, n - i, &cp);
        FUZZ_CHECK(!dropped(cp) && !(cp >= 'a' && cp <= 'z') && !(cp >= 0xFF01 && cp <= 0xFF5E));
        has_cjk = has_cjk || cjk(cp);
        i += l;
    }
    char again[SEARCH_KEY_MAX];
    search_normalize(key, again, sizeof again);
    FUZZ_CHECK(strcmp(again, key) == 0);

    /* Truncation to a small buffer: whole characters only, as many as fit. */
    search_normalize(in, small, small_cap);
    ref_normalize(in, ref, small_cap);
    FUZZ_CHECK(strcmp(small, ref) == 0 && strlen(small) < small_cap && fuzz_utf8_valid(small));

    FUZZ_CHECK(search_key_chars(key) == (size_t)chars);
    FUZZ_CHECK(search_query_ok(key) == (has_cjk || chars >= 2));

    /* All suffixes. */
    static struct collect c;
    memset(&c, 0, sizeof c);
    c.key = key;
    FUZZ_CHECK(search_suffixes(key, min_chars, collect_emit, &c) == 0);
    size_t want = (size_t)chars >= min_chars ? (size_t)chars - (min_chars ? min_chars - 1 : 0) : 0;
    FUZZ_CHECK(c.n == want);
    size_t pos = 0;
    for (size_t i = 0; i < c.n; i++) {
        FUZZ_CHECK(c.offset[i] == i);
        FUZZ_CHECK(c.suffix[i] == key + pos);
        FUZZ_CHECK((size_t)fuzz_utf8_count(c.suffix[i], strlen(c.suffix[i])) == (size_t)chars - i);
        FUZZ_CHECK((size_t)chars - i >= min_chars);
        uint32_t cp;
        pos += fuzz_utf8_seq((const unsigned char *)key + pos, n - pos, &cp);
    }

    /* Early stop. */
    if (c.n >= 1) {
        static struct collect s;
        memset(&s, 0, sizeof s);
        s.stop_at = c.n / 2 + 1;
        FUZZ_CHECK(search_suffixes(key, min_chars, collect_emit, &s) == 42);
        FUZZ_CHECK(s.n == s.stop_at);
    }

    /* Range scans: the whole key, and the first 1-3 characters of the first suffixes. */
    if (chars > 0)
        check_range(key, &c);
    for (size_t i = 0; i < c.n && i < 8; i++) {
        const char *s = c.suffix[i];
        size_t sl = strlen(s), bytes = 0;
        for (int k = 1; k <= 3 && bytes < sl; k++) {
            uint32_t cp;
            bytes += fuzz_utf8_seq((const unsigned char *)s + bytes, sl - bytes, &cp);
            char q[SEARCH_KEY_MAX];
            memcpy(q, s, bytes);
            q[bytes] = '\0';
            check_range(q, &c);
        }
    }
out:
    free(small);
    free(key);
    free(in);
    return 0;
}
