/* wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART]
 * [--firmware uefi|bios|all] [--apply] --disk IMG... --stick IMG
 * [--nvram DIR]: bcdboot offline. A new BCD for that Windows, its boot
 * files copied to the ESP, and the firmware entry first in BootOrder
 * (uefi, the default); bios: \bootmgr, \Boot\... and \Boot\BCD from
 * \Windows\Boot\PCAT instead; all: both, as bcdboot /f ALL. The BIOS set
 * is the engine's bios action (one plan, one backup, one undo). */
#include <stdio.h>
#include <string.h>

#include "../common/rescue_run.h"
#include "commands.h"

#define USAGE                                                                                  \
    "usage: wtg-rescue rebuild --windows DISK:PART [--esp DISK:PART] "                        \
    "[--firmware uefi|bios|all] [--apply] --disk IMG... [--stick IMG] [--nvram DIR]\n"

/* "uefi", "bios", "all" (any case, as bcdboot takes /f ALL); 0 otherwise. */
static enum wr_rescue_firmware firmware_parse(const char *s)
{
    static const char *const names[] = { "uefi", "bios", "all" };
    static const enum wr_rescue_firmware fws[] = { WR_RESCUE_FW_UEFI, WR_RESCUE_FW_BIOS,
                                                   WR_RESCUE_FW_ALL };

    for (size_t i = 0; i < WR_ARRAY_LEN(names); i++) {
        const char *a = s, *b = names[i];
        while (*a && (*a | 0x20) == *b)
            a++, b++;
        if (!*a && !*b)
            return fws[i];
    }
    return 0;
}

/* Takes --firmware VALUE out of argv (rescue_parse does not know it). */
static int take_firmware(int *argc, char **argv, enum wr_rescue_firmware *fw)
{
    int out = 1;

    *fw = WR_RESCUE_FW_UEFI;
    for (int i = 1; i < *argc; i++) {
        enum wr_rescue_firmware v;
        if (strcmp(argv[i], "--firmware")) {
            argv[out++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc) {
            fprintf(stderr, "wtg-rescue: --firmware needs a value: uefi, bios or all\n" USAGE);
            return -1;
        }
        if (!(v = firmware_parse(argv[i + 1]))) {
            fprintf(stderr, "wtg-rescue: --firmware takes uefi, bios or all (bcdboot /f), not "
                            "\"%s\"; nothing written\n" USAGE, argv[i + 1]);
            return -1;
        }
        *fw = v;
        i++;
    }
    *argc = out;
    return 0;
}

/* bios and all need the BIOS set: when the Windows has no PCAT boot
 * manager, nothing is written (all does not write the UEFI half alone);
 * the report shows the plan with the refusal. */
static int run(struct rescue_host *h, enum wr_rescue_firmware fw, struct wr_rescue_findings *f,
               struct wr_rescue_plan *plan)
{
    const struct wr_rescue_action *bios = NULL;
    bool apply = h->o.apply;
    int rc;

    for (size_t i = 0; i < plan->n; i++)
        if (plan->v[i].kind == WR_RESCUE_ACT_BIOS)
            bios = &plan->v[i];
    if (!(fw & WR_RESCUE_FW_BIOS) || !bios || !bios->refused || !apply)
        return rescue_run(h, f, plan, false);
    h->o.apply = false;
    rc = rescue_run(h, f, plan, false);
    h->o.apply = apply;
    fprintf(stderr, "wtg-rescue: nothing written: BIOS boot files refused: %s\n", bios->why);
    return rc ? rc : 4;
}

int wtg_cmd_rebuild(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    enum wr_rescue_firmware fw;
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
        wr_rescue_plan_rebuild_fw(&h.model, win, esp, fw, &plan, &err)) {
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
