/* wtg-rescue diagnose [--json] --disk IMG... [--nvram DIR] [--stick IMG]:
 * the findings, with the boot verdict of the offline bootmgr judge. */
#include <stdio.h>

#include "../common/rescue_run.h"
#include "commands.h"

int wtg_cmd_diagnose(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_err err = { 0 };
    int rc;

    if (rescue_parse(argc, argv, false, &h.o))
        return EXIT_USAGE;
    h.o.apply = false; /* diagnose never writes */
    rc = rescue_open(&h);
    if (!rc && wr_rescue_diagnose(&h.model, &f, &err)) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        rc = EXIT_IO;
    }
    if (!rc)
        rc = rescue_run(&h, &f, NULL, false);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}
