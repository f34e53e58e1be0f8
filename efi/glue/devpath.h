/* Reading firmware device paths: which bus a disk hangs off, the disk part
 * of a partition's path, and the HD() node that names a partition. */
#ifndef WR_EFI_DEVPATH_H
#define WR_EFI_DEVPATH_H

#include <efi.h>

#include "base/guid.h"
#include "machine/machine.h"

/* The transport of the last messaging node before the media nodes; a USB
 * node anywhere wins, since a stick behind a USB bridge is still a stick. */
enum wr_bus wr_devpath_bus(const EFI_DEVICE_PATH *path);

/* Bytes of the path before its first media node (or its end): the part
 * a disk and all its partitions share. */
UINTN wr_devpath_disk_prefix_len(const EFI_DEVICE_PATH *path);

/* True when both paths name the same physical disk. */
BOOLEAN wr_devpath_same_disk(const EFI_DEVICE_PATH *a, const EFI_DEVICE_PATH *b);

/* True when path begins with every node of prefix (a device below it). */
BOOLEAN wr_devpath_starts_with(const EFI_DEVICE_PATH *path, const EFI_DEVICE_PATH *prefix);

struct wr_devpath_hd {
    UINT32 number;
    UINT64 start;          /* LBA */
    UINT64 size;           /* LBAs */
    BOOLEAN gpt;           /* else MBR */
    struct wr_guid guid;   /* GPT partition GUID */
    UINT32 mbr_signature;
};

/* The first HD() node of the path; FALSE when it has none. */
BOOLEAN wr_devpath_hd(const EFI_DEVICE_PATH *path, struct wr_devpath_hd *out);

/* True when the path's file part (its file path nodes, joined) names
 * want, ignoring ASCII case and doubled backslashes. Nodes split without
 * a backslash between them (\EFI\BOOT + BOOTX64.EFI) do not match: a
 * caller then reads the file rather than trusting the name. */
BOOLEAN wr_devpath_file_is(const EFI_DEVICE_PATH *path, const char *want);

/* The path as text in a new pool allocation (FreePool), using the
 * firmware's DevicePathToText when it has one: gnu-efi's own printer
 * shortens HD() and does not know NVMe. Never NULL unless out of memory. */
CHAR16 *wr_devpath_text(const EFI_DEVICE_PATH *path);

#endif
