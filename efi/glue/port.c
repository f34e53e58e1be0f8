/* The freestanding port: lib/'s allocator and the few libc functions it
 * uses, over UEFI boot services. libefi already supplies memset and memcpy. */
#include <efi.h>
#include <efilib.h>

#include "base/port.h"
#include "glue/x86_string.h"

/* Pool memory does not know its own size; keep it in front of the block so
 * wr_realloc can copy. 16 bytes keep the caller's pointer 16-byte aligned. */
struct alloc_header {
    UINT64 size;
    UINT64 pad;
};

void *wr_alloc_uninit(size_t size)
{
    struct alloc_header *h = NULL;

    if (size > SIZE_MAX - sizeof *h)
        return NULL;
    if (uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, size + sizeof *h, (void **)&h)
        != EFI_SUCCESS)
        return NULL;
    h->size = size;
    return h + 1;
}

void *wr_alloc(size_t size)
{
    void *p = wr_alloc_uninit(size);

    if (p)
        memset(p, 0, size);
    return p;
}

void *wr_alloc_array(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return wr_alloc(count * size);
}

void *wr_realloc(void *ptr, size_t new_size)
{
    struct alloc_header *old;
    void *grown;

    if (!ptr)
        return wr_alloc(new_size);
    old = (struct alloc_header *)ptr - 1;
    grown = wr_alloc(new_size);
    if (!grown)
        return NULL;
    memcpy(grown, ptr, old->size < new_size ? old->size : new_size);
    wr_free(ptr);
    return grown;
}

void wr_free(void *ptr)
{
    if (ptr)
        uefi_call_wrapper(BS->FreePool, 1, (struct alloc_header *)ptr - 1);
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d > s && d < s + n)
        x86_copy_down(d, s, n);
    else
        x86_copy_up(d, s, n);
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i])
            return (unsigned char)a[i] - (unsigned char)b[i];
    }
    return 0;
}
