/* EFI_LOAD_OPTION (Boot####) encode/decode (uefi.md §4.1), the device-path
 * nodes a boot entry for a disk file needs (HD() + File() + End), and the
 * "Windows Boot Manager" entry in Windows' own format (uefi.md §4.4,
 * bcd.md §6.6). Pure bytes: no variable access here (see nvram.h). */
#ifndef WR_EFIVAR_LOADOPT_H
#define WR_EFIVAR_LOADOPT_H

#include "base/guid.h"
#include "base/status.h"

#define WR_EFIVAR_LOAD_OPTION_ACTIVE 0x1u
#define WR_EFIVAR_DESC_MAX 128
#define WR_EFIVAR_PATH_MAX 256

enum { WR_EFIVAR_HD_MBR = 1, WR_EFIVAR_HD_GPT = 2 };

/* The HD() media device path node: which partition holds the file. */
struct wr_efivar_hd {
    uint32_t part_number;
    uint64_t start_lba, size_lba;
    uint8_t format;             /* WR_EFIVAR_HD_MBR or _GPT */
    struct wr_guid part_guid;   /* GPT */
    uint32_t mbr_signature;     /* MBR */
};

struct wr_efivar_loadopt {
    uint32_t attributes;
    char description[WR_EFIVAR_DESC_MAX]; /* UTF-8 */
    bool has_hd;                /* the first path has an HD() node */
    struct wr_efivar_hd hd;
    char path[WR_EFIVAR_PATH_MAX]; /* the File() node, "" when none */
    uint8_t *optional;          /* owned; NULL when empty */
    size_t optional_len;
};

/* Decodes a Boot#### value. Device paths we do not model (PciRoot, USB, a
 * firmware volume) are fine: has_hd and path stay empty. Lengths that do
 * not fit are WR_E_CORRUPT naming the field. */
wr_status wr_efivar_loadopt_decode(const uint8_t *data, size_t len,
                                   struct wr_efivar_loadopt *out, struct wr_err *err);
/* HD(hd)/File(path)/End as the device path (short form, what bcdboot
 * writes); new allocation in *data. */
wr_status wr_efivar_loadopt_encode(const struct wr_efivar_loadopt *o, uint8_t **data,
                                   size_t *len, struct wr_err *err);
void wr_efivar_loadopt_clear(struct wr_efivar_loadopt *o);

#define WR_EFIVAR_BOOTMGFW_PATH "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define WR_EFIVAR_WINDOWS_DESC "Windows Boot Manager"
#define WR_EFIVAR_WINDOWS_OPTDATA_LEN 136

/* The 136 bytes Windows puts after its entry: WINDOWS\0, 1, 0x88, 0x78,
 * BCDOBJECT={bootmgr GUID}, then an empty EFI-path descriptor. */
void wr_efivar_windows_optional_data(uint8_t out[WR_EFIVAR_WINDOWS_OPTDATA_LEN]);

/* A complete Windows Boot Manager entry for bootmgfw.efi on partition hd. */
wr_status wr_efivar_windows_entry(const struct wr_efivar_hd *hd, struct wr_efivar_loadopt *out,
                                  struct wr_err *err);

/* Case-insensitive compare of File() paths ('/' and '\' alike). */
bool wr_efivar_path_eq(const char *a, const char *b);
/* The entry starts Windows Boot Manager (its path is bootmgfw.efi). */
bool wr_efivar_is_windows_bootmgr(const struct wr_efivar_loadopt *o);

#endif
