/* Network boot (UEFI PXE/TFTP or HTTP): the app was loaded from a NIC, so
 * there is no stick for backups and no config beside it. It runs read-only:
 * before the menu it diagnoses every disk and shows the findings; Repair
 * refuses without a writable stick (screen_diagnose.c). */
#include <efi.h>
#include <efilib.h>

#include "screens.h"

/* A MAC, IPv4, IPv6 or URI node in the path we were loaded from. iPXE
 * hands over a handle with a SimpleFileSystem (and a BlockIo) of its own,
 * so the protocols alone do not tell a NIC from a stick. */
BOOLEAN app_is_netboot(const struct app *app)
{
    EFI_DEVICE_PATH *p = NULL;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, app->self->DeviceHandle, &DevicePathProtocol,
                          (void **)&p) != EFI_SUCCESS || !p)
        return FALSE;
    for (; !IsDevicePathEnd(p); p = NextDevicePathNode(p))
        if (DevicePathType(p) == MESSAGING_DEVICE_PATH &&
            (DevicePathSubType(p) == MSG_MAC_ADDR_DP || DevicePathSubType(p) == MSG_IPv4_DP ||
             DevicePathSubType(p) == MSG_IPv6_DP || DevicePathSubType(p) == 24 /* URI */))
            return TRUE;
    return FALSE;
}

void app_netboot_diagnose(struct app *app)
{
    con_puts("Started over the network: read-only, nothing will be written.\n");
    app_rescue_run(app, APP_RESCUE_DIAGNOSE, NULL);
}
