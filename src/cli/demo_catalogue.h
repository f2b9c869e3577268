/* The catalogues of the demo data set (demo_catalogue.c), for demo.c and demo_cars.c only: the
 * types of its tables and the tables themselves. Each list's length is written here so that
 * they can count it (LEN, PICK); demo_catalogue.c's list must fill it: an entry too many does
 * not compile, and one too few would leave a zeroed entry, so change both together. */
#ifndef DMS_CLI_DEMO_CATALOGUE_H
#define DMS_CLI_DEMO_CATALOGUE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/people.h"
#include "core/customer.h"
#include "core/roles.h"
#include "core/service_record.h"

/* ---- staff: one account per role ---- */

struct staff {
    const char *username;
    enum role role;
    const char *display_name;
};

extern const struct staff STAFF[7];
/* The body shop's fitters (the mechanics are people.h's TECHNICIANS). */
extern const char *const BODY_SHOP[2];

/* ---- addresses in Shenzhen ---- */

struct area {
    const char *district, *street;
    const char *estates[3];
};

/* The store's neighbourhood first (area_pick favours the first six). */
extern const struct area AREAS[20];

/* ---- companies (fleet customers) ---- */

extern const struct syllables COMPANY_BRANDS[24];
extern const char *const INDUSTRIES[13];
extern const char *const BUILDINGS[6];

/* ---- what customers ask for (CRM-6) and what staff note about them ---- */

extern const char *const NEED_NOTES[NEED_COUNT][3];
extern const char *const INDIVIDUAL_NOTES[6];
extern const char *const LOST_NOTES[4];

/* ---- cars ---- */

enum engine { ENGINE_EA211, ENGINE_EA888, ENGINE_EV, ENGINE_TOYOTA, ENGINE_HONDA };

#define ENG(e)     (1u << (e))
#define ENG_VW_ICE (ENG(ENGINE_EA211) | ENG(ENGINE_EA888))
#define ENG_VW     (ENG_VW_ICE | ENG(ENGINE_EV))
#define ENG_JAPAN  (ENG(ENGINE_TOYOTA) | ENG(ENGINE_HONDA))
#define ENG_ALL    (ENG_VW | ENG_JAPAN)

struct model {
    const char *brand, *model;
    const char *wmi; /* World Manufacturer Identifier: LFV FAW-VW, LFM FAW Toyota, ... */
    const char *vds; /* VIN positions 4-8 */
    char plant;      /* VIN position 11 */
    int first, last; /* years it was sold (last 0: still sold) */
    enum engine engine;
    int weight;     /* share of the store's cars */
    int km_per_day; /* typical daily distance, km */
};

extern const struct model MODELS[14];
extern const char *const OTHER_PLATE_PREFIXES[8];

/* ---- parts and maintenance ---- */

struct kit_part {
    const char *part_no, *name;
    int64_t price_fen; /* fen, per unit */
};

/* The consumables of one engine family (electric cars have no oil, filters or plugs). */
struct kit {
    struct kit_part oil;    /* 4 L can */
    struct kit_part oil_1l; /* top-up bottles for bigger sumps */
    struct kit_part oil_filter, air_filter, cabin_filter, spark_plug, drain_plug, brake_fluid;
    int oil_1l_qty;
    int oil_hours_x100; /* 更换机油机滤, hundredths of an hour */
};

/* Indexed by enum engine. */
extern const struct kit KITS[];
extern const struct kit_part DSG_OIL, DSG_FILTER, FUEL_CLEANER;

/* ---- repair, warranty and accident jobs ---- */

/* A repair, warranty or accident job: what the customer reported and what was done. */
struct job {
    enum service_kind kind;
    unsigned engines; /* bit set of enum engine it applies to */
    int min_km;       /* km: wear items need some distance */
    int min_days;     /* days since the sale */
    bool insured;     /* accidents: paid by the insurer */
    const char *notes;
    struct {
        const char *code, *operation;
        int hours_x100;
    } labour[3];
    struct {
        struct kit_part part;
        int qty;
    } parts[3];
};

extern const struct job REPAIRS[10];
extern const struct job WARRANTY_JOBS[4];
extern const struct job ACCIDENTS[3];
extern const char *const INSURERS[4];

/* Recall campaigns (CS-5): cars of a model sold before the campaign started. */
struct recall {
    const char *model;
    const char *notes;
    const char *code, *operation;
    int year, month, day; /* campaign start */
    int hours_x100;
};

extern const struct recall RECALLS[5];

/* ---- maintenance plans (MR-1, IN-7) ---- */

/* A plan for a brand (and a model, or "" for all of the brand's) made from an engine's kit. */
struct kit_plan {
    const char *brand, *model;
    enum engine engine;
};

extern const struct kit_plan PLANS[7];
/* The electric models, each with its own plan (no kit). */
extern const char *const EVS[2];

/* ---- phones, e-mail and contact confirmations ---- */

extern const char *const MOBILE_PREFIXES[26];
extern const char *const EMAIL_DOMAINS[6];
extern const char *const CONFIRMED_NOTES[3];

#endif
