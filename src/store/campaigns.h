/* Campaigns (campaigns.c): the storage functions; store.h says how they all behave. */
#ifndef DMS_STORE_CAMPAIGNS_H
#define DMS_STORE_CAMPAIGNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/plate.h"
#include "core/vehicle.h"
#include "core/vin.h"
#include "store/store.h"

enum campaign_kind {
    CAMPAIGN_RECALL,
    CAMPAIGN_TECH_UPGRADE,
    CAMPAIGN_PROMOTION,
    CAMPAIGN_HOLIDAY,
    CAMPAIGN_KIND_COUNT
};
extern const char *const CAMPAIGN_KIND_NAMES[CAMPAIGN_KIND_COUNT];
enum campaign_channel { CHANNEL_CALL, CHANNEL_SMS, CHANNEL_EMAIL, CHANNEL_COUNT };
extern const char *const CHANNEL_NAMES[CHANNEL_COUNT];

#define CAMPAIGN_MAX_VINS 10000

struct campaign_selection {
    char **vins; /* NULL or n_vins VINs */
    size_t n_vins;
    char brand[VEHICLE_TEXT_CHARS * 4 + 1], model[VEHICLE_TEXT_CHARS * 4 + 1]; /* "": any */
    int year_from, year_to;                                                    /* 0: open */
    int classification;                                                        /* -1: any */
};

struct campaign {
    int64_t id;
    enum campaign_kind kind;
    enum campaign_channel channel;
    char name[257];
    char template_text[4001];
    char subject[257];
    char *selection; /* JSON text as given, malloc'ed by get; free with campaign_clear */
    char deadline[DATE_STR];
    int64_t created_by;
    char created_at[TIMESTAMP_STR];
    /* Per-vehicle status counts. */
    int64_t vehicles, tasks, messages, no_consent, done, completed;
};
void campaign_clear(struct campaign *c);

/* CS-5, CS-7: selects the vehicles, and makes one task (call) or message (sms, email) per
 * vehicle. Recalls reach every owner (safety); the other kinds need the channel's consent,
 * and promotions and greetings also the marketing consent. *unmatched lists the VINs of the
 * selection that are not in the store (malloc'ed array of malloc'ed strings). */
int campaigns_create(struct db *db, const struct actor *a, struct campaign *c,
                     const struct campaign_selection *sel, const char *selection_json,
                     char ***unmatched, size_t *n_unmatched, struct dms_error *err);
int campaigns_get(struct db *db, const struct actor *a, int64_t id, struct campaign *out,
                  struct dms_error *err);
int campaigns_list(struct db *db, const struct actor *a, int64_t after, int limit,
                   struct campaign **out, size_t *n, bool *more, struct dms_error *err);
void campaigns_free(struct campaign *c, size_t n);

struct campaign_vehicle {
    int64_t vehicle_id, customer_id, task_id, message_id, service_record_id;
    char vin[VIN_LEN + 1], plate[PLATE_MAX_BYTES];
    char status[24]; /* completed, or the task's / message's status, or no_consent */
    char last_outcome[24];
    char completed_at[TIMESTAMP_STR];
};
int campaigns_vehicles(struct db *db, const struct actor *a, int64_t id, int64_t after, int limit,
                       struct campaign_vehicle **out, size_t *n, bool *more, struct dms_error *err);
/* A recall service record for the campaign completes the vehicle's entry (and its task).
 * invalid_field when the vehicle is not in the campaign. */
int campaigns_complete(struct db *db, const struct actor *a, int64_t campaign_id,
                       int64_t vehicle_id, int64_t service_record_id, struct dms_error *err);

#endif
