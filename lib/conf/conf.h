/* \EFI\wtg-rescue\wtg-rescue.conf, in the style of systemd-boot's
 * loader.conf: one "key value" per line, '#' starts a comment line (or a
 * comment after whitespace), blank lines and CRLF are fine.
 *
 *   timeout N      seconds before the default boots; 0 = at once,
 *                  -1 = wait for a key forever. Absent: 5.
 *   default X      togo | internal | menu. Absent: togo when the stick
 *                  has Windows To Go, else the first internal Windows by
 *                  disk order, else the menu waits.
 *                  @saved: the entry booted last time (kept in an NV
 *                  variable by the app); none saved yet: as if unset.
 *   mode X         menu | diagnose | repair (unattended, for IT): before
 *                  the menu, diagnose every disk and save one report per
 *                  machine on the stick; only `repair` writes. Absent: menu.
 *
 * Nothing in the file is fatal: unknown keys, bad values and junk lines
 * become warnings "wtg-rescue.conf line <n>: <what>" and are ignored. */
#ifndef WR_CONF_CONF_H
#define WR_CONF_CONF_H

#include "base/fmt.h"
#include "base/status.h"

#define WR_CONF_PATH "\\EFI\\wtg-rescue\\wtg-rescue.conf"
#define WR_CONF_MAX_BYTES (64 * 1024)
#define WR_CONF_TIMEOUT_DEFAULT 5
#define WR_CONF_TIMEOUT_FOREVER (-1)
#define WR_CONF_TIMEOUT_MAX 86400
#define WR_CONF_MAX_WARNINGS 20

enum wr_conf_default {
    WR_CONF_DEFAULT_AUTO, /* not set: togo, else internal, else menu */
    WR_CONF_DEFAULT_TOGO,
    WR_CONF_DEFAULT_INTERNAL,
    WR_CONF_DEFAULT_MENU,
    WR_CONF_DEFAULT_SAVED, /* @saved: the last entry booted (saved_title) */
};

enum wr_conf_mode {
    WR_CONF_MODE_MENU,
    WR_CONF_MODE_DIAGNOSE,
    WR_CONF_MODE_REPAIR,
};

struct wr_conf {
    int32_t timeout;            /* seconds, or WR_CONF_TIMEOUT_FOREVER */
    enum wr_conf_default default_entry;
    uint32_t warning_count;
    struct wr_text warnings;
    enum wr_conf_mode mode;
    char saved_title[80];       /* @saved: the last title booted, filled by the app */     /* kept after warnings so older users still line up */    /* one line per warning, each ending in '\n' */
};

void wr_conf_init(struct wr_conf *c);

/* Applies the settings in data (len bytes, not NUL-terminated) on top of
 * what c holds. Only running out of memory is an error. */
wr_status wr_conf_parse(struct wr_conf *c, const char *data, size_t len,
                        struct wr_err *err);

void wr_conf_free(struct wr_conf *c);

/* "togo", "internal", "menu", "auto". */
const char *wr_conf_default_name(enum wr_conf_default d);

/* "menu", "diagnose", "repair". */
const char *wr_conf_mode_name(enum wr_conf_mode m);

#endif
