/* Service records (service_records.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_SERVICE_RECORDS_H
#define DMS_STORE_SERVICE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/customer.h"
#include "core/service_record.h"
#include "store/store.h"
#include "store/workshop.h"

struct service_record {
    int64_t id, store_id, vehicle_id, customer_id, advisor_id, created_by;
    int64_t campaign_id;     /* 0: none; a recall's work completes its campaign entry (CS-5) */
    int64_t repair_order_id; /* the delivered order that wrote it (RO-7), 0 for one posted */
    int64_t reading_id; /* create: the odometer reading taken already (at check-in), 0: take one */
    char advisor_name[257];
    char date_in[DATE_STR], date_out[DATE_STR];
    int64_t mileage_km;
    enum service_kind kind;
    char technician[CUSTOMER_NAME_CHARS * 4 + 1];
    char notes[CUSTOMER_NOTES_CHARS * 4 + 1];
    struct service_totals totals;
    struct labour_line *labour;
    size_t n_labour;
    struct parts_line *parts;
    size_t n_parts;
    char created_at[TIMESTAMP_STR];
};

/* Computes totals, writes the record with its lines and its odometer reading (source
 * service; or links reading_id, the one its repair order took at check-in). not_found for another
 * store's vehicle, mileage_inconsistent as in mileage_add. */
int service_records_create(struct db *db, const struct actor *a, struct service_record *r,
                           struct dms_error *err);
/* Loads the record and its lines (free them with service_record_clear). */
int service_records_get(struct db *db, const struct actor *a, int64_t id,
                        struct service_record *out, struct dms_error *err);
/* A vehicle's records, newest first (date in, then id), with their lines: a keyset page after
 * the record `after` (0: from the newest; another vehicle's record: invalid_field cursor), at
 * most limit; *more tells whether more follow. Free with service_records_free. */
int service_records_for_vehicle(struct db *db, const struct actor *a, int64_t vehicle_id,
                                int64_t after, int limit, struct service_record **out, size_t *n,
                                bool *more, struct dms_error *err);
void service_record_clear(struct service_record *r);
void service_records_free(struct service_record *r, size_t n);

#endif
