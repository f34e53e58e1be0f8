/* The one place the release version lives; the app prints it first. */
#ifndef WR_MACHINE_VERSION_H
#define WR_MACHINE_VERSION_H

#define WR_VERSION "0.1.0"

/* Carried in the app's image so the engine can tell our own loader at the
 * removable-media path from another OS's (it is not Microsoft's either). */
#define WR_APP_MARKER "wtg-rescue UEFI rescue app; https://invalid/wtg-rescue"

#endif
