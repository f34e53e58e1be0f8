/* wtg-rescue repair [--apply] [--only ACTION] --disk IMG... --stick IMG
 * [--nvram DIR]: the plan for the findings; runs it only with --apply,
 * after backing up everything it changes onto the stick. */
#include <stdio.h>

#include "../common/rescue_run.h"
#include "commands.h"

int wtg_cmd_repair(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    enum wr_rescue_act only = WR_RESCUE_ACT_NONE;
    struct wr_err err = { 0 };
    int rc;

    if (rescue_parse(argc, argv, false, &h.o))
        return EXIT_USAGE;
    if (h.o.only && (only = wr_rescue_act_parse(h.o.only)) == WR_RESCUE_ACT_NONE) {
        fprintf(stderr, "wtg-rescue: unknown action \"%s\" (recover, repoint, refs, loader, "
                        "rebuild, bootfiles, nvram, bootorder, togo)\n", h.o.only);
        return EXIT_USAGE;
    }
    rc = rescue_open(&h);
    if (!rc && (wr_rescue_diagnose(&h.model, &f, &err) ||
                wr_rescue_plan_make(&h.model, &f, only, &plan, &err))) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        rc = EXIT_IO;
    }
    if (!rc)
        rc = rescue_run(&h, &f, &plan, false);
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}
