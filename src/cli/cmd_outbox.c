/* dms outbox send: one pass of the dispatcher (what dms serve does every few seconds), for
 * a cron job or a test. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "notify/dispatch.h"

int cmd_outbox(struct cli *c)
{
    const char *sub = c->argc > 1 ? c->argv[1] : "";
    if (strcmp(sub, "send") != 0 ||
        cli_parse(c, 2, (struct cli_opt[]){{NULL, NULL, NULL}}, NULL, 0) < 0) {
        fprintf(stderr, "usage: dms outbox send\n");
        return 2;
    }
    struct dispatch_config dc;
    cli_dispatch_config(c, &dc);
    if (!(dc.sms.url && *dc.sms.url) && !(dc.smtp.host && *dc.smtp.host)) {
        fprintf(stderr, "dms: no channel is configured (smtp_host, sms_url)\n");
        return 1;
    }
    struct db *db = cli_open_db(c);
    if (!db)
        return 1;
    struct dispatch_stats st;
    struct dms_error err = {0};
    int rc = dispatch_run(db, &dc, INT_MAX, &st, &err);
    db_close(db);
    if (rc < 0)
        return cli_fail("outbox", &err);
    printf("outbox: %d claimed, %d sent, %d retried later, %d held for quiet hours, "
           "%d failed, %d suppressed, %d changed by others while being sent\n",
           st.claimed, st.sent, st.retried, st.held, st.failed, st.suppressed, st.overruled);
    return 0;
}
