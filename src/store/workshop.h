/* Bays, technicians and their downtime (workshop.c):
 * the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_WORKSHOP_H
#define DMS_STORE_WORKSHOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workshop.h"
#include "store/store.h"

#define WORKSHOP_NAME_CHARS 64

struct downtime {
    int64_t id;
    char starts[LOCAL_TIME_STR], ends[LOCAL_TIME_STR]; /* [starts, ends) */
    char reason[200 * 4 + 1];
};

struct bay {
    int64_t id;
    char code[OPERATION_CODE_MAX + 1];
    char name[WORKSHOP_NAME_CHARS * 4 + 1];
    enum bay_kind kind;
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

struct technician {
    int64_t id;
    char name[WORKSHOP_NAME_CHARS * 4 + 1];
    unsigned skills;    /* bit set of enum skill */
    unsigned work_days; /* bit 0 = Monday ... bit 6 = Sunday */
    bool active;
    char created_at[TIMESTAMP_STR], updated_at[TIMESTAMP_STR];
};

/* conflict (field code) for a code the store has. An empty code gets the first free one of
 * B01, B02 ... (written back to b->code). */
int bays_create(struct db *db, const struct actor *a, struct bay *b, struct dms_error *err);
int bays_get(struct db *db, const struct actor *a, int64_t id, struct bay *out,
             struct dms_error *err);
/* Edits bay id (store_edit on a struct bay); *out as written. */
int bays_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                struct bay *out, struct dms_error *err);
int bays_list(struct db *db, const struct actor *a, bool all, struct bay **out, size_t *n,
              struct dms_error *err);

int technicians_create(struct db *db, const struct actor *a, struct technician *t,
                       struct dms_error *err);
int technicians_get(struct db *db, const struct actor *a, int64_t id, struct technician *out,
                    struct dms_error *err);
/* Edits technician id (store_edit on a struct technician); *out as written. */
int technicians_update(struct db *db, const struct actor *a, int64_t id, store_edit edit, void *ctx,
                       struct technician *out, struct dms_error *err);
int technicians_list(struct db *db, const struct actor *a, bool all, struct technician **out,
                     size_t *n, struct dms_error *err);

/* resource: "bay" or "technician" (of a->store_id, else not_found). */
int downtime_add(struct db *db, const struct actor *a, const char *resource, int64_t id,
                 struct downtime *d, struct dms_error *err);
/* The periods that end after `after` (store-local "YYYY-MM-DDTHH:MM"), by start. */
int downtime_list(struct db *db, const struct actor *a, const char *resource, int64_t id,
                  const char *after, struct downtime **out, size_t *n, struct dms_error *err);

#endif
