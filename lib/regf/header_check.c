#include "regf/validate.h"

void wr_regf_check_header(const uint8_t *data, size_t len, bool salvage, struct regf_report *r,
                       struct regf_header_state *s)
{
    struct wr_regf_bb f;

    memset(s, 0, sizeof *s);
    if (len < WR_REGF_BASE_BLOCK_SIZE || memcmp(data, "regf", 4) != 0) {
        if (len >= 4 && memcmp(data, "regf", 4) != 0)
            wr_regf_report(r, WR_REGF_F_HEADER_SIGNATURE, 0, "no \"regf\" signature at offset 0");
        else
            wr_regf_report(r, WR_REGF_F_TRUNCATED, 0,
                        "%zu bytes is shorter than the 4096-byte base block", len);
        return;
    }
    wr_regf_bb_read(data, &f);
    s->usable = true;
    if (f.checksum != f.checksum_calc) {
        wr_regf_report(r, WR_REGF_F_HEADER_CHECKSUM, WR_REGF_BB_CHECKSUM,
                    "base block checksum is 0x%08x, computed 0x%08x", f.checksum,
                    f.checksum_calc);
        s->dirty = true;
        s->dirty_findings++;
    }
    if (f.seq1 != f.seq2) {
        wr_regf_report(r, WR_REGF_F_DIRTY, WR_REGF_BB_SEQ1,
                    "sequence numbers %u/%u differ: the hive needs log recovery", f.seq1,
                    f.seq2);
        s->dirty = true;
        s->dirty_findings++;
    }
    if (f.major != 1 || f.minor < 3 || f.minor > 6) {
        wr_regf_report(r, WR_REGF_F_HEADER_VERSION, WR_REGF_BB_MAJOR,
                    "hive version %u.%u is not 1.3 to 1.6", f.major, f.minor);
        s->usable = false;
    }
    if (f.type != WR_REGF_TYPE_PRIMARY) {
        wr_regf_report(r, WR_REGF_F_HEADER_TYPE, WR_REGF_BB_TYPE,
                    "file type %u is not 0 (a primary hive file)", f.type);
        s->usable = salvage;
    }
    if (f.format != 1) {
        wr_regf_report(r, WR_REGF_F_HEADER_FORMAT, WR_REGF_BB_FORMAT,
                    "file format %u is not 1", f.format);
        s->usable = s->usable && salvage;
    }
    if (f.cluster != 1)
        wr_regf_report(r, WR_REGF_F_HEADER_CLUSTER, WR_REGF_BB_CLUSTER,
                    "clustering factor %u is not 1", f.cluster);
    if (f.flags & WR_REGF_FLAG_KTM_LOCKED) {
        wr_regf_report(r, WR_REGF_F_KTM_LOCKED, WR_REGF_BB_FLAGS,
                    "flag bit 0 set: KTM transactions were pending");
        s->ktm_locked = true;
    }
    if (f.root == WR_REGF_NIL) {
        wr_regf_report(r, WR_REGF_F_ROOT, WR_REGF_BB_ROOT, "root cell offset is NIL");
        s->usable = false;
    }
    if (f.bins_size == 0 || f.bins_size % WR_REGF_BIN_ALIGN != 0 || f.bins_size > REGF_MAX_HIVE) {
        wr_regf_report(r, WR_REGF_F_HEADER_BINS_SIZE, WR_REGF_BB_BINS_SIZE,
                    "hive bins size 0x%x is not a non-zero multiple of 4096 (at most 1 GiB)",
                    f.bins_size);
        s->usable = false;
        return;
    }
    s->bins_size = f.bins_size;
    size_t end = WR_REGF_BASE_BLOCK_SIZE + (size_t)f.bins_size;
    /* Slack after the bins is normal; a well-formed bin that carries on
     * where the declared size stops means the size field is wrong. */
    if (len >= end + 32 && memcmp(data + end, "hbin", 4) == 0 &&
        wr_le32(data + end + 4) == f.bins_size)
        wr_regf_report(r, WR_REGF_F_HEADER_BINS_SIZE, WR_REGF_BB_BINS_SIZE,
                    "hive bins size 0x%x, but another bin follows at file offset 0x%zx",
                    f.bins_size, end);
    if (len - WR_REGF_BASE_BLOCK_SIZE < f.bins_size) {
        wr_regf_report(r, WR_REGF_F_TRUNCATED, len,
                    "file is %zu bytes but the header declares 0x%x bytes of bins", len,
                    f.bins_size);
        s->bins_size = (uint32_t)((len - WR_REGF_BASE_BLOCK_SIZE) / WR_REGF_BIN_ALIGN *
                                  WR_REGF_BIN_ALIGN);
        if (!salvage || s->bins_size == 0)
            s->usable = false;
    }
}
