/* Walking the attributes of one fixed-up record, every length checked. */
#include "ntfs/internal.h"

static wr_status bad(uint64_t recno, uint32_t pos, const char *why, struct wr_err *err)
{
    return wr_fail(err, WR_E_CORRUPT, "MFT record %llu: attribute at offset %u: %s",
                   (unsigned long long)recno, pos, why);
}

static wr_status parse_resident(struct ntfs_attr *a, uint64_t recno, uint32_t pos,
                                struct wr_err *err)
{
    uint32_t vlen = wr_le32(a->base + 0x10);
    uint16_t voff = wr_le16(a->base + 0x14);

    if (a->length < 24)
        return bad(recno, pos, "resident header too short", err);
    if (!wr_span_ok(voff, vlen, a->length))
        return bad(recno, pos, "resident value lies outside the attribute", err);
    a->value = a->base + voff;
    a->value_len = vlen;
    return WR_OK;
}

static wr_status parse_nonresident(struct ntfs_attr *a, uint64_t recno, uint32_t pos,
                                   struct wr_err *err)
{
    const uint8_t *b = a->base;
    uint16_t mp;

    if (a->length < 64)
        return bad(recno, pos, "non-resident header too short", err);
    a->lowest_vcn = wr_le64(b + 0x10);
    a->highest_vcn = wr_le64(b + 0x18);
    mp = wr_le16(b + 0x20);
    a->cu_log2 = b[0x22];
    a->alloc_size = wr_le64(b + 0x28);
    a->data_size = wr_le64(b + 0x30);
    a->init_size = wr_le64(b + 0x38);
    if (mp < 64 || mp >= a->length)
        return bad(recno, pos, "mapping pairs offset outside the attribute", err);
    if (a->lowest_vcn >= (1ULL << 62) ||
        (a->highest_vcn != UINT64_MAX && a->highest_vcn >= (1ULL << 62)) ||
        (a->highest_vcn != UINT64_MAX && a->lowest_vcn > a->highest_vcn + 1))
        return bad(recno, pos, "VCN range invalid", err);
    if (a->lowest_vcn == 0 &&
        (a->alloc_size >= (1ULL << 62) || a->data_size > a->alloc_size ||
         a->init_size > a->data_size))
        return bad(recno, pos, "sizes inconsistent (initialized <= data <= allocated)", err);
    a->pairs = b + mp;
    a->pairs_len = a->length - mp;
    return WR_OK;
}

wr_status wr_ntfs_attr_next(const uint8_t *rec, uint32_t in_use, uint32_t *pos,
                         struct ntfs_attr *a, uint64_t recno, struct wr_err *err)
{
    uint32_t p = *pos ? *pos : wr_le16(rec + 0x14);
    uint16_t name_off;

    if (!wr_span_ok(p, 4, in_use))
        return bad(recno, p, "no end marker before the end of the record", err);
    memset(a, 0, sizeof *a);
    a->type = wr_le32(rec + p);
    if (a->type == AT_END)
        return WR_E_NOT_FOUND;
    if (!wr_span_ok(p, 16, in_use))
        return bad(recno, p, "header crosses the end of the record", err);
    a->length = wr_le32(rec + p + 4);
    if (a->length < 16 || a->length % 8 || !wr_span_ok(p, a->length, in_use))
        return bad(recno, p, "length invalid", err);
    a->base = rec + p;
    a->nonres = rec[p + 8] != 0;
    a->name_len = rec[p + 9];
    name_off = wr_le16(rec + p + 10);
    a->flags = wr_le16(rec + p + 12);
    a->instance = wr_le16(rec + p + 14);
    if (rec[p + 8] > 1)
        return bad(recno, p, "non-resident flag is not 0 or 1", err);
    if (a->name_len && !wr_span_ok(name_off, 2u * a->name_len, a->length))
        return bad(recno, p, "name lies outside the attribute", err);
    a->name = a->base + name_off;
    *pos = p + a->length;
    return a->nonres ? parse_nonresident(a, recno, p, err) : parse_resident(a, recno, p, err);
}

bool wr_ntfs_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, 2 * alen) == 0);
}
