/* bcdboot /f ALL's BIOS half (lib/rescue/rebuild_bios.c) on a machine built
 * in memory: the PCAT store's objects and elements, element by element;
 * the files from \Windows\Boot\PCAT where bcdboot puts them; the backup and
 * its undo; bcdboot /f ALL as one plan (the bios action last): one backup,
 * one undo gives every file back; no PCAT folder: nothing written, the
 * action refused; a power cut at every sector leaves either no \Boot\BCD
 * or a whole one; W6 (two stores) only when the BIOS store's {default}
 * boots another partition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "check.h"
#include "rescue_fx.h"
#include "regf/commit.h"
#include "rescue/bios.h"
#include "rescue/internal.h" /* wr_rescue_build_store: the UEFI twin */

#define STAMP RESCUE_FX_STAMP
#define E_ISOLATED 0x16000060u
#define E_OSDEVICE 0x21000001u

static const char *const pcat[][2] = {
    { "\\Windows\\Boot\\PCAT\\bootmgr", "BOOTMGR pcat bytes" },
    { "\\Windows\\Boot\\PCAT\\bootnxt", "BOOTNXT bytes" },
    { "\\Windows\\Boot\\PCAT\\memtest.exe", "MEMTEST bytes" },
    { "\\Windows\\Boot\\PCAT\\en-US\\bootmgr.exe.mui", "MUI bytes" },
    { "\\Windows\\Boot\\Fonts\\wgl4_boot.ttf", "FONT bytes" },
};
/* where bcdboot puts each of the above */
static const char *const dest[] = { "\\bootmgr", "\\BOOTNXT", "\\Boot\\memtest.exe",
                                    "\\Boot\\en-US\\bootmgr.exe.mui",
                                    "\\Boot\\Fonts\\wgl4_boot.ttf" };

/* rescue_fx's machine, its Windows volume readable as NTFS would be, with
 * the PCAT files when asked. */
static void fx_init(struct rescue_fx *f, struct wr_memvol *esp, bool with_pcat)
{
    static const char *const dirs[] = { "\\Windows\\Boot", "\\Windows\\Boot\\PCAT",
                                        "\\Windows\\Boot\\PCAT\\en-US",
                                        "\\Windows\\Boot\\Fonts" };
    struct wr_volume wv;

    rescue_fx_init(f, esp);
    wr_memvol_volume(f->win, &wv);
    wr_volume_make_dir(&wv, "\\Windows", NULL);
    for (size_t i = 0; with_pcat && i < WR_ARRAY_LEN(dirs); i++)
        wr_volume_make_dir(&wv, dirs[i], NULL);
    for (size_t i = 0; with_pcat && i < WR_ARRAY_LEN(pcat); i++)
        wr_memvol_put(f->win, pcat[i][0], (const uint8_t *)pcat[i][1], strlen(pcat[i][1]),
                      NULL);
    wr_memvol_volume(f->win, &f->m.parts[1].ntfs_vol);
}

static struct wr_memvol *new_vol(void)
{
    struct wr_memvol *v = NULL;
    wr_memvol_new(&v, NULL);
    return v;
}

static bool str_is(const struct wr_bcd_object *o, uint32_t code, const char *want)
{
    const struct wr_bcd_element *e = o ? wr_bcd_object_get(o, code) : NULL;
    struct wr_bcd_value v = { 0 };
    bool same;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL))
        return false;
    same = v.str && !strcmp(v.str, want);
    wr_bcd_value_clear(&v);
    return same;
}

/* The model partition a device element names, -2 when absent or bad. */
static int dev_part(const struct wr_rescue_model *m, const struct wr_bcd_object *o,
                    uint32_t code)
{
    const struct wr_bcd_element *e = o ? wr_bcd_object_get(o, code) : NULL;
    struct wr_bcd_devval dv = { 0 };
    int part;

    if (!e || wr_bcd_device_decode(e->data, e->len, &dv, NULL))
        return -2;
    part = wr_rescue_find_device(m, &dv.dev, -1);
    wr_bcd_device_clear(&dv.dev);
    return part;
}

static const struct wr_bcd_object *follow(const struct wr_bcd_store *s,
                                          const struct wr_bcd_object *o, uint32_t code)
{
    const struct wr_bcd_element *e = o ? wr_bcd_object_get(o, code) : NULL;
    struct wr_bcd_value v = { 0 };
    const struct wr_bcd_object *to = NULL;

    if (e && !wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL))
        to = wr_bcd_store_find(s, &v.guid);
    wr_bcd_value_clear(&v);
    return to;
}

static bool dword_is(struct wr_regf_hive *h, const char *name, uint32_t want, bool *present)
{
    wr_regf_node desc;
    wr_regf_value val;
    uint32_t got = 0;

    *present = !wr_regf_lookup(h, wr_regf_root(h), "Description", &desc, NULL) &&
               !wr_regf_value_find(h, desc, name, &val, NULL) &&
               !wr_regf_value_dword(h, val, &got, NULL);
    return *present && got == want;
}

static void pcat_store_elements(void)
{
    struct rescue_fx f;
    struct wr_regf_hive *h = NULL, *uefi = NULL;
    struct wr_bcd_store s, u;
    struct wr_err err = { 0 };
    struct wr_guid def;
    const struct wr_bcd_object *bm, *ld, *rs, *md;
    size_t findings = 0;
    bool present;
    int win = 1;

    fx_init(&f, new_vol(), true);
    CHECK_OK(wr_rescue_build_bios_store(&f.m, 0, 1, "seed", &h, &err), &err);
    wr_bcd_store_init(&s);
    CHECK_OK(wr_bcd_store_load(h, &s, &err), &err);
    bm = wr_bcd_store_find_wellknown(&s, WR_BCD_ID_BOOTMGR);
    CHECK(bm && !wr_bcd_store_find_wellknown(&s, WR_BCD_ID_FWBOOTMGR));
    CHECK_MSG(!wr_bcd_object_get(bm, WR_BCD_E_PATH), "{bootmgr} has a path on BIOS");
    CHECK_INT(dev_part(&f.m, bm, WR_BCD_E_DEVICE), 0);
    CHECK(wr_bcd_store_default(&s, &def) && (ld = wr_bcd_store_find(&s, &def)));
    CHECK_INT(ld->type, WR_BCD_TYPE_OSLOADER);
    CHECK(str_is(ld, WR_BCD_E_PATH, "\\Windows\\system32\\winload.exe"));
    CHECK(str_is(ld, 0x22000002u, "\\Windows"));
    CHECK_INT(dev_part(&f.m, ld, WR_BCD_E_DEVICE), 1);
    CHECK_INT(dev_part(&f.m, ld, E_OSDEVICE), 1);
    CHECK(!wr_bcd_object_get(ld, E_ISOLATED));
    rs = follow(&s, ld, WR_BCD_E_OSL_RESUMEOBJECT);
    CHECK(rs && rs->type == WR_BCD_TYPE_RESUME);
    CHECK(str_is(rs, WR_BCD_E_PATH, "\\Windows\\system32\\winresume.exe"));
    CHECK(!wr_bcd_object_get(rs, E_ISOLATED));
    md = wr_bcd_store_find_wellknown(&s, WR_BCD_ID_MEMDIAG);
    CHECK(str_is(md, WR_BCD_E_PATH, "\\boot\\memtest.exe"));
    CHECK(wr_bcd_store_find_wellknown(&s, WR_BCD_ID_BOOTLOADERSETTINGS));
    CHECK(dword_is(h, "System", 1, &present));
    dword_is(h, "FirmwareModified", 1, &present);
    CHECK_MSG(!present, "FirmwareModified in a BIOS store");
    CHECK_OK(wr_regf_validate(h, NULL, NULL, &findings, &err), &err);
    CHECK_INT(findings, 0);

    /* the UEFI store from the same builder keeps what the BIOS one drops */
    CHECK_OK(wr_rescue_build_store(&f.m, 0, &win, 1, "seed", &uefi, &err), &err);
    wr_bcd_store_init(&u);
    CHECK_OK(wr_bcd_store_load(uefi, &u, &err), &err);
    CHECK(wr_bcd_store_find_wellknown(&u, WR_BCD_ID_FWBOOTMGR));
    CHECK(wr_bcd_store_default(&u, &def));
    CHECK(str_is(wr_bcd_store_find(&u, &def), WR_BCD_E_PATH, "\\Windows\\system32\\winload.efi"));
    CHECK(wr_bcd_object_get(wr_bcd_store_find(&u, &def), E_ISOLATED));
    wr_bcd_store_free(&u);
    wr_regf_close(uefi);
    wr_bcd_store_free(&s);
    wr_regf_close(h);
    rescue_fx_free(&f, false);
}

static bool file_is(struct wr_memvol *v, const char *path, const char *want)
{
    size_t len;
    const uint8_t *got = wr_memvol_get(v, path, &len);
    return got && len == strlen(want) && !memcmp(got, want, len);
}

static void files_backup_undo(void)
{
    struct rescue_fx f;
    struct wr_rescue_apply_opts o = { .stamp = STAMP };
    struct wr_rescue_bios_result r1, r2;
    struct wr_err err = { 0 };
    struct wr_text log = { 0 };
    const uint8_t *bcd;
    uint8_t *first = NULL;
    size_t len, first_len;
    char man[WR_NAME_MAX + 16];

    fx_init(&f, new_vol(), true);
    o.stick = &f.stick;
    CHECK_OK(wr_rescue_write_bios(&f.m, 1, 0, &o, &r1, &err), &err);
    CHECK(!r1.skipped);
    CHECK_INT(r1.n_files, WR_ARRAY_LEN(pcat));
    for (size_t i = 0; i < WR_ARRAY_LEN(pcat); i++)
        CHECK_MSG(file_is(f.esp, dest[i], pcat[i][1]), "%s is not %s", dest[i], pcat[i][0]);
    CHECK_MSG(!wr_memvol_get(f.esp, "\\Boot\\bootmgr", &len), "bootmgr also under \\Boot");
    CHECK((bcd = wr_memvol_get(f.esp, WR_RESCUE_BIOS_BCD_PATH, &len)) && len >= 8192);
    CHECK(f.m.parts[0].esp.has_boot_bcd);
    snprintf(man, sizeof man, "%s\\manifest.txt", r1.backup);
    CHECK_MSG(wr_memvol_get(f.esp, man, &len), "no manifest in %s", r1.backup);
    first_len = len = 0;
    bcd = wr_memvol_get(f.esp, WR_RESCUE_BIOS_BCD_PATH, &first_len);
    first = malloc(first_len);
    memcpy(first, bcd, first_len);

    /* again, with a changed bootmgr: the backup has the first run's files */
    wr_memvol_put(f.win, pcat[0][0], (const uint8_t *)"NEW", 3, NULL);
    wr_memvol_put(f.esp, WR_RESCUE_BIOS_BCD_PATH, (const uint8_t *)"old", 3, NULL);
    CHECK_OK(wr_rescue_write_bios(&f.m, 1, 0, &o, &r2, &err), &err);
    CHECK_MSG(strcmp(r1.backup, r2.backup), "one backup folder for two runs");
    CHECK(file_is(f.esp, "\\bootmgr", "NEW"));
    CHECK_OK(wr_rescue_undo(&f.m, &f.stick, r2.backup, &log, &err), &err);
    CHECK(file_is(f.esp, "\\bootmgr", pcat[0][1]));
    CHECK(file_is(f.esp, WR_RESCUE_BIOS_BCD_PATH, "old"));
    /* and the first run's undo removes what it made */
    wr_memvol_put(f.esp, WR_RESCUE_BIOS_BCD_PATH, first, first_len, NULL);
    CHECK_OK(wr_rescue_undo(&f.m, &f.stick, r1.backup, &log, &err), &err);
    CHECK(!wr_memvol_get(f.esp, "\\bootmgr", &len));
    CHECK(!wr_memvol_get(f.esp, WR_RESCUE_BIOS_BCD_PATH, &len));
    free(first);
    wr_text_free(&log);
    rescue_fx_free(&f, false);
}

static void no_pcat_nothing_written(void)
{
    struct rescue_fx f;
    struct wr_rescue_apply_opts o = { .stamp = STAMP };
    struct wr_rescue_bios_result r;
    struct wr_err err = { 0 };

    fx_init(&f, new_vol(), false);
    o.stick = &f.stick;
    wr_memvol_reset_count(f.esp);
    CHECK_OK(wr_rescue_write_bios(&f.m, 1, 0, &o, &r, &err), &err);
    CHECK(r.skipped);
    CHECK_INT(r.n_files, 0);
    CHECK_STR(r.backup, "");
    CHECK_INT(wr_memvol_sectors_written(f.esp), 0);
    /* a partition without a readable Windows is an error, not a skip */
    CHECK(wr_rescue_write_bios(&f.m, 0, 0, &o, &r, &err) == WR_E_NOT_FOUND);
    CHECK_MSG(strstr(err.msg, "BIOS boot files"), "message: %s", err.msg);
    rescue_fx_free(&f, false);
}

/* A cut at every sector: either the backup did not finish and nothing
 * of the BIOS set exists, or \Boot\BCD is absent or a whole store. */
static void power_cut_every_sector(void)
{
    unsigned whole = 0, absent = 0;

    for (uint64_t k = 0;; k++) {
        struct rescue_fx f;
        struct wr_rescue_apply_opts o = { .stamp = STAMP };
        struct wr_rescue_bios_result r;
        struct wr_err err = { 0 };
        struct wr_regf_hive *h = NULL;
        const uint8_t *bcd;
        size_t len;
        bool lost;
        wr_status st;

        fx_init(&f, new_vol(), true);
        o.stick = &f.stick;
        wr_memvol_cut_after(f.esp, k);
        st = wr_rescue_write_bios(&f.m, 1, 0, &o, &r, &err);
        lost = wr_memvol_power_lost(f.esp);
        CHECK_MSG(lost == (st != WR_OK), "cut %llu: status %d, power lost %d",
                  (unsigned long long)k, st, lost);
        if (st && !*r.backup)
            CHECK_MSG(!wr_memvol_get(f.esp, "\\bootmgr", &len),
                      "cut %llu: failed backup, yet \\bootmgr written", (unsigned long long)k);
        bcd = wr_memvol_get(f.esp, WR_RESCUE_BIOS_BCD_PATH, &len);
        if (!bcd) {
            absent++;
        } else {
            struct wr_bcd_store s;
            CHECK_MSG(!wr_regf_open(bcd, len, NULL, &h, &err), "cut %llu: half a store: %s",
                      (unsigned long long)k, err.msg);
            wr_bcd_store_init(&s);
            CHECK(!wr_bcd_store_load(h, &s, NULL) &&
                  wr_bcd_store_find_wellknown(&s, WR_BCD_ID_BOOTMGR));
            wr_bcd_store_free(&s);
            wr_regf_close(h);
            whole++;
        }
        rescue_fx_free(&f, false);
        if (!lost || check_current_failed() || k > 20000)
            break;
    }
    CHECK(whole > 0 && absent > 0);
    printf("power cuts: %u with a whole \\Boot\\BCD, %u without one\n", whole, absent);
}

static wr_status commit_to(struct rescue_fx *f, struct wr_regf_hive *h, const char *path,
                           struct wr_err *err)
{
    wr_status st = wr_rescue_make_parents(&f->m.parts[0].fat, path, err);
    if (!st)
        st = wr_regf_commit(h, &f->m.parts[0].fat, path, WR_REGF_COMMIT_REPLACE, NULL, err);
    wr_regf_close(h);
    wr_rescue_scan_esp(&f->m, &f->m.parts[0]);
    return st;
}

static bool has_w6(struct rescue_fx *f)
{
    struct wr_rescue_findings fs = { 0 };
    bool w6 = !wr_rescue_diagnose(&f->m, &fs, NULL) && wr_rescue_findings_has(&fs, "W6");
    wr_rescue_findings_free(&fs);
    return w6;
}

/* W6 after bcdboot /f ALL: the two stores always differ in bytes; only a
 * BIOS {default} that boots another partition is drift. */
static void w6_only_when_drifted(void)
{
    struct rescue_fx f;
    struct wr_rescue_apply_opts o = { .stamp = STAMP };
    struct wr_rescue_bios_result r;
    struct wr_regf_hive *h = NULL;
    struct wr_err err = { 0 };
    int win = 1;

    fx_init(&f, new_vol(), true);
    o.stick = &f.stick;
    CHECK_OK(wr_rescue_build_store(&f.m, 0, &win, 1, "uefi", &h, &err), &err);
    CHECK_OK(commit_to(&f, h, WR_RESCUE_BCD_PATH, &err), &err);
    CHECK_OK(wr_rescue_write_bios(&f.m, 1, 0, &o, &r, &err), &err);
    CHECK(f.m.parts[0].esp.store_loaded && f.m.parts[0].esp.has_boot_bcd);
    CHECK_MSG(!has_w6(&f), "W6 on the stores bcdboot /f ALL writes");
    CHECK_OK(wr_rescue_build_bios_store(&f.m, 0, 0, "other", &h, &err), &err);
    CHECK_OK(commit_to(&f, h, WR_RESCUE_BIOS_BCD_PATH, &err), &err);
    CHECK_MSG(has_w6(&f), "no W6 for a BIOS store that boots another partition");
    rescue_fx_free(&f, false);
}

struct phases {
    unsigned backups, actions, count;
    bool bios_last;
};

static void on_progress(void *arg, const struct wr_rescue_progress *p)
{
    struct phases *ph = arg;

    if (!p->done)
        return;
    if (p->phase == WR_RESCUE_PHASE_BACKUP)
        ph->backups++;
    if (p->phase == WR_RESCUE_PHASE_ACTION) {
        ph->actions++;
        ph->count = (unsigned)p->count;
        ph->bios_last = p->action->kind == WR_RESCUE_ACT_BIOS && p->index == p->count;
    }
}

/* The bootfiles action needs an NTFS handle, which this machine has not:
 * the planner refuses it (as for a Windows without \\Windows\\Boot\\EFI), and
 * the rebuild, nvram and bios actions run. */
static void without_efi_boot(struct rescue_fx *f)
{
    f->m.parts[1].win.has_bootmgfw = false;
}

static bool has_text(const uint8_t *d, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; d && i + n <= len; i++)
        if (!memcmp(d + i, s, n))
            return true;
    return false;
}

static uint8_t *copy_of(struct wr_memvol *v, const char *path, size_t *len)
{
    const uint8_t *d = wr_memvol_get(v, path, len);
    uint8_t *c = d ? malloc(*len) : NULL;
    if (c)
        memcpy(c, d, *len);
    return c;
}

/* bcdboot /f ALL as one plan: both sets under one backup folder, and one
 * undo gives the ESP's files and the variables back. */
static void all_one_backup_one_undo(void)
{
    static const char *const kept[] = { "\\EFI\\Microsoft\\Boot\\bootmgfw.efi",
                                        "\\EFI\\Microsoft\\Boot\\BCD" }; /* corrupt before */
    struct rescue_fx f;
    struct phases ph = { 0 };
    struct wr_rescue_apply_opts o = { .stamp = STAMP, .progress = { on_progress, &ph } };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    struct wr_text log = { 0 };
    char dir[WR_NAME_MAX], other[WR_NAME_MAX + 4], man[WR_NAME_MAX + 16];
    uint8_t *before[2], *nv = NULL;
    size_t blen[2], len;
    const uint8_t *m;

    fx_init(&f, rescue_fx_esp(true), true);
    without_efi_boot(&f);
    o.stick = &f.stick;
    for (size_t i = 0; i < 2; i++)
        before[i] = copy_of(f.esp, kept[i], &blen[i]);
    CHECK_OK(wr_rescue_plan_rebuild_fw(&f.m, 1, 0, WR_RESCUE_FW_ALL, &plan, &err), &err);
    CHECK_INT(plan.n, 4);
    CHECK(plan.v[3].kind == WR_RESCUE_ACT_BIOS && !plan.v[3].refused);
    CHECK_MSG(strstr(plan.v[3].text, "bcdboot /f BIOS"), "text: %s", plan.v[3].text);
    CHECK_INT(wr_rescue_plan_runnable(&plan), 3);
    CHECK_OK(wr_rescue_apply(&f.m, &plan, &o, dir, &err), &err);
    CHECK_INT(ph.backups, 1);
    CHECK_INT(ph.actions, 3);
    CHECK_INT(ph.count, 3);
    CHECK(ph.bios_last);
    CHECK(plan.v[3].ran && !plan.v[3].result);
    CHECK(file_is(f.esp, "\\bootmgr", pcat[0][1]));
    CHECK(f.m.parts[0].esp.has_boot_bcd && f.m.parts[0].esp.bcd == WR_RESCUE_BCD_OK);
    snprintf(other, sizeof other, "%s-2", dir);
    CHECK_MSG(!wr_volume_exists(&f.stick, other), "a second backup folder %s", other);
    snprintf(man, sizeof man, "%s\\manifest.txt", dir);
    CHECK((m = wr_memvol_get(f.esp, man, &len)) != NULL);
    CHECK_MSG(has_text(m, len, "\t\\Boot\\BCD\t") && has_text(m, len, "\t\\bootmgr\t") &&
                  has_text(m, len, "\t\\EFI\\Microsoft\\Boot\\BCD\t"),
              "the manifest lacks a set: %.*s", (int)len, m ? (const char *)m : "");

    CHECK_OK(wr_rescue_undo(&f.m, &f.stick, dir, &log, &err), &err);
    for (size_t i = 0; i < 2; i++) {
        const uint8_t *now = wr_memvol_get(f.esp, kept[i], &len);
        CHECK_MSG(now && len == blen[i] && !memcmp(now, before[i], len), "%s differs", kept[i]);
        free(before[i]);
    }
    CHECK(!wr_memvol_get(f.esp, "\\bootmgr", &len) && !wr_memvol_get(f.esp, "\\BOOTNXT", &len));
    CHECK(!wr_volume_exists(&f.stick, "\\Boot"));
    CHECK_MSG(wr_nvram_get(f.m.nvram, "BootOrder", &wr_efivar_global_guid, NULL, &nv, &len,
                           NULL) == WR_E_NOT_FOUND, "BootOrder left after the undo");
    wr_free(nv);
    wr_text_free(&log);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

/* No PCAT boot manager: the bios action is refused with the reason, and
 * applying the plan writes the UEFI set only. */
static void all_without_pcat_refuses_bios(void)
{
    struct rescue_fx f;
    struct wr_rescue_apply_opts o = { .stamp = STAMP };
    struct wr_rescue_plan plan = { 0 };
    struct wr_err err = { 0 };
    char dir[WR_NAME_MAX];
    size_t len;

    fx_init(&f, rescue_fx_esp(true), false);
    without_efi_boot(&f);
    o.stick = &f.stick;
    CHECK_OK(wr_rescue_plan_rebuild_fw(&f.m, 1, 0, WR_RESCUE_FW_ALL, &plan, &err), &err);
    CHECK_INT(plan.n, 4);
    CHECK(plan.v[3].kind == WR_RESCUE_ACT_BIOS && plan.v[3].refused);
    CHECK_MSG(strstr(plan.v[3].why, "\\Windows\\Boot\\PCAT\\bootmgr"), "why: %s", plan.v[3].why);
    CHECK_INT(wr_rescue_plan_runnable(&plan), 2);
    CHECK_OK(wr_rescue_apply(&f.m, &plan, &o, dir, &err), &err);
    CHECK(!plan.v[3].ran && plan.v[1].ran);
    CHECK(!wr_memvol_get(f.esp, "\\bootmgr", &len) && !wr_volume_exists(&f.stick, "\\Boot"));
    wr_rescue_plan_free(&plan);
    /* bios alone: the one action, refused */
    CHECK_OK(wr_rescue_plan_rebuild_fw(&f.m, 1, 0, WR_RESCUE_FW_BIOS, &plan, &err), &err);
    CHECK(plan.n == 1 && plan.v[0].refused && wr_rescue_plan_runnable(&plan) == 0);
    wr_rescue_plan_free(&plan);
    rescue_fx_free(&f, false);
}

int main(void)
{
    RUN(pcat_store_elements);
    RUN(files_backup_undo);
    RUN(no_pcat_nothing_written);
    RUN(all_one_backup_one_undo);
    RUN(all_without_pcat_refuses_bios);
    RUN(power_cut_every_sector);
    RUN(w6_only_when_drifted);
    return check_done();
}
