/* Placeholder replaced by the demo data generator. */
#include <stdio.h>

#include "cli/cli.h"

int demo_load(struct db *db, const char *code, int customers, unsigned seed, bool print)
{
    (void)db, (void)code, (void)customers, (void)seed, (void)print;
    fprintf(stderr, "dms: demo data not available yet\n");
    return 1;
}
