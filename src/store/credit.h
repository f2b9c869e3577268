/* CRM-3: a customer's credit analysis (core/credit.h's figures and grade) and the manager's
 * list of who owes what, since when. */
#ifndef DMS_STORE_CREDIT_H
#define DMS_STORE_CREDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/credit.h"
#include "core/customer.h"
#include "store/store.h"

struct credit {
    int64_t customer_id;
    char name[CUSTOMER_NAME_CHARS * 4 + 1];
    enum customer_type type;
    struct credit_figures f;
    int on_time_pct; /* -1: no judged statement */
    enum credit_grade grade;
    enum credit_reason reasons[CREDIT_MAX_REASONS];
    int n_reasons;
};

/* CS-6: the customer's complaints (not enquiries) not yet closed. */
int credit_open_complaints(struct db *db, const struct actor *a, int64_t customer_id, int *out,
                           struct dms_error *err);

/* The credit of customer id of a->store_id on a->today (not_found for another store's). */
int credit_get(struct db *db, const struct actor *a, int64_t customer_id, struct credit *out,
               struct dms_error *err);

struct credit_filter {
    int grade;    /* -1: any */
    int type;     /* -1: any */
    bool overdue; /* only customers with an overdue amount */
};
struct credit_totals {
    int customers;
    int64_t outstanding_fen, overdue_fen;
};
/* The customers of the store with statements (receivables), by id after `after`, at most
 * limit (more tells whether more follow), and the totals of all that match the filter. */
int credit_list(struct db *db, const struct actor *a, const struct credit_filter *f, int64_t after,
                int limit, struct credit **out, size_t *n, bool *more, struct credit_totals *totals,
                struct dms_error *err);

#endif
