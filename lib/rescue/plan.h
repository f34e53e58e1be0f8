/* Plans, repairs, backups and undo. A plan is a list of actions shown
 * before anything runs; apply backs up every file and variable the
 * actions will change to the stick, then runs them, then verifies. */
#ifndef WR_RESCUE_PLAN_H
#define WR_RESCUE_PLAN_H

#include "base/fmt.h"
#include "rescue/diagnose.h"

struct wr_rescue_action {
    enum wr_rescue_act kind;
    int esp;                     /* model partition written to, or -1 */
    int win;                     /* the Windows it is for, or -1 */
    char text[256];              /* what it will do */
    char warning[256];           /* "" or what the user must know first */
    bool refused;
    char why[256];               /* why it is refused */
    /* after apply */
    bool ran;
    wr_status result;
    char result_msg[WR_ERR_MSG_MAX];
};

struct wr_rescue_plan {
    struct wr_rescue_action *v;
    size_t n;
    uint16_t new_boot_num;       /* the Boot#### an nvram action creates */
};

/* The repairs for the findings (`only` = NONE: all of them, except the
 * ones that must be asked for: bootorder). */
wr_status wr_rescue_plan_make(const struct wr_rescue_model *m,
                              const struct wr_rescue_findings *f, enum wr_rescue_act only,
                              struct wr_rescue_plan *out, struct wr_err *err);
/* bcdboot: a new store on esp for Windows `win`, its boot files, and the
 * firmware entry first in BootOrder. esp < 0: the ESP of win's disk. */
wr_status wr_rescue_plan_rebuild(const struct wr_rescue_model *m, int win, int esp,
                                 struct wr_rescue_plan *out, struct wr_err *err);
/* bcdboot's /f: which sets a rebuild writes. */
enum wr_rescue_firmware {
    WR_RESCUE_FW_UEFI = 1,       /* the plan above */
    WR_RESCUE_FW_BIOS = 2,       /* a bios action only: \bootmgr, \Boot\..., \Boot\BCD */
    WR_RESCUE_FW_ALL = 3,        /* both, the bios action last (bcdboot /f ALL) */
};
/* The same for the sets fw names. The bios action is refused (with why)
 * when win has no \Windows\Boot\PCAT\bootmgr. */
wr_status wr_rescue_plan_rebuild_fw(const struct wr_rescue_model *m, int win, int esp,
                                    enum wr_rescue_firmware fw, struct wr_rescue_plan *out,
                                    struct wr_err *err);
void wr_rescue_plan_free(struct wr_rescue_plan *p);
size_t wr_rescue_plan_runnable(const struct wr_rescue_plan *p);

/* Progress while an apply or an undo runs: one call as each step starts
 * and one as it ends, so that a slow step is visible while it runs (the
 * app and the CLI print a line for each). */
enum wr_rescue_phase {
    WR_RESCUE_PHASE_BACKUP,      /* copying what will change to the stick */
    WR_RESCUE_PHASE_ACTION,      /* one runnable action of the plan */
    WR_RESCUE_PHASE_VERIFY,      /* re-reading what the actions wrote */
    WR_RESCUE_PHASE_UNDO,        /* one restore step of an undo */
};

struct wr_rescue_progress {
    enum wr_rescue_phase phase;
    bool done;                   /* false: starting; true: ended with status */
    size_t index, count;         /* ACTION, UNDO: step index (1-based) of count */
    const struct wr_rescue_action *action;  /* ACTION: the plan's action */
    const char *what;            /* what the step does */
    wr_status status;            /* done: how it ended */
    const char *msg;             /* done: why it failed, or a detail, or NULL */
};

struct wr_rescue_progress_sink {
    void (*fn)(void *arg, const struct wr_rescue_progress *p);
    void *arg;
};

/* The line both hosts print for a call: "[2/5] <what> ...",
 * "[2/5] done", "[2/5] failed: <why>", "[backup] done: <folder>". */
void wr_rescue_progress_line(const struct wr_rescue_progress *p, char *buf, size_t size);

struct wr_rescue_apply_opts {
    const struct wr_volume *stick;   /* backups and reports go here */
    const char *stamp;               /* "20261125T050000Z": the caller's clock */
    uint64_t filetime;               /* stamped on edited BCD keys; 0 = keep */
    /* Also keep a raw image of each ESP written to, so that undo can give
     * back the partition byte for byte (FAT tables and directory slots
     * too) when its files are exactly as the backup found them. For hosts
     * whose disks can be written at sector level (the Linux CLI). */
    bool raw_esp;
    struct wr_rescue_progress_sink progress;  /* zero: no calls */
};

/* Backs up, runs every runnable action in order (stopping at the first
 * failure), re-reads what changed and checks it (the BCD loads, the boot
 * manager is there, the variables read back). backup_dir receives the
 * backup folder on the stick ("" when nothing was to be written). Fails
 * without writing anything when the backup cannot be made. */
wr_status wr_rescue_apply(struct wr_rescue_model *m, struct wr_rescue_plan *plan,
                          const struct wr_rescue_apply_opts *opts, char backup_dir[WR_NAME_MAX],
                          struct wr_err *err);

/* Restores a backup folder byte for byte (files and variables), then checks
 * every sha256 of the manifest. Lines of what it did go to log. */
wr_status wr_rescue_undo(struct wr_rescue_model *m, const struct wr_volume *stick,
                         const char *backup_dir, struct wr_text *log, struct wr_err *err);
/* The same, with a progress call around each restore step (NULL: none). */
wr_status wr_rescue_undo_progress(struct wr_rescue_model *m, const struct wr_volume *stick,
                                  const char *backup_dir, struct wr_text *log,
                                  const struct wr_rescue_progress_sink *progress,
                                  struct wr_err *err);

#endif
