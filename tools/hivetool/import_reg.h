/* A parser for regedit (.reg) files: "Windows Registry Editor Version
 * 5.00" and REGEDIT4, with the rules hivex's Win::Hivex::Regedit follows:
 * [key] / [-key], "name"=value / "name"=- / @=..., dword:, hex:, hex(N):,
 * str(N):, quoted strings with \ escapes, lines continued with a final \.
 * Text is UTF-8 (a UTF-8 BOM is skipped) or UTF-16LE with its BOM. */
#ifndef HIVETOOL_IMPORT_REG_H
#define HIVETOOL_IMPORT_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reg_sink {
    /* A [key] section starts (del: a [-key] line). path is as written. */
    int (*key)(void *arg, const char *path, bool del, int line);
    /* A value line of the current key; name "" is the default value (@).
     * del: "name"=- (type and data unused). */
    int (*value)(void *arg, const char *name, bool del, uint32_t type, const uint8_t *data,
                 size_t len, int line);
    void *arg;
};

/* Calls the sink for every section and value in order. Returns 0, the
 * sink's non-zero return, or -1 with a message naming the line in why[]. */
int reg_parse(const uint8_t *text, size_t len, const struct reg_sink *sink, char *why,
              size_t why_size);

#endif
