-- Automatic classes (CRM-2) and credit analysis (CRM-3), issue 14.
--
-- CRM-2: a customer's class is set by the rules (store/classify.c, core/classify.c) or by hand;
-- a class set by hand can be locked, and the rules leave a locked class alone. source says who
-- set it, at (UTC) when, and reason (a code of core/classify.h, "hand" for a hand-set class) why.
-- Classes typed before this migration were typed by hand.
ALTER TABLE customers ADD COLUMN classification_locked INTEGER NOT NULL DEFAULT 0
    CHECK (classification_locked IN (0, 1));
ALTER TABLE customers ADD COLUMN classification_source TEXT NOT NULL DEFAULT 'hand'
    CHECK (classification_source IN ('hand', 'rules'));
ALTER TABLE customers ADD COLUMN classification_at TEXT;
ALTER TABLE customers ADD COLUMN classification_reason TEXT;

-- CRM-2: one row per classification pass of a store (the nightly pass, the CLI, the API's
-- manual run). nightly_date is the store-local day of a nightly pass and the claim that runs
-- it once per store and day however many `dms serve` share the database; NULL for a manual
-- run. counts: JSON {"vip": n, ...} of the customers moved into each class.
CREATE TABLE classify_runs (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    day TEXT NOT NULL,
    nightly_date TEXT,
    source TEXT NOT NULL CHECK (source IN ('nightly', 'cli', 'api')),
    at TEXT NOT NULL,
    examined INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX classify_runs_nightly ON classify_runs (store_id, nightly_date);
CREATE INDEX classify_runs_store ON classify_runs (store_id, id);

-- The set-based reads of the pass and of the credit analysis: a store's visits by customer.
CREATE INDEX service_records_customer ON service_records (customer_id, date_in);
CREATE INDEX repair_orders_customer ON repair_orders (customer_id, status, day);
