/* A machine for the rescue engine's tests, built in memory: one GPT disk
 * with an ESP (memvol, also the stick: one power supply) and a Windows
 * volume, firmware variables in a memnvram (test_rescue_engine.c,
 * test_rescue_progress.c). */
#ifndef WR_TESTS_RESCUE_FX_H
#define WR_TESTS_RESCUE_FX_H

#include <stdlib.h>
#include <string.h>

#include "base/memvol.h"
#include "check.h"
#include "rescue/plan.h"

#define RESCUE_FX_STAMP "19700101T000000Z"
#define RESCUE_FX_MID "0123456789abcdef"

struct rescue_fx {
    struct wr_rescue_model m;
    struct wr_memvol *esp;      /* the ESP and the stick */
    struct wr_memvol *win;      /* stands in for the Windows volume */
    struct wr_memnvram *nv;
    struct wr_nvram nvram;
    struct wr_volume stick;
};

static const uint8_t rescue_fx_garbage[4096] = { 'r', 'e', 'g', 'f', 9, 9, 9 };

static inline void rescue_fx_model(struct rescue_fx *f)
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
    memcpy(f->m.machine_id, RESCUE_FX_MID, sizeof RESCUE_FX_MID);
    wr_rescue_scan_esp(&f->m, &f->m.parts[0]);
    wr_memvol_volume(f->esp, &f->stick);
}

/* An ESP with Microsoft's boot manager, and a corrupt BCD when asked. */
static inline struct wr_memvol *rescue_fx_esp(bool with_bcd)
{
    struct wr_memvol *v;
    static const uint8_t pe[] = "MZ\0M\0i\0c\0r\0o\0s\0o\0f\0t\0 "
                                "\0C\0o\0r\0p\0o\0r\0a\0t\0i\0o\0n\0";

    wr_memvol_new(&v, NULL);
    wr_memvol_put(v, "\\EFI\\Microsoft\\Boot\\bootmgfw.efi", pe, sizeof pe, NULL);
    if (with_bcd)
        wr_memvol_put(v, "\\EFI\\Microsoft\\Boot\\BCD", rescue_fx_garbage,
                      sizeof rescue_fx_garbage, NULL);
    return v;
}

static inline void rescue_fx_init(struct rescue_fx *f, struct wr_memvol *esp)
{
    memset(f, 0, sizeof *f);
    f->esp = esp;
    wr_memvol_new(&f->win, NULL);
    wr_memvol_put(f->win, "\\Windows\\System32\\winload.efi", (const uint8_t *)"MZ", 2, NULL);
    wr_memnvram_new(&f->nv, NULL);
    rescue_fx_model(f);
}

static inline void rescue_fx_free(struct rescue_fx *f, bool keep_esp)
{
    wr_rescue_model_free(&f->m);
    if (!keep_esp)
        wr_memvol_free(f->esp);
    wr_memvol_free(f->win);
    wr_memnvram_free(f->nv);
}

#endif
