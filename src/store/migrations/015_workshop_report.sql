-- The workshop report (RO-8) counts revenue and on-time delivery by the day an order was
-- delivered: its orders delivered in a period, found by the delivery time.
CREATE INDEX repair_orders_delivered ON repair_orders (store_id, delivered_at);
