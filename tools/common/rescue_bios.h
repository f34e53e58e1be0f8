/* `wtg-rescue rebuild --firmware bios|all`: bcdboot /f's BIOS set
 * (lib/rescue/bios.h) as a step of its own after the engine's plan,
 * listed in the dry run, run with --apply, shown after the report. Its
 * backup is a folder of its own on the stick. Host tools only. */
#ifndef TOOLS_COMMON_RESCUE_BIOS_H
#define TOOLS_COMMON_RESCUE_BIOS_H

#include "rescue/bios.h"
#include "rescue_host.h"

/* bcdboot's /f: which sets a rebuild writes. */
enum rescue_firmware { RESCUE_FW_UEFI, RESCUE_FW_BIOS, RESCUE_FW_ALL };

/* "uefi", "bios", "all" (any case, as bcdboot takes /f ALL); -1 otherwise. */
int rescue_firmware_parse(const char *s);
const char *rescue_firmware_name(enum rescue_firmware fw);

struct rescue_bios {
    enum rescue_firmware fw;
    int win, esp;                /* model partitions */
    struct wr_text targets;      /* the paths it writes, one a line */
    size_t n_targets;            /* 0: refused, see why */
    char why[256];
    bool ran;                    /* --apply ran it (or tried) */
    wr_status result;
    char result_msg[WR_ERR_MSG_MAX];
    struct wr_rescue_bios_result r;
};

/* Lists what it would write. Returns an exit status (message printed). */
int rescue_bios_plan(const struct rescue_host *h, struct rescue_bios *b);
/* Writes the set, with a backup on the stick first and a progress line
 * as it starts and ends. raw_esp: the backup keeps a raw image of the
 * ESP too (when the BIOS set is the only thing written, so that undo
 * gives the partition back byte for byte). Returns an exit status. */
int rescue_bios_apply(struct rescue_host *h, struct rescue_bios *b, bool raw_esp);
/* The step's part of the report: text after it, or a "bios" member
 * added to the JSON object in t. */
void rescue_bios_text(const struct rescue_host *h, const struct rescue_bios *b,
                      struct wr_text *t);
void rescue_bios_json(const struct rescue_bios *b, struct wr_text *t);
void rescue_bios_free(struct rescue_bios *b);

#endif
