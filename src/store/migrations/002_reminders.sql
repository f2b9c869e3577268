-- Maintenance schedules (MR-1), the daily call lists (MR-2..MR-6, CS-1..CS-4, CS-8), campaigns
-- (CS-5, CS-7), the message outbox (MR-3) and their settings. Same conventions as 001.

-- One row per store; every number a rule in REQUIREMENTS.md names is a default kept here.
CREATE TABLE store_settings (
    store_id BIGINT PRIMARY KEY REFERENCES stores(id),
    store_phone TEXT,
    default_daily_km INTEGER NOT NULL DEFAULT 40 CHECK (default_daily_km BETWEEN 1 AND 2000),
    message_days INTEGER NOT NULL DEFAULT 13 CHECK (message_days BETWEEN 1 AND 90),   -- MR-3
    call_days INTEGER NOT NULL DEFAULT 11 CHECK (call_days BETWEEN 1 AND 90),         -- MR-4
    call_window_days INTEGER NOT NULL DEFAULT 3 CHECK (call_window_days BETWEEN 1 AND 30),
    followup_days INTEGER NOT NULL DEFAULT 3 CHECK (followup_days BETWEEN 1 AND 30),  -- CS-1
    followup_window_days INTEGER NOT NULL DEFAULT 5
        CHECK (followup_window_days BETWEEN 1 AND 30),
    month_deadline_day INTEGER NOT NULL DEFAULT 15 CHECK (month_deadline_day BETWEEN 1 AND 28),
    lost_months INTEGER NOT NULL DEFAULT 3 CHECK (lost_months BETWEEN 1 AND 36),      -- CS-4
    lost_basis TEXT NOT NULL DEFAULT 'due_date' CHECK (lost_basis IN ('due_date', 'last_visit')),
    renewal_days INTEGER NOT NULL DEFAULT 30 CHECK (renewal_days BETWEEN 1 AND 120),  -- CS-8
    max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 10),
    callback_busy_minutes INTEGER NOT NULL DEFAULT 5 CHECK (callback_busy_minutes BETWEEN 1 AND 240),
    callback_parts_minutes INTEGER NOT NULL DEFAULT 15
        CHECK (callback_parts_minutes BETWEEN 1 AND 240),
    generate_at TEXT NOT NULL DEFAULT '07:00',   -- store-local HH:MM of the morning run
    quiet_from TEXT NOT NULL DEFAULT '21:00',    -- no SMS from ...
    quiet_until TEXT NOT NULL DEFAULT '08:00',   -- ... until (store-local)
    updated_at TEXT
);
INSERT INTO store_settings (store_id) SELECT id FROM stores;

-- MR-1: intervals and the standard package per brand/model. brand '' and model '' is the
-- store-wide default; brand with model '' covers the whole brand. '' rather than NULL keeps
-- the unique index honest on both backends.
CREATE TABLE maintenance_plans (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    brand TEXT NOT NULL,
    model TEXT NOT NULL,
    interval_km INTEGER NOT NULL CHECK (interval_km > 0),
    interval_months INTEGER NOT NULL CHECK (interval_months > 0),
    first_km INTEGER NOT NULL CHECK (first_km > 0),
    first_months INTEGER NOT NULL CHECK (first_months > 0),
    package_name TEXT,
    ops TEXT NOT NULL,      -- JSON array of labour operations
    parts TEXT NOT NULL,    -- JSON array of parts
    labour_fen BIGINT NOT NULL CHECK (labour_fen >= 0),
    parts_fen BIGINT NOT NULL CHECK (parts_fen >= 0),
    lead_days INTEGER NOT NULL CHECK (lead_days >= 0),  -- longest parts lead time (MR-6)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (model = '' OR brand <> '')
);
CREATE UNIQUE INDEX maintenance_plans_key ON maintenance_plans (store_id, brand, model);

-- The vehicle's schedule, kept current by every write that moves it (store/schedule.c).
ALTER TABLE vehicles ADD COLUMN plan_id BIGINT REFERENCES maintenance_plans(id);
ALTER TABLE vehicles ADD COLUMN next_due_date TEXT;
ALTER TABLE vehicles ADD COLUMN next_due_km INTEGER;
ALTER TABLE vehicles ADD COLUMN next_basis TEXT CHECK (next_basis IN ('time', 'mileage'));
ALTER TABLE vehicles ADD COLUMN last_service_date TEXT;  -- last periodic maintenance
ALTER TABLE vehicles ADD COLUMN last_service_km INTEGER;
ALTER TABLE vehicles ADD COLUMN last_visit_date TEXT;    -- last service record of any kind
ALTER TABLE vehicles ADD COLUMN insurance_expiry TEXT;   -- CS-8
ALTER TABLE vehicles ADD COLUMN inspection_expiry TEXT;  -- CS-8
CREATE INDEX vehicles_due ON vehicles (store_id, next_due_date);
CREATE INDEX vehicles_purchase ON vehicles (store_id, purchase_date);
CREATE INDEX vehicles_visit ON vehicles (store_id, last_visit_date);
CREATE INDEX vehicles_insurance ON vehicles (store_id, insurance_expiry);
CREATE INDEX vehicles_inspection ON vehicles (store_id, inspection_expiry);

-- MR-3: the channel a customer prefers for reminders; a reply of TD/退订 opts out of SMS.
ALTER TABLE customers ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT 'sms'
    CHECK (preferred_channel IN ('sms', 'email'));
ALTER TABLE customers ADD COLUMN sms_opted_out_at TEXT;

-- CS-1: "completed on D-3" finds the repair orders of a day by their completion date.
CREATE INDEX service_records_done ON service_records (store_id, (COALESCE(date_out, date_in)));

CREATE TABLE campaigns (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL CHECK (kind IN ('recall', 'tech_upgrade', 'promotion', 'holiday')),
    name TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'email')),
    template TEXT NOT NULL,
    subject TEXT,
    selection TEXT NOT NULL,  -- JSON, as given
    deadline TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX campaigns_store ON campaigns (store_id, id);

-- CS-5/CS-7: one row per selected vehicle; its status follows its task or message, and a
-- recall is completed by a service record of kind recall naming the campaign.
CREATE TABLE campaign_vehicles (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    task_id BIGINT,
    message_id BIGINT,
    completed_at TEXT,
    service_record_id BIGINT REFERENCES service_records(id),
    PRIMARY KEY (campaign_id, vehicle_id)
);
CREATE INDEX campaign_vehicles_vehicle ON campaign_vehicles (vehicle_id);

ALTER TABLE service_records ADD COLUMN campaign_id BIGINT REFERENCES campaigns(id);

-- The call lists. dedupe_key makes generation idempotent: the same cause never makes a
-- second task (NULL for hand-made call-backs).
CREATE TABLE tasks (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    type TEXT NOT NULL CHECK (type IN ('maintenance_message', 'maintenance_call',
        'maintenance_second_call', 'followup', 'first_maintenance', 'lost_customer',
        'insurance_renewal', 'annual_inspection', 'callback', 'campaign')),
    dedupe_key TEXT,
    vehicle_id BIGINT REFERENCES vehicles(id),
    customer_id BIGINT REFERENCES customers(id),
    campaign_id BIGINT REFERENCES campaigns(id),
    service_record_id BIGINT REFERENCES service_records(id),
    parent_id BIGINT REFERENCES tasks(id),
    reason TEXT NOT NULL,
    service_due_date TEXT,       -- the maintenance due date the call is about
    due_date TEXT NOT NULL,      -- the first day the task is on the list
    deadline TEXT NOT NULL,      -- the last day (store-local)
    deadline_at TEXT,            -- call-backs: the UTC instant (IN-1 5 min, IN-5 15 min)
    contact_name TEXT,           -- call-backs of callers not in the archive
    contact_phone TEXT,
    assignee_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,   -- unanswered tries (no_answer, busy)
    last_outcome TEXT,
    last_attempt_at TEXT,
    reached INTEGER NOT NULL DEFAULT 0 CHECK (reached IN (0, 1)),
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked IN (0, 1)),
    message_id BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    closed_at TEXT,
    CHECK (deadline >= due_date)
);
CREATE UNIQUE INDEX tasks_dedupe ON tasks (store_id, dedupe_key);
CREATE INDEX tasks_list ON tasks (store_id, due_date, deadline);
CREATE INDEX tasks_open ON tasks (store_id, status, deadline);
CREATE INDEX tasks_vehicle ON tasks (vehicle_id, id);

CREATE TABLE task_attempts (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    at TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'booked', 'undecided', 'declined',
        'no_answer', 'busy', 'wrong_number', 'call_back_later')),
    notes TEXT,
    mileage_km INTEGER,
    special_needs TEXT
);
CREATE INDEX task_attempts_task ON task_attempts (task_id, id);

-- Templates per store, kind and channel; the built-in Chinese texts apply where none is kept.
CREATE TABLE message_templates (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    subject TEXT,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (store_id, kind, channel)
);

-- The outbox: written in the same transaction as its cause, sent by the dispatcher
-- (notify/dispatch.c). A message is claimed with a lease before it is sent; a lease that
-- runs out without a result means the sender died mid-send, and the message is sent again.
CREATE TABLE messages (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    customer_id BIGINT REFERENCES customers(id),
    vehicle_id BIGINT REFERENCES vehicles(id),
    task_id BIGINT,
    campaign_id BIGINT REFERENCES campaigns(id),
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
    status_reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,   -- UTC; held SMS wait here for the morning
    lease_until TEXT,                -- UTC; set while a dispatcher is sending it
    last_error TEXT,
    duplicate_risk INTEGER NOT NULL DEFAULT 0 CHECK (duplicate_risk IN (0, 1)),
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_store ON messages (store_id, id);

-- The morning runs, so that dms serve generates each store's day once.
CREATE TABLE generation_runs (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    date TEXT NOT NULL,
    at TEXT NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (store_id, date)
);
