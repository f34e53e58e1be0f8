/* What lib/ may use from its surroundings, in both builds.
 *
 * lib/ is compiled hosted (tests, Linux tools) and freestanding (linked into
 * the UEFI app). Only the compiler's freestanding headers are included; the
 * few C library functions lib/ needs are declared here and supplied by libc
 * on the host and by efi/port.c in the app. */
#ifndef WR_BASE_PORT_H
#define WR_BASE_PORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Allocation. wr_alloc returns zeroed memory; every size is checked for
 * overflow by the caller through wr_alloc_array. NULL means out of memory. */
void *wr_alloc(size_t size);
void *wr_alloc_array(size_t count, size_t size);
/* Not zeroed: only for buffers the caller fills completely at once (a copy
 * of a whole file), where zeroing first is pure cost. */
void *wr_alloc_uninit(size_t size);
void *wr_realloc(void *ptr, size_t new_size);
void wr_free(void *ptr);

#define WR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
