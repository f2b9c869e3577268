/* Fixtures of the class and credit tests (CRM-2, CRM-3); see class_fixtures.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking_fixtures.h"
#include "class_fixtures.h"
#include "core/date.h"

int32_t D;

const char *dd(int days)
{
    return ds(D + days);
}

void clock_day(int days)
{
    clock_local(fmt("%sT09:00", dd(days)));
}

void sql(const char *q)
{
    char out[256];
    if (db_sql(q, out, sizeof out) != 0)
        fail_msg("SQL failed: %s", q);
}

const char *sql1(const char *q)
{
    char out[256];
    if (db_sql(q, out, sizeof out) != 0)
        fail_msg("SQL failed: %s", q);
    return keep(out);
}

int64_t store_id_of(const struct test_store *s)
{
    return atoll(sql1(fmt("SELECT id FROM stores WHERE code = '%s'", s->code)));
}

void record(const char *token, int64_t vehicle, int days, int km, long long amount)
{
    json_decref(
        call("POST", "/api/v1/service-records", token,
             fmt("{\"vehicle_id\":%lld,\"date\":\"%s\",\"mileage_km\":%d,\"kind\":"
                 "\"maintenance\",\"labour\":[{\"operation\":\"保养\",\"amount_fen\":%lld}]}",
                 (long long)vehicle, dd(days), km, amount),
             201));
}

int64_t order_sql(int64_t store, int64_t customer, int64_t vehicle, const char *status, int days,
                  long long amount, int with_record)
{
    const char *number = keep(fmt("X%u", uniq()));
    const char *ts = keep(fmt("%sT01:00:00Z", dd(days)));
    sql(fmt("INSERT INTO repair_orders (store_id, number, vehicle_id, customer_id, source, status, "
            "kind, day, mileage_km, brought_by, arrived_at, created_at, updated_at, "
            "amount_due_fen) VALUES (%lld, '%s', %lld, %lld, 'walk_in', '%s', 'repair', '%s', 100, "
            "'owner', '%s', '%s', '%s', %lld)",
            (long long)store, number, (long long)vehicle, (long long)customer, status, dd(days), ts,
            ts, ts, amount));
    int64_t id = atoll(sql1(fmt("SELECT id FROM repair_orders WHERE store_id = %lld AND number = "
                                "'%s'",
                                (long long)store, number)));
    if (with_record)
        sql(fmt("INSERT INTO service_records (store_id, vehicle_id, customer_id, date_in, "
                "mileage_km, kind, labour_fen, parts_fen, total_fen, created_at, repair_order_id) "
                "VALUES (%lld, %lld, %lld, '%s', 100, 'repair', %lld, 0, %lld, '%s', %lld)",
                (long long)store, (long long)vehicle, (long long)customer, dd(days), amount, amount,
                ts, (long long)id));
    return id;
}

json_t *customer_get(const char *token, int64_t id)
{
    return call("GET", fmt("/api/v1/customers/%lld", (long long)id), token, NULL, 200);
}

const char *class_of(const char *token, int64_t id)
{
    json_t *c = customer_get(token, id);
    const char *s = keep(jstr(c, "classification"));
    json_decref(c);
    return s;
}

json_t *audit_last(const char *token, const char *entity, int64_t id)
{
    json_t *j =
        call("GET", fmt("/api/v1/audit?entity=%s&entity_id=%lld&limit=1", entity, (long long)id),
             token, NULL, 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *e = json_incref(json_array_get(items, 0));
    json_decref(j);
    return e;
}

size_t audit_n(const char *token, const char *entity)
{
    json_t *j = call("GET", fmt("/api/v1/audit?entity=%s&limit=200", entity), token, NULL, 200);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}
