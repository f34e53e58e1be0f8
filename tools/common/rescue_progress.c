/* The same line the app prints, on stderr as it happens. */
#include "rescue_progress.h"

#include <stdio.h>

void rescue_progress_print(void *arg, const struct wr_rescue_progress *p)
{
    char line[WR_NAME_MAX + WR_ERR_MSG_MAX + 64];

    (void)arg;
    wr_rescue_progress_line(p, line, sizeof line);
    fprintf(stderr, "%s\n", line);
}
