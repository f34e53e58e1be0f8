/* Dispatch of the editing commands (bcdedit names, any case, / or -). */
#include <stdio.h>

#include "edit.h"

static const struct {
    const char *name;
    int (*run)(struct bcdtool *);
    bool opens;              /* needs the store open first */
} commands[] = {
    { "set", bcdtool_cmd_set, true },
    { "deletevalue", bcdtool_cmd_deletevalue, true },
    { "create", bcdtool_cmd_create, true },
    { "copy", bcdtool_cmd_copy, true },
    { "delete", bcdtool_cmd_delete, true },
    { "default", bcdtool_cmd_default, true },
    { "timeout", bcdtool_cmd_timeout, true },
    { "displayorder", bcdtool_cmd_order, true },
    { "bootsequence", bcdtool_cmd_order, true },
    { "toolsdisplayorder", bcdtool_cmd_order, true },
    { "export", bcdtool_cmd_export, true },
    { "import", bcdtool_cmd_import, false },
    { "createstore", bcdtool_cmd_createstore, false },
    { "debug", bcdtool_cmd_switch, true },
    { "bootdebug", bcdtool_cmd_switch, true },
    { "ems", bcdtool_cmd_switch, true },
    { "bootems", bcdtool_cmd_switch, true },
};

int bcdtool_run_edit(struct bcdtool *bt)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (!bcdtool_is_opt(bt->command, commands[i].name))
            continue;
        if (commands[i].opens && !bcdtool_open(bt))
            return 1;
        return commands[i].run(bt);
    }
    return bcdtool_error("'%s' is not a recognised command (see --help)", bt->command);
}
