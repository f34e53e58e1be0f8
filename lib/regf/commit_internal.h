/* Shared by the commit files. Not public. */
#ifndef WR_REGF_COMMIT_INTERNAL_H
#define WR_REGF_COMMIT_INTERNAL_H

#include "regf/commit.h"
#include "regf/log_internal.h"

/* Largest primary or log the commit code reads back. */
#define WR_REGF_COMMIT_READ_MAX ((size_t)WR_REGF_BASE_SIZE + WR_REGF_MAX_BINS)

/* A run of changed bytes of the bins: offset and size, multiples of 512. */
struct wr_regf_run {
    uint32_t off;
    uint32_t size;
};

/* A new-format log: 512-byte header (from `hdr`, type 6, seq1 = seq2 =
 * seq) and one HvLE entry with sequence `seq` holding the runs. */
wr_status wr_regf_build_log(const uint8_t *image, const uint8_t *hdr, uint32_t seq,
                            const struct wr_regf_run *runs, size_t nruns, uint8_t **out,
                            size_t *out_len, struct wr_err *err);

/* Reads `path` back: its base block must equal hdr and its bins the
 * image's (len = 4096 + bins size). */
wr_status wr_regf_verify_file(const struct wr_volume *vol, const char *path, const uint8_t *hdr,
                              const uint8_t *image, size_t len, struct wr_err *err);

wr_status wr_regf_commit_in_place(const uint8_t *image, size_t len, uint8_t *base_block,
                                  const struct wr_volume *vol, const char *path,
                                  struct wr_regf_commit_report *rep, struct wr_err *err);

#endif
