#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    char line[64];

    InitializeLib(image, systab);
    wr_format(line, sizeof line, "wtg-rescue %s", "skeleton");
    Print(L"%a\n", line);
    return EFI_SUCCESS;
}
