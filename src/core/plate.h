/* Mainland China licence plates (GA 36): regular 7-character plates (粤B12345), new-energy
 * 8-character plates (small: 粤BD12345, large: 粤B12345D), plates with a special last
 * character (挂 学 警 港 澳 领 试 超) and embassy plates (使). Input is normalised: spaces,
 * dots and dashes dropped, full-width letters and digits made ASCII, letters upper-cased. */
#ifndef DMS_CORE_PLATE_H
#define DMS_CORE_PLATE_H

#include <stddef.h>

#include "core/error.h"

/* Longest normalised plate: 8 characters, CJK ones 3 bytes each. */
#define PLATE_MAX_BYTES 32

enum plate_kind { PLATE_REGULAR, PLATE_NEW_ENERGY, PLATE_SPECIAL };

/* Normalises and validates; error code invalid_plate. */
int plate_normalize(const char *in, char out[PLATE_MAX_BYTES], enum plate_kind *kind,
                    struct dms_error *err);

const char *plate_kind_name(enum plate_kind kind);

#endif
