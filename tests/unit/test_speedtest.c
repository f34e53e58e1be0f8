/* lib/speedtest over a memory device with a fake clock. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "machine/menu.h"
#include "speedtest/speedtest.h"

struct fake {
    uint64_t us;
    uint64_t step;
    int cancel_after;
    unsigned last_percent;
};

static uint64_t clock_us(void *ctx)
{
    struct fake *f = ctx;
    return f->us += f->step;
}

static bool cancel(void *ctx)
{
    struct fake *f = ctx;
    return f->cancel_after-- == 0;
}

static void progress(void *ctx, unsigned percent)
{
    struct fake *f = ctx;
    f->last_percent = percent;
}

static bool memdev(struct wr_memdev *m, size_t len, uint32_t sector)
{
    struct wr_err err = { 0 };
    uint8_t *data = calloc(1, len);

    return data && wr_memdev_init(m, data, len, sector, false, "mem", &err) == WR_OK;
}

static void figures_from_the_clock(void)
{
    struct wr_memdev m;
    struct fake f = { 0, 1000, -1, 0 };
    struct wr_speed_opts o = { .seq_bytes = 8 << 20, .rand_reads = 100, .ctx = &f,
                               .now_us = clock_us, .progress = progress, .cancelled = cancel };
    struct wr_speed_result r;
    struct wr_err err = { 0 };

    CHECK(memdev(&m, 16 << 20, 512));
    CHECK_OK(wr_speed_run(&m.dev, &o, &r, &err), &err);
    free(m.data);
    /* 1 MiB per 1 ms of fake clock: 1048576 kB/s; 4 KiB per 1 ms: 1000/s. */
    CHECK_INT(r.seq_bytes, 8 << 20);
    CHECK_INT(r.seq_us, 8000);
    CHECK_INT(r.seq_kb_per_s, 1048576);
    CHECK_INT(r.rand_reads, 100);
    CHECK_INT(r.rand_per_s, 1000);
    CHECK_INT(r.verdict, WR_SPEED_GOOD);
    CHECK_INT(f.last_percent, 100);
}

static void time_budget_stops_slow_disk(void)
{
    struct wr_memdev m;
    struct fake f = { 0, 100000, -1, 0 };  /* 100 ms per read */
    struct wr_speed_opts o = { .ctx = &f, .now_us = clock_us, .time_budget_us = 1000000 };
    struct wr_speed_result r;
    struct wr_err err = { 0 };

    CHECK(memdev(&m, 32 << 20, 4096));
    CHECK_OK(wr_speed_run(&m.dev, &o, &r, &err), &err);
    free(m.data);
    CHECK_INT(r.seq_bytes, 10 << 20);
    CHECK_INT(r.seq_kb_per_s, 10485);
    CHECK_INT(r.rand_reads, 10);
    CHECK_INT(r.rand_per_s, 10);
    CHECK_INT(r.verdict, WR_SPEED_TOO_SLOW);
}

static void cancel_and_small_disk(void)
{
    struct wr_memdev m;
    struct fake f = { 0, 1000, 3, 0 };
    struct wr_speed_opts o = { .ctx = &f, .now_us = clock_us, .cancelled = cancel };
    struct wr_speed_result r;
    struct wr_err err = { 0 };

    CHECK(memdev(&m, 16 << 20, 512));
    CHECK_INT(wr_speed_run(&m.dev, &o, &r, &err), WR_E_CANCELLED);
    free(m.data);
    CHECK(memdev(&m, 64 << 10, 512));
    CHECK_INT(wr_speed_run(&m.dev, &o, &r, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "too small"));
    o.now_us = NULL;
    CHECK_INT(wr_speed_run(&m.dev, &o, &r, &err), WR_E_INVALID);
    free(m.data);
}

static void verdicts_and_text(void)
{
    char text[32];

    CHECK_INT(wr_speed_judge(35000, 150), WR_SPEED_TOO_SLOW);  /* USB 2.0 */
    CHECK_INT(wr_speed_judge(90000, 400), WR_SPEED_USABLE);
    CHECK_INT(wr_speed_judge(400000, 3000), WR_SPEED_GOOD);    /* USB 3 SSD */
    CHECK_INT(wr_speed_judge(400000, 50), WR_SPEED_TOO_SLOW);  /* fast reads, slow seeks */
    CHECK_INT(wr_speed_judge(0, 0), WR_SPEED_UNKNOWN);
    CHECK(strstr(wr_speed_verdict_text(WR_SPEED_TOO_SLOW), "USB 2.0"));
    wr_speed_format_rate(35250, text, sizeof text);
    CHECK_STR(text, "35.2 MB/s");
}

/* The two issue-8 entries come after whatever wr_menu_build made. */
static void menu_tools_appended(void)
{
    static struct wr_menu menu;

    menu.count = 5;
    menu.entries[4].key = 's';
    wr_menu_add_tools(&menu);
    CHECK_INT(menu.count, 7);
    CHECK_INT(menu.entries[4].key, 's');
    CHECK_INT(menu.entries[5].action, WR_MENU_RESCUE_FILES);
    CHECK_STR(menu.entries[5].title, "Save user files");
    CHECK_INT(menu.entries[6].action, WR_MENU_SPEED_TEST);
    CHECK_STR(menu.entries[6].title, "Test disk speed");
    CHECK_INT(wr_menu_find_key(&menu, 'U'), 5);
    CHECK_INT(wr_menu_find_key(&menu, 't'), 6);
}

int main(void)
{
    RUN(menu_tools_appended);
    RUN(figures_from_the_clock);
    RUN(time_budget_stops_slow_disk);
    RUN(cancel_and_small_disk);
    RUN(verdicts_and_text);
    return check_done();
}
