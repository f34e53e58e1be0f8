/* Showing and running the engine for the wtg-rescue commands: the report
 * (text or JSON) to stdout, the plan applied only with --apply, the boot
 * judged again afterwards, the report saved on the stick. */
#ifndef TOOLS_COMMON_RESCUE_RUN_H
#define TOOLS_COMMON_RESCUE_RUN_H

#include "rescue/report.h"
#include "rescue_host.h"

/* plan NULL: diagnose only. save: write the report to the stick.
 * Returns the exit status. */
/* The exit status for a status (as wtg-rescue --help lists). */
int rescue_exit_status(wr_status st);

int rescue_run(struct rescue_host *h, struct wr_rescue_findings *f, struct wr_rescue_plan *plan,
               bool save);

#endif
