/* Mainland China phone numbers: mobiles (1[3-9] + 9 digits, with or without +86/0086),
 * landlines with area code (010/02x + 8 digits, 0xxx + 7-8 digits) and 400/800 service
 * numbers, both with an optional extension after 转/ext/#. Normalised to digits, with "-ext"
 * for an extension; the normalised form reads back as itself. */
#ifndef DMS_CORE_PHONE_H
#define DMS_CORE_PHONE_H

#include <stddef.h>

#include "core/error.h"

#define PHONE_MAX 24

enum phone_kind { PHONE_MOBILE, PHONE_LANDLINE, PHONE_SERVICE };

/* Error code invalid_phone with `field` as the field name. */
int phone_normalize(const char *in, char out[PHONE_MAX], enum phone_kind *kind, const char *field,
                    struct dms_error *err);

/* 13812345678 -> 138****5678; 075512345678 -> 0755****5678. Works on normalised numbers;
 * anything shorter than 8 characters becomes all stars. */
void phone_mask(const char *normalized, char out[PHONE_MAX]);

#endif
