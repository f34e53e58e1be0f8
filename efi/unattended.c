/* Unattended mode for IT (wtg-rescue.conf `mode diagnose|repair`): before
 * the menu, diagnose every disk and save one report per machine, named by
 * its SMBIOS system UUID, so one stick serves a row of PCs. Only `mode
 * repair` writes; then the menu carries on as configured. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"
#include "screens.h"

void app_unattended(struct app *app)
{
    char uuid[40], name[48];

    if (app_is_netboot(app)) {
        app_netboot_diagnose(app);
        return;
    }
    if (app->conf.mode == WR_CONF_MODE_MENU)
        return;
    app_smbios_uuid(uuid);
    wr_format(name, sizeof name, "%s", uuid[0] ? uuid : "no-smbios-uuid");
    con_printf("Unattended %s (wtg-rescue.conf), machine %s\n",
               wr_conf_mode_name(app->conf.mode), name);
    app_rescue_run(app, app->conf.mode == WR_CONF_MODE_REPAIR ? APP_RESCUE_REPAIR_UNATTENDED
                                                              : APP_RESCUE_DIAGNOSE,
                   name);
    con_puts("Unattended run finished.\n");
}
