/* Audit log (audit.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_AUDIT_H
#define DMS_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/users.h"

struct audit_entry {
    int64_t id, user_id, entity_id;
    char actor[USERNAME_MAX + 1];
    char at[TIMESTAMP_STR];
    char action[16];
    char entity[32];
    char *changes; /* JSON text, malloc'ed */
};

struct audit_filter {
    const char *entity; /* NULL: any */
    int64_t entity_id;  /* 0: any */
};
/* Newest first: ids below `before` (0: from the newest). */
int audit_list(struct db *db, const struct actor *a, const struct audit_filter *f, int64_t before,
               int limit, struct audit_entry **out, size_t *n, bool *more, struct dms_error *err);
void audit_entries_free(struct audit_entry *e, size_t n);

#endif
