/* wtg-rescue undo BACKUP_DIR [--apply] --disk IMG... --stick IMG
 * [--nvram DIR]: shows the backup's manifest; with --apply restores every
 * file and variable in it byte for byte and checks each sha256 (a line per
 * step on stderr as it runs). */
#include <stdio.h>

#include "../common/rescue_progress.h"
#include "../common/rescue_run.h"
#include "commands.h"

static int show(struct rescue_host *h)
{
    char path[WR_NAME_MAX];
    uint8_t *data = NULL;
    size_t len = 0;
    struct wr_err err = { 0 };

    wr_format(path, sizeof path, "%s\\manifest.txt", h->o.arg);
    if (wr_volume_read_file(&h->stick_vol, path, 4u << 20, &data, &len, &err)) {
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
        return EXIT_NOT_FOUND;
    }
    printf("dry run: undo --apply would restore from %s:\n", h->o.arg);
    fwrite(data, 1, len, stdout);
    wr_free(data);
    return EXIT_OK;
}

int wtg_cmd_undo(int argc, char **argv)
{
    struct rescue_host h = { 0 };
    struct wr_text log = { 0 };
    struct wr_rescue_progress_sink progress = { rescue_progress_print, NULL };
    struct wr_err err = { 0 };
    int rc;

    if (rescue_parse(argc, argv, true, &h.o))
        return EXIT_USAGE;
    if (!h.o.arg || !h.o.stick) {
        fprintf(stderr, "usage: wtg-rescue undo BACKUP_DIR [--apply] --disk IMG... --stick IMG "
                        "[--nvram DIR]\n");
        return EXIT_USAGE;
    }
    rc = rescue_open(&h);
    if (!rc && !h.o.apply)
        rc = show(&h);
    else if (!rc) {
        wr_status st = wr_rescue_undo_progress(&h.model, &h.stick_vol, h.o.arg, &log, &progress,
                                               &err);
        if (log.data)
            fwrite(log.data, 1, log.len, stdout);
        if (st) {
            fprintf(stderr, "wtg-rescue: %s\n", err.msg);
            rc = rescue_exit_status(st);
        } else {
            printf("undo complete: every file and variable matches its manifest sha256\n");
        }
    }
    wr_text_free(&log);
    rescue_close(&h);
    return rc;
}
