-- MR-1: a car without a purchase date or readings is scheduled from the day the store came to
-- know it, which is a store-local date (created_at is UTC and can be the day before in
-- China). Existing rows take the UTC date they have.
ALTER TABLE vehicles ADD COLUMN known_since TEXT;
UPDATE vehicles SET known_since = substr(created_at, 1, 10);
