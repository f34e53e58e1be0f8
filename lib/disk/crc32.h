#ifndef WR_DISK_CRC32_H
#define WR_DISK_CRC32_H

#include "base/port.h"

/* CRC-32 as GPT uses it (IEEE 802.3, reflected, init and final xor ~0).
 * Pass 0 as crc to start; chain calls to continue over more data. */
uint32_t wr_crc32(uint32_t crc, const void *data, size_t len);

#endif
