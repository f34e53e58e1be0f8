/* A new, empty hive: base block, one bin with the root key, its security
 * descriptor and one free cell (what `bcdedit /createstore` leaves, minus
 * the BCD keys). */
#include "regf/alloc.h"
#include "regf/name.h"

/* Self-relative descriptor: owner Administrators, group SYSTEM, DACL
 * allowing KEY_ALL_ACCESS to SYSTEM and Administrators, inherited by
 * subkeys. */
static const uint8_t default_sd[] = {
    0x01, 0x00, 0x04, 0x80,             /* revision 1, SELF_RELATIVE | DACL_PRESENT */
    0x48, 0x00, 0x00, 0x00,             /* owner at 72 */
    0x58, 0x00, 0x00, 0x00,             /* group at 88 */
    0x00, 0x00, 0x00, 0x00,             /* no SACL */
    0x14, 0x00, 0x00, 0x00,             /* DACL at 20 */
    /* ACL: revision 2, size 52, 2 ACEs */
    0x02, 0x00, 0x34, 0x00, 0x02, 0x00, 0x00, 0x00,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, size 20, KEY_ALL_ACCESS, S-1-5-18 */
    0x00, 0x02, 0x14, 0x00, 0x3F, 0x00, 0x0F, 0x00,
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, size 24, KEY_ALL_ACCESS, S-1-5-32-544 */
    0x00, 0x02, 0x18, 0x00, 0x3F, 0x00, 0x0F, 0x00,
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
    /* owner S-1-5-32-544 */
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
    /* group S-1-5-18 */
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00,
};

static void write_base_block(uint8_t *bb, uint32_t minor, uint32_t root)
{
    memcpy(bb, "regf", 4);
    wr_put_le32(bb + WR_REGF_BB_MAJOR, 1);
    wr_put_le32(bb + WR_REGF_BB_MINOR, minor);
    wr_put_le32(bb + WR_REGF_BB_TYPE, WR_REGF_TYPE_PRIMARY);
    wr_put_le32(bb + WR_REGF_BB_FORMAT, 1);
    wr_put_le32(bb + WR_REGF_BB_ROOT, root);
    wr_put_le32(bb + WR_REGF_BB_BINS_SIZE, WR_REGF_BIN_ALIGN);
    wr_put_le32(bb + WR_REGF_BB_CLUSTER, 1);
    wr_regf_bb_set_seq(bb, 1, 1);
}

/* Cell at bins offset pos with `payload` bytes; returns its record. */
static uint8_t *put_cell(uint8_t *bins, uint32_t pos, uint32_t payload, uint32_t *next)
{
    uint32_t size = (payload + 4 + 7) & ~7u;

    wr_put_le32(bins + pos, (uint32_t)-(int32_t)size);
    *next = pos + size;
    return bins + pos + 4;
}

wr_status wr_regf_create(const char *root_name, uint32_t minor, struct wr_regf_hive **out,
                         struct wr_err *err)
{
    struct regf_owned_name nm;
    uint8_t *img;
    uint32_t root = 0x20, sk, end;
    wr_status st;

    if (minor != 3 && minor != 5)
        return wr_fail(err, WR_E_INVALID, "new hives are version 1.3 or 1.5, not 1.%u", minor);
    st = wr_regf_name_from_utf8(root_name, REGF_MAX_KEY_NAME, true, &nm, err);
    if (st != WR_OK)
        return st;
    img = wr_alloc(REGF_BINS + WR_REGF_BIN_ALIGN);
    if (!img) {
        wr_regf_owned_name_free(&nm);
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory creating a hive");
    }
    uint8_t *bins = img + REGF_BINS;
    memcpy(bins, "hbin", 4);
    wr_put_le32(bins + 8, WR_REGF_BIN_ALIGN);
    uint8_t *nk = put_cell(bins, root, REGF_NK_HEADER + nm.stored_len, &sk);
    uint8_t *skp = put_cell(bins, sk, REGF_SK_HEADER + sizeof default_sd, &end);
    wr_put_le32(bins + end, WR_REGF_BIN_ALIGN - end);
    nk[0] = 'n';
    nk[1] = 'k';
    wr_put_le16(nk + NK_FLAGS, REGF_KEY_HIVE_ENTRY | REGF_KEY_NO_DELETE |
                                   (nm.compressed ? REGF_KEY_COMP_NAME : 0));
    wr_put_le32(nk + NK_PARENT, WR_REGF_NIL);
    wr_put_le32(nk + NK_LIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_VLIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_VALUE_LIST, WR_REGF_NIL);
    wr_put_le32(nk + NK_SK, sk);
    wr_put_le32(nk + NK_CLASS, WR_REGF_NIL);
    wr_put_le16(nk + NK_NAME_LEN, (uint16_t)nm.stored_len);
    memcpy(nk + REGF_NK_HEADER, nm.stored, nm.stored_len);
    skp[0] = 's';
    skp[1] = 'k';
    wr_put_le32(skp + SK_FLINK, sk);
    wr_put_le32(skp + SK_BLINK, sk);
    wr_put_le32(skp + SK_REFS, 1);
    wr_put_le32(skp + SK_LEN, sizeof default_sd);
    memcpy(skp + REGF_SK_HEADER, default_sd, sizeof default_sd);
    write_base_block(img, minor, root);
    wr_regf_owned_name_free(&nm);
    struct wr_regf_open_opts opts = { .name = "new hive" };
    st = wr_regf_open(img, REGF_BINS + WR_REGF_BIN_ALIGN, &opts, out, err);
    wr_free(img);
    if (st == WR_OK)
        wr_regf_mark(*out, 0, (*out)->len);
    return st;
}
