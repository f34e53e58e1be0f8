/* A wr_volume over EFI SimpleFileSystem (the firmware's FAT driver). */
#ifndef WR_EFI_SFS_VOLUME_H
#define WR_EFI_SFS_VOLUME_H

#include <efi.h>

#include "base/volume.h"

struct wr_sfs_volume {
    struct wr_volume vol;
    EFI_FILE_HANDLE root;
    char name[64];
};

/* Opens the root directory of the SimpleFileSystem on handle. */
wr_status wr_sfs_volume_open(struct wr_sfs_volume *v, EFI_HANDLE handle, const char *name,
                             struct wr_err *err);
void wr_sfs_volume_close(struct wr_sfs_volume *v);

#endif
