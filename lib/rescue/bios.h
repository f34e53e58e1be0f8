/* The BIOS half of `bcdboot /f ALL` (bcd.md §6.2 "BIOS variant", §6.5):
 * \bootmgr (+ \BOOTNXT) and \Boot\... from the Windows' \Windows\Boot\PCAT
 * (+ Fonts, Resources), and the store \Boot\BCD, on the system partition.
 * What it gives: parity with what bcdboot /f ALL writes. What it does not:
 * a BIOS PC starts bootmgr only through boot code in an MBR and the
 * partition's boot sector, which a GPT disk does not have. */
#ifndef WR_RESCUE_BIOS_H
#define WR_RESCUE_BIOS_H

#include "regf/regf.h"
#include "rescue/plan.h"

#define WR_RESCUE_BIOS_BCD_PATH "\\Boot\\BCD"
#define WR_RESCUE_PCAT_DIR "\\Windows\\Boot\\PCAT"

/* The store bcdboot writes for BIOS: the UEFI object set with the PCAT
 * template's differences (no {fwbootmgr}, {bootmgr} without path,
 * winload.exe / winresume.exe without isolatedcontext, {memdiag} at
 * \boot\memtest.exe, no FirmwareModified). One loader, for `win`. */
wr_status wr_rescue_build_bios_store(const struct wr_rescue_model *m, int esp, int win,
                                     const char *seed, struct wr_regf_hive **out,
                                     struct wr_err *err);

struct wr_rescue_bios_result {
    bool skipped;                /* win has no \Windows\Boot\PCAT\bootmgr: nothing written */
    size_t n_files;              /* boot files copied (the store not counted) */
    char backup[WR_NAME_MAX];    /* the backup folder on o->stick, "" when skipped */
};

/* The set as a plan of its own (WR_RESCUE_ACT_BIOS, which a rebuild plan
 * made with WR_RESCUE_FW_BIOS carries): applied with its backup (to
 * o->stick), the files copied, \Boot\BCD written crash-safely, then
 * verified. Nothing is written when the backup fails. Messages say which
 * part failed. */
wr_status wr_rescue_write_bios(struct wr_rescue_model *m, int win, int esp,
                               const struct wr_rescue_apply_opts *o,
                               struct wr_rescue_bios_result *out, struct wr_err *err);

/* What the bios action (and wr_rescue_write_bios) would write on the
 * system partition, one path a line into out (\bootmgr, \BOOTNXT,
 * \Boot\..., then \Boot\BCD), *n of them. *n = 0 when win has no
 * \Windows\Boot\PCAT\bootmgr (the action is refused then). */
wr_status wr_rescue_bios_targets(const struct wr_rescue_model *m, int win, struct wr_text *out,
                                 size_t *n, struct wr_err *err);

/* Whether a \Boot\BCD (its bytes) starts what the decoded UEFI store
 * starts: both {default} loaders have the same device and osdevice. Two
 * stores bcdboot /f ALL wrote always differ in bytes (W6 compares this
 * instead). false when either has no readable {default} loader. */
bool wr_rescue_bios_store_in_step(const uint8_t *bios, size_t len,
                                  const struct wr_bcd_store *uefi);

#endif
