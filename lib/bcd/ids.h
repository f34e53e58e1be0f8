/* Well-known objects (bcd.md §4), object types (§2) and the section header
 * bcdedit prints for each (§7.2). */
#ifndef WR_BCD_IDS_H
#define WR_BCD_IDS_H

#include "base/guid.h"

#define WR_BCD_TYPE_FWBOOTMGR 0x10100001u
#define WR_BCD_TYPE_BOOTMGR   0x10100002u
#define WR_BCD_TYPE_FWAPP     0x101FFFFFu
#define WR_BCD_TYPE_OSLOADER  0x10200003u
#define WR_BCD_TYPE_RESUME    0x10200004u
#define WR_BCD_TYPE_MEMDIAG   0x10200005u
#define WR_BCD_TYPE_STARTUP   0x10400009u
#define WR_BCD_TYPE_INHERIT   0x20100000u
#define WR_BCD_TYPE_DEVICE    0x30000000u

/* Element codes the library itself needs. */
#define WR_BCD_E_DEVICE           0x11000001u
#define WR_BCD_E_PATH             0x12000002u
#define WR_BCD_E_DESCRIPTION      0x12000004u
#define WR_BCD_E_INHERIT          0x14000006u
#define WR_BCD_E_RECOVERYSEQUENCE 0x14000008u
#define WR_BCD_E_DISPLAYORDER     0x24000001u
#define WR_BCD_E_BOOTSEQUENCE     0x24000002u
#define WR_BCD_E_DEFAULT          0x23000003u
#define WR_BCD_E_TIMEOUT          0x25000004u
#define WR_BCD_E_BM_RESUMEOBJECT  0x23000006u
#define WR_BCD_E_TOOLSDISPLAYORDER 0x24000010u
#define WR_BCD_E_OSL_RESUMEOBJECT 0x23000003u

enum wr_bcd_wellknown {
    WR_BCD_ID_BOOTMGR, WR_BCD_ID_FWBOOTMGR, WR_BCD_ID_MEMDIAG, WR_BCD_ID_NTLDR,
    WR_BCD_ID_GLOBALSETTINGS, WR_BCD_ID_BOOTLOADERSETTINGS, WR_BCD_ID_RESUMELOADERSETTINGS,
    WR_BCD_ID_DBGSETTINGS, WR_BCD_ID_EMSSETTINGS, WR_BCD_ID_BADMEMORY,
    WR_BCD_ID_HYPERVISORSETTINGS, WR_BCD_ID_KERNELDBGSETTINGS, WR_BCD_ID_RAMDISKOPTIONS,
    WR_BCD_ID__COUNT
};

/* The GUID of a well-known object. */
void wr_bcd_wellknown_guid(enum wr_bcd_wellknown id, struct wr_guid *out);

/* "{bootmgr}" for a well-known GUID (the first alias when there are two),
 * else NULL. {default} and {current} are never returned: they are not
 * stored objects. */
const char *wr_bcd_alias_of(const struct wr_guid *g);

/* "{bootmgr}", "{LEGACY}", ... (case-insensitive, braces required) to its
 * GUID. False for anything else, including {default} and {current}. */
bool wr_bcd_alias_parse(const char *text, struct wr_guid *out);

/* bcdedit's section header for an object. Types bcdedit's output has never
 * been seen for get our own "Application (1040000a)"-style header. buf needs
 * 48 bytes. */
const char *wr_bcd_section_header(const struct wr_guid *g, bool has_type, uint32_t type,
                                  char buf[48]);

/* /application NAME (osloader, resume, bootsector, startup, bootapp) to an
 * object type; /inherit NAME adds the settings-group forms (bootmgr,
 * memdiag, ntldr, device, ...). False when the name is unknown. */
bool wr_bcd_application_type(const char *name, uint32_t *type);
bool wr_bcd_inherit_type(const char *name, uint32_t *type);

#endif
