/* The offline boot manager's decision (see judge.h). */
#include "rescue/judge.h"

#include "base/fmt.h"
#include "bcd/hive.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "regf/regf.h"

#define OSDEVICE 0x21000001u
#define BCD_MAX (16u << 20)

void wr_rescue_code_text(uint32_t code, char buf[32])
{
    if (code == WR_RESCUE_NO_BOOTMGR)
        wr_format(buf, 32, "no boot manager");
    else
        wr_format(buf, 32, "0x%08x", code);
}

static bool internal_part(const struct wr_rescue_model *m, size_t i)
{
    return !m->machine.disks[m->parts[i].disk].is_stick;
}

static bool internal_windows(const struct wr_rescue_model *m, bool same_disk_as, uint32_t disk)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].win.is_windows && internal_part(m, i) &&
            (!same_disk_as || m->parts[i].disk == disk))
            return true;
    return false;
}

int wr_rescue_boot_esp(const struct wr_rescue_model *m)
{
    int any = -1, bare = -1;

    for (size_t k = 0; k < m->n_order; k++)
        for (size_t b = 0; b < m->n_boot; b++) {
            const struct wr_rescue_bootent *e = &m->boot[b];
            int p;
            if (e->num != m->boot_order[k] || !e->decoded ||
                !wr_efivar_is_windows_bootmgr(&e->opt) || !e->opt.has_hd)
                continue;
            p = wr_rescue_find_hd(m, &e->opt.hd);
            if (p >= 0 && m->parts[p].has_fat && m->parts[p].esp.has_bootmgfw)
                return p;
        }
    for (size_t i = 0; i < m->n_parts; i++) {
        if (!m->parts[i].has_fat || !m->parts[i].esp_like)
            continue;
        if (!m->parts[i].esp.has_bootmgfw) {
            /* bootmgfw.efi gone from the ESP beside an internal Windows:
             * that is still where this PC's boot manager belongs */
            if (bare < 0 && internal_part(m, i) && internal_windows(m, true, m->parts[i].disk))
                bare = (int)i;
            continue;
        }
        if (internal_part(m, i))
            return (int)i;
        if (any < 0)
            any = (int)i;
    }
    if (bare >= 0)
        return bare;
    /* A stick's boot manager (To Go, or the rescue stick's) does not start
     * the PC's own Windows: only when no internal disk holds Windows. */
    return internal_windows(m, false, 0) ? -1 : any;
}

static void set(struct wr_rescue_verdict *v, uint32_t code, const char *file, const char *why)
{
    v->ok = code == 0;
    v->code = code;
    wr_format(v->file, sizeof v->file, "%s", file);
    wr_format(v->why, sizeof v->why, "%s", why);
}

static bool load_store(const struct wr_volume *vol, struct wr_bcd_store *s,
                       struct wr_rescue_verdict *v)
{
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_regf_logset logs = { 0 };
    struct wr_regf_open_opts opts = { .name = "BCD" };
    struct wr_regf_hive *h = NULL;
    struct wr_err err = { 0 };
    bool ok = false;

    if (wr_volume_read_file(vol, WR_RESCUE_BCD_PATH, BCD_MAX, &data, &len, &err)) {
        set(v, WR_RESCUE_NO_SUCH_FILE, WR_RESCUE_BCD_PATH, "the BCD store is missing");
        return false;
    }
    if (len == 0) {
        set(v, WR_RESCUE_NAME_NOT_FOUND, WR_RESCUE_BCD_PATH, "the BCD store is an empty file");
        goto out;
    }
    /* bootmgr replays the logs of a dirty store itself */
    wr_regf_find_logs(vol, WR_RESCUE_BCD_PATH, BCD_MAX, &logs, NULL);
    opts.logs = logs.log;
    opts.n_logs = logs.count;
    if (wr_regf_open(data, len, &opts, &h, &err)) {
        set(v, WR_RESCUE_REGISTRY_CORRUPT, WR_RESCUE_BCD_PATH, err.msg);
        goto out;
    }
    wr_bcd_store_init(s);
    if (wr_bcd_store_load(h, s, &err)) {
        wr_bcd_store_free(s);
        set(v, WR_RESCUE_NAME_NOT_FOUND, WR_RESCUE_BCD_PATH, err.msg);
        goto out;
    }
    ok = true;
out:
    wr_regf_close(h);
    wr_regf_logset_free(&logs);
    wr_free(data);
    return ok;
}

static bool device_of(const struct wr_bcd_object *o, uint32_t code, struct wr_bcd_devval *dv)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, code);
    return e && wr_bcd_device_decode(e->data, e->len, dv, NULL) == WR_OK;
}

static char *string_of(const struct wr_bcd_object *o, uint32_t code)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, code);
    struct wr_bcd_value val = { 0 };
    char *s;

    if (!e || wr_bcd_value_decode(code, e->reg_type, e->data, e->len, &val, NULL))
        return NULL;
    s = val.str;
    val.str = NULL;
    wr_bcd_value_clear(&val);
    return s;
}

/* bootmgr takes `default`, else the first displayorder entry that exists. */
static const struct wr_bcd_object *default_loader(const struct wr_bcd_store *s,
                                                  const struct wr_bcd_object *bm)
{
    struct wr_guid g;
    const struct wr_bcd_element *e;
    struct wr_bcd_value val = { 0 };
    const struct wr_bcd_object *found = NULL;

    if (wr_bcd_store_default(s, &g) && (found = wr_bcd_store_find(s, &g)))
        return found;
    e = wr_bcd_object_get(bm, WR_BCD_E_DISPLAYORDER);
    if (!e || wr_bcd_value_decode(WR_BCD_E_DISPLAYORDER, e->reg_type, e->data, e->len, &val,
                                  NULL))
        return NULL;
    for (size_t i = 0; i < val.count && !found; i++)
        found = wr_bcd_store_find(s, &val.guids[i]);
    wr_bcd_value_clear(&val);
    return found;
}

static void check_loader(const struct wr_rescue_model *m, int esp, const struct wr_bcd_object *o,
                         struct wr_rescue_verdict *v)
{
    struct wr_bcd_devval dev = { 0 }, osdev = { 0 };
    char *path = string_of(o, WR_BCD_E_PATH);
    int part, ospart;
    const struct wr_rescue_part *p;

    if (!path || !path[0] || !device_of(o, WR_BCD_E_DEVICE, &dev)) {
        set(v, WR_RESCUE_FILE_INVALID, WR_RESCUE_BCD_PATH,
            "the default loader has no device or path");
        goto out;
    }
    part = wr_rescue_find_device(m, &dev.dev, esp);
    ospart = device_of(o, OSDEVICE, &osdev) ? wr_rescue_find_device(m, &osdev.dev, esp) : part;
    v->os_part = ospart;
    if (part < 0 || ospart < 0) {
        set(v, WR_RESCUE_NO_SUCH_DEVICE, path,
            part < 0 ? "the loader's device names a partition that is not attached"
                     : "the loader's osdevice names a partition that is not attached");
        goto out;
    }
    p = &m->parts[part];
    if (p->win.volume == WR_WINDOWS_VOL_BITLOCKER) {
        v->unverified = true;
        set(v, 0, path, "the Windows volume is BitLocker-encrypted; its loader cannot be checked");
        goto out;
    }
    if (p->win.volume == WR_WINDOWS_VOL_UNREADABLE || p->win.volume == WR_WINDOWS_VOL_REFS) {
        char why[sizeof v->why];
        wr_format(why, sizeof why, "the OS volume cannot be read: %s",
                  p->win.note[0] ? p->win.note : "damaged or unsupported filesystem");
        set(v, WR_RESCUE_NOT_FOUND, path, why);
        goto out;
    }
    {
        const struct wr_volume *vol = p->ntfs ? &p->ntfs_vol : p->has_fat ? &p->fat : NULL;
        struct wr_dirent st;
        if (!vol || wr_volume_stat(vol, path, &st, NULL) || st.is_dir || st.size == 0) {
            set(v, WR_RESCUE_NOT_FOUND, path, "the OS loader file is missing");
            goto out;
        }
    }
    set(v, 0, path, "Windows Boot Manager would start the OS loader");
out:
    wr_bcd_device_clear(&dev.dev);
    wr_bcd_device_clear(&osdev.dev);
    wr_free(path);
}

static void judge_loaded(const struct wr_rescue_model *m, int esp, const struct wr_bcd_store *s,
                         struct wr_rescue_verdict *v)
{
    const struct wr_bcd_object *bm, *ld;

    bm = wr_bcd_store_find_wellknown(s, WR_BCD_ID_BOOTMGR);
    if (!bm)
        set(v, WR_RESCUE_NAME_NOT_FOUND, WR_RESCUE_BCD_PATH, "the BCD store has no {bootmgr}");
    else if (!(ld = default_loader(s, bm)))
        set(v, WR_RESCUE_FILE_INVALID, WR_RESCUE_BCD_PATH,
            "neither default nor displayorder names an existing loader");
    else
        check_loader(m, esp, ld, v);
}

/* Everything after "the boot manager runs": its store, {default}, the
 * loader. The store the scan loaded (with its logs, as bootmgr replays
 * them) is the one on the ESP: every repair and undo through the engine
 * rescans the ESPs it wrote (apply.c, backup.c). Reading and parsing it
 * again per verdict, three times in one diagnosis, showed in the time to
 * the menu. */
static void judge_store(const struct wr_rescue_model *m, int esp, struct wr_rescue_verdict *v)
{
    struct wr_bcd_store s;

    if (m->parts[esp].esp.store_loaded) {
        judge_loaded(m, esp, &m->parts[esp].esp.store, v);
        return;
    }
    if (!load_store(&m->parts[esp].fat, &s, v))
        return;
    judge_loaded(m, esp, &s, v);
    wr_bcd_store_free(&s);
}

static bool start(const struct wr_rescue_model *m, int esp, struct wr_rescue_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->esp = esp;
    v->os_part = -1;
    if (esp >= 0 && m->parts[esp].has_fat)
        return true;
    set(v, WR_RESCUE_NO_BOOTMGR, WR_EFIVAR_BOOTMGFW_PATH, "no ESP holds Windows Boot Manager");
    return false;
}

void wr_rescue_judge(const struct wr_rescue_model *m, int esp, struct wr_rescue_verdict *v)
{
    if (!start(m, esp, v))
        return;
    if (!wr_volume_exists(&m->parts[esp].fat, WR_EFIVAR_BOOTMGFW_PATH)) {
        set(v, WR_RESCUE_NO_BOOTMGR, WR_EFIVAR_BOOTMGFW_PATH, "bootmgfw.efi is missing");
        return;
    }
    judge_store(m, esp, v);
}

void wr_rescue_judge_running(const struct wr_rescue_model *m, int esp,
                             struct wr_rescue_verdict *v)
{
    if (start(m, esp, v))
        judge_store(m, esp, v);
}
