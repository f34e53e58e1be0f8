/* The bcd.md §9.1 table: which writes warn, and which BitLocker validates. */
#include <string.h>

#include "check.h"
#include "bcd/ids.h"
#include "bcd/security.h"

static bool risky(uint32_t code, uint32_t type, uint64_t value, bool *bl, const char *needle)
{
    struct wr_bcd_risk r;

    if (!wr_bcd_security_risk(code, type, value, &r))
        return false;
    if (bl)
        *bl = r.bitlocker_checked;
    return !needle || strstr(r.risk, needle) != NULL;
}

static void dangerous_values_warn(void)
{
    bool bl = false;

    CHECK(risky(0x25000020, WR_BCD_TYPE_OSLOADER, 2, &bl, "DEP off"));
    CHECK(bl);
    CHECK(!risky(0x25000020, WR_BCD_TYPE_OSLOADER, 0, NULL, NULL));   /* nx OptIn */
    CHECK(risky(0x250000f0, WR_BCD_TYPE_OSLOADER, 0, NULL, "hypervisor off"));
    CHECK(!risky(0x250000f0, WR_BCD_TYPE_OSLOADER, 1, NULL, NULL));   /* Auto */
    CHECK(risky(0x16000049, WR_BCD_TYPE_OSLOADER, 1, &bl, "test signing"));
    CHECK(bl);
    CHECK(!risky(0x16000049, WR_BCD_TYPE_OSLOADER, 0, NULL, NULL));
    CHECK(risky(0x15000007, WR_BCD_TYPE_BOOTMGR, 0x10000000, &bl, "Baton Drop"));
    CHECK(!bl);
    CHECK(risky(0x22000023, WR_BCD_TYPE_BOOTMGR, 0, NULL, "another BCD store"));
    CHECK(risky(0x260000a0, WR_BCD_TYPE_OSLOADER, 1, NULL, "debugging"));
    CHECK(risky(0x26000001, WR_BCD_TYPE_STARTUP, 1, NULL, "bitpixie"));
    CHECK(risky(0x21000150, WR_BCD_TYPE_OSLOADER, 0, NULL, "CVE-2024-20666"));
}

static void meaning_depends_on_the_object(void)
{
    /* 0x260000a0 is `debug` only in loaders; 0x26000001 pxesoftreboot only in
     * startup objects */
    CHECK(!risky(0x260000a0, WR_BCD_TYPE_MEMDIAG, 1, NULL, NULL));
    CHECK(risky(0x26000001, WR_BCD_TYPE_OSLOADER, 1, NULL, "custom:"));
    CHECK(!risky(0x26000001, WR_BCD_TYPE_OSLOADER, 1, NULL, "bitpixie"));
}

static void unknown_elements_in_boot_path_warn(void)
{
    CHECK(risky(0x26000099, WR_BCD_TYPE_OSLOADER, 1, NULL, "custom:"));
    CHECK(risky(0x54000001, WR_BCD_TYPE_BOOTMGR, 0, NULL, "custom:"));
    CHECK(!risky(0x21000026, WR_BCD_TYPE_RESUME, 0, NULL, NULL));
    CHECK(!risky(0x46000010, WR_BCD_TYPE_OSLOADER, 1, NULL, NULL));
    CHECK(!risky(0x26000099, WR_BCD_TYPE_INHERIT, 1, NULL, NULL));
    CHECK(!risky(0x12000004, WR_BCD_TYPE_OSLOADER, 0, NULL, NULL));  /* description */
}

static void startup_objects_warn(void)
{
    struct wr_bcd_risk r;

    CHECK(wr_bcd_security_object_risk(WR_BCD_TYPE_STARTUP, &r));
    CHECK(strstr(r.risk, "bitpixie") != NULL);
    CHECK(wr_bcd_security_object_risk(0x10400008, &r));
    CHECK(!wr_bcd_security_object_risk(WR_BCD_TYPE_OSLOADER, &r));
}

int main(void)
{
    RUN(dangerous_values_warn);
    RUN(meaning_depends_on_the_object);
    RUN(unknown_elements_in_boot_path_warn);
    RUN(startup_objects_warn);
    return check_done();
}
