-- Issue 11, defect 2 (IN-16): an appointment reminder names its booking, so that cancelling
-- the booking, marking it a no-show or moving it withdraws the reminders still queued for it:
-- they become `cancelled`, with the reason in status_reason. Widening the status CHECK list:
-- PostgreSQL replaces the constraint; SQLite rebuilds the table (ids kept: they are the SMS
-- gateway's dedupe key, and AUTOINCREMENT continues after the highest one). Reminders queued
-- before this migration stay unlinked (they go out within minutes of being written).

-- {{PG}}
ALTER TABLE messages ADD COLUMN appointment_id BIGINT REFERENCES appointments(id);
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
    CHECK (status IN ('queued', 'sent', 'failed', 'suppressed', 'cancelled'));
-- {{END}}

-- {{SQLITE}}
CREATE TEMP TABLE messages_copy AS SELECT * FROM messages;
DROP TABLE messages;
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
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'suppressed',
        'cancelled')),
    status_reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    duplicate_risk INTEGER NOT NULL DEFAULT 0 CHECK (duplicate_risk IN (0, 1)),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    appointment_id BIGINT REFERENCES appointments(id)
);
INSERT INTO messages (id, store_id, kind, channel, customer_id, vehicle_id, task_id,
    campaign_id, recipient, subject, body, status, status_reason, attempts, next_attempt_at,
    lease_until, last_error, duplicate_risk, created_at, sent_at)
SELECT id, store_id, kind, channel, customer_id, vehicle_id, task_id, campaign_id, recipient,
    subject, body, status, status_reason, attempts, next_attempt_at, lease_until, last_error,
    duplicate_risk, created_at, sent_at FROM messages_copy;
DROP TABLE messages_copy;
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_store ON messages (store_id, id);
-- {{END}}

CREATE INDEX messages_appointment ON messages (appointment_id) WHERE appointment_id IS NOT NULL;
