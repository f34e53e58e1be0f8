/* Would this machine boot Windows? The decision Windows Boot Manager
 * makes, offline: load the ESP's BCD, resolve {default}, find its device
 * and osdevice among the disks, check that the loader file is there. The
 * answer is OK or the status code bootmgr would show. Shared with the
 * stub boot manager of the QEMU tests, so it stays free of host code. */
#ifndef WR_RESCUE_JUDGE_H
#define WR_RESCUE_JUDGE_H

#include "rescue/model.h"

/* NTSTATUS codes bootmgr shows (failure-modes.md, "How the screens map"). */
#define WR_RESCUE_NO_SUCH_FILE      0xc000000fu /* BCD absent */
#define WR_RESCUE_NO_SUCH_DEVICE    0xc000000eu /* device/osdevice names no partition */
#define WR_RESCUE_NAME_NOT_FOUND    0xc0000034u /* empty or half-built BCD */
#define WR_RESCUE_FILE_INVALID      0xc0000098u /* no valid OS entry */
#define WR_RESCUE_NOT_FOUND         0xc0000225u /* winload missing */
#define WR_RESCUE_REGISTRY_CORRUPT  0xc000014cu /* BCD hive corrupt */
/* Not a bootmgr screen: the firmware finds no boot manager to start. */
#define WR_RESCUE_NO_BOOTMGR        0xffff0001u

struct wr_rescue_verdict {
    bool ok;
    uint32_t code;          /* 0 when ok */
    char file[128];         /* the "File:" bootmgr would name */
    char why[256];
    int esp;                /* model partition of the ESP judged, or -1 */
    int os_part;            /* where {default}'s osdevice is, or -1 */
    bool unverified;        /* the OS volume is encrypted: loader not checked */
};

/* The ESP the firmware would start Windows Boot Manager from: the first
 * BootOrder entry for bootmgfw.efi whose partition exists, else an ESP
 * with bootmgfw.efi on an internal disk, else an internal ESP without it
 * on a disk holding Windows (its boot manager is missing), else, when no
 * internal disk holds Windows, a stick's ESP with bootmgfw.efi; -1 if none. */
int wr_rescue_boot_esp(const struct wr_rescue_model *m);

/* Judges the ESP `esp` (a model partition with has_fat): its BCD as the
 * model last read it (the scan, and after every repair and undo), or
 * through its volume when the model holds no store. esp < 0 gives
 * WR_RESCUE_NO_BOOTMGR. */
void wr_rescue_judge(const struct wr_rescue_model *m, int esp, struct wr_rescue_verdict *out);

/* The same for a boot manager already running from `esp`, whatever file
 * the firmware started (the fallback \EFI\Boot\bootx64.efi is a copy of
 * bootmgfw.efi, and reads the same store): bootmgfw.efi need not exist. */
void wr_rescue_judge_running(const struct wr_rescue_model *m, int esp,
                             struct wr_rescue_verdict *out);

/* "0xc000000e", or "no boot manager" */
void wr_rescue_code_text(uint32_t code, char buf[32]);

#endif
