/* Well-formedness of a self-relative SECURITY_DESCRIPTOR, the payload of an
 * sk record (regf-format.md §8): Windows refuses hives whose descriptors are
 * not valid, so the validator checks the same structure. */
#include "regf/validate.h"

#define SE_SELF_RELATIVE 0x8000u

static bool sid_valid(const uint8_t *sd, uint32_t len, uint32_t off)
{
    if (off == 0)
        return true;
    if (off < 20 || off > len || len - off < 8 || sd[off] != 1)
        return false;
    uint32_t subs = sd[off + 1];
    return subs <= 15 && 8 + 4 * subs <= len - off;
}

static bool acl_valid(const uint8_t *sd, uint32_t len, uint32_t off)
{
    if (off == 0)
        return true;
    if (off < 20 || off > len || len - off < 8)
        return false;
    const uint8_t *acl = sd + off;
    uint32_t size = wr_le16(acl + 2), count = wr_le16(acl + 4);
    if (acl[0] < 2 || acl[0] > 4 || size < 8 || size > len - off)
        return false;
    uint32_t pos = 8;
    for (uint32_t i = 0; i < count; i++) {
        if (size - pos < 4)
            return false;
        uint32_t ace = wr_le16(acl + pos + 2);
        if (ace < 4 || ace > size - pos)
            return false;
        pos += ace;
    }
    return true;
}

bool wr_regf_sd_valid(const uint8_t *sd, uint32_t len)
{
    if (len < 20 || sd[0] != 1)
        return false;
    if (!(wr_le16(sd + 2) & SE_SELF_RELATIVE))
        return false;
    return sid_valid(sd, len, wr_le32(sd + 4)) && sid_valid(sd, len, wr_le32(sd + 8)) &&
           acl_valid(sd, len, wr_le32(sd + 12)) && acl_valid(sd, len, wr_le32(sd + 16));
}
