/* SHA-256 (FIPS 180-4), for backup manifests: a byte-for-byte undo is
 * proven by comparing these digests. */
#ifndef WR_BASE_SHA256_H
#define WR_BASE_SHA256_H

#include "base/port.h"

#define WR_SHA256_LEN 32

struct wr_sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    size_t used;
};

void wr_sha256_init(struct wr_sha256 *s);
void wr_sha256_update(struct wr_sha256 *s, const void *data, size_t len);
void wr_sha256_final(struct wr_sha256 *s, uint8_t out[WR_SHA256_LEN]);
/* One call: the digest as 64 lower-case hex digits plus NUL. */
void wr_sha256_hex(const void *data, size_t len, char out[65]);

#endif
