/* Message templates for the reminders sent by SMS and e-mail (MR-3, IN-16): a store's text with
 * named placeholders such as {name} or {due_date}, checked when the store saves it and filled
 * in for each message. Pure: no I/O. The built-in Chinese texts serve stores that wrote none. */
#ifndef DMS_CORE_TEMPLATE_H
#define DMS_CORE_TEMPLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* Longest template, in UTF-8 characters (not bytes). */
#define TEMPLATE_MAX_CHARS 1000

/* What the placeholders stand for; NULL or "" renders as nothing. */
struct template_values {
    const char *name, *title, *plate, *due_date, *package, *store, *store_phone;
    int64_t price_fen;    /* fen; {price} renders as ¥1,234.50 (grouped, 2 decimals) */
    bool has_price;       /* when false {price} renders as no_price */
    const char *no_price; /* e.g. "以到店报价为准"; NULL renders nothing */
};

/* Placeholders: {name} {title} {plate} {due_date} {package} {price} {store} {store_phone}.
 * "{{" and "}}" are literal braces. Error invalid_template (err->field = field) for an unknown
 * placeholder, an unbalanced brace, text that is not valid UTF-8 or holds control characters
 * (newline, tab and CR are fine), or more than TEMPLATE_MAX_CHARS characters. */
int template_check(const char *tpl, const char *field, struct dms_error *err);

/* Fills tpl in with v into a malloc'ed string (*out, the caller frees; NULL on failure).
 * Same errors as template_check (field "template"); "internal" when out of memory. */
int template_render(const char *tpl, const struct template_values *v, char **out,
                    struct dms_error *err);

/* The built-in Chinese text of a message kind ("maintenance_reminder", "appointment_reminder")
 * for a channel ("sms" or "email"). Returns the body and sets *subject (when subject is not
 * NULL) to the e-mail subject, or NULL for sms. Returns NULL (and *subject NULL) for an unknown
 * kind or channel. The SMS texts end with the opt-out hint "回复TD退订". */
const char *template_default(const char *kind, const char *channel, const char **subject);

#endif
