/* The PE machine field: which architecture a Windows binary is for. */
#include "base/bytes.h"
#include "windows/windows.h"

uint16_t wr_windows_pe_machine(const uint8_t *d, size_t len)
{
    uint32_t pe;

    if (len < 0x40 || d[0] != 'M' || d[1] != 'Z')
        return 0;
    pe = wr_le32(d + 0x3C);
    if (!wr_span_ok(pe, 6, len) || memcmp(d + pe, "PE\0\0", 4) != 0)
        return 0;
    return wr_le16(d + pe + 4);
}

const char *wr_windows_arch_name(uint16_t machine)
{
    switch (machine) {
    case 0x8664: return "x64";
    case 0x014C: return "x86";
    case 0xAA64: return "ARM64";
    case 0x01C4: return "ARM";
    default: return NULL;
    }
}
