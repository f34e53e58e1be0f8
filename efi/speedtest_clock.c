/* A monotonic clock for progress, rates and the speed test. GetTime() often
 * has a 1 s resolution and the TSC may jump (a VM moved between host CPUs),
 * so the base is a 100 ms periodic timer event (any firmware's tick is
 * finer), refined inside a tick by the TSC, clamped to the tick. */
#include <efi.h>
#include <efilib.h>

#include "rescue_files.h"

#define TICK_US 100000u

static struct {
    EFI_EVENT event;
    volatile uint64_t ticks;
    volatile uint64_t tick_tsc;   /* TSC at the last tick */
    uint64_t tsc_per_us;          /* 0: the TSC is not used */
    uint64_t last_us;             /* never go back */
} clk;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static VOID EFIAPI on_tick(EFI_EVENT event, VOID *ctx)
{
    (void)event;
    (void)ctx;
    clk.tick_tsc = rdtsc();
    clk.ticks++;
}

BOOLEAN efi_clock_start(void)
{
    uint64_t t0 = rdtsc(), t1;

    if (clk.event)
        return TRUE;
    uefi_call_wrapper(BS->Stall, 1, 20000);
    t1 = rdtsc();
    clk.tsc_per_us = t1 > t0 ? (t1 - t0) / 20000 : 0;
    clk.ticks = 0;
    clk.last_us = 0;
    clk.tick_tsc = rdtsc();
    if (uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK,
                          on_tick, NULL, &clk.event) != EFI_SUCCESS) {
        clk.event = NULL;
        return FALSE;
    }
    uefi_call_wrapper(BS->SetTimer, 3, clk.event, TimerPeriodic, TICK_US * 10);
    return TRUE;
}

void efi_clock_stop(void)
{
    if (!clk.event)
        return;
    uefi_call_wrapper(BS->SetTimer, 3, clk.event, TimerCancel, 0);
    uefi_call_wrapper(BS->CloseEvent, 1, clk.event);
    clk.event = NULL;
}

uint64_t efi_now_us(void)
{
    uint64_t ticks, at, now, inside = 0;

    do {
        ticks = clk.ticks;
        at = clk.tick_tsc;
    } while (ticks != clk.ticks);
    now = rdtsc();
    if (clk.tsc_per_us && now > at)
        inside = (now - at) / clk.tsc_per_us;
    if (inside >= TICK_US)
        inside = TICK_US - 1;
    now = ticks * TICK_US + inside;
    if (now < clk.last_us)
        now = clk.last_us;
    clk.last_us = now;
    return now;
}

BOOLEAN efi_cancel_requested(void)
{
    struct con_key k;

    while (con_poll_key(&k))
        if (k.scan == SCAN_ESC || k.ch == 'c' || k.ch == 'C')
            return TRUE;
    return FALSE;
}
