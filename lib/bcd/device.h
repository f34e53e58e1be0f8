/* The BCD device element (format 1): decode and encode, bcd.md §5.
 *
 * Element = 16-byte options GUID + one device descriptor, which may nest
 * further descriptors (a ramdisk's file on a partition, a VHD's backing file).
 * Decoding is strict: it accepts exactly the layouts of bcd.md §5.2 with every
 * reserved field and padding zero, so that encoding the result reproduces the
 * input byte for byte. Anything else is refused (WR_E_CORRUPT when a size or
 * length does not fit, WR_E_UNSUPPORTED for a well-formed shape we do not
 * model); the store keeps such elements as raw bytes. */
#ifndef WR_BCD_DEVICE_H
#define WR_BCD_DEVICE_H

#include "base/fmt.h"
#include "base/guid.h"
#include "base/status.h"

enum wr_bcd_dev_kind {
    WR_BCD_DEV_BOOT = 1,   /* the device bootmgr was loaded from */
    WR_BCD_DEV_PARTITION,  /* qualified partition (disk class 0, or 6 = inside a VHD) */
    WR_BCD_DEV_RAMDISK,    /* image file loaded into RAM */
    WR_BCD_DEV_FILE,       /* a file as a device (a VHD's backing file) */
    WR_BCD_DEV_VDISK,      /* any partition of a virtual disk */
    WR_BCD_DEV_LOCATE,     /* search partitions for the path in an element */
};

enum { WR_BCD_STYLE_GPT = 0, WR_BCD_STYLE_MBR = 1 };
enum { WR_BCD_DISK_PHYSICAL = 0, WR_BCD_DISK_VIRTUAL = 6 };

#define WR_BCD_DEVICE_MAX_DEPTH 8

struct wr_bcd_device {
    enum wr_bcd_dev_kind kind;
    uint32_t flags;            /* descriptor Flags as stored (1 on ramdisks) */
    /* PARTITION, and the style of a VDISK */
    uint32_t style;            /* WR_BCD_STYLE_* */
    uint32_t disk_class;       /* WR_BCD_DISK_*; VIRTUAL has a backing parent */
    struct wr_guid part_guid;  /* GPT partition GUID */
    struct wr_guid disk_guid;  /* GPT disk GUID */
    uint64_t mbr_offset;       /* MBR: partition start in bytes */
    uint32_t mbr_signature;    /* MBR: NT disk signature */
    /* RAMDISK, FILE: path on parent. LOCATE: the search string (often "") */
    char *path;                /* UTF-8 (WTF-8 for lone surrogates) */
    /* RAMDISK/FILE: the device holding the file; VDISK and VIRTUAL
     * partitions: the backing file; LOCATE: optional parent (NULL = any) */
    struct wr_bcd_device *parent;
    uint32_t locate_element;   /* LOCATE: element whose value is searched */
};

/* A whole device element. */
struct wr_bcd_devval {
    struct wr_guid options;    /* additional-options object, zero for none */
    struct wr_bcd_device dev;
};

wr_status wr_bcd_device_decode(const uint8_t *data, size_t len, struct wr_bcd_devval *out,
                               struct wr_err *err);
/* New allocation of exactly the encoded size; wr_free it. */
wr_status wr_bcd_device_encode(const struct wr_bcd_devval *dv, uint8_t **data, size_t *len,
                               struct wr_err *err);

/* Frees what a device owns (path, parents), not the struct itself. */
void wr_bcd_device_clear(struct wr_bcd_device *dev);
/* Deep copy into *dst (which is overwritten). */
wr_status wr_bcd_device_copy(struct wr_bcd_device *dst, const struct wr_bcd_device *src,
                             struct wr_err *err);

/* ---- text forms (bcd.md §7.4, with our offline partition syntax) */

enum {
    /* bcdedit's rendering: a partition we cannot map to a volume is
     * "unknown" (bcdedit prints that for a disk that is not attached) */
    WR_BCD_TEXT_COMPAT = 1,
    /* print full GUIDs for the options object (bcdedit /v) */
    WR_BCD_TEXT_VERBOSE = 2,
};

/* Maps a GUID to its alias ("{ramdiskoptions}") or NULL; used for the
 * options id without /v. May be NULL. */
typedef const char *(*wr_bcd_alias_fn)(void *arg, const struct wr_guid *g);

/* boot | partition=gpt:{disk}/{part} | partition=mbr:SIG/0xOFFSET |
 * ramdisk=[PARENT]PATH,{options} | file=[PARENT]PATH | vhd=[PARENT]PATH |
 * vhd=[PARENT]PATH,partition=mbr:SIG/0xOFFSET (a partition inside a VHD) |
 * vhd=[PARENT]PATH,locate=custom:XXXXXXXX | locate=custom:XXXXXXXX. */
void wr_bcd_device_render(struct wr_text *t, const struct wr_bcd_devval *dv, unsigned flags,
                          wr_bcd_alias_fn alias, void *alias_arg);

/* Turns a partition spec that is not in our gpt:/mbr: form (a Linux block
 * device, "disk.img:3") into a partition device. The tools supply it; NULL
 * means only our own forms are accepted. */
typedef wr_status (*wr_bcd_partition_resolver)(void *arg, const char *spec,
                                               struct wr_bcd_device *out, struct wr_err *err);

struct wr_bcd_device_parse_opts {
    wr_bcd_partition_resolver resolve;
    void *resolve_arg;
    /* resolves "{alias}" or "{guid}" after a ramdisk path; NULL = GUIDs only */
    wr_status (*resolve_id)(void *arg, const char *text, struct wr_guid *out,
                            struct wr_err *err);
    void *resolve_id_arg;
};

/* Parses the forms printed by wr_bcd_device_render (not the compat ones),
 * plus "partition=<spec>" and "[<spec>]" parents for the resolver. */
wr_status wr_bcd_device_parse(const char *text, const struct wr_bcd_device_parse_opts *opts,
                              struct wr_bcd_devval *out, struct wr_err *err);

#endif
