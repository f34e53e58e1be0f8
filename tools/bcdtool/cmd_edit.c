/* The editing commands. */
#include "bcdtool.h"

int bcdtool_run_edit(struct bcdtool *bt)
{
    return bcdtool_error("'%s' is not a recognised command (see --help)", bt->command);
}
