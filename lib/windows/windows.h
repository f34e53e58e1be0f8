/* lib/windows: is this partition a Windows installation, and which one?
 *
 * The evidence, all read-only: \Windows\System32\winload.efi / winload.exe,
 * the product facts in the SOFTWARE hive, the architecture from the PE
 * header of winload.efi (or ntoskrnl.exe), Windows To Go from SYSTEM,
 * the volume's state (dirty, hibernated, BitLocker) and the boot manager
 * \Windows\Boot\EFI\bootmgfw.efi that bcdboot copies to the ESP. */
#ifndef WR_WINDOWS_WINDOWS_H
#define WR_WINDOWS_WINDOWS_H

#include "base/blockdev.h"
#include "ntfs/ntfs.h"

enum wr_windows_volume {
    WR_WINDOWS_VOL_NTFS,        /* opened and examined */
    WR_WINDOWS_VOL_BITLOCKER,   /* encrypted: locked, contents unknown */
    WR_WINDOWS_VOL_REFS,        /* unsupported filesystem */
    WR_WINDOWS_VOL_OTHER,       /* not NTFS (FAT, blank, ...) */
    WR_WINDOWS_VOL_UNREADABLE,  /* NTFS signature, but the volume failed a check */
};

struct wr_windows_info {
    enum wr_windows_volume volume;
    bool is_windows;            /* winload.efi or winload.exe found */
    bool has_winload_efi;
    bool has_winload_exe;
    char product_name[128];     /* SOFTWARE ...\Windows NT\CurrentVersion */
    char display_version[32];
    char build[32];             /* CurrentBuild, else CurrentBuildNumber */
    char edition[64];
    bool hive_read;             /* SOFTWARE gave the facts above */
    uint16_t machine;           /* PE machine; 0 when unknown */
    const char *arch;           /* "x64", "x86", "ARM64", "ARM", or NULL */
    bool to_go;                 /* PortableOperatingSystem = 1 */
    bool to_go_known;           /* SYSTEM was read */
    bool dirty;
    enum wr_ntfs_hiber hibernation;
    bool has_bootmgfw;
    uint64_t bootmgfw_size;
    char label[128];
    char note[WR_ERR_MSG_MAX];  /* the first problem met, for display */
};

/* Examines one volume (a partition slice or a whole disk). Only a failing
 * device read is an error; everything else lands in out. */
wr_status wr_windows_probe(const struct wr_blockdev *dev, struct wr_windows_info *out,
                           struct wr_err *err);

/* The same on an already open NTFS volume. */
void wr_windows_probe_ntfs(struct wr_ntfs *v, struct wr_windows_info *out);

/* "x64" for 0x8664, ...; NULL when unknown. */
const char *wr_windows_arch_name(uint16_t machine);
/* PE machine of an image's first bytes; 0 when not a PE. */
uint16_t wr_windows_pe_machine(const uint8_t *data, size_t len);

#endif
