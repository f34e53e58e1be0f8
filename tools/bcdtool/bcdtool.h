/* bcdtool: an offline bcdedit. Shared state of one invocation. */
#ifndef BCDTOOL_H
#define BCDTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcd/device.h"
#include "bcd/store.h"
#include "regf/regf.h"

struct bcdtool {
    const char *store_path;     /* /store FILE, or the ESP store found */
    char *owned_path;           /* the ESP store path when we found it */
    bool verbose;               /* /v */
    bool json;                  /* --json (ours) */
    bool compat;                /* --compat (ours) */
    bool in_place;              /* --in-place (ours): log-first commit, as Windows does */
    const char *command;        /* "/enum", "--check", ... as typed */
    char **args;                /* the command's own arguments */
    int n_args;
    /* filled by bcdtool_open */
    uint8_t *file;
    size_t file_len;
    struct wr_regf_hive *hive;
    struct wr_bcd_store store;
};

/* Case-insensitive option test: "/enum" and "-ENUM" both match "enum". */
bool bcdtool_is_opt(const char *arg, const char *name);

/* Prints "bcdtool: MESSAGE" on stderr; returns 1 (the exit status). */
int bcdtool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Finds the store (store_path or the mounted ESP), reads and opens it, and
 * loads the model. Prints why on failure and returns false. */
bool bcdtool_open(struct bcdtool *bt);
void bcdtool_close(struct bcdtool *bt);

/* The store on a mounted ESP when exactly one is found; else prints how to
 * choose and returns NULL. The result is malloc'd. */
char *bcdtool_find_esp_store(void);

/* Whole host file (at most 256 MiB) into a malloc'd buffer, NULL + message. */
uint8_t *bcdtool_read_file(const char *path, size_t *len);

/* partition=/dev/... or IMAGE:N, for wr_bcd_device_parse (resolve.c). */
wr_status bcdtool_resolve_partition(void *arg, const char *spec, struct wr_bcd_device *out,
                                    struct wr_err *err);

int bcdtool_cmd_enum(struct bcdtool *bt);
int bcdtool_cmd_check(struct bcdtool *bt);
int bcdtool_cmd_json(struct bcdtool *bt);
/* Every other command (the edits); unknown commands are reported here. */
int bcdtool_run_edit(struct bcdtool *bt);

#endif
