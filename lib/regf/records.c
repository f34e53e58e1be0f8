/* Bounds-checked access to nk, vk and sk records, value lists and subkey
 * lists. Every reader goes through these, whatever mode the hive was opened
 * in, so a broken reference gives an error instead of a wild read. */
#include "regf/hive.h"

const char *wr_regf_name(const struct wr_regf_hive *h)
{
    return h->name ? h->name : "hive";
}

const uint8_t *wr_regf_nk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, off, &len);

    if (!p) {
        wr_fail(err, WR_E_CORRUPT, "%s: key offset 0x%x is not an allocated cell", wr_regf_name(h),
                off);
        return NULL;
    }
    if (len < REGF_NK_HEADER || p[0] != 'n' || p[1] != 'k') {
        wr_fail(err, WR_E_CORRUPT, "%s: cell 0x%x is not a key (nk) record", wr_regf_name(h), off);
        return NULL;
    }
    if (REGF_NK_HEADER + (uint32_t)regf_nk_name_len(p) > len) {
        wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x: name of %u bytes runs past its %u-byte cell",
                wr_regf_name(h), off, regf_nk_name_len(p), len);
        return NULL;
    }
    return p;
}

const uint8_t *wr_regf_vk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, off, &len);

    if (!p) {
        wr_fail(err, WR_E_CORRUPT, "%s: value offset 0x%x is not an allocated cell",
                wr_regf_name(h), off);
        return NULL;
    }
    if (len < REGF_VK_HEADER || p[0] != 'v' || p[1] != 'k') {
        wr_fail(err, WR_E_CORRUPT, "%s: cell 0x%x is not a value (vk) record", wr_regf_name(h), off);
        return NULL;
    }
    if (REGF_VK_HEADER + (uint32_t)wr_le16(p + VK_NAME_LEN) > len) {
        wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: name of %u bytes runs past its cell",
                wr_regf_name(h), off, wr_le16(p + VK_NAME_LEN));
        return NULL;
    }
    return p;
}

const uint8_t *wr_regf_sk(const struct wr_regf_hive *h, uint32_t off, struct wr_err *err)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, off, &len);

    if (!p || len < REGF_SK_HEADER || p[0] != 's' || p[1] != 'k') {
        wr_fail(err, WR_E_CORRUPT, "%s: offset 0x%x is not a security (sk) record",
                wr_regf_name(h), off);
        return NULL;
    }
    if (wr_le32(p + SK_LEN) > len - REGF_SK_HEADER) {
        wr_fail(err, WR_E_CORRUPT, "%s: sk 0x%x: descriptor of %u bytes runs past its cell",
                wr_regf_name(h), off, wr_le32(p + SK_LEN));
        return NULL;
    }
    return p;
}

wr_status wr_regf_value_list(const struct wr_regf_hive *h, const uint8_t *nk,
                          const uint8_t **entries, uint32_t *count, struct wr_err *err)
{
    uint32_t n = wr_le32(nk + NK_VALUES);
    uint32_t list = wr_le32(nk + NK_VALUE_LIST);
    uint32_t len;

    *count = 0;
    *entries = NULL;
    if (n == 0)
        return WR_OK;
    *entries = regf_cell(h, list, &len);
    if (!*entries)
        return wr_fail(err, WR_E_CORRUPT, "%s: value list 0x%x is not an allocated cell",
                       wr_regf_name(h), list);
    if (n > len / 4)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: value list 0x%x: %u entries do not fit its %u-byte cell",
                       wr_regf_name(h), list, n, len);
    *count = n;
    return WR_OK;
}

/* A leaf record (li/lf/lh) at off: its entry count and stride. */
static const uint8_t *leaf_at(const struct wr_regf_hive *h, uint32_t off, uint32_t *count,
                              uint32_t *stride, struct wr_err *err)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, off, &len);

    if (!p || len < 4) {
        wr_fail(err, WR_E_CORRUPT, "%s: subkey list 0x%x is not an allocated cell",
                wr_regf_name(h), off);
        return NULL;
    }
    if (p[0] == 'l' && (p[1] == 'f' || p[1] == 'h'))
        *stride = 8;
    else if (p[0] == 'l' && p[1] == 'i')
        *stride = 4;
    else {
        wr_fail(err, WR_E_CORRUPT, "%s: subkey list 0x%x has signature \"%c%c\", not a leaf",
                wr_regf_name(h), off, p[0] >= 0x20 && p[0] < 0x7f ? p[0] : '?',
                p[1] >= 0x20 && p[1] < 0x7f ? p[1] : '?');
        return NULL;
    }
    *count = wr_le16(p + 2);
    if (*count > (len - 4) / *stride) {
        wr_fail(err, WR_E_CORRUPT, "%s: subkey list 0x%x: %u entries do not fit its cell",
                wr_regf_name(h), off, *count);
        return NULL;
    }
    return p;
}

wr_status wr_regf_subkeys_begin(struct regf_subkeys *it, const struct wr_regf_hive *h,
                             uint32_t list, struct wr_err *err)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, list, &len);

    memset(it, 0, sizeof *it);
    it->h = h;
    if (!p || len < 4)
        return wr_fail(err, WR_E_CORRUPT, "%s: subkey list 0x%x is not an allocated cell",
                       wr_regf_name(h), list);
    if (p[0] == 'r' && p[1] == 'i') {
        it->ri = p;
        it->ri_count = wr_le16(p + 2);
        if (it->ri_count > (len - 4) / 4)
            return wr_fail(err, WR_E_CORRUPT, "%s: index root 0x%x: %u entries do not fit",
                           wr_regf_name(h), list, it->ri_count);
        return WR_OK;
    }
    it->leaf = leaf_at(h, list, &it->leaf_count, &it->stride, err);
    return it->leaf ? WR_OK : WR_E_CORRUPT;
}

bool wr_regf_subkeys_next(struct regf_subkeys *it, uint32_t *child, wr_status *st,
                       struct wr_err *err)
{
    *st = WR_OK;
    while (!it->leaf || it->leaf_next >= it->leaf_count) {
        if (!it->ri || it->ri_next >= it->ri_count)
            return false;
        /* ri elements must be leaves: following one level only is what
         * stops CVE-2021-3622-style recursion. */
        uint32_t off = wr_le32(it->ri + 4 + 4 * it->ri_next++);
        it->leaf_next = 0;
        it->leaf = leaf_at(it->h, off, &it->leaf_count, &it->stride, err);
        if (!it->leaf) {
            *st = WR_E_CORRUPT;
            return false;
        }
    }
    *child = wr_le32(it->leaf + 4 + it->stride * it->leaf_next++);
    return true;
}
