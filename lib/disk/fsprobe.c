/* Filesystem identification from the first sector. The FAT type is decided
 * the way Microsoft's FAT specification does, by the cluster count the BPB
 * implies, never by the "FAT12   " text, which is only a comment. */
#include "base/bytes.h"
#include "disk/fsprobe.h"

#define FAT12_MAX_CLUSTERS 4085
#define FAT16_MAX_CLUSTERS 65525
#define FAT_LABEL_LEN 11
#define EXT_BOOT_SIGNATURE 0x29
#define EXT_BOOT_SIGNATURE_SERIAL_ONLY 0x28
#define PROBE_BYTES 512

/* "BitLocker To Go" volumes carry a FAT-looking boot sector, recognised by
 * this identifier at 0x1A8 (on-disk bytes of 4967D63B-2E29-4AD8-8399-F6A339E3D001). */
static const uint8_t bitlocker_togo_guid[16] = {
    0x3b, 0xd6, 0x67, 0x49, 0x29, 0x2e, 0xd8, 0x4a,
    0x83, 0x99, 0xf6, 0xa3, 0x39, 0xe3, 0xd0, 0x01,
};

static bool is_power_of_two(uint32_t v)
{
    return v && !(v & (v - 1));
}

static bool oem_is(const uint8_t *bs, const char *oem)
{
    return memcmp(bs + 3, oem, 8) == 0;
}

static bool is_bitlocker(const uint8_t *bs)
{
    return oem_is(bs, "-FVE-FS-") ||
           (oem_is(bs, "MSWIN4.1") && memcmp(bs + 0x1A8, bitlocker_togo_guid, 16) == 0);
}

static bool is_refs(const uint8_t *bs)
{
    static const uint8_t zero[3];
    return memcmp(bs, zero, 3) == 0 && memcmp(bs + 3, "ReFS\0\0\0\0", 8) == 0 &&
           memcmp(bs + 0x10, "FSRS", 4) == 0;
}

/* Copies an 11-byte FAT label without its space padding; "NO NAME" is how
 * formatters say there is none. Bytes >= 0x80 are OEM code page text we
 * cannot translate, so they become '?' to keep the result valid UTF-8. */
static void copy_fat_label(const uint8_t *raw, char *out, size_t size)
{
    size_t len = FAT_LABEL_LEN;

    while (len && (raw[len - 1] == ' ' || raw[len - 1] == 0))
        len--;
    if (len == 7 && memcmp(raw, "NO NAME", 7) == 0)
        len = 0;
    if (len >= size)
        len = size - 1;
    for (size_t i = 0; i < len; i++)
        out[i] = (raw[i] >= 0x20 && raw[i] < 0x80) ? (char)raw[i] : '?';
    out[len] = '\0';
}

/* Returns WR_FS_UNKNOWN unless the BPB is sane and its arithmetic works out. */
static enum wr_fs_kind fat_kind(const uint8_t *bs)
{
    uint32_t bytes_per_sector = wr_le16(bs + 11);
    uint32_t sectors_per_cluster = bs[13];
    uint32_t reserved = wr_le16(bs + 14);
    uint32_t fat_count = bs[16];
    uint32_t root_entries = wr_le16(bs + 17);
    uint32_t total = wr_le16(bs + 19) ? wr_le16(bs + 19) : wr_le32(bs + 32);
    uint32_t fat_size = wr_le16(bs + 22) ? wr_le16(bs + 22) : wr_le32(bs + 36);
    uint64_t root_sectors, overhead, clusters;

    if (!(bs[0] == 0xEB && bs[2] == 0x90) && bs[0] != 0xE9)
        return WR_FS_UNKNOWN;
    if (!is_power_of_two(bytes_per_sector) || bytes_per_sector < 512 ||
        bytes_per_sector > 4096 || !is_power_of_two(sectors_per_cluster) ||
        reserved == 0 || fat_count == 0 || fat_size == 0)
        return WR_FS_UNKNOWN;
    root_sectors = ((uint64_t)root_entries * 32 + bytes_per_sector - 1) / bytes_per_sector;
    overhead = reserved + (uint64_t)fat_count * fat_size + root_sectors;
    if (overhead >= total)
        return WR_FS_UNKNOWN;
    clusters = (total - overhead) / sectors_per_cluster;
    if (clusters < FAT12_MAX_CLUSTERS)
        return WR_FS_FAT12;
    if (clusters < FAT16_MAX_CLUSTERS)
        return WR_FS_FAT16;
    return WR_FS_FAT32;
}

static void fat_details(const uint8_t *bs, enum wr_fs_kind kind, struct wr_fs_info *out)
{
    /* FAT32's BPB is 28 bytes longer, which moves the extended fields. */
    const uint8_t *ext = bs + (kind == WR_FS_FAT32 ? 64 : 36);

    /* 0x28 (DOS 4.0) carries only the serial; 0x29 adds label and type. */
    if (ext[2] != EXT_BOOT_SIGNATURE && ext[2] != EXT_BOOT_SIGNATURE_SERIAL_ONLY)
        return;
    out->serial = wr_le32(ext + 3);
    if (ext[2] == EXT_BOOT_SIGNATURE)
        copy_fat_label(ext + 7, out->label, sizeof out->label);
}

void wr_fs_identify(const uint8_t *bs, struct wr_fs_info *out)
{
    memset(out, 0, sizeof *out);
    if (is_bitlocker(bs)) {
        out->kind = WR_FS_BITLOCKER;
    } else if (oem_is(bs, "NTFS    ")) {
        out->kind = WR_FS_NTFS;
        out->serial = wr_le32(bs + 0x48);
    } else if (oem_is(bs, "EXFAT   ")) {
        out->kind = WR_FS_EXFAT;
        out->serial = wr_le32(bs + 100);
    } else if (is_refs(bs)) {
        out->kind = WR_FS_REFS;
    } else {
        out->kind = fat_kind(bs);
        if (out->kind != WR_FS_UNKNOWN)
            fat_details(bs, out->kind, out);
    }
}

wr_status wr_fs_probe(const struct wr_blockdev *dev, struct wr_fs_info *out,
                      struct wr_err *err)
{
    uint8_t *sector;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (dev->sector_count == 0 || dev->sector_size < PROBE_BYTES)
        return WR_OK;
    sector = wr_alloc(dev->sector_size);
    if (!sector)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", dev->name);
    st = wr_blockdev_read(dev, 0, 1, sector, err);
    if (!st)
        wr_fs_identify(sector, out);
    wr_free(sector);
    return st;
}

const char *wr_fs_name(enum wr_fs_kind kind)
{
    switch (kind) {
    case WR_FS_FAT12: return "FAT12";
    case WR_FS_FAT16: return "FAT16";
    case WR_FS_FAT32: return "FAT32";
    case WR_FS_EXFAT: return "exFAT";
    case WR_FS_NTFS: return "NTFS";
    case WR_FS_BITLOCKER: return "BitLocker";
    case WR_FS_REFS: return "ReFS";
    case WR_FS_UNKNOWN: break;
    }
    return "unknown";
}
