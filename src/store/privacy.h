/* A customer's personal data: export, erasure, phone reveals (privacy.c; PIPL):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_PRIVACY_H
#define DMS_STORE_PRIVACY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/customers.h"

/* Everything the store keeps about the customer, as one JSON document (profile, phones,
 * drivers, vehicles, repair orders with their lines, readings, tasks and call attempts,
 * messages, bookings, failed booking calls, contact history, the audit rows of the customer);
 * writes the audit row `export`. *out is the caller's (json_decref). */
int customers_export(struct db *db, const struct actor *a, int64_t id, json_t **out,
                     struct dms_error *err);

/* The customer (c) with their full phone numbers and the drivers (malloc'ed, free *drivers)
 * with theirs, for a reveal in a masked view; writes the audit row `reveal` (who, when, which
 * customer, the optional reason; no number). customer_erased when erased. */
int customers_reveal_phones(struct db *db, const struct actor *a, int64_t id, const char *reason,
                            struct customer *c, struct driver **drivers, size_t *n_drivers,
                            struct dms_error *err);

struct erase_report {
    bool already;                  /* erased before: nothing done */
    char erased_at[TIMESTAMP_STR]; /* when it was erased */
    int messages_stopped, tasks_cancelled;
    size_t audit_rows_scrubbed;
};
/* Erases the customer's personal data on request (reason: why, 1-200 characters, checked by
 * the caller), keeping what the store's figures count (privacy.c says what goes and what
 * stays); stops their queued messages and open tasks, withdraws every consent, scrubs the
 * earlier audit rows and writes the audit row `erase`. Idempotent. */
int customers_erase(struct db *db, const struct actor *a, int64_t id, const char *reason,
                    struct erase_report *out, struct dms_error *err);

#endif
