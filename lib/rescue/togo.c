/* The Windows To Go flags (failure-modes.md W2, W4) from the offline
 * SYSTEM hive: read only, as that hive lives on NTFS. */
#include "rescue/model.h"

#include "base/fmt.h"
#include "regf/regf.h"

#define HIVE_MAX (256u << 20)

static bool dword_at(struct wr_regf_hive *h, wr_regf_node from, const char *path,
                     const char *name, uint32_t *out)
{
    wr_regf_node key;
    wr_regf_value val;

    return wr_regf_lookup(h, from, path, &key, NULL) == WR_OK &&
           wr_regf_value_find(h, key, name, &val, NULL) == WR_OK &&
           wr_regf_value_dword(h, val, out, NULL) == WR_OK;
}

/* Windows 8+ keeps BootDriverFlags under HardwareConfig\{profile};
 * Windows 7 under the control set's Control key. */
static void boot_driver_flags(struct wr_regf_hive *h, const char *cs, struct wr_rescue_togo *t)
{
    wr_regf_node hc, *kids = NULL;
    size_t n = 0;
    char path[64];

    if (wr_regf_lookup(h, wr_regf_root(h), "HardwareConfig", &hc, NULL) == WR_OK &&
        wr_regf_subkeys(h, hc, &kids, &n, NULL) == WR_OK)
        for (size_t i = 0; i < n && !t->bdf_known; i++)
            t->bdf_known = dword_at(h, kids[i], "", "BootDriverFlags", &t->boot_driver_flags);
    wr_free(kids);
    wr_format(path, sizeof path, "%s\\Control", cs);
    if (!t->bdf_known)
        t->bdf_known =
            dword_at(h, wr_regf_root(h), path, "BootDriverFlags", &t->boot_driver_flags);
}

void wr_rescue_read_togo(struct wr_ntfs *v, struct wr_rescue_togo *t)
{
    struct wr_regf_open_opts opts = { .name = "SYSTEM",
                                      .flags = WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY };
    struct wr_regf_hive *h = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t current = 1;
    char cs[32], path[96];

    memset(t, 0, sizeof *t);
    if (wr_ntfs_read_file(v, "\\Windows\\System32\\config\\SYSTEM", HIVE_MAX, &data, &len,
                          NULL) ||
        wr_regf_open(data, len, &opts, &h, NULL)) {
        wr_free(data);
        return;
    }
    wr_free(data);
    t->read = true;
    dword_at(h, wr_regf_root(h), "Select", "Current", &current);
    wr_format(cs, sizeof cs, "ControlSet%03u", current);
    wr_format(path, sizeof path, "%s\\Services\\partmgr\\Parameters", cs);
    t->san_known = dword_at(h, wr_regf_root(h), path, "SanPolicy", &t->san_policy);
    boot_driver_flags(h, cs, t);
    wr_regf_close(h);
}
