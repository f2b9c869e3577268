-- Foundation: stores, staff and sessions, the customer and vehicle archive, service
-- records, the search index and the audit log.
-- Portable SQL for SQLite and PostgreSQL; migrate.c replaces
--   {{ID}}  with the backend's auto-increment primary key column type,
--   {{BIN}} with a byte-order collation (PostgreSQL "C") for the search index.
-- Dates are 'YYYY-MM-DD' text (store-local), timestamps 'YYYY-MM-DDTHH:MM:SSZ' text (UTC),
-- money integer fen, mileage integer km, booleans 0/1.

CREATE TABLE stores (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('advisor', 'caller', 'service_manager', 'parts_manager',
                                       'workshop', 'warranty', 'admin')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_store ON users (store_id, id);

-- Only hashes of the tokens are kept: a copy of the database does not let anyone in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    csrf_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE customers (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    title TEXT,
    type TEXT NOT NULL CHECK (type IN ('individual', 'company')),
    classification TEXT NOT NULL DEFAULT 'regular'
        CHECK (classification IN ('regular', 'vip', 'at_risk', 'lost')),
    email TEXT,
    address TEXT,
    consent_sms INTEGER NOT NULL DEFAULT 0 CHECK (consent_sms IN (0, 1)),
    consent_email INTEGER NOT NULL DEFAULT 0 CHECK (consent_email IN (0, 1)),
    consent_phone INTEGER NOT NULL DEFAULT 0 CHECK (consent_phone IN (0, 1)),
    consent_marketing INTEGER NOT NULL DEFAULT 0 CHECK (consent_marketing IN (0, 1)),
    needs INTEGER NOT NULL DEFAULT 0,   -- bit set of CRM-6 needs, see core/customer.h
    needs_note TEXT,
    notes TEXT,
    contact_confirmed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX customers_store ON customers (store_id, id);
CREATE INDEX customers_class ON customers (store_id, classification, id);

CREATE TABLE customer_phones (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    label TEXT NOT NULL CHECK (label IN ('mobile', 'home', 'work', 'other'))
);
CREATE INDEX customer_phones_customer ON customer_phones (customer_id, position);

-- CRM-5: the people who regularly bring the car in for the customer.
CREATE TABLE customer_drivers (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    phone TEXT,
    relation TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX customer_drivers_customer ON customer_drivers (customer_id, id);

-- CRM-4: every proposed change of contact details, and whether the customer agreed.
CREATE TABLE contact_history (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    at TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    event TEXT NOT NULL CHECK (event IN ('changed', 'declined', 'confirmed')),
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    consented INTEGER NOT NULL CHECK (consented IN (0, 1)),
    note TEXT
);
CREATE INDEX contact_history_customer ON contact_history (customer_id, id);

CREATE TABLE vehicles (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    vin TEXT NOT NULL,
    vin_verified INTEGER NOT NULL CHECK (vin_verified IN (0, 1)),
    plate TEXT,
    brand TEXT,
    model TEXT,
    model_year INTEGER,
    purchase_date TEXT,
    mileage_km INTEGER NOT NULL DEFAULT 0 CHECK (mileage_km >= 0),
    mileage_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX vehicles_vin ON vehicles (store_id, vin);
CREATE UNIQUE INDEX vehicles_plate ON vehicles (store_id, plate);
CREATE INDEX vehicles_customer ON vehicles (customer_id, id);
CREATE INDEX vehicles_store ON vehicles (store_id, id);

CREATE TABLE service_records (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    date_in TEXT NOT NULL,
    date_out TEXT,
    mileage_km INTEGER NOT NULL CHECK (mileage_km >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'repair', 'warranty', 'recall',
                                       'accident', 'other')),
    advisor_id BIGINT REFERENCES users(id),
    technician TEXT,
    notes TEXT,
    labour_fen BIGINT NOT NULL CHECK (labour_fen >= 0),
    parts_fen BIGINT NOT NULL CHECK (parts_fen >= 0),
    total_fen BIGINT NOT NULL CHECK (total_fen = labour_fen + parts_fen),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX service_records_vehicle ON service_records (vehicle_id, date_in, id);
CREATE INDEX service_records_store ON service_records (store_id, date_in, id);

CREATE TABLE service_labour (
    id {{ID}},
    record_id BIGINT NOT NULL REFERENCES service_records(id),
    position INTEGER NOT NULL,
    code TEXT,
    operation TEXT NOT NULL,
    hours_x100 INTEGER NOT NULL CHECK (hours_x100 >= 0),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0)
);
CREATE INDEX service_labour_record ON service_labour (record_id, position);

CREATE TABLE service_parts (
    id {{ID}},
    record_id BIGINT NOT NULL REFERENCES service_records(id),
    position INTEGER NOT NULL,
    part_no TEXT NOT NULL,
    name TEXT,
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0)
);
CREATE INDEX service_parts_record ON service_parts (record_id, position);

CREATE TABLE mileage_readings (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    date TEXT NOT NULL,
    km INTEGER NOT NULL CHECK (km >= 0),
    source TEXT NOT NULL CHECK (source IN ('manual', 'service', 'call', 'sale')),
    service_record_id BIGINT REFERENCES service_records(id),
    user_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX mileage_readings_vehicle ON mileage_readings (vehicle_id, date, id);

-- IN-3: every suffix of every searchable value, so that "ends with" and "contains" are
-- index range scans (see core/searchkey.h).
CREATE TABLE search_terms (
    store_id BIGINT NOT NULL,
    term TEXT {{BIN}} NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('customer', 'vehicle')),
    entity_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    pos INTEGER NOT NULL
);
CREATE INDEX search_terms_lookup ON search_terms (store_id, term);
CREATE INDEX search_terms_entity ON search_terms (kind, entity_id);

CREATE TABLE audit_log (
    id {{ID}},
    store_id BIGINT REFERENCES stores(id),
    user_id BIGINT REFERENCES users(id),
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_store ON audit_log (store_id, id);
CREATE INDEX audit_log_entity ON audit_log (store_id, entity, entity_id, id);
