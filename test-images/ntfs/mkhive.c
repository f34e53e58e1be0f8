/* mkhive: the test images' SOFTWARE and SYSTEM hives, made with our own
 * regf writer (lib/regf) and committed through a host directory volume.
 *
 *   mkhive DIR   writes DIR/SOFTWARE and DIR/SYSTEM */
#include <stdio.h>
#include <string.h>

#include "../../tools/common/dirvol.h"
#include "base/utf16.h"
#include "regf/commit.h"
#include "regf/regf.h"

static struct wr_err err;

static int fail(const char *what)
{
    fprintf(stderr, "mkhive: %s: %s\n", what, err.msg);
    return 1;
}

static wr_status path(struct wr_regf_hive *h, const char *p, wr_regf_node *out)
{
    char buf[256], *save = NULL;
    wr_regf_node key = wr_regf_root(h);

    snprintf(buf, sizeof buf, "%s", p);
    for (char *c = strtok_r(buf, "\\", &save); c; c = strtok_r(NULL, "\\", &save)) {
        wr_status st = wr_regf_key_create(h, key, c, &key, &err);
        if (st && st != WR_E_EXISTS)
            return st;
    }
    *out = key;
    return WR_OK;
}

static wr_status sz(struct wr_regf_hive *h, wr_regf_node key, const char *name, const char *v)
{
    uint8_t u[512];
    size_t units;
    wr_status st = wr_utf8_to_utf16le(v, strlen(v), u, 255, &units, &err);

    if (st)
        return st;
    u[2 * units] = u[2 * units + 1] = 0;
    return wr_regf_value_set(h, key, name, WR_REG_SZ, u, 2 * units + 2, &err);
}

static wr_status dword(struct wr_regf_hive *h, wr_regf_node key, const char *name, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    return wr_regf_value_set(h, key, name, WR_REG_DWORD, b, 4, &err);
}

int main(int argc, char **argv)
{
    struct wr_dirvol *dv;
    struct wr_volume vol;
    struct wr_regf_hive *h;
    wr_regf_node k;

    if (argc != 2) {
        fprintf(stderr, "usage: mkhive DIR\n");
        return 2;
    }
    if (wr_dirvol_open(argv[1], &dv, &err))
        return fail(argv[1]);
    wr_dirvol_volume(dv, &vol);
    if (wr_regf_create("ROOT", 5, &h, &err) ||
        path(h, "Microsoft\\Windows NT\\CurrentVersion", &k) ||
        sz(h, k, "ProductName", "Windows 10 Pro") || sz(h, k, "DisplayVersion", "22H2") ||
        sz(h, k, "CurrentBuild", "19045") || sz(h, k, "CurrentBuildNumber", "19045") ||
        sz(h, k, "EditionID", "Professional") ||
        wr_regf_commit(h, &vol, "\\SOFTWARE", WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE,
                       NULL, &err))
        return fail("SOFTWARE");
    wr_regf_close(h);
    /* Select\Current names ControlSet002, the one marked To Go. */
    if (wr_regf_create("ROOT", 5, &h, &err) || path(h, "Select", &k) ||
        dword(h, k, "Current", 2) || path(h, "ControlSet001\\Control", &k) ||
        dword(h, k, "PortableOperatingSystem", 0) || path(h, "ControlSet002\\Control", &k) ||
        dword(h, k, "PortableOperatingSystem", 1) ||
        wr_regf_commit(h, &vol, "\\SYSTEM", WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE,
                       NULL, &err))
        return fail("SYSTEM");
    wr_regf_close(h);
    wr_dirvol_close(dv);
    return 0;
}
