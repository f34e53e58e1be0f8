/* EFI_LOAD_OPTION codec, the Windows Boot Manager entry, BootOrder
 * helpers over the memory nvram, and hostile load options. */
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "check.h"
#include "efivar/nvram.h"

static void windows_entry_layout(void)
{
    struct wr_efivar_hd hd = { .part_number = 2, .start_lba = 0xfa000, .size_lba = 0x32000,
                               .format = WR_EFIVAR_HD_GPT };
    struct wr_efivar_loadopt o, back;
    struct wr_err err = { 0 };
    uint8_t *data;
    size_t len;
    static const char desc[] = "Windows Boot Manager";

    CHECK_OK(wr_guid_parse("4057d15c-0001-4000-8000-000000000001", &hd.part_guid, &err), &err);
    CHECK_OK(wr_efivar_windows_entry(&hd, &o, &err), &err);
    CHECK_OK(wr_efivar_loadopt_encode(&o, &data, &len, &err), &err);
    CHECK_INT(wr_le32(data), 1);
    for (size_t i = 0; i < sizeof desc - 1; i++)
        CHECK_INT(data[6 + 2 * i], desc[i]);
    /* description (21 units) + HD(42) + File(4 + 2*33) + End(4) + 136 */
    CHECK_INT(wr_le16(data + 4), 42 + 4 + 2 * 33 + 4);
    CHECK_INT(len, 6 + 42 + 116 + 136);
    /* the optional data as Windows writes it (uefi.md §4.4) */
    CHECK(!memcmp(data + len - 136, "WINDOWS\0", 8));
    CHECK_INT(wr_le32(data + len - 136 + 12), 0x88);
    CHECK_INT(wr_le32(data + len - 136 + 16), 0x78);
    CHECK_INT(data[len - 136 + 20], 'B');
    CHECK_OK(wr_efivar_loadopt_decode(data, len, &back, &err), &err);
    CHECK_STR(back.description, desc);
    CHECK_STR(back.path, WR_EFIVAR_BOOTMGFW_PATH);
    CHECK(back.has_hd && back.hd.part_number == 2 && back.hd.start_lba == 0xfa000);
    CHECK(wr_guid_equal(&back.hd.part_guid, &hd.part_guid));
    CHECK_INT(back.optional_len, 136);
    CHECK(wr_efivar_is_windows_bootmgr(&back));
    wr_efivar_loadopt_clear(&back);
    wr_efivar_loadopt_clear(&o);
    free(data);
}

static void hostile_options(void)
{
    struct wr_efivar_loadopt o;
    struct wr_err err = { 0 };
    uint8_t b[64] = { 1, 0, 0, 0, 0xff, 0xff, 'A', 0, 0, 0 };

    CHECK_INT(wr_efivar_loadopt_decode(b, 3, &o, &err), WR_E_CORRUPT);
    /* device path length past the end */
    CHECK_INT(wr_efivar_loadopt_decode(b, 16, &o, &err), WR_E_CORRUPT);
    /* description without a terminator */
    memset(b + 6, 'A', sizeof b - 6);
    CHECK_INT(wr_efivar_loadopt_decode(b, sizeof b, &o, &err), WR_E_CORRUPT);
    /* a node of length 2 (would loop forever) */
    memset(b, 0, sizeof b);
    b[4] = 8;
    b[8] = 4;
    b[9] = 1;
    b[10] = 2;
    CHECK_INT(wr_efivar_loadopt_decode(b, 16, &o, &err), WR_E_CORRUPT);
    for (size_t cut = 0; cut < 40; cut++) {
        uint8_t *data;
        size_t len;
        struct wr_efivar_hd hd = { .format = WR_EFIVAR_HD_MBR, .mbr_signature = 0x1234 };
        struct wr_efivar_loadopt w;
        CHECK_OK(wr_efivar_windows_entry(&hd, &w, &err), &err);
        CHECK_OK(wr_efivar_loadopt_encode(&w, &data, &len, &err), &err);
        /* every truncation inside the header and paths is refused, not read past */
        if (wr_efivar_loadopt_decode(data, 6 + 42 + cut, &o, &err) == WR_OK)
            wr_efivar_loadopt_clear(&o);
        wr_efivar_loadopt_clear(&w);
        free(data);
    }
}

static void boot_order_helpers(void)
{
    struct wr_memnvram *mn;
    struct wr_nvram nv;
    struct wr_err err = { 0 };
    uint16_t *order, num, want[] = { 3, 1 };
    size_t n;
    uint8_t x = 0;

    CHECK_OK(wr_memnvram_new(&mn, &err), &err);
    wr_memnvram_nvram(mn, &nv);
    CHECK_OK(wr_efivar_boot_order_get(&nv, &order, &n, &err), &err);
    CHECK_INT(n, 0);
    free(order);
    CHECK_OK(wr_efivar_boot_order_set(&nv, want, 2, &err), &err);
    CHECK_OK(wr_efivar_boot_order_get(&nv, &order, &n, &err), &err);
    CHECK(n == 2 && order[0] == 3 && order[1] == 1);
    free(order);
    CHECK_OK(wr_nvram_set(&nv, "Boot0000", &wr_efivar_global_guid, 7, &x, 1, &err), &err);
    CHECK_OK(wr_efivar_free_boot_number(&nv, &num, &err), &err);
    CHECK_INT(num, 1);
    CHECK(wr_efivar_parse_boot_name("Boot00AF", &num) && num == 0xaf);
    CHECK(!wr_efivar_parse_boot_name("BootOrder", &num));
    /* the fault injector: the second write fails */
    wr_memnvram_cut_after(mn, 1);
    CHECK_OK(wr_nvram_set(&nv, "Boot0001", &wr_efivar_global_guid, 7, &x, 1, &err), &err);
    CHECK_INT(wr_nvram_set(&nv, "Boot0002", &wr_efivar_global_guid, 7, &x, 1, &err), WR_E_IO);
    wr_memnvram_free(mn);
}

int main(void)
{
    RUN(windows_entry_layout);
    RUN(hostile_options);
    RUN(boot_order_helpers);
    return check_done();
}
