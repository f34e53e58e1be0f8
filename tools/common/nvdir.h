/* Firmware variables in a directory laid out as efivarfs is
 * (/sys/firmware/efi/efivars): one file "Name-guid" per variable, its
 * first 4 bytes the attributes (LE), then the data. Works on efivarfs
 * itself and on a saved copy; host tools only. */
#ifndef TOOLS_COMMON_NVDIR_H
#define TOOLS_COMMON_NVDIR_H

#include "efivar/nvram.h"

struct wr_nvdir;

wr_status wr_nvdir_open(const char *dir, bool writable, struct wr_nvdir **out,
                        struct wr_err *err);
void wr_nvdir_close(struct wr_nvdir *nd);
void wr_nvdir_nvram(struct wr_nvdir *nd, struct wr_nvram *out);

#endif
