/* The customer archive's value sets (CRM-1, CRM-2, CRM-6) and their limits. */
#ifndef DMS_CORE_CUSTOMER_H
#define DMS_CORE_CUSTOMER_H

#include <stdbool.h>

#include "core/error.h"

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

#endif
