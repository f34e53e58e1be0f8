/* wtg-rescue report --disk IMG... [--stick IMG] [--nvram DIR] [--json]:
 * findings and the plan that repair would run (a dry run), saved on the
 * stick under \wtg-rescue\reports\ when a stick is given. */
#include <stdio.h>

#include "../common/rescue_run.h"
#include "commands.h"

int wtg_cmd_report(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    int rc;

    if (rescue_parse(argc, argv, false, &h.o))
        return EXIT_USAGE;
    h.o.apply = false;
    rc = rescue_open(&h);
    if (!rc && (wr_rescue_diagnose(&h.model, &f, &err) ||
                wr_rescue_plan_make(&h.model, &f, WR_RESCUE_ACT_NONE, &plan, &err))) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        rc = EXIT_IO;
    }
    if (!rc)
        rc = rescue_run(&h, &f, &plan, true);
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}
