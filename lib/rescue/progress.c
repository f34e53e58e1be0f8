/* The progress line of an apply or undo step, worded once so that the app
 * and the CLI print the same text. */
#include "rescue/plan.h"

void wr_rescue_progress_line(const struct wr_rescue_progress *p, char *buf, size_t size)
{
    char tag[48];

    if (p->phase == WR_RESCUE_PHASE_BACKUP)
        wr_format(tag, sizeof tag, "backup");
    else if (p->phase == WR_RESCUE_PHASE_VERIFY)
        wr_format(tag, sizeof tag, "verify");
    else
        wr_format(tag, sizeof tag, "%zu/%zu", p->index, p->count);
    if (!p->done)
        wr_format(buf, size, "[%s] %s ...", tag, p->what ? p->what : "");
    else if (p->status != WR_OK)
        wr_format(buf, size, "[%s] failed: %s", tag, p->msg && p->msg[0] ? p->msg : "error");
    else if (p->msg && p->msg[0])
        wr_format(buf, size, "[%s] done: %s", tag, p->msg);
    else
        wr_format(buf, size, "[%s] done", tag);
}
