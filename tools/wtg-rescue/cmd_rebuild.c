/* wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART]
 * [--firmware uefi|bios|all] [--apply] --disk IMG... --stick IMG
 * [--nvram DIR]: bcdboot offline. A new BCD for that Windows, its boot
 * files copied to the ESP, and the firmware entry first in BootOrder
 * (uefi, the default); bios: \bootmgr, \Boot\... and \Boot\BCD from
 * \Windows\Boot\PCAT instead; all: both, as bcdboot /f ALL. */
#include <stdio.h>
#include <string.h>

#include "../common/rescue_bios.h"
#include "../common/rescue_run.h"
#include "commands.h"

#define USAGE                                                                                  \
    "usage: wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART] "                        \
    "[--firmware uefi|bios|all] [--apply] --disk IMG... [--stick IMG] [--nvram DIR]\n"

/* Takes --firmware VALUE out of argv (rescue_parse does not know it). */
static int take_firmware(int *argc, char **argv, enum rescue_firmware *fw)
{
    int out = 1;

    *fw = RESCUE_FW_UEFI;
    for (int i = 1; i < *argc; i++) {
        int v;
        if (strcmp(argv[i], "--firmware")) {
            argv[out++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc) {
            fprintf(stderr, "wtg-rescue: --firmware needs a value: uefi, bios or all\n" USAGE);
            return -1;
        }
        if ((v = rescue_firmware_parse(argv[i + 1])) < 0) {
            fprintf(stderr, "wtg-rescue: --firmware takes uefi, bios or all (bcdboot /f), not "
                            "\"%s\"; nothing written\n" USAGE, argv[i + 1]);
            return -1;
        }
        *fw = (enum rescue_firmware)v;
        i++;
    }
    *argc = out;
    return 0;
}

/* The UEFI plan is made for bios too: it checks the Windows and finds
 * the ESP of its disk when --esp is not given. */
static int run(struct rescue_host *h, enum rescue_firmware fw, struct wr_rescue_findings *f,
               struct wr_rescue_plan *plan)
{
    struct rescue_bios bios = { .fw = fw, .esp = -1 };
    int rc;

    if (fw == RESCUE_FW_UEFI)
        return rescue_run(h, f, plan, false);
    bios.win = rescue_find_part(h, h->o.windows);
    for (size_t i = 0; i < plan->n && bios.esp < 0; i++)
        if (plan->v[i].kind == WR_RESCUE_ACT_REBUILD)
            bios.esp = plan->v[i].esp;
    rc = rescue_bios_plan(h, &bios);
    if (!rc)
        rc = rescue_run_bios(h, f, fw == RESCUE_FW_ALL ? plan : NULL, false, &bios);
    rescue_bios_free(&bios);
    return rc;
}

int wtg_cmd_rebuild(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    enum rescue_firmware fw;
    int rc, win, esp = -1;

    if (take_firmware(&argc, argv, &fw) || rescue_parse(argc, argv, false, &h.o))
        return EXIT_USAGE;
    if (!h.o.windows) {
        fprintf(stderr, USAGE);
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
    rc = run(&h, fw, &f, &plan);
out:
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}
