/* From the model to findings (failure-modes.md ids). Each check is one
 * small function; the order of findings follows the order of the checks. */
#include "rescue/diagnose.h"

#include "base/fmt.h"
#include "bcd/ids.h"
#include "bcd/value.h"
#include "rescue/bios.h"
#include "rescue/judge.h"
#include "rescue/secureboot.h"

static const char *const act_names[WR_RESCUE_ACT__COUNT] = {
    "none", "recover", "repoint", "refs", "loader", "rebuild", "bootfiles", "nvram",
    "bootorder", "togo", "bios",
};

const char *wr_rescue_act_name(enum wr_rescue_act a)
{
    return a < WR_RESCUE_ACT__COUNT ? act_names[a] : "?";
}

enum wr_rescue_act wr_rescue_act_parse(const char *name)
{
    /* bios is no repair of a finding: only rebuild --firmware plans it */
    for (int i = 1; i < WR_RESCUE_ACT__COUNT; i++)
        if (i != WR_RESCUE_ACT_BIOS && !strcmp(name, act_names[i]))
            return (enum wr_rescue_act)i;
    return WR_RESCUE_ACT_NONE;
}

const char *wr_rescue_severity_name(enum wr_rescue_severity s)
{
    return s == WR_RESCUE_ERROR ? "error" : s == WR_RESCUE_WARNING ? "warning" : "info";
}

struct ctx {
    const struct wr_rescue_model *m;
    struct wr_rescue_findings *f;
    wr_status st;
};

static struct wr_rescue_finding *add(struct ctx *c, const char *id, enum wr_rescue_severity sev,
                                     uint32_t code, enum wr_rescue_act act, int esp, int win,
                                     const char *title, const char *fix)
{
    struct wr_rescue_finding *grown, *x;

    if (c->st)
        return NULL;
    grown = wr_realloc(c->f->v, (c->f->n + 1) * sizeof *grown);
    if (!grown) {
        c->st = WR_E_NO_MEMORY;
        return NULL;
    }
    c->f->v = grown;
    x = &grown[c->f->n++];
    memset(x, 0, sizeof *x);
    wr_format(x->id, sizeof x->id, "%s", id);
    x->severity = sev;
    x->bootmgr_code = code;
    x->action = act;
    x->esp = esp;
    x->windows = win;
    wr_format(x->title, sizeof x->title, "%s", title);
    wr_format(x->fix, sizeof x->fix, "%s", fix);
    return x;
}

#define EVIDENCE(x, ...) \
    do { \
        if (x) \
            wr_format((x)->evidence, sizeof (x)->evidence, __VA_ARGS__); \
    } while (0)

static bool is_stick(const struct wr_rescue_model *m, size_t i)
{
    return m->machine.disks[m->parts[i].disk].is_stick;
}

int wr_rescue_pick_windows(const struct wr_rescue_model *m, int esp)
{
    int internal = -1, any = -1;

    if (esp >= 0) {
        struct wr_rescue_verdict v;
        wr_rescue_judge(m, esp, &v);
        if (v.os_part >= 0 && m->parts[v.os_part].win.is_windows)
            return v.os_part;
    }
    for (size_t i = 0; i < m->n_parts; i++) {
        if (!m->parts[i].win.is_windows)
            continue;
        if (esp >= 0 && m->parts[i].disk == m->parts[esp].disk)
            return (int)i;
        if (internal < 0 && !is_stick(m, i))
            internal = (int)i;
        if (any < 0)
            any = (int)i;
    }
    return internal >= 0 ? internal : any;
}

static bool disk_has_windows(const struct wr_rescue_model *m, uint32_t disk)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].disk == disk && m->parts[i].win.is_windows)
            return true;
    return false;
}

/* ESPs that concern Windows: they hold its files, or share a disk with it. */
static bool esp_relevant(const struct wr_rescue_model *m, size_t i)
{
    const struct wr_rescue_part *p = &m->parts[i];

    if (!p->has_fat || !p->esp_like)
        return false;
    return p->esp.has_bootmgfw || p->esp.bcd != WR_RESCUE_BCD_MISSING ||
           wr_volume_exists(&p->fat, "\\EFI\\Microsoft") || disk_has_windows(m, p->disk);
}

static void check_bcd_file(struct ctx *c, int esp, int win)
{
    const struct wr_rescue_esp *e = &c->m->parts[esp].esp;
    enum wr_rescue_act fix = win >= 0 ? WR_RESCUE_ACT_REBUILD : WR_RESCUE_ACT_NONE;
    struct wr_rescue_finding *x = NULL;

    switch (e->bcd) {
    case WR_RESCUE_BCD_MISSING:
        x = add(c, "G1", WR_RESCUE_ERROR, WR_RESCUE_NO_SUCH_FILE, fix, esp, win,
                "BCD store missing", "rebuild the store as bcdboot does");
        EVIDENCE(x, "%s absent", WR_RESCUE_BCD_PATH);
        break;
    case WR_RESCUE_BCD_EMPTY:
        x = add(c, "G1", WR_RESCUE_ERROR, WR_RESCUE_NAME_NOT_FOUND, fix, esp, win,
                "BCD store empty", "rebuild the store as bcdboot does");
        EVIDENCE(x, "%s: %s", WR_RESCUE_BCD_PATH, e->bcd_note);
        break;
    case WR_RESCUE_BCD_CORRUPT:
        x = add(c, "G2", WR_RESCUE_ERROR, WR_RESCUE_REGISTRY_CORRUPT, fix, esp, win,
                "BCD store corrupt", "rebuild the store (its logs cannot recover it)");
        EVIDENCE(x, "%s: %s", WR_RESCUE_BCD_PATH, e->bcd_note);
        break;
    case WR_RESCUE_BCD_DIRTY:
        x = add(c, "G2", WR_RESCUE_WARNING, WR_RESCUE_REGISTRY_CORRUPT, WR_RESCUE_ACT_RECOVER,
                esp, win, "BCD store left dirty (an interrupted write)",
                "replay its transaction logs into a clean store");
        EVIDENCE(x, "%s: sequence numbers differ; BCD.LOG* recover it", WR_RESCUE_BCD_PATH);
        break;
    case WR_RESCUE_BCD_OK:
        break;
    }
}

static bool guid_exists(const struct wr_bcd_store *s, const struct wr_guid *g)
{
    return wr_bcd_store_find(s, g) != NULL;
}

static size_t count_type(const struct wr_bcd_store *s, uint32_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_objects; i++)
        n += s->objects[i].has_type && s->objects[i].type == type;
    return n;
}

/* The first reference of `code` in object o that names nothing. */
static bool dangling(const struct wr_bcd_store *s, const struct wr_bcd_object *o, uint32_t code,
                     struct wr_guid *out)
{
    const struct wr_bcd_element *e = wr_bcd_object_get(o, code);
    struct wr_bcd_value v = { 0 };
    bool bad = false;

    if (!e || wr_bcd_value_decode(code, e->reg_type, e->data, e->len, &v, NULL))
        return false;
    if (v.format == WR_BCD_FMT_OBJECT && !guid_exists(s, &v.guid)) {
        *out = v.guid;
        bad = true;
    }
    for (size_t i = 0; v.format == WR_BCD_FMT_OBJLIST && i < v.count && !bad; i++)
        if (!guid_exists(s, &v.guids[i])) {
            *out = v.guids[i];
            bad = true;
        }
    wr_bcd_value_clear(&v);
    return bad;
}

static void check_refs(struct ctx *c, int esp, int win)
{
    const struct wr_bcd_store *s = &c->m->parts[esp].esp.store;
    const struct wr_bcd_object *bm = wr_bcd_store_find_wellknown(s, WR_BCD_ID_BOOTMGR);
    static const struct { uint32_t code; const char *name; } refs[] = {
        { WR_BCD_E_DEFAULT, "default" },
        { WR_BCD_E_DISPLAYORDER, "displayorder" },
        { WR_BCD_E_BM_RESUMEOBJECT, "resumeobject" },
    };
    char gt[40];
    struct wr_guid g;
    struct wr_rescue_finding *x;

    if (!bm)
        return;
    if (count_type(s, WR_BCD_TYPE_OSLOADER) == 0) {
        x = add(c, "G3", WR_RESCUE_ERROR, WR_RESCUE_FILE_INVALID,
                win >= 0 ? WR_RESCUE_ACT_LOADER : WR_RESCUE_ACT_NONE, esp, win,
                "BCD has no OS loader", "add a loader for the Windows found");
        EVIDENCE(x, "%s: no object of type 0x10200003 among %zu objects", WR_RESCUE_BCD_PATH,
                 s->n_objects);
        return;
    }
    for (size_t i = 0; i < WR_ARRAY_LEN(refs); i++) {
        if (!dangling(s, bm, refs[i].code, &g))
            continue;
        wr_guid_format(&g, gt, false);
        x = add(c, "G3", i < 2 ? WR_RESCUE_ERROR : WR_RESCUE_WARNING,
                i < 2 ? WR_RESCUE_FILE_INVALID : 0, WR_RESCUE_ACT_REFS, esp, win,
                "BCD {bootmgr} refers to an object that does not exist",
                "point it at the loader that exists, drop dead entries");
        EVIDENCE(x, "{bootmgr} %s (%08x) names {%s}, which is not in the store", refs[i].name,
                 refs[i].code, gt);
    }
}

/* One finding per store: the count, and the first element as evidence. */
static void check_devices(struct ctx *c, int esp, int win)
{
    const struct wr_bcd_store *s = &c->m->parts[esp].esp.store;
    struct wr_text first = { 0 };
    size_t bad = 0;

    for (size_t i = 0; i < s->n_objects; i++) {
        const struct wr_bcd_object *o = &s->objects[i];
        for (size_t k = 0; k < o->n_elements; k++) {
            const struct wr_bcd_element *e = &o->elements[k];
            struct wr_bcd_devval dv = { 0 };

            if (wr_bcd_code_format(e->code) != WR_BCD_FMT_DEVICE ||
                wr_bcd_device_decode(e->data, e->len, &dv, NULL))
                continue;
            if (dv.dev.kind == WR_BCD_DEV_PARTITION &&
                dv.dev.disk_class == WR_BCD_DISK_PHYSICAL &&
                wr_rescue_find_device(c->m, &dv.dev, esp) < 0 && bad++ == 0) {
                wr_text_printf(&first, "object %s element %08x = ", o->key, e->code);
                wr_bcd_device_render(&first, &dv, 0, NULL, NULL);
            }
            wr_bcd_device_clear(&dv.dev);
        }
    }
    if (bad) {
        struct wr_rescue_finding *x =
            add(c, "G4", WR_RESCUE_ERROR, WR_RESCUE_NO_SUCH_DEVICE,
                win >= 0 ? WR_RESCUE_ACT_REPOINT : WR_RESCUE_ACT_NONE, esp, win,
                "BCD names partitions that are not attached (clone, swap, new signature)",
                "re-point the device elements to the partitions that exist");
        EVIDENCE(x, "%zu device element(s); first: %s", bad, first.data ? first.data : "?");
    }
    wr_text_free(&first);
}

static void check_esp(struct ctx *c, int esp)
{
    const struct wr_rescue_part *p = &c->m->parts[esp];
    int win = wr_rescue_pick_windows(c->m, esp);
    struct wr_rescue_finding *x;
    struct wr_rescue_verdict v;

    if (!p->esp.has_bootmgfw) {
        bool source = win >= 0 && c->m->parts[win].win.has_bootmgfw;
        x = add(c, "G5", WR_RESCUE_ERROR, WR_RESCUE_NO_BOOTMGR,
                source ? WR_RESCUE_ACT_BOOTFILES : WR_RESCUE_ACT_NONE, esp, win,
                "Windows Boot Manager missing from the ESP",
                "copy the boot files from \\Windows\\Boot\\EFI");
        EVIDENCE(x, "%s absent", WR_EFIVAR_BOOTMGFW_PATH);
    }
    check_bcd_file(c, esp, win);
    if (!p->esp.store_loaded || p->esp.bcd == WR_RESCUE_BCD_EMPTY)
        return;
    check_refs(c, esp, win);
    check_devices(c, esp, win);
    wr_rescue_judge(c->m, esp, &v);
    if (v.code == WR_RESCUE_NOT_FOUND) {
        x = add(c, "G5", WR_RESCUE_ERROR, v.code, WR_RESCUE_ACT_NONE, esp, v.os_part,
                "The OS loader (winload.efi) is missing",
                "repair Windows (SFC/DISM or an in-place upgrade); we do not write NTFS");
        EVIDENCE(x, "%s: %s", v.file, v.why);
    }
}

static bool has_windows_entry(const struct wr_rescue_model *m)
{
    for (size_t i = 0; i < m->n_boot; i++) {
        const struct wr_rescue_bootent *e = &m->boot[i];
        if (e->decoded && wr_efivar_is_windows_bootmgr(&e->opt) && e->opt.has_hd &&
            wr_rescue_find_hd(m, &e->opt.hd) >= 0)
            return true;
    }
    return false;
}

static const struct wr_rescue_bootent *entry(const struct wr_rescue_model *m, uint16_t num)
{
    for (size_t i = 0; i < m->n_boot; i++)
        if (m->boot[i].num == num)
            return &m->boot[i];
    return NULL;
}

static void check_nvram(struct ctx *c, int boot_esp)
{
    const struct wr_rescue_model *m = c->m;
    const struct wr_rescue_bootent *first;
    struct wr_rescue_finding *x;

    if (!m->nvram_read || boot_esp < 0)
        return;
    /* A To Go stick starts through the removable-media fallback path on
     * whichever PC it visits; an entry naming it would outlive the visit
     * in this PC's firmware, and its BootOrder belongs to the PC's OS. */
    if (m->machine.disks[m->parts[boot_esp].disk].is_stick)
        return;
    if (!has_windows_entry(m)) {
        x = add(c, "G7", WR_RESCUE_ERROR, WR_RESCUE_NO_BOOTMGR, WR_RESCUE_ACT_NVRAM, boot_esp,
                -1, "No firmware boot entry starts Windows Boot Manager",
                "create the \"Windows Boot Manager\" entry first in BootOrder");
        EVIDENCE(x, "no Boot#### for %s on an attached partition (%zu entries)",
                 WR_EFIVAR_BOOTMGFW_PATH, m->n_boot);
    }
    first = m->n_order ? entry(m, m->boot_order[0]) : NULL;
    if (first && first->decoded && first->opt.path[0] &&
        !wr_efivar_is_windows_bootmgr(&first->opt)) {
        x = add(c, "G8", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_BOOTORDER, boot_esp, -1,
                "Another boot loader comes first in BootOrder",
                "left as is; `repair --only bootorder` puts Windows first, keeping the other");
        EVIDENCE(x, "BootOrder starts with Boot%04X \"%s\" (%s)", first->num,
                 first->opt.description, first->opt.path);
    }
}

static void check_fallback(struct ctx *c, size_t i)
{
    const struct wr_rescue_part *p = &c->m->parts[i];
    struct wr_rescue_finding *x;

    if (p->esp.has_fallback && !p->esp.fallback_is_ms && !p->esp.fallback_is_ours &&
        p->esp.has_bootmgfw) {
        x = add(c, "G8", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_NONE, (int)i, -1,
                "Another OS's loader holds the fallback path",
                "left alone: we never overwrite another OS's loader");
        EVIDENCE(x, "%s is not Microsoft's boot manager", WR_RESCUE_FALLBACK_PATH);
    }
}

static bool disk_has_esp(const struct wr_rescue_model *m, uint32_t disk)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].disk == disk && m->parts[i].esp_like && m->parts[i].has_fat)
            return true;
    return false;
}

static void check_windows(struct ctx *c, size_t i, bool any_internal_esp)
{
    const struct wr_rescue_part *p = &c->m->parts[i];
    const struct wr_partition_table *t = wr_rescue_table(c->m, p->disk);
    struct wr_rescue_finding *x;
    char name[48];

    wr_rescue_part_name(c->m, p, name, sizeof name);
    if (p->win.volume == WR_WINDOWS_VOL_BITLOCKER) {
        x = add(c, "G12", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_NONE, -1, (int)i,
                "BitLocker protects this volume",
                "repairs that change BitLocker-validated BCD elements ask for the recovery key "
                "at the next boot; have it ready");
        EVIDENCE(x, "%s: -FVE-FS- volume", name);
    }
    if (!p->win.is_windows)
        return;
    if (p->win.hibernation == WR_NTFS_HIBER_ACTIVE || p->win.dirty) {
        x = add(c, "G14", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_NONE, -1, (int)i,
                p->win.dirty ? "Windows volume is dirty (not cleanly shut down)"
                             : "Windows is hibernated (Fast Startup)",
                "nothing is written to it; boot Windows and shut down fully");
        EVIDENCE(x, "%s: %s", name, p->win.dirty ? "NTFS dirty flag" : "hiberfil.sys is HIBR");
    }
    if (p->win.has_winload_exe && !p->win.has_winload_efi) {
        x = add(c, "G10", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_NONE, -1, (int)i,
                "Windows installed for BIOS boot only",
                "boot it in legacy mode, or convert (MBR2GPT) and rebuild UEFI boot files");
        EVIDENCE(x, "%s: winload.exe without winload.efi", name);
    } else if (!disk_has_esp(c->m, p->disk) && !any_internal_esp) {
        bool mbr = t && t->kind == WR_TABLE_MBR;
        x = add(c, mbr ? "G10" : "G9", WR_RESCUE_ERROR, WR_RESCUE_NO_BOOTMGR,
                WR_RESCUE_ACT_NONE, -1, (int)i, "No EFI system partition for this Windows",
                "create a FAT32 ESP in free space (diskpart), then `rebuild`");
        EVIDENCE(x, "%s: no FAT ESP on any internal disk", name);
    }
    if (p->srt[0]) {
        x = add(c, "G15", WR_RESCUE_INFO, 0, WR_RESCUE_ACT_NONE, -1, (int)i,
                "Startup Repair has run (SrtTrail.txt)", "see the summary");
        EVIDENCE(x, "%s: %s", name, p->srt);
    }
}

static void check_togo(struct ctx *c, size_t i)
{
    const struct wr_rescue_part *p = &c->m->parts[i];
    const struct wr_rescue_togo *t = &p->togo;
    struct wr_rescue_finding *x;
    char name[48];

    wr_rescue_part_name(c->m, p, name, sizeof name);
    if (is_stick(c->m, i) && p->win.is_windows) {
        bool fallback = false;
        for (size_t k = 0; k < c->m->n_parts; k++)
            if (c->m->parts[k].disk == p->disk && c->m->parts[k].has_fat)
                fallback |= c->m->parts[k].esp.has_fallback;
        if (!fallback) {
            x = add(c, "W1", WR_RESCUE_ERROR, 0, WR_RESCUE_ACT_NONE, -1, (int)i,
                    "The To Go stick has no \\EFI\\Boot\\bootx64.efi",
                    "other PCs start a stick only from the fallback path; run `rebuild` on it");
            EVIDENCE(x, "%s: no fallback loader on the stick's FAT partitions", name);
        }
    }
    if (!t->read || !p->win.to_go)
        return;
    if (!t->san_known || t->san_policy != 4) {
        x = add(c, "W2", WR_RESCUE_WARNING, 0, WR_RESCUE_ACT_TOGO, -1, (int)i,
                "To Go SAN policy does not keep host disks offline",
                "set SanPolicy = 4 (manual: the SYSTEM hive is on NTFS, which we never write)");
        if (t->san_known)
            EVIDENCE(x, "%s: partmgr\\Parameters\\SanPolicy = %u", name, t->san_policy);
        else
            EVIDENCE(x, "%s: partmgr\\Parameters\\SanPolicy absent", name);
    }
    if (!t->bdf_known || (t->boot_driver_flags & 0x14) != 0x14) {
        x = add(c, "W4", WR_RESCUE_WARNING, 0x7b, WR_RESCUE_ACT_TOGO, -1, (int)i,
                "USB boot drivers are not boot-start (0x7B on some ports)",
                "set BootDriverFlags = 0x14 (manual: SYSTEM is on NTFS, which we never write)");
        EVIDENCE(x, "%s: BootDriverFlags = 0x%x%s", name, t->boot_driver_flags,
                 t->bdf_known ? "" : " (absent)");
    }
}

static void check_w6(struct ctx *c, size_t i)
{
    const struct wr_rescue_part *p = &c->m->parts[i];
    uint8_t *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    struct wr_rescue_finding *x;

    if (!p->esp.has_boot_bcd || p->esp.bcd == WR_RESCUE_BCD_MISSING)
        return;
    wr_volume_read_file(&p->fat, "\\Boot\\BCD", 16u << 20, &a, &al, NULL);
    wr_volume_read_file(&p->fat, WR_RESCUE_BCD_PATH, 16u << 20, &b, &bl, NULL);
    if (a && b && (al != bl || memcmp(a, b, al)) &&
        !(p->esp.store_loaded && wr_rescue_bios_store_in_step(a, al, &p->esp.store))) {
        x = add(c, "W6", WR_RESCUE_INFO, 0, WR_RESCUE_ACT_NONE, (int)i, -1,
                "Two BCD stores (bcdboot /f ALL): the BIOS one may have drifted",
                "keep both in step: re-point or rebuild both");
        EVIDENCE(x, "\\Boot\\BCD and %s differ", WR_RESCUE_BCD_PATH);
    }
    wr_free(a);
    wr_free(b);
}

/* G13: the firmware would refuse this ESP's boot manager (secureboot.c). */
static void check_secureboot(struct ctx *c, int esp)
{
    struct wr_sb_verdict v;
    struct wr_rescue_finding *x;

    if (!wr_sb_check_esp(c->m, esp, &v))
        return;
    x = add(c, "G13", WR_RESCUE_ERROR, 0, WR_RESCUE_ACT_NONE, esp, -1, v.title, v.fix);
    EVIDENCE(x, "%s", v.evidence);
}

static void check_collisions(struct ctx *c)
{
    const struct wr_rescue_model *m = c->m;
    struct wr_rescue_finding *x;

    for (uint32_t i = 0; i < m->machine.disk_count; i++)
        for (uint32_t k = i + 1; k < m->machine.disk_count; k++) {
            const struct wr_partition_table *a = m->machine.disks[i].table;
            const struct wr_partition_table *b = m->machine.disks[k].table;
            char gt[40];
            if (!a || !b || a->kind != b->kind || a->kind == WR_TABLE_NONE)
                continue;
            if (a->kind == WR_TABLE_GPT ? !wr_guid_equal(&a->disk_guid, &b->disk_guid)
                                        : a->mbr_signature != b->mbr_signature ||
                                              !a->mbr_signature)
                continue;
            x = add(c, "W8", WR_RESCUE_ERROR, WR_RESCUE_NO_SUCH_DEVICE, WR_RESCUE_ACT_NONE, -1,
                    -1, "Two disks share one identity (a clone attached with its source)",
                    "Windows will re-sign one; detach one disk, or give the copy new identities "
                    "and re-point its BCD");
            wr_guid_format(&a->disk_guid, gt, false);
            if (a->kind == WR_TABLE_GPT)
                EVIDENCE(x, "disk %u and disk %u: GPT disk GUID {%s}", i, k, gt);
            else
                EVIDENCE(x, "disk %u and disk %u: MBR signature %08x", i, k, a->mbr_signature);
        }
}

static void check_disks(struct ctx *c)
{
    for (uint32_t i = 0; i < c->m->machine.disk_count; i++) {
        const struct wr_machine_disk *d = &c->m->machine.disks[i];
        struct wr_rescue_finding *x;
        if (!d->table_error[0])
            continue;
        x = add(c, "G11", WR_RESCUE_ERROR, 0, WR_RESCUE_ACT_NONE, -1, -1,
                "A disk's partition table cannot be read", "nothing is written to this disk");
        EVIDENCE(x, "disk %u: %s", i, d->table_error);
    }
}

wr_status wr_rescue_diagnose(const struct wr_rescue_model *m, struct wr_rescue_findings *out,
                             struct wr_err *err)
{
    struct ctx c = { m, out, WR_OK };
    bool any_internal_esp = false;

    check_disks(&c);
    for (size_t i = 0; i < m->n_parts; i++)
        any_internal_esp |= !is_stick(m, i) && m->parts[i].esp_like && m->parts[i].has_fat;
    for (size_t i = 0; i < m->n_parts; i++)
        if (esp_relevant(m, i)) {
            check_esp(&c, (int)i);
            check_fallback(&c, i);
            check_w6(&c, i);
            check_secureboot(&c, (int)i);
        }
    check_nvram(&c, wr_rescue_boot_esp(m));
    for (size_t i = 0; i < m->n_parts; i++) {
        check_windows(&c, i, any_internal_esp);
        check_togo(&c, i);
    }
    check_collisions(&c);
    if (c.st)
        return wr_fail(err, c.st, "diagnose: out of memory");
    return WR_OK;
}

void wr_rescue_findings_free(struct wr_rescue_findings *f)
{
    wr_free(f->v);
    f->v = NULL;
    f->n = 0;
}

bool wr_rescue_findings_has(const struct wr_rescue_findings *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].id, id))
            return true;
    return false;
}
