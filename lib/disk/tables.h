/* The two table readers behind wr_partition_table_read (internal to lib/disk). */
#ifndef WR_DISK_TABLES_H
#define WR_DISK_TABLES_H

#include "disk/partition.h"

/* WR_E_NOT_FOUND (with a message) when neither GPT copy carries the
 * "EFI PART" signature; WR_E_CORRUPT when a GPT is there but unusable. */
wr_status wr_gpt_read(const struct wr_blockdev *dev, struct wr_partition_table *out,
                      struct wr_err *err);

/* The 16-byte MBR partition record. */
struct wr_mbr_record {
    uint8_t status;
    uint8_t type;
    uint32_t first_lba;
    uint32_t sector_count;
};

void wr_mbr_record_decode(const uint8_t *sector, unsigned slot, struct wr_mbr_record *rec);
bool wr_mbr_has_signature(const uint8_t *sector);
/* True when the four records look like a partition table (status bytes 0x00
 * or 0x80), which tells an MBR from a volume boot sector's boot code. */
bool wr_mbr_records_plausible(const uint8_t *sector);
bool wr_mbr_is_extended_type(uint8_t type);

/* Reads primaries and the logical chain; sector0 is LBA 0 as already read. */
wr_status wr_mbr_read(const struct wr_blockdev *dev, const uint8_t *sector0,
                      struct wr_partition_table *out, struct wr_err *err);

#endif
