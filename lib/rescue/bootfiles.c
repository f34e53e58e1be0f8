/* Boot files from \Windows\Boot\EFI to the ESP, as bcdboot copies them
 * (bcd.md §6.5), read WOF-aware through lib/ntfs; and the firmware entry. */
#include "base/fmt.h"
#include "rescue/internal.h"

#define SRC_DIR "\\Windows\\Boot\\EFI"
#define DST_DIR "\\EFI\\Microsoft\\Boot"
#define FILE_MAX (64u << 20)
#define MAX_FILES 512

struct walk {
    const struct wr_volume *v;
    struct wr_rescue_copy *list;
    size_t n;
    unsigned depth;
    char src[WR_NAME_MAX];
    char dst[WR_NAME_MAX];
    wr_status st;
    struct wr_err *err;
};

static wr_status walk_dir(struct walk *w);

static wr_status visit(void *arg, const struct wr_dirent *e)
{
    struct walk *w = arg;
    size_t ls = strlen(w->src), ld = strlen(w->dst);
    wr_status st = WR_OK;

    if (e->name[0] == '.' || w->n >= MAX_FILES)
        return WR_OK;
    wr_format(w->src + ls, sizeof w->src - ls, "\\%s", e->name);
    wr_format(w->dst + ld, sizeof w->dst - ld, "\\%s", e->name);
    if (e->is_dir) {
        if (w->depth < 3) {
            w->depth++;
            st = walk_dir(w);
            w->depth--;
        }
    } else {
        struct wr_rescue_copy *grown = wr_realloc(w->list, (w->n + 1) * sizeof *grown);
        if (!grown) {
            st = wr_fail(w->err, WR_E_NO_MEMORY, "out of memory");
        } else {
            w->list = grown;
            memcpy(grown[w->n].src, w->src, sizeof w->src);
            memcpy(grown[w->n].dst, w->dst, sizeof w->dst);
            w->n++;
        }
    }
    w->src[ls] = 0;
    w->dst[ld] = 0;
    return st;
}

static wr_status walk_dir(struct walk *w)
{
    return wr_volume_list_dir(w->v, w->src, visit, w, w->err);
}

wr_status wr_rescue_copy_list_tree(const struct wr_volume *v, const char *src, const char *dst,
                                   struct wr_rescue_copy **list, size_t *n, struct wr_err *err)
{
    struct walk w = { .v = v, .list = *list, .n = *n, .err = err };
    wr_status st;

    wr_format(w.src, sizeof w.src, "%s", src);
    wr_format(w.dst, sizeof w.dst, "%s", dst);
    st = walk_dir(&w);
    *list = w.list;
    *n = w.n;
    return st;
}

wr_status wr_rescue_copy_files(const struct wr_volume *from, const struct wr_volume *to,
                               const struct wr_rescue_copy *list, size_t n, struct wr_err *err)
{
    wr_status st = WR_OK;

    for (size_t i = 0; i < n && !st; i++) {
        uint8_t *data = NULL;
        size_t len = 0;
        st = wr_volume_read_file(from, list[i].src, FILE_MAX, &data, &len, err);
        if (!st)
            st = wr_rescue_make_parents(to, list[i].dst, err);
        if (!st)
            st = wr_volume_write_file(to, list[i].dst, data, len, err);
        wr_free(data);
    }
    return st;
}

static bool fallback_ours(const struct wr_rescue_part *esp)
{
    return !esp->esp.has_fallback || esp->esp.fallback_is_ms;
}

wr_status wr_rescue_bootfiles_list(const struct wr_rescue_model *m,
                                   const struct wr_rescue_action *a, struct wr_rescue_copy **out,
                                   size_t *n, struct wr_err *err)
{
    struct walk w = { .err = err };
    wr_status st;

    *out = NULL;
    *n = 0;
    if (a->win < 0 || !m->parts[a->win].ntfs)
        return wr_fail(err, WR_E_NOT_FOUND, "no readable Windows to copy boot files from");
    st = wr_rescue_copy_list_tree(&m->parts[a->win].ntfs_vol, SRC_DIR, DST_DIR, &w.list, &w.n,
                                  err);
    if (!st && fallback_ours(&m->parts[a->esp])) {
        struct wr_rescue_copy *grown = wr_realloc(w.list, (w.n + 1) * sizeof *grown);
        if (!grown) {
            st = wr_fail(err, WR_E_NO_MEMORY, "out of memory");
        } else {
            w.list = grown;
            wr_format(grown[w.n].src, WR_NAME_MAX, "%s\\bootmgfw.efi", SRC_DIR);
            wr_format(grown[w.n].dst, WR_NAME_MAX, "%s", WR_RESCUE_FALLBACK_PATH);
            w.n++;
        }
    }
    if (st) {
        wr_free(w.list);
        return st;
    }
    *out = w.list;
    *n = w.n;
    return WR_OK;
}

wr_status wr_rescue_make_parents(const struct wr_volume *v, const char *path,
                                 struct wr_err *err)
{
    char buf[WR_NAME_MAX];
    size_t len = strlen(path);

    if (len >= sizeof buf)
        return wr_fail(err, WR_E_TOO_BIG, "path too long: %s", path);
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        struct wr_dirent st;
        if (buf[i] != '\\')
            continue;
        buf[i] = 0;
        if (wr_volume_stat(v, buf, &st, NULL) != WR_OK) {
            wr_status s = wr_volume_make_dir(v, buf, err);
            if (s && s != WR_E_EXISTS)
                return s;
            wr_err_clear(err);
        }
        buf[i] = '\\';
    }
    return WR_OK;
}

wr_status wr_rescue_do_bootfiles(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                                 struct wr_err *err)
{
    struct wr_rescue_copy *list = NULL;
    size_t n = 0;
    wr_status st = wr_rescue_bootfiles_list(m, a, &list, &n, err);

    if (!st)
        st = wr_rescue_copy_files(&m->parts[a->win].ntfs_vol, &m->parts[a->esp].fat, list, n,
                                  err);
    wr_free(list);
    return st;
}

wr_status wr_rescue_do_nvram(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                             uint16_t num, struct wr_err *err)
{
    struct wr_efivar_loadopt opt;
    struct wr_efivar_hd hd;
    uint16_t *order = NULL, *next;
    size_t n = 0, k = 1;
    uint8_t *data = NULL;
    size_t len = 0;
    char name[16];
    wr_status st;

    if (a->kind == WR_RESCUE_ACT_BOOTORDER) {
        for (size_t i = 0; i < m->n_boot; i++)
            if (m->boot[i].decoded && wr_efivar_is_windows_bootmgr(&m->boot[i].opt) &&
                m->boot[i].opt.has_hd && wr_rescue_find_hd(m, &m->boot[i].opt.hd) >= 0) {
                num = m->boot[i].num;
                break;
            }
    } else {
        wr_rescue_part_hd(m, (size_t)a->esp, &hd);
        st = wr_efivar_windows_entry(&hd, &opt, err);
        if (!st)
            st = wr_efivar_loadopt_encode(&opt, &data, &len, err);
        wr_efivar_loadopt_clear(&opt);
        wr_efivar_boot_name(num, name);
        if (!st)
            st = wr_nvram_set(m->nvram, name, &wr_efivar_global_guid, WR_EFIVAR_ATTR_NV_BS_RT,
                              data, len, err);
        wr_free(data);
        if (st)
            return st;
    }
    st = wr_efivar_boot_order_get(m->nvram, &order, &n, err);
    if (st)
        return st;
    next = wr_alloc_array(n + 1, sizeof *next);
    if (!next) {
        wr_free(order);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory");
    }
    next[0] = num;
    for (size_t i = 0; i < n; i++)
        if (order[i] != num)
            next[k++] = order[i];
    st = wr_efivar_boot_order_set(m->nvram, next, k, err);
    wr_free(order);
    wr_free(next);
    return st;
}
