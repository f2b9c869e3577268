-- Appointments against the workshop's capacity (IN-4..IN-20, MR-5, MR-7): the booking, its
-- operations and parts, purchase orders for parts to order, shortages and their escalation,
-- failed booking calls, and the departments' daily confirmation of the board.

-- An operation is maintenance (case A) or repair (cases B-D, by the parts).
ALTER TABLE labour_operations ADD COLUMN kind TEXT NOT NULL DEFAULT 'repair'
    CHECK (kind IN ('maintenance', 'repair'));

-- IN-8: a booked job holds its bay for this long after its end (the "float").
ALTER TABLE store_settings ADD COLUMN float_min INTEGER NOT NULL DEFAULT 30
    CHECK (float_min BETWEEN 0 AND 240);
-- The step of the start times offered (store-local minutes after opening).
ALTER TABLE store_settings ADD COLUMN slot_step_min INTEGER NOT NULL DEFAULT 30
    CHECK (slot_step_min IN (5, 10, 15, 20, 30, 60));

-- IN-5: who hears of a shortage that risks a complaint (the brand's parts manager, the
-- regional manager): e-mail addresses separated by commas.
ALTER TABLE store_settings ADD COLUMN escalation_emails TEXT;

-- One booking. A booked job lies within one day: it starts at start_min and its work ends at
-- end_min (minutes after local midnight; the lunch break does not count toward its hours);
-- its bay is held until hold_min = end_min + the float. A "period" booking (IN-15) has no
-- day yet; a "date" booking has a day but no time, bay or technician until it is fixed.
CREATE TABLE appointments (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    vehicle_id BIGINT NOT NULL REFERENCES vehicles(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    case_code TEXT NOT NULL CHECK (case_code IN ('A', 'B', 'C', 'D')),
    status TEXT NOT NULL CHECK (status IN ('tentative', 'confirmed', 'arrived', 'in_service',
                                           'completed', 'no_show', 'cancelled')),
    flexibility TEXT NOT NULL CHECK (flexibility IN ('exact', 'date', 'period')),
    day TEXT,
    start_min INTEGER,
    end_min INTEGER,
    hold_min INTEGER,
    bay_id BIGINT REFERENCES bays(id),
    technician_id BIGINT REFERENCES technicians(id),
    bay_kind TEXT NOT NULL,
    skills INTEGER NOT NULL,
    work_min INTEGER NOT NULL CHECK (work_min > 0),
    period_from TEXT,
    period_to TEXT,
    parts_date TEXT,            -- the day every part is expected in (case D)
    customer_words TEXT,
    services INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL CHECK (source IN ('inbound', 'outbound', 'walk_in', 'online')),
    wait_for_parts INTEGER NOT NULL DEFAULT 0 CHECK (wait_for_parts IN (0, 1)),
    labour_fen BIGINT NOT NULL,
    parts_fen BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    task_id BIGINT,             -- the call that booked it, when one did
    reminded_day INTEGER NOT NULL DEFAULT 0,
    reminded_soon INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (flexibility = 'period' OR day IS NOT NULL),
    CHECK (start_min IS NULL OR (end_min > start_min AND hold_min >= end_min))
);
CREATE INDEX appointments_day ON appointments (store_id, day, start_min);
CREATE INDEX appointments_vehicle ON appointments (store_id, vehicle_id, id);
CREATE INDEX appointments_status ON appointments (store_id, status, day);

CREATE TABLE appointment_ops (
    appointment_id BIGINT NOT NULL REFERENCES appointments(id),
    seq INTEGER NOT NULL,
    operation_id BIGINT NOT NULL REFERENCES labour_operations(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    hours_x100 INTEGER NOT NULL,
    labour_fen BIGINT NOT NULL,
    PRIMARY KEY (appointment_id, seq)
);

-- A part of a booking: reserved out of stock (case C, on the "appointment" shelf), on order
-- (case D, on the "waiting for parts" shelf until the order is received), planned only (a
-- booking without a day), released (cancelled) or issued (the job was done).
CREATE TABLE appointment_parts (
    appointment_id BIGINT NOT NULL REFERENCES appointments(id),
    part_id BIGINT NOT NULL REFERENCES parts(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    unit_price_fen BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'reserved', 'on_order', 'released',
                                         'issued')),
    order_line_id BIGINT,
    PRIMARY KEY (appointment_id, part_id)
);
CREATE INDEX appointment_parts_part ON appointment_parts (part_id, state);

-- Purchase orders to the supplier (IN-5 case D): one open order per store and expected day
-- collects the lines of that day's bookings.
CREATE TABLE purchase_orders (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    status TEXT NOT NULL CHECK (status IN ('open', 'received')),
    expected_date TEXT NOT NULL,
    received_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX purchase_orders_store ON purchase_orders (store_id, status, expected_date);

CREATE TABLE purchase_order_lines (
    id {{ID}},
    order_id BIGINT NOT NULL REFERENCES purchase_orders(id),
    part_id BIGINT NOT NULL REFERENCES parts(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    appointment_id BIGINT REFERENCES appointments(id)
);
CREATE INDEX purchase_order_lines_order ON purchase_order_lines (order_id, id);
CREATE INDEX purchase_order_lines_part ON purchase_order_lines (part_id);

-- IN-5: a shortage and its cause; one that risks a complaint is escalated to the brand's
-- parts manager and the regional manager.
CREATE TABLE shortages (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    part_id BIGINT NOT NULL REFERENCES parts(id),
    appointment_id BIGINT REFERENCES appointments(id),
    qty INTEGER NOT NULL CHECK (qty > 0),
    cause TEXT NOT NULL,
    complaint_risk INTEGER NOT NULL DEFAULT 0 CHECK (complaint_risk IN (0, 1)),
    escalated_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX shortages_store ON shortages (store_id, id);

-- A booking call that did not end in a booking, with its reason (booking conversion).
CREATE TABLE booking_failures (
    id {{ID}},
    store_id BIGINT NOT NULL REFERENCES stores(id),
    vehicle_id BIGINT REFERENCES vehicles(id),
    customer_id BIGINT REFERENCES customers(id),
    reason TEXT NOT NULL CHECK (reason IN ('no_suitable_slot', 'price', 'parts_unavailable',
                                           'customer_undecided', 'went_elsewhere', 'other')),
    note TEXT,
    source TEXT NOT NULL CHECK (source IN ('inbound', 'outbound', 'walk_in', 'online')),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    day TEXT NOT NULL
);
CREATE INDEX booking_failures_store ON booking_failures (store_id, day);

-- IN-11: each department confirms the next day's board.
CREATE TABLE board_confirmations (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    day TEXT NOT NULL,
    department TEXT NOT NULL CHECK (department IN ('workshop', 'parts', 'warranty',
                                                   'customer_service')),
    user_id BIGINT NOT NULL REFERENCES users(id),
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (store_id, day, department)
);
