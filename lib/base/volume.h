/* The volume interface: a filesystem we can read, list and (maybe) write.
 * Implemented by EFI SimpleFileSystem in the app, by a host directory or an
 * image's FAT partition in the Linux tools, and by memory in tests.
 *
 * Paths are UTF-8, absolute from the volume root, with '\' separators, and
 * are matched case-insensitively where the filesystem does (FAT, NTFS):
 * "\EFI\Microsoft\Boot\BCD". Any operation may be NULL when the backend
 * cannot do it; callers use the wr_volume_* wrappers, which turn NULL into a
 * clear WR_E_UNSUPPORTED. */
#ifndef WR_BASE_VOLUME_H
#define WR_BASE_VOLUME_H

#include "base/status.h"

#define WR_NAME_MAX 1024 /* bytes of UTF-8 in one path component */

struct wr_dirent {
    char name[WR_NAME_MAX];
    bool is_dir;
    uint64_t size;
};

typedef wr_status (*wr_dir_visit)(void *arg, const struct wr_dirent *entry);

struct wr_volume_ops {
    /* Whole file into a new allocation (wr_free it). Files larger than
     * max_len are refused with WR_E_TOO_BIG before anything is read. */
    wr_status (*read_file)(void *ctx, const char *path, size_t max_len,
                           uint8_t **data, size_t *len, struct wr_err *err);
    wr_status (*stat)(void *ctx, const char *path, struct wr_dirent *out,
                      struct wr_err *err);
    wr_status (*list_dir)(void *ctx, const char *path, wr_dir_visit visit,
                          void *arg, struct wr_err *err);
    /* Create or truncate, write all, flush. */
    wr_status (*write_file)(void *ctx, const char *path, const uint8_t *data,
                            size_t len, struct wr_err *err);
    /* Overwrite bytes in place in an existing file, extending it if needed,
     * then flush: what an in-place hive commit needs. */
    wr_status (*write_at)(void *ctx, const char *path, uint64_t offset,
                          const uint8_t *data, size_t len, struct wr_err *err);
    /* Replace `to` by `from` (both in one directory). */
    wr_status (*rename)(void *ctx, const char *from, const char *to, struct wr_err *err);
    wr_status (*remove)(void *ctx, const char *path, struct wr_err *err);
    wr_status (*make_dir)(void *ctx, const char *path, struct wr_err *err);
};

struct wr_volume {
    const char *name; /* for messages: "ESP on NVMe disk 0" */
    const struct wr_volume_ops *ops;
    void *ctx;
};

wr_status wr_volume_read_file(const struct wr_volume *v, const char *path, size_t max_len,
                              uint8_t **data, size_t *len, struct wr_err *err);
wr_status wr_volume_stat(const struct wr_volume *v, const char *path,
                         struct wr_dirent *out, struct wr_err *err);
bool wr_volume_exists(const struct wr_volume *v, const char *path);
wr_status wr_volume_list_dir(const struct wr_volume *v, const char *path,
                             wr_dir_visit visit, void *arg, struct wr_err *err);
wr_status wr_volume_write_file(const struct wr_volume *v, const char *path,
                               const uint8_t *data, size_t len, struct wr_err *err);
wr_status wr_volume_write_at(const struct wr_volume *v, const char *path, uint64_t offset,
                             const uint8_t *data, size_t len, struct wr_err *err);
wr_status wr_volume_rename(const struct wr_volume *v, const char *from, const char *to,
                           struct wr_err *err);
wr_status wr_volume_remove(const struct wr_volume *v, const char *path, struct wr_err *err);
wr_status wr_volume_make_dir(const struct wr_volume *v, const char *path, struct wr_err *err);
/* make_dir that is content when the folder is already there. */
wr_status wr_volume_ensure_dir(const struct wr_volume *v, const char *path, struct wr_err *err);

#endif
