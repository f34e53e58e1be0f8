/* The rescue engine's model of the machine, built on lib/machine's disks:
 * per partition what it holds (an ESP with its boot files and decoded BCD,
 * a Windows installation), the firmware boot entries through wr_nvram, and
 * which disk is the stick. Everything the engine decides is computed from
 * this; filesystems are reached only through the host's callbacks (the
 * firmware's FAT driver in the app, mtools on Linux) and lib/ntfs. */
#ifndef WR_RESCUE_MODEL_H
#define WR_RESCUE_MODEL_H

#include "bcd/device.h"
#include "bcd/store.h"
#include "efivar/nvram.h"
#include "machine/machine.h"
#include "windows/windows.h"

/* What the host supplies. open_fat gives the FAT filesystem of partition
 * `part` (index into the disk's table) of disk `disk`; WR_E_UNSUPPORTED
 * when it cannot. Writable only when the host allows writes (--apply). */
struct wr_rescue_host {
    wr_status (*open_fat)(void *arg, uint32_t disk, uint32_t part, struct wr_volume *out,
                          struct wr_err *err);
    void (*close_fat)(void *arg, struct wr_volume *v);
    /* True when the running rescue app was itself loaded from path on this
     * partition: then that file is ours without reading it (our own ~240
     * KiB over the stick's USB). NULL: always read. */
    bool (*is_self)(void *arg, uint32_t disk, uint32_t part, const char *path);
    /* The caller's own scan of disk (its table, each partition's
     * filesystem probe) or NULL: the engine then reads and probes it. The
     * app scans before the menu; doing it all again (both GPT copies, every
     * partition's first sector) doubled the time with many disks. */
    const struct wr_machine_disk *(*known_disk)(void *arg, uint32_t disk);
    void *arg;
};

enum wr_rescue_bcd_state {
    WR_RESCUE_BCD_MISSING,
    WR_RESCUE_BCD_OK,
    WR_RESCUE_BCD_EMPTY,        /* zero bytes, or a store without objects/{bootmgr} */
    WR_RESCUE_BCD_DIRTY,        /* needs its logs; they recover it */
    WR_RESCUE_BCD_CORRUPT,      /* unreadable, or dirty without a usable log */
};

#define WR_RESCUE_BCD_PATH "\\EFI\\Microsoft\\Boot\\BCD"
#define WR_RESCUE_FALLBACK_PATH "\\EFI\\Boot\\bootx64.efi"

struct wr_rescue_esp {
    bool has_bootmgfw;
    uint64_t bootmgfw_size;
    bool has_fallback;
    bool fallback_is_ms;         /* Microsoft's boot manager sits at the fallback path */
    bool fallback_is_ours;       /* the rescue app itself sits there (WR_APP_MARKER) */
    enum wr_rescue_bcd_state bcd;
    bool bcd_has_logs;
    struct wr_bcd_store store;   /* decoded when bcd is OK or DIRTY (recovered copy) */
    bool store_loaded;
    char bcd_note[WR_ERR_MSG_MAX];
    bool has_boot_bcd;           /* \Boot\BCD: a BIOS store (W6 / G10) */
};

/* Windows To Go health flags from the installation's SYSTEM hive. */
struct wr_rescue_togo {
    bool read;                   /* SYSTEM was read */
    bool san_known;
    uint32_t san_policy;         /* partmgr\Parameters\SanPolicy; 4 = offline internal */
    bool bdf_known;
    uint32_t boot_driver_flags;  /* HardwareConfig\*\BootDriverFlags; 0x14 = USB boot */
};

/* Reads the flags above (lib/rescue/togo.c). */
void wr_rescue_read_togo(struct wr_ntfs *v, struct wr_rescue_togo *out);

struct wr_rescue_part {
    uint32_t disk;
    uint32_t index;              /* into the disk's table->parts */
    const struct wr_partition *p;
    struct wr_blockdev_slice slice;
    bool esp_like;
    bool has_fat;
    struct wr_volume fat;
    struct wr_rescue_esp esp;
    struct wr_windows_info win;  /* probed on every non-FAT partition */
    struct wr_ntfs *ntfs;        /* open when readable NTFS */
    struct wr_volume ntfs_vol;
    char srt[512];               /* SrtTrail.txt summary, "" when absent */
    struct wr_rescue_togo togo;
};

struct wr_rescue_bootent {
    uint16_t num;
    bool decoded;
    struct wr_efivar_loadopt opt;
};

struct wr_rescue_model {
    struct wr_machine machine;
    const struct wr_blockdev **devs;   /* per disk */
    struct wr_rescue_part *parts;
    size_t n_parts;
    const struct wr_rescue_host *host;
    const struct wr_nvram *nvram;      /* NULL: no firmware variables known */
    bool nvram_read;
    char nvram_note[WR_ERR_MSG_MAX];
    struct wr_rescue_bootent *boot;
    size_t n_boot;
    uint16_t *boot_order;
    size_t n_order;
    char machine_id[17];               /* hex, from the internal disks' identities */
};

/* Builds the model. devs[i] are whole disks (names[i] for messages);
 * stick is the index of the stick among them or -1. Bad disks become
 * notes in the model (table_error), never failures; only out of memory
 * fails. */
wr_status wr_rescue_scan(struct wr_rescue_model *m, const struct wr_blockdev *const *devs,
                         size_t n, int stick, const struct wr_rescue_host *host,
                         const struct wr_nvram *nvram, struct wr_err *err);
void wr_rescue_model_free(struct wr_rescue_model *m);

/* Re-reads one ESP's facts (after a repair changed it). */
void wr_rescue_scan_esp(struct wr_rescue_model *m, struct wr_rescue_part *part);

/* "disk 1 part 3" */
void wr_rescue_part_name(const struct wr_rescue_model *m, const struct wr_rescue_part *p,
                         char *buf, size_t size);
const struct wr_partition_table *wr_rescue_table(const struct wr_rescue_model *m, uint32_t disk);

/* The partition a BCD device names (boot_part for `boot`), or -1. */
int wr_rescue_find_device(const struct wr_rescue_model *m, const struct wr_bcd_device *d,
                          int boot_part);
/* A BCD partition device for model partition i. */
void wr_rescue_part_device(const struct wr_rescue_model *m, size_t i, struct wr_bcd_device *out);
/* The partition an HD() node names, or -1. */
int wr_rescue_find_hd(const struct wr_rescue_model *m, const struct wr_efivar_hd *hd);
void wr_rescue_part_hd(const struct wr_rescue_model *m, size_t i, struct wr_efivar_hd *out);

/* A PE that looks like Microsoft's boot manager (its version resource
 * names Microsoft), or bytes equal to `ref`. */
bool wr_rescue_is_ms_bootmgr(const uint8_t *data, size_t len, const uint8_t *ref, size_t ref_len);

#endif
