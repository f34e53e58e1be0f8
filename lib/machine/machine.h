/* The model of the machine the app runs on: its disks, their partition
 * tables, what each partition holds and where Windows boot managers live.
 * The firmware glue fills it in once after the scan; everything the menu and
 * the Disks screen show is computed from it, so both are host-testable. */
#ifndef WR_MACHINE_MACHINE_H
#define WR_MACHINE_MACHINE_H

#include "base/fmt.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"

enum wr_bus {
    WR_BUS_OTHER,
    WR_BUS_USB,
    WR_BUS_NVME,
    WR_BUS_SATA,
    WR_BUS_SCSI,
    WR_BUS_VIRTIO,
    WR_BUS_SD,
    WR_BUS_EMMC,
    WR_BUS_UFS,
};

/* What we learned about one partition, parallel to table->parts[]. */
struct wr_machine_part {
    struct wr_fs_info fs;
    bool fs_probed;        /* false when the probe read failed */
    bool mounted;          /* the firmware gave it a SimpleFileSystem */
    bool esp_checked;      /* we looked for the Windows boot manager */
    bool has_bootmgfw;     /* \EFI\Microsoft\Boot\bootmgfw.efi */
    bool has_bcd;          /* \EFI\Microsoft\Boot\BCD */
    void *handle;          /* the firmware's partition handle, opaque here */
};

#define WR_MACHINE_ERROR_MAX 160

struct wr_machine_disk {
    uint32_t index;        /* position in wr_machine.disks, shown as "disk <i>" */
    enum wr_bus bus;
    bool removable;        /* the medium says so; not "is a USB stick" */
    bool is_stick;         /* the disk the app was loaded from */
    uint32_t sector_size;
    uint64_t sector_count;
    /* NULL until a table was read; kind WR_TABLE_NONE for a blank disk. */
    struct wr_partition_table *table;
    struct wr_machine_part *parts; /* table->count entries */
    char table_error[WR_MACHINE_ERROR_MAX]; /* why table is NULL, or "" */
    void *handle;          /* the firmware's whole-disk handle */
    uint32_t media_id;     /* the firmware's MediaId when scanned (a new medium, a new id) */
};

#define WR_MACHINE_MAX_DISKS 64

struct wr_machine {
    uint32_t disk_count;
    struct wr_machine_disk *disks; /* disk_count entries */
};

/* "USB", "NVMe", "SATA", "SCSI", "virtio", "SD", "eMMC", "UFS", "other". */
const char *wr_machine_bus_name(enum wr_bus bus);

/* Internal = fixed storage of this PC: not the stick, not on USB. */
bool wr_machine_disk_is_internal(const struct wr_machine_disk *d);

/* Appends a zeroed disk with its index set; *out points into m->disks and
 * stays valid until the next add. */
wr_status wr_machine_add_disk(struct wr_machine *m, struct wr_machine_disk **out,
                              struct wr_err *err);

/* Hands a table (allocated with wr_alloc) to the disk, which then owns it,
 * and allocates the per-partition facts. */
wr_status wr_machine_disk_set_table(struct wr_machine_disk *d,
                                    struct wr_partition_table *table,
                                    struct wr_err *err);

/* Moves the stick to the front so it is disk 0, keeping the order of the
 * others, and renumbers. */
void wr_machine_stick_first(struct wr_machine *m);

void wr_machine_free(struct wr_machine *m);

/* "128 MiB", "1.5 GiB", "931 GiB": binary units, at most one decimal. */
void wr_machine_size_text(uint64_t bytes, char *buf, size_t size);

uint64_t wr_machine_disk_bytes(const struct wr_machine_disk *d);

/* "NVMe disk 1, 128 MiB" */
void wr_machine_disk_describe(const struct wr_machine_disk *d, char *buf, size_t size);

/* "GPT", "MBR", "no table" (also when the table could not be read). */
const char *wr_machine_table_name(const struct wr_machine_disk *d);

/* The line printed after the scan:
 * "disk 1: NVMe 128 MiB GPT" or "disk 0: USB 256 MiB GPT (this stick)". */
void wr_machine_disk_line(const struct wr_machine_disk *d, char *buf, size_t size);

/* A partition that may be an ESP in the firmware's eyes: the ESP type, or
 * on an MBR disk any FAT partition the firmware mounted. */
bool wr_machine_part_is_esp_like(const struct wr_machine_disk *d, uint32_t i);

/* Partitions whose \EFI\Microsoft\Boot\bootmgfw.efi we found. */
uint32_t wr_machine_bootmgr_count(const struct wr_machine *m);

/* The Disks screen: per disk "Disk <i>  <bus>  <size>  <GPT|MBR>", then per
 * partition "  Part <n>  <type>  <fs>  <size>" and its identity. Appends to
 * t; t->failed tells of an allocation failure. */
void wr_machine_disks_text(const struct wr_machine *m, struct wr_text *t);

#endif
