/* Marvin32 (regf-format.md §11.2). */
#include "regf/marvin32.h"

#include "base/bytes.h"

static uint32_t rotl(uint32_t v, unsigned n)
{
    return (v << n) | (v >> (32 - n));
}

static void mix(uint32_t *lo, uint32_t *hi, uint32_t v)
{
    *lo += v;
    *hi ^= *lo;
    *lo = rotl(*lo, 20) + *hi;
    *hi = rotl(*hi, 9) ^ *lo;
    *lo = rotl(*lo, 27) + *hi;
    *hi = rotl(*hi, 19);
}

uint64_t wr_regf_marvin32(const uint8_t *data, size_t len, uint64_t seed)
{
    uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
    size_t i = 0;

    for (; len - i >= 4; i += 4)
        mix(&lo, &hi, wr_le32(data + i));

    /* The 0x80 terminator sits just above the leftover bytes. */
    uint32_t tail = 0x80;
    for (size_t k = len - i; k > 0; k--)
        tail = (tail << 8) | data[i + k - 1];
    mix(&lo, &hi, tail);
    mix(&lo, &hi, 0);
    return (uint64_t)hi << 32 | lo;
}
