-- PIPL (issue 11): when a customer's personal data was erased on request (store/privacy.c).
-- The row stays, anonymised, so that the store's figures (repair orders, bookings, calls) keep
-- their customer; an erased customer cannot be edited or contacted again.
ALTER TABLE customers ADD COLUMN erased_at TEXT;
