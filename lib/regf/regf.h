/* lib/regf: Windows registry hives ("regf"), read and written in memory.
 *
 * A hive is opened from the bytes of its primary file (plus, when the primary
 * is dirty, the bytes of its transaction logs). The library keeps one
 * contiguous buffer holding the full hive image, base block then bins; edits
 * change that buffer and mark which 512-byte units changed, so a commit
 * (lib/regf/commit.h) can write only those. Nothing here does I/O.
 *
 * Keys and values are named by their cell offsets (as in hivex): a
 * wr_regf_node is the offset of an nk cell, a wr_regf_value of a vk cell,
 * both relative to the start of the bins (file offset 4096). They stay valid
 * until the key or value is deleted; other edits never move them.
 *
 * Strings crossing this API are UTF-8; names stored as UTF-16 with unpaired
 * surrogates come out (and go in) as WTF-8, so every name round-trips. */
#ifndef WR_REGF_REGF_H
#define WR_REGF_REGF_H

#include "base/status.h"
#include "regf/recover.h"

struct wr_regf_hive;
typedef uint32_t wr_regf_node;
typedef uint32_t wr_regf_value;

#define WR_REGF_NIL 0xFFFFFFFFu

/* Registry value types (any other 32-bit type is legal and kept as is). */
enum {
    WR_REG_NONE = 0,
    WR_REG_SZ = 1,
    WR_REG_EXPAND_SZ = 2,
    WR_REG_BINARY = 3,
    WR_REG_DWORD = 4,
    WR_REG_DWORD_BE = 5,
    WR_REG_LINK = 6,
    WR_REG_MULTI_SZ = 7,
    WR_REG_RESOURCE_LIST = 8,
    WR_REG_FULL_RESOURCE_DESCRIPTOR = 9,
    WR_REG_RESOURCE_REQUIREMENTS_LIST = 10,
    WR_REG_QWORD = 11,
};

/* ------------------------------------------------------------ findings */

/* One code per check of regf-format.md §12 (and §13 for what a writer must
 * keep). The validator reports every finding; strict open refuses a hive
 * with any finding except WR_REGF_F_DIRTY, which it handles by recovery. */
enum wr_regf_finding_code {
    /* §12.1 base block */
    WR_REGF_F_HEADER_SIGNATURE = 1, /* not "regf" */
    WR_REGF_F_HEADER_CHECKSUM,      /* XOR checksum at 0x1FC wrong */
    WR_REGF_F_HEADER_VERSION,       /* major != 1, minor outside 3..6 */
    WR_REGF_F_HEADER_TYPE,          /* file type != 0 (primary) */
    WR_REGF_F_HEADER_FORMAT,        /* file format != 1 */
    WR_REGF_F_HEADER_CLUSTER,       /* clustering factor != 1 */
    WR_REGF_F_HEADER_BINS_SIZE,     /* bins size not a multiple of 4096, 0, or != sum of bins */
    WR_REGF_F_TRUNCATED,            /* file shorter than 4096 + bins size */
    WR_REGF_F_DIRTY,                /* seq1 != seq2: needs log recovery */
    WR_REGF_F_KTM_LOCKED,           /* flag bit 0: pending KTM transactions (edit refused) */
    /* §12.2 bins */
    WR_REGF_F_BIN_SIGNATURE,        /* not "hbin" */
    WR_REGF_F_BIN_OFFSET,           /* offset field != position */
    WR_REGF_F_BIN_SIZE,             /* size 0, not a multiple of 4096, or past the bins end */
    /* §12.3 cells */
    WR_REGF_F_CELL_SIZE,            /* size 0, not a multiple of 8, or crossing its bin */
    /* references (§4) */
    WR_REGF_F_BAD_REFERENCE,        /* offset is not the start of an allocated cell */
    WR_REGF_F_SHARED_CELL,          /* a non-sk cell referenced twice (or a cycle) */
    /* §12.4 keys */
    WR_REGF_F_ROOT,                 /* root offset NIL or not an allocated nk */
    WR_REGF_F_KEY_SIGNATURE,        /* not "nk" */
    WR_REGF_F_KEY_SIZE,             /* cell too small for 76 + name, or larger than 1116 */
    WR_REGF_F_KEY_NAME,             /* name length 0, or odd for a UTF-16 name */
    WR_REGF_F_KEY_PARENT,           /* Parent field is not the real parent */
    WR_REGF_F_KEY_FLAGS,            /* volatile/hive-exit key on disk */
    WR_REGF_F_TOO_DEEP,             /* more than 512 levels */
    WR_REGF_F_CLASS,                /* class length > 0 without an allocated cell big enough */
    WR_REGF_F_LARGEST,              /* a "largest" field smaller than the truth */
    /* values */
    WR_REGF_F_VALUE_LIST,           /* list cell missing or smaller than 4 * count */
    WR_REGF_F_VALUE_SIGNATURE,      /* entry is not a "vk" */
    WR_REGF_F_VALUE_SIZE,           /* vk cell too small for 20 + name */
    WR_REGF_F_VALUE_DATA,           /* data offset/size inconsistent, data cell too small */
    WR_REGF_F_BIG_DATA,             /* db record, segment list or segments wrong */
    /* subkey lists */
    WR_REGF_F_SUBKEY_LIST,          /* signature not li/lf/lh/ri, or count past the cell */
    WR_REGF_F_SUBKEY_NESTING,       /* ri pointing to an ri, or an ri inside a leaf */
    WR_REGF_F_SUBKEY_COUNT,         /* list entries != nk subkey count */
    WR_REGF_F_SUBKEY_ORDER,         /* siblings not strictly ascending (upcased): unsorted or duplicate */
    WR_REGF_F_SUBKEY_HINT,          /* lf hint or lh hash does not match the name */
    /* security */
    WR_REGF_F_SECURITY,             /* key without an allocated sk, or sk signature wrong */
    WR_REGF_F_SECURITY_DESCRIPTOR,  /* not a valid self-relative descriptor */
    WR_REGF_F_SECURITY_RING,        /* flink/blink do not form one closed ring */
    WR_REGF_F_SECURITY_REFCOUNT,    /* refcount != number of keys using it */
    WR_REGF_F_UNREFERENCED,         /* allocated cells nothing refers to (leaked space) */
    WR_REGF_F__COUNT
};

/* Findings the validator calls "warnings": Windows loads the hive anyway
 * (hints, largest fields, volatile leftovers) but our writer never makes them. */
bool wr_regf_finding_is_warning(enum wr_regf_finding_code code);

struct wr_regf_finding {
    enum wr_regf_finding_code code;
    uint64_t offset;        /* file offset of the offending field or cell */
    char message[200];      /* "key \\Objects\\{..}: subkey list count 3 != nk count 4" */
};

/* Short stable name of a code, e.g. "subkey-order" (used by hivetool --json). */
const char *wr_regf_finding_name(enum wr_regf_finding_code code);

/* Called once per finding; return false to stop validating. */
typedef bool (*wr_regf_finding_fn)(void *arg, const struct wr_regf_finding *f);

/* ------------------------------------------------------------ opening */

/* struct wr_regf_log (a transaction log's bytes) comes from recover.h. */

enum {
    /* Open what can be opened: broken bins, cells, lists and values are
     * skipped (each reported as a finding) instead of refusing the hive.
     * A salvaged hive is read-only. */
    WR_REGF_OPEN_SALVAGE = 1,
    /* Open a dirty primary as it is when no log recovers it (read-only). */
    WR_REGF_OPEN_IGNORE_DIRTY = 2,
    /* Skip the full §12 tree validation at open (bins and cells are still
     * checked, and every read is still bounds-checked). Read-only. */
    WR_REGF_OPEN_FAST = 4,
};

struct wr_regf_open_opts {
    const char *name;                 /* file name for messages; may be NULL */
    unsigned flags;                   /* WR_REGF_OPEN_* */
    const struct wr_regf_log *logs;   /* used only when the primary is dirty */
    size_t n_logs;
    wr_regf_finding_fn on_finding;    /* optional: sees every finding */
    void *finding_arg;
};

/* Copies data. Strict (flags 0): any finding refuses the hive with
 * WR_E_CORRUPT and the first finding's message. A dirty primary is recovered
 * from opts->logs; without a usable log it is refused (WR_E_REFUSED). */
wr_status wr_regf_open(const uint8_t *data, size_t len, const struct wr_regf_open_opts *opts,
                       struct wr_regf_hive **out, struct wr_err *err);
void wr_regf_close(struct wr_regf_hive *h);

/* A new empty hive: root key `root_name`, minor version 3 or 5, one sk
 * (the default descriptor our writer uses: owner/group Administrators,
 * DACL granting full access to SYSTEM and Administrators). */
wr_status wr_regf_create(const char *root_name, uint32_t minor,
                         struct wr_regf_hive **out, struct wr_err *err);

/* Facts about the opened hive. */
struct wr_regf_info {
    uint32_t minor;
    uint32_t seq1, seq2;
    uint32_t flags;
    bool recovered;        /* logs were applied while opening */
    bool salvaged;         /* findings were skipped (salvage mode) */
    bool writable;         /* edits allowed */
    size_t findings;       /* how many findings open saw */
};
void wr_regf_get_info(const struct wr_regf_hive *h, struct wr_regf_info *out);
const char *wr_regf_name(const struct wr_regf_hive *h);

/* ------------------------------------------------------------ reading keys */

wr_regf_node wr_regf_root(const struct wr_regf_hive *h);

/* The key's name in UTF-8 (WTF-8 for lone surrogates); wr_free it. */
wr_status wr_regf_key_name(const struct wr_regf_hive *h, wr_regf_node key, char **name,
                           struct wr_err *err);
/* Same into a caller buffer; returns the full length (like wr_format). */
size_t wr_regf_key_name_buf(const struct wr_regf_hive *h, wr_regf_node key, char *buf,
                            size_t size);
/* The name as stored: Latin-1 bytes when *compressed, else UTF-16LE. */
wr_status wr_regf_key_name_raw(const struct wr_regf_hive *h, wr_regf_node key,
                               const uint8_t **bytes, size_t *len, bool *compressed,
                               struct wr_err *err);
/* Last-written FILETIME of the key. */
uint64_t wr_regf_key_timestamp(const struct wr_regf_hive *h, wr_regf_node key);
/* Class name (UTF-8), or NULL when none; wr_free it. */
wr_status wr_regf_key_class(const struct wr_regf_hive *h, wr_regf_node key, char **cls,
                            struct wr_err *err);

/* Subkeys in stored (sorted) order. */
wr_status wr_regf_subkey_count(const struct wr_regf_hive *h, wr_regf_node key, size_t *count,
                               struct wr_err *err);
wr_status wr_regf_subkey_at(const struct wr_regf_hive *h, wr_regf_node key, size_t index,
                            wr_regf_node *child, struct wr_err *err);
/* All subkeys at once (faster than _at for long ri lists); wr_free *children. */
wr_status wr_regf_subkeys(const struct wr_regf_hive *h, wr_regf_node key,
                          wr_regf_node **children, size_t *count, struct wr_err *err);
/* One child by name, case-insensitively (Windows upcase rules).
 * WR_E_NOT_FOUND when absent. */
wr_status wr_regf_child(const struct wr_regf_hive *h, wr_regf_node key, const char *name,
                        wr_regf_node *child, struct wr_err *err);
/* A path of names separated by '\' below `from` ("" or "\" is `from`
 * itself; a leading '\' is ignored). */
wr_status wr_regf_lookup(const struct wr_regf_hive *h, wr_regf_node from, const char *path,
                         wr_regf_node *out, struct wr_err *err);

/* ------------------------------------------------------------ reading values */

wr_status wr_regf_value_count(const struct wr_regf_hive *h, wr_regf_node key, size_t *count,
                              struct wr_err *err);
wr_status wr_regf_value_at(const struct wr_regf_hive *h, wr_regf_node key, size_t index,
                           wr_regf_value *value, struct wr_err *err);
/* By name, case-insensitively; "" is the default value. WR_E_NOT_FOUND when absent. */
wr_status wr_regf_value_find(const struct wr_regf_hive *h, wr_regf_node key, const char *name,
                             wr_regf_value *value, struct wr_err *err);

/* Name in UTF-8 ("" for the default value); wr_free it. */
wr_status wr_regf_value_name(const struct wr_regf_hive *h, wr_regf_value value, char **name,
                             struct wr_err *err);
size_t wr_regf_value_name_buf(const struct wr_regf_hive *h, wr_regf_value value, char *buf,
                              size_t size);
wr_status wr_regf_value_name_raw(const struct wr_regf_hive *h, wr_regf_value value,
                                 const uint8_t **bytes, size_t *len, bool *compressed,
                                 struct wr_err *err);
uint32_t wr_regf_value_type(const struct wr_regf_hive *h, wr_regf_value value);
/* Data length in bytes (the vk's size field without the inline bit). */
wr_status wr_regf_value_size(const struct wr_regf_hive *h, wr_regf_value value, size_t *len,
                             struct wr_err *err);

/* The raw data, big data assembled, in a new allocation (wr_free it; NULL
 * when len is 0). */
wr_status wr_regf_value_data(const struct wr_regf_hive *h, wr_regf_value value, uint32_t *type,
                             uint8_t **data, size_t *len, struct wr_err *err);
/* The raw data without copying: `visit` sees the pieces in order (one piece
 * unless the value is big data). */
typedef void (*wr_regf_data_fn)(void *arg, const uint8_t *piece, size_t len);
wr_status wr_regf_value_data_pieces(const struct wr_regf_hive *h, wr_regf_value value,
                                    wr_regf_data_fn visit, void *arg, struct wr_err *err);

/* Typed helpers: they check the type and the length and say what is wrong. */
wr_status wr_regf_value_dword(const struct wr_regf_hive *h, wr_regf_value value, uint32_t *out,
                              struct wr_err *err); /* DWORD (LE) or DWORD_BE */
wr_status wr_regf_value_qword(const struct wr_regf_hive *h, wr_regf_value value, uint64_t *out,
                              struct wr_err *err);
/* SZ/EXPAND_SZ/LINK: UTF-16 → UTF-8, stopping at the first NUL; lone
 * surrogates kept as WTF-8 (or U+FFFD with WR_UTF16_REPLACE in flags). */
wr_status wr_regf_value_sz(const struct wr_regf_hive *h, wr_regf_value value, unsigned flags,
                           char **out, struct wr_err *err);
/* MULTI_SZ: an array of UTF-8 strings ending with NULL; free with
 * wr_regf_strings_free. A missing final terminator is tolerated. */
wr_status wr_regf_value_multi_sz(const struct wr_regf_hive *h, wr_regf_value value,
                                 unsigned flags, char ***out, struct wr_err *err);
void wr_regf_strings_free(char **strings);
/* Any type's raw bytes; same as wr_regf_value_data without the type. */
wr_status wr_regf_value_binary(const struct wr_regf_hive *h, wr_regf_value value,
                               uint8_t **data, size_t *len, struct wr_err *err);

/* ------------------------------------------------------------ walking */

/* Depth-first pre-order over every key (bounded to 512 levels). `path` is
 * the key's names from the root's own name joined by '\' (UTF-8). Return
 * anything but WR_OK from visit_key to stop the walk with that status. */
struct wr_regf_walker {
    wr_status (*visit_key)(void *arg, wr_regf_node key, const char *path, size_t path_len,
                           unsigned depth);
    void *arg;
};
wr_status wr_regf_walk(const struct wr_regf_hive *h, wr_regf_node from,
                       const struct wr_regf_walker *w, struct wr_err *err);

/* ------------------------------------------------------------ validation */

/* The §12 checks on the hive as it is in memory now (same code as strict
 * open). Returns the number of findings in *count (warnings included). */
wr_status wr_regf_validate(const struct wr_regf_hive *h, wr_regf_finding_fn fn, void *arg,
                           size_t *count, struct wr_err *err);
/* The same on raw bytes (a file as it is on disk), without recovery. A
 * dirty primary is reported as WR_REGF_F_DIRTY and validated as is. */
wr_status wr_regf_validate_bytes(const uint8_t *data, size_t len, const char *name,
                                 wr_regf_finding_fn fn, void *arg, size_t *count,
                                 struct wr_err *err);

/* ------------------------------------------------------------ editing */

/* Each call leaves the hive valid (§13) or, on failure, unchanged. Edits are
 * refused (WR_E_REFUSED) on hives opened in salvage/ignore-dirty/fast mode
 * and on KTM-locked hives. */

/* Creates `name` under parent (reusing the parent's security descriptor).
 * WR_E_EXISTS (with *child set to the existing key) when it is there. */
wr_status wr_regf_key_create(struct wr_regf_hive *h, wr_regf_node parent, const char *name,
                             wr_regf_node *child, struct wr_err *err);
/* Deletes key and its whole subtree. The root cannot be deleted. */
wr_status wr_regf_key_delete(struct wr_regf_hive *h, wr_regf_node key, struct wr_err *err);
/* Creates or replaces the value `name` ("" = default). */
wr_status wr_regf_value_set(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                            uint32_t type, const uint8_t *data, size_t len, struct wr_err *err);
/* WR_E_NOT_FOUND when absent. */
wr_status wr_regf_value_delete(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                               struct wr_err *err);

/* The FILETIME edits stamp on the keys they change (lib/ has no clock);
 * 0, the default, leaves timestamps as they are (new keys copy their
 * parent's). */
void wr_regf_set_time(struct wr_regf_hive *h, uint64_t filetime);

/* ------------------------------------------------------------ image and commit support */

/* The full hive image (base block + bins). The pointer is valid until the
 * next edit. */
void wr_regf_image(const struct wr_regf_hive *h, const uint8_t **data, size_t *len);
/* Mutable base block (4096 bytes) for the commit code: it edits sequence
 * numbers through baseblock.h helpers. Marks the header units dirty. */
uint8_t *wr_regf_base_block(struct wr_regf_hive *h);

/* Dirty tracking in 512-byte units of the image (unit i = bytes 512i..). */
#define WR_REGF_UNIT 512u
size_t wr_regf_unit_count(const struct wr_regf_hive *h);
bool wr_regf_unit_dirty(const struct wr_regf_hive *h, size_t unit);
bool wr_regf_has_changes(const struct wr_regf_hive *h); /* any unit dirty */
/* Next dirty unit at or after `from`, or wr_regf_unit_count() when none. */
size_t wr_regf_next_dirty_unit(const struct wr_regf_hive *h, size_t from);
void wr_regf_mark_clean(struct wr_regf_hive *h);

#endif
