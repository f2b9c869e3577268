-- IN-21: the 9-point check of booking calls (神秘客户预约9项检查). One row per scored call:
-- the advisor who took it (a user of the store with the advisor role), when it was (call_at,
-- UTC, like every timestamp; call_day, its store-local calendar day, which the monthly report
-- counts it on), who scored it (the service manager, or a mystery shopper's report), the nine
-- points as a bit set (bit 0 answer_3_rings ... bit 8 closing, core/call_review.h) and their
-- count, the score (0-9), a note, and optionally the booking the call made.
CREATE TABLE call_reviews (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    advisor_id BIGINT NOT NULL REFERENCES users(id),
    call_at TEXT NOT NULL,
    call_day TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manager', 'mystery_shopper')),
    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 511),
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 9),
    note TEXT,
    appointment_id BIGINT REFERENCES appointments(id),
    reviewed_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX call_reviews_day ON call_reviews (store_id, call_day, id);
CREATE INDEX call_reviews_advisor ON call_reviews (store_id, advisor_id, call_day, id);
