-- IN-15, IN-16: the call that fixes a flexible booking's date or time is a task of type
-- appointment_confirm, tied to its appointment. Widening a CHECK list: PostgreSQL replaces
-- the constraint; SQLite rebuilds the table (its rows go through a plain copy so that the
-- attempts' foreign keys, deferred for this transaction, find their tasks again).
ALTER TABLE tasks ADD COLUMN appointment_id BIGINT REFERENCES appointments(id);

-- {{PG}}
ALTER TABLE tasks DROP CONSTRAINT tasks_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_type_check CHECK (type IN ('maintenance_message',
    'maintenance_call', 'maintenance_second_call', 'followup', 'first_maintenance',
    'lost_customer', 'insurance_renewal', 'annual_inspection', 'callback', 'campaign',
    'appointment_confirm'));
-- {{END}}

-- {{SQLITE}}
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE tasks_copy AS SELECT * FROM tasks;
DROP TABLE tasks;
CREATE TABLE tasks (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    type TEXT NOT NULL CHECK (type IN ('maintenance_message', 'maintenance_call',
        'maintenance_second_call', 'followup', 'first_maintenance', 'lost_customer',
        'insurance_renewal', 'annual_inspection', 'callback', 'campaign',
        'appointment_confirm')),
    dedupe_key TEXT,
    vehicle_id BIGINT REFERENCES vehicles(id),
    customer_id BIGINT REFERENCES customers(id),
    campaign_id BIGINT REFERENCES campaigns(id),
    service_record_id BIGINT REFERENCES service_records(id),
    parent_id BIGINT REFERENCES tasks(id),
    reason TEXT NOT NULL,
    service_due_date TEXT,
    due_date TEXT NOT NULL,
    deadline TEXT NOT NULL,
    deadline_at TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    assignee_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_outcome TEXT,
    last_attempt_at TEXT,
    reached INTEGER NOT NULL DEFAULT 0 CHECK (reached IN (0, 1)),
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked IN (0, 1)),
    message_id BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    closed_at TEXT,
    appointment_id BIGINT REFERENCES appointments(id),
    CHECK (deadline >= due_date)
);
INSERT INTO tasks SELECT * FROM tasks_copy;
DROP TABLE tasks_copy;
CREATE UNIQUE INDEX tasks_dedupe ON tasks (store_id, dedupe_key);
CREATE INDEX tasks_list ON tasks (store_id, due_date, deadline);
CREATE INDEX tasks_open ON tasks (store_id, status, deadline);
CREATE INDEX tasks_vehicle ON tasks (vehicle_id, id);
-- {{END}}
