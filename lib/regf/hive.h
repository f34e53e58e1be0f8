/* lib/regf internals shared by the reader, the validator and the editor:
 * the hive object and bounds-checked access to its cells and records. */
#ifndef WR_REGF_HIVE_H
#define WR_REGF_HIVE_H

#include "base/bytes.h"
#include "regf/baseblock.h"
#include "regf/regf.h"

#define REGF_BINS 4096u          /* file offset of cell index 0 */
#define REGF_MAX_DEPTH 512u      /* §12.4: CM_CHECK_REGISTRY_TREE_TOO_MANY_LEVELS */
#define REGF_MAX_KEY_NAME 255u   /* characters (UTF-16 code units) */
#define REGF_MAX_VALUE_NAME 16383u
#define REGF_MAX_HIVE (1u << 30) /* we refuse hives larger than 1 GiB */
#define REGF_BIG_SEGMENT 16344u
#define REGF_NK_HEADER 76u
#define REGF_VK_HEADER 20u
#define REGF_SK_HEADER 20u
#define REGF_NK_MAX_CELL 0x45Cu  /* ReactOS rejects larger key cells */

/* nk flags */
#define REGF_KEY_VOLATILE 0x0001u
#define REGF_KEY_HIVE_EXIT 0x0002u
#define REGF_KEY_HIVE_ENTRY 0x0004u
#define REGF_KEY_NO_DELETE 0x0008u
#define REGF_KEY_COMP_NAME 0x0020u
/* vk flags */
#define REGF_VALUE_COMP_NAME 0x0001u
#define REGF_DATA_INLINE 0x80000000u

/* nk field offsets (record, after the cell size) */
enum {
    NK_FLAGS = 2, NK_TIME = 4, NK_PARENT = 16, NK_SUBKEYS = 20, NK_VSUBKEYS = 24,
    NK_LIST = 28, NK_VLIST = 32, NK_VALUES = 36, NK_VALUE_LIST = 40, NK_SK = 44,
    NK_CLASS = 48, NK_MAX_NAME = 52, NK_MAX_CLASS = 56, NK_MAX_VNAME = 60,
    NK_MAX_VDATA = 64, NK_WORKVAR = 68, NK_NAME_LEN = 72, NK_CLASS_LEN = 74,
};
/* vk */
enum { VK_NAME_LEN = 2, VK_SIZE = 4, VK_DATA = 8, VK_TYPE = 12, VK_FLAGS = 16 };
/* sk */
enum { SK_FLINK = 4, SK_BLINK = 8, SK_REFS = 12, SK_LEN = 16 };

struct wr_regf_hive {
    uint8_t *img;        /* base block + bins */
    size_t len;          /* REGF_BINS + bins_size */
    uint32_t bins_size;
    uint32_t minor;
    uint32_t root;
    uint8_t *cells;      /* one bit per 8 bytes of bins: start of an allocated cell */
    uint8_t *dirty;      /* one bit per 512-byte unit of img */
    char *name;
    bool writable;
    bool recovered;
    bool salvaged;
    size_t findings;
    uint64_t now;        /* FILETIME stamped on edited keys; 0 = leave as is */
};

static inline uint8_t *regf_bins(const struct wr_regf_hive *h)
{
    return h->img + REGF_BINS;
}

static inline bool regf_is_cell(const struct wr_regf_hive *h, uint32_t off)
{
    return off < h->bins_size && (off & 7) == 0 &&
           (h->cells[off >> 6] >> ((off >> 3) & 7) & 1);
}

/* The record of the allocated cell at off and its usable length (cell size
 * minus the 4-byte size field), or NULL when off is not an allocated cell.
 * The bins scan guarantees an allocated cell lies inside its bin. */
static inline const uint8_t *regf_cell(const struct wr_regf_hive *h, uint32_t off,
                                       uint32_t *len)
{
    if (!regf_is_cell(h, off))
        return NULL;
    const uint8_t *p = regf_bins(h) + off;
    *len = (uint32_t)(-(int32_t)wr_le32(p)) - 4;
    return p + 4;
}

/* Records by kind: NULL (with a message) unless the cell is allocated, big
 * enough for the fixed part and the name, and carries the signature. */
const uint8_t *wr_regf_nk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err);
const uint8_t *wr_regf_vk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err);
const uint8_t *wr_regf_sk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err);

static inline uint16_t regf_nk_name_len(const uint8_t *nk) { return wr_le16(nk + NK_NAME_LEN); }
static inline bool regf_nk_compressed(const uint8_t *nk)
{
    return (wr_le16(nk + NK_FLAGS) & REGF_KEY_COMP_NAME) != 0;
}

/* The value list of a key: entries and count, bounds-checked. */
wr_status wr_regf_value_list(const struct wr_regf_hive *h, const uint8_t *nk,
                          const uint8_t **entries, uint32_t *count, struct wr_err *err);

/* Iterates the entries of a subkey list (li/lf/lh, or ri over leaves). */
struct regf_subkeys {
    const struct wr_regf_hive *h;
    const uint8_t *ri;     /* ri record, or NULL for a single leaf */
    uint32_t ri_count, ri_next;
    const uint8_t *leaf;   /* current leaf record */
    uint32_t leaf_count, leaf_next, stride;
};
wr_status wr_regf_subkeys_begin(struct regf_subkeys *it, const struct wr_regf_hive *h,
                             uint32_t list, struct wr_err *err);
/* *child = next entry; returns false at the end. Errors (a bad leaf under an
 * ri) stop the iteration with *st set. */
bool wr_regf_subkeys_next(struct regf_subkeys *it, uint32_t *child, wr_status *st,
                       struct wr_err *err);

/* Dirty tracking and writes (edit code only). */
void wr_regf_mark(struct wr_regf_hive *h, size_t img_off, size_t len);
static inline uint8_t *regf_wcell(struct wr_regf_hive *h, uint32_t off)
{
    return regf_bins(h) + off + 4;
}


#endif
