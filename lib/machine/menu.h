/* The boot menu as data: which entries exist, their keys and titles, which
 * one is the default and whether a countdown runs. Built from the machine
 * model and the configuration; the console code only draws it and reacts. */
#ifndef WR_MACHINE_MENU_H
#define WR_MACHINE_MENU_H

#include "conf/conf.h"
#include "machine/machine.h"

#define WR_MENU_MAX_BOOT 9 /* digits 1..9 */
#define WR_MENU_MAX_ENTRIES (WR_MENU_MAX_BOOT + 12) /* room for the rescue screens */
#define WR_MENU_TITLE_MAX 80

/* A Windows boot manager we can chain-load. */
struct wr_boot_target {
    uint32_t disk;  /* index into wr_machine.disks */
    uint32_t part;  /* index into that disk's table->parts */
    bool togo;      /* on the stick */
    char title[WR_MENU_TITLE_MAX];
};

/* The stick's boot managers first, then the other disks' in disk order.
 * Returns how many were written (at most max). */
uint32_t wr_machine_boot_targets(const struct wr_machine *m, struct wr_boot_target *out,
                                 uint32_t max);

enum wr_menu_action {
    WR_MENU_BOOT,
    WR_MENU_DISKS,
    WR_MENU_FIRMWARE_SETUP,
    WR_MENU_REBOOT,
    WR_MENU_SHUTDOWN,
    WR_MENU_BCD_VIEWER,     /* only when some ESP holds a BCD */
    WR_MENU_RESCUE_FILES,   /* u: save a user's files (wr_menu_add_tools) */
    WR_MENU_SPEED_TEST,     /* t: disk speed test (wr_menu_add_tools) */
    WR_MENU_DIAGNOSE,       /* g: the rescue engine's findings (wr_menu_add_rescue) */
    WR_MENU_REPAIR,         /* p: plan, consent, repair (wr_menu_add_rescue) */
    WR_MENU_UNDO,           /* z: restore a backup from the stick (wr_menu_add_rescue) */
    WR_MENU_REBUILD,        /* w: bcdboot for a chosen Windows (wr_menu_add_rescue) */
};

struct wr_menu_entry {
    enum wr_menu_action action;
    char key;                      /* '1'..'9' or a lower-case letter */
    char title[WR_MENU_TITLE_MAX];
    struct wr_boot_target target;  /* WR_MENU_BOOT only */
};

struct wr_menu {
    uint32_t count;
    struct wr_menu_entry entries[WR_MENU_MAX_ENTRIES];
    uint32_t boot_count;    /* the first boot_count entries boot Windows */
    uint32_t selected;      /* highlighted at start: the default, else entry 0 */
    bool has_default;       /* a boot entry is the default */
    bool countdown;         /* boot the default after timeout seconds */
    int32_t timeout;        /* seconds; 0 = boot at once */
    char note[WR_MENU_TITLE_MAX * 2]; /* why the default could not be honoured, or "" */
};

void wr_menu_build(const struct wr_machine *m, const struct wr_conf *conf,
                   struct wr_menu *out);

/* Appends "u) Save user files" and "t) Test disk speed" after the entries
 * wr_menu_build made (which keep their places and keys). */
void wr_menu_add_tools(struct wr_menu *menu);

/* Appends "g) Diagnose", "p) Repair", "w) Rebuild boot files",
 * "z) Undo a repair" (the rescue engine). */
void wr_menu_add_rescue(struct wr_menu *menu);

/* The entry whose key is ch (digits and letters, any case), or -1. */
int wr_menu_find_key(const struct wr_menu *menu, char ch);

/* "  1) Windows To Go (this stick)", with '>' for the first space when
 * highlighted. */
void wr_menu_entry_line(const struct wr_menu *menu, uint32_t i, bool highlighted,
                        char *buf, size_t size);

/* "Booting Windows To Go (this stick) in 5s (any key stops)" */
void wr_menu_countdown_line(const struct wr_menu *menu, int32_t seconds, char *buf,
                            size_t size);

/* How a boot entry is started (issue 7). Chain-loading through this app
 * changes the TPM measurements, so a BitLocker-protected Windows would ask
 * for its recovery key: such a Windows is started by the firmware itself
 * (BootNext + reset). The To Go Windows is always chain-loaded. */
enum wr_boot_way {
    WR_BOOT_CHAINLOAD,
    WR_BOOT_FIRMWARE,
};

/* The way for target, given whether a TPM is present (EFI_TCG2_PROTOCOL);
 * why gets the reason in words: "BitLocker protects disk 1 partition 3 and
 * a TPM is present" or "no BitLocker volume on its disk". */
enum wr_boot_way wr_menu_boot_way(const struct wr_machine *m, const struct wr_boot_target *t,
                                  bool tpm, char *why, size_t size);

#endif
