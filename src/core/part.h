/* Part numbers (IN-5, IN-7, IN-12). A part number has one normal form: ASCII letters
 * upper-cased and spaces dropped, so "n 908 132 01" and "N 908 132 01" are both N90813201.
 * The parts master keeps its numbers in that form, and bookings and shortages name parts in
 * it (they enter as codes, upper-cased, which refuse spaces: operation_check_code);
 * maintenance plans and service records keep a number as printed ("N 908 132 01") and are
 * matched with the parts master through its normal form. Pure. */
#ifndef DMS_CORE_PART_H
#define DMS_CORE_PART_H

#include <stddef.h>

/* Writes the normal form of in to out (cap bytes, the NUL included; out may be in itself).
 * Only ASCII changes: other bytes (UTF-8) are kept as they are. Returns its length, or -1
 * with out "" when it does not fit. */
int part_no_normalise(const char *in, char *out, size_t cap);

#endif
