/* make-togo's boot side: the engine's bcdboot-style rebuild for the To Go
 * Windows onto the stick's ESP (the same code as `wtg-rescue rebuild`), the
 * rescue app as the fallback loader with To Go as its default, the report. */
#include <stdlib.h>
#include <string.h>

#include "../common/fatvol.h"
#include "../common/rescue_run.h"
#include "../common/rescue_progress.h"
#include "rescue/bios.h"
#include "rescue/judge.h"
#include "togo.h"

#define CONF_PATH "\\EFI\\wtg-rescue\\wtg-rescue.conf"
#define REPORT_PATH "\\wtg-rescue\\make-togo-report.txt"

static int read_host_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
        !(*data = malloc((size_t)n)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
        if (f)
            fclose(f);
        return -1;
    }
    *len = (size_t)n;
    fclose(f);
    return 0;
}

static void make_dirs(const struct wr_volume *v, const char *path)
{
    char buf[256];
    for (char *p = strchr(wr_format(buf, sizeof buf, "%s", path) ? buf + 1 : buf, '\\'); p;
         p = strchr(p + 1, '\\')) {
        *p = 0;
        if (!wr_volume_exists(v, buf))
            wr_volume_make_dir(v, buf, NULL);
        *p = '\\';
    }
}

static int put(const struct wr_volume *v, const char *path, const uint8_t *d, size_t n,
               const char *what)
{
    struct wr_err err = { 0 };

    make_dirs(v, path);
    if (wr_volume_write_file(v, path, d, n, &err)) {
        fprintf(stderr, "make-togo: step \"%s\": %s: %s\n", what, path, err.msg);
        return -1;
    }
    return 0;
}

static int install_app(const struct wr_volume *esp, const char *app, struct togo_summary *s)
{
    static const char conf[] = "# written by wtg-rescue make-togo\ndefault togo\n";
    uint8_t *d = NULL;
    size_t n = 0;
    int rc;

    if (read_host_file(app, &d, &n)) {
        fprintf(stderr, "make-togo: step \"install the rescue app\": cannot read %s (--app)\n",
                app);
        return -1;
    }
    rc = put(esp, "\\EFI\\BOOT\\BOOTX64.EFI", d, n, "install the rescue app");
    free(d);
    if (!rc)
        rc = put(esp, CONF_PATH, (const uint8_t *)conf, sizeof conf - 1, "write the app's conf");
    if (!rc) {
        togo_say(s, "Rescue app: %s -> \\EFI\\BOOT\\BOOTX64.EFI (%zu bytes), %s: default togo",
                 app, n, CONF_PATH);
    }
    return rc;
}

static const struct wr_rescue_action *bios_action(const struct wr_rescue_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++)
        if (plan->v[i].kind == WR_RESCUE_ACT_BIOS)
            return &plan->v[i];
    return NULL;
}

/* wr_rescue_apply without rescue_run's raw ESP image: the stick's ESP is
 * both the partition written and the backup's home, and on a stick being
 * built there is nothing in it to give back. The bios action is the plan's
 * last: when it alone failed, the UEFI set is complete (returns 0 then,
 * and bios() says what is missing). */
static int apply(struct rescue_host *h, struct wr_rescue_plan *plan, struct togo_summary *s,
                 char backup[WR_NAME_MAX])
{
    struct wr_rescue_apply_opts ao = { .stick = &h->stick_vol, .stamp = h->stamp,
                                       .progress = { rescue_progress_print, NULL } };
    const struct wr_rescue_action *b = bios_action(plan);
    struct wr_err err = { 0 };
    wr_status st = wr_rescue_apply(&h->model, plan, &ao, backup, &err);

    for (size_t i = 0; i < plan->n; i++) {
        const struct wr_rescue_action *a = &plan->v[i];
        printf("  %s: %s\n", a->refused ? "skipped" : a->ran && !a->result ? "done" : "FAILED",
               a->text);
        if (a->refused)
            printf("      (%s)\n", a->why);
        else if (a->ran && a->result)
            printf("      %s\n", a->result_msg);
    }
    if (*backup)
        togo_say(s, "ESP backup before the boot files (UEFI and BIOS sets): %s", backup);
    if (st && b && b->ran && b->result) {
        fprintf(stderr, "make-togo: step \"BIOS boot files\": %s\n", b->result_msg);
        st = WR_OK;
    } else if (st) {
        fprintf(stderr, "make-togo: step \"boot files and BCD\": %s\n", err.msg);
        return EXIT_FAILED_T;
    }
    return rescue_rescan(h) ? EXIT_FAILED_T : 0;
}

/* bcdboot /f ALL's BIOS half, the plan's last action: how it went. */
static int bios(struct rescue_host *h, const struct wr_rescue_plan *plan, int win,
                const char *backup, struct togo_summary *s, const char **state)
{
    const struct wr_rescue_action *b = bios_action(plan);
    static char why[WR_NAME_MAX + 256];
    struct wr_text list = { 0 };
    size_t n = 0;

    if (!b || b->refused) {
        togo_say(s, "BIOS boot files: skipped, the image has no %s\\bootmgr (the stick is "
                    "UEFI only, as bcdboot /f UEFI makes it)", WR_RESCUE_PCAT_DIR);
        return 0;
    }
    if (b->result || !b->ran) {
        wr_format(why, sizeof why,
                  "the stick boots on UEFI PCs (its UEFI boot files, BCD and rescue app are in "
                  "place); the BIOS set (\\bootmgr, \\Boot) is incomplete%s%s; run again with "
                  "--repair-only", *backup ? ", what it replaced is in " : "", backup);
        *state = why;
        return EXIT_FAILED_T;
    }
    wr_rescue_bios_targets(&h->model, win, &list, &n, NULL);
    wr_text_free(&list);
    togo_say(s, "BIOS boot files (bcdboot /f ALL): \\bootmgr from %s, %zu file(s) in all, "
                "%s with winload.exe on partition 2", WR_RESCUE_PCAT_DIR, n ? n - 1 : 0,
             WR_RESCUE_BIOS_BCD_PATH);
    togo_say(s, "  (for parity only: a BIOS PC needs MBR boot code to reach \\bootmgr, and "
                "this GPT stick has none, so it boots on UEFI PCs only)");
    return 0;
}

int togo_boot(const struct togo_stick *st, const char *app, struct togo_summary *s,
              const char **state)
{
    struct rescue_host h = { 0 };
    struct wr_rescue_findings f = { 0 };
    struct wr_rescue_plan plan = { 0 };
    struct wr_rescue_verdict v = { 0 };
    struct wr_err err = { 0 };
    char backup[WR_NAME_MAX] = "";
    int rc, win, esp;

    h.o.disks[0] = st->path;
    h.o.n_disks = 1;
    h.o.stick = st->path;
    h.o.apply = true;
    rc = rescue_open(&h);
    if (rc)
        goto out;
    win = rescue_find_part(&h, "0:2");
    esp = rescue_find_part(&h, "0:1");
    if (win < 0 || esp < 0 || wr_rescue_diagnose(&h.model, &f, &err) ||
        wr_rescue_plan_rebuild_fw(&h.model, win, esp, WR_RESCUE_FW_ALL, &plan, &err)) {
        fprintf(stderr, "make-togo: step \"boot files and BCD\": %s\n",
                err.msg[0] ? err.msg : "the stick's partitions were not found");
        rc = EXIT_FAILED_T;
        goto out;
    }
    printf("Boot files and BCD, UEFI and BIOS (the engine's rebuild, as `wtg-rescue rebuild "
           "--firmware all`):\n");
    if ((rc = apply(&h, &plan, s, backup)))
        goto out;
    wr_rescue_judge(&h.model, esp, &v);
    if (v.ok)
        togo_say(s, "BCD: rebuilt on the ESP; judged OK (boots the Windows on partition 2)");
    else
        togo_say(s, "BCD: rebuilt, but the judge says 0x%08x: %s", v.code, v.why);
    if (!v.ok || (v.os_part >= 0 && v.os_part != win)) {
        fprintf(stderr, "make-togo: step \"boot files and BCD\": the new BCD does not start "
                        "the To Go Windows (0x%08x %s)\n", v.code, v.why);
        rc = EXIT_FAILED_T;
        goto out;
    }
    togo_say(s, "Windows Boot Manager: \\EFI\\Microsoft\\Boot\\bootmgfw.efi (from "
                "\\Windows\\Boot\\EFI)");
    rc = install_app(&h.stick_vol, app, s) ? EXIT_FAILED_T : 0;
    if (!rc)
        rc = bios(&h, &plan, win, backup, s, state);
out:
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&f);
    rescue_close(&h);
    return rc;
}

int togo_save_report(const struct togo_stick *st, const struct togo_summary *s)
{
    struct wr_fatvol *fv = NULL;
    struct wr_volume v;
    struct wr_err err = { 0 };
    int rc;

    if (wr_fatvol_open(st->path, st->esp.offset, true, &fv, &err)) {
        fprintf(stderr, "make-togo: report not saved: %s\n", err.msg);
        return -1;
    }
    wr_fatvol_volume(fv, &v);
    rc = put(&v, REPORT_PATH, (const uint8_t *)s->t.data, s->t.len, "save the report");
    if (!rc)
        printf("Report saved on the stick's ESP: %s\n", REPORT_PATH);
    wr_fatvol_close(fv);
    return rc;
}
