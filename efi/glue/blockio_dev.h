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
    struct wr_blockio_cache *cache; /* NULL unless the boot scan's cache is on */
    char name[48];
};

/* Read-only unless writable. The device must have media present. */
wr_status wr_blockio_dev_open(struct wr_blockio_dev *d, EFI_BLOCK_IO *bio, const char *name,
                              BOOLEAN writable, struct wr_err *err);
void wr_blockio_dev_close(struct wr_blockio_dev *d);

/* The boot scan and the engine's scan after it read the same sectors (the
 * tables, every partition's first sector, NTFS metadata), one small read
 * at a time, and under QEMU each read costs ~0.3 ms whatever its size.
 * While on, small reads go through a cache of aligned 4 KiB windows (the
 * firmware's free time grows with the bytes freed: 32 KiB windows cost
 * 0.3 s to drop with 16 disks of 32 partitions), and a closed device's
 * cache is kept for the next open of the same BlockIo. Writes made through
 * the firmware's file system are not seen, so it is on only from the scan
 * to the menu (main.c); off frees it all. */
void wr_blockio_cache_keep(BOOLEAN on);
/* Forgets d's cached sectors: before a repair writes through the file
 * system, which the cache would not see. */
void wr_blockio_cache_drop(struct wr_blockio_dev *d);

#endif
