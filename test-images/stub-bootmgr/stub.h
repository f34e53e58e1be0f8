/* The stub boot manager: stands in for \EFI\Microsoft\Boot\bootmgfw.efi on
 * scenario disks. Each step is one file, so a later BCD check can slot in
 * between "where was I loaded from" and "end the machine". */
#ifndef WR_STUB_BOOTMGR_H
#define WR_STUB_BOOTMGR_H

#include <efi.h>

/* Exit values written to isa-debug-exit; QEMU ends with (v << 1) | 1. */
#define STUB_EXIT_MARKER 0x21  /* marker printed: QEMU status 67 */
#define STUB_EXIT_NO_ORIGIN 0x22 /* no HD node in our device path: status 69 */

/* Fills text with "GPT partition <guid> (partition <n>)" or
 * "MBR disk <sig> offset <bytes>" for the partition this image was loaded
 * from. Returns FALSE (and a reason in text) when that cannot be told. */
BOOLEAN stub_origin(EFI_HANDLE image, char *text, UINTN size);

/* Ends QEMU through isa-debug-exit, then shuts down real hardware. */
void stub_finish(UINT32 exit_value) __attribute__((noreturn));

#endif
