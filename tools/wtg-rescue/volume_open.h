#ifndef WTG_RESCUE_VOLUME_OPEN_H
#define WTG_RESCUE_VOLUME_OPEN_H

#include "commands.h"
#include "ntfs/ntfs.h"

/* target_open + wr_ntfs_open; on failure prints the reason and returns the
 * exit status (nothing left open). */
int open_ntfs(const char *spec, struct target *t, struct wr_ntfs **v);

#endif
