/* Depth-first walk of the key tree with an explicit stack (at most 512
 * levels). A key that is its own ancestor (a cycle) is an error. A key
 * shared by two lists (only possible in a hive opened without strict
 * validation) is walked under each, as hivex does, but the total number of
 * visits is capped by what the hive could hold as a tree, so a crafted DAG
 * cannot make the walk exponential. */
#include "regf/bins.h"
#include "regf/name.h"

struct walk_frame {
    struct regf_subkeys it;
    uint32_t key;
    size_t path_len;
    bool has_children;
};

struct walk {
    const struct wr_regf_hive *h;
    const struct wr_regf_walker *w;
    struct walk_frame *frames;
    unsigned depth, frames_cap;
    char *path;
    size_t path_cap;
    size_t budget; /* key visits left */
};

static wr_status append_name(struct walk *k, size_t at, const uint8_t *nk, size_t *len,
                             struct wr_err *err)
{
    struct regf_name n = { nk + REGF_NK_HEADER, regf_nk_name_len(nk), regf_nk_compressed(nk) };
    size_t need;

    if (!n.compressed)
        n.units /= 2;
    need = at + 1 + 3 * (size_t)n.units + 1;
    if (need > k->path_cap) {
        size_t cap = k->path_cap * 2 > need ? k->path_cap * 2 : need;
        char *p = wr_realloc(k->path, cap);
        if (!p)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a key path");
        k->path = p;
        k->path_cap = cap;
    }
    if (at > 0)
        k->path[at++] = '\\';
    *len = at + wr_regf_name_to_utf8(&n, k->path + at, k->path_cap - at);
    return WR_OK;
}

/* Enters key: visits it and pushes a frame for its subkeys. */
static wr_status enter(struct walk *k, uint32_t key, size_t parent_len, struct wr_err *err)
{
    const uint8_t *nk = wr_regf_nk(k->h, key, err);
    struct walk_frame *f;
    wr_status st;
    size_t len = 0;

    if (!nk)
        return WR_E_CORRUPT;
    for (unsigned i = 0; i < k->depth; i++)
        if (k->frames[i].key == key)
            return wr_fail(err, WR_E_CORRUPT, "%s: key 0x%x is its own ancestor (a cycle)",
                           wr_regf_name(k->h), key);
    if (k->budget-- == 0)
        return wr_fail(err, WR_E_TOO_BIG, "%s: more key visits than the hive can hold keys "
                       "(shared subkey lists)", wr_regf_name(k->h));
    if (k->depth >= REGF_MAX_DEPTH)
        return wr_fail(err, WR_E_TOO_BIG, "%s: key 0x%x is deeper than %u levels",
                       wr_regf_name(k->h), key, REGF_MAX_DEPTH);
    st = append_name(k, parent_len, nk, &len, err);
    if (st != WR_OK)
        return st;
    st = k->w->visit_key(k->w->arg, key, k->path, len, k->depth);
    if (st != WR_OK)
        return st;
    if (k->depth == k->frames_cap) {
        unsigned cap = k->frames_cap * 2;
        struct walk_frame *more = wr_realloc(k->frames, cap * sizeof *more);
        if (!more)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory for a walk");
        k->frames = more;
        k->frames_cap = cap;
    }
    f = &k->frames[k->depth++];
    f->key = key;
    f->path_len = len;
    f->has_children = wr_le32(nk + NK_SUBKEYS) != 0;
    if (f->has_children)
        return wr_regf_subkeys_begin(&f->it, k->h, wr_le32(nk + NK_LIST), err);
    return WR_OK;
}

static wr_status walk_loop(struct walk *k, uint32_t from, struct wr_err *err)
{
    wr_status st = enter(k, from, 0, err);

    while (st == WR_OK && k->depth > 0) {
        struct walk_frame *f = &k->frames[k->depth - 1];
        uint32_t child;
        if (f->has_children && wr_regf_subkeys_next(&f->it, &child, &st, err))
            st = enter(k, child, f->path_len, err);
        else if (st == WR_OK)
            k->depth--;
        /* Salvage mode: skip what is broken (open already reported it)
         * and go on with the rest; a hard limit still stops the walk. */
        if (st == WR_E_CORRUPT && k->h->salvaged)
            st = WR_OK; /* the iterator has moved past the broken entry */
    }
    return st;
}

wr_status wr_regf_walk(const struct wr_regf_hive *h, wr_regf_node from,
                       const struct wr_regf_walker *w, struct wr_err *err)
{
    struct walk k;
    wr_status st;

    memset(&k, 0, sizeof k);
    k.h = h;
    k.w = w;
    k.frames_cap = 16; /* grows to at most REGF_MAX_DEPTH */
    k.frames = wr_alloc_array(k.frames_cap, sizeof *k.frames);
    /* the smallest key cell is 80 bytes */
    k.budget = h->bins_size / 80 + 1;
    k.path_cap = 256;
    k.path = wr_alloc(k.path_cap);
    if (!k.frames || !k.path)
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for a walk", wr_regf_name(h));
    else
        st = walk_loop(&k, from, err);
    wr_free(k.frames);
    wr_free(k.path);
    return st;
}
