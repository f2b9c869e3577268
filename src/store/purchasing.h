/* Purchase orders inside the storage layer: appointments.c orders the parts of a case-D
 * booking through here. The public side (listing, receiving, shelves) is in store.h. */
#ifndef DMS_STORE_PURCHASING_H
#define DMS_STORE_PURCHASING_H

#include "store/store.h"

/* Adds qty of a part for an appointment to the store's open order expected on `expected`
 * (creating it). *line_id and *order_id get the line and its order. */
int purchase_order_add(struct db *db, const struct actor *a, int64_t part_id, int64_t qty,
                       int64_t appointment_id, dms_day expected, int64_t *line_id,
                       int64_t *order_id, struct dms_error *err);

/* IN-18: a shortage found while booking (case D), for the parts manager to analyse. */
int shortage_record(struct db *db, const struct actor *a, int64_t part_id, const char *part_no,
                    const char *name, int64_t qty, int64_t appointment_id, const char *cause,
                    struct dms_error *err);

#endif
