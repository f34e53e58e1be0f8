/* Transaction-log recovery of a dirty hive (regf-format.md §11).
 *
 * Pure bytes in, bytes out: the caller supplies the primary file and the
 * contents of its log files (wr_regf_find_logs reads them from a volume),
 * and gets a new, clean image back. Nothing is ever written here. */
#ifndef WR_REGF_RECOVER_H
#define WR_REGF_RECOVER_H

#include "base/status.h"
#include "base/volume.h"

/* One log file's contents; name is only used in messages ("BCD.LOG1"). */
struct wr_regf_log {
    const char *name;
    const uint8_t *data;
    size_t len;
};

#define WR_REGF_REPORT_MAX 1024

/* What recovery did, for the user and for tests. */
struct wr_regf_recover_report {
    int format;               /* 1 old (DIRT), 6 new (HvLE), 0 nothing applied */
    bool header_from_log;     /* the primary's base block was bad */
    uint32_t logs_used;       /* bit i set: logs[i] contributed */
    uint32_t entries_applied; /* HvLE entries (an old log counts as 1) */
    uint32_t pages_applied;   /* 512-byte pages written into the image */
    uint32_t first_seq;       /* sequence of the first applied entry */
    uint32_t final_seq;       /* seq1 = seq2 of the recovered image */
    char text[WR_REGF_REPORT_MAX]; /* one line per log: applied or skipped, and why */
};

/* True when the primary needs recovery: seq1 != seq2 or a bad base block. */
bool wr_regf_is_dirty(const uint8_t *primary, size_t len);

/* Recover `primary` (named `name` in messages) from `logs`. On success
 * *out (wr_free it) holds a clean image: seq1 = seq2, type 0, good checksum.
 * Refuses (WR_E_REFUSED) a clean primary: logs are never applied to one.
 * Fails with WR_E_CORRUPT / WR_E_NOT_FOUND when no log is usable; the
 * report then says why each log was skipped. report may be NULL. */
wr_status wr_regf_recover(const char *name, const uint8_t *primary, size_t primary_len,
                          const struct wr_regf_log *logs, size_t nlogs,
                          uint8_t **out, size_t *out_len,
                          struct wr_regf_recover_report *report, struct wr_err *err);

/* The log files found beside a hive on a volume (.LOG, .LOG1, .LOG2, any
 * case). Empty files are listed too; recovery skips them. */
#define WR_REGF_MAX_LOGS 3
struct wr_regf_logset {
    size_t count;
    struct wr_regf_log log[WR_REGF_MAX_LOGS];
    char *path[WR_REGF_MAX_LOGS];   /* full volume path of each */
    uint8_t *buf[WR_REGF_MAX_LOGS]; /* owned contents */
};

/* Reads each log (at most max_len bytes each). A missing directory entry is
 * not an error: set->count is 0 then. */
wr_status wr_regf_find_logs(const struct wr_volume *vol, const char *hive_path,
                            size_t max_len, struct wr_regf_logset *set,
                            struct wr_err *err);
void wr_regf_logset_free(struct wr_regf_logset *set);

#endif
