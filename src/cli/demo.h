/* The demo data set's own header, for demo.c, demo_cars.c and demo_orders.c only: the
 * generator's state and the few helpers they use. demo.c writes the store, its staff, plans
 * and customers and runs the whole set; demo_cars.c writes each customer's cars and their
 * service history; demo_orders.c the workshop's repair orders of the last month and today. */
#ifndef DMS_CLI_DEMO_H
#define DMS_CLI_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/demo_catalogue.h"
#include "cli/people.h"
#include "core/date.h"
#include "core/error.h"
#include "core/text.h"
#include "store/customers.h"
#include "store/store.h"
#include "store/stores.h"
#include "store/users.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A random entry of a table (cli/people.h's generator). */
#define PICK(r, table) (&(table)[rng_below((r), LEN(table))])

/* The labour rate of the plans (demo.c) and of the repair orders (demo_cars.c). */
#define LABOUR_RATE_2016_FEN 14000 /* fen per hour, rises 400 fen a year */
#define LABOUR_RATE_STEP_FEN 400

/* The values handed out once (phones, plates, VINs, company names): demo_unique.
 * Open addressing over 64-bit FNV-1a hashes; a hash collision only costs a redraw. */
struct seen {
    uint64_t *slots;
    size_t cap, used;
};

/* ---- the generator's state ---- */

struct demo {
    struct db *db;
    struct dms_error err;
    struct actor cli;     /* the command line: creates the store and the staff */
    struct actor advisor; /* writes the archive and the repair orders */
    struct actor caller;  /* records what callers hear: mileage, contact confirmations */
    struct store_info store;
    struct user users[LEN(STAFF)];
    char passwords[LEN(STAFF)][32];
    int64_t manager_id;
    int current_year;
    struct seen seen;
    struct customer customer; /* scratch, too big for the stack of every helper */
    long n_customers, n_vehicles, n_records, n_readings, n_orders;
};

/* ---- small helpers ---- */

/* A bounded copy, cut to fit. */
static inline void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* The calendar year of day d. */
static inline int year_of(dms_day d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y;
}

/* Checks generated text the way the API checks what people type. */
static inline int clean(struct demo *d, const char *field, char *text, size_t cap, long max_chars,
                        bool multiline)
{
    char buf[CUSTOMER_NOTES_CHARS * 4 + 1];
    if (text_clean(text, buf, sizeof buf, max_chars, multiline, false, field, &d->err) < 0)
        return -1;
    copy(text, cap, buf);
    return 0;
}

/* 1 when value is new in the demo (and now taken), 0 when taken, -1 out of memory (demo.c). */
int demo_unique(struct demo *d, const char *kind, const char *value);

/* ---- cars (demo_cars.c) ---- */

/* What a customer's cars share: a fleet's batch copies the first car's model, sale day and
 * model year; all end on the customer's last visit. */
struct vehicle_plan {
    const struct model *model; /* NULL: pick one */
    dms_day sold;              /* 0: pick one */
    int model_year;            /* 0: pick one */
    dms_day end;               /* the last day the owner comes */
    dms_day latest_sale;
    int km_per_day;
};

/* Creates one car and its history; a fleet's next cars copy the first one's model, sale
 * day and model year through p. */
int demo_vehicle(struct demo *d, struct rng *r, int64_t customer_id, struct vehicle_plan *p,
                 bool batch);

/* ---- repair orders (demo_orders.c) ---- */

/* A month of the workshop's repair orders and today's in every state, through the store's
 * use cases (after demo_workshop: its bays, technicians, operations and parts). */
int demo_orders(struct demo *d, int customers, unsigned seed);

#endif
