/* Vehicle identification numbers (ISO 3779, GB 16735): 17 characters from 0-9 and A-Z
 * without I, O, Q; position 9 is a check digit (0-9 or X) over the other sixteen. */
#ifndef DMS_CORE_VIN_H
#define DMS_CORE_VIN_H

#include <stdbool.h>

#include "core/error.h"

#define VIN_LEN 17

/* The check digit the first 17 characters of a well-formed VIN should carry ('0'-'9' or
 * 'X'); '\0' when a character is outside the VIN alphabet. */
char vin_check_digit(const char *vin);

/* Normalises input (trims spaces, upper-cases) into out (VIN_LEN + 1 bytes) and validates
 * it. Errors: invalid_vin (length or alphabet), vin_check_digit (wrong digit, only when
 * verify_check_digit is true). */
int vin_normalize(const char *in, char out[VIN_LEN + 1], bool verify_check_digit,
                  struct dms_error *err);

#endif
