/* hivetool recover FILE -o OUT: apply the transaction logs beside FILE. */
#include <stdio.h>

#include "commands.h"

int hivetool_cmd_recover(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "hivetool recover: not implemented yet\n");
    return 2;
}
