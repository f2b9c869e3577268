/* The one table from error codes to HTTP statuses. Shape errors of a request are 400,
 * well-formed values that break a rule are 422. */
#include <string.h>

#include "http/http.h"

static const struct {
    const char *code;
    int status;
} TABLE[] = {
    {"invalid_json", 400},
    {"invalid_field", 400},
    {"missing_field", 400},
    {"unauthorized", 401},
    {"forbidden", 403},
    {"password_change_required", 403},
    {"not_found", 404},
    {"method_not_allowed", 405},
    {"conflict", 409},
    {"task_closed", 409},
    {"payload_too_large", 413},
    {"invalid_vin", 422},
    {"vin_check_digit", 422},
    {"invalid_plate", 422},
    {"invalid_phone", 422},
    {"invalid_email", 422},
    {"invalid_date", 422},
    {"mileage_inconsistent", 422},
    {"weak_password", 422},
    {"wrong_password", 422},
    {"self_lockout", 422},
    {"invalid_template", 422},
    {"stock_reserved", 422},
    {"slot_taken", 409},
    {"slot_unavailable", 409},
    {"invalid_transition", 409},
    {"parts_not_received", 409},
    {"parts_unavailable", 422},
    {"unknown_operation", 422},
    {"unknown_part", 422},
    {"bad_signature", 401},
    {"busy", 503},
    {"server_busy", 503},       /* over the connection limits (issue 11, defect 4) */
    {"too_many_attempts", 429}, /* failed sign-ins: Retry-After (issue 11, defect 3) */
    {"overloaded", 503},        /* no password-hashing slot came free in time */
    {"customer_erased", 409},   /* PIPL: the customer's personal data was erased (privacy.c) */
    /* Reception and repair orders (RO-1..RO-9). */
    {"not_today", 422},
    {"already_checked_in", 409},
    {"repair_order_required", 409},
    {"out_of_stock", 409},
    {"booked_first", 409},
    {"order_closed", 409},
    {"already_decided", 409},
    {"clocked_on", 409},
    {"already_settled", 409},
    {"decision_pending", 409},
    {"payments_mismatch", 422},
    /* The 9-point call check (IN-21): the user scored is not an advisor. */
    {"not_an_advisor", 422},
    {"db_error", 500},
    {"db_open", 503},
    {"internal", 500},
};

int errors_status(const char *code)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
        if (strcmp(TABLE[i].code, code) == 0)
            return TABLE[i].status;
    }
    return 500;
}

bool errors_known(const char *code)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
        if (strcmp(TABLE[i].code, code) == 0)
            return true;
    }
    return false;
}
