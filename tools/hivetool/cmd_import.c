/* hivetool import FILE REGFILE: merge a .reg file, crash-safely. */
#include <stdio.h>

#include "commands.h"

int hivetool_cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "hivetool import: not implemented yet\n");
    return 2;
}
