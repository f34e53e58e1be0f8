/* Scanning: firmware block devices -> lib/disk parsers -> the machine
 * model. Nothing here decides anything; it only gathers facts. */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "base/fmt.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "glue/blockio_dev.h"
#include "glue/devpath.h"
#include "glue/sfs_volume.h"

#define BOOTMGFW_PATH "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define BCD_PATH "\\EFI\\Microsoft\\Boot\\BCD"

struct handles {
    EFI_HANDLE *h;
    UINTN n;
};

static EFI_DEVICE_PATH *path_of(EFI_HANDLE h);

static BOOLEAN has_block_device_below(EFI_HANDLE ctrl, const struct handles *blocks)
{
    EFI_DEVICE_PATH *cp = path_of(ctrl);

    for (UINTN i = 0; cp && i < blocks->n; i++)
        if (wr_devpath_starts_with(path_of(blocks->h[i]), cp))
            return TRUE;
    return FALSE;
}

/* Controllers that can lead to a disk: PCI mass storage (IDE, SCSI and
 * virtio, SATA, RAID, NVMe, UFS), USB host controllers, SD/eMMC hosts.
 * A storage controller that already shows a disk was connected by the
 * firmware; connecting it again costs ~0.1 s (NVMe under OVMF) and finds
 * nothing new. USB is always connected: the firmware often enumerated only
 * the boot stick, and it is cheap. */
static BOOLEAN needs_connect(EFI_HANDLE h, const struct handles *blocks)
{
    EFI_PCI_IO *pci = NULL;
    UINT8 cls[3];

    if (uefi_call_wrapper(BS->HandleProtocol, 3, h, &PciIoProtocol, (void **)&pci)
        != EFI_SUCCESS || !pci)
        return FALSE;
    if (uefi_call_wrapper(pci->Pci.Read, 5, pci, EfiPciIoWidthUint8, 0x09, 3, cls)
        != EFI_SUCCESS)
        return TRUE; /* cannot tell: connecting too much only costs time */
    if (cls[2] == 0x0C && cls[1] == 0x03)
        return TRUE;
    if (cls[2] == 0x01 || (cls[2] == 0x08 && cls[1] == 0x05))
        return !has_block_device_below(h, blocks);
    return FALSE;
}

static void locate(EFI_GUID *protocol, struct handles *out)
{
    out->h = NULL;
    out->n = 0;
    if (uefi_call_wrapper(BS->LocateHandleBuffer, 5, protocol ? ByProtocol : AllHandles,
                          protocol, NULL, &out->n, &out->h) != EFI_SUCCESS) {
        out->h = NULL;
        out->n = 0;
    }
}

static void release(struct handles *hs)
{
    if (hs->h)
        FreePool(hs->h);
    hs->h = NULL;
    hs->n = 0;
}

static void connect_all(EFI_GUID *protocol, BOOLEAN recursive)
{
    struct handles hs;

    locate(protocol, &hs);
    for (UINTN i = 0; i < hs.n; i++)
        uefi_call_wrapper(BS->ConnectController, 4, hs.h[i], NULL, NULL, recursive);
    release(&hs);
}

/* Firmware in "fast boot" (and OVMF with a bootindex) connects only the
 * boot device, so the internal disks have no BlockIo yet. Connecting every
 * handle recursively costs about 0.4 s under OVMF even when all is already
 * connected; connecting the PCI buses and then only the storage
 * controllers that show no disk yet costs a few milliseconds. Without PCI (not a PC) connect everything. */
static void connect_storage(void)
{
    struct handles roots, pcis, blocks;

    locate(&gEfiPciRootBridgeIoProtocolGuid, &roots);
    if (roots.n == 0) {
        connect_all(NULL, TRUE);
        return;
    }
    release(&roots);
    connect_all(&gEfiPciRootBridgeIoProtocolGuid, FALSE);
    locate(&BlockIoProtocol, &blocks);
    locate(&PciIoProtocol, &pcis);
    for (UINTN i = 0; i < pcis.n; i++)
        if (needs_connect(pcis.h[i], &blocks))
            uefi_call_wrapper(BS->ConnectController, 4, pcis.h[i], NULL, NULL, TRUE);
    release(&pcis);
    release(&blocks);
}

static EFI_DEVICE_PATH *path_of(EFI_HANDLE h)
{
    EFI_DEVICE_PATH *p = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, h, &DevicePathProtocol, (void **)&p)
        != EFI_SUCCESS)
        return NULL;
    return p;
}

static EFI_BLOCK_IO *bio_of(EFI_HANDLE h)
{
    EFI_BLOCK_IO *b = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, h, &BlockIoProtocol, (void **)&b)
        != EFI_SUCCESS)
        return NULL;
    return b;
}

static BOOLEAN has_protocol(EFI_HANDLE h, EFI_GUID *guid)
{
    void *p = NULL;

    return uefi_call_wrapper(BS->HandleProtocol, 3, h, guid, &p) == EFI_SUCCESS && p;
}

/* The firmware's handle for partition p of disk_path: same disk, and an
 * HD() node starting at the same sector. */
static EFI_HANDLE find_part_handle(const struct handles *parts, EFI_DEVICE_PATH *disk_path,
                                   const struct wr_partition *p)
{
    struct wr_devpath_hd hd;

    for (UINTN i = 0; i < parts->n; i++) {
        EFI_DEVICE_PATH *pp = path_of(parts->h[i]);

        if (pp && wr_devpath_same_disk(pp, disk_path) && wr_devpath_hd(pp, &hd) &&
            hd.start == p->first_lba)
            return parts->h[i];
    }
    return NULL;
}

static void check_esp(struct wr_machine_disk *d, uint32_t i)
{
    struct wr_machine_part *mp = &d->parts[i];
    struct wr_sfs_volume vol;
    char name[48];

    wr_format(name, sizeof name, "disk %u partition %u", d->index, d->table->parts[i].number);
    if (wr_sfs_volume_open(&vol, mp->handle, name, NULL) != WR_OK)
        return;
    mp->esp_checked = TRUE;
    mp->has_bootmgfw = wr_volume_exists(&vol.vol, BOOTMGFW_PATH);
    mp->has_bcd = wr_volume_exists(&vol.vol, BCD_PATH);
    wr_sfs_volume_close(&vol);
}

static void scan_partitions(struct wr_machine_disk *d, const struct wr_blockdev *dev,
                            const struct handles *parts, EFI_DEVICE_PATH *disk_path)
{
    for (uint32_t i = 0; i < d->table->count; i++) {
        const struct wr_partition *p = &d->table->parts[i];
        struct wr_machine_part *mp = &d->parts[i];
        struct wr_blockdev_slice slice;
        char name[48];

        wr_format(name, sizeof name, "disk %u partition %u", d->index, p->number);
        if (wr_blockdev_slice_init(&slice, dev, p->first_lba, p->sector_count, name, NULL)
            == WR_OK)
            mp->fs_probed = wr_fs_probe(&slice.dev, &mp->fs, NULL) == WR_OK;
        mp->handle = find_part_handle(parts, disk_path, p);
        mp->mounted = mp->handle && has_protocol(mp->handle, &FileSystemProtocol);
        if (mp->mounted && wr_machine_part_is_esp_like(d, i))
            check_esp(d, i);
    }
}

static void read_table(struct wr_machine_disk *d, const struct wr_blockdev *dev)
{
    struct wr_partition_table *t = wr_alloc(sizeof *t);
    struct wr_err err;

    if (!t) {
        wr_format(d->table_error, sizeof d->table_error, "out of memory");
        return;
    }
    if (wr_partition_table_read(dev, t, &err) != WR_OK ||
        wr_machine_disk_set_table(d, t, &err) != WR_OK) {
        wr_format(d->table_error, sizeof d->table_error, "%s", err.msg);
        wr_free(t);
    }
}

static void scan_disk(struct app *app, EFI_HANDLE h, EFI_DEVICE_PATH *self_path,
                      const struct handles *parts)
{
    EFI_BLOCK_IO *bio = bio_of(h);
    EFI_DEVICE_PATH *path = path_of(h);
    struct wr_machine_disk *d;
    struct wr_blockio_dev dev;
    struct wr_err err;
    char name[32];

    if (wr_machine_add_disk(&app->machine, &d, &err) != WR_OK)
        return;
    d->handle = h;
    d->bus = path ? wr_devpath_bus(path) : WR_BUS_OTHER;
    d->removable = bio->Media->RemovableMedia;
    d->is_stick = wr_devpath_same_disk(path, self_path);
    d->sector_size = bio->Media->BlockSize;
    d->sector_count = bio->Media->LastBlock + 1;
    wr_format(name, sizeof name, "disk %u", d->index);
    if (wr_blockio_dev_open(&dev, bio, name, FALSE, &err) != WR_OK) {
        wr_format(d->table_error, sizeof d->table_error, "%s", err.msg);
        return;
    }
    read_table(d, &dev.dev);
    if (d->table)
        scan_partitions(d, &dev.dev, parts, path);
    wr_blockio_dev_close(&dev);
}

/* Splits BlockIo handles into whole disks with media, and partitions. */
static void sort_handles(EFI_HANDLE *all, UINTN n, struct handles *disks,
                         struct handles *parts)
{
    for (UINTN i = 0; i < n; i++) {
        EFI_BLOCK_IO *b = bio_of(all[i]);

        /* iPXE hands a network-booted image a one-byte "disk" of its own. */
        if (!b || !b->Media || b->Media->BlockSize < 512)
            continue;
        if (b->Media->LogicalPartition)
            parts->h[parts->n++] = all[i];
        else if (b->Media->MediaPresent)
            disks->h[disks->n++] = all[i];
    }
}

/* The stick first, so it is disk 0 in every message and screen. */
static void stick_first(struct handles *disks, EFI_DEVICE_PATH *self_path)
{
    for (UINTN i = 1; i < disks->n; i++) {
        if (wr_devpath_same_disk(path_of(disks->h[i]), self_path)) {
            EFI_HANDLE stick = disks->h[i];

            for (UINTN j = i; j > 0; j--)
                disks->h[j] = disks->h[j - 1];
            disks->h[0] = stick;
            return;
        }
    }
}

void app_scan(struct app *app)
{
    EFI_DEVICE_PATH *self_path = path_of(app->self->DeviceHandle);
    EFI_HANDLE *all = NULL;
    struct handles disks = { 0 }, parts = { 0 };
    UINTN n = 0;

    connect_storage();
    if (uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &BlockIoProtocol, NULL, &n,
                          &all) != EFI_SUCCESS)
        return;
    disks.h = wr_alloc_array(n, sizeof(EFI_HANDLE));
    parts.h = wr_alloc_array(n, sizeof(EFI_HANDLE));
    if (disks.h && parts.h) {
        sort_handles(all, n, &disks, &parts);
        stick_first(&disks, self_path);
        for (UINTN i = 0; i < disks.n; i++)
            scan_disk(app, disks.h[i], self_path, &parts);
    }
    wr_free(disks.h);
    wr_free(parts.h);
    FreePool(all);
}
