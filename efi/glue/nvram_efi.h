/* wr_nvram over the firmware's runtime variable services. */
#ifndef WR_EFI_NVRAM_EFI_H
#define WR_EFI_NVRAM_EFI_H

#include <efi.h>

#include "efivar/nvram.h"

/* Fills *out; no state is kept, so any number may exist. */
void wr_nvram_efi(struct wr_nvram *out);

#endif
