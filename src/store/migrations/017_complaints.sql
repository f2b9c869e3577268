-- Complaints and enquiries (CS-6, IN-20; issue 14) and the follow-up call that measures (CS-1).

-- CS-6: one complaint or enquiry. Its number (C + store-local yymmdd + a 4-digit sequence of
-- the day) is unique in the store. Times are UTC text like every timestamp. ack_due_at and
-- resolve_due_at come from the store's settings when it is received (core/complaint.c) and
-- resolve_due_at again when it is reopened (round_no counts the reopenings: an escalation is
-- once per cause and round). followup_task_id: the follow-up call whose 不满意 opened it
-- (CS-1), unique, so that one call opens one complaint.
CREATE TABLE complaints (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    vehicle_id BIGINT REFERENCES vehicles(id),
    repair_order_id BIGINT REFERENCES repair_orders(id),
    followup_task_id BIGINT REFERENCES tasks(id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'walk_in', 'followup_call',
                                             'brand_hotline', 'online', 'other')),
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'enquiry')),
    category TEXT NOT NULL CHECK (category IN ('workmanship', 'service_attitude', 'price',
                                               'parts_delay', 'waiting_time', 'other')),
    severity TEXT NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'critical')),
    text TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'in_progress', 'resolved',
                                           'closed', 'reopened')),
    round_no INTEGER NOT NULL DEFAULT 1,
    received_at TEXT NOT NULL,
    ack_due_at TEXT NOT NULL,
    resolve_due_at TEXT NOT NULL,
    acknowledged_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    resolution TEXT,
    customer_satisfied INTEGER CHECK (customer_satisfied IN (0, 1)),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX complaints_number ON complaints (store_id, number);
CREATE UNIQUE INDEX complaints_followup ON complaints (followup_task_id);
CREATE INDEX complaints_status ON complaints (store_id, status, id);
CREATE INDEX complaints_customer ON complaints (customer_id, id);

-- CS-6: the log of what was done: a call back, a re-repair booked (its booking), goodwill
-- (fen), a note; and each change of status with its note.
CREATE TABLE complaint_actions (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    type TEXT NOT NULL CHECK (type IN ('call_back', 're_repair_booked', 'goodwill', 'note',
                                       'status')),
    note TEXT NOT NULL DEFAULT '',
    appointment_id BIGINT REFERENCES appointments(id),
    amount_fen BIGINT CHECK (amount_fen >= 0),
    status TEXT,
    user_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX complaint_actions_of ON complaint_actions (complaint_id, id);

-- CS-6: the claim of an escalation to the service manager, once per complaint, cause
-- (serious, ack_overdue, resolve_overdue) and round_no: whoever inserts the row makes the task
-- and the e-mail; a second worker's insert does nothing.
CREATE TABLE complaint_escalations (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    cause TEXT NOT NULL CHECK (cause IN ('serious', 'ack_overdue', 'resolve_overdue')),
    round_no INTEGER NOT NULL,
    emails INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL
);
CREATE UNIQUE INDEX complaint_escalations_once ON complaint_escalations (complaint_id, cause, round_no);

-- CS-1: what the follow-up call heard: satisfied / neutral / dissatisfied, and the answers to
-- the store's questions as JSON [{"question": label, "answer": true|false}] (the label kept,
-- so that a later edit of the questions does not rewrite what was answered).
ALTER TABLE task_attempts ADD COLUMN satisfaction TEXT
    CHECK (satisfaction IN ('satisfied', 'neutral', 'dissatisfied'));
ALTER TABLE task_attempts ADD COLUMN answers TEXT;
