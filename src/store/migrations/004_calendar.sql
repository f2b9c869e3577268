-- The store's calendar (IN-6, IN-13): opening hours per ISO weekday (0 = Monday) with a
-- lunch break, and dated exceptions: public holidays (closed) and make-up working days
-- (open). Times are minutes after local midnight; break_from = break_until = 0: no break.
CREATE TABLE store_hours (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    open INTEGER NOT NULL CHECK (open IN (0, 1)),
    open_min INTEGER NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
    close_min INTEGER NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
    break_from INTEGER NOT NULL CHECK (break_from BETWEEN 0 AND 1440),
    break_until INTEGER NOT NULL CHECK (break_until BETWEEN 0 AND 1440),
    PRIMARY KEY (store_id, weekday)
);

CREATE TABLE calendar_days (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('closed', 'open')),
    name TEXT,
    PRIMARY KEY (store_id, date)
);
