/* Reading values: the value list, names, types and raw data (inline, one
 * cell, or big data assembled from db segments). */
#include "regf/hive.h"
#include "regf/name.h"

#include "base/utf16.h"

static struct regf_name vk_name(const uint8_t *vk)
{
    struct regf_name n = { vk + REGF_VK_HEADER, wr_le16(vk + VK_NAME_LEN),
                           (wr_le16(vk + VK_FLAGS) & REGF_VALUE_COMP_NAME) != 0 };

    if (!n.compressed)
        n.units /= 2;
    return n;
}

wr_status wr_regf_value_count(const struct wr_regf_hive *h, wr_regf_node key, size_t *count,
                              struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err), *entries;
    uint32_t n;

    if (!nk)
        return WR_E_CORRUPT;
    wr_status st = wr_regf_value_list(h, nk, &entries, &n, err);
    *count = n;
    return st;
}

wr_status wr_regf_value_at(const struct wr_regf_hive *h, wr_regf_node key, size_t index,
                           wr_regf_value *value, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err), *entries;
    uint32_t n;

    if (!nk)
        return WR_E_CORRUPT;
    wr_status st = wr_regf_value_list(h, nk, &entries, &n, err);
    if (st != WR_OK)
        return st;
    if (index >= n)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: key 0x%x has no value %zu", wr_regf_name(h), key,
                       index);
    *value = wr_le32(entries + 4 * index);
    return WR_OK;
}

/* Index of the value named `want` in the key's list, or -1. */
long wr_regf_value_index(const struct wr_regf_hive *h, const uint8_t *nk,
                      const struct regf_name *want, struct wr_err *err, wr_status *st);
long wr_regf_value_index(const struct wr_regf_hive *h, const uint8_t *nk,
                      const struct regf_name *want, struct wr_err *err, wr_status *st)
{
    const uint8_t *entries;
    uint32_t n;

    *st = wr_regf_value_list(h, nk, &entries, &n, err);
    if (*st != WR_OK)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *vk = wr_regf_vk(h, wr_le32(entries + 4 * i), NULL);
        if (!vk)
            continue;
        struct regf_name vn = vk_name(vk);
        if (vn.units == want->units && wr_regf_name_cmp(&vn, want) == 0)
            return (long)i;
    }
    return -1;
}

wr_status wr_regf_value_find(const struct wr_regf_hive *h, wr_regf_node key, const char *name,
                             wr_regf_value *value, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);
    size_t len = strlen(name), units;
    wr_status st;

    if (!nk)
        return WR_E_CORRUPT;
    st = wr_utf8_to_utf16le(name, len, NULL, 0, &units, err);
    if (st != WR_OK)
        return st;
    uint8_t *buf = wr_alloc_array(units + 1, 2);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a value name");
    wr_utf8_to_utf16le(name, len, buf, units, &units, err);
    struct regf_name want = { buf, (uint32_t)units, false };
    long i = wr_regf_value_index(h, nk, &want, err, &st);
    wr_free(buf);
    if (st != WR_OK)
        return st;
    if (i < 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: key 0x%x has no value \"%s\"", wr_regf_name(h),
                       key, name);
    return wr_regf_value_at(h, key, (size_t)i, value, err);
}

wr_status wr_regf_value_name_raw(const struct wr_regf_hive *h, wr_regf_value value,
                                 const uint8_t **bytes, size_t *len, bool *compressed,
                                 struct wr_err *err)
{
    const uint8_t *vk = wr_regf_vk(h, value, err);

    if (!vk)
        return WR_E_CORRUPT;
    *bytes = vk + REGF_VK_HEADER;
    *len = wr_le16(vk + VK_NAME_LEN);
    *compressed = (wr_le16(vk + VK_FLAGS) & REGF_VALUE_COMP_NAME) != 0;
    return WR_OK;
}

size_t wr_regf_value_name_buf(const struct wr_regf_hive *h, wr_regf_value value, char *buf,
                              size_t size)
{
    const uint8_t *vk = wr_regf_vk(h, value, NULL);

    if (!vk) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    struct regf_name n = vk_name(vk);
    return wr_regf_name_to_utf8(&n, buf, size);
}

wr_status wr_regf_value_name(const struct wr_regf_hive *h, wr_regf_value value, char **name,
                             struct wr_err *err)
{
    const uint8_t *vk = wr_regf_vk(h, value, err);

    if (!vk)
        return WR_E_CORRUPT;
    struct regf_name n = vk_name(vk);
    size_t need = wr_regf_name_to_utf8(&n, NULL, 0);
    *name = wr_alloc(need + 1);
    if (!*name)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a value name");
    wr_regf_name_to_utf8(&n, *name, need + 1);
    return WR_OK;
}

uint32_t wr_regf_value_type(const struct wr_regf_hive *h, wr_regf_value value)
{
    const uint8_t *vk = wr_regf_vk(h, value, NULL);

    return vk ? wr_le32(vk + VK_TYPE) : WR_REG_NONE;
}

wr_status wr_regf_value_size(const struct wr_regf_hive *h, wr_regf_value value, size_t *len,
                             struct wr_err *err)
{
    const uint8_t *vk = wr_regf_vk(h, value, err);

    if (!vk)
        return WR_E_CORRUPT;
    *len = wr_le32(vk + VK_SIZE) & ~REGF_DATA_INLINE;
    return WR_OK;
}

static wr_status big_data_pieces(const struct wr_regf_hive *h, wr_regf_value value,
                                 const uint8_t *db, uint32_t size, wr_regf_data_fn visit,
                                 void *arg, struct wr_err *err)
{
    uint32_t nseg = wr_le16(db + 2), list = wr_le32(db + 4), list_len, left = size;
    const uint8_t *segs = regf_cell(h, list, &list_len);

    if (!segs || list_len / 4 < nseg)
        return wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: big data segment list 0x%x is bad",
                       wr_regf_name(h), value, list);
    for (uint32_t i = 0; i < nseg && left > 0; i++) {
        uint32_t seg_len;
        const uint8_t *seg = regf_cell(h, wr_le32(segs + 4 * i), &seg_len);
        if (!seg)
            return wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: big data segment %u is missing",
                           wr_regf_name(h), value, i);
        /* Windows reads at most 16344 bytes from each segment. */
        uint32_t take = seg_len < REGF_BIG_SEGMENT ? seg_len : REGF_BIG_SEGMENT;
        if (take > left)
            take = left;
        visit(arg, seg, take);
        left -= take;
    }
    if (left > 0)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: value 0x%x: big data segments hold %u of %u bytes", wr_regf_name(h),
                       value, size - left, size);
    return WR_OK;
}

wr_status wr_regf_value_data_pieces(const struct wr_regf_hive *h, wr_regf_value value,
                                    wr_regf_data_fn visit, void *arg, struct wr_err *err)
{
    const uint8_t *vk = wr_regf_vk(h, value, err);
    uint32_t raw, size, len;

    if (!vk)
        return WR_E_CORRUPT;
    raw = wr_le32(vk + VK_SIZE);
    size = raw & ~REGF_DATA_INLINE;
    if (raw & REGF_DATA_INLINE) {
        if (size > 4)
            return wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: inline data of %u bytes",
                           wr_regf_name(h), value, size);
        if (size)
            visit(arg, vk + VK_DATA, size);
        return WR_OK;
    }
    if (size == 0)
        return WR_OK;
    const uint8_t *cell = regf_cell(h, wr_le32(vk + VK_DATA), &len);
    if (!cell)
        return wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: data cell 0x%x is not allocated",
                       wr_regf_name(h), value, wr_le32(vk + VK_DATA));
    if (size > REGF_BIG_SEGMENT && h->minor >= 4 && len >= 8 && cell[0] == 'd' && cell[1] == 'b')
        return big_data_pieces(h, value, cell, size, visit, arg, err);
    if (len < size)
        return wr_fail(err, WR_E_CORRUPT,
                       "%s: value 0x%x: %u bytes of data do not fit its %u-byte cell",
                       wr_regf_name(h), value, size, len);
    visit(arg, cell, size);
    return WR_OK;
}

struct gather {
    uint8_t *buf;
    size_t len;
};

static void gather_piece(void *arg, const uint8_t *piece, size_t len)
{
    struct gather *g = arg;

    memcpy(g->buf + g->len, piece, len);
    g->len += len;
}

wr_status wr_regf_value_data(const struct wr_regf_hive *h, wr_regf_value value, uint32_t *type,
                             uint8_t **data, size_t *len, struct wr_err *err)
{
    size_t size;
    wr_status st = wr_regf_value_size(h, value, &size, err);
    struct gather g = { NULL, 0 };

    *data = NULL;
    *len = 0;
    if (st != WR_OK)
        return st;
    if (type)
        *type = wr_regf_value_type(h, value);
    if (size > h->bins_size)
        return wr_fail(err, WR_E_CORRUPT, "%s: value 0x%x: %zu bytes is larger than the hive",
                       wr_regf_name(h), value, size);
    if (size == 0)
        return WR_OK;
    g.buf = wr_alloc(size + 2); /* room for a NUL the typed helpers may add */
    if (!g.buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %zu bytes of value data", size);
    st = wr_regf_value_data_pieces(h, value, gather_piece, &g, err);
    if (st != WR_OK) {
        wr_free(g.buf);
        return st;
    }
    *data = g.buf;
    *len = g.len;
    return WR_OK;
}
