/* An in-memory wr_volume for tests, with a power-cut injector.
 *
 * Files live in memory under case-insensitive '\' paths. The injector
 * counts writes in 512-byte sectors (a write of n bytes at any offset is
 * ceil(n/512) sectors; a rename, remove or make_dir is one) and can cut the
 * power after the k-th: that write lands only partly (its first sectors),
 * and every later write fails with WR_E_IO, as on a machine that lost power.
 * Reads keep working, so a test can then inspect what survived. */
#ifndef WR_BASE_MEMVOL_H
#define WR_BASE_MEMVOL_H

#include "base/volume.h"

#define WR_MEMVOL_NEVER UINT64_MAX

struct wr_memvol;

wr_status wr_memvol_new(struct wr_memvol **out, struct wr_err *err);
void wr_memvol_free(struct wr_memvol *mv);

/* A volume view of mv (valid while mv lives). */
void wr_memvol_volume(struct wr_memvol *mv, struct wr_volume *out);

/* Test setup and inspection, outside the injector's count. */
wr_status wr_memvol_put(struct wr_memvol *mv, const char *path, const uint8_t *data,
                        size_t len, struct wr_err *err);
/* The file's bytes (owned by mv), or NULL when absent. */
const uint8_t *wr_memvol_get(const struct wr_memvol *mv, const char *path, size_t *len);
/* A deep copy, so one starting state can be cut many ways. */
wr_status wr_memvol_clone(const struct wr_memvol *mv, struct wr_memvol **out,
                          struct wr_err *err);

/* Cut the power after `sectors` more sector writes (WR_MEMVOL_NEVER: no cut). */
void wr_memvol_cut_after(struct wr_memvol *mv, uint64_t sectors);
bool wr_memvol_power_lost(const struct wr_memvol *mv);
/* Sector writes counted since creation (or the last reset). */
uint64_t wr_memvol_sectors_written(const struct wr_memvol *mv);
void wr_memvol_reset_count(struct wr_memvol *mv);

#endif
