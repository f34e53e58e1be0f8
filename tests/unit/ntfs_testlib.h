/* Helpers for the NTFS tests: an image file as a block device, SHA-256,
 * and the built test images (build/test-images/ntfs). */
#ifndef WR_TESTS_NTFS_TESTLIB_H
#define WR_TESTS_NTFS_TESTLIB_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/blockdev.h"
#include "ntfs/ntfs.h"

#define NTFS_IMG_DIR "build/test-images/ntfs"

struct imgdev {
    struct wr_blockdev dev;
    int fd;
    char name[256];
};

static wr_status imgdev_read(void *ctx, uint64_t lba, uint64_t count, void *buf,
                             struct wr_err *err)
{
    struct imgdev *d = ctx;
    size_t len = (size_t)(count * d->dev.sector_size);

    if (pread(d->fd, buf, len, (off_t)(lba * d->dev.sector_size)) != (ssize_t)len)
        return wr_fail(err, WR_E_IO, "%s: short read", d->name);
    return WR_OK;
}

/* Opens NTFS_IMG_DIR/name (or an absolute/relative path containing '/'). */
static inline bool imgdev_open(struct imgdev *d, const char *name, uint32_t sector)
{
    struct stat sb;

    memset(d, 0, sizeof *d);
    if (strchr(name, '/'))
        snprintf(d->name, sizeof d->name, "%s", name);
    else
        snprintf(d->name, sizeof d->name, "%s/%s", NTFS_IMG_DIR, name);
    d->fd = open(d->name, O_RDONLY);
    if (d->fd < 0 || fstat(d->fd, &sb))
        return false;
    d->dev.name = d->name;
    d->dev.sector_size = sector;
    d->dev.sector_count = (uint64_t)sb.st_size / sector;
    d->dev.ctx = d;
    d->dev.read = imgdev_read;
    return true;
}

static inline void imgdev_close(struct imgdev *d)
{
    if (d->fd >= 0)
        close(d->fd);
}

/* FIPS 180-4 SHA-256, enough to compare file contents with the manifest. */
static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], a[8];

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++)
        w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 7] +
               (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
    memcpy(a, h, sizeof a);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = a[7] + (ROR(a[4], 6) ^ ROR(a[4], 11) ^ ROR(a[4], 25)) +
                      ((a[4] & a[5]) ^ (~a[4] & a[6])) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a[0], 2) ^ ROR(a[0], 13) ^ ROR(a[0], 22)) +
                      ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
        memmove(a + 1, a, 7 * sizeof *a);
        a[4] += t1;
        a[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += a[i];
}

static inline void sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t tail[128] = { 0 };
    size_t full = len / 64 * 64, rest = len - full, tl;
    uint64_t bits = (uint64_t)len * 8;

    for (size_t i = 0; i < full; i += 64)
        sha_block(h, data + i);
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    tl = rest < 56 ? 64 : 128;
    for (int i = 0; i < 8; i++)
        tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tl; i += 64)
        sha_block(h, tail + i);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", h[i]);
}

#endif
