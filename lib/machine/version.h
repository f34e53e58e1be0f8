/* The one place the release version lives; the app prints it first. */
#ifndef WR_MACHINE_VERSION_H
#define WR_MACHINE_VERSION_H

#define WR_VERSION "0.1.0"

#endif
