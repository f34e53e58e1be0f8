/* wr_ntfs_describe: a file's kind and storage, shared by stat and open. */
#ifndef WR_NTFS_DESCRIBE_H
#define WR_NTFS_DESCRIBE_H

#include "ntfs/internal.h"

/* Fills out; data receives the unnamed $DATA (type 0 when there is none). */
wr_status wr_ntfs_describe(struct wr_ntfs *v, const struct ntfs_inode *ino,
                        struct wr_ntfs_stat *out, struct ntfs_stream *data, struct wr_err *err);

#endif
