/* The customer archive's value sets (CRM-1, CRM-2, CRM-6) and their limits, and the rules of
 * a customer's list of phone numbers (CRM-1, CRM-4). */
#ifndef DMS_CORE_CUSTOMER_H
#define DMS_CORE_CUSTOMER_H

#include <stdbool.h>

#include "core/error.h"
#include "core/phone.h"

#define CUSTOMER_NAME_CHARS    64
#define CUSTOMER_TITLE_CHARS   8
#define CUSTOMER_ADDRESS_CHARS 200
#define CUSTOMER_NOTES_CHARS   2000
#define CUSTOMER_MAX_PHONES    4
#define CUSTOMER_MAX_DRIVERS   10

enum customer_type { CUSTOMER_INDIVIDUAL, CUSTOMER_COMPANY, CUSTOMER_TYPE_COUNT };

/* CRM-2: the classes callers and campaigns select by. */
enum customer_class { CLASS_REGULAR, CLASS_VIP, CLASS_AT_RISK, CLASS_LOST, CLASS_COUNT };

/* CRM-6: personal services prepared before each visit (IN-17); a bit set. */
enum customer_need {
    NEED_PICKUP,
    NEED_DELIVERY,
    NEED_ACCESSORIES,
    NEED_INSURANCE_RENEWAL,
    NEED_CLAIM,
    NEED_WASH,
    NEED_COUNT
};

enum phone_label {
    PHONE_LABEL_MOBILE,
    PHONE_LABEL_HOME,
    PHONE_LABEL_WORK,
    PHONE_LABEL_OTHER,
    PHONE_LABEL_COUNT
};

/* CRM-4: consent per channel. */
enum consent_channel {
    CONSENT_SMS,
    CONSENT_EMAIL,
    CONSENT_PHONE,
    CONSENT_MARKETING,
    CONSENT_COUNT
};

extern const char *const CUSTOMER_TYPE_NAMES[CUSTOMER_TYPE_COUNT];
extern const char *const CUSTOMER_CLASS_NAMES[CLASS_COUNT];
extern const char *const CUSTOMER_NEED_NAMES[NEED_COUNT];
extern const char *const PHONE_LABEL_NAMES[PHONE_LABEL_COUNT];
extern const char *const CONSENT_CHANNEL_NAMES[CONSENT_COUNT];

/* One of a customer's phone numbers: normalised (core/phone.h) and labelled. */
struct customer_phone {
    char number[PHONE_MAX];
    enum phone_label label;
};

/* The label of a number given without one: a mobile is a mobile, any other number "other". */
enum phone_label customer_phone_label_of(enum phone_kind kind);

/* A list names each number once: the index of the first entry whose number an earlier entry
 * has, -1 when there is none. */
int customer_phones_repeated(const struct customer_phone *list, int n);

/* CRM-4, a change of "phone": first becomes the primary number, replacing the first of the n
 * numbers in list (room for CUSTOMER_MAX_PHONES, 0 <= n); the others keep their places, in
 * order, except an entry with first's number, which goes, as a list names each number once.
 * Returns the new count: 1 when there were none, n or n - 1 otherwise. */
int customer_phones_put_first(struct customer_phone *list, int n,
                              const struct customer_phone *first);

#endif
