/* Shared between the files of lib/ntfs; not for other parts of lib/. */
#ifndef WR_NTFS_INTERNAL_H
#define WR_NTFS_INTERNAL_H

#include "base/bytes.h"
#include "base/fmt.h"
#include "ntfs/ntfs.h"

enum {
    AT_STANDARD_INFORMATION = 0x10,
    AT_ATTRIBUTE_LIST = 0x20,
    AT_FILE_NAME = 0x30,
    AT_VOLUME_NAME = 0x60,
    AT_VOLUME_INFORMATION = 0x70,
    AT_DATA = 0x80,
    AT_INDEX_ROOT = 0x90,
    AT_INDEX_ALLOCATION = 0xA0,
    AT_BITMAP = 0xB0,
    AT_REPARSE_POINT = 0xC0,
    AT_END = 0xFFFFFFFFu,
};

enum {
    REC_MFT = 0,
    REC_VOLUME = 3,
    REC_ROOT = 5,
    REC_UPCASE = 10,
};

#define ATTR_COMPRESSED 0x0001
#define ATTR_COMPRESSION_MASK 0x00FF
#define ATTR_ENCRYPTED 0x4000
#define ATTR_SPARSE 0x8000

#define FILE_ATTR_REPARSE 0x400
#define FILE_ATTR_ENCRYPTED 0x4000
#define FN_ATTR_DIRECTORY 0x10000000u

#define MREF(r) ((r) & 0x0000FFFFFFFFFFFFULL)
#define MSEQ(r) ((uint16_t)((r) >> 48))

/* One run of clusters; lcn < 0 is a sparse run. */
struct ntfs_run {
    uint64_t vcn;
    uint64_t len;
    int64_t lcn;
};

struct ntfs_runlist {
    struct ntfs_run *runs;
    size_t count;
    size_t cap;
    uint64_t vcns; /* clusters described so far */
};

struct wr_ntfs {
    const struct wr_blockdev *dev;
    const char *name;
    uint32_t sector_size;
    uint32_t cluster_size;
    unsigned cluster_shift;
    uint32_t record_size;
    uint32_t index_size;
    uint64_t total_sectors;
    uint64_t cluster_count;
    uint64_t mft_lcn;
    uint64_t mftmirr_lcn;
    uint64_t serial;
    bool used_backup_boot;
    struct ntfs_runlist mft;
    uint64_t mft_records;
    bool mft_has_attr_list;
    uint8_t *upcase;  /* $UpCase as on disk (LE16); NULL when unusable */
    size_t upcase_n;  /* its entries; the characters past it map to themselves */
    uint8_t major, minor;
    uint16_t volume_flags;
    char label[128];
};

/* Header of one attribute inside a fixed-up record; pointers into it. */
struct ntfs_attr {
    uint32_t type;
    uint32_t length;
    bool nonres;
    uint8_t name_len;
    const uint8_t *name; /* UTF-16LE, name_len units */
    uint16_t flags;
    uint16_t instance;
    const uint8_t *base; /* the attribute record */
    /* resident */
    const uint8_t *value;
    uint32_t value_len;
    /* non-resident */
    uint64_t lowest_vcn, highest_vcn;
    const uint8_t *pairs;
    uint32_t pairs_len;
    uint8_t cu_log2;
    uint64_t alloc_size, data_size, init_size;
};

/* A whole attribute, assembled from every record that holds a slice. */
struct ntfs_stream {
    uint32_t type;
    bool nonres;
    uint16_t flags;
    uint8_t cu_log2;
    uint8_t *value;   /* resident copy */
    uint32_t value_len;
    struct ntfs_runlist rl;
    uint64_t alloc_size, data_size, init_size;
    uint32_t slices;
};

/* A base record, fixed up and checked, plus its attribute list if any. */
struct ntfs_inode {
    uint64_t recno;
    uint16_t seq;
    uint16_t rec_flags;
    uint16_t link_count;
    uint8_t *rec;
    uint32_t in_use;
    uint8_t *alist;       /* $ATTRIBUTE_LIST value, or NULL */
    uint32_t alist_len;
};

#define REC_IN_USE 0x0001
#define REC_IS_DIR 0x0002

/* True when `clusters` clusters hold at least `bytes` bytes. */
static inline bool ntfs_covers(const struct wr_ntfs *v, uint64_t clusters, uint64_t bytes)
{
    return clusters > (UINT64_MAX >> v->cluster_shift) || bytes <= clusters << v->cluster_shift;
}

/* record.c */
wr_status wr_ntfs_fixup(uint8_t *buf, uint32_t size, const char *sig, const char *what,
                     struct wr_err *err);
wr_status wr_ntfs_record_check(struct wr_ntfs *v, uint8_t *buf, uint64_t recno,
                            uint32_t *in_use, struct wr_err *err);
wr_status wr_ntfs_record_read(struct wr_ntfs *v, uint64_t recno, uint8_t *buf,
                           uint32_t *in_use, struct wr_err *err);

/* attr.c: *pos starts at 0; WR_E_NOT_FOUND at the end marker. */
wr_status wr_ntfs_attr_next(const uint8_t *rec, uint32_t in_use, uint32_t *pos,
                         struct ntfs_attr *a, uint64_t recno, struct wr_err *err);
bool wr_ntfs_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* runlist.c */
wr_status wr_ntfs_runs_decode(struct wr_ntfs *v, const struct ntfs_attr *a,
                           struct ntfs_runlist *rl, struct wr_err *err);
const struct ntfs_run *wr_ntfs_runs_find(const struct ntfs_runlist *rl, uint64_t vcn);
void wr_ntfs_runs_free(struct ntfs_runlist *rl);
wr_status wr_ntfs_runs_read(struct wr_ntfs *v, const struct ntfs_runlist *rl, uint64_t offset,
                         uint8_t *buf, size_t len, struct wr_err *err);

/* inode.c */
wr_status wr_ntfs_inode_load(struct wr_ntfs *v, uint64_t ref, bool check_seq,
                          struct ntfs_inode *ino, struct wr_err *err);
void wr_ntfs_inode_free(struct ntfs_inode *ino);
wr_status wr_ntfs_inode_load_alist(struct wr_ntfs *v, struct ntfs_inode *ino, struct wr_err *err);
wr_status wr_ntfs_stream_load(struct wr_ntfs *v, const struct ntfs_inode *ino, uint32_t type,
                           const uint8_t *name, size_t name_len, struct ntfs_stream *s,
                           struct wr_err *err);
void wr_ntfs_stream_free(struct ntfs_stream *s);
/* Reads a whole (small) stream value: resident copy or clusters. */
wr_status wr_ntfs_stream_value(struct wr_ntfs *v, const struct ntfs_stream *s, size_t max,
                            uint8_t **out, size_t *len, struct wr_err *err);

/* mft.c */
wr_status wr_ntfs_mft_bootstrap(struct wr_ntfs *v, struct wr_err *err);

/* boot.c */
wr_status wr_ntfs_boot_parse(struct wr_ntfs *v, const uint8_t *bs, uint64_t dev_bytes,
                          struct wr_err *err);

/* upcase.c */
wr_status wr_ntfs_upcase_load(struct wr_ntfs *v, struct wr_err *err);
int wr_ntfs_collate(const struct wr_ntfs *v, const uint8_t *a, size_t alen, const uint8_t *b,
                 size_t blen);

/* index.c */
wr_status wr_ntfs_dir_lookup(struct wr_ntfs *v, const struct ntfs_inode *dir, const uint8_t *name,
                          size_t name_len, uint64_t *ref, struct wr_err *err);
wr_status wr_ntfs_dir_walk(struct wr_ntfs *v, const struct ntfs_inode *dir,
                        wr_status (*fn)(void *arg, const uint8_t *entry, uint32_t len),
                        void *arg, struct wr_err *err);

/* path.c */
bool wr_ntfs_inode_has(struct wr_ntfs *v, const struct ntfs_inode *ino, uint32_t type);
wr_status wr_ntfs_path_resolve(struct wr_ntfs *v, const char *path, struct ntfs_inode *ino,
                            struct wr_err *err);

/* lznt1.c, xpress.c: decompress into exactly out_len bytes (zero-filled
 * where the input ends early for LZNT1). */
wr_status wr_ntfs_lznt1_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                                   size_t out_len, struct wr_err *err);
wr_status wr_ntfs_xpress_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
                                    size_t out_len, uint16_t *table, struct wr_err *err);
#define XPRESS_TABLE_ENTRIES 32768u

#endif
