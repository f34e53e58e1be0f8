#include "regf/report.h"

#include "base/fmt.h"

static const char *const names[WR_REGF_F__COUNT] = {
    [WR_REGF_F_HEADER_SIGNATURE] = "header-signature",
    [WR_REGF_F_HEADER_CHECKSUM] = "header-checksum",
    [WR_REGF_F_HEADER_VERSION] = "header-version",
    [WR_REGF_F_HEADER_TYPE] = "header-type",
    [WR_REGF_F_HEADER_FORMAT] = "header-format",
    [WR_REGF_F_HEADER_CLUSTER] = "header-cluster",
    [WR_REGF_F_HEADER_BINS_SIZE] = "header-bins-size",
    [WR_REGF_F_TRUNCATED] = "truncated",
    [WR_REGF_F_DIRTY] = "dirty",
    [WR_REGF_F_KTM_LOCKED] = "ktm-locked",
    [WR_REGF_F_BIN_SIGNATURE] = "bin-signature",
    [WR_REGF_F_BIN_OFFSET] = "bin-offset",
    [WR_REGF_F_BIN_SIZE] = "bin-size",
    [WR_REGF_F_CELL_SIZE] = "cell-size",
    [WR_REGF_F_BAD_REFERENCE] = "bad-reference",
    [WR_REGF_F_SHARED_CELL] = "shared-cell",
    [WR_REGF_F_ROOT] = "root",
    [WR_REGF_F_KEY_SIGNATURE] = "key-signature",
    [WR_REGF_F_KEY_SIZE] = "key-size",
    [WR_REGF_F_KEY_NAME] = "key-name",
    [WR_REGF_F_KEY_PARENT] = "key-parent",
    [WR_REGF_F_KEY_FLAGS] = "key-flags",
    [WR_REGF_F_TOO_DEEP] = "too-deep",
    [WR_REGF_F_CLASS] = "class",
    [WR_REGF_F_LARGEST] = "largest",
    [WR_REGF_F_VALUE_LIST] = "value-list",
    [WR_REGF_F_VALUE_SIGNATURE] = "value-signature",
    [WR_REGF_F_VALUE_SIZE] = "value-size",
    [WR_REGF_F_VALUE_DATA] = "value-data",
    [WR_REGF_F_BIG_DATA] = "big-data",
    [WR_REGF_F_SUBKEY_LIST] = "subkey-list",
    [WR_REGF_F_SUBKEY_NESTING] = "subkey-nesting",
    [WR_REGF_F_SUBKEY_COUNT] = "subkey-count",
    [WR_REGF_F_SUBKEY_ORDER] = "subkey-order",
    [WR_REGF_F_SUBKEY_HINT] = "subkey-hint",
    [WR_REGF_F_SECURITY] = "security",
    [WR_REGF_F_SECURITY_DESCRIPTOR] = "security-descriptor",
    [WR_REGF_F_SECURITY_RING] = "security-ring",
    [WR_REGF_F_SECURITY_REFCOUNT] = "security-refcount",
    [WR_REGF_F_UNREFERENCED] = "unreferenced",
};

const char *wr_regf_finding_name(enum wr_regf_finding_code code)
{
    if ((unsigned)code < WR_REGF_F__COUNT && names[code])
        return names[code];
    return "unknown";
}

bool wr_regf_finding_is_warning(enum wr_regf_finding_code code)
{
    /* Windows loads these; a hint mismatch only hides that one key from
     * lookups, and "largest" fields are sizing hints. */
    return code == WR_REGF_F_SUBKEY_HINT || code == WR_REGF_F_LARGEST ||
           code == WR_REGF_F_HEADER_CLUSTER ||
           code == WR_REGF_F_KTM_LOCKED || /* readable; edits are refused */
           code == WR_REGF_F_UNREFERENCED;
}

void wr_regf_report_init(struct regf_report *r, const char *name, wr_regf_finding_fn fn, void *arg)
{
    memset(r, 0, sizeof *r);
    r->name = name ? name : "hive";
    r->fn = fn;
    r->arg = arg;
}

void wr_regf_report(struct regf_report *r, enum wr_regf_finding_code code, uint64_t offset,
                 const char *fmt, ...)
{
    struct wr_regf_finding f;
    va_list ap;
    size_t n;

    if (r->stopped)
        return;
    f.code = code;
    f.offset = offset;
    n = wr_format(f.message, sizeof f.message, "%s: ", r->name);
    if (n >= sizeof f.message)
        n = sizeof f.message - 1;
    va_start(ap, fmt);
    wr_vformat(f.message + n, sizeof f.message - n, fmt, ap);
    va_end(ap);
    r->count++;
    if (!wr_regf_finding_is_warning(code) && r->errors++ == 0)
        r->first_error = f;
    if (r->fn && !r->fn(r->arg, &f))
        r->stopped = true;
}
