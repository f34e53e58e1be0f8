/* hivetool subcommands: one file each, dispatched from main.c. Each returns
 * the process exit status (0 ok, 1 findings/refused, 2 cannot proceed). */
#ifndef HIVETOOL_COMMANDS_H
#define HIVETOOL_COMMANDS_H

int hivetool_cmd_recover(int argc, char **argv);
int hivetool_cmd_import(int argc, char **argv);

#endif
