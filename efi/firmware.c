/* Reset actions. They return only when the firmware refused. */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "base/fmt.h"

#define OS_INDICATION_BOOT_TO_FW_UI 0x1ULL
#define VAR_ATTRS (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | \
                   EFI_VARIABLE_RUNTIME_ACCESS)

static UINT64 read_u64(CHAR16 *name)
{
    UINT64 v = 0;
    UINTN size = sizeof v;

    if (uefi_call_wrapper(RT->GetVariable, 5, name, &EfiGlobalVariable, NULL, &size, &v)
        != EFI_SUCCESS || size != sizeof v)
        return 0;
    return v;
}

void app_reboot_to_firmware(struct app *app)
{
    UINT64 ind;
    EFI_STATUS st;

    if (!(read_u64(L"OsIndicationsSupported") & OS_INDICATION_BOOT_TO_FW_UI)) {
        wr_format(app->message, sizeof app->message,
                  "This firmware does not offer a way to reboot into its setup.");
        return;
    }
    ind = read_u64(L"OsIndications") | OS_INDICATION_BOOT_TO_FW_UI;
    st = uefi_call_wrapper(RT->SetVariable, 5, L"OsIndications", &EfiGlobalVariable, VAR_ATTRS,
                           sizeof ind, &ind);
    if (st != EFI_SUCCESS) {
        wr_format(app->message, sizeof app->message,
                  "Could not ask for firmware setup (EFI status 0x%llx).",
                  (unsigned long long)st);
        return;
    }
    con_puts("Rebooting into firmware setup...\n");
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
    wr_format(app->message, sizeof app->message, "The firmware did not reboot.");
}

void app_reboot(void)
{
    con_puts("Rebooting...\n");
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
}

void app_shutdown(void)
{
    con_puts("Shutting down...\n");
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
}
