/* The web console's static files (static.c). */
#ifndef DMS_HTTP_STATIC_H
#define DMS_HTTP_STATIC_H

#include <microhttpd.h>

/* Queues the file path names (from web_dir when set, else built in) or a JSON 404 (not_found);
 * *status gets the HTTP status for the access log. */
enum MHD_Result static_serve(struct MHD_Connection *c, const char *web_dir, const char *path,
                             int *status);

#endif
