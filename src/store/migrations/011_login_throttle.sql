-- Issue 11, defect 3: failed sign-ins are counted in the database, so that every `dms serve`
-- of a dealer group on one PostgreSQL shares them (core/throttle.h says how long a client
-- waits after n of them). Timestamps are UTC text like every other one in the schema.
--
-- One row per account name (kind 'account', subject = the lower-case username, whether or
-- not such a user exists: a wrong name and a wrong password must not be told apart) and per
-- client address (kind 'address', subject = "203.0.113.7" or an IPv6 /64). Rows whose last
-- failure is older than the forgetting period are swept when failures are recorded.
CREATE TABLE login_failures (
    kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL CHECK (failures > 0),
    last_failure_at TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX login_failures_last ON login_failures (last_failure_at);

-- Device cookies: a browser that once signed in as a user holds a random token (only its
-- SHA-256 is kept here) that makes it a trusted device of that user: a stranger's flood
-- locks the account for unknown clients, not for its owner's browser, which has a counter
-- of its own. One browser may be trusted for several users (a shared front-desk PC).
CREATE TABLE login_devices (
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    last_failure_at TEXT,
    locked_until TEXT,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX login_devices_user ON login_devices (user_id, last_used_at);
