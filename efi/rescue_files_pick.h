/* Sources and target of the rescue screen (rescue_files_pick.c). */
#ifndef WR_EFI_RESCUE_FILES_PICK_H
#define WR_EFI_RESCUE_FILES_PICK_H

#include "app.h"
#include "glue/blockio_dev.h"
#include "glue/sfs_volume.h"
#include "ntfs/ntfs.h"
#include "rescue_files/rescue_files.h"

#define RF_MAX_SOURCES 8

struct rf_source_vol {
    struct wr_blockio_dev dev;
    struct wr_ntfs *ntfs;
    struct wr_rf_source src;
    char name[96];
    char product[160];  /* "Windows 11 Pro 23H2" from its SOFTWARE hive, or "" */
};

struct rf_target {
    struct wr_sfs_volume vol;
    uint64_t free;
    uint32_t cluster;
    char name[64];
};

UINT32 rf_find_sources(const struct wr_machine *m, struct rf_source_vol *out, UINT32 max);
void rf_close_sources(struct rf_source_vol *v, UINT32 n);
/* FALSE with why filled when the stick has no writable data partition. */
BOOLEAN rf_open_target(const struct wr_machine *m, struct rf_target *t, char *why,
                       UINTN why_size);

#endif
