/* The rescue engine on a machine built in memory: sha256 vectors, the
 * offline bootmgr judge, diagnosis + plan + apply + undo, and a power cut
 * at every write point of a rebuild (memvol and memnvram injectors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/memvol.h"
#include "base/sha256.h"
#include "check.h"
#include "rescue/judge.h"
#include "rescue/plan.h"

#define STAMP "19700101T000000Z"
#define MID "0123456789abcdef"

struct fx {
    struct wr_rescue_model m;
    struct wr_memvol *esp;      /* the ESP and the stick (one power supply) */
    struct wr_memvol *win;      /* stands in for the Windows volume */
    struct wr_memnvram *nv;
    struct wr_nvram nvram;
    struct wr_volume stick;
};

static const uint8_t garbage[4096] = { 'r', 'e', 'g', 'f', 9, 9, 9 };

static void fx_model(struct fx *f)
{
    struct wr_machine_disk *d;
    struct wr_partition_table *t = calloc(1, sizeof *t);
    struct wr_err err = { 0 };

    memset(&f->m, 0, sizeof f->m);
    CHECK_OK(wr_machine_add_disk(&f->m.machine, &d, &err), &err);
    t->kind = WR_TABLE_GPT;
    wr_guid_parse("aaaaaaaa-0000-4000-8000-000000000000", &t->disk_guid, NULL);
    t->count = 2;
    t->parts[0] = (struct wr_partition){ .number = 1, .first_lba = 2048, .sector_count = 70000 };
    t->parts[1] = (struct wr_partition){ .number = 3, .first_lba = 80000, .sector_count = 40000 };
    wr_guid_parse("aaaaaaaa-0000-4000-8000-000000000001", &t->parts[0].part_guid, NULL);
    wr_guid_parse("aaaaaaaa-0000-4000-8000-000000000003", &t->parts[1].part_guid, NULL);
    CHECK_OK(wr_machine_disk_set_table(d, t, &err), &err);
    d->sector_size = 512;
    f->m.parts = calloc(2, sizeof *f->m.parts);
    f->m.n_parts = 2;
    for (uint32_t i = 0; i < 2; i++) {
        f->m.parts[i].index = i;
        f->m.parts[i].p = &t->parts[i];
        f->m.parts[i].has_fat = true;
    }
    f->m.parts[0].esp_like = true;
    wr_memvol_volume(f->esp, &f->m.parts[0].fat);
    wr_memvol_volume(f->win, &f->m.parts[1].fat);
    f->m.parts[1].win.is_windows = true;
    f->m.parts[1].win.volume = WR_WINDOWS_VOL_NTFS;
    f->m.parts[1].win.has_bootmgfw = true;
    wr_memnvram_nvram(f->nv, &f->nvram);
    f->m.nvram = &f->nvram;
    f->m.nvram_read = true;
    memcpy(f->m.machine_id, MID, sizeof MID);
    wr_rescue_scan_esp(&f->m, &f->m.parts[0]);
    wr_memvol_volume(f->esp, &f->stick);
}

static struct wr_memvol *base_esp(bool with_bcd)
{
    struct wr_memvol *v;
    static const uint8_t pe[] = "MZ\0M\0i\0c\0r\0o\0s\0o\0f\0t\0 \0C\0o\0r\0p\0o\0r\0a\0t\0i\0o\0n\0";

    wr_memvol_new(&v, NULL);
    wr_memvol_put(v, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi", pe, sizeof pe, NULL);
    if (with_bcd)
        wr_memvol_put(v, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage, NULL);
    return v;
}

static void fx_init(struct fx *f, struct wr_memvol *esp)
{
    memset(f, 0, sizeof *f);
    f->esp = esp;
    wr_memvol_new(&f->win, NULL);
    wr_memvol_put(f->win, "\\Windows\\System32\\winload.efi", (const uint8_t *)"MZ", 2, NULL);
    wr_memnvram_new(&f->nv, NULL);
    fx_model(f);
}

static void fx_free(struct fx *f, bool keep_esp)
{
    wr_rescue_model_free(&f->m);
    if (!keep_esp)
        wr_memvol_free(f->esp);
    wr_memvol_free(f->win);
    wr_memnvram_free(f->nv);
}

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
    struct fx f;
    struct wr_rescue_verdict v;

    fx_init(&f, base_esp(false));
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_NO_SUCH_FILE);
    wr_memvol_put(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage, NULL);
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_REGISTRY_CORRUPT);
    wr_memvol_put(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", garbage, 0, NULL);
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_INT(v.code, WR_RESCUE_NAME_NOT_FOUND);
    wr_rescue_judge(&f.m, -1, &v);
    CHECK_INT(v.code, WR_RESCUE_NO_BOOTMGR);
    fx_free(&f, false);
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
static wr_status repair(struct fx *f, char backup[WR_NAME_MAX], size_t *actions)
{
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_plan plan;
    struct wr_rescue_apply_opts o = { .stick = &f->stick, .stamp = STAMP };
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

static void diagnose_repair_undo(void)
{
    struct fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_verdict v;
    struct wr_err err = { 0 };
    struct wr_text log = { 0 };
    char backup[WR_NAME_MAX];
    size_t n;

    fx_init(&f, base_esp(true));
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G2"));
    CHECK(wr_rescue_findings_has(&fs, "G7"));
    wr_rescue_findings_free(&fs);
    CHECK_OK(repair(&f, backup, &n), &err);
    CHECK_INT(n, 2); /* rebuild + nvram entry */
    wr_rescue_judge(&f.m, 0, &v);
    CHECK_MSG(v.ok, "verdict %x: %s", v.code, v.why);
    CHECK_OK(wr_rescue_undo(&f.m, &f.stick, backup, &log, &err), &err);
    CHECK(same_file(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage));
    {
        uint8_t *d = NULL;
        size_t l;
        CHECK_INT(wr_nvram_get(&f.nvram, "BootOrder", &wr_efivar_global_guid, NULL, &d, &l,
                               NULL), WR_E_NOT_FOUND);
    }
    wr_text_free(&log);
    fx_free(&f, false);
}

/* A cut at every sector of the backup and the rebuild: afterwards the
 * machine boots, or the backup's undo gives back exactly the old files,
 * or no backup finished and nothing was changed. */
static void power_cut_every_write(void)
{
    struct wr_memvol *base = base_esp(true);
    unsigned booted = 0, undone = 0, untouched = 0;

    for (uint64_t k = 0;; k++) {
        struct wr_memvol *v;
        struct fx f, g;
        char backup[WR_NAME_MAX], manifest[WR_NAME_MAX];
        struct wr_rescue_verdict verdict;
        size_t n;
        bool lost;

        CHECK(wr_memvol_clone(base, &v, NULL) == WR_OK);
        wr_memvol_cut_after(v, k);
        fx_init(&f, v);
        repair(&f, backup, &n);
        lost = wr_memvol_power_lost(v);
        wr_memvol_cut_after(v, WR_MEMVOL_NEVER); /* power back: a fresh boot */
        fx_free(&f, true);
        fx_init(&g, v);
        wr_rescue_judge(&g.m, 0, &verdict);
        snprintf(manifest, sizeof manifest, "\\wtg-rescue\\backups\\%s\\%s\\manifest.txt", MID,
                 STAMP);
        if (verdict.ok) {
            booted++;
        } else if (wr_memvol_get(v, manifest, &n)) {
            struct wr_text log = { 0 };
            struct wr_err err = { 0 };
            char dir[WR_NAME_MAX];
            snprintf(dir, sizeof dir, "\\wtg-rescue\\backups\\%s\\%s", MID, STAMP);
            CHECK_MSG(wr_rescue_undo(&g.m, &g.stick, dir, &log, &err) == WR_OK,
                      "cut %llu: undo failed: %s", (unsigned long long)k, err.msg);
            CHECK_MSG(same_file(v, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage),
                      "cut %llu: undo did not restore the BCD", (unsigned long long)k);
            wr_text_free(&log);
            undone++;
        } else {
            CHECK_MSG(same_file(v, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage),
                      "cut %llu: no backup, yet the BCD changed", (unsigned long long)k);
            untouched++;
        }
        fx_free(&g, false);
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
        struct fx f;
        char backup[WR_NAME_MAX];
        struct wr_text log = { 0 };
        struct wr_err err = { 0 };
        uint8_t *d = NULL;
        size_t n, l;

        fx_init(&f, base_esp(true));
        wr_memnvram_cut_after(f.nv, k);
        CHECK_INT(repair(&f, backup, &n), WR_E_IO);
        wr_memnvram_cut_after(f.nv, UINT64_MAX);
        CHECK_OK(wr_rescue_undo(&f.m, &f.stick, backup, &log, &err), &err);
        CHECK_INT(wr_nvram_get(&f.nvram, "Boot0000", &wr_efivar_global_guid, NULL, &d, &l, NULL),
                  WR_E_NOT_FOUND);
        CHECK(same_file(f.esp, "\\EFI\\Microsoft\\Boot\\BCD", garbage, sizeof garbage));
        wr_text_free(&log);
        fx_free(&f, false);
    }
}

/* BitLocker present: G12, and the plan warns before the actions that
 * change what BitLocker validates; the To Go flags are refused (NTFS). */
static void bitlocker_and_togo_rules(void)
{
    struct fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_rescue_plan plan;
    struct wr_err err = { 0 };
    bool warned = false;

    fx_init(&f, base_esp(true));
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
    fx_free(&f, false);
}

/* G10 (BIOS-only Windows), W1 (To Go stick without a fallback loader). */
static void layout_findings(void)
{
    struct fx f;
    struct wr_rescue_findings fs = { 0 };
    struct wr_err err = { 0 };

    fx_init(&f, base_esp(true));
    f.m.parts[1].win.has_winload_exe = true;
    f.m.machine.disks[0].is_stick = true;
    CHECK_OK(wr_rescue_diagnose(&f.m, &fs, &err), &err);
    CHECK(wr_rescue_findings_has(&fs, "G10"));
    CHECK(wr_rescue_findings_has(&fs, "W1"));
    wr_rescue_findings_free(&fs);
    fx_free(&f, false);
}

int main(void)
{
    RUN(sha256_vectors);
    RUN(judge_codes);
    RUN(diagnose_repair_undo);
    RUN(power_cut_every_write);
    RUN(nvram_cut);
    RUN(bitlocker_and_togo_rules);
    RUN(layout_findings);
    return check_done();
}
