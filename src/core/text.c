/* Free-text and enum checks shared by every entity. */
#include "core/text.h"

#include <string.h>

#include "core/utf8.h"

int text_clean(const char *s, char *out, size_t cap, long max_chars, bool multiline, bool required,
               const char *field, struct dms_error *err)
{
    if (!utf8_is_clean_text(s, multiline))
        return dms_fail(err, "invalid_field", field,
                        multiline ? "text contains control characters"
                                  : "text contains line breaks or control characters");
    /* The limit applies to what is kept: surrounding spaces pasted along do not count. */
    if (utf8_trim_copy(s, out, cap) < 0 || utf8_length(out) > max_chars)
        return dms_fail(err, "invalid_field", field, "at most %ld characters", max_chars);
    if (required && out[0] == '\0')
        return dms_fail(err, "missing_field", field, "must not be empty");
    return 0;
}

int enum_index(const char *const *names, int count, const char *s)
{
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], s) == 0)
            return i;
    }
    return -1;
}
