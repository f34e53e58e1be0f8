/* Stub bootmgfw.efi: prints marker lines naming the partition and file it
 * was loaded from, so an e2e test can prove which ESP the rescue app (or
 * the firmware) chose, then judges that ESP as Windows Boot Manager would
 * and ends the machine: status 71 (OK), 73 (FAIL) or 69 (no origin). */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "stub.h"

/* UTF-16, as in Microsoft's binary: the engine takes a file holding it
 * for Windows Boot Manager (a fallback copy of it is "Microsoft's"). */
static const CHAR16 stub_identity[] = L"BOOTMGR-STUB stands in for Windows Boot Manager";

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    EFI_LOADED_IMAGE *li = NULL;
    char origin[96], file[128];
    BOOLEAN known;

    InitializeLib(image, systab);
    /* Windows' bootmgfw gets its BCD object from LoadOptions; show what the
     * loader passed so tests can check it (0 from firmware, sd-boot, rEFInd). */
    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li)
            == EFI_SUCCESS && li)
        Print(L"BOOTMGR-STUB load options %d bytes\n", (int)li->LoadOptionsSize);

    known = stub_origin(image, origin, sizeof origin);
    Print(L"BOOTMGR-STUB loaded from %a\n", origin);
    stub_file(image, file, sizeof file);
    Print(L"BOOTMGR-STUB file %a\n", file);
    Print(L"%s\n", stub_identity);
    if (!known)
        stub_finish(STUB_EXIT_NO_ORIGIN);
    stub_judge(image);
}
