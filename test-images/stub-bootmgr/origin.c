/* Which partition was this image loaded from: the HD() media node of the
 * device path on LoadedImage->DeviceHandle (uefi.md 2.3, 2.7). */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "base/guid.h"
#include "stub.h"

/* Byte offsets inside an HD node; read by hand because the node sits
 * unaligned in the path and gnu-efi's struct is not packed. */
enum { HD_NUMBER = 4, HD_START = 8, HD_SIGNATURE = 24, HD_MBR_TYPE = 40, HD_SIG_TYPE = 41,
       HD_LEN = 42 };

static UINT64 get_le(const UINT8 *p, int n)
{
    UINT64 v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

static const UINT8 *find_hd_node(EFI_DEVICE_PATH *dp)
{
    const UINT8 *node = (const UINT8 *)dp;

    for (int guard = 0; guard < 64; guard++) {
        UINTN len = (UINTN)get_le(node + 2, 2);

        if (node[0] == END_DEVICE_PATH_TYPE || len < 4)
            return NULL;
        if (node[0] == MEDIA_DEVICE_PATH && node[1] == MEDIA_HARDDRIVE_DP && len >= HD_LEN)
            return node;
        node += len;
    }
    return NULL;
}

static BOOLEAN describe_hd(const UINT8 *hd, char *text, UINTN size)
{
    UINT32 number = (UINT32)get_le(hd + HD_NUMBER, 4);
    UINT64 start = get_le(hd + HD_START, 8);
    char guid[WR_GUID_TEXT_LEN + 1];

    if (hd[HD_MBR_TYPE] == MBR_TYPE_EFI_PARTITION_TABLE_HEADER
            && hd[HD_SIG_TYPE] == SIGNATURE_TYPE_GUID) {
        struct wr_guid g;

        memcpy(g.b, hd + HD_SIGNATURE, 16);
        wr_guid_format(&g, guid, false);
        wr_format(text, size, "GPT partition %s (partition %u)", guid, (unsigned)number);
        return TRUE;
    }
    if (hd[HD_MBR_TYPE] == MBR_TYPE_PCAT && hd[HD_SIG_TYPE] == SIGNATURE_TYPE_MBR) {
        /* The brief fixes 512-byte units for MBR offsets. */
        wr_format(text, size, "MBR disk %08x offset %llu",
                  (unsigned)get_le(hd + HD_SIGNATURE, 4), (unsigned long long)(start * 512));
        return TRUE;
    }
    wr_format(text, size, "unknown HD node (mbr type %u, signature type %u)",
              hd[HD_MBR_TYPE], hd[HD_SIG_TYPE]);
    return FALSE;
}

BOOLEAN stub_origin(EFI_HANDLE image, char *text, UINTN size)
{
    EFI_LOADED_IMAGE *li = NULL;
    EFI_DEVICE_PATH *dp = NULL;
    const UINT8 *hd;

    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li)
            != EFI_SUCCESS || !li) {
        wr_format(text, size, "unknown device (no LoadedImage)");
        return FALSE;
    }
    if (uefi_call_wrapper(BS->HandleProtocol, 3, li->DeviceHandle, &DevicePathProtocol,
                          (void **)&dp) != EFI_SUCCESS || !dp) {
        wr_format(text, size, "unknown device (no device path)");
        return FALSE;
    }
    hd = find_hd_node(dp);
    if (!hd) {
        wr_format(text, size, "unknown device (no HD node)");
        return FALSE;
    }
    return describe_hd(hd, text, size);
}

/* The File() media node of LoadedImage->FilePath, as ASCII. */
void stub_file(EFI_HANDLE image, char *text, UINTN size)
{
    EFI_LOADED_IMAGE *li = NULL;
    const UINT8 *node;
    UINTN n = 0;

    wr_format(text, size, "unknown (no file path)");
    if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li)
            != EFI_SUCCESS || !li || !li->FilePath)
        return;
    node = (const UINT8 *)li->FilePath;
    for (int guard = 0; guard < 64; guard++) {
        UINTN len = (UINTN)get_le(node + 2, 2);

        if (node[0] == END_DEVICE_PATH_TYPE || len < 4)
            break;
        if (node[0] == MEDIA_DEVICE_PATH && node[1] == MEDIA_FILEPATH_DP) {
            /* UTF-16LE; the name may be split over several nodes */
            for (UINTN i = 4; i + 1 < len && n + 1 < size; i += 2) {
                UINT16 c = (UINT16)get_le(node + i, 2);
                if (!c)
                    break;
                if (n > 0 && c == '\\' && text[n - 1] == '\\')
                    continue;
                text[n++] = c < 0x80 ? (char)c : '?';
            }
        }
        node += len;
    }
    if (n)
        text[n] = 0;
}
