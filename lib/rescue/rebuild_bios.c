/* bcdboot /f ALL's BIOS half: the PCAT boot files and \Boot\BCD. The store
 * is the UEFI one (rebuild.c) turned into its PCAT flavour, as bcdboot
 * fills both from one template whose PCAT objects differ only there. */
#include "bcd/edit.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "regf/commit.h"
#include "rescue/bios.h"
#include "rescue/internal.h"

#define E_ISOLATED 0x16000060u
#define BCD_MAX (16u << 20)

static wr_status set_str(struct wr_regf_hive *h, const char *key, uint32_t code, const char *s,
                         struct wr_err *err)
{
    struct wr_bcd_value v = { .format = WR_BCD_FMT_STRING, .str = (char *)s };
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t type;
    wr_status st = wr_bcd_value_encode(&v, &type, &data, &len, err);

    if (!st)
        st = wr_bcd_hive_set_element(h, key, code, type, data, len, err);
    wr_free(data);
    return st;
}

static wr_status drop_element(struct wr_regf_hive *h, const char *key, uint32_t code,
                              struct wr_err *err)
{
    wr_status st = wr_bcd_hive_delete_element(h, key, code, err);
    if (st == WR_E_NOT_FOUND) {
        wr_err_clear(err);
        return WR_OK;
    }
    return st;
}

/* \...\winload.efi -> \...\winload.exe (the loader, resume and WinRE). */
static wr_status exe_path(struct wr_regf_hive *h, const struct wr_bcd_object *o,
                          struct wr_err *err)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, WR_BCD_E_PATH);
    struct wr_bcd_value v = { 0 };
    wr_status st = WR_OK;
    size_t n;

    if (!e || wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &v, NULL))
        return WR_OK;
    n = v.str ? strlen(v.str) : 0;
    if (n > 4 && (v.str[n - 3] | 0x20) == 'e' && (v.str[n - 2] | 0x20) == 'f' &&
        (v.str[n - 1] | 0x20) == 'i') {
        memcpy(v.str + n - 3, "exe", 3);
        st = set_str(h, o->key, WR_BCD_E_PATH, v.str, err);
    }
    wr_bcd_value_clear(&v);
    return st;
}

static wr_status pcat_object(struct wr_regf_hive *h, const struct wr_bcd_object *o,
                             struct wr_err *err)
{
    if (!o->has_type)
        return WR_OK;
    switch (o->type) {
    case WR_BCD_TYPE_FWBOOTMGR:
        return wr_bcd_hive_delete_object(h, o->key, err);
    case WR_BCD_TYPE_BOOTMGR:
        /* bootmgr is the file the MBR/PBR code loaded; it has no path */
        return drop_element(h, o->key, WR_BCD_E_PATH, err);
    case WR_BCD_TYPE_OSLOADER:
    case WR_BCD_TYPE_RESUME: {
        wr_status st = exe_path(h, o, err);
        return st ? st : drop_element(h, o->key, E_ISOLATED, err);
    }
    case WR_BCD_TYPE_MEMDIAG:
        return set_str(h, o->key, WR_BCD_E_PATH, "\\boot\\memtest.exe", err);
    default:
        return WR_OK;
    }
}

/* No firmware namespace to export to on BIOS (the fixtures' BIOS stores
 * have no FirmwareModified). */
static wr_status pcat_store_values(struct wr_regf_hive *h, struct wr_err *err)
{
    wr_regf_node desc;
    wr_status st = wr_regf_lookup(h, wr_regf_root(h), "Description", &desc, err);

    if (!st) {
        st = wr_regf_value_delete(h, desc, "FirmwareModified", err);
        if (st == WR_E_NOT_FOUND) {
            wr_err_clear(err);
            st = WR_OK;
        }
    }
    return st;
}

wr_status wr_rescue_build_bios_store(const struct wr_rescue_model *m, int esp, int win,
                                     const char *seed, struct wr_regf_hive **out,
                                     struct wr_err *err)
{
    struct wr_regf_hive *h = NULL;
    struct wr_bcd_store s;
    wr_status st = wr_rescue_build_store(m, esp, &win, 1, seed, &h, err);

    if (st)
        return st;
    wr_bcd_store_init(&s);
    st = wr_bcd_store_load(h, &s, err);
    for (size_t i = 0; i < s.n_objects && !st; i++)
        st = pcat_object(h, &s.objects[i], err);
    if (!st)
        st = pcat_store_values(h, err);
    wr_bcd_store_free(&s);
    if (st) {
        wr_regf_close(h);
        return wr_err_prefix(err, st, "the BIOS store: ");
    }
    *out = h;
    return WR_OK;
}

static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a | 0x20) != (*b | 0x20))
            return false;
    return *a == *b;
}

/* bootmgr and bootnxt go to the root (bcd.md §6.5), the rest of PCAT, Fonts
 * and Resources below \Boot. */
static wr_status bios_files(const struct wr_volume *v, struct wr_rescue_copy **list, size_t *n,
                            struct wr_err *err)
{
    static const char *const extra[][2] = { { "\\Windows\\Boot\\Fonts", "\\Boot\\Fonts" },
                                            { "\\Windows\\Boot\\Resources",
                                              "\\Boot\\Resources" } };
    wr_status st = wr_rescue_copy_list_tree(v, WR_RESCUE_PCAT_DIR, "\\Boot", list, n, err);

    for (size_t i = 0; i < WR_ARRAY_LEN(extra) && !st; i++)
        if (wr_volume_exists(v, extra[i][0]))
            st = wr_rescue_copy_list_tree(v, extra[i][0], extra[i][1], list, n, err);
    for (size_t i = 0; i < *n && !st; i++) {
        struct wr_rescue_copy *c = &(*list)[i];
        if (same_name(c->dst, "\\Boot\\bootmgr"))
            wr_format(c->dst, sizeof c->dst, "\\bootmgr");
        else if (same_name(c->dst, "\\Boot\\bootnxt"))
            wr_format(c->dst, sizeof c->dst, "\\BOOTNXT");
    }
    return st;
}

wr_status wr_rescue_bios_list(const struct wr_rescue_model *m, int win,
                              struct wr_rescue_copy **out, size_t *n, struct wr_err *err)
{
    wr_status st;

    *out = NULL;
    *n = 0;
    if (win < 0 || (size_t)win >= m->n_parts || !m->parts[win].ntfs_vol.ops ||
        !wr_volume_exists(&m->parts[win].ntfs_vol, WR_RESCUE_PCAT_DIR "\\bootmgr"))
        return WR_OK;
    st = bios_files(&m->parts[win].ntfs_vol, out, n, err);
    if (st) {
        wr_free(*out);
        *out = NULL;
        *n = 0;
        return wr_err_prefix(err, st, "BIOS boot files: listing %s: ", WR_RESCUE_PCAT_DIR);
    }
    return WR_OK;
}

wr_status wr_rescue_bios_targets(const struct wr_rescue_model *m, int win, struct wr_text *out,
                                 size_t *n, struct wr_err *err)
{
    struct wr_rescue_copy *list = NULL;
    size_t k = 0;
    wr_status st = wr_rescue_bios_list(m, win, &list, &k, err);

    *n = 0;
    for (size_t i = 0; i < k; i++)
        wr_text_printf(out, "%s\n", list[i].dst);
    if (!st && k) {
        wr_text_printf(out, "%s\n", WR_RESCUE_BIOS_BCD_PATH);
        *n = k + 1;
    }
    wr_free(list);
    return st;
}

/* Read back as a store with a {bootmgr}: what a boot would find. */
static wr_status verify_store(const struct wr_volume *v, struct wr_err *err)
{
    struct wr_regf_hive *h = NULL;
    struct wr_bcd_store s;
    uint8_t *data = NULL;
    size_t len = 0;
    wr_status st = wr_volume_read_file(v, WR_RESCUE_BIOS_BCD_PATH, BCD_MAX, &data, &len, err);

    if (!st)
        st = wr_regf_open(data, len, &(struct wr_regf_open_opts){ .name = "BCD" }, &h, err);
    wr_free(data);
    if (st)
        return st;
    wr_bcd_store_init(&s);
    st = wr_bcd_store_load(h, &s, err);
    if (!st && !wr_bcd_store_find_wellknown(&s, WR_BCD_ID_BOOTMGR))
        st = wr_fail(err, WR_E_CORRUPT, "the store has no {bootmgr}");
    wr_bcd_store_free(&s);
    wr_regf_close(h);
    return st;
}

wr_status wr_rescue_verify_bios(const struct wr_volume *v, struct wr_err *err)
{
    wr_status st = verify_store(v, err);

    if (st)
        return wr_err_prefix(err, st, "%s: ", WR_RESCUE_BIOS_BCD_PATH);
    if (!wr_volume_exists(v, "\\bootmgr"))
        return wr_fail(err, WR_E_IO, "\\bootmgr is not there after the copy");
    return WR_OK;
}

static wr_status write_store(const struct wr_rescue_model *m, int esp, int win,
                             const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    const struct wr_volume *v = &m->parts[esp].fat;
    struct wr_regf_hive *h = NULL;
    char seed[96];
    wr_status st;

    /* its own GUIDs: the two stores are separate namespaces */
    wr_format(seed, sizeof seed, "%s:pcat", o->stamp ? o->stamp : "");
    st = wr_rescue_build_bios_store(m, esp, win, seed, &h, err);
    if (!st)
        st = wr_rescue_make_parents(v, WR_RESCUE_BIOS_BCD_PATH, err);
    if (!st)
        st = wr_regf_commit(h, v, WR_RESCUE_BIOS_BCD_PATH,
                            WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE, NULL, err);
    wr_regf_close(h);
    if (!st && (st = verify_store(v, err)))
        wr_err_prefix(err, st, "verify after write: ");
    return st ? wr_err_prefix(err, st, "writing %s: ", WR_RESCUE_BIOS_BCD_PATH) : WR_OK;
}

wr_status wr_rescue_do_bios(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                            const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    struct wr_rescue_copy *list = NULL;
    size_t n = 0;
    wr_status st = wr_rescue_bios_list(m, a->win, &list, &n, err);

    if (!st && !n)
        st = wr_fail(err, WR_E_NOT_FOUND, "BIOS boot files: %s\\bootmgr is gone",
                     WR_RESCUE_PCAT_DIR);
    else if (!st && (st = wr_rescue_copy_files(&m->parts[a->win].ntfs_vol, &m->parts[a->esp].fat,
                                               list, n, err)))
        wr_err_prefix(err, st, "BIOS boot files: copying: ");
    else if (!st)
        st = write_store(m, a->esp, a->win, o, err);
    wr_free(list);
    return st;
}

/* One action, applied as any plan is: backup, write, verify. */
wr_status wr_rescue_write_bios(struct wr_rescue_model *m, int win, int esp,
                               const struct wr_rescue_apply_opts *o,
                               struct wr_rescue_bios_result *out, struct wr_err *err)
{
    struct wr_rescue_action a = { .kind = WR_RESCUE_ACT_BIOS, .esp = esp, .win = win };
    struct wr_rescue_plan plan = { .v = &a, .n = 1 };
    struct wr_rescue_copy *list = NULL;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (win < 0 || (size_t)win >= m->n_parts || !m->parts[win].ntfs_vol.ops)
        return wr_fail(err, WR_E_NOT_FOUND, "BIOS boot files: no readable Windows");
    if (esp < 0 || (size_t)esp >= m->n_parts || !m->parts[esp].has_fat)
        return wr_fail(err, WR_E_NOT_FOUND, "BIOS boot files: no FAT system partition");
    st = wr_rescue_bios_list(m, win, &list, &out->n_files, err);
    wr_free(list);
    if (st || !out->n_files) {
        out->skipped = !st;
        return st;
    }
    wr_format(a.text, sizeof a.text, "BIOS boot files");
    st = wr_rescue_apply(m, &plan, o, out->backup, err);
    if (st && !a.ran)
        wr_err_prefix(err, st, "BIOS boot files (nothing was written): ");
    return st;
}

static bool default_loader(const struct wr_bcd_store *s, const struct wr_bcd_element **dev,
                           const struct wr_bcd_element **osdev)
{
    struct wr_guid g;
    const struct wr_bcd_object *o;

    if (!wr_bcd_store_default(s, &g) || !(o = wr_bcd_store_find(s, &g)))
        return false;
    *dev = wr_bcd_object_get(o, WR_BCD_E_DEVICE);
    *osdev = wr_bcd_object_get(o, 0x21000001u);
    return *dev != NULL;
}

static bool same_element(const struct wr_bcd_element *a, const struct wr_bcd_element *b)
{
    if (!a || !b)
        return a == b;
    return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

bool wr_rescue_bios_store_in_step(const uint8_t *bios, size_t len,
                                  const struct wr_bcd_store *uefi)
{
    struct wr_regf_open_opts opts = { .name = "BCD",
                                      .flags = WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY };
    const struct wr_bcd_element *bd, *bo, *ud, *uo;
    struct wr_regf_hive *h = NULL;
    struct wr_bcd_store s;
    bool same = false;

    if (!default_loader(uefi, &ud, &uo) || wr_regf_open(bios, len, &opts, &h, NULL))
        return false;
    wr_bcd_store_init(&s);
    if (!wr_bcd_store_load(h, &s, NULL) && default_loader(&s, &bd, &bo))
        same = same_element(bd, ud) && same_element(bo, uo);
    wr_bcd_store_free(&s);
    wr_regf_close(h);
    return same;
}
