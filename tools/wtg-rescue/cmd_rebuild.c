/* wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART] [--apply]
 * --disk IMG... --stick IMG [--nvram DIR]: bcdboot offline. A new BCD
 * for that Windows, its boot files copied to the ESP, and the firmware
 * entry first in BootOrder. */
#include <stdio.h>

#include "../common/rescue_run.h"
#include "commands.h"

int wtg_cmd_rebuild(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    int rc, win, esp = -1;

    if (rescue_parse(argc, argv, false, &h.o))
        return EXIT_USAGE;
    if (!h.o.windows) {
        fprintf(stderr, "usage: wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART] "
                        "[--apply] --disk IMG... [--stick IMG] [--nvram DIR]\n");
        return EXIT_USAGE;
    }
    rc = rescue_open(&h);
    if (rc)
        goto out;
    win = rescue_find_part(&h, h.o.windows);
    if (h.o.esp && (esp = rescue_find_part(&h, h.o.esp)) < 0) {
        fprintf(stderr, "wtg-rescue: no partition %s\n", h.o.esp);
        rc = EXIT_NOT_FOUND;
        goto out;
    }
    if (wr_rescue_diagnose(&h.model, &f, &err) ||
        wr_rescue_plan_rebuild(&h.model, win, esp, &plan, &err)) {
        fprintf(stderr, "wtg-rescue: %s: %s\n", h.o.windows, err.msg);
        rc = rescue_exit_status(err.code);
        goto out;
    }
    rc = rescue_run(&h, &f, &plan, false);
out:
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}
