/* Diagnosis: each detectable failure mode of failure-modes.md becomes a
 * finding with its id (G1..G16, W1..W9), a severity, the bootmgr status
 * it explains, the evidence and the repair on offer. */
#ifndef WR_RESCUE_DIAGNOSE_H
#define WR_RESCUE_DIAGNOSE_H

#include "rescue/model.h"

/* The repairs the engine knows; `repair --only NAME` takes the names. */
enum wr_rescue_act {
    WR_RESCUE_ACT_NONE,
    WR_RESCUE_ACT_RECOVER,    /* replay a dirty BCD's logs */
    WR_RESCUE_ACT_REPOINT,    /* device elements to the partitions that exist */
    WR_RESCUE_ACT_REFS,       /* dangling default / displayorder / resumeobject */
    WR_RESCUE_ACT_LOADER,     /* add a loader for a Windows found */
    WR_RESCUE_ACT_REBUILD,    /* new store as bcdboot writes it */
    WR_RESCUE_ACT_BOOTFILES,  /* boot manager files from \Windows\Boot\EFI */
    WR_RESCUE_ACT_NVRAM,      /* the "Windows Boot Manager" Boot#### first in BootOrder */
    WR_RESCUE_ACT_BOOTORDER,  /* put an existing Windows entry first (only when asked) */
    WR_RESCUE_ACT_TOGO,       /* To Go flags in SYSTEM: refused, NTFS */
    WR_RESCUE_ACT_BIOS,       /* bcdboot /f BIOS: \bootmgr, \Boot\..., \Boot\BCD (rebuild only) */
    WR_RESCUE_ACT__COUNT
};

const char *wr_rescue_act_name(enum wr_rescue_act a);
enum wr_rescue_act wr_rescue_act_parse(const char *name);

enum wr_rescue_severity { WR_RESCUE_INFO, WR_RESCUE_WARNING, WR_RESCUE_ERROR };
const char *wr_rescue_severity_name(enum wr_rescue_severity s);

struct wr_rescue_finding {
    char id[4];                  /* "G4" */
    enum wr_rescue_severity severity;
    uint32_t bootmgr_code;       /* the status it explains, 0 when none */
    char title[128];
    char evidence[384];
    char fix[192];
    enum wr_rescue_act action;   /* the repair that fixes it; NONE = manual/advice */
    int esp;                     /* model partition of the ESP concerned, or -1 */
    int windows;                 /* model partition of the Windows concerned, or -1 */
};

struct wr_rescue_findings {
    struct wr_rescue_finding *v;
    size_t n;
};

/* Appends to out (wr_rescue_findings_free). Only out of memory fails. */
wr_status wr_rescue_diagnose(const struct wr_rescue_model *m, struct wr_rescue_findings *out,
                             struct wr_err *err);
void wr_rescue_findings_free(struct wr_rescue_findings *f);
bool wr_rescue_findings_has(const struct wr_rescue_findings *f, const char *id);

/* The Windows installation to boot: the one {default} points at on esp,
 * else the only one (internal disks first); -1 when none. */
int wr_rescue_pick_windows(const struct wr_rescue_model *m, int esp);

#endif
