/* A host directory as a wr_volume, for the Linux tools and tests.
 *
 * Volume paths ("\EFI\Microsoft\Boot\BCD") map below the root directory;
 * each component is matched exactly first, then case-insensitively, as FAT
 * and NTFS would. Whole-file writes go to a temporary file that is synced
 * and renamed over the target (then the directory is synced); write_at
 * uses pwrite + fsync. */
#ifndef TOOLS_COMMON_DIRVOL_H
#define TOOLS_COMMON_DIRVOL_H

#include "base/volume.h"

struct wr_dirvol;

wr_status wr_dirvol_open(const char *root, struct wr_dirvol **out, struct wr_err *err);
void wr_dirvol_close(struct wr_dirvol *dv);
void wr_dirvol_volume(struct wr_dirvol *dv, struct wr_volume *out);

/* The volume of a host file's directory and the file's volume path
 * ("\name"), for tools given a plain file argument. */
wr_status wr_dirvol_for_file(const char *host_path, struct wr_dirvol **out, char *vol_path,
                             size_t vol_path_size, struct wr_err *err);

#endif
