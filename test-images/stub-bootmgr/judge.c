/* What Windows Boot Manager does, through the engine's judge
 * (lib/rescue/judge): read the BCD of its own ESP, resolve {default}, find
 * its device and osdevice among all disks, check winload.efi. Then
 *   BOOTMGR-STUB OK <description> <partition>        QEMU status 71
 *   BOOTMGR-STUB FAIL 0xc000000f <why>               QEMU status 73 */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "glue/blockio_dev.h"
#include "glue/devpath.h"
#include "glue/sfs_volume.h"
#include "glue/nvram_efi.h"
#include "rescue/judge.h"
#include "stub.h"

#define MAX_DISKS 32

struct judge_host {
    EFI_HANDLE disks[MAX_DISKS];
    EFI_HANDLE *parts;
    UINTN n_parts;
};

static EFI_DEVICE_PATH *path_of(EFI_HANDLE h)
{
    EFI_DEVICE_PATH *p = NULL;

    uefi_call_wrapper(BS->HandleProtocol, 3, h, &DevicePathProtocol, (void **)&p);
    return p;
}

static EFI_BLOCK_IO *bio_of(EFI_HANDLE h)
{
    EFI_BLOCK_IO *b = NULL;

    uefi_call_wrapper(BS->HandleProtocol, 3, h, &BlockIoProtocol, (void **)&b);
    return b;
}

static EFI_HANDLE part_handle(const struct judge_host *h, uint32_t disk, uint64_t start)
{
    struct wr_devpath_hd hd;

    for (UINTN i = 0; i < h->n_parts; i++) {
        EFI_DEVICE_PATH *pp = path_of(h->parts[i]);

        if (pp && wr_devpath_same_disk(pp, path_of(h->disks[disk])) && wr_devpath_hd(pp, &hd) &&
            hd.start == start)
            return h->parts[i];
    }
    return NULL;
}

struct ctx {
    struct judge_host h;
    struct wr_rescue_model *m;
};

static wr_status open_fat(void *arg, uint32_t disk, uint32_t part, struct wr_volume *out,
                          struct wr_err *err)
{
    struct ctx *c = arg;
    const struct wr_partition_table *t = wr_rescue_table(c->m, disk);
    EFI_HANDLE ph = t && part < t->count ? part_handle(&c->h, disk, t->parts[part].first_lba)
                                         : NULL;
    struct wr_sfs_volume *v;

    if (!ph)
        return wr_fail(err, WR_E_UNSUPPORTED, "no firmware handle");
    v = wr_alloc(sizeof *v);
    if (!v)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    if (wr_sfs_volume_open(v, ph, "esp", err) != WR_OK) {
        wr_free(v);
        return WR_E_UNSUPPORTED;
    }
    *out = v->vol;
    return WR_OK;
}

static void close_fat(void *arg, struct wr_volume *vol)
{
    (void)arg;
    wr_sfs_volume_close(vol->ctx);
    wr_free(vol->ctx);
}

/* The model partition this image was loaded from, or -1. */
static int own_esp(const struct ctx *c, EFI_HANDLE image)
{
    EFI_LOADED_IMAGE *li = NULL;
    struct wr_devpath_hd hd;
    EFI_DEVICE_PATH *self;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li) !=
            EFI_SUCCESS || !(self = path_of(li->DeviceHandle)) || !wr_devpath_hd(self, &hd))
        return -1;
    for (size_t i = 0; i < c->m->n_parts; i++) {
        const struct wr_rescue_part *p = &c->m->parts[i];

        if (p->p->first_lba == hd.start && wr_devpath_same_disk(self, path_of(c->h.disks[p->disk])))
            return (int)i;
    }
    return -1;
}

static void say_ok(const struct wr_rescue_model *m, int esp, const struct wr_rescue_verdict *v)
{
    const struct wr_bcd_store *s = &m->parts[esp].esp.store;
    struct wr_guid def;
    const struct wr_bcd_object *o;
    char *desc = NULL, part[48] = "unknown";

    if (m->parts[esp].esp.store_loaded && wr_bcd_store_default(s, &def) &&
        (o = wr_bcd_store_find(s, &def)))
        desc = wr_bcd_object_description(o);
    if (v->os_part >= 0)
        wr_rescue_part_name(m, &m->parts[v->os_part], part, sizeof part);
    Print(L"BOOTMGR-STUB OK %a %a\n", desc ? desc : "(no description)", part);
    wr_free(desc);
}

void stub_judge(EFI_HANDLE image)
{
    static struct wr_rescue_model model;
    static struct ctx c;
    static struct wr_blockio_dev bdevs[MAX_DISKS];
    const struct wr_blockdev *devs[MAX_DISKS];
    struct wr_rescue_host host = { .open_fat = open_fat, .close_fat = close_fat, .arg = &c };
    struct wr_rescue_verdict v;
    struct wr_nvram nv;
    struct wr_err err;
    EFI_HANDLE *all = NULL;
    UINTN n = 0, nd = 0;
    char code[32];
    int esp;

    c.m = &model;
    uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &BlockIoProtocol, NULL, &n, &all);
    c.h.parts = all;
    for (UINTN i = 0; i < n; i++) {
        EFI_BLOCK_IO *b = bio_of(all[i]);

        if (!b || !b->Media || !b->Media->MediaPresent)
            continue;
        if (b->Media->LogicalPartition) {
            all[c.h.n_parts++] = all[i];
        } else if (nd < MAX_DISKS && wr_blockio_dev_open(&bdevs[nd], b, "disk", FALSE, NULL)
                   == WR_OK) {
            c.h.disks[nd] = all[i];
            devs[nd] = &bdevs[nd].dev;
            nd++;
        }
    }
    wr_nvram_efi(&nv);
    if (wr_rescue_scan(&model, devs, nd, -1, &host, &nv, &err) != WR_OK) {
        Print(L"BOOTMGR-STUB FAIL 0xc0000001 %a\n", err.msg);
        stub_finish(STUB_EXIT_FAIL);
    }
    /* running is what counts, not whether bootmgfw.efi is where the
     * firmware entry points: started as the fallback, bootmgr goes on */
    esp = own_esp(&c, image);
    wr_rescue_judge_running(&model, esp, &v);
    if (v.ok) {
        say_ok(&model, esp, &v);
        stub_finish(STUB_EXIT_OK);
    }
    wr_rescue_code_text(v.code, code);
    Print(L"BOOTMGR-STUB FAIL %a %a\n", code, v.why);
    stub_finish(STUB_EXIT_FAIL);
}
