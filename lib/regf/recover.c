/* Recovering a dirty hive from its transaction logs (regf-format.md §11). */
#include "regf/recover.h"

#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/log_internal.h"

/* One log, classified once. */
struct logv {
    size_t idx;
    const struct wr_regf_log *in;
    uint32_t type;
    uint32_t seq;
    uint64_t ts;
};

struct rec {
    const char *name;
    const uint8_t *primary;
    size_t primary_len;
    bool hdr_ok;
    struct wr_regf_img im;
    struct wr_regf_recover_report *rep;
    struct logv lv[WR_REGF_MAX_LOGS * 2];
    size_t nlv;
    uint32_t final_seq;
    bool applied;
    uint8_t *dirty; /* 4 KiB blocks a new-format replay wrote */
    int format;     /* of the applied log: 1 or 6 */
};

void wr_regf_note(struct wr_regf_recover_report *rep, const char *fmt, ...)
{
    if (!rep)
        return;
    size_t used = strlen(rep->text);
    if (used + 2 >= sizeof rep->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    size_t n = wr_vformat(rep->text + used, sizeof rep->text - used - 1, fmt, ap);
    va_end(ap);
    used += n < sizeof rep->text - used - 1 ? n : sizeof rep->text - used - 2;
    rep->text[used] = '\n';
    rep->text[used + 1] = 0;
}

wr_status wr_regf_img_grow(struct wr_regf_img *im, size_t need, const char *name,
                           struct wr_err *err)
{
    if (need <= im->len)
        return WR_OK;
    if (need > im->limit)
        return wr_fail(err, WR_E_TOO_BIG,
                       "%s: a log grows the hive to %zu bytes, more than the logs could fill (%zu)",
                       name, need, im->limit);
    uint8_t *p = wr_realloc(im->data, need);
    if (!p)
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory growing the hive to %zu bytes",
                       name, need);
    memset(p + im->len, 0, need - im->len);
    im->data = p;
    im->len = need;
    return WR_OK;
}

static bool sig_regf(const uint8_t *p)
{
    return memcmp(p, "regf", 4) == 0;
}

/* The base block fields recovery relies on; the full check is the
 * validator's job. */
static bool primary_header_ok(const uint8_t *h)
{
    uint32_t bins = wr_le32(h + WR_REGF_OFF_BINS);
    return sig_regf(h) && wr_regf_bb_checksum_ok(h) &&
           wr_le32(h + WR_REGF_OFF_MAJOR) == 1 && wr_le32(h + WR_REGF_OFF_TYPE) == 0 &&
           wr_le32(h + WR_REGF_OFF_FORMAT) == 1 && bins != 0 && bins % 4096 == 0 &&
           bins <= WR_REGF_MAX_BINS;
}

bool wr_regf_is_dirty(const uint8_t *primary, size_t len)
{
    if (len < WR_REGF_BASE_SIZE || !primary_header_ok(primary))
        return true;
    return wr_le32(primary + WR_REGF_OFF_SEQ1) != wr_le32(primary + WR_REGF_OFF_SEQ2);
}

/* A log header is usable when it is a sound base-block copy with
 * seq1 = seq2 and a log file type. */
static bool classify(struct rec *r, size_t idx, const struct wr_regf_log *in)
{
    const uint8_t *h = in->data;
    const char *why = NULL;
    if (in->len == 0)
        why = "empty";
    else if (in->len < WR_REGF_LOG_HDR || !sig_regf(h))
        why = "not a log file (no regf header)";
    else if (!wr_regf_bb_checksum_ok(h))
        why = "log header checksum is wrong";
    else if (wr_le32(h + WR_REGF_OFF_SEQ1) != wr_le32(h + WR_REGF_OFF_SEQ2))
        why = "log header sequence numbers differ";
    else if (wr_le32(h + WR_REGF_OFF_TYPE) != 1 && wr_le32(h + WR_REGF_OFF_TYPE) != 2 &&
             wr_le32(h + WR_REGF_OFF_TYPE) != 6)
        why = "log header file type is not 1, 2 or 6";
    if (why) {
        wr_regf_note(r->rep, "%s: skipped: %s", in->name, why);
        return false;
    }
    struct logv *v = &r->lv[r->nlv++];
    v->idx = idx;
    v->in = in;
    v->type = wr_le32(h + WR_REGF_OFF_TYPE);
    v->seq = wr_le32(h + WR_REGF_OFF_SEQ1);
    v->ts = wr_le64(h + WR_REGF_OFF_TIME);
    return true;
}

/* Applies a new-format log's entries from its header sequence on. */
static wr_status apply_new_log(struct rec *r, const struct logv *v, struct wr_err *err)
{
    const struct wr_regf_log *in = v->in;
    struct wr_regf_hvle e;
    char why[96];
    uint32_t seq = v->seq, n = 0, pages = 0;
    size_t off = WR_REGF_LOG_HDR;
    while (wr_regf_hvle_parse(in->data, in->len, off, seq, &e, why, sizeof why)) {
        wr_status st = wr_regf_hvle_apply(&r->im, &e, in->name, &pages, err);
        if (st)
            return st;
        wr_regf_hvle_mark(&e, r->dirty);
        seq++;
        n++;
        off += e.size;
    }
    if (n == 0) {
        wr_regf_note(r->rep, "%s: skipped: no valid entry (%s)", in->name, why);
        return WR_OK;
    }
    wr_regf_note(r->rep, "%s: applied %u entries, sequence %u..%u, %u pages; stopped at %s",
                 in->name, n, v->seq, seq - 1, pages, why);
    if (!r->applied && r->rep)
        r->rep->first_seq = v->seq;
    r->applied = true;
    r->format = 6;
    r->final_seq = seq - 1;
    if (r->rep) {
        r->rep->format = 6;
        r->rep->logs_used |= 1u << v->idx;
        r->rep->entries_applied += n;
        r->rep->pages_applied += pages;
    }
    return WR_OK;
}

static void sort_by_seq(const struct logv **order, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && wr_regf_seq_before(order[j]->seq, order[j - 1]->seq); j--) {
            const struct logv *t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* Header valid: the eligibility and ordering rules of §11.2. */
static wr_status recover_new_chain(struct rec *r, const struct logv **order, size_t n,
                                   struct wr_err *err)
{
    uint32_t seq2 = wr_le32(r->primary + WR_REGF_OFF_SEQ2);
    sort_by_seq(order, n);
    for (size_t i = 0; i < n; i++) {
        const struct logv *v = order[i];
        if (!r->applied && wr_regf_seq_before(v->seq, seq2)) {
            wr_regf_note(r->rep, "%s: skipped: sequence %u is older than the hive's %u",
                         v->in->name, v->seq, seq2);
            continue;
        }
        if (r->applied && v->seq != r->final_seq + 1) {
            wr_regf_note(r->rep, "%s: skipped: sequence %u does not continue from %u",
                         v->in->name, v->seq, r->final_seq);
            continue;
        }
        wr_status st = apply_new_log(r, v, err);
        if (st)
            return st;
    }
    return WR_OK;
}

/* Header bad: only the log holding the latest entries, header and all. */
static wr_status recover_new_header(struct rec *r, const struct logv **order, size_t n,
                                    struct wr_err *err)
{
    const struct logv *best = NULL;
    uint32_t best_last = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t last = 0;
        if (wr_regf_hvle_count(order[i]->in->data, order[i]->in->len, order[i]->seq, &last) == 0)
            continue;
        if (!best || wr_regf_seq_before(best_last, last)) {
            best = order[i];
            best_last = last;
        }
    }
    if (!best)
        return WR_OK;
    memcpy(r->im.data, best->in->data, WR_REGF_LOG_HDR);
    if (r->rep)
        r->rep->header_from_log = true;
    return apply_new_log(r, best, err);
}

static wr_status recover_new(struct rec *r, struct wr_err *err)
{
    const struct logv *order[WR_REGF_MAX_LOGS * 2];
    size_t n = 0;
    for (size_t i = 0; i < r->nlv; i++)
        if (r->lv[i].type == 6)
            order[n++] = &r->lv[i];
    if (n == 0)
        return WR_OK;
    return r->hdr_ok ? recover_new_chain(r, order, n, err) : recover_new_header(r, order, n, err);
}

/* An old log belongs to this primary when its timestamp matches the
 * primary's (or, with a broken header, is not older than the first bin's). */
static bool old_eligible(const struct rec *r, const struct logv *v)
{
    if (r->hdr_ok) {
        if (v->ts == wr_le64(r->primary + WR_REGF_OFF_TIME))
            return true;
        wr_regf_note(r->rep, "%s: skipped: timestamp differs from the hive's", v->in->name);
        return false;
    }
    const uint8_t *bin = r->primary + WR_REGF_BASE_SIZE;
    if (r->primary_len < WR_REGF_BASE_SIZE + 32 || memcmp(bin, "hbin", 4) != 0)
        return true;
    if (v->ts >= wr_le64(bin + 20))
        return true;
    wr_regf_note(r->rep, "%s: skipped: older than the hive's first bin", v->in->name);
    return false;
}

static void adopt_old_header(struct rec *r, const uint8_t *lh)
{
    uint8_t *h = r->im.data;
    if (!r->hdr_ok) {
        memcpy(h, lh, WR_REGF_LOG_HDR);
        if (r->rep)
            r->rep->header_from_log = true;
        return;
    }
    static const uint32_t fields[] = {WR_REGF_OFF_BINS, WR_REGF_OFF_ROOT, WR_REGF_OFF_MINOR,
                                      WR_REGF_OFF_FLAGS};
    for (size_t i = 0; i < WR_ARRAY_LEN(fields); i++)
        memcpy(h + fields[i], lh + fields[i], 4);
}

static wr_status recover_old(struct rec *r, struct wr_err *err)
{
    const struct logv *best = NULL;
    struct wr_regf_dirt d, best_d;
    char why[96];
    for (size_t i = 0; i < r->nlv; i++) {
        const struct logv *v = &r->lv[i];
        if (v->type == 6 || !old_eligible(r, v))
            continue;
        if (!wr_regf_dirt_parse(v->in->data, v->in->len, &d, why, sizeof why)) {
            wr_regf_note(r->rep, "%s: skipped: %s", v->in->name, why);
            continue;
        }
        /* LOG2 wins over LOG1 only when newer (§11.1). */
        if (!best || v->ts > best->ts || (v->ts == best->ts && wr_regf_seq_before(best->seq, v->seq))) {
            if (best)
                wr_regf_note(r->rep, "%s: skipped: a newer log exists", best->in->name);
            best = v;
            best_d = d;
        } else {
            wr_regf_note(r->rep, "%s: skipped: a newer log exists", v->in->name);
        }
    }
    if (!best)
        return WR_OK;
    uint32_t pages = 0;
    wr_status st = wr_regf_dirt_apply(&r->im, &best_d, best->in->name, &pages, err);
    if (st)
        return st;
    adopt_old_header(r, best->in->data);
    wr_regf_note(r->rep, "%s: applied %u dirty pages (old format, sequence %u)",
                 best->in->name, pages, best->seq);
    r->applied = true;
    r->format = 1;
    r->final_seq = best->seq;
    if (r->rep) {
        r->rep->format = 1;
        r->rep->logs_used |= 1u << best->idx;
        r->rep->entries_applied = 1;
        r->rep->pages_applied = pages;
        r->rep->first_seq = best->seq;
    }
    return WR_OK;
}

/* Room for the primary plus everything the logs could add. */
static size_t growth_limit(size_t len, const struct wr_regf_log *logs, size_t nlogs)
{
    uint64_t limit = len;
    for (size_t i = 0; i < nlogs; i++)
        limit += logs[i].len;
    limit += WR_REGF_BASE_SIZE + WR_REGF_BASE_SIZE;
    if (limit > (uint64_t)WR_REGF_BASE_SIZE + WR_REGF_MAX_BINS)
        limit = (uint64_t)WR_REGF_BASE_SIZE + WR_REGF_MAX_BINS;
    return (size_t)limit;
}

/* The first line of the report that says more than "empty". */
static void first_line(char *dst, size_t size, const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        const char *nl = p;
        while (*nl && *nl != '\n')
            nl++;
        if (nl - p < 14 || memcmp(nl - 14, "skipped: empty", 14) != 0) {
            text = p;
            break;
        }
        if (!*nl)
            break;
        p = nl;
    }
    while (text[n] && text[n] != '\n' && n + 1 < size) {
        dst[n] = text[n];
        n++;
    }
    dst[n] = 0;
}

static wr_status finish(struct rec *r, uint8_t **out, size_t *out_len, struct wr_err *err)
{
    uint8_t *h = r->im.data;
    if (!r->applied) {
        char line[160] = "";
        if (r->rep)
            first_line(line, sizeof line, r->rep->text);
        return wr_fail(err, WR_E_CORRUPT, "%s is dirty and no transaction log applies (%s)",
                       r->name, line[0] ? line : "no valid log");
    }
    if (r->format == 6) {
        uint32_t fixed = wr_regf_fix_dirty_bins(r->im.data, r->im.len, r->dirty);
        if (fixed)
            wr_regf_note(r->rep, "%u invalid bins left by the log replaced by empty bins", fixed);
    }
    wr_put_le32(h + WR_REGF_OFF_SEQ1, r->final_seq);
    wr_put_le32(h + WR_REGF_OFF_SEQ2, r->final_seq);
    wr_put_le32(h + WR_REGF_OFF_TYPE, 0);
    wr_regf_bb_update_checksum(h);
    if (r->rep)
        r->rep->final_seq = r->final_seq;
    *out = r->im.data;
    *out_len = r->im.len;
    r->im.data = NULL;
    return WR_OK;
}

wr_status wr_regf_recover(const char *name, const uint8_t *primary, size_t primary_len,
                          const struct wr_regf_log *logs, size_t nlogs,
                          uint8_t **out, size_t *out_len,
                          struct wr_regf_recover_report *report, struct wr_err *err)
{
    *out = NULL;
    *out_len = 0;
    if (report)
        memset(report, 0, sizeof *report);
    if (primary_len < WR_REGF_BASE_SIZE)
        return wr_fail(err, WR_E_CORRUPT, "%s: %zu bytes, shorter than the 4096-byte base block",
                       name, primary_len);
    if (!wr_regf_is_dirty(primary, primary_len))
        return wr_fail(err, WR_E_REFUSED,
                       "%s is clean (sequence %u/%u): its logs are never applied to it", name,
                       wr_le32(primary + WR_REGF_OFF_SEQ1), wr_le32(primary + WR_REGF_OFF_SEQ2));
    if (nlogs == 0)
        return wr_fail(err, WR_E_NOT_FOUND, "%s is dirty and has no transaction logs", name);
    if (nlogs > WR_REGF_MAX_LOGS * 2)
        return wr_fail(err, WR_E_INVALID, "%s: %zu logs given, at most %d", name, nlogs,
                       WR_REGF_MAX_LOGS * 2);

    struct rec r = {.name = name, .primary = primary, .primary_len = primary_len, .rep = report};
    r.hdr_ok = primary_header_ok(primary);
    r.im.limit = growth_limit(primary_len, logs, nlogs);
    r.im.data = wr_realloc(NULL, primary_len); /* unzeroed: filled just below */
    r.dirty = wr_alloc(r.im.limit / 4096 / 8 + 1);
    if (!r.im.data || !r.dirty) {
        wr_free(r.im.data);
        wr_free(r.dirty);
        return wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory copying %zu bytes", name,
                       primary_len);
    }
    memcpy(r.im.data, primary, primary_len);
    r.im.len = primary_len;

    for (size_t i = 0; i < nlogs; i++)
        classify(&r, i, &logs[i]);
    wr_status st = recover_new(&r, err);
    if (!st && !r.applied)
        st = recover_old(&r, err);
    if (!st)
        st = finish(&r, out, out_len, err);
    wr_free(r.im.data);
    wr_free(r.dirty);
    return st;
}
