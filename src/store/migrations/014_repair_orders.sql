-- Reception and repair orders (RO-1..RO-9, MR-7; issue 13): the repair order (维修委托书) with
-- its labour and parts lines, each with its payer (RO-3); the customer's decisions on work
-- found during the job (RO-4) and the declined work kept on the vehicle; the technicians'
-- clock (RO-5); payments and on-account receivables (RO-7, CRM-3); the service record a
-- delivered order writes; the no-show rebooking call (RO-9).

-- RO-1: operation codes a booked customer gets done free ("可免费享受一些维修项目"), comma
-- separated; RO-9: minutes after closing before the day's unarrived bookings become no-shows,
-- and days their reserved parts stay reserved after; RO-7: days an on-account bill is due in.
ALTER TABLE store_settings ADD COLUMN booked_perk_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE store_settings ADD COLUMN no_show_grace_min INTEGER NOT NULL DEFAULT 30
    CHECK (no_show_grace_min BETWEEN 0 AND 720);
ALTER TABLE store_settings ADD COLUMN no_show_hold_days INTEGER NOT NULL DEFAULT 3
    CHECK (no_show_hold_days BETWEEN 0 AND 60);
ALTER TABLE store_settings ADD COLUMN receivable_days INTEGER NOT NULL DEFAULT 30
    CHECK (receivable_days BETWEEN 1 AND 365);

-- One order per visit. Its number (R + store-local yymmdd + a 4-digit sequence of the day) is
-- unique in the store; one order per booking. Times are UTC text like every timestamp;
-- promised_at is store-local "YYYY-MM-DDTHH:MM" (what the advisor tells the customer).
-- wait_min (arrival to work start) and on_time (delivered by the promised time) are written
-- when those happen, for the workshop report (RO-8).
CREATE TABLE repair_orders (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    number TEXT NOT NULL,
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    appointment_id BIGINT REFERENCES appointments(id),
    source TEXT NOT NULL CHECK (source IN ('appointment', 'walk_in')),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'qc', 'ready', 'settled',
                                           'delivered', 'cancelled')),
    kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'repair', 'warranty', 'recall',
                                       'accident', 'other')),
    campaign_id BIGINT REFERENCES campaigns(id),
    day TEXT NOT NULL,
    mileage_km INTEGER NOT NULL CHECK (mileage_km >= 0),
    reading_id BIGINT REFERENCES mileage_readings(id),
    fuel_eighths INTEGER CHECK (fuel_eighths BETWEEN 0 AND 8),
    damage_notes TEXT,
    customer_words TEXT,
    brought_by TEXT NOT NULL CHECK (brought_by IN ('owner', 'driver')),
    driver_id BIGINT REFERENCES customer_drivers(id),
    waiting INTEGER NOT NULL DEFAULT 0 CHECK (waiting IN (0, 1)),
    promised_at TEXT,
    advisor_id BIGINT REFERENCES users(id),
    bay_id BIGINT REFERENCES bays(id),
    technician_id BIGINT REFERENCES technicians(id),
    arrived_at TEXT NOT NULL,
    started_at TEXT,
    qc_at TEXT,
    ready_at TEXT,
    settled_at TEXT,
    delivered_at TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT,
    wait_min INTEGER,
    on_time INTEGER CHECK (on_time IN (0, 1)),
    qc_failures INTEGER NOT NULL DEFAULT 0,
    qc_note TEXT,
    discount_fen BIGINT NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
    discount_approved_by BIGINT REFERENCES users(id),
    amount_due_fen BIGINT,
    service_record_id BIGINT REFERENCES service_records(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX repair_orders_number ON repair_orders (store_id, number);
CREATE UNIQUE INDEX repair_orders_appointment ON repair_orders (appointment_id);
CREATE INDEX repair_orders_day ON repair_orders (store_id, day, id);
CREATE INDEX repair_orders_status ON repair_orders (store_id, status, id);
CREATE INDEX repair_orders_vehicle ON repair_orders (vehicle_id, id);

-- A line: labour (an operation of the catalogue, its standard hours and price) or a part (qty
-- x unit price), with who pays (RO-3). decision: NULL for work agreed at reception, else
-- pending / approved / declined (RO-4). stock (parts): none, reserved (out of available),
-- on_order (the booking's part still on its purchase order), issued, returned.
CREATE TABLE repair_order_lines (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES repair_orders(id),
    position INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('labour', 'part')),
    operation_id BIGINT REFERENCES labour_operations(id),
    part_id BIGINT REFERENCES parts(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    hours_x100 INTEGER NOT NULL DEFAULT 0 CHECK (hours_x100 >= 0),
    qty INTEGER NOT NULL DEFAULT 1 CHECK (qty > 0),
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    payer TEXT NOT NULL CHECK (payer IN ('customer', 'warranty', 'insurance', 'internal',
                                         'free')),
    perk INTEGER NOT NULL DEFAULT 0 CHECK (perk IN (0, 1)),
    from_appointment INTEGER NOT NULL DEFAULT 0 CHECK (from_appointment IN (0, 1)),
    decision TEXT CHECK (decision IN ('pending', 'approved', 'declined')),
    decided_via TEXT CHECK (decided_via IN ('phone', 'in_person')),
    decided_by TEXT,
    decided_at TEXT,
    recorded_by BIGINT REFERENCES users(id),
    stock TEXT NOT NULL DEFAULT 'none' CHECK (stock IN ('none', 'reserved', 'on_order',
                                                         'issued', 'returned')),
    clocked_min INTEGER NOT NULL DEFAULT 0 CHECK (clocked_min >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX repair_order_lines_order ON repair_order_lines (order_id, position);

-- RO-5: a technician on a labour line from on_at until off_at; one open clock per technician
-- and per line.
CREATE TABLE repair_order_clocks (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES repair_orders(id),
    line_id BIGINT NOT NULL REFERENCES repair_order_lines(id),
    technician_id BIGINT NOT NULL REFERENCES technicians(id),
    on_at TEXT NOT NULL,
    on_s BIGINT NOT NULL,
    off_at TEXT,
    minutes INTEGER
);
CREATE UNIQUE INDEX repair_order_clocks_open ON repair_order_clocks (technician_id)
    WHERE off_at IS NULL;
CREATE UNIQUE INDEX repair_order_clocks_line_open ON repair_order_clocks (line_id)
    WHERE off_at IS NULL;
CREATE INDEX repair_order_clocks_line ON repair_order_clocks (line_id, id);

-- RO-7, CRM-3: what a company customer owes for an order settled on account, and its payments.
CREATE TABLE receivables (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES repair_orders(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'paid')),
    created_at TEXT NOT NULL,
    paid_at TEXT
);
CREATE UNIQUE INDEX receivables_order ON receivables (order_id);
CREATE INDEX receivables_store ON receivables (store_id, status, due_date);
CREATE INDEX receivables_customer ON receivables (customer_id, id);

-- Payments of an order at settlement (receivable_id NULL) or of a receivable later.
CREATE TABLE payments (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES repair_orders(id),
    receivable_id BIGINT REFERENCES receivables(id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'wechat', 'alipay', 'transfer',
                                           'on_account')),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    user_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id, id);
CREATE INDEX payments_receivable ON payments (receivable_id, id);

-- RO-4: work the customer declined, offered again at the next contact until done (a later
-- delivered order of the car did it) or dismissed.
CREATE TABLE declined_work (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    order_id BIGINT NOT NULL REFERENCES repair_orders(id),
    line_id BIGINT NOT NULL REFERENCES repair_order_lines(id),
    type TEXT NOT NULL CHECK (type IN ('labour', 'part')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    declined_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dismissed')),
    closed_at TEXT,
    closed_by_order BIGINT REFERENCES repair_orders(id)
);
CREATE UNIQUE INDEX declined_work_line ON declined_work (line_id);
CREATE INDEX declined_work_vehicle ON declined_work (vehicle_id, status, id);

ALTER TABLE service_records ADD COLUMN repair_order_id BIGINT REFERENCES repair_orders(id);

-- RO-9: the call that asks a no-show customer to rebook. Widening the tasks' type CHECK list
-- as 010 did.
-- {{PG}}
ALTER TABLE tasks DROP CONSTRAINT tasks_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_type_check CHECK (type IN ('maintenance_message',
    'maintenance_call', 'maintenance_second_call', 'followup', 'first_maintenance',
    'lost_customer', 'insurance_renewal', 'annual_inspection', 'callback', 'campaign',
    'appointment_confirm', 'no_show_rebook'));
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
        'appointment_confirm', 'no_show_rebook')),
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
