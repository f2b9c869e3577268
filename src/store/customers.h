/* Customers (customers.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_CUSTOMERS_H
#define DMS_STORE_CUSTOMERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/email.h"
#include "core/phone.h"
#include "store/store.h"
#include "store/users.h"

struct customer {
    int64_t id, store_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1];
    char title[CUSTOMER_TITLE_CHARS * 4 + 1];
    enum customer_type type;
    enum customer_class classification;
    struct customer_phone phones[CUSTOMER_MAX_PHONES];
    int n_phones;
    char email[EMAIL_MAX];
    char address[CUSTOMER_ADDRESS_CHARS * 4 + 1];
    bool consent[CONSENT_COUNT];
    unsigned needs; /* bit set of enum customer_need */
    char needs_note[500 * 4 + 1];
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    char contact_confirmed_at[TIMESTAMP_STR];
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
    int vehicle_count;
    bool prefers_email;                   /* MR-3: reminders by e-mail rather than SMS */
    char sms_opted_out_at[TIMESTAMP_STR]; /* an SMS reply TD/退订; cleared by consenting again */
    char erased_at[TIMESTAMP_STR];        /* PIPL: personal data erased on request (privacy.c) */
    /* CRM-2: who set the class (by hand or by the rules, core/classify.h), when (UTC), why
     * (a CLASS_REASON_NAMES code, "hand" for a hand-set class), and whether it is locked
     * against the rules. */
    bool classification_locked;
    bool classification_by_rules;
    char classification_at[TIMESTAMP_STR];
    char classification_reason[16];
};

struct driver {
    int64_t id, customer_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1];
    char phone[PHONE_MAX];
    char relation[32 * 4 + 1];
    char created_at[TIMESTAMP_STR];
};

struct contact_event {
    int64_t id, user_id;
    char username[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    char event[16]; /* changed, declined, confirmed */
    char field[16];
    char old_value[1024], new_value[1024];
    bool consented;
    char note[1024];
};

/* c is validated by the caller (http/customers.c); writes it with its phones, search terms
 * and audit row, then reloads it into c. */
int customers_create(struct db *db, const struct actor *a, struct customer *c,
                     struct dms_error *err);
int customers_get(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                  struct dms_error *err);
/* Takes the row lock (PostgreSQL) and loads the customer, for read-modify-write. */
int customers_get_for_update(struct db *db, const struct actor *a, int64_t id, struct customer *out,
                             struct dms_error *err);

/* Writes `next` over `prev` (both loaded/edited by the caller). CRM-4: when the contact
 * details (phones, e-mail, address) differ, contact_consent decides: true records the
 * change with consent in the contact history; false keeps the old contact details and
 * records that the customer declined. *contact_changed tells which happened (1 changed,
 * 0 no contact change, -1 declined). */
int customers_update(struct db *db, const struct actor *a, const struct customer *prev,
                     struct customer *next, bool contact_consent, int *contact_changed,
                     struct dms_error *err);
/* Whether phones, e-mail or address differ between two versions. */
bool customers_contact_differs(const struct customer *prev, const struct customer *next);
/* CRM-4: the contact details were confirmed unchanged in a call (or the customer declined
 * to confirm them). */
int customers_confirm_contact(struct db *db, const struct actor *a, int64_t id, bool confirmed,
                              const char *note, struct dms_error *err);

struct customer_filter {
    int classification; /* -1: any */
    int type;           /* -1: any */
};
int customers_list(struct db *db, const struct actor *a, const struct customer_filter *f,
                   int64_t after, int limit, struct customer **out, size_t *n, bool *more,
                   struct dms_error *err);

/* The customer's contact history, newest first: a keyset page of the events with id < before
 * (0: from the newest), at most limit; *more tells whether more follow. */
int customers_contact_history(struct db *db, const struct actor *a, int64_t customer_id,
                              int64_t before, int limit, struct contact_event **out, size_t *n,
                              bool *more, struct dms_error *err);

int drivers_add(struct db *db, const struct actor *a, struct driver *d, struct dms_error *err);
int drivers_list(struct db *db, const struct actor *a, int64_t customer_id, struct driver **out,
                 size_t *n, struct dms_error *err);
int drivers_delete(struct db *db, const struct actor *a, int64_t customer_id, int64_t driver_id,
                   struct dms_error *err);

#endif
