/* Stub bootmgfw.efi: prints one marker line naming the partition it was
 * loaded from, so an e2e test can prove which ESP the rescue app chose,
 * then ends the machine with a distinct exit status. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "stub.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    EFI_LOADED_IMAGE *li = NULL;
    char origin[96];
    BOOLEAN known;

    InitializeLib(image, systab);
    /* Windows' bootmgfw gets its BCD object from LoadOptions; show what the
     * loader passed so tests can check it (0 from firmware, sd-boot, rEFInd). */
    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li)
            == EFI_SUCCESS && li)
        Print(L"BOOTMGR-STUB load options %d bytes\n", (int)li->LoadOptionsSize);

    known = stub_origin(image, origin, sizeof origin);
    Print(L"BOOTMGR-STUB loaded from %a\n", origin);
    stub_finish(known ? STUB_EXIT_MARKER : STUB_EXIT_NO_ORIGIN);
}
