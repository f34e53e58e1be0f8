/* Setting and deleting values (§7, §13.6): inline data up to 4 bytes, one
 * cell up to 16344 bytes (or any size in a 1.3 hive), db big data beyond. */
#include "regf/edit.h"

#include "base/utf16.h"

#define VALUE_DATA_MAX (64u << 20)

long wr_regf_value_index(const struct wr_regf_hive *h, const uint8_t *nk,
                      const struct regf_name *want, struct wr_err *err, wr_status *st);
void wr_regf_free_value(struct wr_regf_hive *h, uint32_t vk_off);

static void free_data(struct wr_regf_hive *h, uint32_t vk_off)
{
    const uint8_t *vk = wr_regf_vk(h, vk_off, NULL);
    uint32_t raw = wr_le32(vk + VK_SIZE), size = raw & ~REGF_DATA_INLINE;
    uint32_t data = wr_le32(vk + VK_DATA), len;

    if ((raw & REGF_DATA_INLINE) || size == 0)
        return;
    const uint8_t *cell = regf_cell(h, data, &len);
    if (!cell)
        return;
    if (size > REGF_BIG_SEGMENT && h->minor >= 4 && len >= 8 && cell[0] == 'd' &&
        cell[1] == 'b') {
        uint32_t nseg = wr_le16(cell + 2), list = wr_le32(cell + 4), list_len;
        for (uint32_t i = 0; i < nseg; i++) {
            const uint8_t *segs = regf_cell(h, list, &list_len);
            if (!segs || 4 * i + 4 > list_len)
                break;
            wr_regf_free(h, wr_le32(segs + 4 * i));
        }
        wr_regf_free(h, list);
    }
    wr_regf_free(h, data);
}

void wr_regf_free_value(struct wr_regf_hive *h, uint32_t vk_off)
{
    if (!wr_regf_vk(h, vk_off, NULL))
        return;
    free_data(h, vk_off);
    wr_regf_free(h, vk_off);
}

/* Stores data; *raw_size and *field are what the vk's size and data fields
 * get. Nothing is allocated for inline data. */
static wr_status store_data(struct wr_regf_hive *h, const uint8_t *data, uint32_t len,
                            uint32_t *raw_size, uint32_t *field, struct wr_err *err)
{
    wr_status st;

    *raw_size = len;
    *field = WR_REGF_NIL;
    if (len <= 4) {
        *raw_size = len | REGF_DATA_INLINE;
        *field = 0;
        for (uint32_t i = 0; i < len; i++) /* the field holds the bytes in order */
            *field |= (uint32_t)data[i] << (8 * i);
        return WR_OK;
    }
    if (len <= REGF_BIG_SEGMENT || h->minor < 4) {
        st = wr_regf_alloc(h, len, field, err);
        if (st == WR_OK)
            memcpy(wr_regf_edit(h, *field), data, len);
        return st;
    }
    uint32_t nseg = (len + REGF_BIG_SEGMENT - 1) / REGF_BIG_SEGMENT, db, list;
    st = wr_regf_alloc(h, 8, &db, err);
    if (st != WR_OK)
        return st;
    st = wr_regf_alloc(h, 4 * nseg, &list, err);
    if (st != WR_OK) {
        wr_regf_free(h, db);
        return st;
    }
    uint8_t *p = wr_regf_edit(h, db);
    p[0] = 'd';
    p[1] = 'b';
    wr_put_le16(p + 2, (uint16_t)nseg);
    wr_put_le32(p + 4, list);
    for (uint32_t i = 0; i < nseg; i++) {
        uint32_t first = i * REGF_BIG_SEGMENT, seg;
        uint32_t n = len - first < REGF_BIG_SEGMENT ? len - first : REGF_BIG_SEGMENT;
        st = wr_regf_alloc(h, n, &seg, err);
        if (st != WR_OK) {
            uint32_t list_len;
            for (uint32_t k = 0; k < i; k++)
                wr_regf_free(h, wr_le32(regf_cell(h, list, &list_len) + 4 * k));
            wr_regf_free(h, list);
            wr_regf_free(h, db);
            return st;
        }
        memcpy(wr_regf_edit(h, seg), data + first, n);
        wr_put_le32(wr_regf_edit(h, list) + 4 * i, seg);
    }
    *field = db;
    return WR_OK;
}

static void raise_largest(struct wr_regf_hive *h, uint32_t key, uint32_t name_units,
                          uint32_t len)
{
    uint8_t *nk = wr_regf_edit(h, key);

    if (wr_le32(nk + NK_MAX_VNAME) < 2 * name_units)
        wr_put_le32(nk + NK_MAX_VNAME, 2 * name_units);
    if (wr_le32(nk + NK_MAX_VDATA) < len)
        wr_put_le32(nk + NK_MAX_VDATA, len);
}

static wr_status append_value(struct wr_regf_hive *h, uint32_t key, uint32_t vk,
                              struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, NULL);
    uint32_t n = wr_le32(nk + NK_VALUES), old = wr_le32(nk + NK_VALUE_LIST), len, list;

    if (n > 0 && regf_cell(h, old, &len) && len / 4 > n) {
        wr_put_le32(wr_regf_edit(h, old) + 4 * n, vk);
        list = old;
    } else {
        wr_status st = wr_regf_alloc(h, 4 * (n + 1), &list, err);
        if (st != WR_OK)
            return st;
        if (n > 0)
            memcpy(wr_regf_edit(h, list), regf_cell(h, old, &len), 4 * (size_t)n);
        wr_put_le32(wr_regf_edit(h, list) + 4 * n, vk);
        if (n > 0)
            wr_regf_free(h, old);
    }
    uint8_t *w = wr_regf_edit(h, key);
    wr_put_le32(w + NK_VALUES, n + 1);
    wr_put_le32(w + NK_VALUE_LIST, list);
    return WR_OK;
}

static wr_status new_value(struct wr_regf_hive *h, uint32_t key,
                           const struct regf_owned_name *name, uint32_t type,
                           const uint8_t *data, uint32_t len, struct wr_err *err)
{
    uint32_t vk, raw, field;
    wr_status st = wr_regf_alloc(h, REGF_VK_HEADER + name->stored_len, &vk, err);

    if (st != WR_OK)
        return st;
    st = store_data(h, data, len, &raw, &field, err);
    if (st == WR_OK) {
        uint8_t *p = wr_regf_edit(h, vk);
        p[0] = 'v';
        p[1] = 'k';
        wr_put_le16(p + VK_NAME_LEN, (uint16_t)name->stored_len);
        wr_put_le32(p + VK_SIZE, raw);
        wr_put_le32(p + VK_DATA, field);
        wr_put_le32(p + VK_TYPE, type);
        wr_put_le16(p + VK_FLAGS, name->compressed ? REGF_VALUE_COMP_NAME : 0);
        memcpy(p + REGF_VK_HEADER, name->stored, name->stored_len);
        st = append_value(h, key, vk, err);
    }
    if (st != WR_OK)
        wr_regf_free_value(h, vk);
    return st;
}

static wr_status replace_value(struct wr_regf_hive *h, uint32_t vk, uint32_t type,
                               const uint8_t *data, uint32_t len, struct wr_err *err)
{
    uint32_t raw, field;
    wr_status st = store_data(h, data, len, &raw, &field, err);

    if (st != WR_OK)
        return st;
    free_data(h, vk);
    uint8_t *p = wr_regf_edit(h, vk);
    wr_put_le32(p + VK_SIZE, raw);
    wr_put_le32(p + VK_DATA, field);
    wr_put_le32(p + VK_TYPE, type);
    return WR_OK;
}

wr_status wr_regf_value_set(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                            uint32_t type, const uint8_t *data, size_t len, struct wr_err *err)
{
    struct regf_owned_name nm;
    wr_status st = wr_regf_check_writable(h, err);

    if (st != WR_OK)
        return st;
    if (!wr_regf_nk(h, key, err))
        return WR_E_INVALID;
    if (len > VALUE_DATA_MAX)
        return wr_fail(err, WR_E_TOO_BIG, "%s: %zu bytes of value data is over the %u limit",
                       wr_regf_name(h), len, VALUE_DATA_MAX);
    st = wr_regf_name_from_utf8(name, REGF_MAX_VALUE_NAME, false, &nm, err);
    if (st != WR_OK)
        return st;
    struct regf_name view = regf_owned_view(&nm);
    long i = wr_regf_value_index(h, wr_regf_nk(h, key, NULL), &view, err, &st);
    if (st == WR_OK && i >= 0) {
        uint32_t len32, vk = wr_le32(regf_cell(h, wr_le32(wr_regf_nk(h, key, NULL) + NK_VALUE_LIST),
                                               &len32) + 4 * i);
        st = replace_value(h, vk, type, data, (uint32_t)len, err);
    } else if (st == WR_OK) {
        st = new_value(h, key, &nm, type, data, (uint32_t)len, err);
    }
    if (st == WR_OK) {
        raise_largest(h, key, nm.units, (uint32_t)len);
        wr_regf_touch(h, key);
    }
    wr_regf_owned_name_free(&nm);
    return st;
}

wr_status wr_regf_value_delete(struct wr_regf_hive *h, wr_regf_node key, const char *name,
                               struct wr_err *err)
{
    struct regf_owned_name nm;
    wr_status st = wr_regf_check_writable(h, err);

    if (st != WR_OK)
        return st;
    if (!wr_regf_nk(h, key, err))
        return WR_E_INVALID;
    st = wr_regf_name_from_utf8(name, REGF_MAX_VALUE_NAME, false, &nm, err);
    if (st != WR_OK)
        return st;
    struct regf_name view = regf_owned_view(&nm);
    long i = wr_regf_value_index(h, wr_regf_nk(h, key, NULL), &view, err, &st);
    wr_regf_owned_name_free(&nm);
    if (st != WR_OK)
        return st;
    if (i < 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: key 0x%x has no value \"%s\"", wr_regf_name(h),
                       key, name);
    const uint8_t *nk = wr_regf_nk(h, key, NULL);
    uint32_t n = wr_le32(nk + NK_VALUES), list = wr_le32(nk + NK_VALUE_LIST);
    uint8_t *entries = wr_regf_edit(h, list);
    uint32_t vk = wr_le32(entries + 4 * i);
    memmove(entries + 4 * i, entries + 4 * i + 4, 4 * (size_t)(n - 1 - (uint32_t)i));
    wr_put_le32(entries + 4 * (n - 1), 0);
    uint8_t *w = wr_regf_edit(h, key);
    wr_put_le32(w + NK_VALUES, n - 1);
    if (n == 1) {
        wr_put_le32(w + NK_VALUE_LIST, WR_REGF_NIL);
        wr_regf_free(h, list);
    }
    wr_regf_touch(h, key);
    wr_regf_free_value(h, vk);
    return WR_OK;
}
