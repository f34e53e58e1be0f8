/* Editing a BCD store in its hive: the few key/value operations every
 * bcdedit command is made of. Each works on lib/regf's in-memory hive; the
 * caller re-validates and commits (lib/regf/commit.h). Everything not named
 * by the operation (unknown values, FirmwareVariable, store Description
 * values, elements we cannot decode) stays as it is. */
#ifndef WR_BCD_EDIT_H
#define WR_BCD_EDIT_H

#include "base/guid.h"
#include "regf/regf.h"

/* A new empty store as `bcdedit /createstore` writes it: root NewStoreRoot,
 * Description\KeyName = "BCD00000001", empty Objects (bcd.md §1). */
wr_status wr_bcd_hive_create_store(struct wr_regf_hive **out, struct wr_err *err);

/* Objects\{guid} with Description\Type and an empty Elements key.
 * WR_E_EXISTS when the object is already there. */
wr_status wr_bcd_hive_create_object(struct wr_regf_hive *h, const struct wr_guid *g,
                                    uint32_t type, struct wr_err *err);
/* Removes Objects\KEY and everything below it. */
wr_status wr_bcd_hive_delete_object(struct wr_regf_hive *h, const char *key,
                                    struct wr_err *err);

/* Objects\KEY\Elements\xxxxxxxx\Element = data (creating the element key). */
wr_status wr_bcd_hive_set_element(struct wr_regf_hive *h, const char *key, uint32_t code,
                                  uint32_t reg_type, const uint8_t *data, size_t len,
                                  struct wr_err *err);
/* Removes the element key. WR_E_NOT_FOUND when absent. */
wr_status wr_bcd_hive_delete_element(struct wr_regf_hive *h, const char *key, uint32_t code,
                                     struct wr_err *err);

/* "{guid}" in lower case, as Windows names object keys; buf holds 39. */
void wr_bcd_guid_key(const struct wr_guid *g, char buf[39]);

#endif
