/* wtg-rescue scan [--json] DISK...: placeholder until the finder lands. */
#include "commands.h"

int wtg_cmd_scan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "wtg-rescue scan: not implemented yet\n");
    return EXIT_USAGE;
}
