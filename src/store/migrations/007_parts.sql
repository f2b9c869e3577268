-- The parts master (IN-5, IN-6 cases C and D, IN-12): what the store stocks, at what price,
-- on which shelf, and how long the supplier takes. available = on_hand - reserved; parts
-- are reserved only out of what is on hand, so reserved never exceeds it.
CREATE TABLE parts (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    part_no TEXT NOT NULL,
    name TEXT NOT NULL,
    price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
    reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    shelf TEXT,
    lead_days INTEGER NOT NULL CHECK (lead_days BETWEEN 0 AND 365),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX parts_no ON parts (store_id, part_no);
