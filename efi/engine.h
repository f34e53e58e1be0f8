/* The rescue engine (lib/rescue) inside the app: its model built over the
 * firmware's block devices, FAT volumes (SimpleFileSystem) and variables. */
#ifndef WR_EFI_ENGINE_H
#define WR_EFI_ENGINE_H

#include "app.h"
#include "base/subvol.h"
#include "glue/blockio_dev.h"
#include "glue/sfs_volume.h"
#include "rescue/report.h"

struct app_engine {
    struct app *app;
    struct wr_rescue_model model;
    struct wr_blockio_dev *bdevs;        /* one per machine disk */
    const struct wr_blockdev **devs;
    uint32_t *mdisk;                     /* model disk -> app->machine disk */
    size_t n;
    struct wr_rescue_host host;
    struct wr_nvram nvram;
    struct wr_sfs_volume stick;          /* backups and reports */
    BOOLEAN has_stick;
    /* Where backups and reports go: the stick, or on network boot with
     * `mode repair` the host's ESP below \EFI (host_esp); NULL: nowhere,
     * so nothing may be written, and why says why. */
    const struct wr_volume *backup;
    char where[64];                      /* "the stick", "the host's ESP (disk 0 part 1)" */
    const char *backup_prefix;           /* "" or "\EFI": the folder backup paths are in */
    struct wr_subvol host_esp;
    char why[160];
    char stamp[24];                      /* "20261125T050000Z" from the RTC */
};

/* Builds the model (disks in app->machine's order) and picks where
 * backups go (see backup above). */
wr_status app_engine_open(struct app *app, struct app_engine *e, struct wr_err *err);
void app_engine_close(struct app_engine *e);
/* Before anything is written through the firmware's file system, which the
 * disks' read caches would not see: from then on every read goes to disk. */
void app_engine_uncache(struct app_engine *e);

/* screen_diagnose.c: shows the plan, asks (when ask), backs up, runs it,
 * shows a line per action, the backup folder and the verdict after.
 * TRUE when it ran. */
BOOLEAN app_rescue_apply(struct app_engine *e, struct wr_rescue_plan *plan, BOOLEAN ask,
                         char backup[WR_NAME_MAX], struct wr_rescue_verdict *after);
/* The progress line of each repair or undo step (a wr_rescue_progress_sink). */
void app_rescue_progress(void *arg, const struct wr_rescue_progress *p);

/* Findings worst first (errors, then warnings, then notes), as indices. */
void app_engine_order(const struct wr_rescue_findings *f, size_t *idx);

/* The SMBIOS system UUID (type 1) as text, or "" when the firmware has
 * none; names the unattended report. */
void app_smbios_uuid(char out[40]);

/* netboot.c: the settings of a network boot (the server's wtg-rescue.conf
 * beside our image, then LoadOptions on top), and whether they let the app
 * write: only an explicit `mode repair` does. */
void app_load_net_conf(struct app *app);
BOOLEAN app_net_writes(const struct app *app);

#endif
