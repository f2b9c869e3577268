/* Names of the customer archive's value sets, as they appear in the API and database, and
 * the rules of a customer's phone list. */
#include "core/customer.h"

#include <string.h>

const char *const CUSTOMER_TYPE_NAMES[CUSTOMER_TYPE_COUNT] = {"individual", "company"};
const char *const CUSTOMER_CLASS_NAMES[CLASS_COUNT] = {"regular", "vip", "at_risk", "lost"};
const char *const CUSTOMER_NEED_NAMES[NEED_COUNT] = {
    "pickup", "delivery", "accessories", "insurance_renewal", "claim", "wash"};
const char *const PHONE_LABEL_NAMES[PHONE_LABEL_COUNT] = {"mobile", "home", "work", "other"};
const char *const CONSENT_CHANNEL_NAMES[CONSENT_COUNT] = {"sms", "email", "phone", "marketing"};

enum phone_label customer_phone_label_of(enum phone_kind kind)
{
    return kind == PHONE_MOBILE ? PHONE_LABEL_MOBILE : PHONE_LABEL_OTHER;
}

int customer_phones_repeated(const struct customer_phone *list, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(list[k].number, list[i].number) == 0)
                return i;
    return -1;
}

int customer_phones_put_first(struct customer_phone *list, int n,
                              const struct customer_phone *first)
{
    list[0] = *first;
    if (n == 0)
        n = 1;
    for (int i = 1; i < n; i++) {
        if (strcmp(list[i].number, first->number) == 0) {
            memmove(&list[i], &list[i + 1], (size_t)(n - i - 1) * sizeof list[0]);
            return n - 1;
        }
    }
    return n;
}
