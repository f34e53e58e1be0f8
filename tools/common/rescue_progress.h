/* The progress lines of repair/rebuild --apply and undo --apply, on
 * stderr as each step starts and ends (stdout keeps the report). */
#ifndef TOOLS_COMMON_RESCUE_PROGRESS_H
#define TOOLS_COMMON_RESCUE_PROGRESS_H

#include "rescue/plan.h"

/* A wr_rescue_progress_sink function; arg is unused. */
void rescue_progress_print(void *arg, const struct wr_rescue_progress *p);

#endif
