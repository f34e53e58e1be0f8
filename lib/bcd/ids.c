/* Well-known GUIDs and headers, from bcd.md §4 and §7.2. */
#include "bcd/ids.h"
#include "bcd/elements.h"
#include "base/fmt.h"

struct wellknown {
    const char *guid;
    const char *alias;
    const char *alias2;   /* a second accepted name for the same GUID */
    const char *header;   /* section header by GUID, or NULL: by type */
};

static const struct wellknown known[WR_BCD_ID__COUNT] = {
    [WR_BCD_ID_BOOTMGR] = { "9dea862c-5cdd-4e70-acc1-f32b344d4795", "{bootmgr}", NULL, NULL },
    [WR_BCD_ID_FWBOOTMGR] = { "a5a30fa2-3d06-4e9f-b5f4-a01df9d1fcba", "{fwbootmgr}", NULL, NULL },
    [WR_BCD_ID_MEMDIAG] = { "b2721d73-1db4-4c62-bf78-c548a880142d", "{memdiag}", NULL, NULL },
    [WR_BCD_ID_NTLDR] = { "466f5a88-0af2-4f76-9038-095b170dc21c", "{ntldr}", "{legacy}", NULL },
    [WR_BCD_ID_GLOBALSETTINGS] = { "7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e", "{globalsettings}",
                                   NULL, "Global Settings" },
    [WR_BCD_ID_BOOTLOADERSETTINGS] = { "6efb52bf-1766-41db-a6b3-0ee5eff72bd7",
                                       "{bootloadersettings}", NULL, "Boot Loader Settings" },
    [WR_BCD_ID_RESUMELOADERSETTINGS] = { "1afa9c49-16ab-4a5c-901b-212802da9460",
                                         "{resumeloadersettings}", NULL,
                                         "Resume Loader Settings" },
    [WR_BCD_ID_DBGSETTINGS] = { "4636856e-540f-4170-a130-a84776f4c654", "{dbgsettings}",
                                "{eventsettings}", "Debugger Settings" },
    [WR_BCD_ID_EMSSETTINGS] = { "0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9", "{emssettings}", NULL,
                                "EMS Settings" },
    [WR_BCD_ID_BADMEMORY] = { "5189b25c-5558-4bf2-bca4-289b11bd29e2", "{badmemory}", NULL,
                              "RAM Defects" },
    [WR_BCD_ID_HYPERVISORSETTINGS] = { "7ff607e0-4395-11db-b0de-0800200c9a66",
                                       "{hypervisorsettings}", NULL, "Hypervisor Settings" },
    [WR_BCD_ID_KERNELDBGSETTINGS] = { "313e8eed-7098-4586-a9bf-309c61f8d449",
                                      "{kerneldbgsettings}", NULL, NULL },
    [WR_BCD_ID_RAMDISKOPTIONS] = { "ae5534e0-a924-466c-b836-758539a3ee3a", "{ramdiskoptions}",
                                   NULL, "Setup Ramdisk Options" },
};

/* Template objects that print their own header (bcd.md §4, §7.2). */
static const struct { const char *guid; const char *header; } by_guid_header[] = {
    { "7254a080-1510-4e85-ac0f-e7fb3d444736", "Windows Setup" },
    { "cbd971bf-b7b8-4885-951a-fa03044f5d71", "Windows Setup" },
    { "b012b84d-c47c-4ed5-b722-c0c42163e569", "OS Target Template" },
    { "a1943bbc-ea85-487c-97c7-c9ede908a38a", "OS Target Template" },
};

static bool guid_is(const struct wr_guid *g, const char *text)
{
    struct wr_guid k;

    return wr_guid_parse(text, &k, NULL) == WR_OK && wr_guid_equal(g, &k);
}

void wr_bcd_wellknown_guid(enum wr_bcd_wellknown id, struct wr_guid *out)
{
    memset(out, 0, sizeof *out);
    if (id < WR_BCD_ID__COUNT)
        wr_guid_parse(known[id].guid, out, NULL);
}

const char *wr_bcd_alias_of(const struct wr_guid *g)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(known); i++)
        if (guid_is(g, known[i].guid))
            return known[i].alias;
    return NULL;
}

bool wr_bcd_alias_parse(const char *text, struct wr_guid *out)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(known); i++) {
        if (wr_bcd_eq_ci(text, known[i].alias) ||
            (known[i].alias2 && wr_bcd_eq_ci(text, known[i].alias2)))
            return wr_guid_parse(known[i].guid, out, NULL) == WR_OK;
    }
    return false;
}

static const char *header_by_type(uint32_t type)
{
    switch (type) {
    case WR_BCD_TYPE_FWBOOTMGR: return "Firmware Boot Manager";
    case WR_BCD_TYPE_BOOTMGR: return "Windows Boot Manager";
    case WR_BCD_TYPE_OSLOADER: return "Windows Boot Loader";
    case WR_BCD_TYPE_RESUME: return "Resume from Hibernate";
    case WR_BCD_TYPE_MEMDIAG: return "Windows Memory Tester";
    case 0x10300006u: return "Windows Legacy OS Loader";
    case 0x10400008u: return "Real-mode Boot Sector";
    case WR_BCD_TYPE_DEVICE: return "Device options";
    }
    return NULL;
}

const char *wr_bcd_section_header(const struct wr_guid *g, bool has_type, uint32_t type,
                                  char buf[48])
{
    const char *h;

    if (g) {
        for (size_t i = 0; i < WR_ARRAY_LEN(known); i++)
            if (known[i].header && guid_is(g, known[i].guid))
                return known[i].header;
        for (size_t i = 0; i < WR_ARRAY_LEN(by_guid_header); i++)
            if (guid_is(g, by_guid_header[i].guid))
                return by_guid_header[i].header;
    }
    if (!has_type)
        return "Object without a type";
    h = header_by_type(type);
    if (h)
        return h;
    /* bcdedit's own pattern for firmware applications, extended to the
     * types no sample output shows (our choice, documented in --help) */
    if (type == WR_BCD_TYPE_FWAPP)
        wr_format(buf, 48, "Firmware Application (%08x)", type);
    else if (type >> 28 == 1)
        wr_format(buf, 48, "Application (%08x)", type);
    else if (type >> 28 == 2)
        wr_format(buf, 48, "Inherit settings (%08x)", type);
    else
        wr_format(buf, 48, "Object (%08x)", type);
    return buf;
}

static const struct { const char *name; uint32_t apptype; uint32_t image; } apps[] = {
    { "fwbootmgr", 1, 1 }, { "bootmgr", 2, 1 }, { "osloader", 3, 2 }, { "resume", 4, 2 },
    { "memdiag", 5, 2 }, { "ntldr", 6, 3 }, { "setup", 7, 3 }, { "bootsector", 8, 4 },
    { "startup", 9, 4 }, { "bootapp", 10, 2 },
};

bool wr_bcd_application_type(const char *name, uint32_t *type)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(apps); i++) {
        if (apps[i].apptype < 3 || apps[i].apptype == 5 || apps[i].apptype == 6 ||
            apps[i].apptype == 7)
            continue;  /* bcdedit creates these only under their well-known ids */
        if (wr_bcd_eq_ci(name, apps[i].name)) {
            *type = 0x10000000u | apps[i].image << 20 | apps[i].apptype;
            return true;
        }
    }
    return false;
}

bool wr_bcd_inherit_type(const char *name, uint32_t *type)
{
    if (wr_bcd_eq_ci(name, "device")) {
        *type = 0x20300000u;
        return true;
    }
    for (size_t i = 0; i < WR_ARRAY_LEN(apps); i++) {
        if (wr_bcd_eq_ci(name, apps[i].name)) {
            *type = 0x20200000u | apps[i].apptype;
            return true;
        }
    }
    return false;
}
