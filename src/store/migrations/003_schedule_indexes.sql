-- Covering indexes for the batch reader of store/schedule.c (MR-1): a batch of vehicles
-- reads its repair orders and odometer readings as one range of (store, vehicle), without
-- touching the tables. Measured (bench_reminders, 100,000 customers on SQLite): a whole
-- store's recompute went from 67 s to under 1 s; without them it grows with the square of
-- the archive. IF NOT EXISTS: a benchmark database may have them already.
CREATE INDEX IF NOT EXISTS service_records_schedule
    ON service_records (store_id, vehicle_id, date_in, id, kind, mileage_km);
CREATE INDEX IF NOT EXISTS mileage_readings_schedule
    ON mileage_readings (store_id, vehicle_id, date, id, km);
