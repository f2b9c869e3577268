/* The booking's view, shared by the booking handlers (appointments.c) and the board (board.c). */
#ifndef DMS_HTTP_APPOINTMENTS_H
#define DMS_HTTP_APPOINTMENTS_H

#include "core/text.h"
#include "http/http.h"
#include "store/appointments.h"

json_t *view_appointment(const struct req *r, const struct appointment *p);
/* The body's "ops" (a list of 1-APPT_MAX_OPS operation codes, required) and "parts" (a list of
 * {"part_no", "qty"}, optional) into in. */
int booking_body_ops(struct req *r, struct booking_in *in);
int booking_body_parts(struct req *r, struct booking_in *in);
/* Fails a refused booking: a slot refusal carries "options", a parts one "lead_time_days". */
int booking_refused(struct req *r, const struct booking_refusal *f);

#endif
