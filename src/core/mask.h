/* Masking of personal data for roles that do not need it in full. */
#ifndef DMS_CORE_MASK_H
#define DMS_CORE_MASK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/roles.h"

/* 王小明 -> 王**, 深圳市顺达物流有限公司 -> 深*** (first character kept, at most three stars). */
void mask_name(const char *name, char *out, size_t cap);

/* zhang.san@example.com -> z***@example.com */
void mask_email(const char *email, char *out, size_t cap);

/* 京A12345 -> 京A·***45 (MR-7, the welcome board). */
void mask_plate(const char *plate, char *out, size_t cap);

/* The surname with the title: 王小明, 先生 -> 王先生 (MR-7); without a title, mask_name. */
void mask_greeting(const char *name, const char *title, char *out, size_t cap);

/* ---- who sees a full phone number, where (PIPL; issue 11) ----
 * The one place that decides whether a view shows a customer's or a driver's phone number in
 * full or masked (core/phone.h phone_mask: 138****5678). */
enum phone_view {
    PHONE_VIEW_LIST, /* lists and search results */
    PHONE_VIEW_CARD, /* a customer's card and its drivers (GET /customers/{id}, the answers of
                      * its writes): the full numbers only through a recorded reveal */
    PHONE_VIEW_CALL, /* the number a caller dials or a message went to (a task's and a
                      * message's detail) */
};

/* Whether `role` sees full numbers in `view`: never in lists and cards; in a call's detail the
 * roles that work with contact details (core/roles.h role_sees_contact_details). */
bool mask_phone_in_full(enum role role, enum phone_view view);

/* A text that holds phone numbers ("13812345678 (mobile), 075512345678 (work)", a contact
 * history's or an audit row's value) with every run of 7 or more digits masked as
 * phone_mask does (138****5678) and the rest kept. */
void mask_phones_text(const char *text, char *out, size_t cap);

/* Whether `role` may reveal a customer's full phone numbers (POST
 * /customers/{id}/phone-reveals, each one recorded): the roles that work with contact
 * details. */
bool mask_may_reveal_phones(enum role role);

/* Whether `role` answers a customer's requests about their personal data (PIPL: a copy of
 * everything kept, erasure): the service manager and the admin. */
bool mask_may_handle_data_requests(enum role role);

#endif
