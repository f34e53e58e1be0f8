/* The in-place commit: log first, then the primary (regf-format.md §11.5b). */
#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/commit_internal.h"

static bool ends_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (k > n)
        return false;
    for (size_t i = 0; i < k; i++) {
        char a = s[n - k + i], b = suffix[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (a != b)
            return false;
    }
    return true;
}

/* Index of the log to write in the set, or -1 to create "<path>.LOG". */
static int pick_log(const struct wr_regf_logset *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (ends_ci(set->path[i], ".LOG"))
            return (int)i;
    for (size_t i = 0; i < set->count; i++)
        if (ends_ci(set->path[i], ".LOG1"))
            return (int)i;
    return -1;
}

/* A log recovery would consider at or after sequence s: it could be
 * replayed after ours, so it is emptied before the primary gets dirty. */
static bool could_replay(const struct wr_regf_log *log, uint32_t s)
{
    const uint8_t *h = log->data;
    return log->len >= WR_REGF_LOG_HDR && memcmp(h, "regf", 4) == 0 &&
           wr_regf_bb_checksum_ok(h) && wr_le32(h + WR_REGF_OFF_TYPE) == WR_REGF_TYPE_LOG_NEW &&
           wr_le32(h + WR_REGF_OFF_SEQ1) == wr_le32(h + WR_REGF_OFF_SEQ2) &&
           !wr_regf_seq_before(wr_le32(h + WR_REGF_OFF_SEQ1), s);
}

static wr_status prepare_logs(const struct wr_volume *vol, const char *path, uint32_t s,
                              char *log_path, struct wr_err *err)
{
    struct wr_regf_logset set;
    wr_status st = wr_regf_find_logs(vol, path, WR_REGF_COMMIT_READ_MAX, &set, err);
    if (st)
        return st;
    int pick = pick_log(&set);
    if (pick >= 0)
        wr_format(log_path, WR_NAME_MAX, "%s", set.path[pick]);
    else
        wr_format(log_path, WR_NAME_MAX, "%s.LOG", path);
    for (size_t i = 0; i < set.count && !st; i++)
        if ((int)i != pick && could_replay(&set.log[i], s))
            st = wr_volume_write_file(vol, set.path[i], NULL, 0, err);
    wr_regf_logset_free(&set);
    return st;
}

wr_status wr_regf_commit_log_path(const struct wr_volume *vol, const char *path, char *out,
                                  struct wr_err *err)
{
    struct wr_regf_logset set;
    wr_status st = wr_regf_find_logs(vol, path, WR_REGF_COMMIT_READ_MAX, &set, err);
    if (st)
        return st;
    int pick = pick_log(&set);
    if (pick >= 0)
        wr_format(out, WR_NAME_MAX, "%s", set.path[pick]);
    else
        wr_format(out, WR_NAME_MAX, "%s.LOG", path);
    wr_regf_logset_free(&set);
    return WR_OK;
}

static bool page_differs(const uint8_t *image, const uint8_t *old, size_t old_len, size_t off)
{
    if (off + WR_REGF_PAGE > old_len)
        return true;
    return memcmp(image + off, old + off, WR_REGF_PAGE) != 0;
}

/* The changed pages of the bins, as runs; *runs is wr_free'd by the caller. */
static wr_status diff_runs(const uint8_t *image, size_t len, const uint8_t *old, size_t old_len,
                           struct wr_regf_run **runs, size_t *nruns, uint32_t *pages,
                           struct wr_err *err)
{
    size_t units = (len - WR_REGF_BASE_SIZE) / WR_REGF_PAGE, n = 0;
    *pages = 0;
    *runs = NULL;
    for (size_t u = 0; u < units; u++) {
        size_t off = WR_REGF_BASE_SIZE + u * WR_REGF_PAGE;
        if (!page_differs(image, old, old_len, off))
            continue;
        (*pages)++;
        if (n && (*runs)[n - 1].off + (*runs)[n - 1].size == u * WR_REGF_PAGE) {
            (*runs)[n - 1].size += WR_REGF_PAGE;
            continue;
        }
        if (n == 0 || (n & (n - 1)) == 0) {
            struct wr_regf_run *r = wr_realloc(*runs, (n ? 2 * n : 1) * sizeof *r);
            if (!r)
                return wr_fail(err, WR_E_NO_MEMORY, "out of memory listing changed pages");
            *runs = r;
        }
        (*runs)[n].off = (uint32_t)(u * WR_REGF_PAGE);
        (*runs)[n].size = WR_REGF_PAGE;
        n++;
    }
    *nruns = n;
    return WR_OK;
}

/* Steps (2) and (3) of §11.5b once the log is safe on disk. */
static wr_status write_primary(const uint8_t *image, uint8_t *hdr, uint32_t s, bool whole_header,
                               const struct wr_regf_run *runs, size_t nruns,
                               const struct wr_volume *vol, const char *path,
                               struct wr_regf_commit_report *rep, struct wr_err *err)
{
    size_t hlen = whole_header ? WR_REGF_BASE_SIZE : WR_REGF_LOG_HDR;
    wr_regf_bb_set_seq(hdr, s + 1, s);
    wr_status st = wr_volume_write_at(vol, path, 0, hdr, hlen, err);
    rep->bytes_written += hlen;
    for (size_t i = 0; i < nruns && !st; i++) {
        size_t off = WR_REGF_BASE_SIZE + (size_t)runs[i].off;
        st = wr_volume_write_at(vol, path, off, image + off, runs[i].size, err);
        rep->bytes_written += runs[i].size;
    }
    if (st)
        return st;
    wr_regf_bb_set_seq(hdr, s + 1, s + 1);
    rep->bytes_written += WR_REGF_LOG_HDR;
    return wr_volume_write_at(vol, path, 0, hdr, WR_REGF_LOG_HDR, err);
}

static wr_status commit_runs(const uint8_t *image, size_t len, uint8_t *hdr, uint32_t s,
                             bool whole_header, const struct wr_regf_run *runs, size_t nruns,
                             const struct wr_volume *vol, const char *path,
                             struct wr_regf_commit_report *rep, struct wr_err *err)
{
    uint8_t *log = NULL;
    size_t log_len = 0;
    wr_status st = prepare_logs(vol, path, s, rep->log_path, err);
    if (!st)
        st = wr_regf_build_log(image, hdr, s, runs, nruns, &log, &log_len, err);
    if (!st)
        st = wr_volume_write_file(vol, rep->log_path, log, log_len, err);
    wr_free(log);
    if (st)
        return st;
    rep->bytes_written += log_len;
    st = write_primary(image, hdr, s, whole_header, runs, nruns, vol, path, rep, err);
    if (st)
        return st;
    return wr_regf_verify_file(vol, path, hdr, image, len, err);
}

static wr_status read_clean_primary(const struct wr_volume *vol, const char *path,
                                    uint8_t **old, size_t *old_len, struct wr_err *err)
{
    wr_status st = wr_volume_read_file(vol, path, WR_REGF_COMMIT_READ_MAX, old, old_len, err);
    if (st)
        return st;
    if (*old_len < WR_REGF_BASE_SIZE || wr_regf_is_dirty(*old, *old_len)) {
        wr_free(*old);
        *old = NULL;
        return wr_fail(err, WR_E_REFUSED,
                       "%s is dirty or damaged on disk: recover it (hivetool recover) "
                       "before committing in place", path);
    }
    return WR_OK;
}

wr_status wr_regf_commit_in_place(const uint8_t *image, size_t len, uint8_t *base_block,
                                  const struct wr_volume *vol, const char *path,
                                  struct wr_regf_commit_report *rep, struct wr_err *err)
{
    uint8_t *old = NULL, *hdr = NULL;
    size_t old_len = 0, nruns = 0;
    struct wr_regf_run *runs = NULL;
    wr_status st = read_clean_primary(vol, path, &old, &old_len, err);
    if (st)
        return st;
    uint32_t s = wr_le32(old + WR_REGF_OFF_SEQ1);
    hdr = wr_alloc(WR_REGF_BASE_SIZE);
    if (!hdr) {
        st = wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        goto out;
    }
    memcpy(hdr, image, WR_REGF_BASE_SIZE);
    wr_regf_bb_set_type(hdr, WR_REGF_TYPE_PRIMARY);
    st = diff_runs(image, len, old, old_len, &runs, &nruns, &rep->pages, err);
    if (st)
        goto out;
    bool whole = memcmp(hdr + WR_REGF_LOG_HDR, old + WR_REGF_LOG_HDR,
                        WR_REGF_BASE_SIZE - WR_REGF_LOG_HDR) != 0;
    wr_regf_bb_set_seq(hdr, s, s);
    if (nruns == 0 && !whole && memcmp(hdr, old, WR_REGF_LOG_HDR) == 0) {
        rep->seq = s; /* nothing changed: nothing to write */
        memcpy(base_block, hdr, WR_REGF_BASE_SIZE);
        goto out;
    }
    if (nruns == 0) {
        /* A header-only change still goes through a log entry. */
        runs = wr_alloc(sizeof *runs);
        if (!runs) {
            st = wr_fail(err, WR_E_NO_MEMORY, "out of memory");
            goto out;
        }
        runs[0].size = WR_REGF_PAGE;
        nruns = 1;
    }
    st = commit_runs(image, len, hdr, s, whole, runs, nruns, vol, path, rep, err);
    if (!st) {
        rep->seq = s + 1;
        memcpy(base_block, hdr, WR_REGF_BASE_SIZE);
    }
out:
    wr_free(old);
    wr_free(hdr);
    wr_free(runs);
    return st;
}
