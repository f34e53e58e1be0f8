/* The SMBIOS system UUID (type 1, offset 8): what IT tools know a PC by,
 * so the unattended report of each machine lands in a file of its own.
 * SMBIOS 3 (64-bit entry point) first, then the 2.x table. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "engine.h"

static EFI_GUID smbios3_guid = { 0xf2fd1544, 0x9794, 0x4a2c,
                                 { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 } };
static EFI_GUID smbios2_guid = { 0xeb9d2d31, 0x2d88, 0x11d3,
                                 { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };

static void *config_table(EFI_GUID *g)
{
    for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
        if (!CompareMem(&ST->ConfigurationTable[i].VendorGuid, g, sizeof *g))
            return ST->ConfigurationTable[i].VendorTable;
    return NULL;
}

/* Walks the structures for type 1; FALSE when absent or malformed. */
static BOOLEAN find_uuid(const UINT8 *p, UINTN len, UINT8 uuid[16])
{
    const UINT8 *end = p + len;

    while (p + 4 <= end) {
        UINT8 type = p[0], hlen = p[1];
        const UINT8 *s;

        if (hlen < 4 || p + hlen > end || type == 127)
            return FALSE;
        if (type == 1 && hlen >= 24) {
            CopyMem(uuid, p + 8, 16);
            return TRUE;
        }
        for (s = p + hlen; s + 1 < end && (s[0] || s[1]); s++)
            ;
        p = s + 2;
    }
    return FALSE;
}

void app_smbios_uuid(char out[40])
{
    const UINT8 *ep = config_table(&smbios3_guid);
    UINT8 u[16];
    BOOLEAN ok = FALSE;
    struct wr_guid g;

    out[0] = '\0';
    if (ep && !CompareMem(ep, "_SM3_", 5))
        ok = find_uuid((const UINT8 *)(UINTN)*(const UINT64 *)(ep + 0x10),
                       *(const UINT32 *)(ep + 0x0c), u);
    ep = ok ? NULL : config_table(&smbios2_guid);
    if (ep && !CompareMem(ep, "_SM_", 4))
        ok = find_uuid((const UINT8 *)(UINTN)*(const UINT32 *)(ep + 0x18),
                       *(const UINT16 *)(ep + 0x16), u);
    if (!ok)
        return;
    /* SMBIOS 2.6+ stores the first three fields little-endian, as a GUID. */
    CopyMem(g.b, u, 16);
    wr_guid_format(&g, out, FALSE);
}
