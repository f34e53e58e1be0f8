/* Key and value names as stored (Latin-1 bytes when compressed, else
 * UTF-16LE): comparison with Windows' upcase rules, lh hashes, lf hints,
 * and conversion from the UTF-8 the API takes. */
#ifndef WR_REGF_NAME_H
#define WR_REGF_NAME_H

#include "base/status.h"

struct regf_name {
    const uint8_t *bytes;
    uint32_t units;     /* code units (bytes when compressed) */
    bool compressed;
};

static inline uint16_t regf_name_unit(const struct regf_name *n, uint32_t i)
{
    if (n->compressed)
        return n->bytes[i];
    return (uint16_t)(n->bytes[2 * i] | n->bytes[2 * i + 1] << 8);
}

/* <0, 0, >0 comparing upcased code units; on a tie the shorter name first. */
int wr_regf_name_cmp(const struct regf_name *a, const struct regf_name *b);
/* The lh hash: h = 37 * h + upcase(unit). */
uint32_t wr_regf_name_hash(const struct regf_name *n);
/* The lf hint: the first 4 code units as bytes, zero-padded; all zero when
 * one of them is >= 0x100. */
uint32_t wr_regf_name_hint(const struct regf_name *n);
/* True when every unit is <= 0xFF, so the name is stored one byte each. */
bool wr_regf_name_fits_latin1(const struct regf_name *n);

/* A name converted from UTF-8 for storing or lookup: UTF-16LE units in
 * utf16, and the stored form (compressed when it fits Latin-1). */
struct regf_owned_name {
    uint8_t *utf16;     /* 2 * units bytes */
    uint8_t *stored;    /* what goes into the record */
    uint32_t units;
    uint32_t stored_len;
    bool compressed;
};
/* max_units: 255 for keys, 16383 for values. what: "key"/"value" for
 * messages. Key names must be non-empty and contain no '\'. */
wr_status wr_regf_name_from_utf8(const char *utf8, uint32_t max_units, bool is_key,
                              struct regf_owned_name *out, struct wr_err *err);
void wr_regf_owned_name_free(struct regf_owned_name *n);
static inline struct regf_name regf_owned_view(const struct regf_owned_name *n)
{
    struct regf_name v = { n->utf16, n->units, false };
    return v;
}

/* UTF-8 (WTF-8) of a stored name into buf; returns the full length. */
size_t wr_regf_name_to_utf8(const struct regf_name *n, char *buf, size_t size);

#endif
