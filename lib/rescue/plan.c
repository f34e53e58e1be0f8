/* From findings to a list of actions, each described before it runs. */
#include "rescue/bios.h"
#include "rescue/internal.h"

static wr_status push(struct wr_rescue_plan *p, enum wr_rescue_act kind, int esp, int win,
                      struct wr_rescue_action **out, struct wr_err *err)
{
    struct wr_rescue_action *grown;

    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].kind == kind && p->v[i].esp == esp) {
            *out = NULL;
            return WR_OK;
        }
    grown = wr_realloc(p->v, (p->n + 1) * sizeof *grown);
    if (!grown)
        return wr_fail(err, WR_E_NO_MEMORY, "plan: out of memory");
    p->v = grown;
    *out = &grown[p->n++];
    memset(*out, 0, sizeof **out);
    (*out)->kind = kind;
    (*out)->esp = esp;
    (*out)->win = win;
    return WR_OK;
}

static bool bitlocker_present(const struct wr_rescue_model *m)
{
    for (size_t i = 0; i < m->n_parts; i++)
        if (m->parts[i].win.volume == WR_WINDOWS_VOL_BITLOCKER)
            return true;
    return false;
}

static void describe(const struct wr_rescue_model *m, struct wr_rescue_action *a)
{
    char esp[48] = "?", win[48] = "?";

    if (a->esp >= 0)
        wr_rescue_part_name(m, &m->parts[a->esp], esp, sizeof esp);
    if (a->win >= 0)
        wr_rescue_part_name(m, &m->parts[a->win], win, sizeof win);
    switch (a->kind) {
    case WR_RESCUE_ACT_RECOVER:
        wr_format(a->text, sizeof a->text, "%s: replay BCD.LOG* into %s (crash-safe commit)", esp,
                  WR_RESCUE_BCD_PATH);
        break;
    case WR_RESCUE_ACT_REPOINT:
        wr_format(a->text, sizeof a->text,
                  "%s: re-point BCD device elements to %s (Windows) and %s (ESP)", esp, win, esp);
        break;
    case WR_RESCUE_ACT_REFS:
        wr_format(a->text, sizeof a->text,
                  "%s: fix {bootmgr} default/displayorder/resumeobject to existing objects", esp);
        break;
    case WR_RESCUE_ACT_LOADER:
        wr_format(a->text, sizeof a->text, "%s: add an OS loader and resume object for %s", esp,
                  win);
        break;
    case WR_RESCUE_ACT_REBUILD:
        wr_format(a->text, sizeof a->text,
                  "%s: write a new BCD as bcdboot does ({bootmgr}, loader for %s, resume, "
                  "{memdiag}, settings groups)", esp, win);
        break;
    case WR_RESCUE_ACT_BOOTFILES:
        wr_format(a->text, sizeof a->text,
                  "%s: copy %s \\Windows\\Boot\\EFI to \\EFI\\Microsoft\\Boot (and to %s when "
                  "absent or Microsoft's)", esp, win, WR_RESCUE_FALLBACK_PATH);
        break;
    case WR_RESCUE_ACT_NVRAM:
        wr_format(a->text, sizeof a->text,
                  "firmware: add \"Windows Boot Manager\" for %s on %s, first in BootOrder",
                  WR_EFIVAR_BOOTMGFW_PATH, esp);
        break;
    case WR_RESCUE_ACT_BOOTORDER:
        wr_format(a->text, sizeof a->text,
                  "firmware: move Windows Boot Manager first in BootOrder (other entries kept)");
        break;
    case WR_RESCUE_ACT_TOGO:
        wr_format(a->text, sizeof a->text,
                  "%s: set SanPolicy=4 and BootDriverFlags=0x14 in the To Go SYSTEM hive", win);
        break;
    default:
        break;
    }
}

static void judge_safety(const struct wr_rescue_model *m, struct wr_rescue_action *a)
{
    const struct wr_rescue_part *w = a->win >= 0 ? &m->parts[a->win] : NULL;

    if (a->kind == WR_RESCUE_ACT_TOGO) {
        a->refused = true;
        if (w && (w->win.hibernation == WR_NTFS_HIBER_ACTIVE || w->win.dirty))
            wr_format(a->why, sizeof a->why,
                      "that Windows volume is hibernated or dirty: writing its hives would lose "
                      "data; besides, it is NTFS, which we never write. Manual step: in Windows, "
                      "run reg add for SanPolicy and BootDriverFlags");
        else
            wr_format(a->why, sizeof a->why,
                      "the SYSTEM hive is on NTFS, which we never write. Manual step: in the To "
                      "Go Windows (or another Windows with the hive loaded), set "
                      "partmgr\\Parameters\\SanPolicy=4 and HardwareConfig\\*\\BootDriverFlags=0x14");
        return;
    }
    if (w && w->win.hibernation == WR_NTFS_HIBER_ACTIVE &&
        (a->kind == WR_RESCUE_ACT_REBUILD || a->kind == WR_RESCUE_ACT_LOADER))
        wr_format(a->warning, sizeof a->warning,
                  "%s is hibernated: a new loader has a new resume object, so the hibernated "
                  "session will not resume", w->slice.name);
    if (bitlocker_present(m) && a->kind != WR_RESCUE_ACT_NVRAM &&
        a->kind != WR_RESCUE_ACT_BOOTORDER && a->kind != WR_RESCUE_ACT_RECOVER)
        wr_format(a->warning, sizeof a->warning,
                  "BitLocker is present: this changes elements BitLocker validates (device, "
                  "path, boot files); have the recovery key ready for the next boot");
}

static bool wanted(enum wr_rescue_act kind, enum wr_rescue_act only)
{
    if (only != WR_RESCUE_ACT_NONE)
        return kind == only;
    return kind != WR_RESCUE_ACT_BOOTORDER;
}

/* A rebuild replaces the whole store: the finer BCD edits are moot. */
static bool superseded(const struct wr_rescue_findings *f, const struct wr_rescue_finding *x)
{
    if (x->action < WR_RESCUE_ACT_RECOVER || x->action > WR_RESCUE_ACT_LOADER)
        return false;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].action == WR_RESCUE_ACT_REBUILD && f->v[i].esp == x->esp)
            return true;
    return false;
}

static const enum wr_rescue_act order[] = {
    WR_RESCUE_ACT_RECOVER, WR_RESCUE_ACT_REBUILD, WR_RESCUE_ACT_REPOINT, WR_RESCUE_ACT_REFS,
    WR_RESCUE_ACT_LOADER, WR_RESCUE_ACT_BOOTFILES, WR_RESCUE_ACT_NVRAM, WR_RESCUE_ACT_BOOTORDER,
    WR_RESCUE_ACT_TOGO,
};

wr_status wr_rescue_plan_make(const struct wr_rescue_model *m,
                              const struct wr_rescue_findings *f, enum wr_rescue_act only,
                              struct wr_rescue_plan *out, struct wr_err *err)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < WR_ARRAY_LEN(order); k++)
        for (size_t i = 0; i < f->n; i++) {
            const struct wr_rescue_finding *x = &f->v[i];
            struct wr_rescue_action *a;
            wr_status st;

            if (x->action != order[k] || !wanted(x->action, only) || superseded(f, x))
                continue;
            st = push(out, x->action, x->esp, x->windows, &a, err);
            if (st)
                return st;
            if (!a)
                continue;
            if (a->win < 0 && a->esp >= 0)
                a->win = wr_rescue_pick_windows(m, a->esp);
            describe(m, a);
            judge_safety(m, a);
        }
    return WR_OK;
}

static int esp_for(const struct wr_rescue_model *m, int win)
{
    int any = -1;

    for (size_t i = 0; i < m->n_parts; i++) {
        if (!m->parts[i].esp_like || !m->parts[i].has_fat)
            continue;
        if (m->parts[i].disk == m->parts[win].disk)
            return (int)i;
        if (any < 0 && !m->machine.disks[m->parts[i].disk].is_stick)
            any = (int)i;
    }
    return any;
}

/* The BIOS set (bcdboot /f BIOS), last: its store names the same Windows. */
static wr_status push_bios(const struct wr_rescue_model *m, int win, int esp,
                           struct wr_rescue_plan *out, struct wr_err *err)
{
    struct wr_rescue_copy *list = NULL;
    struct wr_rescue_action *a;
    char where[48] = "?", count[32];
    size_t n = 0;
    wr_status st = push(out, WR_RESCUE_ACT_BIOS, esp, win, &a, err);

    if (!st)
        st = wr_rescue_bios_list(m, win, &list, &n, err);
    wr_free(list);
    if (st || !a)
        return st;
    wr_rescue_part_name(m, &m->parts[esp], where, sizeof where);
    wr_format(count, sizeof count, "%zu file(s)", n);
    wr_format(a->text, sizeof a->text,
              "%s: write the BIOS set as bcdboot /f BIOS does: \\bootmgr, \\BOOTNXT, "
              "\\Boot\\... (%s from %s %s, Fonts, Resources) and %s (winload.exe)", where,
              n ? count : "the files", m->parts[win].slice.name, WR_RESCUE_PCAT_DIR,
              WR_RESCUE_BIOS_BCD_PATH);
    judge_safety(m, a);
    if (!n) {
        a->refused = true;
        wr_format(a->why, sizeof a->why,
                  "%s has no %s\\bootmgr to copy (bcdboot /f BIOS needs it)",
                  m->parts[win].slice.name, WR_RESCUE_PCAT_DIR);
    }
    return WR_OK;
}

wr_status wr_rescue_plan_rebuild(const struct wr_rescue_model *m, int win, int esp,
                                 struct wr_rescue_plan *out, struct wr_err *err)
{
    return wr_rescue_plan_rebuild_fw(m, win, esp, WR_RESCUE_FW_UEFI, out, err);
}

wr_status wr_rescue_plan_rebuild_fw(const struct wr_rescue_model *m, int win, int esp,
                                    enum wr_rescue_firmware fw, struct wr_rescue_plan *out,
                                    struct wr_err *err)
{
    static const enum wr_rescue_act steps[] = { WR_RESCUE_ACT_BOOTFILES, WR_RESCUE_ACT_REBUILD,
                                                WR_RESCUE_ACT_NVRAM };

    memset(out, 0, sizeof *out);
    if (win < 0 || (size_t)win >= m->n_parts || !m->parts[win].win.is_windows)
        return wr_fail(err, WR_E_NOT_FOUND, "rebuild: that partition holds no Windows");
    if (esp < 0)
        esp = esp_for(m, win);
    if (esp < 0 || !m->parts[esp].has_fat || !m->parts[esp].esp_like)
        return wr_fail(err, WR_E_NOT_FOUND,
                       "rebuild: no FAT EFI system partition to write to (G9: create one)");
    for (size_t k = 0; k < WR_ARRAY_LEN(steps) && (fw & WR_RESCUE_FW_UEFI); k++) {
        struct wr_rescue_action *a;
        wr_status st = push(out, steps[k], esp, win, &a, err);
        if (st)
            return st;
        if (steps[k] == WR_RESCUE_ACT_NVRAM && !m->nvram) {
            out->n--;
            continue;
        }
        describe(m, a);
        judge_safety(m, a);
        if (steps[k] == WR_RESCUE_ACT_BOOTFILES && !m->parts[win].win.has_bootmgfw) {
            a->refused = true;
            wr_format(a->why, sizeof a->why,
                      "%s has no \\Windows\\Boot\\EFI\\bootmgfw.efi to copy",
                      m->parts[win].slice.name);
        }
    }
    return fw & WR_RESCUE_FW_BIOS ? push_bios(m, win, esp, out, err) : WR_OK;
}

void wr_rescue_plan_free(struct wr_rescue_plan *p)
{
    wr_free(p->v);
    memset(p, 0, sizeof *p);
}

size_t wr_rescue_plan_runnable(const struct wr_rescue_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += !p->v[i].refused;
    return n;
}
