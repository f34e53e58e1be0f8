/* The strict validator's parts (regf-format.md §12), used by open and by
 * wr_regf_validate. */
#ifndef WR_REGF_VALIDATE_H
#define WR_REGF_VALIDATE_H

#include "regf/hive.h"
#include "regf/report.h"

struct regf_header_state {
    bool usable;        /* the bins can be scanned */
    bool dirty;         /* seq1 != seq2 or bad checksum */
    bool ktm_locked;
    unsigned dirty_findings; /* checksum and sequence findings among the errors */
    uint32_t bins_size; /* what can be scanned (clipped to the file in salvage) */
};

/* §12.1. Reports every header finding; in salvage mode a truncated file is
 * usable up to its last whole 4 KiB. */
void wr_regf_check_header(const uint8_t *data, size_t len, bool salvage, struct regf_report *r,
                       struct regf_header_state *s);

/* §12.4 and §8: the tree from the root, values, lists and security. The
 * cell map must be built. */
wr_status wr_regf_validate_tree(const struct wr_regf_hive *h, struct regf_report *r,
                             struct wr_err *err);

/* A self-relative SECURITY_DESCRIPTOR is well formed (§8). */
bool wr_regf_sd_valid(const uint8_t *sd, uint32_t len);

#endif
