/* Reading the BCD model out of a regf hive (bcd.md §1 layout):
 * <root>\Objects\{guid}\Description\Type and
 * <root>\Objects\{guid}\Elements\XXXXXXXX\Element. */
#ifndef WR_BCD_HIVE_H
#define WR_BCD_HIVE_H

#include "bcd/store.h"
#include "regf/regf.h"

/* Fails only when the hive is not a BCD store at all (no Objects key) or
 * cannot be read; oddities inside are kept as store notes. */
wr_status wr_bcd_store_load(const struct wr_regf_hive *h, struct wr_bcd_store *out,
                            struct wr_err *err);

/* Opens store bytes strictly (recovering from logs when the primary is
 * dirty) and loads the model: what a reader such as the UEFI app needs in one
 * call. The hive is read-write; close it with wr_regf_close. */
wr_status wr_bcd_store_open(const uint8_t *data, size_t len, const char *name,
                            const struct wr_regf_log *logs, size_t n_logs,
                            struct wr_regf_hive **hive, struct wr_bcd_store *out,
                            struct wr_err *err);

#endif
