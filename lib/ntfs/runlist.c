/* Runlists (mapping pairs): decoding with every delta checked, lookup by
 * VCN, and reading byte ranges through them. */
#include "ntfs/internal.h"

static wr_status runs_push(struct ntfs_runlist *rl, uint64_t vcn, uint64_t len, int64_t lcn,
                           struct wr_err *err)
{
    if (rl->count == rl->cap) {
        size_t cap = rl->cap ? rl->cap * 2 : 16;
        struct ntfs_run *n;

        if (cap > WR_NTFS_MAX_RUNS)
            cap = WR_NTFS_MAX_RUNS;
        if (rl->count >= cap)
            return wr_fail(err, WR_E_TOO_BIG, "more than %u runs in one attribute",
                           WR_NTFS_MAX_RUNS);
        n = wr_realloc(rl->runs, cap * sizeof *n);
        if (!n)
            return wr_fail(err, WR_E_NO_MEMORY, "out of memory for %zu runs", cap);
        rl->runs = n;
        rl->cap = cap;
    }
    rl->runs[rl->count++] = (struct ntfs_run){ .vcn = vcn, .len = len, .lcn = lcn };
    rl->vcns = vcn + len;
    return WR_OK;
}

/* Little-endian integer of n bytes; signed sign-extends from the last byte. */
static uint64_t read_field(const uint8_t *p, unsigned n, bool is_signed)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    if (is_signed && n < 8 && (p[n - 1] & 0x80))
        v |= ~0ULL << (8 * n);
    return v;
}

wr_status wr_ntfs_runs_decode(struct wr_ntfs *v, const struct ntfs_attr *a,
                           struct ntfs_runlist *rl, struct wr_err *err)
{
    const uint8_t *p = a->pairs, *end = a->pairs + a->pairs_len;
    uint64_t vcn = a->lowest_vcn;
    uint64_t want = a->highest_vcn == UINT64_MAX ? 0 : a->highest_vcn - a->lowest_vcn + 1;
    int64_t lcn = 0;
    wr_status st;

    if (vcn != rl->vcns)
        return wr_fail(err, WR_E_CORRUPT, "runlist slice starts at VCN %llu, expected %llu",
                       (unsigned long long)vcn, (unsigned long long)rl->vcns);
    while (p < end && *p) {
        unsigned ln = *p & 0x0F, on = *p >> 4;
        uint64_t len, delta;

        if (ln == 0 || ln > 8 || on > 8 || (size_t)(end - p) < 1u + ln + on)
            return wr_fail(err, WR_E_CORRUPT, "runlist: run header 0x%02x invalid or cut off "
                           "at VCN %llu", *p, (unsigned long long)vcn);
        len = read_field(p + 1, ln, false);
        if (len == 0 || len > want - (vcn - a->lowest_vcn) || vcn - a->lowest_vcn > want)
            return wr_fail(err, WR_E_CORRUPT, "runlist: run of %llu clusters at VCN %llu does "
                           "not fit VCNs %llu..%llu", (unsigned long long)len,
                           (unsigned long long)vcn, (unsigned long long)a->lowest_vcn,
                           (unsigned long long)a->highest_vcn);
        if (on == 0) {
            st = runs_push(rl, vcn, len, -1, err);
        } else {
            delta = read_field(p + 1 + ln, on, true);
            if (((int64_t)delta > 0 && lcn > INT64_MAX - (int64_t)delta))
                return wr_fail(err, WR_E_CORRUPT, "runlist: LCN overflow at VCN %llu",
                               (unsigned long long)vcn);
            lcn += (int64_t)delta;
            if (lcn < 0 || (uint64_t)lcn > v->cluster_count || len > v->cluster_count - (uint64_t)lcn)
                return wr_fail(err, WR_E_CORRUPT, "runlist: clusters %lld+%llu at VCN %llu lie "
                               "outside the volume (%llu clusters)", (long long)lcn,
                               (unsigned long long)len, (unsigned long long)vcn,
                               (unsigned long long)v->cluster_count);
            st = runs_push(rl, vcn, len, lcn, err);
        }
        if (st)
            return st;
        vcn += len;
        p += 1 + ln + on;
    }
    if (vcn - a->lowest_vcn != want)
        return wr_fail(err, WR_E_CORRUPT, "runlist covers %llu clusters, header says %llu",
                       (unsigned long long)(vcn - a->lowest_vcn), (unsigned long long)want);
    return WR_OK;
}

const struct ntfs_run *wr_ntfs_runs_find(const struct ntfs_runlist *rl, uint64_t vcn)
{
    size_t lo = 0, hi = rl->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ntfs_run *r = &rl->runs[mid];

        if (vcn < r->vcn)
            hi = mid;
        else if (vcn - r->vcn >= r->len)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

void wr_ntfs_runs_free(struct ntfs_runlist *rl)
{
    wr_free(rl->runs);
    memset(rl, 0, sizeof *rl);
}

/* Reads [offset, offset+len) of the clusters the runlist maps; sparse runs
 * read as zeros, unmapped VCNs are corruption. Contiguous runs are read in
 * one device request. */
wr_status wr_ntfs_runs_read(struct wr_ntfs *v, const struct ntfs_runlist *rl, uint64_t offset,
                         uint8_t *buf, size_t len, struct wr_err *err)
{
    while (len) {
        uint64_t vcn = offset >> v->cluster_shift;
        const struct ntfs_run *r = wr_ntfs_runs_find(rl, vcn);
        uint64_t in_run, avail, end_vcn;
        size_t take;
        wr_status st;

        if (!r)
            return wr_fail(err, WR_E_CORRUPT, "%s: VCN %llu is not mapped by the runlist",
                           v->name, (unsigned long long)vcn);
        in_run = offset - (r->vcn << v->cluster_shift);
        end_vcn = r->vcn + r->len;
        avail = end_vcn > (UINT64_MAX >> v->cluster_shift) ? UINT64_MAX
                : (end_vcn << v->cluster_shift) - offset;
        take = avail < len ? (size_t)avail : len;
        if (r->lcn < 0) {
            memset(buf, 0, take);
        } else {
            st = wr_blockdev_read_bytes(v->dev, ((uint64_t)r->lcn << v->cluster_shift) + in_run,
                                        take, buf, err);
            if (st)
                return st;
        }
        buf += take;
        offset += take;
        len -= take;
    }
    return WR_OK;
}
