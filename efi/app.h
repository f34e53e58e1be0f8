/* The UEFI app's own parts. Everything portable (the machine model, the
 * menu model, the configuration) lives in lib/; these files only talk to
 * the firmware and show what lib/ computed. */
#ifndef WR_EFI_APP_H
#define WR_EFI_APP_H

#include <efi.h>

#include "conf/conf.h"
#include "machine/machine.h"
#include "machine/menu.h"

#define APP_MESSAGE_MAX 240

struct app_engine;

struct app {
    EFI_HANDLE image;
    EFI_LOADED_IMAGE *self;
    struct wr_machine machine;
    struct wr_conf conf;
    struct wr_menu menu;
    char message[APP_MESSAGE_MAX]; /* the last failure, shown under the menu */
    char health[APP_MESSAGE_MAX];  /* the diagnosis line (health.c) */
    struct app_engine *health_engine; /* its model, freed at the first menu pick */
};

/* console.c: ASCII text that reads the same on screen and on serial. */
void con_puts(const char *s);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_clear(void);
void con_goto(UINTN col, UINTN row);
UINTN con_row(void);

struct con_key {
    UINT16 scan;   /* SCAN_UP, SCAN_DOWN, ... or 0 */
    CHAR16 ch;     /* the character, or 0 */
};

/* A key already typed, without waiting. */
BOOLEAN con_poll_key(struct con_key *key);
/* Waits for a key; with tick_seconds > 0 also returns FALSE once per
 * elapsed second so callers can update a countdown. */
BOOLEAN con_wait_key(struct con_key *key, BOOLEAN tick);
void con_drain_keys(void);
/* "Pick a <what> (1-<n>), Esc to return." then waits for a digit 1..n:
 * its index, or -1 for Esc or q. n is at most 9. */
INTN con_pick(const char *what, UINTN n);

/* scan.c: fills app->machine from the firmware's block devices. */
void app_scan(struct app *app);

/* config.c: reads wtg-rescue.conf from the volume the app came from. */
void app_load_conf(struct app *app);

/* menu.c: shows the menu until the user (or the countdown) picks an
 * entry, and returns its index. */
UINT32 app_menu_choose(struct app *app);
void app_show_disks(struct app *app);

/* chainload.c: returns only when the boot manager could not be started
 * or came back; app->message then says why. */
void app_chainload(struct app *app, const struct wr_boot_target *target);

/* firmware.c */
void app_reboot_to_firmware(struct app *app);
void app_reboot(void);
void app_shutdown(void);

#endif
