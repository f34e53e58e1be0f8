/* Commit dispatch, whole-file replace, and read-back verification. */
#include "regf/commit.h"

#include "base/bytes.h"
#include "base/fmt.h"
#include "regf/commit_internal.h"

static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t len)
{
    for (size_t off = 0; off < len; off += WR_REGF_PAGE) {
        size_t n = len - off < WR_REGF_PAGE ? len - off : WR_REGF_PAGE;
        if (memcmp(a + off, b + off, n) != 0)
            return off;
    }
    return len;
}

wr_status wr_regf_verify_file(const struct wr_volume *vol, const char *path, const uint8_t *hdr,
                              const uint8_t *image, size_t len, struct wr_err *err)
{
    uint8_t *back = NULL;
    size_t blen = 0, bad;
    wr_status st = wr_volume_read_file(vol, path, WR_REGF_COMMIT_READ_MAX, &back, &blen, err);
    if (st)
        return wr_err_prefix(err, st, "verifying %s: ", path);
    if (blen < len)
        st = wr_fail(err, WR_E_IO, "%s: read back %zu bytes after writing %zu", path, blen, len);
    else if ((bad = first_difference(back, hdr, WR_REGF_BASE_SIZE)) < WR_REGF_BASE_SIZE)
        st = wr_fail(err, WR_E_IO, "%s: base block reads back different at 0x%zx", path, bad);
    else if ((bad = first_difference(back + WR_REGF_BASE_SIZE, image + WR_REGF_BASE_SIZE,
                                     len - WR_REGF_BASE_SIZE)) < len - WR_REGF_BASE_SIZE)
        st = wr_fail(err, WR_E_IO, "%s: bins read back different at file offset 0x%zx", path,
                     bad + WR_REGF_BASE_SIZE);
    wr_free(back);
    return st;
}

/* The highest sequence number in a base block (serial order). */
static uint32_t top_seq(const uint8_t *bb)
{
    uint32_t a = wr_le32(bb + WR_REGF_OFF_SEQ1), b = wr_le32(bb + WR_REGF_OFF_SEQ2);
    return wr_regf_seq_before(a, b) ? b : a;
}

/* The new file must outrank both the image and whatever is on disk now, so
 * no log beside it can ever look newer. */
static uint32_t next_seq(const uint8_t *image, const struct wr_volume *vol, const char *path)
{
    uint32_t s = top_seq(image);
    uint8_t *old = NULL;
    size_t olen = 0;
    if (wr_volume_read_file(vol, path, WR_REGF_COMMIT_READ_MAX, &old, &olen, NULL) == WR_OK) {
        if (olen >= WR_REGF_LOG_HDR && memcmp(old, "regf", 4) == 0 &&
            wr_regf_seq_before(s, top_seq(old)))
            s = top_seq(old);
        wr_free(old);
    }
    return s + 1;
}

static wr_status commit_replace(const uint8_t *image, size_t len, uint8_t *base_block,
                                const struct wr_volume *vol, const char *path,
                                struct wr_regf_commit_report *rep, struct wr_err *err)
{
    size_t plen = strlen(path);
    char *tmp = wr_alloc(plen + 7);
    /* Unzeroed (wr_realloc of NULL): every byte is copied in below. */
    uint8_t *buf = wr_realloc(NULL, len);
    wr_status st = WR_OK;
    if (!tmp || !buf) {
        st = wr_fail(err, WR_E_NO_MEMORY, "%s: out of memory for a %zu-byte commit", path, len);
        goto out;
    }
    wr_format(tmp, plen + 7, "%s.wrtmp", path);
    memcpy(buf, image, len);
    uint32_t seq = next_seq(image, vol, path);
    wr_regf_bb_set_type(buf, WR_REGF_TYPE_PRIMARY);
    wr_regf_bb_set_seq(buf, seq, seq);

    if (wr_volume_exists(vol, tmp) && (st = wr_volume_remove(vol, tmp, err)))
        goto out;
    if ((st = wr_volume_write_file(vol, tmp, buf, len, err)))
        goto out;
    if ((st = wr_regf_verify_file(vol, tmp, buf, buf, len, err))) {
        wr_volume_remove(vol, tmp, NULL);
        goto out;
    }
    /* The renamed file is the one just verified: no second read-back. */
    if ((st = wr_volume_rename(vol, tmp, path, err)))
        goto out;
    memcpy(base_block, buf, WR_REGF_BASE_SIZE);
    rep->seq = seq;
    rep->bytes_written = len;
out:
    wr_free(tmp);
    wr_free(buf);
    return st;
}

wr_status wr_regf_commit_image(const uint8_t *image, size_t len, uint8_t *base_block,
                               const struct wr_volume *vol, const char *path,
                               enum wr_regf_commit_mode mode,
                               struct wr_regf_commit_report *report, struct wr_err *err)
{
    struct wr_regf_commit_report local;
    struct wr_regf_commit_report *rep = report ? report : &local;
    memset(rep, 0, sizeof *rep);
    if (len < WR_REGF_BASE_SIZE)
        return wr_fail(err, WR_E_INVALID, "%s: image of %zu bytes has no base block", path, len);
    uint32_t bins = wr_le32(image + WR_REGF_OFF_BINS);
    if (bins == 0 || bins % 4096 || bins > WR_REGF_MAX_BINS ||
        !wr_span_ok(WR_REGF_BASE_SIZE, bins, len))
        return wr_fail(err, WR_E_INVALID, "%s: image bins size 0x%x does not fit its %zu bytes",
                       path, bins, len);
    if (mode == WR_REGF_COMMIT_IN_PLACE)
        return wr_regf_commit_in_place(image, WR_REGF_BASE_SIZE + (size_t)bins, base_block, vol,
                                       path, rep, err);
    return commit_replace(image, WR_REGF_BASE_SIZE + (size_t)bins, base_block, vol, path, rep,
                          err);
}
