/* The in-place commit: log first, then the primary (regf-format.md §11.5b). */
#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/commit_internal.h"

/* The logs beside a hive, from the directory listing alone. */
struct log_names {
    const char *base;
    size_t base_len;
    char name[3][WR_NAME_MAX]; /* .LOG, .LOG1, .LOG2 as spelled on disk */
    uint64_t size[3];
};

static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z')
            y = (char)(y - 'a' + 'A');
        if (x != y)
            return false;
    }
    return true;
}

static wr_status visit_log(void *arg, const struct wr_dirent *d)
{
    static const char *const sfx[3] = {".LOG", ".LOG1", ".LOG2"};
    struct log_names *ln = arg;
    size_t n = strlen(d->name);
    if (d->is_dir || n <= ln->base_len || !same_ci(d->name, ln->base, ln->base_len))
        return WR_OK;
    for (int i = 0; i < 3; i++)
        if (n == ln->base_len + strlen(sfx[i]) &&
            same_ci(d->name + ln->base_len, sfx[i], strlen(sfx[i])) && !ln->name[i][0]) {
            memcpy(ln->name[i], d->name, n + 1);
            ln->size[i] = d->size;
        }
    return WR_OK;
}

/* Picks the log to write (an existing .LOG, else .LOG1, else a new .LOG)
 * into log_path and, when `empty_others`, truncates the other logs: after
 * our entry, recovery must find nothing else it could replay. Truncating
 * a log beside a clean primary is harmless (regf-format.md §11.5). */
static wr_status choose_log(const struct wr_volume *vol, const char *path, char *log_path,
                            bool empty_others, struct wr_err *err)
{
    size_t n = strlen(path), cut = n;
    while (cut > 0 && path[cut - 1] != '\\')
        cut--;
    if (cut == 0 || cut == n)
        return wr_fail(err, WR_E_INVALID, "%s: not an absolute path to a file", path);
    struct log_names *ln = wr_alloc(sizeof *ln);
    char *dir = wr_alloc(cut + 1);
    wr_status st = WR_OK;
    if (!ln || !dir) {
        st = wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        goto out;
    }
    memcpy(dir, path, cut - 1);
    ln->base = path + cut;
    ln->base_len = n - cut;
    st = wr_volume_list_dir(vol, cut == 1 ? "\\" : dir, visit_log, ln, err);
    int pick = st ? -1 : ln->name[0][0] ? 0 : ln->name[1][0] ? 1 : -1;
    if (pick >= 0)
        wr_format(log_path, WR_NAME_MAX, "%s\\%s", dir, ln->name[pick]);
    else
        wr_format(log_path, WR_NAME_MAX, "%s.LOG", path);
    for (int i = 0; !st && empty_others && i < 3; i++)
        if (i != pick && ln->name[i][0] && ln->size[i] > 0) {
            char other[WR_NAME_MAX];
            wr_format(other, sizeof other, "%s\\%s", dir, ln->name[i]);
            st = wr_volume_write_file(vol, other, NULL, 0, err);
        }
out:
    wr_free(ln);
    wr_free(dir);
    return st;
}

wr_status wr_regf_commit_log_path(const struct wr_volume *vol, const char *path, char *out,
                                  struct wr_err *err)
{
    return choose_log(vol, path, out, false, err);
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
    wr_status st = choose_log(vol, path, rep->log_path, true, err);
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
    hdr = wr_realloc(NULL, WR_REGF_BASE_SIZE); /* unzeroed: the image's header is copied in */
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
