/* The BCD store model: objects (key name, GUID, type) holding elements (code,
 * registry type, raw bytes). Typed values are decoded on demand
 * (wr_bcd_value_decode), so nothing we do not understand is ever dropped: the
 * raw bytes are what is kept, compared and written back.
 *
 * The model is built from a hive by bcd/hive.h, or by hand in tests. Odd
 * things met while building it (a key that is not a GUID, an element key that
 * is not 8 hex digits, an element without its `Element` value) are kept as
 * notes for --check; they never stop a store from being read. */
#ifndef WR_BCD_STORE_H
#define WR_BCD_STORE_H

#include "base/guid.h"
#include "base/status.h"

struct wr_bcd_element {
    uint32_t code;
    uint32_t reg_type;
    uint8_t *data;
    size_t len;
};

struct wr_bcd_object {
    char *key;                 /* key name as stored, "{9dea862c-...}" or "{Default}" */
    bool has_guid;             /* key is a braced GUID */
    struct wr_guid guid;
    bool has_type;             /* Description\Type was readable */
    uint32_t type;
    struct wr_bcd_element *elements;   /* ascending by code */
    size_t n_elements;
    size_t cap_elements;
};

struct wr_bcd_store {
    struct wr_bcd_object *objects;     /* in hive key order */
    size_t n_objects;
    size_t cap_objects;
    char **notes;
    size_t n_notes;
    /* GUID index built by wr_bcd_store_index; dropped by add_object */
    const struct wr_bcd_object **by_guid;
    size_t n_by_guid;
};

void wr_bcd_store_init(struct wr_bcd_store *s);
void wr_bcd_store_free(struct wr_bcd_store *s);

/* Adds an object keyed `key` (parsed as a GUID when it is one). Object
 * pointers taken earlier are invalid afterwards (the array may move). */
wr_status wr_bcd_store_add_object(struct wr_bcd_store *s, const char *key,
                                  struct wr_bcd_object **out, struct wr_err *err);
/* Adds (or replaces) an element, copying data; keeps elements sorted. */
wr_status wr_bcd_object_put(struct wr_bcd_object *o, uint32_t code, uint32_t reg_type,
                            const uint8_t *data, size_t len, struct wr_err *err);
bool wr_bcd_object_remove(struct wr_bcd_object *o, uint32_t code);
const struct wr_bcd_element *wr_bcd_object_get(const struct wr_bcd_object *o, uint32_t code);

/* Records an oddity for --check. Out of memory drops the note. */
void wr_bcd_store_note(struct wr_bcd_store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sorts a GUID index so wr_bcd_store_find is a binary search (the loader
 * calls it once the store is complete). Out of memory leaves no index. */
void wr_bcd_store_index(struct wr_bcd_store *s);

/* The object with this GUID (never one whose key is not a GUID), or NULL. */
struct wr_bcd_object *wr_bcd_store_find(const struct wr_bcd_store *s, const struct wr_guid *g);
struct wr_bcd_object *wr_bcd_store_find_wellknown(const struct wr_bcd_store *s, int id);

/* {bootmgr}'s `default`, when present and readable. */
bool wr_bcd_store_default(const struct wr_bcd_store *s, struct wr_guid *out);

/* An identifier as bcdedit accepts it: {guid}, a well-known alias, or
 * {default}. {current} is refused (there is no running OS offline). The
 * object need not exist. */
wr_status wr_bcd_resolve_id(const struct wr_bcd_store *s, const char *text,
                            struct wr_guid *out, struct wr_err *err);

/* The element's `description` string, or NULL (wr_free the result). */
char *wr_bcd_object_description(const struct wr_bcd_object *o);

#endif
