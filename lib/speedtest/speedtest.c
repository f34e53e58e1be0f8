/* Sequential and random read figures over a block device. */
#include "base/fmt.h"
#include "speedtest/speedtest.h"

#define RAND_BYTES 4096u

/* Windows To Go certification asks ~ 80 MB/s sequential and a few hundred
 * random 4 KiB IOPS; USB 2.0 peaks near 35-40 MB/s. */
#define GOOD_SEQ_KBS 150000u
#define GOOD_RAND 1000u
#define USABLE_SEQ_KBS 60000u
#define USABLE_RAND 200u

enum wr_speed_verdict wr_speed_judge(uint64_t seq_kb_per_s, uint64_t rand_per_s)
{
    if (!seq_kb_per_s)
        return WR_SPEED_UNKNOWN;
    if (seq_kb_per_s >= GOOD_SEQ_KBS && rand_per_s >= GOOD_RAND)
        return WR_SPEED_GOOD;
    if (seq_kb_per_s >= USABLE_SEQ_KBS && rand_per_s >= USABLE_RAND)
        return WR_SPEED_USABLE;
    return WR_SPEED_TOO_SLOW;
}

const char *wr_speed_verdict_text(enum wr_speed_verdict v)
{
    switch (v) {
    case WR_SPEED_GOOD:
        return "good for Windows To Go (USB 3 class)";
    case WR_SPEED_USABLE:
        return "usable for Windows To Go, but slow to start and update";
    case WR_SPEED_TOO_SLOW:
        return "too slow for Windows To Go (USB 2.0 class); use a USB 3 port or a faster stick";
    default:
        return "unknown (the disk could not be measured)";
    }
}

void wr_speed_format_rate(uint64_t kb_per_s, char *out, size_t size)
{
    wr_format(out, size, "%llu.%llu MB/s", (unsigned long long)(kb_per_s / 1000),
              (unsigned long long)(kb_per_s % 1000 / 100));
}

/* xorshift64*: offsets spread over the whole disk, repeatable by seed. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static bool stop(const struct wr_speed_opts *o)
{
    return o->cancelled && o->cancelled(o->ctx);
}

static wr_status sequential(const struct wr_blockdev *dev, const struct wr_speed_opts *o,
                            uint8_t *buf, uint32_t piece, struct wr_speed_result *r,
                            struct wr_err *err)
{
    uint64_t budget = o->seq_bytes ? o->seq_bytes : 64ull << 20;
    uint64_t limit = o->time_budget_us ? o->time_budget_us : 5000000;
    uint64_t per = piece / dev->sector_size, lba = 0, t0 = o->now_us(o->ctx), t = t0;
    uint64_t size = wr_blockdev_size_bytes(dev);

    if (budget > size)
        budget = size - size % piece;
    while (r->seq_bytes < budget && t - t0 < limit) {
        uint64_t n = per;
        wr_status st;

        if (stop(o))
            return wr_fail(err, WR_E_CANCELLED, "speed test cancelled");
        if (lba + n > dev->sector_count)
            n = dev->sector_count - lba;
        st = wr_blockdev_read(dev, lba, n, buf, err);
        if (st)
            return st;
        lba += n;
        r->seq_bytes += n * dev->sector_size;
        t = o->now_us(o->ctx);
        if (o->progress)
            o->progress(o->ctx, (unsigned)(r->seq_bytes * 50 / budget));
    }
    r->seq_us = t - t0;
    /* A clock too coarse to see the reads says nothing. */
    r->seq_kb_per_s = r->seq_us ? r->seq_bytes * 1000 / r->seq_us : 0;
    return WR_OK;
}

static wr_status random_reads(const struct wr_blockdev *dev, const struct wr_speed_opts *o,
                              uint8_t *buf, struct wr_speed_result *r, struct wr_err *err)
{
    uint32_t count = o->rand_reads ? o->rand_reads : 2000;
    uint64_t limit = o->time_budget_us ? o->time_budget_us : 5000000;
    uint64_t per = RAND_BYTES / dev->sector_size ? RAND_BYTES / dev->sector_size : 1;
    uint64_t slots = dev->sector_count / per, seed = o->seed | 1;
    uint64_t t0 = o->now_us(o->ctx), t = t0;

    while (r->rand_reads < count && t - t0 < limit) {
        wr_status st;

        if (stop(o))
            return wr_fail(err, WR_E_CANCELLED, "speed test cancelled");
        st = wr_blockdev_read(dev, next_random(&seed) % slots * per, per, buf, err);
        if (st)
            return st;
        r->rand_reads++;
        t = o->now_us(o->ctx);
        if (o->progress)
            o->progress(o->ctx, 50 + r->rand_reads * 50 / count);
    }
    r->rand_us = t - t0;
    r->rand_per_s = r->rand_us ? (uint64_t)r->rand_reads * 1000000 / r->rand_us : 0;
    return WR_OK;
}

wr_status wr_speed_run(const struct wr_blockdev *dev, const struct wr_speed_opts *opts,
                       struct wr_speed_result *out, struct wr_err *err)
{
    uint32_t piece = opts->seq_piece ? opts->seq_piece : 1u << 20;
    uint8_t *buf;
    wr_status st;

    memset(out, 0, sizeof *out);
    if (!opts->now_us)
        return wr_fail(err, WR_E_INVALID, "speed test: no clock");
    if (!dev->sector_size || piece % dev->sector_size || piece < RAND_BYTES ||
        wr_blockdev_size_bytes(dev) < piece)
        return wr_fail(err, WR_E_INVALID, "%s: too small for a speed test (%llu bytes)",
                       dev->name, (unsigned long long)wr_blockdev_size_bytes(dev));
    buf = wr_alloc(piece);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "speed test: out of memory");
    st = sequential(dev, opts, buf, piece, out, err);
    if (!st)
        st = random_reads(dev, opts, buf, out, err);
    wr_free(buf);
    if (!st)
        out->verdict = wr_speed_judge(out->seq_kb_per_s, out->rand_per_s);
    return st;
}
