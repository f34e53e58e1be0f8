/* The stub boot manager: stands in for \EFI\Microsoft\Boot\bootmgfw.efi on
 * scenario disks. It says where it was loaded from, then does what Windows
 * Boot Manager does (judge.c) and ends the machine with a status telling
 * OK from FAIL. One step per file. */
#ifndef WR_STUB_BOOTMGR_H
#define WR_STUB_BOOTMGR_H

#include <efi.h>

/* Exit values written to isa-debug-exit; QEMU ends with (v << 1) | 1. */
#define STUB_EXIT_NO_ORIGIN 0x22 /* no HD node in our device path: status 69 */
#define STUB_EXIT_OK 0x23        /* BOOTMGR-STUB OK: status 71 */
#define STUB_EXIT_FAIL 0x24      /* BOOTMGR-STUB FAIL: status 73 */

/* Fills text with "GPT partition <guid> (partition <n>)" or
 * "MBR disk <sig> offset <bytes>" for the partition this image was loaded
 * from. Returns FALSE (and a reason in text) when that cannot be told. */
BOOLEAN stub_origin(EFI_HANDLE image, char *text, UINTN size);

/* The file this image was loaded as (its File() node, e.g.
 * \EFI\Boot\bootx64.efi when the firmware took the fallback path). */
void stub_file(EFI_HANDLE image, char *text, UINTN size);

/* Judges the ESP this image was loaded from as Windows Boot Manager would,
 * prints BOOTMGR-STUB OK|FAIL and ends the machine. */
void stub_judge(EFI_HANDLE image) __attribute__((noreturn));

/* Ends QEMU through isa-debug-exit, then shuts down real hardware. */
void stub_finish(UINT32 exit_value) __attribute__((noreturn));

#endif
