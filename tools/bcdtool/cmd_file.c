/* /createstore, /export and /import: whole stores as files. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "edit.h"
#include "bcd/edit.h"

int bcdtool_cmd_createstore(struct bcdtool *bt)
{
    struct wr_regf_hive *h = NULL;
    struct wr_err err = { 0 };
    struct stat st;
    int rc;

    if (bt->n_args != 1)
        return bcdtool_error("usage: /createstore FILE");
    if (stat(bt->args[0], &st) == 0)
        return bcdtool_error("%s already exists; /createstore does not overwrite a file",
                             bt->args[0]);
    if (wr_bcd_hive_create_store(&h, &err) != WR_OK)
        return bcdtool_error("creating the store failed: %s", err.msg);
    rc = bcdtool_commit_hive(h, bt->args[0], false);
    wr_regf_close(h);
    if (!rc)
        puts("The operation completed successfully.");
    return rc;
}

int bcdtool_cmd_export(struct bcdtool *bt)
{
    int rc;

    if (bt->n_args != 1)
        return bcdtool_error("usage: /export FILE");
    rc = bcdtool_commit_hive(bt->hive, bt->args[0], false);
    if (!rc)
        puts("The operation completed successfully.");
    return rc;
}

/* The file must itself be a readable BCD store before it replaces ours. */
int bcdtool_cmd_import(struct bcdtool *bt)
{
    struct bcdtool src = { 0 };
    int rc;

    if (bt->n_args < 1 || bt->n_args > 2 ||
        (bt->n_args == 2 && !bcdtool_is_opt(bt->args[1], "clean")))
        return bcdtool_error("usage: /import FILE [/clean]");
    if (!bt->store_path) {
        bt->owned_path = bcdtool_find_esp_store();
        bt->store_path = bt->owned_path;
        if (!bt->store_path)
            return 1;
    }
    src.store_path = bt->args[0];
    if (!bcdtool_open(&src)) {
        bcdtool_close(&src);
        return bcdtool_error("nothing was written to %s", bt->store_path);
    }
    rc = bcdtool_commit_hive(src.hive, bt->store_path, false);
    bcdtool_close(&src);
    if (!rc)
        puts("The operation completed successfully.");
    return rc;
}
