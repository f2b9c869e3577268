-- MR-1, MR-2 (issue 14): which rule gave a car's next service, so the archive can say how it
-- was computed: the first service of a new car, the interval after its last service, or the
-- used-car rule (a car first known past its first service; core/schedule.h). Rows computed
-- before this migration have NULL until their next recompute (`dms schedule recompute`).
ALTER TABLE vehicles ADD COLUMN next_rule TEXT
    CHECK (next_rule IN ('first_service', 'interval', 'used_car'));
