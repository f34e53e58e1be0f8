/* Subkey lists for the editor: rebuilt whole on each change, which keeps
 * them exactly sorted with exact hints or hashes (§6, §13.5). */
#include "regf/edit.h"

#define LEAF_MAX 500u /* 4 + 8 * 500 bytes: one leaf fits a 4 KiB bin */

wr_status wr_regf_check_writable(const struct wr_regf_hive *h, struct wr_err *err)
{
    if (h->writable)
        return WR_OK;
    if (wr_le32(h->img + WR_REGF_BB_FLAGS) & WR_REGF_FLAG_KTM_LOCKED)
        return wr_fail(err, WR_E_REFUSED,
                       "%s: the hive is KTM-locked (pending transactions); not editing it",
                       wr_regf_name(h));
    return wr_fail(err, WR_E_REFUSED,
                   "%s: the hive was opened dirty, salvaged or unvalidated; edits need a "
                   "strict, clean open",
                   wr_regf_name(h));
}

wr_status wr_regf_sk_ref(struct wr_regf_hive *h, uint32_t sk, struct wr_err *err)
{
    const uint8_t *p = wr_regf_sk(h, sk, err);

    if (!p)
        return WR_E_CORRUPT;
    uint32_t refs = wr_le32(p + SK_REFS);
    if (refs == 0xFFFFFFFFu)
        return wr_fail(err, WR_E_TOO_BIG, "%s: sk 0x%x reference count would overflow",
                       wr_regf_name(h), sk);
    wr_put_le32(wr_regf_edit(h, sk) + SK_REFS, refs + 1);
    return WR_OK;
}

void wr_regf_sk_unref(struct wr_regf_hive *h, uint32_t sk)
{
    const uint8_t *p = wr_regf_sk(h, sk, NULL);

    if (!p)
        return;
    uint32_t refs = wr_le32(p + SK_REFS);
    if (refs > 1) {
        wr_put_le32(wr_regf_edit(h, sk) + SK_REFS, refs - 1);
        return;
    }
    uint32_t next = wr_le32(p + SK_FLINK), prev = wr_le32(p + SK_BLINK);
    if (next != sk && wr_regf_sk(h, next, NULL) && wr_regf_sk(h, prev, NULL)) {
        wr_put_le32(wr_regf_edit(h, prev) + SK_FLINK, next);
        wr_put_le32(wr_regf_edit(h, next) + SK_BLINK, prev);
    }
    wr_regf_free(h, sk);
}

struct regf_name wr_regf_key_name_of(const struct wr_regf_hive *h, uint32_t off)
{
    uint32_t len;
    const uint8_t *nk = regf_cell(h, off, &len);
    struct regf_name n = { nk + REGF_NK_HEADER, regf_nk_name_len(nk), regf_nk_compressed(nk) };

    if (!n.compressed)
        n.units /= 2;
    return n;
}

wr_status wr_regf_list_collect(const struct wr_regf_hive *h, uint32_t key, uint32_t **out,
                            uint32_t *count, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);
    struct regf_subkeys it;
    uint32_t n, got = 0, child;
    wr_status st;

    *out = NULL;
    *count = 0;
    if (!nk)
        return WR_E_CORRUPT;
    n = wr_le32(nk + NK_SUBKEYS);
    *out = wr_alloc_array((size_t)n + 1, sizeof **out);
    if (!*out)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %u subkeys", n);
    if (n == 0)
        return WR_OK;
    st = wr_regf_subkeys_begin(&it, h, wr_le32(nk + NK_LIST), err);
    while (st == WR_OK && got < n && wr_regf_subkeys_next(&it, &child, &st, err))
        (*out)[got++] = child;
    if (st != WR_OK) {
        wr_free(*out);
        *out = NULL;
        return st;
    }
    *count = got;
    return WR_OK;
}

static void fill_leaf(struct wr_regf_hive *h, uint32_t leaf, const uint32_t *children,
                      uint32_t count)
{
    bool lh = h->minor >= 5;
    uint8_t *p = wr_regf_edit(h, leaf);

    p[0] = 'l';
    p[1] = lh ? 'h' : 'f';
    wr_put_le16(p + 2, (uint16_t)count);
    for (uint32_t i = 0; i < count; i++) {
        struct regf_name n = wr_regf_key_name_of(h, children[i]);
        wr_put_le32(p + 4 + 8 * i, children[i]);
        wr_put_le32(p + 8 + 8 * i, lh ? wr_regf_name_hash(&n) : wr_regf_name_hint(&n));
    }
}

wr_status wr_regf_list_build(struct wr_regf_hive *h, const uint32_t *children, uint32_t count,
                          uint32_t *list, struct wr_err *err)
{
    uint32_t leaves = (count + LEAF_MAX - 1) / LEAF_MAX, ri, leaf;
    wr_status st;

    *list = WR_REGF_NIL;
    if (count == 0)
        return WR_OK;
    if (leaves > 0xFFFF)
        return wr_fail(err, WR_E_TOO_BIG, "%s: %u subkeys are more than one key can hold",
                       wr_regf_name(h), count);
    if (leaves == 1) {
        st = wr_regf_alloc(h, 4 + 8 * count, &leaf, err);
        if (st == WR_OK) {
            fill_leaf(h, leaf, children, count);
            *list = leaf;
        }
        return st;
    }
    st = wr_regf_alloc(h, 4 + 4 * leaves, &ri, err);
    if (st != WR_OK)
        return st;
    for (uint32_t i = 0; i < leaves; i++) {
        uint32_t first = i * LEAF_MAX;
        uint32_t n = count - first < LEAF_MAX ? count - first : LEAF_MAX;
        st = wr_regf_alloc(h, 4 + 8 * n, &leaf, err);
        if (st != WR_OK) {
            wr_put_le16(wr_regf_edit(h, ri) + 2, (uint16_t)i);
            wr_regf_list_free(h, ri);
            return st;
        }
        fill_leaf(h, leaf, children + first, n);
        uint8_t *p = wr_regf_edit(h, ri);
        p[0] = 'r';
        p[1] = 'i';
        wr_put_le16(p + 2, (uint16_t)(i + 1));
        wr_put_le32(p + 4 + 4 * i, leaf);
    }
    *list = ri;
    return WR_OK;
}

void wr_regf_list_free(struct wr_regf_hive *h, uint32_t list)
{
    uint32_t len;
    const uint8_t *p = regf_cell(h, list, &len);

    if (!p)
        return;
    if (p[0] == 'r' && p[1] == 'i') {
        uint32_t n = wr_le16(p + 2);
        for (uint32_t i = 0; i < n && 4 + 4 * i + 4 <= len; i++) {
            p = regf_cell(h, list, &len); /* freeing may not move, but stay safe */
            wr_regf_free(h, wr_le32(p + 4 + 4 * i));
        }
    }
    wr_regf_free(h, list);
}

void wr_regf_touch(struct wr_regf_hive *h, uint32_t key)
{
    if (h->now)
        wr_put_le64(wr_regf_edit(h, key) + NK_TIME, h->now);
}
