/* wtg-rescue.conf settings carried in a UEFI image's LoadOptions (a
 * Boot#### entry's optional data, or the command line iPXE's `chain`
 * passes): the same "key value" lines as the file, with ';' also ending
 * a line so that one line of text can hold several settings:
 *
 *   wtg-rescue.efi mode repair;timeout 0
 *
 * UTF-16LE (what firmware, shells and iPXE pass) or ASCII, up to the first
 * NUL. A first word ending in ".efi" is the image's own name, as iPXE and
 * the UEFI Shell put it there, and is left out. */
#ifndef WR_CONF_LOADOPTS_H
#define WR_CONF_LOADOPTS_H

#include "base/fmt.h"
#include "base/status.h"

/* The settings text of LoadOptions into out (empty when there are none).
 * false when the bytes are not text at all: firmware puts binary data
 * there too (OVMF's marker GUID on entries it made, Windows' BCDOBJECT
 * blob), and that must not become a wall of warnings. Characters outside
 * printable ASCII count as not text; false also when memory runs out. */
bool wr_conf_load_options_text(const uint8_t *data, size_t len, struct wr_text *out);

#endif
