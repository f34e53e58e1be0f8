/* The NTFS boot sector, and what a first sector says about the volume. */
#include "ntfs/internal.h"

static const uint8_t bitlocker_guid[16] = { /* 4967D63B-2E29-4AD8-8399-F6A339E3D001 */
    0x3B, 0xD6, 0x67, 0x49, 0x29, 0x2E, 0xD8, 0x4A,
    0x83, 0x99, 0xF6, 0xA3, 0x39, 0xE3, 0xD0, 0x01,
};

enum wr_ntfs_kind wr_ntfs_sniff(const uint8_t *s, size_t len)
{
    if (len < 512)
        return WR_NTFS_KIND_OTHER;
    if (memcmp(s + 3, "-FVE-FS-", 8) == 0)
        return WR_NTFS_KIND_BITLOCKER;
    if (memcmp(s + 3, "MSWIN4.1", 8) == 0 && memcmp(s + 0x1A8, bitlocker_guid, 16) == 0)
        return WR_NTFS_KIND_BITLOCKER_TOGO;
    if (memcmp(s + 3, "ReFS\0\0\0\0", 8) == 0 && memcmp(s + 0x10, "FSRS", 4) == 0)
        return WR_NTFS_KIND_REFS;
    if (memcmp(s + 3, "NTFS    ", 8) == 0)
        return WR_NTFS_KIND_NTFS;
    return WR_NTFS_KIND_OTHER;
}

const char *wr_ntfs_kind_name(enum wr_ntfs_kind kind)
{
    switch (kind) {
    case WR_NTFS_KIND_NTFS: return "NTFS";
    case WR_NTFS_KIND_BITLOCKER: return "BitLocker-encrypted";
    case WR_NTFS_KIND_BITLOCKER_TOGO: return "BitLocker To Go (encrypted)";
    case WR_NTFS_KIND_REFS: return "ReFS (unsupported)";
    default: return "other";
    }
}

static bool pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

/* Clusters-per-record bytes: 1..127 clusters, or -31..-9 meaning 2^-v bytes. */
static wr_status record_bytes(struct wr_ntfs *v, int8_t enc, const char *what, uint32_t *out,
                              struct wr_err *err)
{
    uint64_t bytes;

    if (enc > 0)
        bytes = (uint64_t)enc * v->cluster_size;
    else if (enc >= -31 && enc <= -9)
        bytes = 1ULL << -enc;
    else
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: %s size code %d is invalid",
                       v->name, what, enc);
    if (!pow2(bytes) || bytes < 512 || bytes > 65536)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: %s size %llu bytes is invalid",
                       v->name, what, (unsigned long long)bytes);
    *out = (uint32_t)bytes;
    return WR_OK;
}

static wr_status cluster_geometry(struct wr_ntfs *v, const uint8_t *bs, struct wr_err *err)
{
    uint16_t bps = wr_le16(bs + 0x0B);
    uint8_t spc = bs[0x0D];
    uint64_t sectors;

    if (!pow2(bps) || bps < 256 || bps > 4096)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: %u bytes per sector", v->name, bps);
    if (spc <= 0x80 && pow2(spc))
        sectors = spc;
    else if (spc >= 0xF4 && spc <= 0xFD)
        sectors = 1ULL << (256 - spc);
    else
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: sectors-per-cluster code 0x%02x",
                       v->name, spc);
    if (sectors * bps > 2u * 1024 * 1024 || sectors * bps < 512)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: cluster size %llu bytes",
                       v->name, (unsigned long long)(sectors * bps));
    v->sector_size = bps;
    v->cluster_size = (uint32_t)(sectors * bps);
    v->cluster_shift = 0;
    while ((1u << v->cluster_shift) < v->cluster_size)
        v->cluster_shift++;
    return WR_OK;
}

wr_status wr_ntfs_boot_parse(struct wr_ntfs *v, const uint8_t *bs, uint64_t dev_bytes,
                          struct wr_err *err)
{
    wr_status st;

    if (memcmp(bs + 3, "NTFS    ", 8) != 0)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: no NTFS signature", v->name);
    if (wr_le16(bs + 0x0E) || bs[0x10] || wr_le16(bs + 0x11) || wr_le16(bs + 0x13) ||
        wr_le16(bs + 0x16) || wr_le32(bs + 0x20))
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: FAT fields are not zero", v->name);
    st = cluster_geometry(v, bs, err);
    if (st)
        return st;
    v->total_sectors = wr_le64(bs + 0x28);
    if (v->total_sectors == 0 || v->total_sectors > dev_bytes / v->sector_size)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: boot sector: %llu sectors of %u bytes exceed the partition (%llu bytes)",
                       v->name, (unsigned long long)v->total_sectors, v->sector_size,
                       (unsigned long long)dev_bytes);
    v->cluster_count = v->total_sectors / (v->cluster_size / v->sector_size);
    v->mft_lcn = wr_le64(bs + 0x30);
    v->mftmirr_lcn = wr_le64(bs + 0x38);
    if (v->mft_lcn == 0 || v->mft_lcn >= v->cluster_count || v->mftmirr_lcn == 0 ||
        v->mftmirr_lcn >= v->cluster_count || v->mft_lcn == v->mftmirr_lcn)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: $MFT LCN %llu / $MFTMirr LCN %llu "
                       "invalid for %llu clusters", v->name, (unsigned long long)v->mft_lcn,
                       (unsigned long long)v->mftmirr_lcn, (unsigned long long)v->cluster_count);
    st = record_bytes(v, (int8_t)bs[0x40], "MFT record", &v->record_size, err);
    if (!st)
        st = record_bytes(v, (int8_t)bs[0x44], "index record", &v->index_size, err);
    if (st)
        return st;
    if (v->record_size < v->sector_size && v->record_size < 1024)
        return wr_fail(err, WR_E_CORRUPT, "%s: boot sector: MFT record size %u is below the "
                       "sector size", v->name, v->record_size);
    v->serial = wr_le64(bs + 0x48);
    return WR_OK;
}
