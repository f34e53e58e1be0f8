/* lib/ntfs: a small read-only NTFS reader over a wr_blockdev (a partition).
 *
 * It looks up paths (case-insensitively, through the $I30 B+tree and the
 * volume's $UpCase), lists directories and reads a file's unnamed $DATA:
 * resident, non-resident, sparse, LZNT1 and WOF (XPRESS). Every length,
 * offset, count and run read from disk is checked; a hostile volume gives an
 * error naming what is wrong. Nothing is ever written.
 *
 * Paths are UTF-8, '\' or '/' separated, absolute from the volume root. */
#ifndef WR_NTFS_NTFS_H
#define WR_NTFS_NTFS_H

#include "base/blockdev.h"
#include "base/volume.h"

struct wr_ntfs;

/* What a volume's first sector says it is, before trying NTFS. */
enum wr_ntfs_kind {
    WR_NTFS_KIND_OTHER,
    WR_NTFS_KIND_NTFS,
    WR_NTFS_KIND_BITLOCKER,       /* "-FVE-FS-" */
    WR_NTFS_KIND_BITLOCKER_TOGO,  /* FAT-looking with the BitLocker GUID */
    WR_NTFS_KIND_REFS,
};

/* Looks at the first 512 bytes of a volume. */
enum wr_ntfs_kind wr_ntfs_sniff(const uint8_t *sector, size_t len);
/* "NTFS", "BitLocker-encrypted", "BitLocker To Go", "ReFS (unsupported)", "other". */
const char *wr_ntfs_kind_name(enum wr_ntfs_kind kind);

struct wr_ntfs_info {
    uint32_t sector_size;        /* from the boot sector */
    uint32_t cluster_size;
    uint32_t record_size;
    uint32_t index_record_size;
    uint64_t cluster_count;
    uint64_t mft_records;
    uint32_t mft_runs;           /* fragments of $MFT's data */
    bool mft_has_attr_list;
    bool used_backup_boot;       /* sector 0 was bad, the backup boot sector was used */
    bool upcase_ok;              /* false: ASCII fallback, directories are scanned */
    uint8_t major, minor;        /* $VOLUME_INFORMATION version */
    uint16_t volume_flags;       /* $VOLUME_INFORMATION flags */
    bool dirty;                  /* flag 0x0001 */
    char label[128];             /* UTF-8 */
    uint64_t serial;
};

/* Opens the volume on dev (kept by pointer; it must outlive the handle).
 * BitLocker and ReFS volumes give WR_E_UNSUPPORTED with a message saying
 * "encrypted" or "unsupported", never "corrupt". */
wr_status wr_ntfs_open(const struct wr_blockdev *dev, struct wr_ntfs **out,
                       struct wr_err *err);
void wr_ntfs_close(struct wr_ntfs *v);
void wr_ntfs_get_info(const struct wr_ntfs *v, struct wr_ntfs_info *out);

/* How a file's unnamed stream is stored. */
enum wr_ntfs_storage {
    WR_NTFS_STORE_RESIDENT,
    WR_NTFS_STORE_PLAIN,        /* non-resident, possibly sparse */
    WR_NTFS_STORE_LZNT1,
    WR_NTFS_STORE_WOF_XPRESS4K,
    WR_NTFS_STORE_WOF_LZX,      /* recognised, not decoded */
    WR_NTFS_STORE_WOF_XPRESS8K,
    WR_NTFS_STORE_WOF_XPRESS16K,
    WR_NTFS_STORE_WOF_OTHER,    /* WIMBoot or an unknown WOF provider */
    WR_NTFS_STORE_ENCRYPTED,    /* EFS */
    WR_NTFS_STORE_REPARSE,      /* junction, symlink or another tag: no data read */
    WR_NTFS_STORE_NONE,         /* directory, or no unnamed $DATA */
};

#define WR_NTFS_REPARSE_MOUNT_POINT 0xA0000003u
#define WR_NTFS_REPARSE_SYMLINK 0xA000000Cu
#define WR_NTFS_REPARSE_WOF 0x80000017u

#define WR_NTFS_TARGET_MAX 512

struct wr_ntfs_stat {
    uint64_t ref;               /* record number, sequence in the top 16 bits */
    bool is_dir;
    uint64_t size;              /* bytes a read returns (WOF: uncompressed size) */
    uint64_t allocated;         /* clusters on disk, in bytes */
    uint32_t attributes;        /* $STANDARD_INFORMATION file attributes */
    uint16_t link_count;
    uint32_t reparse_tag;       /* 0: none */
    enum wr_ntfs_storage storage;
    uint32_t fragments;         /* runs of the unnamed (or WOF) stream */
    bool has_attr_list;
    char target[WR_NTFS_TARGET_MAX]; /* junction/symlink substitute name, UTF-8 */
};

/* A path component that is a reparse point (other than the last) stops the
 * lookup with WR_E_REFUSED: links are reported, never followed. */
wr_status wr_ntfs_stat(struct wr_ntfs *v, const char *path, struct wr_ntfs_stat *out,
                       struct wr_err *err);

/* Namespaces of $FILE_NAME. */
enum { WR_NTFS_NS_POSIX = 0, WR_NTFS_NS_WIN32 = 1, WR_NTFS_NS_DOS = 2, WR_NTFS_NS_BOTH = 3 };

struct wr_ntfs_dirent {
    char name[766];             /* up to 255 UTF-16 units as UTF-8 */
    uint64_t ref;
    uint8_t name_space;
    bool is_dir;
    uint64_t size;              /* from the directory entry: may be stale */
    uint32_t attributes;        /* $FILE_NAME flags */
    uint32_t reparse_tag;
};

typedef wr_status (*wr_ntfs_visit)(void *arg, const struct wr_ntfs_dirent *e);

enum { WR_NTFS_LIST_DOS = 1 }; /* also report DOS-only (8.3) names */

/* Lists a directory in collation order. A visitor's non-OK status stops the
 * walk and is returned. */
wr_status wr_ntfs_list(struct wr_ntfs *v, const char *path, unsigned flags,
                       wr_ntfs_visit visit, void *arg, struct wr_err *err);

/* An open file's unnamed stream, for reading in pieces. */
struct wr_ntfs_file;

wr_status wr_ntfs_file_open(struct wr_ntfs *v, const char *path, struct wr_ntfs_file **out,
                            struct wr_err *err);
uint64_t wr_ntfs_file_size(const struct wr_ntfs_file *f);
/* Reads len bytes at offset; the range must lie inside the file. */
wr_status wr_ntfs_file_read(struct wr_ntfs_file *f, uint64_t offset, void *buf, size_t len,
                            struct wr_err *err);
void wr_ntfs_file_close(struct wr_ntfs_file *f);

/* Whole file into a new allocation (wr_free it); WR_E_TOO_BIG above max_len. */
wr_status wr_ntfs_read_file(struct wr_ntfs *v, const char *path, size_t max_len,
                            uint8_t **data, size_t *len, struct wr_err *err);

/* A read-only wr_volume over an open NTFS volume (read_file, stat, list_dir). */
void wr_ntfs_as_volume(struct wr_ntfs *v, const char *name, struct wr_volume *out);

/* Volume state beyond the flags: hibernation / Fast Startup from the
 * \hiberfil.sys header. */
enum wr_ntfs_hiber {
    WR_NTFS_HIBER_NONE,       /* no hiberfil.sys, or an empty/zeroed header */
    WR_NTFS_HIBER_ACTIVE,     /* "hibr"/"HIBR": a frozen session holds the volume */
    WR_NTFS_HIBER_RESUMED,    /* "wake"/"RSTR"...: resumed, not hibernated now */
    WR_NTFS_HIBER_UNKNOWN,    /* unreadable or unexpected header */
};
enum wr_ntfs_hiber wr_ntfs_hibernation(struct wr_ntfs *v);
const char *wr_ntfs_hiber_name(enum wr_ntfs_hiber h);

/* Caps, here so tests and callers can see them. */
#define WR_NTFS_MAX_RUNS 1000000u      /* runs in one attribute */
#define WR_NTFS_MAX_EXTENTS 4096u      /* extent records of one attribute */
#define WR_NTFS_MAX_ATTR_LIST (256u * 1024u)
#define WR_NTFS_MAX_DEPTH 32u          /* index B+tree levels */
#define WR_NTFS_MAX_PATH_DEPTH 64u
#define WR_NTFS_MAX_RESIDENT_READ (64u * 1024u * 1024u) /* metadata read whole */

#endif
