/* The hosted port: libc's allocator. Not linked into the UEFI app. */
#include "base/port.h"

void *calloc(size_t count, size_t size);
void *malloc(size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

void *wr_alloc(size_t size)
{
    return calloc(1, size ? size : 1);
}

void *wr_alloc_uninit(size_t size)
{
    return malloc(size ? size : 1);
}

void *wr_alloc_array(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *wr_realloc(void *ptr, size_t new_size)
{
    return realloc(ptr, new_size ? new_size : 1);
}

void wr_free(void *ptr)
{
    free(ptr);
}
