/* lib/rescue_files: save a user's folders from a Windows volume to the stick.
 *
 * The source is read through a small interface (wr_rf_source) so the walk
 * can see reparse points and stream big files in pieces; wr_rf_ntfs_source
 * puts it over lib/ntfs, wr_rf_volume_source over any wr_volume (tests).
 * The source is only ever read. The target is any writable wr_volume (the
 * stick's FAT32 data partition through the firmware, a host directory).
 *
 * What lands on the target, below job.dst_root:
 *   <folder>\...          the tree as on the source, names mapped for FAT
 *   MANIFEST.txt          one line per file, appended only once the file is
 *                         complete, so it lists exactly what was copied
 *
 * FAT name mapping (wr_rf_fat_name), applied per path component:
 *   - control characters (< 0x20) and  " * / : < > ? \ |  become '_';
 *   - trailing dots and spaces (FAT drops them) become '_';
 *   - CON PRN AUX NUL COM1-9 LPT1-9 (alone or before a dot) get a '_' appended
 *     to the base name;
 *   - names longer than 255 UTF-16 units are cut (keeping a short extension);
 *   - a name that equals an earlier one in the same folder ignoring ASCII
 *     case gets " (2)", " (3)", ... before its extension.
 * Every mapped name is in the manifest next to the original path.
 *
 * MANIFEST.txt lines (tab separated, UTF-8, '\n'):
 *   # comment lines (header, the summary at the end)
 *   FILE <tab> sha256 <tab> size <tab> stored path <tab> original path
 *   SKIP <tab> original path <tab> why   (reparse points: junctions, links)
 *   ERROR <tab> original path <tab> message   (the copy went on)
 * Paths are relative to dst_root / the source root, with '\'. */
#ifndef WR_RESCUE_FILES_H
#define WR_RESCUE_FILES_H

#include "base/volume.h"

struct wr_ntfs;

struct wr_rf_entry {
    const char *name;
    bool is_dir;
    bool is_reparse;      /* junction, symlink, ...: listed, never followed */
    uint64_t size;
};

typedef wr_status (*wr_rf_visit)(void *arg, const struct wr_rf_entry *e);

struct wr_rf_source_ops {
    wr_status (*list)(void *ctx, const char *path, wr_rf_visit visit, void *arg,
                      struct wr_err *err);
    wr_status (*open)(void *ctx, const char *path, void **file, uint64_t *size,
                      struct wr_err *err);
    wr_status (*read)(void *file, uint64_t offset, void *buf, size_t len, struct wr_err *err);
    void (*close)(void *file);
};

struct wr_rf_source {
    const struct wr_rf_source_ops *ops;
    void *ctx;
};

/* Over lib/ntfs (reparse points seen, files streamed). */
void wr_rf_ntfs_source(struct wr_ntfs *v, struct wr_rf_source *out);
/* Over a wr_volume (no reparse points; a file is read whole, up to 256 MiB). */
void wr_rf_volume_source(const struct wr_volume *vol, struct wr_rf_source *out);

/* FAT name mapping of one component (see above); out gets at most
 * out_size-1 bytes. Returns true when the name was changed. Collisions are
 * handled by the copy, not here. */
bool wr_rf_fat_name(const char *name, char *out, size_t out_size);

/* A tree's size: files, folders and bytes, reparse points not followed. */
struct wr_rf_tally {
    uint64_t files;
    uint64_t dirs;
    uint64_t bytes;
    uint64_t reparse;     /* reparse points met (not counted above) */
};

wr_status wr_rf_measure(const struct wr_rf_source *src, const char *path,
                        struct wr_rf_tally *out, struct wr_err *err);

/* The users of a Windows volume: folders of \Users that are not links and
 * not Default/Public/All Users. names: caller's array. */
#define WR_RF_MAX_USERS 32
#define WR_RF_USER_MAX 256
wr_status wr_rf_list_users(const struct wr_rf_source *src, char (*names)[WR_RF_USER_MAX],
                           size_t max, size_t *count, struct wr_err *err);

/* The usual folders of a user ("Desktop", "Documents", ...), in order. */
extern const char *const wr_rf_known_folders[];
extern const size_t wr_rf_known_folder_count;

/* Bytes the copy needs on a target with this cluster size (files rounded up
 * to clusters, a cluster per folder, room for the manifest). */
uint64_t wr_rf_space_needed(const struct wr_rf_tally *t, uint32_t cluster);

struct wr_rf_progress {
    uint64_t bytes_done, bytes_total;
    uint64_t files_done, files_total;
    uint64_t bytes_per_s;   /* 0 until measurable */
    uint64_t eta_s;         /* 0 until measurable */
    uint64_t elapsed_ms;
    const char *current;    /* original path of the file being copied */
};

struct wr_rf_job {
    const struct wr_rf_source *src;
    const char *src_root;           /* "\Users\alice" */
    const char *const *folders;     /* "Documents", ... below src_root */
    size_t n_folders;
    const struct wr_volume *dst;
    const char *dst_root;           /* "\RESCUE\alice"; created, must hold no MANIFEST.txt */
    uint64_t dst_free;              /* free bytes; UINT64_MAX when unknown */
    uint32_t dst_cluster;           /* 0: 4096 */
    const char *header;             /* optional extra manifest comment line */
    void *ctx;
    uint64_t (*now_ms)(void *ctx);  /* monotonic milliseconds; may be NULL */
    void (*progress)(void *ctx, const struct wr_rf_progress *p);  /* may be NULL */
    bool (*cancelled)(void *ctx);   /* polled between pieces; may be NULL */
};

#define WR_RF_MAX_LISTED_ERRORS 8

struct wr_rf_result {
    struct wr_rf_tally planned;
    uint64_t needed;                /* wr_rf_space_needed of planned */
    uint64_t files_copied;
    uint64_t bytes_copied;
    uint64_t renamed;               /* names changed for FAT */
    uint64_t skipped;               /* reparse points */
    uint64_t errors;                /* files not copied */
    bool cancelled;
    bool manifest_written;          /* MANIFEST.txt exists on the target */
    uint64_t elapsed_ms;
    uint64_t read_ms, write_ms;     /* of elapsed_ms: in the source, in the target */
    uint64_t hash_ms;               /* of elapsed_ms: computing sha256 */
    char error_list[WR_RF_MAX_LISTED_ERRORS][WR_ERR_MSG_MAX]; /* the first ones */
};

/* Measures, checks the free space (WR_E_REFUSED before writing anything
 * when it does not fit), then copies. Per-file read errors are listed and
 * the copy goes on; a failing target stops it (partial file removed).
 * Cancelling stops after removing the partial file: WR_E_CANCELLED, with
 * the manifest listing exactly the files on the target. */
wr_status wr_rf_copy(const struct wr_rf_job *job, struct wr_rf_result *res,
                     struct wr_err *err);

/* "12.3 MB" style text for sizes and rates (integer arithmetic). */
void wr_rf_format_bytes(uint64_t bytes, char *out, size_t size);

#endif
