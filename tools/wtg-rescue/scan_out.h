/* The scan report, as text for people or JSON for machines. */
#ifndef WTG_RESCUE_SCAN_OUT_H
#define WTG_RESCUE_SCAN_OUT_H

#include "commands.h"
#include "disk/partition.h"
#include "windows/windows.h"

struct scan_out {
    bool json;
    unsigned disks;  /* JSON: commas between items */
    unsigned parts;
    bool in_part;
};

void scan_out_begin(struct scan_out *o);
void scan_out_disk(struct scan_out *o, const char *name, const struct wr_blockdev *dev,
                   const struct wr_partition_table *pt, const char *error);
void scan_out_disk_error(struct scan_out *o, const char *name, const char *error);
void scan_out_partition(struct scan_out *o, const struct wr_partition *p, const char *type,
                        const char *unsupported);
/* The whole disk as one volume (no partition table); end with _partition_end. */
void scan_out_whole(struct scan_out *o);
void scan_out_volume(struct scan_out *o, const struct wr_windows_info *w, const char *fs);
void scan_out_error(struct scan_out *o, const char *msg);
void scan_out_partition_end(struct scan_out *o);
void scan_out_disk_end(struct scan_out *o);
void scan_out_end(struct scan_out *o, unsigned windows_found);

#endif
