/* The issue-8 screens: save a user's files (rescue_files*.c) and test the
 * disks' speed (speedtest*.c), and the clock both use. */
#ifndef WR_EFI_RESCUE_FILES_H
#define WR_EFI_RESCUE_FILES_H

#include "app.h"

/* u: pick a Windows volume, a user and folders; copy them to the stick's
 * data partition with a manifest. */
void app_screen_rescue_files(struct app *app);
/* t: sequential and random reads of every disk, and a verdict for the stick. */
void app_screen_speed_test(struct app *app);

/* A monotonic microsecond clock (100 ms timer ticks refined by the TSC),
 * running between start and stop; start returns FALSE without a timer. */
BOOLEAN efi_clock_start(void);
void efi_clock_stop(void);
uint64_t efi_now_us(void);
/* Esc or c typed since the last call (other keys are dropped). */
BOOLEAN efi_cancel_requested(void);

#endif
