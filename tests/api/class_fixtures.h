/* Shared by test_classes.c and test_credit.c (CRM-2, CRM-3): a store of the test's own with
 * its clock on day D, hand-made service records, orders and receivables. */
#ifndef DMS_TEST_CLASS_FIXTURES_H
#define DMS_TEST_CLASS_FIXTURES_H

#include <jansson.h>
#include <stdint.h>

#include "harness.h"

extern int32_t D;
/* D + days as YYYY-MM-DD (kept). */
const char *dd(int days);
/* Sets the clock to D + days at 09:00 store-local. */
void clock_day(int days);
/* Runs SQL on the test database (must succeed); sql1 also returns the first column (kept). */
void sql(const char *q);
const char *sql1(const char *q);
int64_t store_id_of(const struct test_store *s);
/* A service record through the API (one labour line of amount fen) on D + days. */
void record(const char *token, int64_t vehicle, int days, int km, long long amount);
/* A repair order in status, of amount_due fen on D + days, written directly (returns its id);
 * with_record adds the service record a delivered order writes (same day, same amount). */
int64_t order_sql(int64_t store, int64_t customer, int64_t vehicle, const char *status, int days,
                  long long amount, int with_record);
/* The customer's detail (caller json_decref()s) and its class (kept). */
json_t *customer_get(const char *token, int64_t id);
const char *class_of(const char *token, int64_t id);

/* The newest audit row of an entity of the token's store (caller json_decref()s), and the
 * number of audit rows of an entity kind there. */
json_t *audit_last(const char *token, const char *entity, int64_t id);
size_t audit_n(const char *token, const char *entity);

#endif
