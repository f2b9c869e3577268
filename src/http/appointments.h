/* Views shared by the booking handlers (appointments.c) and the board (board.c). */
#ifndef DMS_HTTP_APPOINTMENTS_H
#define DMS_HTTP_APPOINTMENTS_H

#include "core/text.h"
#include "http/http.h"

/* "YYYY-MM-DDTHH:MM", or null when there is no time. */
json_t *view_local(dms_day day, int min);
json_t *view_option(const struct slot_option *o);
json_t *view_estimate(int64_t labour, int64_t parts, int64_t total);
json_t *view_services(unsigned services);
json_t *view_appointment(const struct req *r, const struct appointment *p);

/* IN-7: the quote of a vehicle's maintenance package (board.c). */
int quote_package(struct req *r, const struct vehicle *v);

#endif
