/* wtg-rescue: find every Windows on this PC and on the stick, and start
 * the one the user (or the configuration) picks. */
#include <efi.h>
#include <efilib.h>

#include "app.h"
#include "screens.h"
#include "rescue_files.h"
#include "machine/version.h"

static void print_scan_summary(const struct app *app)
{
    char line[96];
    UINT32 n = wr_machine_bootmgr_count(&app->machine);

    for (UINT32 i = 0; i < app->machine.disk_count; i++) {
        wr_machine_disk_line(&app->machine.disks[i], line, sizeof line);
        con_printf("%s\n", line);
    }
    con_printf("found %u Windows boot manager(s)\n", n);
    if (n == 0)
        con_puts("No Windows installation was found on any disk.\n");
    if (app->conf.warnings.data)
        con_puts(app->conf.warnings.data);
}

static void run(struct app *app)
{
    for (;;) {
        const struct wr_menu_entry *e = &app->menu.entries[app_menu_choose(app)];

        app_health_release(app);
        app->message[0] = '\0';
        switch (e->action) {
        case WR_MENU_BOOT:
            app_boot_target(app, &e->target);
            break;
        case WR_MENU_DISKS:
            app_show_disks(app);
            break;
        case WR_MENU_FIRMWARE_SETUP:
            app_reboot_to_firmware(app);
            break;
        case WR_MENU_REBOOT:
            app_reboot();
            break;
        case WR_MENU_SHUTDOWN:
            app_shutdown();
            break;
        case WR_MENU_BCD_VIEWER:
            app_screen_bcd(app);
            break;
        case WR_MENU_RESCUE_FILES:
            app_screen_rescue_files(app);
            break;
        case WR_MENU_SPEED_TEST:
            app_screen_speed_test(app);
            break;
        case WR_MENU_DIAGNOSE:
            app_screen_diagnose(app);
            break;
        case WR_MENU_REPAIR:
            app_screen_repair(app);
            app_health(app);
            break;
        case WR_MENU_UNDO:
            app_screen_undo(app);
            app_health(app);
            break;
        case WR_MENU_REBUILD:
            app_screen_rebuild(app);
            app_health(app);
            break;
        }
    }
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    static struct app app;

    InitializeLib(image, systab);
    app.image = image;
    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                          (void **)&app.self) != EFI_SUCCESS)
        return EFI_LOAD_ERROR;
    /* The menu may wait for a person; the firmware's 5-minute watchdog
     * would reset the PC under them. */
    uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
    static const char marker[] __attribute__((used)) = WR_APP_MARKER;
    (void)marker;
    con_printf("wtg-rescue %s\n", WR_VERSION);
    app_load_conf(&app);
    app_scan(&app);
    print_scan_summary(&app);
    app_unattended(&app);
    app_health(&app);
    app_saved_load(&app);
    wr_menu_build(&app.machine, &app.conf, &app.menu);
    wr_menu_add_tools(&app.menu);
    wr_menu_add_rescue(&app.menu);
    run(&app);
    return EFI_SUCCESS;
}
