/* A folder of a volume seen as a volume of its own: every path gets the
 * folder in front. The engine keeps its backups and reports under
 * "\wtg-rescue\" of the volume it is given; over a host's ESP that folder
 * belongs under "\EFI\" (the only top folder firmware and Windows expect
 * there), so the app hands it wr_subvol(esp, "\EFI"). */
#ifndef WR_BASE_SUBVOL_H
#define WR_BASE_SUBVOL_H

#include "base/volume.h"

#define WR_SUBVOL_PREFIX_MAX 64

struct wr_subvol {
    struct wr_volume vol;        /* hand this one out */
    const struct wr_volume *inner;
    char prefix[WR_SUBVOL_PREFIX_MAX]; /* "\EFI": absolute, no trailing '\' */
    char name[96];
};

/* Views inner (which must outlive s) below prefix. A prefix that is too
 * long or not absolute gives a view whose every call fails. */
void wr_subvol_init(struct wr_subvol *s, const struct wr_volume *inner, const char *prefix,
                    const char *name);

#endif
