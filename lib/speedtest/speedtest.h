/* lib/speedtest: how fast a disk reads, and is that enough for Windows To Go.
 *
 * Read-only: sequential reads of large pieces (MB/s) and random 4 KiB reads
 * (reads per second) over a wr_blockdev. The caller supplies a monotonic
 * clock in microseconds; every figure is integer arithmetic. Each phase
 * runs until its byte or read budget is spent or its time budget is over,
 * whichever comes first, so a slow disk does not hold the screen. */
#ifndef WR_SPEEDTEST_H
#define WR_SPEEDTEST_H

#include "base/blockdev.h"

struct wr_speed_opts {
    uint64_t seq_bytes;         /* 0: 64 MiB */
    uint32_t seq_piece;         /* 0: 1 MiB */
    uint32_t rand_reads;        /* 0: 2000 */
    uint64_t time_budget_us;    /* per phase; 0: 5 s */
    uint64_t seed;              /* random offsets; same seed, same offsets */
    void *ctx;
    uint64_t (*now_us)(void *ctx);          /* required */
    bool (*cancelled)(void *ctx);           /* may be NULL */
    void (*progress)(void *ctx, unsigned percent);  /* may be NULL */
};

enum wr_speed_verdict {
    WR_SPEED_UNKNOWN,
    WR_SPEED_TOO_SLOW,   /* USB 2.0 class: Windows To Go is painful */
    WR_SPEED_USABLE,     /* boots and works, slow on updates */
    WR_SPEED_GOOD,       /* USB 3 SSD class */
};

struct wr_speed_result {
    uint64_t seq_bytes;
    uint64_t seq_us;
    uint64_t seq_kb_per_s;      /* kilobytes (1000) per second */
    uint32_t rand_reads;
    uint64_t rand_us;
    uint64_t rand_per_s;        /* 4 KiB reads per second */
    enum wr_speed_verdict verdict;
};

wr_status wr_speed_run(const struct wr_blockdev *dev, const struct wr_speed_opts *opts,
                       struct wr_speed_result *out, struct wr_err *err);

/* The verdict from the two figures (thresholds in speedtest.c). */
enum wr_speed_verdict wr_speed_judge(uint64_t seq_kb_per_s, uint64_t rand_per_s);
const char *wr_speed_verdict_text(enum wr_speed_verdict v);

/* "MB/s" text with one decimal: "35.2 MB/s". */
void wr_speed_format_rate(uint64_t kb_per_s, char *out, size_t size);

#endif
