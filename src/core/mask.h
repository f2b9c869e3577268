/* Masking of personal data for roles that do not need it in full. */
#ifndef DMS_CORE_MASK_H
#define DMS_CORE_MASK_H

#include <stddef.h>

/* 王小明 -> 王**, 深圳市顺达物流有限公司 -> 深*** (first character kept, at most three stars). */
void mask_name(const char *name, char *out, size_t cap);

/* zhang.san@example.com -> z***@example.com */
void mask_email(const char *email, char *out, size_t cap);

#endif
