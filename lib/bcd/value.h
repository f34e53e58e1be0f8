/* Typed element values: the registry data of an `Element` value decoded by
 * the format in the element code (bcd.md §1), and encoded back the way
 * bcdedit writes it (integers always 8 bytes, canonical strings). The store
 * keeps the raw bytes, so decoding is a view and never loses anything. */
#ifndef WR_BCD_VALUE_H
#define WR_BCD_VALUE_H

#include "bcd/device.h"
#include "bcd/elements.h"

struct wr_bcd_value {
    unsigned format;                  /* enum wr_bcd_format */
    char *str;                        /* STRING (UTF-8, up to the first NUL) */
    struct wr_guid guid;              /* OBJECT */
    struct wr_guid *guids;            /* OBJLIST */
    uint64_t *ints;                   /* INTLIST */
    size_t count;                     /* entries in guids or ints */
    uint64_t integer;                 /* INTEGER, BOOLEAN (0/1) */
    struct wr_bcd_devval dev;         /* DEVICE */
};

/* Decodes `Element` data of registry type reg_type for element `code`.
 * WR_E_CORRUPT (naming the element) when the type or length is wrong for
 * the format; device errors as in device.h. */
wr_status wr_bcd_value_decode(uint32_t code, uint32_t reg_type, const uint8_t *data,
                              size_t len, struct wr_bcd_value *out, struct wr_err *err);
/* New allocation; *reg_type receives the registry type to store it with. */
wr_status wr_bcd_value_encode(const struct wr_bcd_value *v, uint32_t *reg_type,
                              uint8_t **data, size_t *len, struct wr_err *err);
void wr_bcd_value_clear(struct wr_bcd_value *v);

/* How object references print: alias/{default} or the full GUID. */
typedef void (*wr_bcd_ref_fn)(void *arg, struct wr_text *t, const struct wr_guid *g);

/* Value lines for /enum: first line goes after the name, each further
 * entry of a list on its own line (the caller indents). Returns the number
 * of lines appended, each ended by '\n'. */
struct wr_bcd_value_style {
    unsigned device_flags;            /* WR_BCD_TEXT_* */
    wr_bcd_ref_fn ref;                /* NULL: full GUIDs */
    void *ref_arg;
    wr_bcd_alias_fn alias;            /* for device options ids */
    void *alias_arg;
};
void wr_bcd_value_render(struct wr_text *t, const struct wr_bcd_value *v,
                         const struct wr_bcd_element_def *def, const char *indent,
                         const struct wr_bcd_value_style *style);

/* Parsing bcdedit command-line values for element `code` (bcd.md §7.5):
 * booleans on/off/yes/no/true/false/1/0, integers decimal or 0x hex or an
 * enumerated name, object ids through resolve_id, lists as separate args. */
struct wr_bcd_parse_ctx {
    const struct wr_bcd_element_def *def;  /* for value names; may be NULL */
    struct wr_bcd_device_parse_opts device;
    wr_status (*resolve_id)(void *arg, const char *text, struct wr_guid *out,
                            struct wr_err *err);
    void *resolve_arg;
};
wr_status wr_bcd_value_parse(uint32_t code, const char *const *args, size_t n_args,
                             const struct wr_bcd_parse_ctx *ctx, struct wr_bcd_value *out,
                             struct wr_err *err);

#endif
