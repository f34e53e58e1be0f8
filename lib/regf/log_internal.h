/* Shared between recover.c and the two log-format parsers. Not public. */
#ifndef WR_REGF_LOG_INTERNAL_H
#define WR_REGF_LOG_INTERNAL_H

#include "regf/baseblock.h"
#include "regf/recover.h"

#define WR_REGF_BASE_SIZE 4096u
#define WR_REGF_LOG_HDR 512u
#define WR_REGF_PAGE 512u
/* Cell offsets are below 2^31, so no real hive is larger. */
#define WR_REGF_MAX_BINS 0x7FFFF000u

/* Header fields (baseblock.h names, shortened for the log code). */
#define WR_REGF_OFF_SEQ1 WR_REGF_BB_SEQ1
#define WR_REGF_OFF_SEQ2 WR_REGF_BB_SEQ2
#define WR_REGF_OFF_TIME WR_REGF_BB_TIMESTAMP
#define WR_REGF_OFF_MAJOR WR_REGF_BB_MAJOR
#define WR_REGF_OFF_MINOR WR_REGF_BB_MINOR
#define WR_REGF_OFF_TYPE WR_REGF_BB_TYPE
#define WR_REGF_OFF_FORMAT WR_REGF_BB_FORMAT
#define WR_REGF_OFF_ROOT WR_REGF_BB_ROOT
#define WR_REGF_OFF_BINS WR_REGF_BB_BINS_SIZE
#define WR_REGF_OFF_FLAGS WR_REGF_BB_FLAGS
#define WR_REGF_OFF_CSUM WR_REGF_BB_CHECKSUM

/* Serial-number order (RFC 1982 style): a comes before b. */
static inline bool wr_regf_seq_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* The image being rebuilt. Grows (zero-filled) up to `limit` bytes. */
struct wr_regf_img {
    uint8_t *data;
    size_t len;
    size_t limit;
};
wr_status wr_regf_img_grow(struct wr_regf_img *im, size_t need, const char *name,
                           struct wr_err *err);

/* Appends one line to the report (which may be NULL). */
void wr_regf_note(struct wr_regf_recover_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- new format (log_new.c) */
struct wr_regf_hvle {
    size_t off;          /* where the entry starts in the log */
    uint32_t size;
    uint32_t flags;
    uint32_t seq;
    uint32_t bins_size;
    uint32_t npages;
    const uint8_t *refs; /* npages * {offset, size} */
    const uint8_t *pages;
};

/* Parses the entry at `off`, expecting sequence `seq`. On failure returns
 * false and writes why into why[]. */
bool wr_regf_hvle_parse(const uint8_t *log, size_t len, size_t off, uint32_t seq,
                        struct wr_regf_hvle *e, char *why, size_t why_size);
/* Copies an entry's pages into the image, growing it to its bins size. */
wr_status wr_regf_hvle_apply(struct wr_regf_img *im, const struct wr_regf_hvle *e,
                             const char *name, uint32_t *pages, struct wr_err *err);
/* Marks the 4 KiB blocks an entry writes in `dirty` (one bit per block,
 * sized for the entry's bins). */
void wr_regf_hvle_mark(const struct wr_regf_hvle *e, uint8_t *dirty);
/* Counts the valid entries of a log starting at sequence `seq`; *last gets
 * the last one's sequence. */
uint32_t wr_regf_hvle_count(const uint8_t *log, size_t len, uint32_t seq, uint32_t *last);

/* Replaces each invalid bin whose first block the replay wrote (bit i of
 * `dirty`: block i of the bins) by an empty bin; returns how many. */
uint32_t wr_regf_fix_dirty_bins(uint8_t *img, size_t len, const uint8_t *dirty);

/* ---- old format (log_old.c) */
struct wr_regf_dirt {
    uint32_t bins_size;
    uint32_t ndirty;
    const uint8_t *bitmap;
    const uint8_t *pages;
};
bool wr_regf_dirt_parse(const uint8_t *log, size_t len, struct wr_regf_dirt *d,
                        char *why, size_t why_size);
wr_status wr_regf_dirt_apply(struct wr_regf_img *im, const struct wr_regf_dirt *d,
                             const char *name, uint32_t *pages, struct wr_err *err);

#endif
