/* Fuzzes the request-body path of the HTTP layer: the bytes a client sends are parsed as the
 * router does (json_loadb with JSON_REJECT_DUPLICATES), then the project's strict readers of
 * src/http/json_in.c (jin_only, jin_string, jin_text, jin_int, jin_bool, jin_enum, jin_date,
 * jin_prefix_field) run over the fields the customer, vehicle and service-record handlers
 * read, and the core validators run on what they return (phone, e-mail, VIN, plate), as the
 * handlers do. No server, database or network is involved.
 *
 * Checks, beyond "no crash":
 * - every reader answers JIN_ABSENT exactly when the key is missing, JIN_NULL exactly for an
 *   optional null, -1 with missing_field for a required one, and otherwise JIN_VALUE only for
 *   a value of the right type that satisfies the rule: a string without NUL bytes; cleaned
 *   text within its character limit, without control characters, trimmed; an integer in
 *   range; a name from the value set; a date that parses to the same day and prints back as
 *   sent;
 * - jin_only fails exactly when a key is outside the allowed list;
 * - every failure fills an error the router can send: the error body built as router.c's
 *   error_body() does is not NULL (code, message and field valid UTF-8), and names a field. */
#include "core/customer.h"
#include "core/date.h"
#include "core/email.h"
#include "core/money.h"
#include "core/phone.h"
#include "core/plate.h"
#include "core/service_record.h"
#include "core/text.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "http/http.h"

#include "fuzz.h"

/* What the client would receive for err: the same json_pack as router.c's error_body(). */
static void check_error(const struct dms_error *e, const char *context)
{
    FUZZ_CHECK(e->code[0] != '\0');
    json_t *field = e->field[0] ? json_string(e->field) : json_null();
    json_t *body = field ? json_pack("{s:{s:s, s:s, s:o}}", "error", "code", e->code, "message",
                                     e->message, "field", field)
                         : NULL;
    if (!body) {
        fprintf(stderr, "%s: error body cannot be sent: code \"%s\" field \"%s\" message \"%s\"\n",
                context, e->code, e->field, e->message);
        FUZZ_FAIL("error responses are valid JSON (UTF-8 code, message and field)");
    }
    json_decref(body);
}

enum kind { K_TEXT, K_STRING, K_INT, K_BOOL, K_ENUM, K_DATE };

struct field {
    const char *key;
    enum kind kind;
    bool required;
    long max_chars;           /* K_TEXT */
    bool multiline;           /* K_TEXT */
    int64_t lo, hi;           /* K_INT */
    const char *const *names; /* K_ENUM */
    int count;
};

static const char *const VIN_CHECKS[] = {"verify", "skip"};

static const struct field FIELDS[] = {
    {"name", K_TEXT, true, CUSTOMER_NAME_CHARS, false, 0, 0, NULL, 0},
    {"title", K_TEXT, false, CUSTOMER_TITLE_CHARS, false, 0, 0, NULL, 0},
    {"address", K_TEXT, false, CUSTOMER_ADDRESS_CHARS, false, 0, 0, NULL, 0},
    {"notes", K_TEXT, false, CUSTOMER_NOTES_CHARS, true, 0, 0, NULL, 0},
    {"needs_note", K_TEXT, false, 500, true, 0, 0, NULL, 0},
    {"brand", K_TEXT, false, VEHICLE_TEXT_CHARS, false, 0, 0, NULL, 0},
    {"technician", K_TEXT, false, CUSTOMER_NAME_CHARS, false, 0, 0, NULL, 0},
    {"type", K_ENUM, false, 0, false, 0, 0, CUSTOMER_TYPE_NAMES, CUSTOMER_TYPE_COUNT},
    {"classification", K_ENUM, false, 0, false, 0, 0, CUSTOMER_CLASS_NAMES, CLASS_COUNT},
    {"kind", K_ENUM, false, 0, false, 0, 0, SERVICE_KIND_NAMES, SERVICE_KIND_COUNT},
    {"source", K_ENUM, false, 0, false, 0, 0, MILEAGE_SOURCE_NAMES, MILEAGE_SOURCE_COUNT},
    {"vin_check", K_ENUM, false, 0, false, 0, 0, VIN_CHECKS, 2},
    {"email", K_STRING, false, 0, false, 0, 0, NULL, 0},
    {"phone", K_STRING, false, 0, false, 0, 0, NULL, 0},
    {"vin", K_STRING, false, 0, false, 0, 0, NULL, 0},
    {"plate", K_STRING, false, 0, false, 0, 0, NULL, 0},
    {"customer_id", K_INT, false, 0, false, 1, INT64_MAX, NULL, 0},
    {"model_year", K_INT, false, 0, false, INT32_MIN, INT32_MAX, NULL, 0},
    {"mileage_km", K_INT, false, 0, false, 0, VEHICLE_MAX_KM, NULL, 0},
    {"amount_fen", K_INT, false, 0, false, 0, MONEY_MAX_FEN, NULL, 0},
    {"contact_consent", K_BOOL, false, 0, false, 0, 0, NULL, 0},
    {"purchase_date", K_DATE, false, 0, false, 0, 0, NULL, 0},
    {"date", K_DATE, true, 0, false, 0, 0, NULL, 0},
};
#define N_FIELDS (sizeof FIELDS / sizeof FIELDS[0])

/* Runs the reader of f on obj and checks its answer. */
static void read_field(const json_t *obj, const struct field *f)
{
    struct dms_error err = {0};
    json_t *v = json_object_get(obj, f->key);
    int rc = -1;
    char text[CUSTOMER_NOTES_CHARS * 4 + 1], date[DATE_STR] = "";
    const char *s = NULL;
    int64_t i = 0;
    bool b = false;
    int e = -1;
    dms_day day = 0;
    switch (f->kind) {
    case K_TEXT:
        rc = jin_text(obj, f->key, f->required, f->max_chars, f->multiline, text,
                      (size_t)f->max_chars * 4 + 1, &err);
        break;
    case K_STRING:
        rc = jin_string(obj, f->key, f->required, &s, &err);
        break;
    case K_INT:
        rc = jin_int(obj, f->key, f->required, f->lo, f->hi, &i, &err);
        break;
    case K_BOOL:
        rc = jin_bool(obj, f->key, f->required, &b, &err);
        break;
    case K_ENUM:
        rc = jin_enum(obj, f->key, f->required, f->names, f->count, &e, &err);
        break;
    case K_DATE:
        rc = jin_date(obj, f->key, f->required, date, &day, &err);
        break;
    }
    FUZZ_CHECK(rc == -1 || rc == JIN_ABSENT || rc == JIN_VALUE || rc == JIN_NULL);
    FUZZ_CHECK((rc == JIN_ABSENT) == (!v && !f->required));
    FUZZ_CHECK((rc == JIN_NULL) == (json_is_null(v) && !f->required));
    if (rc < 0) {
        check_error(&err, f->key);
        FUZZ_CHECK(strcmp(err.field, f->key) == 0);
        if (!v || json_is_null(v))
            FUZZ_CHECK(strcmp(err.code, "missing_field") == 0);
        return;
    }
    if (rc != JIN_VALUE)
        return;
    struct dms_error verr = {0};
    switch (f->kind) {
    case K_TEXT: {
        size_t len = strlen(text);
        FUZZ_CHECK(json_is_string(v) && len < (size_t)f->max_chars * 4 + 1);
        FUZZ_CHECK(fuzz_clean_text(text, f->multiline));
        FUZZ_CHECK(fuzz_utf8_count(text, len) <= f->max_chars);
        FUZZ_CHECK(!f->required || len > 0);
        FUZZ_CHECK(strstr(json_string_value(v), text) != NULL);
        break;
    }
    case K_STRING: {
        FUZZ_CHECK(json_is_string(v) && s == json_string_value(v));
        FUZZ_CHECK(strlen(s) == json_string_length(v) && fuzz_utf8_valid(s));
        /* The handlers' next step: the core validator, whose errors are sent as well. */
        char out[EMAIL_MAX];
        int vrc = 0;
        if (strcmp(f->key, "email") == 0)
            vrc = email_normalize(s, out, "email", &verr);
        else if (strcmp(f->key, "phone") == 0)
            vrc = phone_normalize(s, out, NULL, "phone", &verr);
        else if (strcmp(f->key, "vin") == 0)
            vrc = vin_normalize(s, out, true, &verr);
        else if (strcmp(f->key, "plate") == 0)
            vrc = plate_normalize(s, out, NULL, &verr);
        if (vrc < 0)
            check_error(&verr, f->key);
        else
            FUZZ_CHECK(fuzz_utf8_valid(out));
        break;
    }
    case K_INT:
        FUZZ_CHECK(json_is_integer(v) && i == json_integer_value(v) && i >= f->lo && i <= f->hi);
        break;
    case K_BOOL:
        FUZZ_CHECK(json_is_boolean(v) && b == json_is_true(v));
        break;
    case K_ENUM:
        FUZZ_CHECK(e >= 0 && e < f->count && strcmp(f->names[e], json_string_value(v)) == 0);
        break;
    case K_DATE: {
        dms_day again;
        FUZZ_CHECK(strcmp(date, json_string_value(v)) == 0);
        FUZZ_CHECK(date_parse(date, &again, "date", NULL) == 0 && again == day);
        break;
    }
    }
}

/* jin_only against a list, checked against a plain scan of the keys. */
static int only(const json_t *obj, const char *const *allowed, const char *prefix,
                struct dms_error *err)
{
    int rc = jin_only(obj, allowed, prefix, err);
    bool all_known = true;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known = known || strcmp(*a, key) == 0;
        all_known = all_known && known;
    }
    FUZZ_CHECK((rc == 0) == all_known);
    if (rc < 0) {
        check_error(err, "jin_only");
        FUZZ_CHECK(strcmp(err->code, "invalid_field") == 0);
        FUZZ_CHECK(strncmp(err->field, prefix ? prefix : "", strlen(prefix ? prefix : "")) == 0);
    }
    return rc;
}

/* "phones": strings or {"number", "label"} objects, as customers.c reads them. */
static void read_phones(const json_t *arr)
{
    static const char *const allowed[] = {"number", "label", NULL};
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        struct dms_error err = {0};
        char prefix[40];
        snprintf(prefix, sizeof prefix, "phones[%zu].", i);
        const char *number = NULL;
        int label = 0;
        if (json_is_object(item)) {
            if (only(item, allowed, prefix, &err) < 0)
                continue;
            if (jin_string(item, "number", true, &number, &err) < 0 ||
                jin_enum(item, "label", false, PHONE_LABEL_NAMES, PHONE_LABEL_COUNT, &label, &err) <
                    0) {
                jin_prefix_field(&err, prefix);
                check_error(&err, "phones[]");
                FUZZ_CHECK(strncmp(err.field, prefix, strlen(prefix)) == 0);
                continue;
            }
        } else if (json_is_string(item)) {
            number = json_string_value(item);
        }
        if (!number)
            continue;
        char out[PHONE_MAX];
        char field[32];
        snprintf(field, sizeof field, "phones[%zu]", i);
        if (phone_normalize(number, out, NULL, field, &err) < 0)
            check_error(&err, field);
    }
}

/* "labour": objects read with an empty prefix, then renamed "labour[i].<field>", as
 * service_records.c does. */
static void read_labour(const json_t *arr)
{
    static const char *const allowed[] = {"code", "operation", "hours", "amount_fen", NULL};
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        if (!json_is_object(item))
            continue;
        struct dms_error err = {0};
        char code[32 * 4 + 1], operation[64 * 4 + 1];
        int64_t amount;
        int rc_code = 0;
        if (only(item, allowed, "", &err) < 0 ||
            (rc_code = jin_text(item, "code", false, 32, false, code, sizeof code, &err)) < 0 ||
            jin_text(item, "operation", rc_code != JIN_VALUE, 64, false, operation,
                     sizeof operation, &err) < 0 ||
            jin_int(item, "amount_fen", true, 0, MONEY_MAX_FEN, &amount, &err) < 0) {
            char prefix[40];
            snprintf(prefix, sizeof prefix, "labour[%zu].", i);
            FUZZ_CHECK(jin_prefix_field(&err, prefix) == -1);
            check_error(&err, "labour[]");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!body)
        return 0;
    if (json_is_object(body)) {
        static const char *allowed[N_FIELDS + 4];
        for (size_t i = 0; i < N_FIELDS; i++)
            allowed[i] = FIELDS[i].key;
        allowed[N_FIELDS] = "phones";
        allowed[N_FIELDS + 1] = "consent";
        allowed[N_FIELDS + 2] = "labour";
        allowed[N_FIELDS + 3] = NULL;
        struct dms_error err = {0};
        (void)only(body, allowed, NULL, &err);
        /* Read every field even when jin_only refused one: each reader must stand alone. */
        for (size_t i = 0; i < N_FIELDS; i++)
            read_field(body, &FIELDS[i]);

        json_t *phones = json_object_get(body, "phones");
        if (json_is_array(phones))
            read_phones(phones);
        json_t *labour = json_object_get(body, "labour");
        if (json_is_array(labour))
            read_labour(labour);
        json_t *consent = json_object_get(body, "consent");
        if (json_is_object(consent)) {
            static const char *const channels[] = {"sms", "email", "phone", "marketing", NULL};
            struct dms_error cerr = {0};
            (void)only(consent, channels, "consent.", &cerr);
            for (int i = 0; i < CONSENT_COUNT; i++) {
                bool b;
                struct dms_error berr = {0};
                if (jin_bool(consent, CONSENT_CHANNEL_NAMES[i], false, &b, &berr) < 0) {
                    jin_prefix_field(&berr, "consent.");
                    check_error(&berr, "consent");
                }
            }
        }
    }
    json_decref(body);
    return 0;
}
