/* Creating and deleting keys (§5, §13.4). Offsets only across allocations:
 * any regf_alloc may move the image. */
#include "regf/edit.h"

void wr_regf_set_time(struct wr_regf_hive *h, uint64_t filetime)
{
    h->now = filetime;
}

/* Position of `name` among sorted children, or -1 (with *at) if absent. */
static long find_slot(const struct wr_regf_hive *h, const uint32_t *kids, uint32_t n,
                      const struct regf_name *name, uint32_t *at)
{
    uint32_t lo = 0, hi = n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        struct regf_name m = wr_regf_key_name_of(h, kids[mid]);
        int c = wr_regf_name_cmp(&m, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return -1;
}

static void fill_nk(struct wr_regf_hive *h, uint32_t off, uint32_t parent,
                    const struct regf_owned_name *name, uint32_t sk, uint64_t time)
{
    uint8_t *nk = wr_regf_edit(h, off);

    nk[0] = 'n';
    nk[1] = 'k';
    wr_put_le16(nk + NK_FLAGS, name->compressed ? REGF_KEY_COMP_NAME : 0);
    wr_put_le64(nk + NK_TIME, time);
    wr_put_le32(nk + NK_PARENT, parent);
    wr_put_le32(nk + NK_LIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_VLIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_VALUE_LIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_SK, sk);
    wr_put_le32(nk + NK_CLASS, WR_REGF_NIL);
    wr_put_le16(nk + NK_NAME_LEN, (uint16_t)name->stored_len);
    memcpy(nk + REGF_NK_HEADER, name->stored, name->stored_len);
}

/* Points parent at a new list holding kids[0..n); frees the old one. */
static wr_status relist(struct wr_regf_hive *h, uint32_t parent, const uint32_t *kids,
                        uint32_t n, struct wr_err *err)
{
    uint32_t list;
    wr_status st = wr_regf_list_build(h, kids, n, &list, err);

    if (st != WR_OK)
        return st;
    const uint8_t *nk = wr_regf_nk(h, parent, NULL);
    uint32_t old = wr_le32(nk + NK_SUBKEYS) ? wr_le32(nk + NK_LIST) : WR_REGF_NIL;
    uint8_t *w = wr_regf_edit(h, parent);
    wr_put_le32(w + NK_SUBKEYS, n);
    wr_put_le32(w + NK_LIST, list);
    wr_regf_list_free(h, old);
    wr_regf_touch(h, parent);
    return WR_OK;
}

static wr_status create_child(struct wr_regf_hive *h, uint32_t parent, uint32_t *kids,
                              uint32_t n, uint32_t at, const struct regf_owned_name *name,
                              uint32_t *child, struct wr_err *err)
{
    const uint8_t *pnk = wr_regf_nk(h, parent, err);
    uint32_t sk = wr_le32(pnk + NK_SK), off;
    uint64_t time = h->now ? h->now : wr_le64(pnk + NK_TIME);
    wr_status st = wr_regf_sk_ref(h, sk, err);

    if (st != WR_OK)
        return st;
    st = wr_regf_alloc(h, REGF_NK_HEADER + name->stored_len, &off, err);
    if (st != WR_OK) {
        wr_regf_sk_unref(h, sk);
        return st;
    }
    fill_nk(h, off, parent, name, sk, time);
    memmove(kids + at + 1, kids + at, (n - at) * sizeof *kids);
    kids[at] = off;
    st = relist(h, parent, kids, n + 1, err);
    if (st != WR_OK) {
        wr_regf_free(h, off);
        wr_regf_sk_unref(h, sk);
        return st;
    }
    uint8_t *w = wr_regf_edit(h, parent);
    uint32_t max = wr_le32(w + NK_MAX_NAME);
    if ((max & 0xFFFF) < 2 * name->units)
        wr_put_le32(w + NK_MAX_NAME, (max & 0xFFFF0000u) | (2 * name->units));
    *child = off;
    return WR_OK;
}

/* Levels from the root (1) to key, following Parent fields, which strict
 * open verified and the editor keeps true. */
static uint32_t depth_of(const struct wr_regf_hive *h, uint32_t key)
{
    uint32_t depth = 1;

    while (key != h->root && depth <= REGF_MAX_DEPTH) {
        const uint8_t *nk = wr_regf_nk(h, key, NULL);
        if (!nk)
            break;
        key = wr_le32(nk + NK_PARENT);
        depth++;
    }
    return depth;
}

wr_status wr_regf_key_create(struct wr_regf_hive *h, wr_regf_node parent, const char *name,
                             wr_regf_node *child, struct wr_err *err)
{
    struct regf_owned_name nm;
    uint32_t *kids, n, at = 0;
    wr_status st = wr_regf_check_writable(h, err);

    if (st != WR_OK)
        return st;
    if (!wr_regf_nk(h, parent, err))
        return WR_E_INVALID;
    if (depth_of(h, parent) >= REGF_MAX_DEPTH)
        return wr_fail(err, WR_E_TOO_BIG, "%s: a key below 0x%x would be deeper than %u levels",
                       wr_regf_name(h), parent, REGF_MAX_DEPTH);
    st = wr_regf_name_from_utf8(name, REGF_MAX_KEY_NAME, true, &nm, err);
    if (st != WR_OK)
        return st;
    st = wr_regf_list_collect(h, parent, &kids, &n, err);
    if (st == WR_OK) {
        struct regf_name view = regf_owned_view(&nm);
        long found = find_slot(h, kids, n, &view, &at);
        if (found >= 0) {
            *child = kids[found];
            st = wr_fail(err, WR_E_EXISTS, "%s: key \"%s\" already exists", wr_regf_name(h), name);
        } else {
            uint32_t *more = wr_realloc(kids, ((size_t)n + 1) * sizeof *kids);
            if (!more)
                st = wr_fail(err, WR_E_NO_MEMORY, "out of memory adding a subkey");
            else
                kids = more;
            if (st == WR_OK)
                st = create_child(h, parent, kids, n, at, &nm, child, err);
        }
        wr_free(kids);
    }
    wr_regf_owned_name_free(&nm);
    return st;
}

/* ------------------------------------------------------------ deleting */

void wr_regf_free_value(struct wr_regf_hive *h, uint32_t vk_off);

static void free_key_cells(struct wr_regf_hive *h, uint32_t key)
{
    const uint8_t *nk = wr_regf_nk(h, key, NULL);
    uint32_t n, list, cls, sk;

    if (!nk)
        return;
    n = wr_le32(nk + NK_VALUES);
    list = wr_le32(nk + NK_VALUE_LIST);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len;
        const uint8_t *entries = regf_cell(h, list, &len);
        if (!entries)
            break;
        wr_regf_free_value(h, wr_le32(entries + 4 * i));
    }
    if (n)
        wr_regf_free(h, list);
    nk = wr_regf_nk(h, key, NULL);
    cls = wr_le16(nk + NK_CLASS_LEN) ? wr_le32(nk + NK_CLASS) : WR_REGF_NIL;
    if (cls != WR_REGF_NIL)
        wr_regf_free(h, cls);
    if (wr_le32(nk + NK_SUBKEYS))
        wr_regf_list_free(h, wr_le32(nk + NK_LIST));
    sk = wr_le32(nk + NK_SK);
    wr_regf_sk_unref(h, sk);
    wr_regf_free(h, key);
}

/* Every key of the subtree, parents before children. */
static wr_status gather(const struct wr_regf_hive *h, uint32_t top, uint32_t **out, size_t *n,
                        struct wr_err *err)
{
    size_t cap = 16, len = 1;
    uint32_t *all = wr_alloc_array(cap, sizeof *all);

    if (!all)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory deleting a subtree");
    all[0] = top;
    for (size_t i = 0; i < len; i++) {
        uint32_t *kids, k;
        wr_status st = wr_regf_list_collect(h, all[i], &kids, &k, err);
        if (st != WR_OK) {
            wr_free(all);
            return st;
        }
        if (len + k > cap) {
            size_t ncap = (len + k) * 2;
            uint32_t *more = wr_realloc(all, ncap * sizeof *all);
            if (!more) {
                wr_free(kids);
                wr_free(all);
                return wr_fail(err, WR_E_NO_MEMORY, "out of memory deleting a subtree");
            }
            all = more;
            cap = ncap;
        }
        memcpy(all + len, kids, k * sizeof *kids);
        len += k;
        wr_free(kids);
    }
    *out = all;
    *n = len;
    return WR_OK;
}

wr_status wr_regf_key_delete(struct wr_regf_hive *h, wr_regf_node key, struct wr_err *err)
{
    uint32_t *kids, n, at = 0, *all = NULL;
    size_t count = 0;
    wr_status st = wr_regf_check_writable(h, err);

    if (st != WR_OK)
        return st;
    if (key == h->root)
        return wr_fail(err, WR_E_REFUSED, "%s: the root key cannot be deleted", wr_regf_name(h));
    if (!wr_regf_nk(h, key, err))
        return WR_E_INVALID;
    /* Strict open proved Parent fields true, and the editor keeps them so. */
    uint32_t parent = wr_le32(wr_regf_nk(h, key, NULL) + NK_PARENT);
    st = wr_regf_list_collect(h, parent, &kids, &n, err);
    if (st != WR_OK)
        return st;
    struct regf_name name = wr_regf_key_name_of(h, key);
    long pos = find_slot(h, kids, n, &name, &at);
    if (pos < 0 || kids[pos] != key) {
        wr_free(kids);
        return wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x is not listed under its parent 0x%x",
                       wr_regf_name(h), key, parent);
    }
    st = gather(h, key, &all, &count, err);
    if (st != WR_OK) {
        wr_free(kids);
        return st;
    }
    memmove(kids + pos, kids + pos + 1, (n - (uint32_t)pos - 1) * sizeof *kids);
    st = relist(h, parent, kids, n - 1, err);
    wr_free(kids);
    if (st == WR_OK)
        for (size_t i = count; i-- > 0;)
            free_key_cells(h, all[i]);
    wr_free(all);
    return st;
}
