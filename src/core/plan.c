/* Which plan a car follows. See plan.h. */
#include "core/plan.h"

#include <strings.h>

const struct plan_key *plan_pick(const struct plan_key *keys, size_t n, const char *brand,
                                 const char *model)
{
    const struct plan_key *by_brand = NULL, *fallback = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct plan_key *p = &keys[i];
        if (!p->brand[0]) {
            fallback = p;
        } else if (strcasecmp(p->brand, brand) == 0) {
            if (p->model[0] && strcasecmp(p->model, model) == 0)
                return p;
            if (!p->model[0])
                by_brand = p;
        }
    }
    return by_brand ? by_brand : fallback;
}
