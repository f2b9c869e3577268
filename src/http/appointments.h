/* The booking's view, shared by the booking handlers (appointments.c) and the board (board.c). */
#ifndef DMS_HTTP_APPOINTMENTS_H
#define DMS_HTTP_APPOINTMENTS_H

#include "core/text.h"
#include "http/http.h"
#include "store/appointments.h"

json_t *view_appointment(const struct req *r, const struct appointment *p);

#endif
