-- Customer care (issue 14): the settings its rules read, in one place so that the pieces
-- (complaints, follow-up questions, classes, call spacing) share one migration of settings.

-- CS-6: a complaint is acknowledged within complaint_ack_hours and resolved within
-- complaint_resolve_days of being received.
ALTER TABLE store_settings ADD COLUMN complaint_ack_hours INTEGER NOT NULL DEFAULT 24
    CHECK (complaint_ack_hours BETWEEN 1 AND 168);
ALTER TABLE store_settings ADD COLUMN complaint_resolve_days INTEGER NOT NULL DEFAULT 7
    CHECK (complaint_resolve_days BETWEEN 1 AND 90);
-- CS-1: the store's follow-up questions, one per line (at most 8), each answered yes / no.
ALTER TABLE store_settings ADD COLUMN followup_questions TEXT NOT NULL
    DEFAULT '一次修好
按时交车
费用解释清楚
愿意推荐';
-- CRM-2: the class rules' thresholds. VIP: spend (fen) or visits in the last 12 months at or
-- above these; at risk: periodic maintenance overdue by more than class_at_risk_days; lost:
-- no visit for class_lost_months.
ALTER TABLE store_settings ADD COLUMN class_vip_spend_fen BIGINT NOT NULL DEFAULT 1000000
    CHECK (class_vip_spend_fen BETWEEN 0 AND 100000000000);
ALTER TABLE store_settings ADD COLUMN class_vip_visits INTEGER NOT NULL DEFAULT 4
    CHECK (class_vip_visits BETWEEN 1 AND 100);
ALTER TABLE store_settings ADD COLUMN class_at_risk_days INTEGER NOT NULL DEFAULT 30
    CHECK (class_at_risk_days BETWEEN 0 AND 365);
ALTER TABLE store_settings ADD COLUMN class_lost_months INTEGER NOT NULL DEFAULT 12
    CHECK (class_lost_months BETWEEN 1 AND 60);
-- CS-9: days between two calls to one customer (call-backs they asked for and safety recalls
-- excepted); 0 turns the spacing off.
ALTER TABLE store_settings ADD COLUMN call_spacing_days INTEGER NOT NULL DEFAULT 7
    CHECK (call_spacing_days BETWEEN 0 AND 60);

-- CS-6: a complaint's task for its owner (acknowledge, resolve, an escalation to the service
-- manager). Widening the tasks' type CHECK list as 010 and 014 did.
-- {{PG}}
ALTER TABLE tasks DROP CONSTRAINT tasks_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_type_check CHECK (type IN ('maintenance_message',
    'maintenance_call', 'maintenance_second_call', 'followup', 'first_maintenance',
    'lost_customer', 'insurance_renewal', 'annual_inspection', 'callback', 'campaign',
    'appointment_confirm', 'no_show_rebook', 'complaint'));
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
        'appointment_confirm', 'no_show_rebook', 'complaint')),
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
