/* What filesystem a partition holds, from its first sectors only. */
#ifndef WR_DISK_FSPROBE_H
#define WR_DISK_FSPROBE_H

#include "base/blockdev.h"

enum wr_fs_kind {
    WR_FS_UNKNOWN,
    WR_FS_FAT12,
    WR_FS_FAT16,
    WR_FS_FAT32,
    WR_FS_EXFAT,
    WR_FS_NTFS,
    WR_FS_BITLOCKER, /* "-FVE-FS-": encrypted, contents unreadable to us */
    WR_FS_REFS,
};

struct wr_fs_info {
    enum wr_fs_kind kind;
    char label[48];       /* UTF-8 volume label from the boot sector, when it has one */
    uint32_t serial;      /* FAT volume serial (low 32 bits of NTFS's) */
};

/* Reads the boot sector(s) of dev. An unrecognised or blank volume is
 * WR_OK with kind WR_FS_UNKNOWN; only a failing read is an error. */
wr_status wr_fs_probe(const struct wr_blockdev *dev, struct wr_fs_info *out,
                      struct wr_err *err);

/* The same decision from a first sector already in memory (at least 512
 * bytes), e.g. to tell a partitionless "superfloppy" from an MBR. */
void wr_fs_identify(const uint8_t *sector, struct wr_fs_info *out);

/* "FAT32", "NTFS", "BitLocker", ..., "unknown". */
const char *wr_fs_name(enum wr_fs_kind kind);

#endif
