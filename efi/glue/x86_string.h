/* Byte copies and fills with x86 string instructions. Under QEMU's TCG a
 * byte loop costs a translated instruction group per byte, while
 * `rep movsb` is one helper call for the whole run; real CPUs also do
 * these fastest. The same code serves x86-64 and IA-32. */
#ifndef WR_EFI_X86_STRING_H
#define WR_EFI_X86_STRING_H

#include <stddef.h>

static inline void x86_copy_up(void *dst, const void *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* For overlapping moves to a higher address: copies from the last byte
 * down, with the direction flag set only for this instruction (UEFI
 * requires it clear at every call boundary). */
static inline void x86_copy_down(void *dst, const void *src, size_t n)
{
    if (!n)
        return;
    dst = (unsigned char *)dst + n - 1;
    src = (const unsigned char *)src + n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void x86_fill(void *dst, int c, size_t n)
{
    __asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

#endif
