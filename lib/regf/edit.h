/* Editor internals: security descriptor references and subkey list
 * rebuilding. */
#ifndef WR_REGF_EDIT_H
#define WR_REGF_EDIT_H

#include "regf/alloc.h"
#include "regf/name.h"

/* Refuses edits on hives that were not opened strictly and cleanly. */
wr_status wr_regf_check_writable(const struct wr_regf_hive *h, struct wr_err *err);

wr_status wr_regf_sk_ref(struct wr_regf_hive *h, uint32_t sk, struct wr_err *err);
/* Drops one reference; at zero the sk leaves the ring and is freed. */
void wr_regf_sk_unref(struct wr_regf_hive *h, uint32_t sk);

/* The stored name of key `off` (validated hive: always readable). */
struct regf_name wr_regf_key_name_of(const struct wr_regf_hive *h, uint32_t off);

/* All subkeys of nk `key` into a new array (wr_free it). */
wr_status wr_regf_list_collect(const struct wr_regf_hive *h, uint32_t key, uint32_t **out,
                            uint32_t *count, struct wr_err *err);
/* Writes a fresh list (lf for minor < 5, lh otherwise; an ri over leaves
 * when there are more than fit one leaf) for `children`, already sorted;
 * NIL when count is 0. */
wr_status wr_regf_list_build(struct wr_regf_hive *h, const uint32_t *children, uint32_t count,
                          uint32_t *list, struct wr_err *err);
/* Frees a list and, for an ri, its leaves. */
void wr_regf_list_free(struct wr_regf_hive *h, uint32_t list);

/* Sets the key's last-written time to the hive's edit clock, if set. */
void wr_regf_touch(struct wr_regf_hive *h, uint32_t key);

#endif
