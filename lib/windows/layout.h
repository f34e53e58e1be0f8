/* Partition layouts Windows uses that this project cannot read. */
#ifndef WR_WINDOWS_LAYOUT_H
#define WR_WINDOWS_LAYOUT_H

#include "disk/partition.h"

/* "Storage Spaces (unsupported)", "dynamic disk, LDM ... (unsupported)", or NULL. */
const char *wr_windows_unsupported_layout(const struct wr_partition_table *t,
                                          const struct wr_partition *p);

#endif
