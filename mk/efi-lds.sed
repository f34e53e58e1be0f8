# gnu-efi's linker script (elf_x86_64_efi.lds / elf_ia32_efi.lds), adapted
# for --gc-sections and a smaller image (Makefile, efi_lds):
#
# - .bss and COMMON (and with -fdata-sections their .bss.* pieces, which
#   the script did not name, so ld put them after .dynstr, outside what
#   objcopy copies: the app faulted writing its state) go to an own .bss
#   section, page-aligned like every PE section. objcopy makes it
#   uninitialised data: no bytes in the file; the loader zeroes it.
/^ *\*(\(\.sbss\|\.scommon\|\.dynbss\|\.bss\|COMMON\)) *$/d
/^ *\.note\.gnu\.build-id/i\  . = ALIGN(4096);\n  .bss : { *(.sbss) *(.scommon) *(.dynbss) *(.bss .bss.*) *(COMMON) }
# - .reloc (crt0's placeholder, which nothing references: KEEP, or
#   --gc-sections drops it) moves last, so mk/efi-relocs' table can be
#   any size without overlapping the next section.
/^ *\.reloc *:/,/^ *}/d
/^ *\.comment 0/i\  . = ALIGN(4096);\n  .reloc : { KEEP(*(.reloc)) }
# - ia32 code is not PIC: the relocations of .text and .rodata join the
#   .rel section (not left as hundreds of orphan sections).
/^ *\*(\.rel\.data\.\*)/a\    *(.rel.text*) *(.rel.rodata*)
