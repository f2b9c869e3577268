/* Repair orders (service records): kinds, lines and totals. Money in fen, labour hours in
 * hundredths of an hour, quantities in whole units. */
#ifndef DMS_CORE_SERVICE_RECORD_H
#define DMS_CORE_SERVICE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define SERVICE_MAX_LINES      100
#define SERVICE_MAX_HOURS_X100 100000 /* 1,000 hours on one line */
#define SERVICE_MAX_QTY        10000

enum service_kind {
    SERVICE_MAINTENANCE,
    SERVICE_REPAIR,
    SERVICE_WARRANTY,
    SERVICE_RECALL,
    SERVICE_ACCIDENT,
    SERVICE_OTHER,
    SERVICE_KIND_COUNT
};
extern const char *const SERVICE_KIND_NAMES[SERVICE_KIND_COUNT];

struct labour_line {
    char code[33];       /* operation code from the catalogue, may be empty */
    char operation[257]; /* what was done, up to 64 characters */
    int64_t hours_x100;  /* hundredths of an hour */
    int64_t amount_fen;  /* fen */
};

struct parts_line {
    char part_no[33];
    char name[257];
    int64_t qty;            /* whole units */
    int64_t unit_price_fen; /* fen */
    int64_t amount_fen;     /* qty x unit price, computed */
};

struct service_totals {
    int64_t labour_fen, parts_fen, total_fen;
};

/* Computes each parts line's amount and the record's totals. Error: invalid_field when an
 * amount would exceed MONEY_MAX_FEN. */
int service_record_totals(const struct labour_line *labour, size_t n_labour,
                          struct parts_line *parts, size_t n_parts, struct service_totals *out,
                          struct dms_error *err);

#endif
