/* GUIDs as stored on disk (mixed-endian, as GPT, BCD and EFI store them). */
#ifndef WR_BASE_GUID_H
#define WR_BASE_GUID_H

#include "base/status.h"

struct wr_guid {
    uint8_t b[16];
};

#define WR_GUID_TEXT_LEN 36 /* without braces and NUL */

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; buf must hold 37 bytes. */
void wr_guid_format(const struct wr_guid *g, char *buf, bool upper);

/* Accepts the 36-character form with or without surrounding braces,
 * in either case. */
wr_status wr_guid_parse(const char *text, struct wr_guid *out, struct wr_err *err);

bool wr_guid_equal(const struct wr_guid *a, const struct wr_guid *b);
bool wr_guid_is_zero(const struct wr_guid *g);

#endif
