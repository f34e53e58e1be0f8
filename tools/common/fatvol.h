/* A FAT partition inside a disk image (or on a block device) as a
 * wr_volume, for the Linux CLI, by driving mtools (mcopy, mdir, mren, mdel,
 * mmd, mrd with -i IMG@@OFFSET). Why mtools and not a FAT module of ours:
 * see docs/engine.md. Host tools only (fork/exec). */
#ifndef TOOLS_COMMON_FATVOL_H
#define TOOLS_COMMON_FATVOL_H

#include "base/volume.h"

struct wr_fatvol;

/* `image` stays in use by path; offset is the partition's first byte. */
wr_status wr_fatvol_open(const char *image, uint64_t offset, bool writable,
                         struct wr_fatvol **out, struct wr_err *err);
void wr_fatvol_close(struct wr_fatvol *fv);
void wr_fatvol_volume(struct wr_fatvol *fv, struct wr_volume *out);

#endif
