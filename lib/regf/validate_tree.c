/* The tree checks of regf-format.md §12.4 and the security checks of §8:
 * an iterative walk from the root (no recursion, at most 512 levels) that
 * claims every cell it follows, so shared and cyclic references show up as
 * a cell claimed twice. */
#include "regf/bins.h"
#include "regf/name.h"
#include "regf/validate.h"

#include "base/fmt.h"

struct sk_use {
    uint32_t off;
    uint32_t refs;   /* the sk's own count */
    uint32_t uses;   /* keys found using it */
};

struct frame {
    uint32_t key, parent, depth;
};

struct vt {
    const struct wr_regf_hive *h;
    struct regf_report *r;
    uint8_t *seen;
    struct sk_use *sks;
    size_t nsk;
    struct frame *stack;
    size_t sp, cap;
    bool oom;
    char label[96];
};

static uint64_t fo(uint32_t off)
{
    return (uint64_t)REGF_BINS + off;
}

/* "key \"Name\" (0x20)" for messages. */
static const char *label(struct vt *v, uint32_t off, const uint8_t *nk)
{
    char name[48];
    struct regf_name n = { nk + REGF_NK_HEADER, regf_nk_name_len(nk), regf_nk_compressed(nk) };

    if (!n.compressed)
        n.units /= 2;
    if (n.units > 20)
        n.units = 20;
    wr_regf_name_to_utf8(&n, name, sizeof name);
    wr_format(v->label, sizeof v->label, "key \"%s\" at 0x%x", name, off);
    return v->label;
}

/* First reference to a cell: true. A second one means sharing or a cycle. */
static bool claim(struct vt *v, uint32_t off)
{
    uint8_t bit = (uint8_t)(1u << ((off >> 3) & 7));

    if (v->seen[off >> 6] & bit)
        return false;
    v->seen[off >> 6] |= bit;
    return true;
}

static bool push(struct vt *v, uint32_t key, uint32_t parent, uint32_t depth)
{
    if (v->sp == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        struct frame *s = wr_realloc(v->stack, cap * sizeof *s);
        if (!s) {
            v->oom = true;
            return false;
        }
        v->stack = s;
        v->cap = cap;
    }
    v->stack[v->sp++] = (struct frame){ key, parent, depth };
    return true;
}

/* ------------------------------------------------------------ security */

static struct sk_use *sk_find(struct vt *v, uint32_t off)
{
    size_t lo = 0, hi = v->nsk;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->sks[mid].off == off)
            return &v->sks[mid];
        if (v->sks[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void sk_sort(struct sk_use *a, size_t n)
{
    for (size_t gap = n / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < n; i++)
            for (size_t j = i; j >= gap && a[j - gap].off > a[j].off; j -= gap) {
                struct sk_use t = a[j];
                a[j] = a[j - gap];
                a[j - gap] = t;
            }
}

static bool sk_add(struct vt *v, uint32_t off, uint32_t refs)
{
    struct sk_use *s = wr_realloc(v->sks, (v->nsk + 1) * sizeof *s);

    if (!s) {
        v->oom = true;
        return false;
    }
    v->sks = s;
    v->sks[v->nsk++] = (struct sk_use){ off, refs, 0 };
    return true;
}

/* Follows flink from the root key's sk until the ring closes. */
static void collect_sks(struct vt *v, uint32_t start)
{
    const struct wr_regf_hive *h = v->h;
    size_t limit = h->bins_size / 24 + 1;
    uint32_t cur = start;

    for (size_t i = 0; i < limit; i++) {
        const uint8_t *sk = wr_regf_sk(h, cur, NULL);
        if (!sk) {
            wr_regf_report(v->r, WR_REGF_F_SECURITY, fo(cur),
                        "security ring: 0x%x is not an allocated sk record", cur);
            return;
        }
        if (!claim(v, cur)) {
            wr_regf_report(v->r, WR_REGF_F_SECURITY_RING, fo(cur),
                        "security ring loops back to sk 0x%x without closing at 0x%x", cur,
                        start);
            return;
        }
        if (!wr_regf_sd_valid(sk + REGF_SK_HEADER, wr_le32(sk + SK_LEN)))
            wr_regf_report(v->r, WR_REGF_F_SECURITY_DESCRIPTOR, fo(cur) + 4 + REGF_SK_HEADER,
                        "sk 0x%x does not hold a valid self-relative security descriptor",
                        cur);
        if (!sk_add(v, cur, wr_le32(sk + SK_REFS)))
            return;
        uint32_t next = wr_le32(sk + SK_FLINK);
        const uint8_t *nsk = wr_regf_sk(h, next, NULL);
        if (!nsk) {
            wr_regf_report(v->r, WR_REGF_F_SECURITY_RING, fo(cur) + 4 + SK_FLINK,
                        "sk 0x%x: flink 0x%x is not an sk record", cur, next);
            return;
        }
        if (wr_le32(nsk + SK_BLINK) != cur)
            wr_regf_report(v->r, WR_REGF_F_SECURITY_RING, fo(next) + 4 + SK_BLINK,
                        "sk 0x%x: blink 0x%x should be 0x%x", next, wr_le32(nsk + SK_BLINK),
                        cur);
        if (next == start)
            return;
        cur = next;
    }
}

static void check_security(struct vt *v, uint32_t off, const uint8_t *nk)
{
    uint32_t sk = wr_le32(nk + NK_SK);
    struct sk_use *u = sk_find(v, sk);

    if (u) {
        u->uses++;
        return;
    }
    if (wr_regf_sk(v->h, sk, NULL))
        wr_regf_report(v->r, WR_REGF_F_SECURITY_RING, fo(off) + 4 + NK_SK,
                    "%s: sk 0x%x is not in the security ring", label(v, off, nk), sk);
    else
        wr_regf_report(v->r, WR_REGF_F_SECURITY, fo(off) + 4 + NK_SK,
                    "%s: security offset 0x%x is not an sk record", label(v, off, nk), sk);
}

static void check_refcounts(struct vt *v)
{
    for (size_t i = 0; i < v->nsk; i++)
        if (v->sks[i].refs != v->sks[i].uses)
            wr_regf_report(v->r, WR_REGF_F_SECURITY_REFCOUNT, fo(v->sks[i].off) + 4 + SK_REFS,
                        "sk 0x%x: reference count %u, but %u keys use it", v->sks[i].off,
                        v->sks[i].refs, v->sks[i].uses);
}

/* ------------------------------------------------------------ values */

static void check_big_data(struct vt *v, uint32_t owner, uint32_t db_off, const uint8_t *db,
                           uint32_t db_len, uint32_t size)
{
    uint32_t nseg = wr_le16(db + 2);
    uint32_t list = wr_le32(db + 4);
    uint32_t list_len, want = (size + REGF_BIG_SEGMENT - 1) / REGF_BIG_SEGMENT;
    const uint8_t *segs = regf_cell(v->h, list, &list_len);

    (void)db_len;
    if (nseg == 0 || nseg != want) {
        wr_regf_report(v->r, WR_REGF_F_BIG_DATA, fo(db_off) + 6,
                    "value 0x%x: big data 0x%x has %u segments, %u bytes need %u", owner,
                    db_off, nseg, size, want);
        return;
    }
    if (!segs || !claim(v, list) || list_len / 4 < nseg) {
        wr_regf_report(v->r, WR_REGF_F_BIG_DATA, fo(db_off) + 8,
                    "value 0x%x: big data segment list 0x%x is missing, shared or too small",
                    owner, list);
        return;
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < nseg; i++) {
        uint32_t seg = wr_le32(segs + 4 * i), seg_len;
        if (!regf_cell(v->h, seg, &seg_len) || !claim(v, seg)) {
            wr_regf_report(v->r, WR_REGF_F_BIG_DATA, fo(list) + 4 + 4 * i,
                        "value 0x%x: big data segment %u (0x%x) is missing or shared", owner, i,
                        seg);
            return;
        }
        total += seg_len < REGF_BIG_SEGMENT ? seg_len : REGF_BIG_SEGMENT;
    }
    if (total < size)
        wr_regf_report(v->r, WR_REGF_F_BIG_DATA, fo(db_off),
                    "value 0x%x: big data segments hold %llu bytes, the value has %u", owner,
                    (unsigned long long)total, size);
}

static void check_value_data(struct vt *v, uint32_t off, const uint8_t *vk)
{
    uint32_t raw = wr_le32(vk + VK_SIZE), size = raw & ~REGF_DATA_INLINE;
    uint32_t data = wr_le32(vk + VK_DATA), len;
    const uint8_t *cell;

    if (raw & REGF_DATA_INLINE) {
        if (size > 4)
            wr_regf_report(v->r, WR_REGF_F_VALUE_DATA, fo(off) + 4 + VK_SIZE,
                        "value 0x%x: inline data of %u bytes (at most 4 fit)", off, size);
        return;
    }
    if (size == 0) {
        if (data != WR_REGF_NIL)
            wr_regf_report(v->r, WR_REGF_F_VALUE_DATA, fo(off) + 4 + VK_DATA,
                           "value 0x%x: no data, but a data offset 0x%x (should be NIL)", off,
                           data);
        return;
    }
    cell = regf_cell(v->h, data, &len);
    if (!cell) {
        wr_regf_report(v->r, WR_REGF_F_VALUE_DATA, fo(off) + 4 + VK_DATA,
                    "value 0x%x: data offset 0x%x (%u bytes) is not an allocated cell", off,
                    data, size);
        return;
    }
    if (!claim(v, data)) {
        wr_regf_report(v->r, WR_REGF_F_SHARED_CELL, fo(data),
                    "value 0x%x: data cell 0x%x is referenced twice", off, data);
        return;
    }
    if (size > REGF_BIG_SEGMENT && v->h->minor >= 4 && len >= 8 && cell[0] == 'd' &&
        cell[1] == 'b') {
        check_big_data(v, off, data, cell, len, size);
        return;
    }
    if (len < size)
        wr_regf_report(v->r, WR_REGF_F_VALUE_DATA, fo(off) + 4 + VK_SIZE,
                    "value 0x%x: %u bytes of data do not fit its %u-byte cell 0x%x", off, size,
                    len, data);
}

static void check_values(struct vt *v, uint32_t off, const uint8_t *nk)
{
    uint32_t n = wr_le32(nk + NK_VALUES), list = wr_le32(nk + NK_VALUE_LIST), len;
    uint32_t max_name = wr_le32(nk + NK_MAX_VNAME), max_data = wr_le32(nk + NK_MAX_VDATA);
    uint32_t big_name = 0, big_data = 0;
    const uint8_t *entries;

    if (n == 0)
        return;
    entries = regf_cell(v->h, list, &len);
    if (!entries || len / 4 < n || !claim(v, list)) {
        wr_regf_report(v->r, WR_REGF_F_VALUE_LIST, fo(off) + 4 + NK_VALUE_LIST,
                    "%s: value list 0x%x for %u values is missing, too small or shared",
                    label(v, off, nk), list, n);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t vo = wr_le32(entries + 4 * i), vlen;
        const uint8_t *vk = regf_cell(v->h, vo, &vlen);
        if (!vk) {
            wr_regf_report(v->r, WR_REGF_F_BAD_REFERENCE, fo(list) + 4 + 4 * i,
                        "%s: value %u (0x%x) is not an allocated cell", label(v, off, nk), i, vo);
            continue;
        }
        if (!claim(v, vo)) {
            wr_regf_report(v->r, WR_REGF_F_SHARED_CELL, fo(vo),
                        "%s: value cell 0x%x is referenced twice", label(v, off, nk), vo);
            continue;
        }
        if (vlen < REGF_VK_HEADER || vk[0] != 'v' || vk[1] != 'k') {
            wr_regf_report(v->r, WR_REGF_F_VALUE_SIGNATURE, fo(vo),
                        "%s: value %u (0x%x) is not a vk record", label(v, off, nk), i, vo);
            continue;
        }
        uint32_t name_len = wr_le16(vk + VK_NAME_LEN);
        if (REGF_VK_HEADER + name_len > vlen) {
            wr_regf_report(v->r, WR_REGF_F_VALUE_SIZE, fo(vo),
                        "%s: value 0x%x: name of %u bytes runs past its %u-byte cell",
                        label(v, off, nk), vo, name_len, vlen);
            continue;
        }
        if (wr_le16(vk + VK_FLAGS) & REGF_VALUE_COMP_NAME)
            name_len *= 2;
        if (name_len > big_name)
            big_name = name_len;
        uint32_t size = wr_le32(vk + VK_SIZE) & ~REGF_DATA_INLINE;
        if (size > big_data)
            big_data = size;
        check_value_data(v, vo, vk);
    }
    if (max_name < big_name || max_data < big_data)
        wr_regf_report(v->r, WR_REGF_F_LARGEST, fo(off) + 4 + NK_MAX_VNAME,
                    "%s: largest value name/data %u/%u bytes recorded, %u/%u present",
                    label(v, off, nk), max_name, max_data, big_name, big_data);
}

/* ------------------------------------------------------------ subkeys */

static bool child_name(const struct wr_regf_hive *h, uint32_t off, struct regf_name *n,
                       uint32_t *class_len)
{
    uint32_t len;
    const uint8_t *nk = regf_cell(h, off, &len);

    if (!nk || len < REGF_NK_HEADER || nk[0] != 'n' || nk[1] != 'k' ||
        REGF_NK_HEADER + (uint32_t)regf_nk_name_len(nk) > len)
        return false;
    n->bytes = nk + REGF_NK_HEADER;
    n->compressed = regf_nk_compressed(nk);
    n->units = n->compressed ? regf_nk_name_len(nk) : regf_nk_name_len(nk) / 2u;
    *class_len = wr_le16(nk + NK_CLASS_LEN);
    return true;
}

struct sibling_state {
    struct regf_name prev;
    bool have_prev;
    uint32_t count;
    uint32_t big_name, big_class;
};

static void check_entry(struct vt *v, uint32_t off, const uint8_t *nk, const uint8_t *leaf,
                        uint32_t leaf_off, uint32_t i, struct sibling_state *s, uint32_t depth)
{
    uint32_t stride = leaf[1] == 'i' ? 4 : 8;
    uint32_t child = wr_le32(leaf + 4 + stride * i), class_len;
    struct regf_name n;

    s->count++;
    if (child_name(v->h, child, &n, &class_len)) {
        if (s->have_prev && wr_regf_name_cmp(&s->prev, &n) >= 0)
            wr_regf_report(v->r, WR_REGF_F_SUBKEY_ORDER, fo(leaf_off) + 4 + 4 + stride * i,
                        "%s: subkey 0x%x is not after its predecessor in upcased order "
                        "(unsorted or duplicate name)",
                        label(v, off, nk), child);
        if (stride == 8) {
            uint32_t stored = wr_le32(leaf + 4 + 8 * i + 4);
            uint32_t want = leaf[1] == 'h' ? wr_regf_name_hash(&n) : wr_regf_name_hint(&n);
            if (stored != want)
                wr_regf_report(v->r, WR_REGF_F_SUBKEY_HINT, fo(leaf_off) + 4 + 8 + 8 * i,
                            "%s: %s of subkey 0x%x is 0x%08x, its name gives 0x%08x",
                            label(v, off, nk), leaf[1] == 'h' ? "lh hash" : "lf hint", child,
                            stored, want);
        }
        uint32_t bytes = n.units * 2;
        if (bytes > s->big_name)
            s->big_name = bytes;
        if (class_len > s->big_class)
            s->big_class = class_len;
        s->prev = n;
        s->have_prev = true;
    }
    if (depth + 1 > REGF_MAX_DEPTH) {
        wr_regf_report(v->r, WR_REGF_F_TOO_DEEP, fo(child),
                    "key 0x%x is deeper than %u levels", child, REGF_MAX_DEPTH);
        return;
    }
    push(v, child, off, depth + 1);
}

/* A leaf at leaf_off: its entries checked and queued; false if unusable. */
static bool check_leaf(struct vt *v, uint32_t off, const uint8_t *nk, uint32_t leaf_off,
                       struct sibling_state *s, uint32_t depth)
{
    uint32_t len;
    const uint8_t *leaf = regf_cell(v->h, leaf_off, &len);

    if (!leaf || len < 4) {
        wr_regf_report(v->r, WR_REGF_F_BAD_REFERENCE, fo(leaf_off),
                    "%s: subkey list 0x%x is not an allocated cell", label(v, off, nk),
                    leaf_off);
        return false;
    }
    if (!claim(v, leaf_off)) {
        wr_regf_report(v->r, WR_REGF_F_SHARED_CELL, fo(leaf_off),
                    "%s: subkey list 0x%x is referenced twice", label(v, off, nk), leaf_off);
        return false;
    }
    if (leaf[0] == 'r' && leaf[1] == 'i') {
        wr_regf_report(v->r, WR_REGF_F_SUBKEY_NESTING, fo(leaf_off),
                    "%s: index root 0x%x inside an index root", label(v, off, nk), leaf_off);
        return false;
    }
    if (leaf[0] != 'l' || (leaf[1] != 'i' && leaf[1] != 'f' && leaf[1] != 'h')) {
        wr_regf_report(v->r, WR_REGF_F_SUBKEY_LIST, fo(leaf_off),
                    "%s: subkey list 0x%x has no li/lf/lh/ri signature", label(v, off, nk),
                    leaf_off);
        return false;
    }
    uint32_t count = wr_le16(leaf + 2), stride = leaf[1] == 'i' ? 4 : 8;
    if (count > (len - 4) / stride) {
        wr_regf_report(v->r, WR_REGF_F_SUBKEY_LIST, fo(leaf_off) + 6,
                    "%s: subkey list 0x%x: %u entries do not fit its %u-byte cell",
                    label(v, off, nk), leaf_off, count, len);
        return false;
    }
    for (uint32_t i = 0; i < count; i++)
        check_entry(v, off, nk, leaf, leaf_off, i, s, depth);
    return true;
}

static void check_subkeys(struct vt *v, uint32_t off, const uint8_t *nk, uint32_t depth)
{
    uint32_t n = wr_le32(nk + NK_SUBKEYS), list = wr_le32(nk + NK_LIST), len;
    struct sibling_state s;
    const uint8_t *p;

    if (n == 0)
        return;
    memset(&s, 0, sizeof s);
    p = regf_cell(v->h, list, &len);
    if (p && len >= 4 && p[0] == 'r' && p[1] == 'i') {
        if (!claim(v, list)) {
            wr_regf_report(v->r, WR_REGF_F_SHARED_CELL, fo(list),
                        "%s: index root 0x%x is referenced twice", label(v, off, nk), list);
            return;
        }
        uint32_t count = wr_le16(p + 2);
        if (count > (len - 4) / 4) {
            wr_regf_report(v->r, WR_REGF_F_SUBKEY_LIST, fo(list) + 6,
                        "%s: index root 0x%x: %u entries do not fit", label(v, off, nk), list,
                        count);
            return;
        }
        for (uint32_t i = 0; i < count; i++)
            if (!check_leaf(v, off, nk, wr_le32(p + 4 + 4 * i), &s, depth))
                return;
    } else if (!check_leaf(v, off, nk, list, &s, depth)) {
        return;
    }
    if (s.count != n)
        wr_regf_report(v->r, WR_REGF_F_SUBKEY_COUNT, fo(off) + 4 + NK_SUBKEYS,
                    "%s: %u subkeys recorded, its lists hold %u", label(v, off, nk), n,
                    s.count);
    if ((wr_le32(nk + NK_MAX_NAME) & 0xFFFF) < s.big_name ||
        wr_le32(nk + NK_MAX_CLASS) < s.big_class)
        wr_regf_report(v->r, WR_REGF_F_LARGEST, fo(off) + 4 + NK_MAX_NAME,
                    "%s: largest subkey name/class %u/%u bytes recorded, %u/%u present",
                    label(v, off, nk), wr_le32(nk + NK_MAX_NAME) & 0xFFFF,
                    wr_le32(nk + NK_MAX_CLASS), s.big_name, s.big_class);
}

/* ------------------------------------------------------------ keys */

static void check_class(struct vt *v, uint32_t off, const uint8_t *nk)
{
    uint32_t len = wr_le16(nk + NK_CLASS_LEN), cls = wr_le32(nk + NK_CLASS), cell_len;

    if (len == 0)
        return;
    if (!regf_cell(v->h, cls, &cell_len) || cell_len < len || !claim(v, cls))
        wr_regf_report(v->r, WR_REGF_F_CLASS, fo(off) + 4 + NK_CLASS,
                    "%s: class name of %u bytes at 0x%x is missing, too small or shared",
                    label(v, off, nk), len, cls);
}

static void check_key(struct vt *v, const struct frame *f)
{
    uint32_t off = f->key, len;
    const uint8_t *nk = regf_cell(v->h, off, &len);

    if (!nk) {
        wr_regf_report(v->r, f->depth == 1 ? WR_REGF_F_ROOT : WR_REGF_F_BAD_REFERENCE, fo(off),
                    "key 0x%x (subkey of 0x%x) is not an allocated cell", off, f->parent);
        return;
    }
    if (!claim(v, off)) {
        wr_regf_report(v->r, WR_REGF_F_SHARED_CELL, fo(off),
                    "key 0x%x is referenced twice (a shared or cyclic subkey)", off);
        return;
    }
    if (len < REGF_NK_HEADER || nk[0] != 'n' || nk[1] != 'k') {
        wr_regf_report(v->r, f->depth == 1 ? WR_REGF_F_ROOT : WR_REGF_F_KEY_SIGNATURE, fo(off),
                    "cell 0x%x (subkey of 0x%x) is not a key (nk) record", off, f->parent);
        return;
    }
    uint32_t name_len = regf_nk_name_len(nk);
    if (REGF_NK_HEADER + name_len > len) {
        wr_regf_report(v->r, WR_REGF_F_KEY_SIZE, fo(off) + 4 + NK_NAME_LEN,
                    "key 0x%x: name of %u bytes runs past its %u-byte cell", off, name_len, len);
        return;
    }
    if (name_len == 0 || (!regf_nk_compressed(nk) && name_len % 2))
        wr_regf_report(v->r, WR_REGF_F_KEY_NAME, fo(off) + 4 + NK_NAME_LEN,
                    "key 0x%x: name length %u is empty or odd for UTF-16", off, name_len);
    if (len + 4 > REGF_NK_MAX_CELL)
        wr_regf_report(v->r, WR_REGF_F_KEY_SIZE, fo(off),
                    "%s: cell of %u bytes is larger than %u", label(v, off, nk), len + 4,
                    REGF_NK_MAX_CELL);
    if (f->depth > 1 && wr_le32(nk + NK_PARENT) != f->parent)
        wr_regf_report(v->r, WR_REGF_F_KEY_PARENT, fo(off) + 4 + NK_PARENT,
                    "%s: parent field 0x%x, but it is listed under 0x%x", label(v, off, nk),
                    wr_le32(nk + NK_PARENT), f->parent);
    if (wr_le16(nk + NK_FLAGS) & (REGF_KEY_VOLATILE | REGF_KEY_HIVE_EXIT))
        wr_regf_report(v->r, WR_REGF_F_KEY_FLAGS, fo(off) + 4 + NK_FLAGS,
                    "%s: flags 0x%x mark a volatile or mount-point key, never on disk",
                    label(v, off, nk), wr_le16(nk + NK_FLAGS));
    check_class(v, off, nk);
    check_security(v, off, nk);
    check_values(v, off, nk);
    check_subkeys(v, off, nk, f->depth);
}

/* Allocated cells the walk never reached: wasted space, or what a writer
 * forgot to free. One finding with the count and the first offset. */
static void check_unreferenced(struct vt *v)
{
    const struct wr_regf_hive *h = v->h;
    size_t bytes = regf_cell_map_size(h->bins_size), count = 0;
    uint32_t first = 0;

    for (size_t i = 0; i < bytes; i++) {
        uint8_t lost = (uint8_t)(h->cells[i] & ~v->seen[i]);
        for (unsigned b = 0; lost && b < 8; b++)
            if (lost >> b & 1) {
                if (count++ == 0)
                    first = (uint32_t)(i * 64 + b * 8);
            }
    }
    if (count)
        wr_regf_report(v->r, WR_REGF_F_UNREFERENCED, fo(first),
                       "%zu allocated cells are not referenced from the tree (first at 0x%x)",
                       count, first);
}

wr_status wr_regf_validate_tree(const struct wr_regf_hive *h, struct regf_report *r,
                             struct wr_err *err)
{
    struct vt v;
    const uint8_t *root;
    wr_status st = WR_OK;

    memset(&v, 0, sizeof v);
    v.h = h;
    v.r = r;
    v.seen = wr_alloc(regf_cell_map_size(h->bins_size));
    if (!v.seen)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory validating", wr_regf_name(h));
    root = wr_regf_nk(h, h->root, NULL);
    if (!root) {
        wr_regf_report(r, WR_REGF_F_ROOT, WR_REGF_BB_ROOT,
                    "root offset 0x%x is not an allocated key (nk) cell", h->root);
        goto out;
    }
    collect_sks(&v, wr_le32(root + NK_SK));
    sk_sort(v.sks, v.nsk);
    push(&v, h->root, WR_REGF_NIL, 1);
    while (v.sp > 0 && !r->stopped && !v.oom) {
        struct frame f = v.stack[--v.sp];
        check_key(&v, &f);
    }
    if (!v.oom && !r->stopped) {
        check_refcounts(&v);
        check_unreferenced(&v);
    }
out:
    if (v.oom)
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory validating", wr_regf_name(h));
    wr_free(v.seen);
    wr_free(v.sks);
    wr_free(v.stack);
    return st;
}
