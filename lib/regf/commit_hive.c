/* Committing an open hive: the image, its base block, its dirty state. */
#include "regf/commit.h"
#include "regf/regf.h"

struct first_error {
    size_t errors;
    struct wr_regf_finding first;
};

static bool count_error(void *arg, const struct wr_regf_finding *f)
{
    struct first_error *fe = arg;
    if (wr_regf_finding_is_warning(f->code))
        return true;
    if (fe->errors++ == 0)
        fe->first = *f;
    return true;
}

/* Nothing the validator calls an error is ever written. */
static wr_status validate_first(const struct wr_regf_hive *h, struct wr_err *err)
{
    struct first_error *fe = wr_alloc(sizeof *fe);
    if (!fe)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    size_t count = 0;
    wr_status st = wr_regf_validate(h, count_error, fe, &count, err);
    if (!st && fe->errors)
        st = wr_fail(err, WR_E_CORRUPT, "%s: not committed: %zu validator errors, first at 0x%llx: %s",
                     wr_regf_name(h), fe->errors, (unsigned long long)fe->first.offset,
                     fe->first.message);
    wr_free(fe);
    return st;
}

wr_status wr_regf_commit(struct wr_regf_hive *h, const struct wr_volume *vol, const char *path,
                         unsigned how, struct wr_regf_commit_report *report, struct wr_err *err)
{
    struct wr_regf_info info;
    wr_regf_get_info(h, &info);
    if (info.salvaged)
        return wr_fail(err, WR_E_REFUSED, "%s: a salvaged hive is never written back",
                       wr_regf_name(h));
    wr_status st = WR_OK;
    if (how & WR_REGF_COMMIT_VALIDATE)
        st = validate_first(h, err);
    if (st)
        return st;
    uint8_t *bb = wr_regf_base_block(h);
    const uint8_t *img;
    size_t len;
    wr_regf_image(h, &img, &len);
    st = wr_regf_commit_image(img, len, bb, vol, path, (enum wr_regf_commit_mode)(how & 0xFFu),
                              report, err);
    if (!st)
        wr_regf_mark_clean(h);
    return st;
}
