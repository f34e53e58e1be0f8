/* The table of bcd.md §9.1. "when" narrows an integer element to the
 * dangerous value (nx AlwaysOff, hypervisorlaunchtype Off). */
#include "bcd/security.h"
#include "bcd/elements.h"

enum { ANY = 0, ONLY_VALUE = 1, ONLY_YES = 2 };

struct rule {
    uint32_t code;
    uint8_t app;           /* application type the code is meant for, 0 = any object */
    uint8_t when;
    uint64_t value;
    bool bl;
    const char *risk;
};

#define BATON "Baton Drop (CVE-2022-21894): hides memory holding the Secure Boot policy, " \
              "so test signing and debugging become usable"
#define DEBUGGER "debugging: a debugger can read memory, including BitLocker keys"

static const struct rule rules[] = {
    { 0x16000049, 0, ONLY_YES, 0, true, "test signing: test-signed drivers and boot "
      "applications load" },
    { 0x16000048, 0, ONLY_YES, 0, true, "integrity checks off: unsigned boot code loads" },
    { 0x12000030, 0, ANY, 0, true, "loadoptions: free-form kernel switches" },
    { 0x1600007e, 0, ONLY_YES, 0, false, "flight signing: Insider-signed binaries are "
      "trusted" },
    { 0x15000007, 0, ANY, 0, false, BATON },
    { 0x1500000e, 0, ANY, 0, false, BATON },
    { 0x1700000a, 0, ANY, 0, false, BATON },
    { 0x1500000c, 0, ANY, 0, false, BATON },
    { 0x1500000d, 0, ANY, 0, false, BATON },
    { 0x21000022, 2, ANY, 0, false, "store redirection (Baton Drop chain): the boot "
      "manager loads another BCD store" },
    { 0x22000023, 2, ANY, 0, false, "store redirection (Baton Drop chain): the boot "
      "manager loads another BCD store" },
    { 0x260000a0, 3, ONLY_YES, 0, true, "kernel " DEBUGGER },
    { 0x16000010, 0, ONLY_YES, 0, true, "boot " DEBUGGER },
    { 0x260000f2, 3, ONLY_YES, 0, true, "hypervisor " DEBUGGER },
    { 0x26000006, 4, ONLY_YES, 0, true, "resume " DEBUGGER },
    { 0x26000145, 10, ONLY_YES, 0, false, DEBUGGER },
    { 0x15000011, 0, ANY, 0, false, "debugger transport settings (" DEBUGGER ")" },
    { 0x2500012c, 3, ANY, 0, false, "kernel debugger transport settings (" DEBUGGER ")" },
    { 0x250000f3, 3, ANY, 0, false, "hypervisor debugger transport settings (" DEBUGGER ")" },
    { 0x250000f0, 3, ONLY_VALUE, 0, false, "hypervisor off: VBS, HVCI and Credential Guard "
      "stop" },
    { 0x25000142, 3, ONLY_VALUE, 0, false, "VSM off: VBS and Credential Guard stop" },
    { 0x260000e1, 3, ONLY_YES, 0, false, "Early Launch Anti-Malware drivers disabled" },
    { 0x25000020, 3, ONLY_VALUE, 2, true, "DEP off (nx AlwaysOff)" },
    { 0x16000060, 0, ANY, 0, true, "boot application memory isolation changed" },
    { 0x16000040, 0, ONLY_YES, 0, true, "boot options editable at the boot menu" },
    { 0x16000041, 0, ONLY_YES, 0, true, "boot options editable at the boot menu" },
    { 0x260000c3, 3, ONLY_YES, 0, false, "boot options editable at the boot menu" },
    { 0x260000c4, 3, ONLY_YES, 0, false, "boot options editable at the boot menu" },
    { 0x22000011, 3, ANY, 0, true, "alternate kernel" },
    { 0x22000012, 3, ANY, 0, true, "alternate HAL" },
    { 0x22000053, 3, ANY, 0, true, "alternate event store" },
    { 0x26000022, 3, ONLY_YES, 0, true, "winpe on a loader: part of the bitpixie recipe "
      "(CVE-2023-21563) and of CVE-2025-21213" },
    { 0x21000150, 3, ANY, 0, false, "systemdatadevice: winload reads the SYSTEM hive from "
      "another device (CVE-2024-20666, CVE-2025-21213)" },
    { 0x26000001, 9, ONLY_YES, 0, false, "bitpixie (CVE-2023-21563): PXE soft reboot keeps "
      "derived BitLocker keys in memory" },
    { 0x14000008, 0, ANY, 0, false, "recovery sequence redirected: the vehicle of bitpixie "
      "and push-button decrypt (CVE-2022-41099)" },
    { 0x16000009, 0, ONLY_YES, 0, false, "recovery enabled: with a redirected recovery "
      "sequence, the bitpixie vehicle" },
    { 0x24000002, 2, ANY, 0, false, "boot sequence redirected for the next boot" },
    { 0x27000030, 2, ANY, 0, false, "custom actions: a key press silently boots another "
      "entry" },
    { 0x25000080, 3, ANY, 0, false, "safe mode" },
    { 0x26000081, 3, ONLY_YES, 0, true, "safe mode alternate shell" },
    { 0x16000020, 0, ONLY_YES, 0, false, "serial console (EMS)" },
    { 0x260000b0, 3, ONLY_YES, 0, false, "serial console (EMS)" },
    { 0x31000003, 0, ANY, 0, false, "ramdisk SDI device changed (SDI offset trick, "
      "CVE-2025-48804)" },
    { 0x32000004, 0, ANY, 0, false, "ramdisk SDI path changed (SDI offset trick, "
      "CVE-2025-48804)" },
};

/* Application type an element table entry is for: class-2 codes only
 * mean something in their own application type. */
static bool applies(const struct rule *r, uint32_t objtype)
{
    uint32_t app = objtype & 0xFFFFF;

    if (!r->app)
        return true;
    if (r->app == 2)
        return app == 1 || app == 2;
    return app == r->app;
}

bool wr_bcd_security_risk(uint32_t code, uint32_t objtype, uint64_t value,
                          struct wr_bcd_risk *out)
{
    unsigned app = objtype & 0xFFFFF, cls = objtype >> 28;

    for (size_t i = 0; i < WR_ARRAY_LEN(rules); i++) {
        const struct rule *r = &rules[i];
        if (r->code != code || !applies(r, objtype))
            continue;
        if ((r->when == ONLY_YES && !value) || (r->when == ONLY_VALUE && value != r->value))
            return false;
        *out = (struct wr_bcd_risk){ r->risk, r->bl };
        return true;
    }
    /* bcd.md §9.1: anything we cannot name in a loader, resume object or
     * boot manager, except the codes real stores carry */
    if (cls == 1 && app >= 1 && app <= 4 && !wr_bcd_element_find(code, objtype) &&
        code != 0x21000026 && code != 0x46000010) {
        *out = (struct wr_bcd_risk){ "an element with no known meaning (custom:) in a boot "
                                     "path object", false };
        return true;
    }
    return false;
}

bool wr_bcd_security_object_risk(uint32_t objtype, struct wr_bcd_risk *out)
{
    if (objtype != 0x10400009u && objtype != 0x10400008u)
        return false;
    *out = (struct wr_bcd_risk){ "a real-mode startup or boot-sector application: the "
                                 "bitpixie (CVE-2023-21563) soft-reboot target", false };
    return true;
}
