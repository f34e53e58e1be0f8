/* Product facts from SOFTWARE and the To Go flag from SYSTEM, read with
 * lib/regf from the NTFS volume. */
#include "base/fmt.h"
#include "base/utf16.h"
#include "regf/regf.h"
#include "windows/hives.h"

#define HIVE_MAX (512u << 20)

static wr_status open_hive(struct wr_ntfs *v, const char *path, struct wr_regf_hive **h,
                           struct wr_err *err)
{
    struct wr_regf_open_opts opts = { .name = path,
                                      .flags = WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY };
    uint8_t *data;
    size_t len;
    wr_status st = wr_ntfs_read_file(v, path, HIVE_MAX, &data, &len, err);

    if (st)
        return st;
    st = wr_regf_open(data, len, &opts, h, err);
    wr_free(data);
    return st;
}

static void string_value(struct wr_regf_hive *h, wr_regf_node key, const char *name, char *out,
                         size_t size)
{
    wr_regf_value val;
    char *s;

    if (wr_regf_value_find(h, key, name, &val, NULL) != WR_OK ||
        wr_regf_value_sz(h, val, WR_UTF16_REPLACE, &s, NULL) != WR_OK)
        return;
    wr_format(out, size, "%s", s);
    wr_free(s);
}

wr_status wr_windows_read_software(struct wr_ntfs *v, struct wr_windows_info *out,
                                   struct wr_err *err)
{
    struct wr_regf_hive *h;
    wr_regf_node cv;
    wr_status st = open_hive(v, "\\Windows\\System32\\config\\SOFTWARE", &h, err);

    if (st)
        return st;
    st = wr_regf_lookup(h, wr_regf_root(h), "Microsoft\\Windows NT\\CurrentVersion", &cv, err);
    if (!st) {
        string_value(h, cv, "ProductName", out->product_name, sizeof out->product_name);
        string_value(h, cv, "DisplayVersion", out->display_version,
                     sizeof out->display_version);
        if (!out->display_version[0])
            string_value(h, cv, "ReleaseId", out->display_version,
                         sizeof out->display_version);
        string_value(h, cv, "CurrentBuild", out->build, sizeof out->build);
        if (!out->build[0])
            string_value(h, cv, "CurrentBuildNumber", out->build, sizeof out->build);
        string_value(h, cv, "EditionID", out->edition, sizeof out->edition);
        out->hive_read = true;
    }
    wr_regf_close(h);
    return st;
}

wr_status wr_windows_read_system(struct wr_ntfs *v, struct wr_windows_info *out,
                                 struct wr_err *err)
{
    struct wr_regf_hive *h;
    wr_regf_node key;
    wr_regf_value val;
    uint32_t current = 0, portable = 0;
    char path[64];
    wr_status st = open_hive(v, "\\Windows\\System32\\config\\SYSTEM", &h, err);

    if (st)
        return st;
    st = wr_regf_lookup(h, wr_regf_root(h), "Select", &key, err);
    if (!st)
        st = wr_regf_value_find(h, key, "Current", &val, err);
    if (!st)
        st = wr_regf_value_dword(h, val, &current, err);
    if (!st && (current == 0 || current > 999))
        st = wr_fail(err, WR_E_CORRUPT, "SYSTEM: Select\\Current is %u", current);
    if (!st) {
        wr_format(path, sizeof path, "ControlSet%03u\\Control", current);
        st = wr_regf_lookup(h, wr_regf_root(h), path, &key, err);
    }
    if (!st) {
        out->to_go_known = true;
        /* Absent means an ordinary installation. */
        if (wr_regf_value_find(h, key, "PortableOperatingSystem", &val, NULL) == WR_OK &&
            wr_regf_value_dword(h, val, &portable, NULL) == WR_OK)
            out->to_go = portable != 0;
    }
    wr_regf_close(h);
    return st;
}
