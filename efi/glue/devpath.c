#include "glue/devpath.h"

#include <efilib.h>

#include "base/bytes.h"

/* Node subtypes gnu-efi 3.0.15 does not define (UEFI 2.10 §10.3.4). */
#define DP_MSG_NVME 0x17
#define DP_MSG_UFS 0x19
#define DP_MSG_SD 0x1A
#define DP_MSG_EMMC 0x1D

#define HD_NODE_LEN 42

static BOOLEAN node_is_end(const EFI_DEVICE_PATH *n)
{
    return DevicePathType(n) == END_DEVICE_PATH_TYPE || DevicePathNodeLength(n) < 4;
}

static const EFI_DEVICE_PATH *next_node(const EFI_DEVICE_PATH *n)
{
    return (const EFI_DEVICE_PATH *)((const UINT8 *)n + DevicePathNodeLength(n));
}

/* virtio-blk shows up as a bare Pci() node; recognise it by the absence of
 * any messaging node rather than guessing from PCI ids we cannot see. */
enum wr_bus wr_devpath_bus(const EFI_DEVICE_PATH *path)
{
    enum wr_bus bus = WR_BUS_OTHER;
    BOOLEAN saw_pci = FALSE, saw_msg = FALSE;

    for (const EFI_DEVICE_PATH *n = path; n && !node_is_end(n); n = next_node(n)) {
        if (DevicePathType(n) == MEDIA_DEVICE_PATH)
            break;
        if (DevicePathType(n) == HARDWARE_DEVICE_PATH && DevicePathSubType(n) == HW_PCI_DP)
            saw_pci = TRUE;
        if (DevicePathType(n) != MESSAGING_DEVICE_PATH)
            continue;
        saw_msg = TRUE;
        switch (DevicePathSubType(n)) {
        case MSG_USB_DP:
        case MSG_USB_CLASS_DP:
        case MSG_USB_WWID_DP:
            return WR_BUS_USB;
        case DP_MSG_NVME: bus = WR_BUS_NVME; break;
        case MSG_SATA_DP:
        case MSG_ATAPI_DP: /* SATA disks in the firmware's IDE mode */
            bus = WR_BUS_SATA;
            break;
        case MSG_SCSI_DP: bus = WR_BUS_SCSI; break;
        case DP_MSG_SD: bus = WR_BUS_SD; break;
        case DP_MSG_EMMC: bus = WR_BUS_EMMC; break;
        case DP_MSG_UFS: bus = WR_BUS_UFS; break;
        default: break;
        }
    }
    if (saw_pci && !saw_msg)
        return WR_BUS_VIRTIO;
    return bus;
}

UINTN wr_devpath_disk_prefix_len(const EFI_DEVICE_PATH *path)
{
    const EFI_DEVICE_PATH *n = path;

    while (n && !node_is_end(n) && DevicePathType(n) != MEDIA_DEVICE_PATH)
        n = next_node(n);
    return (UINTN)((const UINT8 *)n - (const UINT8 *)path);
}

BOOLEAN wr_devpath_same_disk(const EFI_DEVICE_PATH *a, const EFI_DEVICE_PATH *b)
{
    UINTN la, lb;

    if (!a || !b)
        return FALSE;
    la = wr_devpath_disk_prefix_len(a);
    lb = wr_devpath_disk_prefix_len(b);
    return la == lb && la > 0 && memcmp(a, b, la) == 0;
}

static UINTN nodes_len(const EFI_DEVICE_PATH *path)
{
    const EFI_DEVICE_PATH *n = path;

    while (n && !node_is_end(n))
        n = next_node(n);
    return (UINTN)((const UINT8 *)n - (const UINT8 *)path);
}

BOOLEAN wr_devpath_starts_with(const EFI_DEVICE_PATH *path, const EFI_DEVICE_PATH *prefix)
{
    UINTN lp, lx;

    if (!path || !prefix)
        return FALSE;
    lp = nodes_len(path);
    lx = nodes_len(prefix);
    return lx > 0 && lx <= lp && memcmp(path, prefix, lx) == 0;
}

BOOLEAN wr_devpath_hd(const EFI_DEVICE_PATH *path, struct wr_devpath_hd *out)
{
    for (const EFI_DEVICE_PATH *n = path; n && !node_is_end(n); n = next_node(n)) {
        const UINT8 *b = (const UINT8 *)n;

        if (DevicePathType(n) != MEDIA_DEVICE_PATH || DevicePathSubType(n) != MEDIA_HARDDRIVE_DP
            || DevicePathNodeLength(n) < HD_NODE_LEN)
            continue;
        /* Read field by field: the node is packed and may be unaligned. */
        out->number = wr_le32(b + 4);
        out->start = wr_le64(b + 8);
        out->size = wr_le64(b + 16);
        memcpy(out->guid.b, b + 24, 16);
        out->mbr_signature = wr_le32(b + 24);
        out->gpt = b[41] == SIGNATURE_TYPE_GUID;
        return TRUE;
    }
    return FALSE;
}

static char ascii_upper(UINT16 c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c < 0x80 ? (char)c : '?';
}

BOOLEAN wr_devpath_file_is(const EFI_DEVICE_PATH *path, const char *want)
{
    UINTN k = 0;
    char last = 0;

    for (const EFI_DEVICE_PATH *n = path; n && !node_is_end(n); n = next_node(n)) {
        const UINT8 *name = (const UINT8 *)n + 4;
        UINTN len = DevicePathNodeLength(n) - 4;

        if (DevicePathType(n) != MEDIA_DEVICE_PATH || DevicePathSubType(n) != MEDIA_FILEPATH_DP)
            continue;
        for (UINTN i = 0; i + 1 < len && (name[i] | name[i + 1]); i += 2) {
            char c = ascii_upper(wr_le16(name + i));

            if (c == '\\' && last == '\\')
                continue;
            if (!want[k] || ascii_upper((UINT8)want[k]) != c)
                return FALSE;
            last = c;
            k++;
        }
    }
    return k > 0 && !want[k];
}

CHAR16 *wr_devpath_text(const EFI_DEVICE_PATH *path)
{
    EFI_DEVICE_PATH_TO_TEXT_PROTOCOL *to_text = NULL;
    CHAR16 *text = NULL;

    if (uefi_call_wrapper(BS->LocateProtocol, 3, &gEfiDevicePathToTextProtocolGuid, NULL,
                          (void **)&to_text) == EFI_SUCCESS && to_text)
        text = uefi_call_wrapper(to_text->ConvertDevicePathToText, 3, path, FALSE, TRUE);
    if (!text)
        text = DevicePathToStr((EFI_DEVICE_PATH *)path);
    return text;
}
