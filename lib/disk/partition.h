/* Partition tables: GPT (with CRC checks and backup fallback) and MBR
 * (primary, extended and logical partitions), read through a block device. */
#ifndef WR_DISK_PARTITION_H
#define WR_DISK_PARTITION_H

#include "base/blockdev.h"
#include "base/guid.h"

#define WR_MAX_PARTITIONS 128 /* Windows' own limit for GPT; also caps MBR logical chains */
#define WR_PART_NAME_MAX 112  /* 36 UTF-16 units as UTF-8 (3 bytes each at most), plus NUL */

enum wr_table_kind {
    WR_TABLE_NONE, /* blank or unrecognised: no partitions */
    WR_TABLE_GPT,
    WR_TABLE_MBR,
};

struct wr_partition {
    uint32_t number;       /* GPT: entry index + 1; MBR: 1-4 primary, 5+ logical in chain order */
    uint64_t first_lba;    /* in the device's own sectors */
    uint64_t sector_count;
    /* GPT only */
    struct wr_guid type_guid;
    struct wr_guid part_guid;
    uint64_t attributes;
    char name[WR_PART_NAME_MAX]; /* UTF-8 */
    /* MBR only */
    uint8_t mbr_type;
    bool mbr_active;
    uint64_t mbr_entry_offset; /* byte offset on disk of the partition's 16-byte entry */
};

struct wr_partition_table {
    enum wr_table_kind kind;
    struct wr_guid disk_guid; /* GPT */
    uint32_t mbr_signature;   /* MBR disk signature (also present under a protective MBR) */
    bool used_backup_gpt;     /* the primary GPT was damaged; the backup was read */
    bool backup_gpt_bad;      /* the primary is fine but the backup is damaged or missing */
    uint32_t count;
    struct wr_partition parts[WR_MAX_PARTITIONS];
};

/* Reads the table on a whole-disk device. A disk with no recognisable table
 * is not an error: kind = WR_TABLE_NONE, count = 0. A damaged or hostile
 * table (both GPT copies bad, entries out of the disk, overlapping, a logical
 * chain that loops) is WR_E_CORRUPT with a message naming the defect. */
wr_status wr_partition_table_read(const struct wr_blockdev *dev,
                                  struct wr_partition_table *out, struct wr_err *err);

/* The partition with this number, or NULL. */
const struct wr_partition *wr_partition_find(const struct wr_partition_table *t,
                                             uint32_t number);

#endif
