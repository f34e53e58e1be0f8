/* wtg-rescue make-togo: the parts of building a Windows To Go stick from
 * Linux. Host-only (wimlib, libntfs-3g, sgdisk, mkfs.fat, mkntfs). */
#ifndef WTG_RESCUE_TOGO_H
#define WTG_RESCUE_TOGO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fmt.h"
#include "base/status.h"

#define TOGO_MIB (1024ull * 1024)
#define TOGO_ESP_MIB 100u
/* A new image file without --size: Windows To Go asks for 32 GB. */
#define TOGO_DEFAULT_IMAGE (32ull << 30)

/* Exit statuses of make-togo (its --help lists them). */
#define EXIT_USAGE_T 2
#define EXIT_IO_T 3
#define EXIT_BAD_IMAGE_T 5
#define EXIT_REFUSED_T 6
#define EXIT_FAILED_T 7

struct togo_opts {
    const char *image, *stick, *app, *size, *data_size;
    int index;              /* 0: not given */
    bool yes, repair_only, list_only;
};

/* One partition of the stick: where its bytes are (the partition node on a
 * block device, else IMG at offset) and the GPT facts. */
struct togo_part {
    uint64_t offset, bytes;
    char node[256];         /* block device partition, or "" on an image */
    char guid[40];
};

struct togo_stick {
    char path[4096];
    bool is_block;
    uint64_t bytes;
    uint64_t grow_to;       /* an image made or grown to this once confirmed */
    struct togo_part esp, win, data;
    bool has_data;
};

/* The summary printed at the end and saved on the stick. */
struct togo_summary {
    struct wr_text t;
};
void togo_say(struct togo_summary *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* togo_exec.c: run a program (no shell), quiet unless it fails. */
int togo_run(const char *step, char *const argv[]);
uint64_t togo_parse_size(const char *s);

/* togo_disk.c */
/* Refuses a mounted or internal disk, or one too small for need_bytes.
 * Fills st->bytes. Messages printed. */
int togo_check_target(struct togo_stick *st, uint64_t want_bytes, uint64_t need_bytes);
int togo_confirm(const struct togo_stick *st, bool yes);
int togo_partition(struct togo_stick *st, uint64_t data_bytes);
int togo_find_parts(struct togo_stick *st);
int togo_format(const struct togo_stick *st);
/* The NTFS partition as a file libntfs-3g and wimlib can open: the node,
 * or a sparse side copy of it (copy_in: with the partition's bytes). */
int togo_ntfs_open_side(const struct togo_stick *st, bool copy_in, char *out, size_t size);
/* Writes back the 64 KiB blocks that differ from the side file. */
int togo_ntfs_close_side(const struct togo_stick *st, const char *side, bool write_back);

/* togo_wim.c */
struct togo_wim_info {
    int n_images;
    int index;               /* the one chosen, 0 when none is */
    uint64_t total_bytes;    /* of the chosen image */
    char name[256];
};
/* Lists the images; with an index (or a single image, unless list_only)
 * verifies it. */
int togo_wim_check(const char *path, int index, bool list_only, struct togo_wim_info *out);
int togo_wim_apply(const char *path, int index, const char *ntfs_target);

/* togo_hive.c: PortableOperatingSystem, SanPolicy, BootDriverFlags. */
int togo_set_flags(const char *ntfs_file, struct togo_summary *s);

/* togo_boot.c: BCD and boot files (the engine), the rescue app, the report. */
/* *state: what the stick is left like when the failed step was past the
 * UEFI set (else it stays as the caller set it). */
int togo_boot(const struct togo_stick *st, const char *app, struct togo_summary *s,
              const char **state);
int togo_save_report(const struct togo_stick *st, const struct togo_summary *s);

#endif
