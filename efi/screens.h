/* The rescue screens (efi/screen_*.c): each shows what lib/ computed and
 * returns to the menu. */
#ifndef WR_EFI_SCREENS_H
#define WR_EFI_SCREENS_H

#include "app.h"

/* Text longer than the screen, a page at a time: "-- more: press a key,
 * a for all, q to stop --". *row counts the lines shown on this page
 * (start at 0; (UINTN)-1 once paging is off). Returns FALSE when the user
 * stopped it. */
BOOLEAN screen_page_text(const char *text, UINTN *row);
/* "Press any key to return to the menu." and waits. */
void screen_wait_return(void);

/* b: bcdedit /enum all text of every BCD store found on any ESP. */
void app_screen_bcd(struct app *app);

/* bootnext.c: starts a boot entry: chain-loaded, or through the firmware
 * (BootNext + reset) when BitLocker and a TPM are in play. Returns only
 * when it did not start; app->message says why. */
void app_boot_target(struct app *app, const struct wr_boot_target *t);
/* default @saved: reads the last choice into app->conf.saved_title. */
void app_saved_load(struct app *app);

enum app_rescue_how {
    APP_RESCUE_DIAGNOSE,          /* findings and verdict only: writes nothing */
    APP_RESCUE_REPAIR_ASK,        /* then the plan, and a y/N question */
    APP_RESCUE_REPAIR_UNATTENDED, /* mode repair: the plan runs without asking */
};

/* screen_diagnose.c: diagnose (and repair); the report is saved on the
 * stick when report_name is given (it names the file) or a repair ran. */
void app_rescue_run(struct app *app, enum app_rescue_how how, const char *report_name);
/* g: Diagnose.  p: Repair. */
void app_screen_diagnose(struct app *app);
void app_screen_repair(struct app *app);
/* w: Rebuild boot files for a chosen Windows (bcdboot's job). */
void app_screen_rebuild(struct app *app);
/* z: Undo a repair from its backup on the stick. */
void app_screen_undo(struct app *app);

/* netboot.c: loaded from a NIC (no SimpleFileSystem under us)? Then the
 * findings are shown before the menu, read-only. */
BOOLEAN app_is_netboot(const struct app *app);
void app_netboot_diagnose(struct app *app);

/* unattended.c: wtg-rescue.conf `mode diagnose|repair` before the menu. */
void app_unattended(struct app *app);
/* health.c: the diagnosis line above the menu (app->health), from the
 * engine's full scan; empty in unattended and network runs. */
void app_health(struct app *app);
void app_health_release(struct app *app);

#endif
