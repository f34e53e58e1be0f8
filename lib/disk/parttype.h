/* Names for partition types, and the questions the rest of the code asks. */
#ifndef WR_DISK_PARTTYPE_H
#define WR_DISK_PARTTYPE_H

#include "disk/partition.h"

/* Well-known GPT type GUIDs (on-disk byte order). */
extern const struct wr_guid wr_gpt_type_esp;
extern const struct wr_guid wr_gpt_type_msr;
extern const struct wr_guid wr_gpt_type_basic_data;
extern const struct wr_guid wr_gpt_type_winre;

/* "EFI system", "Microsoft reserved", "Microsoft basic data",
 * "Windows recovery", "Linux filesystem", "Linux swap", ...; or NULL. */
const char *wr_gpt_type_name(const struct wr_guid *type);
/* "FAT32 (LBA)", "NTFS/exFAT", "EFI system", "Extended", ...; or NULL. */
const char *wr_mbr_type_name(uint8_t type);
/* A short display name for any partition: a known name, else the GUID or
 * "type 0xNN", written into buf (at least 48 bytes). */
const char *wr_partition_type_text(const struct wr_partition_table *t,
                                   const struct wr_partition *p, char *buf, size_t size);

bool wr_partition_is_esp(const struct wr_partition_table *t, const struct wr_partition *p);
/* Where Windows may live: GPT basic data, or MBR 0x07. */
bool wr_partition_may_hold_windows(const struct wr_partition_table *t,
                                   const struct wr_partition *p);

#endif
