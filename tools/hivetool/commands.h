/* hivetool subcommands: one file each, dispatched from main.c. Each returns
 * the process exit status (0 ok, 1 findings/refused, 2 cannot proceed). */
#ifndef HIVETOOL_COMMANDS_H
#define HIVETOOL_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

int hivetool_cmd_recover(int argc, char **argv);
int hivetool_cmd_import(int argc, char **argv);
int hivetool_cmd_check(int argc, char **argv);
int hivetool_cmd_walk(int argc, char **argv);
int hivetool_cmd_export(int argc, char **argv);
int hivetool_cmd_new(int argc, char **argv);

/* Reads a whole host file (at most 1 GiB) into a malloc'd buffer; prints
 * the reason and returns NULL on failure. */
uint8_t *hivetool_read_file(const char *path, size_t *len);

#endif
