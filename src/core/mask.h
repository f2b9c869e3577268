/* Masking of personal data for roles that do not need it in full. */
#ifndef DMS_CORE_MASK_H
#define DMS_CORE_MASK_H

#include <stddef.h>

/* 王小明 -> 王**, 深圳市顺达物流有限公司 -> 深*** (first character kept, at most three stars). */
void mask_name(const char *name, char *out, size_t cap);

/* zhang.san@example.com -> z***@example.com */
void mask_email(const char *email, char *out, size_t cap);

/* 京A12345 -> 京A·***45 (MR-7, the welcome board). */
void mask_plate(const char *plate, char *out, size_t cap);

/* The surname with the title: 王小明, 先生 -> 王先生 (MR-7); without a title, mask_name. */
void mask_greeting(const char *name, const char *title, char *out, size_t cap);

#endif
