/* Partition types that hold Windows data we cannot read: Storage Spaces
 * and dynamic disks (LDM). Recognised so they are reported "unsupported",
 * never "corrupt" (ntfs.md §15). */
#include "base/guid.h"
#include "windows/layout.h"

static const struct {
    struct wr_guid type;
    const char *what;
} kinds[] = {
    /* E75CAF8F-F680-4CEE-AFA3-B001E56EFC2D */
    { { { 0x8F, 0xAF, 0x5C, 0xE7, 0x80, 0xF6, 0xEE, 0x4C, 0xAF, 0xA3, 0xB0, 0x01, 0xE5, 0x6E,
          0xFC, 0x2D } }, "Storage Spaces (unsupported)" },
    /* E7ADDCB4-DC34-4539-9A76-EBBD07BE6F7E */
    { { { 0xB4, 0xDC, 0xAD, 0xE7, 0x34, 0xDC, 0x39, 0x45, 0x9A, 0x76, 0xEB, 0xBD, 0x07, 0xBE,
          0x6F, 0x7E } }, "Storage Spaces (unsupported)" },
    /* 5808C8AA-7E8F-42E0-85D2-E1E90434CFB3 */
    { { { 0xAA, 0xC8, 0x08, 0x58, 0x8F, 0x7E, 0xE0, 0x42, 0x85, 0xD2, 0xE1, 0xE9, 0x04, 0x34,
          0xCF, 0xB3 } }, "dynamic disk, LDM metadata (unsupported)" },
    /* AF9B60A0-1431-4F62-BC68-3311714A69AD */
    { { { 0xA0, 0x60, 0x9B, 0xAF, 0x31, 0x14, 0x62, 0x4F, 0xBC, 0x68, 0x33, 0x11, 0x71, 0x4A,
          0x69, 0xAD } }, "dynamic disk, LDM data (unsupported)" },
};

const char *wr_windows_unsupported_layout(const struct wr_partition_table *t,
                                          const struct wr_partition *p)
{
    if (t->kind == WR_TABLE_MBR) {
        if (p->mbr_type == 0x42)
            return "dynamic disk, LDM (unsupported)";
        if (p->mbr_type == 0xE7)
            return "Storage Spaces (unsupported)";
        return NULL;
    }
    for (size_t i = 0; i < WR_ARRAY_LEN(kinds); i++)
        if (wr_guid_equal(&kinds[i].type, &p->type_guid))
            return kinds[i].what;
    return NULL;
}
