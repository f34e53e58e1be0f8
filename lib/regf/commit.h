/* Writing a hive back crash-safely (regf-format.md §11.5), two ways:
 *
 *  REPLACE   write "<path>.wrtmp", read it back, rename it over <path>.
 *  IN_PLACE  the Windows protocol: a new-format log entry holding every
 *            changed page is written and flushed first, then the primary's
 *            base block with seq1 bumped, the pages, and seq2 last. A power
 *            cut anywhere leaves a primary + log pair that recovery turns
 *            into exactly the old or the new hive. Works through write_at
 *            alone, so the UEFI app can use it on a FAT ESP. Needs an
 *            existing, clean primary (a dirty one is refused: recover it
 *            first); the other logs beside it are truncated to 0 bytes.
 *
 * Both leave the primary clean (seq1 = seq2, good checksum) and read the
 * file back to verify it before returning. */
#ifndef WR_REGF_COMMIT_H
#define WR_REGF_COMMIT_H

#include "base/volume.h"

struct wr_regf_hive;

enum wr_regf_commit_mode {
    WR_REGF_COMMIT_REPLACE = 0,
    WR_REGF_COMMIT_IN_PLACE = 1,
};
/* OR'ed into the mode of wr_regf_commit: run the full validator on the
 * image first and refuse to write it when it has any error finding (tests
 * use it on every commit). */
#define WR_REGF_COMMIT_VALIDATE 0x100u

struct wr_regf_commit_report {
    uint32_t seq;            /* the primary's sequence number afterwards */
    uint32_t pages;          /* 512-byte pages of bins written (in place) */
    uint64_t bytes_written;  /* everything written, logs included */
    char log_path[WR_NAME_MAX]; /* the log used (in place), else "" */
};

/* The hive's image as it is now; `how` is a mode, optionally with
 * WR_REGF_COMMIT_VALIDATE. On success the hive's base block carries the
 * committed sequence numbers and the hive is marked clean. Salvaged hives
 * are refused. */
wr_status wr_regf_commit(struct wr_regf_hive *h, const struct wr_volume *vol, const char *path,
                         unsigned how, struct wr_regf_commit_report *report, struct wr_err *err);

/* The same on a bare image (base block + bins). `base_block` (4096 bytes,
 * may alias image) receives the committed header on success. */
wr_status wr_regf_commit_image(const uint8_t *image, size_t len, uint8_t *base_block,
                               const struct wr_volume *vol, const char *path,
                               enum wr_regf_commit_mode mode,
                               struct wr_regf_commit_report *report, struct wr_err *err);

/* The log the in-place commit writes beside `path`: an existing .LOG, else
 * an existing .LOG1, else a new "<path>.LOG". `out` has WR_NAME_MAX bytes. */
wr_status wr_regf_commit_log_path(const struct wr_volume *vol, const char *path, char *out,
                                  struct wr_err *err);

#endif
