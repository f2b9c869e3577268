/* Fixtures of the call-list tests (test_call_lists_*.c): customers with the consent given and
 * their cars bought on a day (which picks the day they fall due, MR-1), the generation of a
 * day's lists and its counts, the tasks of a car, and the calls recorded against a task. Each
 * speaks to SRV and asserts what it relies on (cmocka, main thread only); those without a token
 * act in store S1 (generation as its manager, lists and calls as its caller). */
#ifndef DMS_TEST_CALL_LIST_FIXTURES_H
#define DMS_TEST_CALL_LIST_FIXTURES_H

#include "harness.h"

#include "core/date.h"

/* Consents as the customer's "consent" member. */
#define ALL_CONSENT   "{\"sms\":true,\"email\":true,\"phone\":true}"
#define PHONE_ONLY    "{\"sms\":false,\"email\":false,\"phone\":true}"
#define NO_PHONE_CALL "{\"sms\":true,\"email\":false,\"phone\":false}"

/* ---- customers, cars and their due dates ---- */

/* A customer created as token with a fresh mobile (copied to phone when not NULL, none when
 * with_phone is false), the consent given, and more members spliced in. */
int64_t customer(const char *token, bool with_phone, const char *consent, const char *extra,
                 char phone[16]);
/* A vehicle of customer cid bought on purchase, as token. */
int64_t vehicle(const char *token, int64_t cid, const char *brand, dms_day purchase);
/* A customer who may be called and messaged, with a car bought on purchase (S1). */
int64_t reachable_car(dms_day purchase, int64_t *cid);
/* The vehicle's next service due date as the API reports it to token (MR-1); due_of() as
 * S1's advisor. */
dms_day due_of_as(const char *token, int64_t vid);
dms_day due_of(int64_t vid);

/* ---- generation ---- */

/* POST /tasks/generate for day d as token (generate(): as S1's manager); returns the counts
 * (caller json_decref()s). */
json_t *generate_as(const char *token, dms_day d);
json_t *generate(dms_day d);
/* The count of tasks of type a generation created. */
int64_t created(const json_t *g, const char *type);
/* Asserts that every count of a generation is zero (an idempotent re-run). */
void nothing_created(const json_t *g);

/* ---- the lists and the calls ---- */

/* The items of GET /tasks?query as token (caller json_decref()s the list it returns). */
json_t *list_as(const char *token, const char *query);
/* How many tasks of type the vehicle has (as S1's caller). */
size_t n_tasks(int64_t vid, const char *type);
/* The one task of type for the vehicle (caller json_decref()s). */
json_t *one_task(int64_t vid, const char *type);
/* GET /tasks/id as token (caller json_decref()s). */
json_t *task_get(int64_t id, const char *token);
/* Records a call on task id as the caller: the body as given (status expected), or just the
 * outcome (201). Both return the task (caller json_decref()s). */
json_t *attempt(int64_t id, const char *body, long status);
json_t *outcome(int64_t id, const char *what);

#endif
