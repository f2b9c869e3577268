/* IN-21: the 9-point check of booking calls (call_reviews.c): the storage functions; store.h
 * says how they all behave. */
#ifndef DMS_STORE_CALL_REVIEWS_H
#define DMS_STORE_CALL_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/call_review.h"
#include "store/store.h"
#include "store/users.h"

struct call_review {
    int64_t id;
    int64_t advisor_id;
    char advisor_name[257];
    char call_at[TIMESTAMP_STR]; /* UTC */
    dms_day call_day;            /* store-local day of call_at */
    int call_min;                /* store-local minutes after that day's midnight */
    enum call_review_source source;
    unsigned points; /* bit i: point i passed (core/call_review.h) */
    int score;
    char note[CALL_REVIEW_NOTE_CHARS * 4 + 1];
    int64_t appointment_id; /* 0: none */
    int64_t reviewed_by;
    char reviewed_by_name[257];
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* When the call was: a UTC instant, or a store-local wall-clock time (day and minute) that
 * the store's time zone turns into one. */
struct call_time {
    bool local;
    int64_t utc;
    dms_day day;
    int min;
};

/* What a review says (create) or changes (update: the has_ flags). */
struct call_review_in {
    int64_t advisor_id;
    struct call_time call;
    enum call_review_source source;
    unsigned points; /* create: all nine given; update: those in points_given */
    unsigned points_given;
    const char *note;       /* NULL: none (create) / unchanged (update); "" clears */
    int64_t appointment_id; /* 0: none */
    bool has_advisor, has_call, has_source, has_appointment;
};

/* Scores a call (IN-21): the advisor must be a user of a->store_id with the advisor role
 * (not_found for another store's or unknown ids, not_an_advisor for other roles), the call
 * not in the future by a->now (invalid_date), the appointment, when given, one of the
 * store's. Audited. */
int call_reviews_create(struct db *db, const struct actor *a, const struct call_review_in *in,
                        struct call_review *out, struct dms_error *err);
/* By id in a->store_id; not_found otherwise. */
int call_reviews_get(struct db *db, const struct actor *a, int64_t id, struct call_review *out,
                     struct dms_error *err);

struct call_review_filter {
    int64_t advisor_id; /* 0: all */
    dms_day from, to;   /* store-local call days, inclusive; 0: no bound */
};
/* Newest first: ids below `before` (0: from the newest), at most limit; *more tells whether
 * more follow. *out is malloc'ed (free it). */
int call_reviews_list(struct db *db, const struct actor *a, const struct call_review_filter *f,
                      int64_t before, int limit, struct call_review **out, size_t *n, bool *more,
                      struct dms_error *err);
/* Corrects a review (the row locked first, so that two corrections of different points both
 * land): the fields in, applied over the review as it is. Audited with before and after. */
int call_reviews_update(struct db *db, const struct actor *a, int64_t id,
                        const struct call_review_in *in, struct call_review *out,
                        struct dms_error *err);
/* Removes a review scored by mistake; the audit row keeps what it said. */
int call_reviews_delete(struct db *db, const struct actor *a, int64_t id, struct dms_error *err);

/* ---- the call-quality report (IN-21) ---- */

struct call_quality_advisor {
    int64_t advisor_id;
    char name[257];
    bool disabled;
    struct call_quality month;                           /* the report's month */
    struct call_quality trend[CALL_REVIEW_TREND_MONTHS]; /* oldest first, the month last */
};

struct call_quality_report {
    dms_day first[CALL_REVIEW_TREND_MONTHS], last[CALL_REVIEW_TREND_MONTHS];
    struct call_quality store[CALL_REVIEW_TREND_MONTHS]; /* the store's, per month */
    struct call_quality_advisor *advisors; /* the store's advisors, by name; malloc'ed */
    size_t n_advisors;
};

/* The month holding `month` and the CALL_REVIEW_TREND_MONTHS - 1 before it. Every advisor of
 * the store is listed (a disabled one only when reviewed in those months). */
int call_reviews_report(struct db *db, const struct actor *a, dms_day month,
                        struct call_quality_report *out, struct dms_error *err);
void call_quality_report_clear(struct call_quality_report *r);

#endif
