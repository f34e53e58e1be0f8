/* A wr_blockdev over EFI_BLOCK_IO, so lib/disk reads firmware disks. */
#ifndef WR_EFI_BLOCKIO_DEV_H
#define WR_EFI_BLOCKIO_DEV_H

#include <efi.h>

#include "base/blockdev.h"

struct wr_blockio_cache;

struct wr_blockio_dev {
    struct wr_blockdev dev;
    EFI_BLOCK_IO *bio;
    UINT32 media_id;   /* as seen at open; a change means the medium changed */
    void *bounce;      /* aligned scratch when the device wants IoAlign */
    void *bounce_raw;  /* what to free */
    UINTN bounce_sectors;
    struct wr_blockio_cache *cache; /* NULL unless wr_blockio_dev_cache */
    char name[48];
};

/* Read-only unless writable. The device must have media present. */
wr_status wr_blockio_dev_open(struct wr_blockio_dev *d, EFI_BLOCK_IO *bio, const char *name,
                              BOOLEAN writable, struct wr_err *err);
void wr_blockio_dev_close(struct wr_blockio_dev *d);

/* Gives d a read cache: reads of up to 4 KiB go through aligned 4 KiB
 * windows (64 per disk, the least recently used dropped first).
 * The rescue engine reads NTFS metadata, hive pages and the ESP's boot
 * sector one small read at a time, and under QEMU each firmware read costs
 * 0.1-0.6 ms whatever its size. Writes made through the firmware's file
 * system are not seen: drop it first. Without memory d reads uncached. */
void wr_blockio_dev_cache(struct wr_blockio_dev *d);
/* Forgets d's cached sectors and stops caching: before a repair writes
 * through the file system, which the cache would not see. */
void wr_blockio_cache_drop(struct wr_blockio_dev *d);

#endif
