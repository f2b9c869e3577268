/* Keys for the booking-call search box (IN-3). Every searchable value (name, phone, plate,
 * VIN) is stored as all of its suffixes in an indexed column, so "ends with" and "contains"
 * become an index range scan for a prefix: the last 4 digits of a phone, the last 5
 * characters of a plate, part of a Chinese name, a VIN suffix. */
#ifndef DMS_CORE_SEARCHKEY_H
#define DMS_CORE_SEARCHKEY_H

#include <stddef.h>

#define SEARCH_KEY_MAX 256

/* Upper-cases ASCII, folds full-width letters and digits to ASCII, drops white space and the
 * separators . - · so that "粤b·123 45" and "粤B12345" meet. Output is truncated at a
 * character boundary to fit cap. */
void search_normalize(const char *in, char *out, size_t cap);

/* Number of characters (code points) of a normalised key. */
size_t search_key_chars(const char *key);

/* Calls emit(ctx, suffix, offset_in_chars) for every suffix of the normalised key with at
 * least min_chars characters, longest first. Stops at and returns the first non-zero value
 * emit returns. */
int search_suffixes(const char *key, size_t min_chars,
                    int (*emit)(void *ctx, const char *suffix, size_t offset), void *ctx);

/* The smallest string greater than every string that starts with prefix (prefix followed
 * by U+10FFFF), for `term >= prefix AND term < bound` on a binary-collated index. */
void search_prefix_bound(const char *prefix, char *out, size_t cap);

/* Whether a query is specific enough to run: at least one CJK character or two others. */
int search_query_ok(const char *key);

#endif
