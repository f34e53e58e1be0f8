/* The few gnu-efi library functions and data the app uses, small (issue 7:
 * the app fits in 256 KiB).
 *
 * libefi.a is built without -ffunction-sections, so one call pulls whole
 * members, and they pull each other: InitializeLib -> GUID text -> Print
 * machinery, FreePool -> DevicePathFromHandle -> the device path renderer.
 * That is ~27 KiB for a dozen small functions. These definitions are weak:
 * the linker then has no reason to take anything from libefi.a, and if a
 * future use of another gnu-efi function pulls a libefi member that also
 * defines one of them, the library's (strong) definition wins — the app
 * grows but still links and behaves the same. Semantics follow gnu-efi
 * 3.0.15's lib/ (init.c, misc.c, str.c, dpath.c, data.c).
 *
 * A GUID the app starts to use that is not listed here comes from libefi's
 * data.o (a few KiB more; add it here to win them back). */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "glue/x86_string.h"

#define WEAK __attribute__((weak))
/* Keeps gcc from turning the byte loops below into calls to themselves. */
#define WEAK_MEM __attribute__((weak, optimize("no-tree-loop-distribute-patterns")))

WEAK EFI_SYSTEM_TABLE *ST;
WEAK EFI_BOOT_SERVICES *BS;
WEAK EFI_RUNTIME_SERVICES *RT;

WEAK EFI_GUID gEfiBlockIoProtocolGuid = EFI_BLOCK_IO_PROTOCOL_GUID;
WEAK EFI_GUID gEfiDevicePathProtocolGuid = EFI_DEVICE_PATH_PROTOCOL_GUID;
WEAK EFI_GUID gEfiDevicePathToTextProtocolGuid = EFI_DEVICE_PATH_TO_TEXT_PROTOCOL_GUID;
WEAK EFI_GUID gEfiFileInfoGuid = EFI_FILE_INFO_ID;
WEAK EFI_GUID gEfiFileSystemInfoGuid = EFI_FILE_SYSTEM_INFO_ID;
WEAK EFI_GUID gEfiGlobalVariableGuid = EFI_GLOBAL_VARIABLE;
WEAK EFI_GUID gEfiLoadedImageProtocolGuid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
WEAK EFI_GUID gEfiPciIoProtocolGuid = EFI_PCI_IO_PROTOCOL_GUID;
WEAK EFI_GUID gEfiPciRootBridgeIoProtocolGuid = EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL_GUID;
WEAK EFI_GUID gEfiPxeBaseCodeProtocolGuid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;
WEAK EFI_GUID gEfiSimpleFileSystemProtocolGuid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

/* gnu-efi's also looks up the Unicode collation protocol and the EFIDebug
 * variable, which only its own string and debug functions use. */
WEAK VOID InitializeLib(EFI_HANDLE ImageHandle, EFI_SYSTEM_TABLE *SystemTable)
{
    (void)ImageHandle;
    ST = SystemTable;
    BS = SystemTable->BootServices;
    RT = SystemTable->RuntimeServices;
}

WEAK_MEM void *memset(void *s, int c, __SIZE_TYPE__ n)
{
    x86_fill(s, c, n);
    return s;
}

WEAK_MEM void *memcpy(void *dest, const void *src, __SIZE_TYPE__ n)
{
    x86_copy_up(dest, src, n);
    return dest;
}

/* gnu-efi's CopyMem copies overlapping buffers correctly (memmove). */
WEAK_MEM VOID CopyMem(VOID *Dest, CONST VOID *Src, UINTN len)
{
    UINT8 *d = Dest;
    const UINT8 *s = Src;

    if (d > s && d < s + len)
        x86_copy_down(d, s, len);
    else
        x86_copy_up(d, s, len);
}

WEAK INTN CompareMem(CONST VOID *Dest, CONST VOID *Src, UINTN len)
{
    const UINT8 *a = Dest, *b = Src;

    for (; len; len--, a++, b++)
        if (*a != *b)
            return (INTN)*a - (INTN)*b;
    return 0;
}

WEAK UINTN StrLen(CONST CHAR16 *s1)
{
    UINTN n = 0;

    while (s1[n])
        n++;
    return n;
}

WEAK VOID StrCpy(CHAR16 *Dest, CONST CHAR16 *Src)
{
    while ((*Dest++ = *Src++) != 0)
        ;
}

/* gnu-efi allocates boot-services data (its PoolAllocationType). */
WEAK VOID *AllocatePool(UINTN Size)
{
    VOID *p = NULL;

    if (uefi_call_wrapper(BS->AllocatePool, 3, EfiBootServicesData, Size, &p) != EFI_SUCCESS)
        return NULL;
    return p;
}

WEAK VOID FreePool(VOID *p)
{
    uefi_call_wrapper(BS->FreePool, 1, p);
}

static UINTN path_len(const EFI_DEVICE_PATH *path)
{
    const UINT8 *p = (const UINT8 *)path;
    UINTN n = 0;

    while (DevicePathType((EFI_DEVICE_PATH *)(p + n)) != END_DEVICE_PATH_TYPE
           && DevicePathNodeLength((EFI_DEVICE_PATH *)(p + n)) >= 4)
        n += DevicePathNodeLength((EFI_DEVICE_PATH *)(p + n));
    return n;
}

/* The device's path + a file path node + the end node; only the file node
 * when the device has no path (as gnu-efi's does). */
WEAK EFI_DEVICE_PATH *FileDevicePath(EFI_HANDLE Device, CHAR16 *FileName)
{
    EFI_DEVICE_PATH *dev = NULL;
    UINTN dev_len = 0, name_size = (StrLen(FileName) + 1) * sizeof(CHAR16);
    UINTN node_len = 4 + name_size;
    UINT8 *out;

    if (Device && uefi_call_wrapper(BS->HandleProtocol, 3, Device, &gEfiDevicePathProtocolGuid,
                                    (VOID **)&dev) == EFI_SUCCESS && dev)
        dev_len = path_len(dev);
    out = AllocatePool(dev_len + node_len + 4);
    if (!out)
        return NULL;
    CopyMem(out, dev, dev_len);
    out[dev_len] = MEDIA_DEVICE_PATH;
    out[dev_len + 1] = MEDIA_FILEPATH_DP;
    SetDevicePathNodeLength((EFI_DEVICE_PATH *)(out + dev_len), node_len);
    CopyMem(out + dev_len + 4, FileName, name_size);
    SetDevicePathEndNode((EFI_DEVICE_PATH *)(out + dev_len + node_len));
    return (EFI_DEVICE_PATH *)out;
}

/* One node as text: a file path as itself, anything else as
 * Path(type,subtype). Writes when out is set; returns the length. */
static UINTN node_text(const EFI_DEVICE_PATH *n, CHAR16 *out)
{
    UINTN len = DevicePathNodeLength((EFI_DEVICE_PATH *)n), k = 0;

    if (DevicePathType(n) == MEDIA_DEVICE_PATH && DevicePathSubType(n) == MEDIA_FILEPATH_DP) {
        const UINT8 *name = (const UINT8 *)n + 4;

        for (UINTN i = 0; i + 1 < len - 4 && (name[i] | name[i + 1]); i += 2, k++)
            if (out)
                out[k] = (CHAR16)(name[i] | name[i + 1] << 8);
        return k;
    }
    char buf[24];
    size_t m = wr_format(buf, sizeof buf, "Path(%u,%u)", (unsigned)DevicePathType(n),
                         (unsigned)DevicePathSubType(n));
    for (; k < m; k++)
        if (out)
            out[k] = (CHAR16)buf[k];
    return k;
}

/* Only reached on firmware without the DevicePathToText protocol
 * (wr_devpath_text asks for that first): nodes joined with '/'. gnu-efi's
 * full renderer and the Print code under it are most of the 27 KiB. */
WEAK CHAR16 *DevicePathToStr(EFI_DEVICE_PATH *DevPath)
{
    const UINT8 *p = (const UINT8 *)DevPath;
    UINTN total = path_len(DevPath), chars = 0;
    CHAR16 *text;

    for (UINTN o = 0; o < total; o += DevicePathNodeLength((EFI_DEVICE_PATH *)(p + o)))
        chars += (o ? 1 : 0) + node_text((const EFI_DEVICE_PATH *)(p + o), NULL);
    text = AllocatePool((chars + 1) * sizeof(CHAR16));
    if (!text)
        return NULL;
    chars = 0;
    for (UINTN o = 0; o < total; o += DevicePathNodeLength((EFI_DEVICE_PATH *)(p + o))) {
        if (o)
            text[chars++] = L'/';
        chars += node_text((const EFI_DEVICE_PATH *)(p + o), text + chars);
    }
    text[chars] = 0;
    return text;
}
