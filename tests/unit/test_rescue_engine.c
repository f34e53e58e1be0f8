/* The rescue engine on a machine built in memory: sha256 vectors, the
 * offline bootmgr judge, diagnosis + plan + apply + undo, and a power cut
 * at every write point of a rebuild (memvol and memnvram injectors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "rescue/judge.h"
#include "rescue/plan.h"
#include "rescue_fx.h"

static void sha256_vectors(void)
{
    char hex[65];
    uint8_t million[1000];
    struct wr_sha256 s;
    uint8_t d[32];

    wr_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    wr_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    wr_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', sizeof million);
    wr_sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        wr_sha256_update(&s, million, sizeof million);
    wr_sha256_final(&s, d);
    CHECK_INT(d[0], 0xcd);
    CHECK_INT(d[31], 0xd0);
}

static void judge_codes(void)
{
    struct rescue_fx f;
    struct wr_rescue_verdict v;

    rescue_fx_init(&f, rescue_fx_esp(false));
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_NO_SUCH_FILE);
    wr_memvol_put(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                  sizeof rescue_fx_garbage, NULL);
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_REGISTRY_CORRUPT);
    wr_memvol_put(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage, 0, NULL);
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_NAME_NOT_FOUND);
    wr_rescue_judge(&f.m, -1, &v);
    CHECK_INT(v.code, WR_RESCUE_NO_BOOTMGR);
    rescue_fx_free(&f, false);
}

static bool same_file(struct wr_memvol *v, const char *path, const uint8_t *want, size_t len)
{
    size_t got_len;
    const uint8_t *got = wr_memvol_get(v, path, &got_len);
    if (!want)
        return got == NULL;
    return got && got_len == len && !memcmp(got, want, len);
}

/* diagnose -> plan -> apply; returns the apply status. */
static wr_status repair(struct rescue_fx *f, char backup[WR_NAME_MAX], size_t *actions)
{
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_plan plan;
    struct wr_rescue_apply_opts o = { .stick = &f->stick, .stamp = RESCUE_FX_STAMP };
    struct wr_err err = { 0 };
    wr_status st;

    memset(&plan, 0, sizeof plan);
    if (wr_rescue_diagnose(&f->m, &fs, &err) ||
        wr_rescue_plan_make(&f->m, &fs, WR_RESCUE_ACT_NONE, &plan, &err)) {
        wr_rescue_findings_free(&fs);
        return WR_E_INVALID;
    }
    *actions = plan.n;
    st = wr_rescue_apply(&f->m, &plan, &o, backup, &err);
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&fs);
    return st;
}

/* The stick's own To Go Windows boots by the fallback path: no firmware
 * entry is asked for it (G7), however empty the PC's NVRAM. */
static void no_firmware_entry_for_the_stick(void)
{
    struct rescue_fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_err err = { 0 };

    rescue_fx_init(&f, rescue_fx_esp(false));
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G7"));
    wr_rescue_findings_free(&fs);
    f.m.machine.disks[0].is_stick = true;
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(!wr_rescue_findings_has(&fs, "G7"));
    wr_rescue_findings_free(&fs);
    rescue_fx_free(&f, false);
}

/* A damaged manifest (lines cut short) is refused or skipped line by
 * line, never read past its fields, and nothing on the ESP changes. */
static void undo_short_manifest_lines(void)
{
    static const char *const lines[] = { "raw\n", "raw\tdisk\n", "file\n", "var\tBoot0001\n",
                                         "dir\n" };
    struct rescue_fx f;
    char dir[WR_NAME_MAX], path[WR_NAME_MAX], text[128];

    rescue_fx_init(&f, rescue_fx_esp(true));
    snprintf(dir, sizeof dir, "\\wtg-rescue\\backups\\%s\\%s", RESCUE_FX_MID, RESCUE_FX_STAMP);
    snprintf(path, sizeof path, "%s\\manifest.txt", dir);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct wr_err err = { 0 };
        struct wr_text log = { 0 };
        int n = snprintf(text, sizeof text, "wtg-rescue backup 1\n%send\n", lines[i]);

        wr_memvol_put(f.esp, path, (const uint8_t *)text, (size_t)n, NULL);
        (void)wr_rescue_undo(&f.m, &f.stick, dir, &log, &err);
        CHECK_MSG(same_file(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                            sizeof rescue_fx_garbage), "line %zu changed the BCD", i);
        wr_text_free(&log);
    }
    rescue_fx_free(&f, false);
}

static void diagnose_repair_undo(void)
{
    struct rescue_fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_verdict v;
    struct wr_err err = { 0 };
    struct wr_text log = { 0 };
    char backup[WR_NAME_MAX];
    size_t n;

    rescue_fx_init(&f, rescue_fx_esp(true));
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G2"));
    CHECK(wr_rescue_findings_has(&fs, "G7"));
    wr_rescue_findings_free(&fs);
    CHECK_OK(repair(&f, backup, &n), &err);
    CHECK_INT(n, 2); /* rebuild + nvram entry */
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_MSG(v.ok, "verdict %x: %s", v.code, v.why);
    CHECK_OK(wr_rescue_undo(&f.m, &f.stick, backup, &log, &err), &err);
    CHECK(same_file(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                    sizeof rescue_fx_garbage));
    /* the same model judges what is on the ESP now: the corrupt store again */
    CHECK_INT(f.m.parts[0].esp.bcd, WR_RESCUE_BCD_CORRUPT);
    wr_rescue_judge(&f.m, 0, &v);
    CHECK(!v.ok);
    CHECK_INT(v.code, WR_RESCUE_REGISTRY_CORRUPT);
    {
        uint8_t *d = NULL;
        size_t l;
        CHECK_INT(wr_nvram_get(&f.nvram, "BootOrder", &wr_efivar_global_guid, NULL, &d, &l,
                               NULL), WR_E_NOT_FOUND);
    }
    wr_text_free(&log);
    rescue_fx_free(&f, false);
}

/* A cut at every sector of the backup and the rebuild: afterwards the
 * machine boots, or the backup's undo gives back exactly the old files,
 * or no backup finished and nothing was changed. */
static void power_cut_every_write(void)
{
    struct wr_memvol *base = rescue_fx_esp(true);
    unsigned booted = 0, undone = 0, untouched = 0;

    for (uint64_t k = 0;; k++) {
        struct wr_memvol *v;
        struct rescue_fx f, g;
        char backup[WR_NAME_MAX], manifest[WR_NAME_MAX];
        struct wr_rescue_verdict verdict;
        size_t n;
        bool lost;

        CHECK(wr_memvol_clone(base, &v, NULL) == WR_OK);
        wr_memvol_cut_after(v, k);
        rescue_fx_init(&f, v);
        repair(&f, backup, &n);
        lost = wr_memvol_power_lost(v);
        wr_memvol_cut_after(v, WR_MEMVOL_NEVER); /* power back: a fresh boot */
        rescue_fx_free(&f, true);
        rescue_fx_init(&g, v);
        wr_rescue_judge(&g.m, 0, &verdict);
        snprintf(manifest, sizeof manifest, "\\wtg-rescue\\backups\\%s\\%s\\manifest.txt",
                 RESCUE_FX_MID, RESCUE_FX_STAMP);
        if (verdict.ok) {
            booted++;
        } else if (wr_memvol_get(v, manifest, &n)) {
            struct wr_text log = { 0 };
            struct wr_err err = { 0 };
            char dir[WR_NAME_MAX];
            snprintf(dir, sizeof dir, "\\wtg-rescue\\backups\\%s\\%s",
                     RESCUE_FX_MID, RESCUE_FX_STAMP);
            CHECK_MSG(wr_rescue_undo(&g.m, &g.stick, dir, &log, &err) == WR_OK,
                      "cut %llu: undo failed: %s", (unsigned long long)k, err.msg);
            CHECK_MSG(same_file(v, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                                sizeof rescue_fx_garbage),
                      "cut %llu: undo did not restore the BCD", (unsigned long long)k);
            wr_text_free(&log);
            undone++;
        } else {
            CHECK_MSG(same_file(v, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                                sizeof rescue_fx_garbage),
                      "cut %llu: no backup, yet the BCD changed", (unsigned long long)k);
            untouched++;
        }
        rescue_fx_free(&g, false);
        if (!lost || check_current_failed() || k > 20000)
            break;
    }
    CHECK(booted > 0 && undone > 0 && untouched > 0);
    printf("power cuts: %u booted, %u undone, %u before the backup\n", booted, undone,
           untouched);
    wr_memvol_free(base);
}

/* The firmware variables fail after 0 and 1 writes: undo still works. */
static void nvram_cut(void)
{
    for (uint64_t k = 0; k < 2; k++) {
        struct rescue_fx f;
        char backup[WR_NAME_MAX];
        struct wr_text log = { 0 };
        struct wr_err err = { 0 };
        uint8_t *d = NULL;
        size_t n, l;

        rescue_fx_init(&f, rescue_fx_esp(true));
        wr_memnvram_cut_after(f.nv, k);
        CHECK_INT(repair(&f, backup, &n), WR_E_IO);
        wr_memnvram_cut_after(f.nv, UINT64_MAX);
        CHECK_OK(wr_rescue_undo(&f.m, &f.stick, backup, &log, &err), &err);
        CHECK_INT(wr_nvram_get(&f.nvram, "Boot0000", &wr_efivar_global_guid, NULL, &d, &l, NULL),
                  WR_E_NOT_FOUND);
        CHECK(same_file(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                        sizeof rescue_fx_garbage));
        wr_text_free(&log);
        rescue_fx_free(&f, false);
    }
}

/* BitLocker present: G12, and the plan warns before the actions that
 * change what BitLocker validates; the To Go flags are refused (NTFS). */
static void bitlocker_and_togo_rules(void)
{
    struct rescue_fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_plan plan;
    struct wr_err err = { 0 };
    bool warned = false;

    rescue_fx_init(&f, rescue_fx_esp(true));
    f.m.parts[1].win.volume = WR_WINDOWS_VOL_BITLOCKER;
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G12"));
    CHECK_OK(wr_rescue_plan_make(&f.m, &fs, WR_RESCUE_ACT_NONE, &plan, &err), &err);
    for (size_t i = 0; i < plan.n; i++)
        if (plan.v[i].kind == WR_RESCUE_ACT_REBUILD)
            warned = !strncmp(plan.v[i].warning, "BitLocker", 9);
    CHECK(warned);
    wr_rescue_plan_free(&plan);
    CHECK_OK(wr_rescue_plan_make(&f.m, &fs, WR_RESCUE_ACT_TOGO, &plan, &err), &err);
    CHECK_INT(plan.n, 0); /* no To Go findings on this Windows */
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&fs);
    f.m.parts[1].win.volume = WR_WINDOWS_VOL_NTFS;
    f.m.parts[1].win.to_go = true;
    f.m.parts[1].win.hibernation = WR_NTFS_HIBER_ACTIVE;
    f.m.parts[1].togo.read = true;
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "W2") && wr_rescue_findings_has(&fs, "W4"));
    CHECK(wr_rescue_findings_has(&fs, "G14"));
    CHECK_OK(wr_rescue_plan_make(&f.m, &fs, WR_RESCUE_ACT_TOGO, &plan, &err), &err);
    CHECK_INT(plan.n, 1);
    CHECK(plan.n == 1 && plan.v[0].refused && !strncmp(plan.v[0].why, "that Windows volume is hibernated", 33));
    CHECK_INT(wr_rescue_plan_runnable(&plan), 0);
    wr_rescue_plan_free(&plan);
    wr_rescue_findings_free(&fs);
    rescue_fx_free(&f, false);
}

/* G10 (BIOS-only Windows), W1 (To Go stick without a fallback loader). */
static void layout_findings(void)
{
    struct rescue_fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_err err = { 0 };

    rescue_fx_init(&f, rescue_fx_esp(true));
    f.m.parts[1].win.has_winload_exe = true;
    f.m.machine.disks[0].is_stick = true;
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G10"));
    CHECK(wr_rescue_findings_has(&fs, "W1"));
    wr_rescue_findings_free(&fs);
    rescue_fx_free(&f, false);
}

int main(void)
{
    RUN(sha256_vectors);
    RUN(judge_codes);
    RUN(diagnose_repair_undo);
    RUN(undo_short_manifest_lines);
    RUN(no_firmware_entry_for_the_stick);
    RUN(power_cut_every_write);
    RUN(nvram_cut);
    RUN(bitlocker_and_togo_rules);
    RUN(layout_findings);
    return check_done();
}
