/* Little-endian field access for on-disk structures. Callers check bounds
 * before reading; these helpers only assemble bytes. */
#ifndef WR_BASE_BYTES_H
#define WR_BASE_BYTES_H

#include "base/port.h"

static inline uint16_t wr_le16(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t wr_le32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t wr_le64(const void *p)
{
    const uint8_t *b = p;
    return (uint64_t)wr_le32(b) | (uint64_t)wr_le32(b + 4) << 32;
}

static inline void wr_put_le16(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static inline void wr_put_le32(void *p, uint32_t v)
{
    uint8_t *b = p;
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static inline void wr_put_le64(void *p, uint64_t v)
{
    uint8_t *b = p;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

/* True when [off, off+len) lies inside a buffer of size total, without
 * overflow. Use it before every read of a length or offset from disk. */
static inline bool wr_span_ok(uint64_t off, uint64_t len, uint64_t total)
{
    return off <= total && len <= total - off;
}

#endif
