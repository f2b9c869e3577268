-- The workshop's resources (IN-6, IN-8, IN-13): bays (工位) of a kind, technicians with
-- skills (a bit set of core/workshop.h's enum skill) and working days (bit 0 = Monday), and
-- periods either is out of service ([starts, ends), store-local "YYYY-MM-DDTHH:MM").
CREATE TABLE bays (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('quick_service', 'general', 'body', 'paint',
                                       'alignment', 'ev')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX bays_code ON bays (store_id, code);

CREATE TABLE technicians (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    skills INTEGER NOT NULL CHECK (skills > 0),
    work_days INTEGER NOT NULL CHECK (work_days BETWEEN 0 AND 127),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX technicians_store ON technicians (store_id, id);

CREATE TABLE downtime (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    resource TEXT NOT NULL CHECK (resource IN ('bay', 'technician')),
    resource_id BIGINT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    CHECK (ends > starts)
);
CREATE INDEX downtime_resource ON downtime (store_id, resource, resource_id, starts);
