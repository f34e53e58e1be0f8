/* Shared pieces of bcdtool's editing commands (edit_common.c). */
#ifndef BCDTOOL_EDIT_H
#define BCDTOOL_EDIT_H

#include "bcdtool.h"
#include "bcd/value.h"

/* {id}, alias or {default} against the loaded store (for parse callbacks). */
wr_status bcdtool_resolve_id(void *arg, const char *text, struct wr_guid *out,
                             struct wr_err *err);
/* The existing object an id names, or NULL after printing why. */
struct wr_bcd_object *bcdtool_object(struct bcdtool *bt, const char *text);
/* A random (version 4) GUID for a new object. */
bool bcdtool_new_guid(struct wr_guid *g);
/* The §9 warning and BitLocker note for writing this element, if any. */
void bcdtool_warn_element(const struct wr_bcd_object *o, uint32_t code, uint64_t value);
/* Stamps the current time on keys the edit touches. */
void bcdtool_stamp(struct bcdtool *bt);
/* Re-validate the edited hive, commit it crash-safely, read it back, and
 * print bcdedit's success line. Nothing is written when a step fails. */
int bcdtool_finish(struct bcdtool *bt);
/* Writes a hive to a host file crash-safely (validated first): a new file
 * renamed over the old, or in place behind a transaction log. */
int bcdtool_commit_hive(struct wr_regf_hive *h, const char *path, bool in_place);
/* Prints the error and "nothing was written"; returns 1. */
int bcdtool_fail_edit(struct bcdtool *bt, const struct wr_err *err);

/* The commands, each given bt with the store open. */
int bcdtool_cmd_set(struct bcdtool *bt);
int bcdtool_cmd_deletevalue(struct bcdtool *bt);
int bcdtool_cmd_switch(struct bcdtool *bt);   /* debug, bootdebug, ems, bootems */
int bcdtool_cmd_create(struct bcdtool *bt);
int bcdtool_cmd_copy(struct bcdtool *bt);
int bcdtool_cmd_delete(struct bcdtool *bt);
int bcdtool_cmd_default(struct bcdtool *bt);
int bcdtool_cmd_timeout(struct bcdtool *bt);
int bcdtool_cmd_order(struct bcdtool *bt);   /* displayorder, bootsequence, toolsdisplayorder */
int bcdtool_cmd_export(struct bcdtool *bt);
int bcdtool_cmd_import(struct bcdtool *bt);
int bcdtool_cmd_createstore(struct bcdtool *bt);

/* Sets one element from its typed value (encoding + warning). */
int bcdtool_put_value(struct bcdtool *bt, struct wr_bcd_object *o, uint32_t code,
                      const struct wr_bcd_value *v, struct wr_err *err);

#endif
