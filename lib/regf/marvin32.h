/* Marvin32, the keyed hash Windows uses to protect new-format (HvLE)
 * transaction log entries (regf-format.md §11.2). */
#ifndef WR_REGF_MARVIN32_H
#define WR_REGF_MARVIN32_H

#include "base/port.h"

/* The fixed seed every hive log uses. */
#define WR_REGF_MARVIN32_SEED 0x82EF4D887A4E55C5ull

uint64_t wr_regf_marvin32(const uint8_t *data, size_t len, uint64_t seed);

#endif
