/* BCD-level checks of a store model (the hive itself is checked by
 * lib/regf): elements that do not decode, references to objects that are
 * not there (default, displayorder, inherit, resumeobject,
 * recoverysequence, ...), device options that name no device object, and
 * loops in `inherit`. Dangling references are warnings, as Windows skips
 * them (bcd.md §1); undecodable data and loops are errors. Security-relevant
 * settings (bcd.md §9.1) that a normal Windows store does not carry are
 * reported as infos starting with "security: ". */
#ifndef WR_BCD_CHECK_H
#define WR_BCD_CHECK_H

#include "bcd/store.h"

enum wr_bcd_severity { WR_BCD_ERROR, WR_BCD_WARNING, WR_BCD_INFO };

typedef void (*wr_bcd_check_fn)(void *arg, enum wr_bcd_severity sev, const char *msg);

struct wr_bcd_check_counts {
    size_t errors, warnings, infos;
};

void wr_bcd_check(const struct wr_bcd_store *s, wr_bcd_check_fn fn, void *arg,
                  struct wr_bcd_check_counts *counts);

#endif
