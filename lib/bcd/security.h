/* Elements whose change weakens boot security (bcd.md §9.1), for the
 * warnings an editor prints before writing them. */
#ifndef WR_BCD_SECURITY_H
#define WR_BCD_SECURITY_H

#include "base/status.h"

struct wr_bcd_risk {
    const char *risk;        /* "Baton Drop (CVE-2022-21894): ..." */
    bool bitlocker_checked;  /* in BitLocker's default validation profile */
};

/* The risk of writing `value` (the integer or boolean, 0 for other
 * formats) to element `code` of an object of type `objtype`; false when
 * the write is not security-relevant. */
bool wr_bcd_security_risk(uint32_t code, uint32_t objtype, uint64_t value,
                          struct wr_bcd_risk *out);

/* Creating an object of this type (startup and boot-sector applications:
 * the bitpixie soft-reboot target). */
bool wr_bcd_security_object_risk(uint32_t objtype, struct wr_bcd_risk *out);

#endif
