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

/* Handles with their device paths, looked up once: every HandleProtocol
 * walks the firmware's whole handle list, so asking again per comparison
 * made the scan quadratic (seconds with 16 disks of 32 partitions). */
struct handles {
    EFI_HANDLE *h;
    EFI_DEVICE_PATH **path;
    UINTN n;
};

/* EFI_USB_IO_PROTOCOL (UEFI spec 17.2), which gnu-efi lacks: only the
 * calls up to the interface descriptor are used. */
static EFI_GUID usb_io_guid = { 0x2B2F68D6, 0x0CD2, 0x44CF,
                                { 0x8E, 0x8B, 0xBB, 0xA2, 0x0B, 0x1B, 0x5B, 0x75 } };

struct usb_interface_descriptor {
    UINT8 length, type, number, alternate, endpoints, class, subclass, protocol, name;
};

struct usb_io {
    void *transfers[6];
    void *get_device_descriptor, *get_config_descriptor;
    EFI_STATUS (EFIAPI *get_interface_descriptor)(struct usb_io *self,
                                                  struct usb_interface_descriptor *out);
};

#define USB_CLASS_MASS_STORAGE 0x08

/* h's interface for protocol, or NULL. */
static void *interface_of(EFI_HANDLE h, EFI_GUID *protocol)
{
    void *p = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, h, protocol, &p) != EFI_SUCCESS)
        return NULL;
    return p;
}

static void release(struct handles *hs)
{
    if (hs->h)
        FreePool(hs->h);
    wr_free(hs->path);
    hs->h = NULL;
    hs->path = NULL;
    hs->n = 0;
}

static void locate(EFI_GUID *protocol, struct handles *out)
{
    out->h = NULL;
    out->path = NULL;
    out->n = 0;
    if (uefi_call_wrapper(BS->LocateHandleBuffer, 5, protocol ? ByProtocol : AllHandles,
                          protocol, NULL, &out->n, &out->h) != EFI_SUCCESS) {
        out->h = NULL;
        out->n = 0;
        return;
    }
    out->path = wr_alloc_array(out->n ? out->n : 1, sizeof *out->path);
    if (!out->path) {
        release(out);
        return;
    }
    for (UINTN i = 0; i < out->n; i++)
        out->path[i] = interface_of(out->h[i], &DevicePathProtocol);
}

/* The entries of hs that are whole disks (no HD() node): a partition is
 * below whatever its disk is below, and the hundreds of partitions made
 * every any_below slow. Paths only (h stays NULL). */
static void disks_of(const struct handles *hs, struct handles *out)
{
    struct wr_devpath_hd hd;

    out->h = NULL;
    out->n = 0;
    out->path = wr_alloc_array(hs->n ? hs->n : 1, sizeof *out->path);
    for (UINTN i = 0; out->path && i < hs->n; i++)
        if (hs->path[i] && !wr_devpath_hd(hs->path[i], &hd))
            out->path[out->n++] = hs->path[i];
}

static BOOLEAN any_below(EFI_DEVICE_PATH *cp, const struct handles *hs)
{
    for (UINTN i = 0; cp && i < hs->n; i++)
        if (wr_devpath_starts_with(hs->path[i], cp))
            return TRUE;
    return FALSE;
}

/* An AHCI controller the firmware has not started costs ~0.1 s to start
 * (its driver waits for a link on every port), yet the HBA already says
 * whether a device is attached: PxSSTS.DET is 0 on a port with no device
 * and no link. But DET is also 0 on a port whose PHY the firmware put
 * offline (PxSCTL.DET = 4, fast boot) or told to reset, so a port is empty
 * only when PxSCTL.DET is 0 too (no request: the HBA is free to detect).
 * Nothing to find when at least one port is implemented, every implemented
 * port is empty, the ports spin up by themselves (CAP.SSS clear) and AHCI
 * mode is on. Any doubt (a read fails, a bit is unexpected, PI is 0) means
 * connect. */
#define AHCI_ABAR 5
#define AHCI_CAP_SSS (1u << 27)
#define AHCI_GHC_AE (1u << 31)

static BOOLEAN ahci_read(EFI_PCI_IO *pci, UINT32 off, UINT32 *v)
{
    return uefi_call_wrapper(pci->Mem.Read, 6, pci, EfiPciIoWidthUint32, AHCI_ABAR, (UINT64)off,
                             1, v) == EFI_SUCCESS;
}

static BOOLEAN ahci_ports_empty(EFI_PCI_IO *pci)
{
    UINT32 cap, ghc, pi, ssts, sctl;

    if (!ahci_read(pci, 0x00, &cap) || !ahci_read(pci, 0x04, &ghc) ||
        !ahci_read(pci, 0x0C, &pi) || (cap & AHCI_CAP_SSS) || !(ghc & AHCI_GHC_AE) ||
        pi == 0 || pi == 0xFFFFFFFFu)
        return FALSE;
    for (UINT32 port = 0; port < 32; port++) {
        UINT32 base = 0x100 + 0x80 * port;

        if (!(pi & (1u << port)))
            continue;
        if (!ahci_read(pci, base + 0x28, &ssts) || (ssts & 0xF) != 0 ||
            !ahci_read(pci, base + 0x2C, &sctl) || (sctl & 0xF) != 0)
            return FALSE;
    }
    return TRUE;
}

/* Memory decoding may be off until a driver starts: on for the look,
 * then as it was. */
static BOOLEAN ahci_has_nothing(EFI_PCI_IO *pci)
{
    UINT64 was = 0;
    BOOLEAN empty;

    if (uefi_call_wrapper(pci->Attributes, 4, pci, EfiPciIoAttributeOperationGet, 0, &was)
        != EFI_SUCCESS)
        return FALSE;
    if (!(was & EFI_PCI_IO_ATTRIBUTE_MEMORY) &&
        uefi_call_wrapper(pci->Attributes, 4, pci, EfiPciIoAttributeOperationEnable,
                          EFI_PCI_IO_ATTRIBUTE_MEMORY, NULL) != EFI_SUCCESS)
        return FALSE;
    empty = ahci_ports_empty(pci);
    if (!(was & EFI_PCI_IO_ATTRIBUTE_MEMORY))
        uefi_call_wrapper(pci->Attributes, 4, pci, EfiPciIoAttributeOperationDisable,
                          EFI_PCI_IO_ATTRIBUTE_MEMORY, NULL);
    return empty;
}

/* Base class, subclass and programming interface, highest first. */
static BOOLEAN pci_class(EFI_PCI_IO *pci, UINT8 cls[3])
{
    return uefi_call_wrapper(pci->Pci.Read, 5, pci, EfiPciIoWidthUint8, 0x09, 3, cls)
           == EFI_SUCCESS;
}

/* Controllers that can lead to a disk: PCI mass storage (IDE, SCSI and
 * virtio, SATA, RAID, NVMe, UFS), SD/eMMC hosts, USB host controllers. A
 * storage controller that already shows a disk was connected by the
 * firmware; connecting it again costs ~0.1 s (NVMe under OVMF) and finds
 * nothing new. A USB host controller is connected, recursively, only when
 * no UsbIo shows below it (its bus driver never started): once started,
 * EDK2's bus driver has given every device on the bus a UsbIo, starting
 * only the boot stick's driver in fast boot, and connect_usb_storage then
 * starts the rest of the storage (other stacks: connect_usb_hosts). Asking
 * a started bus again costs every driver's Supported on every device, each
 * call walking the firmware's whole handle list: 13 ms with two disks,
 * 0.13 s with 16 disks of 32 partitions under OVMF. */
static BOOLEAN needs_connect(EFI_HANDLE h, EFI_DEVICE_PATH *path, const struct handles *blocks,
                             const struct handles *usbs)
{
    EFI_PCI_IO *pci = interface_of(h, &PciIoProtocol);
    UINT8 cls[3];

    if (!pci)
        return FALSE;
    if (!pci_class(pci, cls))
        return TRUE; /* cannot tell: connecting too much only costs time */
    if (cls[2] == 0x0C && cls[1] == 0x03)
        return !any_below(path, usbs);
    if (cls[2] == 0x01 || (cls[2] == 0x08 && cls[1] == 0x05))
        return !any_below(path, blocks) &&
               !(cls[1] == 0x06 && cls[0] == 0x01 && ahci_has_nothing(pci));
    return FALSE;
}

static BOOLEAN is_usb_storage(EFI_HANDLE h)
{
    struct usb_io *usb = interface_of(h, &usb_io_guid);
    struct usb_interface_descriptor d;

    if (!usb)
        return FALSE;
    return uefi_call_wrapper(usb->get_interface_descriptor, 2, usb, &d) != EFI_SUCCESS ||
           d.class == USB_CLASS_MASS_STORAGE;
}

/* Firmware in fast boot may start the USB storage driver only on the boot
 * stick: start it on every mass-storage interface with a UsbIo that shows
 * no disk. TRUE when it connected. */
static BOOLEAN connect_usb_storage(const struct handles *usbs, const struct handles *blocks)
{
    BOOLEAN any = FALSE;

    for (UINTN i = 0; i < usbs->n; i++)
        if (usbs->path[i] && !any_below(usbs->path[i], blocks) && is_usb_storage(usbs->h[i])) {
            uefi_call_wrapper(BS->ConnectController, 4, usbs->h[i], NULL, NULL, TRUE);
            any = TRUE;
        }
    return any;
}

static void connect_all(EFI_GUID *protocol, BOOLEAN recursive)
{
    struct handles hs;

    locate(protocol, &hs);
    for (UINTN i = 0; i < hs.n; i++)
        uefi_call_wrapper(BS->ConnectController, 4, hs.h[i], NULL, NULL, recursive);
    release(&hs);
}

/* The PCI bus driver gives every device under a root bridge its PciIo
 * when it starts, so a root bridge with a PciIo below was started; only
 * the others are connected (asking again costs every driver's Supported
 * on a long handle list). TRUE when it connected one. */
static BOOLEAN connect_roots(const struct handles *roots, const struct handles *pcis)
{
    BOOLEAN any = FALSE;

    for (UINTN i = 0; i < roots->n; i++)
        if (!any_below(roots->path[i], pcis)) {
            uefi_call_wrapper(BS->ConnectController, 4, roots->h[i], NULL, NULL, FALSE);
            any = TRUE;
        }
    return any;
}

static void relocate(EFI_GUID *protocol, struct handles *hs)
{
    release(hs);
    locate(protocol, hs);
}

/* Firmware in "fast boot" (and OVMF with a bootindex) connects only the
 * boot device, so the internal disks have no BlockIo yet. Connecting every
 * handle recursively costs about 0.4 s under OVMF even when all is already
 * connected; connecting only what the firmware left unconnected (PCI
 * buses, storage controllers that show no disk, USB host controllers and
 * storage) costs a few milliseconds. Without PCI (not a PC) connect everything. Leaves the
 * BlockIo handles in *blocks. */
static void connect_storage(struct handles *blocks)
{
    struct handles roots, pcis, usbs, disks;
    BOOLEAN more = FALSE;

    locate(&gEfiPciRootBridgeIoProtocolGuid, &roots);
    if (roots.n == 0) {
        release(&roots);
        connect_all(NULL, TRUE);
        locate(&BlockIoProtocol, blocks);
        return;
    }
    locate(&PciIoProtocol, &pcis);
    if (connect_roots(&roots, &pcis))
        relocate(&PciIoProtocol, &pcis);
    release(&roots);
    locate(&BlockIoProtocol, blocks);
    disks_of(blocks, &disks);
    locate(&usb_io_guid, &usbs);
    for (UINTN i = 0; i < pcis.n; i++)
        if (needs_connect(pcis.h[i], pcis.path[i], &disks, &usbs)) {
            uefi_call_wrapper(BS->ConnectController, 4, pcis.h[i], NULL, NULL, TRUE);
            more = TRUE;
        }
    release(&pcis);
    if (more) {
        relocate(&BlockIoProtocol, blocks);
        relocate(&usb_io_guid, &usbs);
        release(&disks);
        disks_of(blocks, &disks);
    }
    if (connect_usb_storage(&usbs, &disks))
        relocate(&BlockIoProtocol, blocks);
    release(&disks);
    release(&usbs);
}

/* A firmware partition handle with what matching it needs, found once. */
struct part_handle {
    EFI_HANDLE h;
    EFI_DEVICE_PATH *path;
    UINTN disk_len;        /* the disk's part of path */
    UINT64 start;          /* its HD() node's first sector */
    BOOLEAN mounted;       /* the firmware gave it a SimpleFileSystem */
};

struct part_handles {
    struct part_handle *v;
    UINTN n;
};

/* The partition handles of the disk at disk_path (same disk part of the
 * path), gathered once per disk rather than searched per partition among
 * every disk's: 16 disks of 32 partitions made that 260,000 comparisons. */
static UINTN disk_part_handles(const struct part_handles *parts, EFI_DEVICE_PATH *disk_path,
                               UINTN disk_len, const struct part_handle **out)
{
    UINTN n = 0;

    for (UINTN i = 0; disk_len && i < parts->n; i++)
        if (parts->v[i].disk_len == disk_len &&
            memcmp(parts->v[i].path, disk_path, disk_len) == 0)
            out[n++] = &parts->v[i];
    return n;
}

/* The one whose HD() node starts where the table says p starts. */
static const struct part_handle *find_part_handle(const struct part_handle *const *mine,
                                                  UINTN n, const struct wr_partition *p)
{
    for (UINTN i = 0; i < n; i++)
        if (mine[i]->start == p->first_lba)
            return mine[i];
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
                            const struct part_handles *parts, EFI_DEVICE_PATH *disk_path)
{
    UINTN disk_len = disk_path ? wr_devpath_disk_prefix_len(disk_path) : 0;
    const struct part_handle **mine = wr_alloc_array(parts->n ? parts->n : 1, sizeof *mine);
    UINTN n_mine = mine ? disk_part_handles(parts, disk_path, disk_len, mine) : 0;

    for (uint32_t i = 0; i < d->table->count; i++) {
        const struct wr_partition *p = &d->table->parts[i];
        const struct part_handle *ph = find_part_handle(mine, n_mine, p);
        struct wr_machine_part *mp = &d->parts[i];
        struct wr_blockdev_slice slice;
        char name[48];

        wr_format(name, sizeof name, "disk %u partition %u", d->index, p->number);
        if (wr_blockdev_slice_init(&slice, dev, p->first_lba, p->sector_count, name, NULL)
            == WR_OK)
            mp->fs_probed = wr_fs_probe(&slice.dev, &mp->fs, NULL) == WR_OK;
        mp->handle = ph ? ph->h : NULL;
        mp->mounted = ph && ph->mounted;
        if (mp->mounted && wr_machine_part_is_esp_like(d, i))
            check_esp(d, i);
    }
    wr_free(mine);
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

static void scan_disk(struct app *app, EFI_HANDLE h, EFI_DEVICE_PATH *path,
                      EFI_DEVICE_PATH *self_path, const struct part_handles *parts)
{
    EFI_BLOCK_IO *bio = interface_of(h, &BlockIoProtocol);
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
    d->media_id = bio->Media->MediaId;
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

static BOOLEAN in(EFI_HANDLE h, const struct handles *hs)
{
    for (UINTN i = 0; i < hs->n; i++)
        if (hs->h[i] == h)
            return TRUE;
    return FALSE;
}

static void add_part_handle(struct part_handles *parts, EFI_HANDLE h, EFI_DEVICE_PATH *path,
                            const struct wr_devpath_hd *hd, const struct handles *mounted)
{
    struct part_handle *ph = &parts->v[parts->n++];

    ph->h = h;
    ph->path = path;
    ph->disk_len = wr_devpath_disk_prefix_len(path);
    ph->start = hd->start;
    ph->mounted = in(h, mounted);
}

/* Splits BlockIo handles into whole disks with media (their paths in the
 * same order), and partitions. */
static void sort_handles(const struct handles *all, struct handles *disks,
                         struct part_handles *parts)
{
    struct handles mounted;

    locate(&FileSystemProtocol, &mounted);
    for (UINTN i = 0; i < all->n; i++) {
        struct wr_devpath_hd hd;
        EFI_BLOCK_IO *b;

        /* An HD() node makes it a partition: told by its path, which is in
         * hand, not by its BlockIo, a lookup per handle among hundreds. */
        if (all->path[i] && wr_devpath_hd(all->path[i], &hd)) {
            add_part_handle(parts, all->h[i], all->path[i], &hd, &mounted);
            continue;
        }
        b = interface_of(all->h[i], &BlockIoProtocol);
        /* iPXE hands a network-booted image a one-byte "disk" of its own. */
        if (!b || !b->Media || b->Media->BlockSize < 512 || b->Media->LogicalPartition)
            continue;
        if (b->Media->MediaPresent) {
            disks->h[disks->n] = all->h[i];
            disks->path[disks->n++] = all->path[i];
        }
    }
    release(&mounted);
}

/* The stick first, so it is disk 0 in every message and screen. */
static void stick_first(struct handles *disks, EFI_DEVICE_PATH *self_path)
{
    for (UINTN i = 1; i < disks->n; i++) {
        if (wr_devpath_same_disk(disks->path[i], self_path)) {
            EFI_HANDLE stick = disks->h[i];
            EFI_DEVICE_PATH *path = disks->path[i];

            for (UINTN j = i; j > 0; j--) {
                disks->h[j] = disks->h[j - 1];
                disks->path[j] = disks->path[j - 1];
            }
            disks->h[0] = stick;
            disks->path[0] = path;
            return;
        }
    }
}

/* Only the stick found: a USB stack other than EDK2's may have given a
 * UsbIo only to the boot device's part of the bus, out of
 * connect_usb_storage's reach; connecting every USB host controller again,
 * recursively, brings the rest. TRUE when one was connected. */
static BOOLEAN connect_usb_hosts(void)
{
    struct handles pcis;
    BOOLEAN any = FALSE;
    UINT8 cls[3];

    locate(&PciIoProtocol, &pcis);
    for (UINTN i = 0; i < pcis.n; i++) {
        EFI_PCI_IO *pci = interface_of(pcis.h[i], &PciIoProtocol);

        if (pci && pci_class(pci, cls) && cls[2] == 0x0C && cls[1] == 0x03) {
            uefi_call_wrapper(BS->ConnectController, 4, pcis.h[i], NULL, NULL, TRUE);
            any = TRUE;
        }
    }
    release(&pcis);
    return any;
}

static void scan_blocks(struct app *app, const struct handles *all)
{
    EFI_DEVICE_PATH *self_path = interface_of(app->self->DeviceHandle, &DevicePathProtocol);
    struct handles disks = { 0 };
    struct part_handles parts = { 0 };

    if (!all->n)
        return;
    disks.h = wr_alloc_array(all->n, sizeof *disks.h);
    disks.path = wr_alloc_array(all->n, sizeof *disks.path);
    parts.v = wr_alloc_array(all->n, sizeof *parts.v);
    if (disks.h && disks.path && parts.v) {
        sort_handles(all, &disks, &parts);
        stick_first(&disks, self_path);
        for (UINTN i = 0; i < disks.n; i++)
            scan_disk(app, disks.h[i], disks.path[i], self_path, &parts);
    }
    wr_free(disks.h);
    wr_free(disks.path);
    wr_free(parts.v);
}

void app_scan(struct app *app)
{
    struct handles all;

    connect_storage(&all);
    scan_blocks(app, &all);
    release(&all);
    if (app->machine.disk_count <= 1 && connect_usb_hosts()) {
        wr_machine_free(&app->machine);
        locate(&BlockIoProtocol, &all);
        scan_blocks(app, &all);
        release(&all);
    }
}
