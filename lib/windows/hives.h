/* The finder's hive readers (SOFTWARE, SYSTEM). */
#ifndef WR_WINDOWS_HIVES_H
#define WR_WINDOWS_HIVES_H

#include "windows/windows.h"

wr_status wr_windows_read_software(struct wr_ntfs *v, struct wr_windows_info *out,
                                   struct wr_err *err);
wr_status wr_windows_read_system(struct wr_ntfs *v, struct wr_windows_info *out,
                                 struct wr_err *err);

#endif
