/* Multi-sector records (FILE, INDX): fixups and FILE record headers. */
#include "ntfs/internal.h"

/* The stride is 512 bytes whatever the sector size (ntfs.md §2). */
wr_status wr_ntfs_fixup(uint8_t *buf, uint32_t size, const char *sig, const char *what,
                     struct wr_err *err)
{
    uint16_t usa_off, usa_count, usn;

    if (memcmp(buf, "BAAD", 4) == 0)
        return wr_fail(err, WR_E_CORRUPT, "%s: marked bad (BAAD) by chkdsk", what);
    if (memcmp(buf, sig, 4) != 0)
        return wr_fail(err, WR_E_CORRUPT, "%s: signature is not \"%s\"", what, sig);
    if (size % 512 || size < 512)
        return wr_fail(err, WR_E_CORRUPT, "%s: size %u is not a multiple of 512", what, size);
    usa_off = wr_le16(buf + 4);
    usa_count = wr_le16(buf + 6);
    if (usa_off & 1 || usa_off < 8 || (uint32_t)usa_off + 2u * usa_count > 510)
        return wr_fail(err, WR_E_CORRUPT, "%s: update sequence array at %u (%u entries) is "
                       "outside the first stride", what, usa_off, usa_count);
    if (usa_count != 1 + size / 512)
        return wr_fail(err, WR_E_CORRUPT, "%s: update sequence count %u, expected %u", what,
                       usa_count, 1 + size / 512);
    usn = wr_le16(buf + usa_off);
    for (uint32_t i = 1; i < usa_count; i++) {
        uint8_t *tail = buf + i * 512 - 2;
        if (wr_le16(tail) != usn)
            return wr_fail(err, WR_E_CORRUPT, "%s: torn write: stride %u does not end with "
                           "the update sequence number", what, i - 1);
    }
    for (uint32_t i = 1; i < usa_count; i++)
        memcpy(buf + i * 512 - 2, buf + usa_off + 2 * i, 2);
    return WR_OK;
}

wr_status wr_ntfs_record_check(struct wr_ntfs *v, uint8_t *buf, uint64_t recno,
                            uint32_t *in_use, struct wr_err *err)
{
    char what[80];
    uint16_t first, usa_end;
    uint32_t used, alloc;
    wr_status st;

    wr_format(what, sizeof what, "%s: MFT record %llu", v->name, (unsigned long long)recno);
    st = wr_ntfs_fixup(buf, v->record_size, "FILE", what, err);
    if (st)
        return st;
    usa_end = (uint16_t)(wr_le16(buf + 4) + 2 * wr_le16(buf + 6));
    first = wr_le16(buf + 0x14);
    used = wr_le32(buf + 0x18);
    alloc = wr_le32(buf + 0x1C);
    if (alloc != v->record_size)
        return wr_fail(err, WR_E_CORRUPT, "%s: allocated size %u, expected %u", what, alloc,
                       v->record_size);
    if (used > alloc || used % 8)
        return wr_fail(err, WR_E_CORRUPT, "%s: bytes in use %u invalid (allocated %u)", what,
                       used, alloc);
    if (first % 8 || first < usa_end || (uint32_t)first + 4 > used)
        return wr_fail(err, WR_E_CORRUPT, "%s: first attribute offset %u invalid (in use %u)",
                       what, first, used);
    /* NTFS 3.1 records carry their own number; older ones have the USA there. */
    if (wr_le16(buf + 4) >= 0x30 && wr_le32(buf + 0x2C) != (uint32_t)recno)
        return wr_fail(err, WR_E_CORRUPT, "%s: header says it is record %u", what,
                       wr_le32(buf + 0x2C));
    *in_use = used;
    return WR_OK;
}

wr_status wr_ntfs_record_read(struct wr_ntfs *v, uint64_t recno, uint8_t *buf,
                           uint32_t *in_use, struct wr_err *err)
{
    wr_status st;

    if (recno >= v->mft_records)
        return wr_fail(err, WR_E_CORRUPT, "%s: MFT record %llu is beyond the $MFT (%llu records)",
                       v->name, (unsigned long long)recno, (unsigned long long)v->mft_records);
    st = wr_ntfs_runs_read(v, &v->mft, recno * v->record_size, buf, v->record_size, err);
    if (st) {
        wr_err_prefix(err, st, "MFT record %llu: ", (unsigned long long)recno);
        return st;
    }
    return wr_ntfs_record_check(v, buf, recno, in_use, err);
}
