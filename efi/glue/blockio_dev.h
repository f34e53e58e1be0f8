/* A wr_blockdev over EFI_BLOCK_IO, so lib/disk reads firmware disks. */
#ifndef WR_EFI_BLOCKIO_DEV_H
#define WR_EFI_BLOCKIO_DEV_H

#include <efi.h>

#include "base/blockdev.h"

struct wr_blockio_dev {
    struct wr_blockdev dev;
    EFI_BLOCK_IO *bio;
    UINT32 media_id;   /* as seen at open; a change means the medium changed */
    void *bounce;      /* aligned scratch when the device wants IoAlign */
    void *bounce_raw;  /* what to free */
    UINTN bounce_sectors;
    char name[48];
};

/* Read-only unless writable. The device must have media present. */
wr_status wr_blockio_dev_open(struct wr_blockio_dev *d, EFI_BLOCK_IO *bio, const char *name,
                              BOOLEAN writable, struct wr_err *err);
void wr_blockio_dev_close(struct wr_blockio_dev *d);

#endif
