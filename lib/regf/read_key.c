/* Reading keys: names, class, subkeys, lookup by name and path. */
#include "regf/hive.h"
#include "regf/name.h"

#include "base/utf16.h"

static struct regf_name nk_name(const uint8_t *nk)
{
    struct regf_name n = { nk + REGF_NK_HEADER, regf_nk_name_len(nk), regf_nk_compressed(nk) };

    if (!n.compressed)
        n.units /= 2;
    return n;
}

wr_status wr_regf_key_name_raw(const struct wr_regf_hive *h, wr_regf_node key,
                               const uint8_t **bytes, size_t *len, bool *compressed,
                               struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);

    if (!nk)
        return WR_E_CORRUPT;
    *bytes = nk + REGF_NK_HEADER;
    *len = regf_nk_name_len(nk);
    *compressed = regf_nk_compressed(nk);
    return WR_OK;
}

size_t wr_regf_key_name_buf(const struct wr_regf_hive *h, wr_regf_node key, char *buf,
                            size_t size)
{
    const uint8_t *nk = wr_regf_nk(h, key, NULL);

    if (!nk) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    struct regf_name n = nk_name(nk);
    return wr_regf_name_to_utf8(&n, buf, size);
}

wr_status wr_regf_key_name(const struct wr_regf_hive *h, wr_regf_node key, char **name,
                           struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);

    if (!nk)
        return WR_E_CORRUPT;
    struct regf_name n = nk_name(nk);
    size_t need = wr_regf_name_to_utf8(&n, NULL, 0);
    *name = wr_alloc(need + 1);
    if (!*name)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a key name");
    wr_regf_name_to_utf8(&n, *name, need + 1);
    return WR_OK;
}

uint64_t wr_regf_key_timestamp(const struct wr_regf_hive *h, wr_regf_node key)
{
    const uint8_t *nk = wr_regf_nk(h, key, NULL);

    return nk ? wr_le64(nk + NK_TIME) : 0;
}

wr_status wr_regf_key_class(const struct wr_regf_hive *h, wr_regf_node key, char **cls,
                            struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);
    uint32_t len, cell_len;

    *cls = NULL;
    if (!nk)
        return WR_E_CORRUPT;
    len = wr_le16(nk + NK_CLASS_LEN);
    if (len == 0)
        return WR_OK;
    const uint8_t *p = regf_cell(h, wr_le32(nk + NK_CLASS), &cell_len);
    if (!p || cell_len < len)
        return wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x: class name cell 0x%x is missing",
                       wr_regf_name(h), key, wr_le32(nk + NK_CLASS));
    return wr_utf16le_to_utf8_alloc(p, len / 2, 0, cls, err);
}

wr_status wr_regf_subkey_count(const struct wr_regf_hive *h, wr_regf_node key, size_t *count,
                               struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);

    if (!nk)
        return WR_E_CORRUPT;
    *count = wr_le32(nk + NK_SUBKEYS);
    return WR_OK;
}

wr_status wr_regf_subkeys(const struct wr_regf_hive *h, wr_regf_node key,
                          wr_regf_node **children, size_t *count, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);
    struct regf_subkeys it;
    wr_status st;
    uint32_t n, child;
    size_t got = 0;

    *children = NULL;
    *count = 0;
    if (!nk)
        return WR_E_CORRUPT;
    n = wr_le32(nk + NK_SUBKEYS);
    if (n == 0)
        return WR_OK;
    if (n > h->bins_size / 8)
        return wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x claims %u subkeys", wr_regf_name(h), key,
                       n);
    st = wr_regf_subkeys_begin(&it, h, wr_le32(nk + NK_LIST), err);
    if (st != WR_OK)
        return st;
    *children = wr_alloc_array(n, sizeof **children);
    if (!*children)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory listing %u subkeys", n);
    while (got < n && wr_regf_subkeys_next(&it, &child, &st, err))
        (*children)[got++] = child;
    if (st == WR_OK && got != n)
        st = wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x: %u subkeys recorded, lists hold %zu",
                     wr_regf_name(h), key, n, got);
    if (st != WR_OK) {
        wr_free(*children);
        *children = NULL;
        return st;
    }
    *count = got;
    return WR_OK;
}

wr_status wr_regf_subkey_at(const struct wr_regf_hive *h, wr_regf_node key, size_t index,
                            wr_regf_node *child, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(h, key, err);
    struct regf_subkeys it;
    wr_status st;
    uint32_t c;

    if (!nk)
        return WR_E_CORRUPT;
    if (index >= wr_le32(nk + NK_SUBKEYS))
        return wr_fail(err, WR_E_NOT_FOUND, "%s: key 0x%x has no subkey %zu", wr_regf_name(h),
                       key, index);
    st = wr_regf_subkeys_begin(&it, h, wr_le32(nk + NK_LIST), err);
    if (st != WR_OK)
        return st;
    for (size_t i = 0; wr_regf_subkeys_next(&it, &c, &st, err); i++)
        if (i == index) {
            *child = c;
            return WR_OK;
        }
    return st != WR_OK ? st
                       : wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x: subkey list is short",
                                 wr_regf_name(h), key);
}

/* The child whose name equals `want` (upcased), or NIL. Every entry's full
 * name is compared: hints and hashes may be wrong in files we read. */
static wr_status find_child(const struct wr_regf_hive *h, const uint8_t *nk,
                            const struct regf_name *want, uint32_t *found, struct wr_err *err)
{
    struct regf_subkeys it;
    wr_status st;
    uint32_t child;

    *found = WR_REGF_NIL;
    if (wr_le32(nk + NK_SUBKEYS) == 0)
        return WR_OK;
    st = wr_regf_subkeys_begin(&it, h, wr_le32(nk + NK_LIST), err);
    if (st != WR_OK)
        return st;
    while (wr_regf_subkeys_next(&it, &child, &st, err)) {
        const uint8_t *c = wr_regf_nk(h, child, NULL);
        if (!c)
            continue;
        struct regf_name n = nk_name(c);
        if (n.units == want->units && wr_regf_name_cmp(&n, want) == 0) {
            *found = child;
            return WR_OK;
        }
    }
    return st;
}

static wr_status child_by_utf8(const struct wr_regf_hive *h, wr_regf_node key, const char *name,
                               size_t len, wr_regf_node *child, struct wr_err *err)
{
    uint8_t small[2 * 256];
    size_t units;
    const uint8_t *nk = wr_regf_nk(h, key, err);
    wr_status st;

    if (!nk)
        return WR_E_CORRUPT;
    st = wr_utf8_to_utf16le(name, len, small, 256, &units, err);
    if (st != WR_OK)
        return st;
    if (units > 256 || units == 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no key \"%.*s\"", wr_regf_name(h), (int)len, name);
    struct regf_name want = { small, (uint32_t)units, false };
    uint32_t found;
    st = find_child(h, nk, &want, &found, err);
    if (st != WR_OK)
        return st;
    if (found == WR_REGF_NIL)
        return wr_fail(err, WR_E_NOT_FOUND, "%s: no key \"%.*s\"", wr_regf_name(h), (int)len, name);
    *child = found;
    return WR_OK;
}

wr_status wr_regf_child(const struct wr_regf_hive *h, wr_regf_node key, const char *name,
                        wr_regf_node *child, struct wr_err *err)
{
    return child_by_utf8(h, key, name, strlen(name), child, err);
}

wr_status wr_regf_lookup(const struct wr_regf_hive *h, wr_regf_node from, const char *path,
                         wr_regf_node *out, struct wr_err *err)
{
    wr_regf_node cur = from;
    size_t i = 0, n = strlen(path);

    for (unsigned depth = 0; i < n; depth++) {
        if (depth > REGF_MAX_DEPTH)
            return wr_fail(err, WR_E_TOO_BIG, "path \"%s\" is deeper than %u levels", path,
                           REGF_MAX_DEPTH);
        while (i < n && path[i] == '\\')
            i++;
        size_t start = i;
        while (i < n && path[i] != '\\')
            i++;
        if (i == start)
            break;
        wr_status st = child_by_utf8(h, cur, path + start, i - start, &cur, err);
        if (st != WR_OK)
            return st;
    }
    *out = cur;
    return WR_OK;
}
