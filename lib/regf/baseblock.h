/* The regf base block (first 4096 bytes of a primary, first 512 of a log):
 * parse, check, checksum and update. Shared by the reader, recovery and the
 * commit code. All functions work on raw bytes. */
#ifndef WR_REGF_BASEBLOCK_H
#define WR_REGF_BASEBLOCK_H

#include "base/status.h"

#define WR_REGF_BASE_BLOCK_SIZE 4096u
#define WR_REGF_LOG_HEADER_SIZE 512u
#define WR_REGF_BIN_ALIGN 4096u

/* Field offsets (regf-format.md §2). */
enum {
    WR_REGF_BB_SIGNATURE = 0x000,
    WR_REGF_BB_SEQ1 = 0x004,
    WR_REGF_BB_SEQ2 = 0x008,
    WR_REGF_BB_TIMESTAMP = 0x00C,
    WR_REGF_BB_MAJOR = 0x014,
    WR_REGF_BB_MINOR = 0x018,
    WR_REGF_BB_TYPE = 0x01C,
    WR_REGF_BB_FORMAT = 0x020,
    WR_REGF_BB_ROOT = 0x024,
    WR_REGF_BB_BINS_SIZE = 0x028,
    WR_REGF_BB_CLUSTER = 0x02C,
    WR_REGF_BB_FILE_NAME = 0x030,
    WR_REGF_BB_FLAGS = 0x090,
    WR_REGF_BB_CHECKSUM = 0x1FC,
};

enum {
    WR_REGF_TYPE_PRIMARY = 0,
    WR_REGF_TYPE_LOG_OLD = 1,
    WR_REGF_TYPE_LOG_OLD_NT = 2,
    WR_REGF_TYPE_LOG_NEW = 6,
};

#define WR_REGF_FLAG_KTM_LOCKED 0x1u

struct wr_regf_bb {
    uint32_t seq1, seq2;
    uint64_t timestamp;
    uint32_t major, minor;
    uint32_t type;
    uint32_t format;
    uint32_t root;
    uint32_t bins_size;
    uint32_t cluster;
    uint32_t flags;
    uint32_t checksum;      /* stored */
    uint32_t checksum_calc; /* computed */
};

/* Reads the fields of a base block; len must be >= 512. */
void wr_regf_bb_read(const uint8_t *bb, struct wr_regf_bb *out);

/* The XOR-32 checksum of bytes 0..0x1FB, with 0 -> 1 and -1 -> -2. */
uint32_t wr_regf_bb_checksum(const uint8_t *bb);
bool wr_regf_bb_checksum_ok(const uint8_t *bb);

/* Why a base block is unusable, or WR_OK. `expected_type` is
 * WR_REGF_TYPE_PRIMARY for a primary; for a log pass its type (1, 2 or 6).
 * Checks signature, checksum, major 1, minor 3..6, type, format 1, bins size
 * (non-zero multiple of 4096) and root != NIL. Does not check seq1 == seq2
 * (that is "dirty", see wr_regf_bb_is_dirty) nor the cluster factor. */
wr_status wr_regf_bb_check(const uint8_t *bb, size_t len, uint32_t expected_type,
                           const char *name, struct wr_err *err);

/* seq1 != seq2 or a wrong checksum (regf-format.md §2 "Dirty"). */
bool wr_regf_bb_is_dirty(const uint8_t *bb);

/* Writers: set a field and recompute the checksum last. */
void wr_regf_bb_set_seq(uint8_t *bb, uint32_t seq1, uint32_t seq2);
void wr_regf_bb_set_bins_size(uint8_t *bb, uint32_t bins_size);
void wr_regf_bb_set_type(uint8_t *bb, uint32_t type);
void wr_regf_bb_update_checksum(uint8_t *bb);

#endif
