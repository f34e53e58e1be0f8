/* The BCD repairs: recover, re-point, fix references, add a loader,
 * rebuild. Each edits lib/regf's in-memory hive, commits it crash-safely
 * (new file, read back, rename) with the validator on, then reads the file
 * again and loads it as a store before calling the repair done. */
#include "bcd/edit.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "regf/commit.h"
#include "rescue/internal.h"

#define BCD_MAX (16u << 20)

static wr_status open_bcd(const struct wr_volume *v, struct wr_regf_hive **h,
                          struct wr_err *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_regf_logset logs = { 0 };
    struct wr_regf_open_opts opts = { .name = "BCD" };
    wr_status st = wr_volume_read_file(v, WR_RESCUE_BCD_PATH, BCD_MAX, &data, &len, err);

    if (st)
        return st;
    wr_regf_find_logs(v, WR_RESCUE_BCD_PATH, BCD_MAX, &logs, NULL);
    opts.logs = logs.log;
    opts.n_logs = logs.count;
    st = wr_regf_open(data, len, &opts, h, err);
    wr_regf_logset_free(&logs);
    wr_free(data);
    return st;
}

static wr_status verify(const struct wr_volume *v, struct wr_err *err)
{
    struct wr_regf_hive *h = NULL;
    struct wr_bcd_store s;
    struct wr_regf_info info;
    wr_status st = open_bcd(v, &h, err);

    if (st)
        return wr_err_prefix(err, st, "verify after write: ");
    wr_regf_get_info(h, &info);
    wr_bcd_store_init(&s);
    st = wr_bcd_store_load(h, &s, err);
    if (!st && !wr_bcd_store_find_wellknown(&s, WR_BCD_ID_BOOTMGR))
        st = wr_fail(err, WR_E_CORRUPT, "verify after write: the store has no {bootmgr}");
    if (!st && info.recovered)
        st = wr_fail(err, WR_E_CORRUPT, "verify after write: the store is still dirty");
    wr_bcd_store_free(&s);
    wr_regf_close(h);
    return st;
}

static wr_status commit(struct wr_regf_hive *h, const struct wr_volume *v,
                        const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    struct wr_regf_commit_report rep;
    wr_status st = wr_rescue_make_parents(v, WR_RESCUE_BCD_PATH, err);

    (void)o;
    if (!st)
        st = wr_regf_commit(h, v, WR_RESCUE_BCD_PATH,
                            WR_REGF_COMMIT_REPLACE | WR_REGF_COMMIT_VALIDATE, &rep, err);
    return st ? st : verify(v, err);
}

static bool is_esp_object(const struct wr_bcd_object *o)
{
    return o->has_type && (o->type == WR_BCD_TYPE_BOOTMGR || o->type == WR_BCD_TYPE_FWBOOTMGR ||
                           o->type == WR_BCD_TYPE_MEMDIAG || o->type == WR_BCD_TYPE_FWAPP);
}

static wr_status repoint_element(struct wr_regf_hive *h, const struct wr_rescue_model *m,
                                 const struct wr_rescue_action *a, const struct wr_bcd_object *o,
                                 const struct wr_bcd_element *e, struct wr_err *err)
{
    struct wr_bcd_devval dv = { 0 };
    uint8_t *data = NULL;
    size_t len = 0;
    int target;
    wr_status st;

    if (wr_bcd_device_decode(e->data, e->len, &dv, NULL))
        return WR_OK;
    if (dv.dev.kind != WR_BCD_DEV_PARTITION || dv.dev.disk_class != WR_BCD_DISK_PHYSICAL ||
        wr_rescue_find_device(m, &dv.dev, a->esp) >= 0) {
        wr_bcd_device_clear(&dv.dev);
        return WR_OK;
    }
    /* boot applications on the ESP follow the ESP; loaders follow Windows */
    target = is_esp_object(o) ? a->esp : a->win;
    if (target < 0) {
        wr_bcd_device_clear(&dv.dev);
        return WR_OK;
    }
    wr_bcd_device_clear(&dv.dev);
    wr_rescue_part_device(m, (size_t)target, &dv.dev);
    st = wr_bcd_device_encode(&dv, &data, &len, err);
    if (!st)
        st = wr_bcd_hive_set_element(h, o->key, e->code, e->reg_type, data, len, err);
    wr_free(data);
    return st;
}

static wr_status repoint(struct wr_regf_hive *h, const struct wr_rescue_model *m,
                         const struct wr_rescue_action *a, const struct wr_bcd_store *s,
                         struct wr_err *err)
{
    wr_status st = WR_OK;

    for (size_t i = 0; i < s->n_objects && !st; i++)
        for (size_t k = 0; k < s->objects[i].n_elements && !st; k++)
            if (wr_bcd_code_format(s->objects[i].elements[k].code) == WR_BCD_FMT_DEVICE)
                st = repoint_element(h, m, a, &s->objects[i], &s->objects[i].elements[k], err);
    return st;
}

static wr_status set_value(struct wr_regf_hive *h, const char *key, uint32_t code,
                           const struct wr_bcd_value *v, struct wr_err *err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t type;
    wr_status st = wr_bcd_value_encode(v, &type, &data, &len, err);

    if (!st)
        st = wr_bcd_hive_set_element(h, key, code, type, data, len, err);
    wr_free(data);
    return st;
}

static bool first_loader(const struct wr_bcd_store *s, struct wr_guid *out)
{
    for (size_t i = 0; i < s->n_objects; i++)
        if (s->objects[i].has_guid && s->objects[i].has_type &&
            s->objects[i].type == WR_BCD_TYPE_OSLOADER) {
            *out = s->objects[i].guid;
            return true;
        }
    return false;
}

/* displayorder keeps its live entries; default becomes the first of them
 * (or the first loader); a dead resumeobject is dropped. */
static wr_status fix_refs(struct wr_regf_hive *h, const struct wr_bcd_store *s,
                          const struct wr_guid *extra, struct wr_err *err)
{
    const struct wr_bcd_object *bm = wr_bcd_store_find_wellknown(s, WR_BCD_ID_BOOTMGR);
    const struct wr_bcd_element *e;
    struct wr_bcd_value order = { 0 }, dflt = { .format = WR_BCD_FMT_OBJECT };
    struct wr_guid list[32], def;
    size_t n = 0;
    wr_status st = WR_OK;

    if (!bm)
        return wr_fail(err, WR_E_NOT_FOUND, "BCD has no {bootmgr} to fix");
    if (extra)
        list[n++] = *extra;
    e = wr_bcd_object_get(bm, WR_BCD_E_DISPLAYORDER);
    if (e && !wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &order, NULL))
        for (size_t i = 0; i < order.count && n < WR_ARRAY_LEN(list); i++)
            if (wr_bcd_store_find(s, &order.guids[i]) &&
                !(extra && wr_guid_equal(extra, &order.guids[i])))
                list[n++] = order.guids[i];
    wr_bcd_value_clear(&order);
    if (extra)
        def = *extra;
    else if (!(wr_bcd_store_default(s, &def) && wr_bcd_store_find(s, &def)))
        def = n ? list[0] : def;
    if (!extra && !n && !first_loader(s, &def))
        return wr_fail(err, WR_E_NOT_FOUND, "BCD has no loader to make the default");
    if (!n)
        list[n++] = def;
    {
        struct wr_bcd_value v = { .format = WR_BCD_FMT_OBJLIST, .guids = list, .count = n };
        st = set_value(h, bm->key, WR_BCD_E_DISPLAYORDER, &v, err);
    }
    dflt.guid = def;
    if (!st)
        st = set_value(h, bm->key, WR_BCD_E_DEFAULT, &dflt, err);
    e = wr_bcd_object_get(bm, WR_BCD_E_BM_RESUMEOBJECT);
    if (!st && e) {
        struct wr_bcd_value r = { 0 };
        if (!wr_bcd_value_decode(e->code, e->reg_type, e->data, e->len, &r, NULL) &&
            !wr_bcd_store_find(s, &r.guid))
            st = wr_bcd_hive_delete_element(h, bm->key, WR_BCD_E_BM_RESUMEOBJECT, err);
        wr_bcd_value_clear(&r);
    }
    return st;
}

static wr_status edit_store(struct wr_regf_hive *h, struct wr_rescue_model *m,
                            const struct wr_rescue_action *a,
                            const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    struct wr_bcd_store s;
    struct wr_guid loader;
    wr_status st;

    wr_bcd_store_init(&s);
    st = wr_bcd_store_load(h, &s, err);
    if (st)
        return st;
    if (a->kind == WR_RESCUE_ACT_REPOINT)
        st = repoint(h, m, a, &s, err);
    else if (a->kind == WR_RESCUE_ACT_REFS)
        st = fix_refs(h, &s, NULL, err);
    else if (a->kind == WR_RESCUE_ACT_LOADER) {
        st = a->win < 0 ? wr_fail(err, WR_E_NOT_FOUND, "no Windows to add a loader for")
                        : wr_rescue_add_loader(h, m, a->win, o->stamp, &loader, err);
        if (!st) {
            wr_bcd_store_free(&s);
            wr_bcd_store_init(&s);
            st = wr_bcd_store_load(h, &s, err);
        }
        if (!st)
            st = fix_refs(h, &s, &loader, err);
    }
    wr_bcd_store_free(&s);
    return st;
}

/* The Windows a rebuilt store gets loaders for: the chosen one first, then
 * the others on disks of the same kind (internal, or the stick). */
static size_t rebuild_wins(const struct wr_rescue_model *m, const struct wr_rescue_action *a,
                           int *wins, size_t cap)
{
    size_t n = 0;
    bool stick = m->machine.disks[m->parts[a->esp].disk].is_stick;

    if (a->win >= 0)
        wins[n++] = a->win;
    for (size_t i = 0; i < m->n_parts && n < cap; i++)
        if ((int)i != a->win && m->parts[i].win.is_windows &&
            m->machine.disks[m->parts[i].disk].is_stick == stick &&
            m->parts[i].win.volume == WR_WINDOWS_VOL_NTFS)
            wins[n++] = (int)i;
    return n;
}

wr_status wr_rescue_do_bcd(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                           const struct wr_rescue_apply_opts *o, struct wr_err *err)
{
    const struct wr_volume *v = &m->parts[a->esp].fat;
    struct wr_regf_hive *h = NULL;
    wr_status st;

    if (a->kind == WR_RESCUE_ACT_REBUILD) {
        int wins[8];
        size_t n = rebuild_wins(m, a, wins, WR_ARRAY_LEN(wins));
        st = wr_rescue_build_store(m, a->esp, wins, n, o->stamp, &h, err);
    } else {
        st = open_bcd(v, &h, err);
        if (!st && o->filetime)
            wr_regf_set_time(h, o->filetime);
        if (!st && a->kind != WR_RESCUE_ACT_RECOVER)
            st = edit_store(h, m, a, o, err);
    }
    if (!st)
        st = commit(h, v, o, err);
    wr_regf_close(h);
    return st;
}
