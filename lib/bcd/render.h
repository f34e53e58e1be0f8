/* bcdedit /enum output (bcd.md §7): section header, dashes, `identifier`
 * first, elements ascending by code, values at column 24, list entries on
 * continuation lines. Without /v well-known GUIDs and the default entry
 * print as aliases, in values too. */
#ifndef WR_BCD_RENDER_H
#define WR_BCD_RENDER_H

#include "base/fmt.h"
#include "bcd/store.h"

struct wr_bcd_render_opts {
    bool verbose;      /* /v: full GUIDs everywhere */
    bool compat;       /* partitions print "unknown", as bcdedit does offline */
    /* Called for each element that cannot be decoded (the output shows a
     * placeholder); NULL to ignore. */
    void (*problem)(void *arg, const char *msg);
    void *problem_arg;
};

/* The objects /enum WHAT selects, in bcdedit's order. WHAT is NULL or
 * ACTIVE, ALL, FIRMWARE, BOOTAPP, BOOTMGR, OSLOADER, RESUME, INHERIT
 * (case-insensitive) or an identifier. *objs is wr_free'd by the caller. */
wr_status wr_bcd_select(const struct wr_bcd_store *s, const char *what,
                        const struct wr_bcd_object ***objs, size_t *n, struct wr_err *err);

/* One section, starting with its blank line. */
void wr_bcd_render_object(struct wr_text *t, const struct wr_bcd_store *s,
                          const struct wr_bcd_object *o, const struct wr_bcd_render_opts *opts);

/* select + render every section. */
wr_status wr_bcd_render_enum(struct wr_text *t, const struct wr_bcd_store *s, const char *what,
                             const struct wr_bcd_render_opts *opts, struct wr_err *err);

/* How an object is named in output: alias, {default} or {guid}; the key
 * name itself for keys that are not GUIDs. */
void wr_bcd_render_id(struct wr_text *t, const struct wr_bcd_store *s,
                      const struct wr_guid *g, bool verbose);

#endif
