/* Names of the customer archive's value sets, as they appear in the API and database. */
#include "core/customer.h"

const char *const CUSTOMER_TYPE_NAMES[CUSTOMER_TYPE_COUNT] = {"individual", "company"};
const char *const CUSTOMER_CLASS_NAMES[CLASS_COUNT] = {"regular", "vip", "at_risk", "lost"};
const char *const CUSTOMER_NEED_NAMES[NEED_COUNT] = {
    "pickup", "delivery", "accessories", "insurance_renewal", "claim", "wash"};
const char *const PHONE_LABEL_NAMES[PHONE_LABEL_COUNT] = {"mobile", "home", "work", "other"};
const char *const CONSENT_CHANNEL_NAMES[CONSENT_COUNT] = {"sms", "email", "phone", "marketing"};
