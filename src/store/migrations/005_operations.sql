-- The catalogue of labour operations (IN-6, IN-7, IN-10): standard hours, the bay kind and
-- the skill they need, and the labour rate. Codes are unique per store; an operation is
-- retired (active = 0), not deleted, so old quotes keep their meaning.
CREATE TABLE labour_operations (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    hours_x100 INTEGER NOT NULL CHECK (hours_x100 > 0),
    bay_kind TEXT NOT NULL CHECK (bay_kind IN ('quick_service', 'general', 'body', 'paint',
                                               'alignment', 'ev')),
    skill TEXT NOT NULL CHECK (skill IN ('maintenance', 'mechanical', 'electrical', 'body',
                                         'paint', 'alignment', 'ev', 'diagnostics')),
    rate_fen BIGINT NOT NULL CHECK (rate_fen >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX labour_operations_code ON labour_operations (store_id, code);
