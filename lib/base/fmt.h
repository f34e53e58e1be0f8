/* A small snprintf for both builds (the UEFI app has no libc).
 * Supports %% %c %s %d %i %u %x %X %p with flags '-' '0', a width, a
 * precision (also '*') and the length modifiers hh h l ll z j.
 * Returns the length the full text would have, like snprintf. */
#ifndef WR_BASE_FMT_H
#define WR_BASE_FMT_H

#include "base/port.h"

size_t wr_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t wr_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A growing text buffer for renderers (bcdedit output, reports, JSON).
 * On allocation failure it latches failed=true and ignores further text. */
struct wr_text {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
};

void wr_text_append(struct wr_text *t, const char *s, size_t n);
void wr_text_puts(struct wr_text *t, const char *s);
void wr_text_printf(struct wr_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void wr_text_free(struct wr_text *t);

#endif
