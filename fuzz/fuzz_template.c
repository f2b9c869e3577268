/* Fuzzes message templates (src/core/template.c), which store staff type in (MR-3, IN-16).
 *
 * Input: byte 0 = flags (bit 0: has_price, bit 1: empty values instead of the sample ones),
 * bytes 1-8 = price_fen (little-endian, any int64), then the template text. Checks, beyond
 * "no crash":
 * - template_check and template_render agree: both accept or both refuse with the same error,
 *   always invalid_template, with a message that is valid UTF-8; a refused render leaves
 *   *out NULL;
 * - they accept exactly what an independent reading accepts (clean UTF-8 with newline, tab and
 *   CR allowed, at most 1000 characters, "{{" and "}}" literal, "{known}" placeholders only)
 *   and the rendering equals that reading's, with the price formatted independently;
 * - the output is valid UTF-8 (the input and the values are). */
#include "core/template.h"

#include <inttypes.h>

#include "fuzz.h"

static const char *const NAMES[] = {"name",    "title", "plate", "due_date",
                                    "package", "price", "store", "store_phone"};

/* "¥1,234.50" built another way than template.c: digits first, commas from the left. */
static void ref_price(int64_t fen, char *out, size_t cap)
{
    uint64_t abs = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[32];
    snprintf(digits, sizeof digits, "%" PRIu64, abs / 100);
    size_t n = strlen(digits), first = n % 3 ? n % 3 : 3, o = 0;
    char grouped[48];
    for (size_t i = 0; i < n; i++) {
        if (i >= first && (i - first) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    snprintf(out, cap, "%s¥%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(abs % 100));
}

/* Independent rendering; false when the template must be refused. out has room for the
 * longest possible rendering (computed by the caller). */
static bool ref_render(const char *s, const char *const vals[8], char *out)
{
    if (!fuzz_clean_text(s, true) || fuzz_utf8_count(s, strlen(s)) > 1000)
        return false;
    size_t o = 0;
    for (size_t i = 0; s[i];) {
        if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
            out[o++] = s[i];
            i += 2;
        } else if (s[i] == '}') {
            return false;
        } else if (s[i] == '{') {
            const char *close = strchr(s + i + 1, '}');
            if (!close)
                return false;
            size_t len = (size_t)(close - (s + i + 1));
            int k = -1;
            for (int j = 0; j < 8; j++) {
                if (strlen(NAMES[j]) == len && strncmp(NAMES[j], s + i + 1, len) == 0)
                    k = j;
            }
            if (k < 0)
                return false; /* unknown, or a "{" inside (never a known name) */
            size_t vl = strlen(vals[k]);
            memcpy(out + o, vals[k], vl);
            o += vl;
            i += len + 2;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    bool has_price = data[0] & 1, empty = data[0] & 2;
    uint64_t raw = 0;
    for (int i = 8; i >= 1; i--)
        raw = (raw << 8) | data[i];
    int64_t fen;
    memcpy(&fen, &raw, sizeof fen);
    char *tpl = fuzz_cstr(data + 9, size - 9);
    if (!tpl)
        return 0;

    struct template_values v = {0};
    if (!empty) {
        v = (struct template_values){.name = "张三",
                                     .title = "先生",
                                     .plate = "粤B12345",
                                     .due_date = "2025-12-08",
                                     .package = "机油+机滤 {price} }}",
                                     .store = "深圳一店",
                                     .store_phone = "0755-12345678"};
    }
    v.price_fen = fen;
    v.has_price = has_price;
    char price[64] = "";
    if (has_price)
        ref_price(fen, price, sizeof price);
    const char *vals[8] = {v.name ? v.name : "",       v.title ? v.title : "",
                           v.plate ? v.plate : "",     v.due_date ? v.due_date : "",
                           v.package ? v.package : "", price,
                           v.store ? v.store : "",     v.store_phone ? v.store_phone : ""};

    struct dms_error check_err = {0}, render_err = {0};
    int check = template_check(tpl, "template", &check_err);
    char *out = (char *)1;
    int render = template_render(tpl, &v, &out, &render_err);
    FUZZ_CHECK(check == 0 || check == -1);
    FUZZ_CHECK(check == render);

    /* Each placeholder is at least 4 bytes and expands to at most 64. */
    char *want = malloc(strlen(tpl) * 16 + 1);
    FUZZ_CHECK(want != NULL);
    bool ok = ref_render(tpl, vals, want);
    FUZZ_CHECK((check == 0) == ok);
    if (check == 0) {
        FUZZ_CHECK(out != NULL);
        FUZZ_CHECK(strcmp(out, want) == 0);
        FUZZ_CHECK(fuzz_utf8_valid(out));
        free(out);
    } else {
        FUZZ_CHECK(out == NULL);
        FUZZ_CHECK(strcmp(check_err.code, "invalid_template") == 0);
        FUZZ_CHECK(strcmp(check_err.field, "template") == 0);
        FUZZ_CHECK(memcmp(&check_err, &render_err, sizeof check_err) == 0);
        FUZZ_CHECK(fuzz_utf8_valid(check_err.message));
    }
    free(want);
    free(tpl);
    return 0;
}
