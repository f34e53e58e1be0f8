/* Windows' simple (1:1, per UTF-16 code unit) uppercase mapping, as
 * RtlUpcaseUnicodeChar applies it to registry names: a-z, Latin-1, Greek,
 * Cyrillic and the rest of the BMP case pairs; nothing expands (ß stays ß)
 * and surrogates map to themselves. */
#ifndef WR_REGF_UPCASE_H
#define WR_REGF_UPCASE_H

#include "base/port.h"

uint16_t wr_regf_upcase(uint16_t c);

#endif
