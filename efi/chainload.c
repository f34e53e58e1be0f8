/* Starting a Windows boot manager. bootmgfw finds its BCD through the
 * partition it was loaded from, so it is loaded by that partition's own
 * device path and started right after loading (uefi.md §3, §8.3). */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "base/fmt.h"
#include "glue/devpath.h"

#define BOOTMGFW_PATH16 L"\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define WATCHDOG_SECONDS 300

static const char *load_reason(EFI_STATUS st)
{
    if (st == EFI_ACCESS_DENIED || st == EFI_SECURITY_VIOLATION)
        return "Secure Boot refused the image: it is not signed by a key this PC trusts";
    if (st == EFI_NOT_FOUND)
        return "the file \\EFI\\Microsoft\\Boot\\bootmgfw.efi was not found";
    if (st == EFI_LOAD_ERROR || st == EFI_UNSUPPORTED || st == EFI_INVALID_PARAMETER)
        return "the file is not an EFI program this PC can run";
    if (st == EFI_OUT_OF_RESOURCES)
        return "the firmware ran out of memory";
    return NULL;
}

static void explain(struct app *app, const char *title, const char *stage, EFI_STATUS st)
{
    const char *why = load_reason(st);

    if (why)
        wr_format(app->message, sizeof app->message, "Could not start %s: %s.", title, why);
    else
        wr_format(app->message, sizeof app->message,
                  "Could not start %s: %s failed with EFI status 0x%llx.", title, stage,
                  (unsigned long long)st);
}

static void print_start_line(const char *title, EFI_DEVICE_PATH *path)
{
    CHAR16 *text = wr_devpath_text(path);

    con_printf("Starting %s from ", title);
    if (text) {
        uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, text);
        FreePool(text);
    }
    con_puts("\n");
}

void app_chainload(struct app *app, const struct wr_boot_target *target)
{
    const struct wr_machine_part *mp =
        &app->machine.disks[target->disk].parts[target->part];
    EFI_DEVICE_PATH *path;
    EFI_HANDLE child = NULL;
    EFI_STATUS st;
    UINTN exit_size = 0;
    CHAR16 *exit_data = NULL;

    path = mp->handle ? FileDevicePath(mp->handle, BOOTMGFW_PATH16) : NULL;
    if (!path) {
        wr_format(app->message, sizeof app->message,
                  "Could not start %s: the firmware has no device path for its partition.",
                  target->title);
        return;
    }
    print_start_line(target->title, path);
    st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, app->image, path, NULL, 0, &child);
    FreePool(path);
    if (st != EFI_SUCCESS) {
        /* SECURITY_VIOLATION still hands out an image that must go. */
        if (child)
            uefi_call_wrapper(BS->UnloadImage, 1, child);
        explain(app, target->title, "LoadImage", st);
        con_printf("%s\n", app->message);
        return;
    }
    /* Keep the firmware's safety net for the loader, as its boot manager
     * would have armed it. */
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, WATCHDOG_SECONDS, 0, 0, NULL);
    st = uefi_call_wrapper(BS->StartImage, 3, child, &exit_size, &exit_data);
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
    if (exit_data)
        FreePool(exit_data);
    /* An application that returned was unloaded by the firmware already. */
    if (st != EFI_SUCCESS)
        uefi_call_wrapper(BS->UnloadImage, 1, child);
    if (st == EFI_SUCCESS)
        wr_format(app->message, sizeof app->message, "%s returned to wtg-rescue.",
                  target->title);
    else
        explain(app, target->title, "StartImage", st);
    con_printf("%s\n", app->message);
}
