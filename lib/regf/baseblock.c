#include "regf/baseblock.h"

#include "base/bytes.h"

void wr_regf_bb_read(const uint8_t *bb, struct wr_regf_bb *out)
{
    out->seq1 = wr_le32(bb + WR_REGF_BB_SEQ1);
    out->seq2 = wr_le32(bb + WR_REGF_BB_SEQ2);
    out->timestamp = wr_le64(bb + WR_REGF_BB_TIMESTAMP);
    out->major = wr_le32(bb + WR_REGF_BB_MAJOR);
    out->minor = wr_le32(bb + WR_REGF_BB_MINOR);
    out->type = wr_le32(bb + WR_REGF_BB_TYPE);
    out->format = wr_le32(bb + WR_REGF_BB_FORMAT);
    out->root = wr_le32(bb + WR_REGF_BB_ROOT);
    out->bins_size = wr_le32(bb + WR_REGF_BB_BINS_SIZE);
    out->cluster = wr_le32(bb + WR_REGF_BB_CLUSTER);
    out->flags = wr_le32(bb + WR_REGF_BB_FLAGS);
    out->checksum = wr_le32(bb + WR_REGF_BB_CHECKSUM);
    out->checksum_calc = wr_regf_bb_checksum(bb);
}

uint32_t wr_regf_bb_checksum(const uint8_t *bb)
{
    uint32_t sum = 0;
    for (size_t off = 0; off < WR_REGF_BB_CHECKSUM; off += 4)
        sum ^= wr_le32(bb + off);
    if (sum == 0xFFFFFFFFu)
        return 0xFFFFFFFEu;
    if (sum == 0)
        return 1;
    return sum;
}

bool wr_regf_bb_checksum_ok(const uint8_t *bb)
{
    return wr_le32(bb + WR_REGF_BB_CHECKSUM) == wr_regf_bb_checksum(bb);
}

wr_status wr_regf_bb_check(const uint8_t *bb, size_t len, uint32_t expected_type,
                           const char *name, struct wr_err *err)
{
    if (!name)
        name = "hive";
    if (len < WR_REGF_LOG_HEADER_SIZE)
        return wr_fail(err, WR_E_CORRUPT, "%s: %zu bytes is too short for a base block", name, len);
    if (memcmp(bb, "regf", 4) != 0)
        return wr_fail(err, WR_E_CORRUPT, "%s: no \"regf\" signature at offset 0", name);
    struct wr_regf_bb f;
    wr_regf_bb_read(bb, &f);
    if (f.checksum != f.checksum_calc)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: base block checksum at 0x1fc is 0x%08x, computed 0x%08x", name,
                       f.checksum, f.checksum_calc);
    if (f.major != 1 || f.minor < 3 || f.minor > 6)
        return wr_fail(err, WR_E_CORRUPT, "%s: unsupported hive version %u.%u at 0x14", name,
                       f.major, f.minor);
    if (f.type != expected_type)
        return wr_fail(err, WR_E_CORRUPT, "%s: file type %u at 0x1c, expected %u", name, f.type,
                       expected_type);
    if (f.format != 1)
        return wr_fail(err, WR_E_CORRUPT, "%s: file format %u at 0x20, expected 1", name, f.format);
    if (f.bins_size == 0 || f.bins_size % WR_REGF_BIN_ALIGN != 0)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: hive bins size 0x%x at 0x28 is not a non-zero multiple of 4096",
                       name, f.bins_size);
    if (f.root == 0xFFFFFFFFu)
        return wr_fail(err, WR_E_CORRUPT, "%s: root cell offset at 0x24 is NIL", name);
    return WR_OK;
}

bool wr_regf_bb_is_dirty(const uint8_t *bb)
{
    return wr_le32(bb + WR_REGF_BB_SEQ1) != wr_le32(bb + WR_REGF_BB_SEQ2) ||
           !wr_regf_bb_checksum_ok(bb);
}

void wr_regf_bb_update_checksum(uint8_t *bb)
{
    wr_put_le32(bb + WR_REGF_BB_CHECKSUM, wr_regf_bb_checksum(bb));
}

void wr_regf_bb_set_seq(uint8_t *bb, uint32_t seq1, uint32_t seq2)
{
    wr_put_le32(bb + WR_REGF_BB_SEQ1, seq1);
    wr_put_le32(bb + WR_REGF_BB_SEQ2, seq2);
    wr_regf_bb_update_checksum(bb);
}

void wr_regf_bb_set_bins_size(uint8_t *bb, uint32_t bins_size)
{
    wr_put_le32(bb + WR_REGF_BB_BINS_SIZE, bins_size);
    wr_regf_bb_update_checksum(bb);
}

void wr_regf_bb_set_type(uint8_t *bb, uint32_t type)
{
    wr_put_le32(bb + WR_REGF_BB_TYPE, type);
    wr_regf_bb_update_checksum(bb);
}
