/* Opening, creating and closing hives; the image and its dirty units. */
#include "regf/bins.h"
#include "regf/validate.h"

static char *copy_name(const char *name)
{
    size_t n = strlen(name);
    char *s = wr_alloc(n + 1);

    if (s)
        memcpy(s, name, n);
    return s;
}

static size_t dirty_map_size(size_t img_len)
{
    return (img_len / WR_REGF_UNIT + 7) / 8 + 1;
}

void wr_regf_close(struct wr_regf_hive *h)
{
    if (!h)
        return;
    wr_free(h->img);
    wr_free(h->cells);
    wr_free(h->dirty);
    wr_free(h->name);
    wr_free(h);
}

/* A hive object over a copy of data[0 .. REGF_BINS + bins_size). */
static wr_status hive_new(const uint8_t *data, uint32_t bins_size, const char *name,
                          struct wr_regf_hive **out, struct wr_err *err)
{
    struct wr_regf_hive *h = wr_alloc(sizeof *h);

    if (!h)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", name);
    h->len = REGF_BINS + (size_t)bins_size;
    h->bins_size = bins_size;
    /* A copy of data fills the image entirely; a new hive needs zeros. */
    h->img = data ? wr_alloc_uninit(h->len) : wr_alloc(h->len);
    h->cells = wr_alloc(regf_cell_map_size(bins_size));
    h->dirty = wr_alloc(dirty_map_size(h->len));
    h->name = copy_name(name);
    if (!h->img || !h->cells || !h->dirty || !h->name) {
        wr_regf_close(h);
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for a %zu-byte hive", name,
                       REGF_BINS + (size_t)bins_size);
    }
    if (data)
        memcpy(h->img, data, h->len);
    h->minor = wr_le32(h->img + WR_REGF_BB_MINOR);
    h->root = wr_le32(h->img + WR_REGF_BB_ROOT);
    *out = h;
    return WR_OK;
}

struct open_state {
    const char *name;
    unsigned flags;
    bool salvage;
    struct regf_report r;
    struct regf_header_state hs;
    uint8_t *recovered;     /* image from the logs, owned */
    size_t recovered_len;
};

static wr_status recover_if_dirty(struct open_state *o, const struct wr_regf_open_opts *opts,
                                  const uint8_t **data, size_t *len, struct wr_err *err)
{
    if (*len < WR_REGF_LOG_HEADER_SIZE || memcmp(*data, "regf", 4) != 0)
        return WR_OK;
    if (!wr_regf_bb_is_dirty(*data) || !opts || opts->n_logs == 0)
        return WR_OK;
    wr_status st = wr_regf_recover(o->name, *data, *len, opts->logs, opts->n_logs,
                                   &o->recovered, &o->recovered_len, NULL, err);
    if (st != WR_OK) {
        if (o->flags & (WR_REGF_OPEN_IGNORE_DIRTY | WR_REGF_OPEN_SALVAGE))
            return WR_OK; /* open the primary as it is, read-only */
        return st;
    }
    *data = o->recovered;
    *len = o->recovered_len;
    return WR_OK;
}

static wr_status refuse_findings(struct open_state *o, struct wr_err *err)
{
    return wr_fail(err, WR_E_CORRUPT, "%s", o->r.first_error.message);
}

static wr_status open_checked(struct open_state *o, const uint8_t *data, size_t len,
                              struct wr_regf_hive **out, struct wr_err *err)
{
    struct wr_regf_hive *h = NULL;
    wr_status st;

    wr_regf_check_header(data, len, o->salvage, &o->r, &o->hs);
    if (o->hs.dirty && !(o->flags & (WR_REGF_OPEN_IGNORE_DIRTY | WR_REGF_OPEN_SALVAGE)))
        return wr_fail(err, WR_E_REFUSED,
                       "%s: the hive is dirty (sequence %u/%u or bad checksum) and no "
                       "transaction log recovered it",
                       o->name, wr_le32(data + 4), wr_le32(data + 8));
    if (!o->hs.usable)
        return o->r.errors ? refuse_findings(o, err)
                           : wr_fail(err, WR_E_CORRUPT, "%s: unusable base block", o->name);
    /* A checksum or sequence finding is the "dirty" case accepted above. */
    if (!o->salvage && o->r.errors > o->hs.dirty_findings)
        return refuse_findings(o, err);
    st = hive_new(data, o->hs.bins_size, o->name, &h, err);
    if (st != WR_OK)
        return st;
    size_t before = o->r.errors;
    wr_regf_scan_bins(h, &o->r, o->salvage);
    if (o->r.errors > before && !o->salvage) {
        wr_regf_close(h);
        return refuse_findings(o, err);
    }
    if (!(o->flags & WR_REGF_OPEN_FAST)) {
        before = o->r.errors;
        st = wr_regf_validate_tree(h, &o->r, err);
        if (st != WR_OK || (o->r.errors > before && !o->salvage)) {
            wr_regf_close(h);
            return st != WR_OK ? st : refuse_findings(o, err);
        }
    }
    h->salvaged = o->salvage && o->r.errors > 0;
    h->findings = o->r.count;
    h->writable = !(o->flags & (WR_REGF_OPEN_FAST | WR_REGF_OPEN_SALVAGE |
                                WR_REGF_OPEN_IGNORE_DIRTY)) &&
                  !o->hs.dirty && !o->hs.ktm_locked;
    *out = h;
    return WR_OK;
}

wr_status wr_regf_open(const uint8_t *data, size_t len, const struct wr_regf_open_opts *opts,
                       struct wr_regf_hive **out, struct wr_err *err)
{
    struct open_state o;
    wr_status st;

    memset(&o, 0, sizeof o);
    o.name = opts && opts->name ? opts->name : "hive";
    o.flags = opts ? opts->flags : 0;
    o.salvage = (o.flags & WR_REGF_OPEN_SALVAGE) != 0;
    wr_regf_report_init(&o.r, o.name, opts ? opts->on_finding : NULL,
                     opts ? opts->finding_arg : NULL);
    *out = NULL;
    st = recover_if_dirty(&o, opts, &data, &len, err);
    if (st == WR_OK)
        st = open_checked(&o, data, len, out, err);
    if (st == WR_OK && o.recovered)
        (*out)->recovered = true;
    wr_free(o.recovered);
    return st;
}

static bool count_only(void *arg, const struct wr_regf_finding *f)
{
    (void)arg;
    (void)f;
    return true;
}

/* The checks of strict open on any image, with a cell map of its own so
 * the editor's bookkeeping is checked too, not trusted. */
static wr_status validate_image(const uint8_t *data, size_t len, const char *name,
                                wr_regf_finding_fn fn, void *arg, size_t *count,
                                struct wr_err *err)
{
    struct regf_report r;
    struct regf_header_state hs;
    struct wr_regf_hive tmp;
    wr_status st = WR_OK;

    wr_regf_report_init(&r, name, fn ? fn : count_only, arg);
    wr_regf_check_header(data, len, false, &r, &hs);
    if (hs.usable && !r.stopped) {
        memset(&tmp, 0, sizeof tmp);
        tmp.img = (uint8_t *)data; /* only read */
        tmp.bins_size = hs.bins_size;
        tmp.len = REGF_BINS + (size_t)hs.bins_size;
        tmp.minor = wr_le32(data + WR_REGF_BB_MINOR);
        tmp.root = wr_le32(data + WR_REGF_BB_ROOT);
        tmp.name = (char *)name;
        tmp.cells = wr_alloc(regf_cell_map_size(hs.bins_size));
        if (!tmp.cells)
            return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory", name);
        size_t before = r.errors;
        wr_regf_scan_bins(&tmp, &r, false);
        if (r.errors == before && !r.stopped)
            st = wr_regf_validate_tree(&tmp, &r, err);
        wr_free(tmp.cells);
    }
    if (count)
        *count = r.count;
    return st;
}

wr_status wr_regf_validate(const struct wr_regf_hive *h, wr_regf_finding_fn fn, void *arg,
                           size_t *count, struct wr_err *err)
{
    return validate_image(h->img, h->len, wr_regf_name(h), fn, arg, count, err);
}

wr_status wr_regf_validate_bytes(const uint8_t *data, size_t len, const char *name,
                                 wr_regf_finding_fn fn, void *arg, size_t *count,
                                 struct wr_err *err)
{
    return validate_image(data, len, name ? name : "hive", fn, arg, count, err);
}

void wr_regf_get_info(const struct wr_regf_hive *h, struct wr_regf_info *out)
{
    out->minor = h->minor;
    out->seq1 = wr_le32(h->img + WR_REGF_BB_SEQ1);
    out->seq2 = wr_le32(h->img + WR_REGF_BB_SEQ2);
    out->flags = wr_le32(h->img + WR_REGF_BB_FLAGS);
    out->recovered = h->recovered;
    out->salvaged = h->salvaged;
    out->writable = h->writable;
    out->findings = h->findings;
}

wr_regf_node wr_regf_root(const struct wr_regf_hive *h)
{
    return h->root;
}

/* ------------------------------------------------------------ image */

void wr_regf_image(const struct wr_regf_hive *h, const uint8_t **data, size_t *len)
{
    *data = h->img;
    *len = h->len;
}

void wr_regf_mark(struct wr_regf_hive *h, size_t img_off, size_t len)
{
    if (len == 0)
        return;
    for (size_t u = img_off / WR_REGF_UNIT; u <= (img_off + len - 1) / WR_REGF_UNIT; u++)
        h->dirty[u >> 3] |= (uint8_t)(1u << (u & 7));
}

uint8_t *wr_regf_base_block(struct wr_regf_hive *h)
{
    wr_regf_mark(h, 0, WR_REGF_BASE_BLOCK_SIZE);
    return h->img;
}

size_t wr_regf_unit_count(const struct wr_regf_hive *h)
{
    return h->len / WR_REGF_UNIT;
}

bool wr_regf_unit_dirty(const struct wr_regf_hive *h, size_t unit)
{
    return unit < wr_regf_unit_count(h) && (h->dirty[unit >> 3] >> (unit & 7) & 1);
}

size_t wr_regf_next_dirty_unit(const struct wr_regf_hive *h, size_t from)
{
    size_t n = wr_regf_unit_count(h);

    for (size_t u = from; u < n; u++) {
        if ((u & 7) == 0 && h->dirty[u >> 3] == 0) {
            u += 7;
            continue;
        }
        if (h->dirty[u >> 3] >> (u & 7) & 1)
            return u;
    }
    return n;
}

bool wr_regf_has_changes(const struct wr_regf_hive *h)
{
    return wr_regf_next_dirty_unit(h, 0) < wr_regf_unit_count(h);
}

void wr_regf_mark_clean(struct wr_regf_hive *h)
{
    memset(h->dirty, 0, dirty_map_size(h->len));
}
