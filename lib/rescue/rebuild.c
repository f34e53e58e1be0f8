/* A BCD store from scratch, the object set bcdboot writes for a UEFI
 * system (bcd.md §6.2), built with lib/bcd's hive edits. */
#include "base/sha256.h"
#include "bcd/edit.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "rescue/internal.h"

#define E_LOCALE 0x12000005u
#define E_BADMEMORYACCESS 0x1600000Bu
#define E_DEBUGTYPE 0x15000011u
#define E_BOOTEMS 0x16000020u
#define E_ISOLATED 0x16000060u
#define E_INMEMORY 0x17000077u
#define E_OSDEVICE 0x21000001u
#define E_SYSTEMROOT 0x22000002u
#define E_NX 0x25000020u
#define E_MENUPOLICY 0x250000C2u
#define E_RESUME_MENUPOLICY 0x25000008u
#define E_HV_DEBUGTYPE 0x250000F3u
#define E_HV_DEBUGPORT 0x250000F4u
#define E_HV_BAUDRATE 0x250000F5u
#define E_RECOVERYENABLED 0x16000009u
#define E_WINPE 0x26000022u
#define E_SDIDEVICE 0x31000003u
#define E_SDIPATH 0x32000004u
#define WINRE_WIM "\\Recovery\\WindowsRE\\Winre.wim"
#define WINRE_SDI "\\Recovery\\WindowsRE\\boot.sdi"
#define LOCALE "en-US"

struct ed {
    struct wr_regf_hive *h;
    char key[39];
    struct wr_err *err;
    wr_status st;
};

static void put(struct ed *e, uint32_t code, const struct wr_bcd_value *v)
{
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t type;

    if (e->st)
        return;
    e->st = wr_bcd_value_encode(v, &type, &data, &len, e->err);
    if (!e->st)
        e->st = wr_bcd_hive_set_element(e->h, e->key, code, type, data, len, e->err);
    wr_free(data);
}

static void put_str(struct ed *e, uint32_t code, const char *s)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_STRING, .str = (char *)s };
    put(e, code, &v);
}

static void put_int(struct ed *e, uint32_t code, uint64_t n)
{
    struct wr_bcd_value v = { .format = wr_bcd_code_format(code), .integer = n };
    put(e, code, &v);
}

static void put_obj(struct ed *e, uint32_t code, const struct wr_guid *g)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_OBJECT, .guid = *g };
    put(e, code, &v);
}

static void put_list(struct ed *e, uint32_t code, const struct wr_guid *g, size_t n)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_OBJLIST, .guids = (struct wr_guid *)g,
                              .count = n };
    put(e, code, &v);
}

static void put_known(struct ed *e, uint32_t code, const int *ids, size_t n)
{
    struct wr_guid g[4];
    for (size_t i = 0; i < n; i++)
        wr_bcd_wellknown_guid((enum wr_bcd_wellknown)ids[i], &g[i]);
    put_list(e, code, g, n);
}

static void put_dev(struct ed *e, uint32_t code, const struct wr_rescue_model *m, int part)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_DEVICE };
    wr_rescue_part_device(m, (size_t)part, &v.dev.dev);
    put(e, code, &v);
}

static void object(struct ed *e, const struct wr_guid *g, uint32_t type)
{
    wr_bcd_guid_key(g, e->key);
    if (!e->st)
        e->st = wr_bcd_hive_create_object(e->h, g, type, e->err);
}

static void known(struct ed *e, int id, uint32_t type)
{
    struct wr_guid g;
    wr_bcd_wellknown_guid((enum wr_bcd_wellknown)id, &g);
    object(e, &g, type);
}

/* Time-based GUIDs would need a clock; a hash of the seed and the
 * partition is as unique and repeatable (version 4 bits set). */
static void derive_guid(const char *seed, const char *what, const struct wr_rescue_model *m,
                        int win, struct wr_guid *out)
{
    struct wr_sha256 s;
    uint8_t d[WR_SHA256_LEN];

    wr_sha256_init(&s);
    wr_sha256_update(&s, seed, strlen(seed));
    wr_sha256_update(&s, what, strlen(what));
    wr_sha256_update(&s, &m->parts[win].p->part_guid, 16);
    wr_sha256_update(&s, &m->parts[win].p->first_lba, 8);
    wr_sha256_final(&s, d);
    memcpy(out->b, d, 16);
    out->b[7] = (uint8_t)((out->b[7] & 0x0f) | 0x40);
    out->b[8] = (uint8_t)((out->b[8] & 0x3f) | 0x80);
}

static const char *windows_name(const struct wr_windows_info *w)
{
    unsigned build = 0;
    for (const char *p = w->build; *p >= '0' && *p <= '9'; p++)
        build = build * 10 + (unsigned)(*p - '0');
    if (!build)
        return "Windows";
    return build >= 22000 ? "Windows 11" : "Windows 10";
}

/* The partition holding Windows RE's image, its own disk first; -1. */
static int find_winre(const struct wr_rescue_model *m, int win)
{
    int other = -1;

    for (size_t i = 0; i < m->n_parts; i++) {
        const struct wr_rescue_part *p = &m->parts[i];
        if (!p->ntfs || !wr_volume_exists(&p->ntfs_vol, WINRE_WIM))
            continue;
        if (p->disk == m->parts[win].disk)
            return (int)i;
        if (other < 0)
            other = (int)i;
    }
    return other;
}

static void put_ramdisk(struct ed *e, uint32_t code, const struct wr_rescue_model *m, int part,
                        const struct wr_guid *opts)
{
    struct wr_bcd_device parent;
    struct wr_bcd_value v = { .format = WR_BCD_FMT_DEVICE };

    wr_rescue_part_device(m, (size_t)part, &parent);
    v.dev.options = *opts;
    v.dev.dev.kind = WR_BCD_DEV_RAMDISK;
    v.dev.dev.flags = 1;
    v.dev.dev.path = WINRE_WIM;
    v.dev.dev.parent = &parent;
    put(e, code, &v);
}

/* The WinRE loader and its ramdisk options (bcd.md §6.2, "WinRE"), as
 * reagentc leaves them; the options object's GUID is the loader's + 1. */
static void winre_entry(struct ed *e, const struct wr_rescue_model *m, int re,
                        const struct wr_guid *id)
{
    static const int bls[] = { WR_BCD_ID_BOOTLOADERSETTINGS };
    struct wr_guid opts = *id;

    opts.b[0]++;
    object(e, &opts, WR_BCD_TYPE_DEVICE);
    put_str(e, WR_BCD_E_DESCRIPTION, "Windows Recovery");
    put_dev(e, E_SDIDEVICE, m, re);
    put_str(e, E_SDIPATH, WINRE_SDI);
    object(e, id, WR_BCD_TYPE_OSLOADER);
    put_ramdisk(e, WR_BCD_E_DEVICE, m, re, &opts);
    put_str(e, WR_BCD_E_PATH, "\\windows\\system32\\winload.efi");
    put_str(e, WR_BCD_E_DESCRIPTION, "Windows Recovery Environment");
    put_str(e, E_LOCALE, LOCALE);
    put_known(e, WR_BCD_E_INHERIT, bls, 1);
    put_ramdisk(e, E_OSDEVICE, m, re, &opts);
    put_str(e, E_SYSTEMROOT, "\\windows");
    put_int(e, E_NX, 0);
    put_int(e, E_MENUPOLICY, 1);
    put_int(e, E_WINPE, 1);
}

wr_status wr_rescue_add_loader(struct wr_regf_hive *h, const struct wr_rescue_model *m, int win,
                               const char *seed, struct wr_guid *loader, struct wr_err *err)
{
    struct ed e = { .h = h, .err = err };
    struct wr_guid resume;
    const uint64_t inmem = 0x15000075u;
    static const int bls[] = { WR_BCD_ID_BOOTLOADERSETTINGS };
    static const int rls[] = { WR_BCD_ID_RESUMELOADERSETTINGS };

    derive_guid(seed, "resume", m, win, &resume);
    derive_guid(seed, "loader", m, win, loader);
    object(&e, &resume, WR_BCD_TYPE_RESUME);
    put_dev(&e, WR_BCD_E_DEVICE, m, win);
    put_str(&e, WR_BCD_E_PATH, "\\Windows\\system32\\winresume.efi");
    put_str(&e, WR_BCD_E_DESCRIPTION, "Windows Resume Application");
    put_str(&e, E_LOCALE, LOCALE);
    put_known(&e, WR_BCD_E_INHERIT, rls, 1);
    put_int(&e, E_ISOLATED, 1);
    {
        struct wr_bcd_value v = { .format = WR_BCD_FMT_INTLIST, .ints = (uint64_t *)&inmem,
                                  .count = 1 };
        put(&e, E_INMEMORY, &v);
    }
    put_dev(&e, E_OSDEVICE, m, win); /* filedevice */
    put_str(&e, E_SYSTEMROOT, "\\hiberfil.sys"); /* filepath */
    put_int(&e, E_RESUME_MENUPOLICY, 1);

    object(&e, loader, WR_BCD_TYPE_OSLOADER);
    put_dev(&e, WR_BCD_E_DEVICE, m, win);
    put_str(&e, WR_BCD_E_PATH, "\\Windows\\system32\\winload.efi");
    put_str(&e, WR_BCD_E_DESCRIPTION, windows_name(&m->parts[win].win));
    put_str(&e, E_LOCALE, LOCALE);
    put_known(&e, WR_BCD_E_INHERIT, bls, 1);
    put_int(&e, E_ISOLATED, 1);
    {
        struct wr_bcd_value v = { .format = WR_BCD_FMT_INTLIST, .ints = (uint64_t *)&inmem,
                                  .count = 1 };
        put(&e, E_INMEMORY, &v);
    }
    put_dev(&e, E_OSDEVICE, m, win);
    put_str(&e, E_SYSTEMROOT, "\\Windows");
    put_obj(&e, WR_BCD_E_OSL_RESUMEOBJECT, &resume);
    put_int(&e, E_NX, 0);
    put_int(&e, E_MENUPOLICY, 1);
    {
        int re = find_winre(m, win);
        struct wr_guid winre;
        char key[39];
        if (re >= 0) {
            derive_guid(seed, "winre", m, win, &winre);
            winre.b[0] &= 0xfe; /* room for the options GUID (+1) */
            put_list(&e, WR_BCD_E_RECOVERYSEQUENCE, &winre, 1);
            put_int(&e, E_RECOVERYENABLED, 1);
            memcpy(key, e.key, sizeof key);
            winre_entry(&e, m, re, &winre);
            memcpy(e.key, key, sizeof key);
        }
    }
    return e.st;
}

static void settings_groups(struct ed *e)
{
    static const int gs[] = { WR_BCD_ID_DBGSETTINGS, WR_BCD_ID_EMSSETTINGS, WR_BCD_ID_BADMEMORY };
    static const int bl[] = { WR_BCD_ID_GLOBALSETTINGS, WR_BCD_ID_HYPERVISORSETTINGS };
    static const int rl[] = { WR_BCD_ID_GLOBALSETTINGS };

    known(e, WR_BCD_ID_GLOBALSETTINGS, WR_BCD_TYPE_INHERIT);
    put_known(e, WR_BCD_E_INHERIT, gs, 3);
    known(e, WR_BCD_ID_DBGSETTINGS, WR_BCD_TYPE_INHERIT);
    put_int(e, E_DEBUGTYPE, 4);
    known(e, WR_BCD_ID_EMSSETTINGS, WR_BCD_TYPE_INHERIT);
    put_int(e, E_BOOTEMS, 0);
    known(e, WR_BCD_ID_BADMEMORY, WR_BCD_TYPE_INHERIT);
    known(e, WR_BCD_ID_BOOTLOADERSETTINGS, 0x20200003u);
    put_known(e, WR_BCD_E_INHERIT, bl, 2);
    known(e, WR_BCD_ID_HYPERVISORSETTINGS, 0x20200003u);
    put_int(e, E_HV_DEBUGTYPE, 0);
    put_int(e, E_HV_DEBUGPORT, 1);
    put_int(e, E_HV_BAUDRATE, 115200);
    known(e, WR_BCD_ID_RESUMELOADERSETTINGS, 0x20200004u);
    put_known(e, WR_BCD_E_INHERIT, rl, 1);
}

static void boot_manager(struct ed *e, const struct wr_rescue_model *m, int esp,
                         const struct wr_guid *loaders, size_t n)
{
    static const int gs[] = { WR_BCD_ID_GLOBALSETTINGS };
    static const int md[] = { WR_BCD_ID_MEMDIAG };
    static const int bm[] = { WR_BCD_ID_BOOTMGR };

    known(e, WR_BCD_ID_BOOTMGR, WR_BCD_TYPE_BOOTMGR);
    put_dev(e, WR_BCD_E_DEVICE, m, esp);
    put_str(e, WR_BCD_E_PATH, WR_EFIVAR_BOOTMGFW_PATH);
    put_str(e, WR_BCD_E_DESCRIPTION, "Windows Boot Manager");
    put_str(e, E_LOCALE, LOCALE);
    put_known(e, WR_BCD_E_INHERIT, gs, 1);
    put_obj(e, WR_BCD_E_DEFAULT, &loaders[0]);
    put_list(e, WR_BCD_E_DISPLAYORDER, loaders, n);
    put_known(e, WR_BCD_E_TOOLSDISPLAYORDER, md, 1);
    put_int(e, WR_BCD_E_TIMEOUT, 30);

    known(e, WR_BCD_ID_FWBOOTMGR, WR_BCD_TYPE_FWBOOTMGR);
    put_known(e, WR_BCD_E_DISPLAYORDER, bm, 1);
    put_int(e, WR_BCD_E_TIMEOUT, 0);

    known(e, WR_BCD_ID_MEMDIAG, WR_BCD_TYPE_MEMDIAG);
    put_dev(e, WR_BCD_E_DEVICE, m, esp);
    put_str(e, WR_BCD_E_PATH, "\\EFI\\Microsoft\\Boot\\memtest.efi");
    put_str(e, WR_BCD_E_DESCRIPTION, "Windows Memory Diagnostic");
    put_str(e, E_LOCALE, LOCALE);
    put_known(e, WR_BCD_E_INHERIT, gs, 1);
    put_int(e, E_BADMEMORYACCESS, 1);
}

static wr_status store_values(struct wr_regf_hive *h, struct wr_err *err)
{
    wr_regf_node desc;
    uint8_t one[4] = { 1, 0, 0, 0 };
    wr_status st = wr_regf_lookup(h, wr_regf_root(h), "Description", &desc, err);

    if (!st)
        st = wr_regf_value_set(h, desc, "System", WR_REG_DWORD, one, 4, err);
    if (!st)
        st = wr_regf_value_set(h, desc, "FirmwareModified", WR_REG_DWORD, one, 4, err);
    return st;
}

wr_status wr_rescue_build_store(const struct wr_rescue_model *m, int esp, const int *wins,
                                size_t n_wins, const char *seed, struct wr_regf_hive **out,
                                struct wr_err *err)
{
    struct ed e = { .err = err };
    struct wr_guid loaders[8];

    if (n_wins == 0 || n_wins > WR_ARRAY_LEN(loaders))
        return wr_fail(err, WR_E_INVALID, "rebuild: %zu Windows installations", n_wins);
    e.st = wr_bcd_hive_create_store(&e.h, err);
    if (e.st)
        return e.st;
    for (size_t i = 0; i < n_wins && !e.st; i++)
        e.st = wr_rescue_add_loader(e.h, m, wins[i], seed, &loaders[i], err);
    boot_manager(&e, m, esp, loaders, n_wins);
    settings_groups(&e);
    if (!e.st)
        e.st = store_values(e.h, err);
    if (e.st) {
        wr_regf_close(e.h);
        return e.st;
    }
    *out = e.h;
    return WR_OK;
}
