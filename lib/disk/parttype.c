#include "base/fmt.h"
#include "disk/parttype.h"

/* Builds the on-disk (mixed-endian) bytes from the textual groups
 * aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, so the tables read like the specs. */
#define B(v, s) ((uint8_t)(((v) >> (s)) & 0xFF))
#define GUID(a, b, c, d, e)                                                        \
    { { B(a, 0), B(a, 8), B(a, 16), B(a, 24), B(b, 0), B(b, 8), B(c, 0), B(c, 8),   \
        B(d, 8), B(d, 0), B(e, 40), B(e, 32), B(e, 24), B(e, 16), B(e, 8), B(e, 0) } }

const struct wr_guid wr_gpt_type_esp =
    GUID(0xC12A7328u, 0xF81Fu, 0x11D2u, 0xBA4Bu, 0x00A0C93EC93BULL);
const struct wr_guid wr_gpt_type_msr =
    GUID(0xE3C9E316u, 0x0B5Cu, 0x4DB8u, 0x817Du, 0xF92DF00215AEULL);
const struct wr_guid wr_gpt_type_basic_data =
    GUID(0xEBD0A0A2u, 0xB9E5u, 0x4433u, 0x87C0u, 0x68B6B72699C7ULL);
const struct wr_guid wr_gpt_type_winre =
    GUID(0xDE94BBA4u, 0x06D1u, 0x4D40u, 0xA16Au, 0xBFD50179D6ACULL);

struct gpt_type_name {
    struct wr_guid type;
    const char *name;
};

static const struct gpt_type_name gpt_names[] = {
    { GUID(0xC12A7328u, 0xF81Fu, 0x11D2u, 0xBA4Bu, 0x00A0C93EC93BULL), "EFI system" },
    { GUID(0xE3C9E316u, 0x0B5Cu, 0x4DB8u, 0x817Du, 0xF92DF00215AEULL), "Microsoft reserved" },
    { GUID(0xEBD0A0A2u, 0xB9E5u, 0x4433u, 0x87C0u, 0x68B6B72699C7ULL), "Microsoft basic data" },
    { GUID(0xDE94BBA4u, 0x06D1u, 0x4D40u, 0xA16Au, 0xBFD50179D6ACULL), "Windows recovery" },
    { GUID(0x5808C8AAu, 0x7E8Fu, 0x42E0u, 0x85D2u, 0xE1E90434CFB3ULL), "Windows LDM metadata" },
    { GUID(0xAF9B60A0u, 0x1431u, 0x4F62u, 0xBC68u, 0x3311714A69ADULL), "Windows LDM data" },
    { GUID(0xE75CAF8Fu, 0xF680u, 0x4CEEu, 0xAFA3u, 0xB001E56EFC2DULL), "Storage Spaces" },
    { GUID(0xE7ADDCB4u, 0xDC34u, 0x4539u, 0x9A76u, 0xEBBD07BE6F7EULL), "Storage Spaces data" },
    { GUID(0x0FC63DAFu, 0x8483u, 0x4772u, 0x8E79u, 0x3D69D8477DE4ULL), "Linux filesystem" },
    { GUID(0x0657FD6Du, 0xA4ABu, 0x43C4u, 0x84E5u, 0x0933C84B4F4FULL), "Linux swap" },
    { GUID(0xE6D6D379u, 0xF507u, 0x44C2u, 0xA23Cu, 0x238F2A3DF928ULL), "Linux LVM" },
    { GUID(0xA19D880Fu, 0x05FCu, 0x4D3Bu, 0xA006u, 0x743F0F84911EULL), "Linux RAID" },
    { GUID(0x4F68BCE3u, 0xE8CDu, 0x4DB1u, 0x96E7u, 0xFBCAF984B709ULL), "Linux root (x86-64)" },
    { GUID(0x933AC7E1u, 0x2EB4u, 0x4F13u, 0xB844u, 0x0E14E2AEF915ULL), "Linux home" },
    { GUID(0x21686148u, 0x6449u, 0x6E6Fu, 0x744Eu, 0x656564454649ULL), "BIOS boot" },
    { GUID(0x48465300u, 0x0000u, 0x11AAu, 0xAA11u, 0x00306543ECACULL), "Apple HFS+" },
    { GUID(0x7C3457EFu, 0x0000u, 0x11AAu, 0xAA11u, 0x00306543ECACULL), "Apple APFS" },
    { GUID(0xFE3A2A5Du, 0x4F32u, 0x41A7u, 0xB725u, 0xACCC3285A309ULL), "ChromeOS kernel" },
};

struct mbr_type_name {
    uint8_t type;
    const char *name;
};

static const struct mbr_type_name mbr_names[] = {
    { 0x01, "FAT12" },
    { 0x04, "FAT16 <32M" },
    { 0x05, "Extended" },
    { 0x06, "FAT16" },
    { 0x07, "NTFS/exFAT" },
    { 0x0B, "FAT32" },
    { 0x0C, "FAT32 (LBA)" },
    { 0x0E, "FAT16 (LBA)" },
    { 0x0F, "Extended (LBA)" },
    { 0x27, "Windows recovery" },
    { 0x42, "Windows dynamic" },
    { 0x82, "Linux swap" },
    { 0x83, "Linux" },
    { 0x85, "Linux extended" },
    { 0x8E, "Linux LVM" },
    { 0xE7, "Storage Spaces" },
    { 0xEE, "GPT protective" },
    { 0xEF, "EFI system" },
};

const char *wr_gpt_type_name(const struct wr_guid *type)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(gpt_names); i++)
        if (wr_guid_equal(&gpt_names[i].type, type))
            return gpt_names[i].name;
    return NULL;
}

const char *wr_mbr_type_name(uint8_t type)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(mbr_names); i++)
        if (mbr_names[i].type == type)
            return mbr_names[i].name;
    return NULL;
}

const char *wr_partition_type_text(const struct wr_partition_table *t,
                                   const struct wr_partition *p, char *buf, size_t size)
{
    const char *known;

    if (t->kind == WR_TABLE_GPT) {
        known = wr_gpt_type_name(&p->type_guid);
        if (known) {
            wr_format(buf, size, "%s", known);
        } else {
            char text[WR_GUID_TEXT_LEN + 1];
            wr_guid_format(&p->type_guid, text, true);
            wr_format(buf, size, "%s", text);
        }
        return buf;
    }
    known = wr_mbr_type_name(p->mbr_type);
    if (known)
        wr_format(buf, size, "%s", known);
    else
        wr_format(buf, size, "type 0x%02X", p->mbr_type);
    return buf;
}

bool wr_partition_is_esp(const struct wr_partition_table *t, const struct wr_partition *p)
{
    if (t->kind == WR_TABLE_GPT)
        return wr_guid_equal(&p->type_guid, &wr_gpt_type_esp);
    return t->kind == WR_TABLE_MBR && p->mbr_type == 0xEF;
}

bool wr_partition_may_hold_windows(const struct wr_partition_table *t,
                                   const struct wr_partition *p)
{
    if (t->kind == WR_TABLE_GPT)
        return wr_guid_equal(&p->type_guid, &wr_gpt_type_basic_data);
    return t->kind == WR_TABLE_MBR && p->mbr_type == 0x07;
}
